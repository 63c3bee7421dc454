package main

import (
	"context"
	"flag"
	"fmt"
	"strings"
	"text/tabwriter"
	"time"

	"peerline/rota"
)

var tonightCmd = command{
	name:     "tonight",
	synopsis: "[-date YYYY-MM-DD]",
	summary:  "hour by hour tonight: who is on, who is on call, and where the gaps are",
	details: "Shows tonight (or the night starting on -date) hour by hour, from the weekday opening time to the\n" +
		"next morning (on a day open all day, from that morning): who is on shift, who is on call, and a\n" +
		"warning where nobody or only one volunteer is on shift, or nobody is on call, while the line is\n" +
		"open. Paused volunteers are shown as paused and not counted.",
	example: "tonight -date 2026-12-24",
	setup:   tonight,
}

var weekCmd = command{
	name:     "week",
	synopsis: "[-from YYYY-MM-DD]",
	summary:  "a grid of the coming 7 days: how many are on each hour, gaps marked",
	details: "Shows 7 days from today (or -from) as a grid of hours: each cell is the fewest volunteers on shift\n" +
		"during that hour while the line is open (paused ones left out). '0!' is nobody on shift and nobody\n" +
		"on call, '0c' nobody on shift but a coordinator on call, a '*' (such as '2*') nobody on call for\n" +
		"some of the hour, and '.' closed hours with nobody on.",
	example: "week -from 2026-12-21",
	setup:   week,
}

// date reads a -date or -from flag; empty means today.
func (t *tool) date(flagName, s string) (time.Time, error) {
	if s == "" {
		y, m, d := t.now().In(t.cfg.Location).Date()
		return time.Date(y, m, d, 0, 0, 0, 0, t.cfg.Location), nil
	}
	d, err := time.ParseInLocation(rota.DateLayout, strings.TrimSpace(s), t.cfg.Location)
	if err != nil {
		return time.Time{}, fmt.Errorf("-%s %q: want YYYY-MM-DD, such as 2026-12-24", flagName, s)
	}
	return d, nil
}

// notPast refuses a date before today in the line's time zone: a change there would do nothing, and it
// is most likely a typing slip (such as last year).
func (t *tool) notPast(flagName, date string) error {
	today := t.now().In(t.cfg.Location).Format(rota.DateLayout)
	if date < today {
		return fmt.Errorf("%s %s has passed (today is %s); give a date from today on", flagName, date, today)
	}
	return nil
}

func tonight(fs *flag.FlagSet) action {
	date := fs.String("date", "", "the date the night starts (default today)")
	return func(ctx context.Context, t *tool, _ []string) error {
		day, err := t.date("date", *date)
		if err != nil {
			return err
		}
		r, err := t.store.Load(ctx)
		if err != nil {
			return err
		}
		from, until := r.Night(day)
		allDay := ""
		if why := r.Hours.AllDay(day.Format(rota.DateLayout)); why != "" {
			allDay = " (open all day: " + why + ")"
		}
		fmt.Fprintf(t.out, "%s night%s, %s to %s (%s time):\n\n", day.Format("Mon 2 Jan"), allDay, from.Format("15:04"),
			until.Format("Mon 15:04"), t.cfg.Location)
		tw := tabwriter.NewWriter(t.out, 0, 0, 2, ' ', 0)
		fmt.Fprintln(tw, "HOUR\tON SHIFT\tON CALL\t")
		shiftGaps, callGaps := 0, 0
		for h := from; h.Before(until); h = h.Add(time.Hour) {
			end := h.Add(time.Hour)
			c, oc := r.Staffing(h, end, false), r.Staffing(h, end, true)
			w := warn(c, r.Gaps(h, end))
			if w.NoShift {
				shiftGaps++
			}
			if w.NoCall {
				callGaps++
			}
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", h.Format("15:04"), orDash(names(c.Who)), orDash(names(oc.Who)), w.note)
		}
		if err := tw.Flush(); err != nil {
			return err
		}
		if shiftGaps > 0 {
			fmt.Fprintf(t.out, "\n%d hour(s) have a gap. Fill them with shift add, shift cover or shift swap.\n", shiftGaps)
		}
		if callGaps > 0 {
			fmt.Fprintf(t.out, "%s%d hour(s) have nobody on call: when nobody on shift answers, no coordinator is paged.\n"+
				"Put a coordinator on call with shift add -oncall, or hand a night over with shift cover -oncall.\n",
				map[bool]string{true: "", false: "\n"}[shiftGaps > 0], callGaps)
		}
		return nil
	}
}

