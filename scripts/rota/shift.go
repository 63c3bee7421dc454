package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"sort"
	"strings"
	"text/tabwriter"
	"time"

	"peerline/rota"
)

var shiftAddCmd = command{
	name:     "shift add",
	synopsis: "-volunteer ID (-day DAY | -date YYYY-MM-DD) -start HH:MM -end HH:MM [-oncall]",
	summary:  "add a weekly shift (-day) or a one-off shift (-date); -oncall for a coordinator on call",
	details: "Adds a shift in the line's time zone (LINE_TIMEZONE): with -day it repeats every week, with -date\n" +
		"it happens once. An end before the start means the shift crosses midnight and ends the next\n" +
		"day: -day fri -start 22:00 -end 02:00 is Friday 22:00 to Saturday 02:00; -start 00:00 -end 24:00\n" +
		"is all day. With -oncall the volunteer (who must be a coordinator) is on call: paged when nobody\n" +
		"answers a request. A shift that overlaps another of the same volunteer's (on shift, or on call;\n" +
		"their covers included) is refused, naming the other. -volunteer takes an id (v3) or a first name\n" +
		"that only one volunteer has.",
	example:  "shift add -volunteer v3 -day fri -start 22:00 -end 02:00",
	required: []string{"volunteer", "start", "end"},
	setup:    shiftAdd,
}

var shiftListCmd = command{
	name:     "shift list",
	synopsis: "[-volunteer ID]",
	summary:  "the weekly shifts, one-off shifts and covers to come, and skipped dates",
	details: "Lists the weekly shifts from Monday to Sunday, then one-off shifts and covers from today on, then\n" +
		"skipped dates, in the line's time zone (LINE_TIMEZONE).",
	example: "shift list -volunteer v3",
	setup:   shiftList,
}

var shiftRemoveCmd = command{
	name:     "shift remove",
	synopsis: "ID",
	summary:  "remove a shift (every week of a weekly one; see shift skip for one date)",
	details:  "Removes a shift for good. To take one date out of a weekly shift, use shift skip instead.",
	example:  "shift remove s4",
	arg:      "the shift's id (such as s4; see shift list)",
	setup:    shiftRemove,
}

func shiftAdd(fs *flag.FlagSet) action {
	vol := fs.String("volunteer", "", "the volunteer's id, such as v3, or their first name")
	day := fs.String("day", "", "for a weekly shift: the day it starts, mon to sun")
	date := fs.String("date", "", "for a one-off shift: the date it starts, such as 2026-12-24")
	start := fs.String("start", "", "start time on a 24-hour clock, such as 22:00")
	end := fs.String("end", "", "end time, such as 02:00; before the start means the next day, 24:00 is midnight")
	oncall := fs.Bool("oncall", false, "a coordinator on call, not a peer shift")
	return func(ctx context.Context, t *tool, _ []string) error {
		sh, err := parseShift(*day, *date, *start, *end)
		if err != nil {
			return err
		}
		if err := t.notPast("-date", sh.Date); err != nil && !sh.Weekly() {
			return err
		}
		sh.OnCall = *oncall
		r, err := t.store.Load(ctx)
		if err != nil {
			return err
		}
		v, err := findVolunteer(r, *vol)
		if err != nil {
			return err
		}
		sh.Volunteer = v.ID
		if sh.OnCall && !v.Coordinator {
			return fmt.Errorf("%s is not a coordinator; make them one first: %s volunteer edit %s -coordinator=true",
				volunteerLabel(r, v.ID), prog, v.ID)
		}
		added, err := t.addShift(ctx, sh)
		if err != nil {
			return explain(err)
		}
		fmt.Fprintf(t.out, "Added shift %s: %s, %s time.\n", added.ID, describeFull(r, added), t.cfg.Location)
		return nil
	}
}

// addShift adds sh to the rota as it is when saved. The rota refuses a shift that overlaps another of
// the volunteer's (one-off shifts and covers that are past aside).
func (t *tool) addShift(ctx context.Context, sh rota.Shift) (rota.Shift, error) {
	p, err := t.store.Change(ctx, func(rota.Rota) (rota.Plan, error) {
		return rota.Plan{Shifts: []rota.Shift{sh}, Today: t.today()}, nil
	})
	if err != nil {
		return rota.Shift{}, err
	}
	return p.Shifts[0], nil
}

// today is the line's local date now, as YYYY-MM-DD.
func (t *tool) today() string { return t.now().In(t.cfg.Location).Format(rota.DateLayout) }

// parseShift reads the when of a shift, reporting every bad flag at once.
func parseShift(day, date, start, end string) (rota.Shift, error) {
	var errs []error
	var sh rota.Shift
	var err error
	switch {
	case (day == "") == (date == ""):
		errs = append(errs, errors.New("give -day for a weekly shift or -date for a one-off shift (one of them)"))
	case day != "":
		if sh.Day, err = rota.ParseDay(day); err != nil {
			errs = append(errs, fmt.Errorf("-day: %w", err))
		}
	default:
		if sh.Date, err = rota.ParseDate(date); err != nil {
			errs = append(errs, fmt.Errorf("-date: %w", err))
		}
	}
	s, e, err := parseTimes(start, end)
	sh.Start, sh.End = s, e
	return sh, errors.Join(append(errs, err)...)
}

