package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"sort"
	"text/tabwriter"
	"time"

	"peerline/rota"
)

var shiftAddCmd = command{
	name:     "shift add",
	synopsis: "-volunteer ID -day DAY -start HH:MM -end HH:MM",
	summary:  "add a weekly shift for a volunteer",
	details: "Adds a shift that repeats every week, in the line's time zone (LINE_TIMEZONE). An end at or\n" +
		"before the start means the shift crosses midnight and ends the next day: -day fri -start 22:00\n" +
		"-end 02:00 is Friday 22:00 to Saturday 02:00.",
	example:  "shift add -volunteer v3 -day fri -start 22:00 -end 02:00",
	required: []string{"volunteer", "day", "start", "end"},
	setup:    shiftAdd,
}

var shiftListCmd = command{
	name:     "shift list",
	synopsis: "[-volunteer ID]",
	summary:  "the weekly shifts, Monday first (optionally one volunteer's)",
	details:  "Lists the weekly shifts from Monday to Sunday, in the line's time zone (LINE_TIMEZONE).",
	example:  "shift list -volunteer v3",
	setup:    shiftList,
}

var shiftRemoveCmd = command{
	name:     "shift remove",
	synopsis: "ID",
	summary:  "remove one shift",
	details:  "Removes one weekly shift. The volunteer stays on the rota.",
	example:  "shift remove s4",
	arg:      "the shift's id (such as s4; see shift list)",
	setup:    shiftRemove,
}

func shiftAdd(fs *flag.FlagSet) action {
	vol := fs.String("volunteer", "", "the volunteer's id, such as v3 (see volunteer list)")
	day := fs.String("day", "", "the day the shift starts: mon, tue, wed, thu, fri, sat or sun")
	start := fs.String("start", "", "start time on a 24-hour clock, such as 22:00")
	end := fs.String("end", "", "end time, such as 02:00; at or before the start means the next day")
	return func(ctx context.Context, t *tool, _ []string) error {
		sh, err := parseShift(*vol, *day, *start, *end)
		if err != nil {
			return err
		}
		r, err := t.store.Load(ctx)
		if err != nil {
			return err
		}
		v, ok := r.Volunteers[sh.Volunteer]
		if !ok {
			return notFound("volunteer", sh.Volunteer, "volunteer list")
		}
		added, err := t.store.AddShift(ctx, sh)
		if errors.Is(err, rota.ErrNotFound) {
			return notFound("volunteer", v.ID, "volunteer list")
		} else if err != nil {
			return err
		}
		fmt.Fprintf(t.out, "Added shift %s for %s (%s): every %s%s, %s time.\n",
			added.ID, clean(v.Name), v.ID, describe(added), crossNote(added), t.cfg.Location)
		return nil
	}
}

// parseShift reads the shift add flags, reporting every bad one at once.
func parseShift(vol, day, start, end string) (rota.Shift, error) {
	var errs []error
	sh := rota.Shift{Volunteer: normID(vol)}
	var err error
	if sh.Day, err = rota.ParseDay(day); err != nil {
		errs = append(errs, fmt.Errorf("-day: %w", err))
	}
	if sh.Start, err = rota.ParseClock(start); err != nil {
		errs = append(errs, fmt.Errorf("-start: %w", err))
	} else if sh.Start >= 24*60 {
		errs = append(errs, errors.New("-start 24:00: a shift starts by 23:59; use -start 00:00 and the next -day"))
	}
	if sh.End, err = rota.ParseClock(end); err != nil {
		errs = append(errs, fmt.Errorf("-end: %w", err))
	}
	return sh, errors.Join(errs...)
}

// crossNote explains a shift that ends the next day.
func crossNote(s rota.Shift) string {
	switch {
	case s.End == s.Start:
		return " (24 hours)"
	case s.End < s.Start:
		return " (crosses midnight)"
	}
	return ""
}

func shiftList(fs *flag.FlagSet) action {
	vol := fs.String("volunteer", "", "show only this volunteer's shifts, such as v3")
	return func(ctx context.Context, t *tool, _ []string) error {
		r, err := t.store.Load(ctx)
		if err != nil {
			return err
		}
		id := normID(*vol)
		if _, ok := r.Volunteers[id]; id != "" && !ok {
			return notFound("volunteer", id, "volunteer list")
		}
		shifts := weekShifts(r, id)
		if len(shifts) == 0 {
			who := "No one has shifts"
			if id != "" {
				who = volunteerLabel(r, id) + " has no shifts"
			}
			fmt.Fprintf(t.out, "%s yet. Add one with:\n  %s %s\n", who, prog, shiftAddCmd.example)
			return nil
		}
		tw := tabwriter.NewWriter(t.out, 0, 0, 2, ' ', 0)
		fmt.Fprintln(tw, "ID\tVOLUNTEER\tDAY\tSTART\tEND")
		for _, s := range shifts {
			end := s.End.String()
			if s.End <= s.Start {
				end += " +1 day"
			}
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", s.ID, volunteerLabel(r, s.Volunteer), dayName(s.Day), s.Start, end)
		}
		if err := tw.Flush(); err != nil {
			return err
		}
		fmt.Fprintf(t.out, "Times are %s time.\n", t.cfg.Location)
		return nil
	}
}

// weekShifts returns the shifts of volunteer id (or everyone's, for ""), Monday first.
func weekShifts(r rota.Rota, id string) []rota.Shift {
	var out []rota.Shift
	for _, s := range r.Shifts {
		if id == "" || s.Volunteer == id {
			out = append(out, s)
		}
	}
	monFirst := func(d time.Weekday) int { return (int(d) + 6) % 7 }
	sort.SliceStable(out, func(i, j int) bool { return monFirst(out[i].Day) < monFirst(out[j].Day) })
	return out
}

func shiftRemove(*flag.FlagSet) action {
	return func(ctx context.Context, t *tool, args []string) error {
		id := normID(args[0])
		r, err := t.store.Load(ctx)
		if err != nil {
			return err
		}
		for _, s := range r.Shifts {
			if s.ID != id {
				continue
			}
			if err := t.store.RemoveShift(ctx, id); errors.Is(err, rota.ErrNotFound) {
				return notFound("shift", id, "shift list")
			} else if err != nil {
				return err
			}
			fmt.Fprintf(t.out, "Removed shift %s (%s, %s).\n", id, volunteerLabel(r, s.Volunteer), describe(s))
			return nil
		}
		return notFound("shift", id, "shift list")
	}
}