// names lists volunteers by name, paused ones marked.
func names(vols []rota.Volunteer) string {
	var out []string
	for _, v := range vols {
		n := clean(v.Name)
		if !v.Active {
			n += " (paused)"
		}
		out = append(out, n)
	}
	return strings.Join(out, ", ")
}

// warning is what tonight says of an hour, and which kinds of gap it has.
type warning struct {
	note string
	rota.GapSummary
}

// warn flags an hour, given who is on shift then and the hour's gaps: nobody on shift (with or without
// a coordinator on call), only one volunteer, or nobody on call, while the line is open.
func warn(c rota.Staffing, gaps []rota.Gap) warning {
	w := warning{GapSummary: rota.Summarise(gaps)}
	switch {
	case !c.Open:
		w.note = "closed"
	case w.Bare:
		w.note = "GAP: nobody on shift or on call"
	case w.NoShift:
		w.note = "GAP: nobody on shift (on call only)"
	case c.LeastOpen == 1:
		w.note = "only one on"
	}
	if w.NoCall && !w.Bare {
		w.note = strings.TrimPrefix(w.note+"; nobody on call", "; ")
	}
	return w
}

func week(fs *flag.FlagSet) action {
	from := fs.String("from", "", "the first day (default today)")
	return func(ctx context.Context, t *tool, _ []string) error {
		first, err := t.date("from", *from)
		if err != nil {
			return err
		}
		r, err := t.store.Load(ctx)
		if err != nil {
			return err
		}
		tw := tabwriter.NewWriter(t.out, 0, 0, 2, ' ', tabwriter.AlignRight)
		fmt.Fprint(tw, "HOUR\t")
		for d := range 7 {
			fmt.Fprintf(tw, "%s\t", first.AddDate(0, 0, d).Format("Mon 2"))
		}
		fmt.Fprintln(tw)
		for h := range 24 {
			fmt.Fprintf(tw, "%02d:00\t", h)
			for d := range 7 {
				day := first.AddDate(0, 0, d)
				start := time.Date(day.Year(), day.Month(), day.Day(), h, 0, 0, 0, t.cfg.Location)
				end := start.Add(time.Hour)
				fmt.Fprintf(tw, "%s\t", cell(r.Staffing(start, end, false), r.Gaps(start, end)))
			}
			fmt.Fprintln(tw)
		}
		if err := tw.Flush(); err != nil {
			return err
		}
		fmt.Fprintf(t.out, "\nEach cell: fewest volunteers on shift in that hour while the line is open (%s time).\n"+
			"0! nobody on shift and nobody on call; 0c nobody on shift, a coordinator on call; * (as in 2*)\n"+
			"nobody on call for some of the hour; . closed and nobody on (a number in closed hours is cover\n"+
			"the line does not need).\n", t.cfg.Location)
		return nil
	}
}

// cell shows one hour of the week: how many are on shift, and what is missing while the line is open.
func cell(c rota.Staffing, gaps []rota.Gap) string {
	w := warn(c, gaps)
	switch {
	case !c.Open && c.Least == 0:
		return "."
	case !c.Open:
		return fmt.Sprint(c.Least)
	case w.Bare:
		return "0!"
	case w.NoShift:
		return "0c"
	case w.NoCall:
		return fmt.Sprintf("%d*", c.LeastOpen)
	}
	return fmt.Sprint(c.LeastOpen)
}