// parseTimes reads -start and -end.
func parseTimes(start, end string) (rota.Clock, rota.Clock, error) {
	var errs []error
	s, err := rota.ParseClock(start)
	if err != nil {
		errs = append(errs, fmt.Errorf("-start: %w", err))
	} else if s >= 24*60 {
		errs = append(errs, errors.New("-start 24:00: a shift starts by 23:59; use 00:00 the next day"))
	}
	e, err := rota.ParseClock(end)
	if err != nil {
		errs = append(errs, fmt.Errorf("-end: %w", err))
	}
	return s, e, errors.Join(errs...)
}

// explain turns the rota's refusal into what a coordinator can act on.
func explain(err error) error {
	switch {
	case errors.Is(err, rota.ErrExists):
		return fmt.Errorf("%w; nothing was changed", err)
	case rota.IsChanged(err):
		return fmt.Errorf("the rota kept changing while saving (another coordinator or many ON/OFF texts); run the command again: %w", err)
	}
	return err
}

func shiftList(fs *flag.FlagSet) action {
	vol := fs.String("volunteer", "", "show only this volunteer's shifts (id or first name)")
	return func(ctx context.Context, t *tool, _ []string) error {
		r, err := t.store.Load(ctx)
		if err != nil {
			return err
		}
		id := ""
		if *vol != "" {
			v, err := findVolunteer(r, *vol)
			if err != nil {
				return err
			}
			id = v.ID
		}
		today := t.now().In(t.cfg.Location).Format(rota.DateLayout)
		var shown []rota.Shift
		for _, s := range sortedShifts(r, id) {
			if s.Weekly() || s.Date >= dayBefore(today) {
				shown = append(shown, s)
			}
		}
		if len(shown) == 0 {
			who := "No one has shifts"
			if id != "" {
				who = volunteerLabel(r, id) + " has no shifts"
			}
			fmt.Fprintf(t.out, "%s yet. Add one with:\n  %s %s\n", who, prog, shiftAddCmd.example)
			return nil
		}
		tw := tabwriter.NewWriter(t.out, 0, 0, 2, ' ', 0)
		fmt.Fprintln(tw, "ID\tVOLUNTEER\tWHEN\tSTART\tEND\tKIND")
		for _, s := range shown {
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\n", s.ID, volunteerLabel(r, s.Volunteer), when(s), s.Start, endText(s), kind(r, s))
		}
		if err := tw.Flush(); err != nil {
			return err
		}
		printSkips(t, r, id, today)
		fmt.Fprintf(t.out, "Times are %s time.\n", t.cfg.Location)
		return nil
	}
}

func dayBefore(date string) string {
	d, err := time.Parse(rota.DateLayout, date)
	if err != nil {
		return date
	}
	return d.AddDate(0, 0, -1).Format(rota.DateLayout)
}

// printSkips lists the skipped dates of weekly shifts from today on.
func printSkips(t *tool, r rota.Rota, id, today string) {
	var lines []string
	for k := range r.Skips {
		sid, date, _ := strings.Cut(k, " ")
		s, ok := r.Shift(sid)
		if !ok || date < today || (id != "" && s.Volunteer != id) {
			continue
		}
		lines = append(lines, fmt.Sprintf("  %s %s: %s's %s", date, sid, clean(r.Volunteers[s.Volunteer].Name), describe(s)))
	}
	if len(lines) == 0 {
		return
	}
	sort.Strings(lines)
	fmt.Fprintln(t.out, "\nSkipped dates (the weekly shift does not happen that day):")
	fmt.Fprintln(t.out, strings.Join(lines, "\n"))
}

// sortedShifts returns the shifts of volunteer id (or everyone's, for ""), weekly ones Monday first,
// then dated ones by date. A cover of id counts as theirs.
func sortedShifts(r rota.Rota, id string) []rota.Shift {
	var out []rota.Shift
	for _, s := range r.Shifts {
		if id == "" || s.Volunteer == id || s.CoverFor == id {
			out = append(out, s)
		}
	}
	monFirst := func(d time.Weekday) int { return (int(d) + 6) % 7 }
	sort.SliceStable(out, func(i, j int) bool {
		a, b := out[i], out[j]
		if a.Weekly() != b.Weekly() {
			return a.Weekly()
		}
		if a.Weekly() {
			return monFirst(a.Day) < monFirst(b.Day)
		}
		return a.Date < b.Date
	})
	return out
}

func shiftRemove(*flag.FlagSet) action {
	return func(ctx context.Context, t *tool, args []string) error {
		id := normID(args[0])
		r, err := t.store.Load(ctx)
		if err != nil {
			return err
		}
		s, ok := r.Shift(id)
		if !ok {
			return notFound("shift", id, "shift list")
		}
		if err := t.store.RemoveShift(ctx, id); errors.Is(err, rota.ErrNotFound) {
			return notFound("shift", id, "shift list")
		} else if err != nil {
			return explain(err)
		}
		fmt.Fprintf(t.out, "Removed shift %s (%s).\n", id, describeFull(r, s))
		return nil
	}
}
