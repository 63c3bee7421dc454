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
		"warning where nobody or only one volunteer is on while the line is open. Paused volunteers are\n" +
		"shown as paused and not counted.",
	example: "tonight -date 2026-12-24",
	setup:   tonight,
}

var weekCmd = command{
	name:     "week",
	synopsis: "[-from YYYY-MM-DD]",
	summary:  "a grid of the coming 7 days: how many are on each hour, gaps marked",
	details: "Shows 7 days from today (or -from) as a grid of hours: each cell is the fewest volunteers on shift\n" +
		"during that hour (paused ones left out). '0!' is no cover while the line is open, '1' only one,\n" +
		"and '.' is closed hours with nobody on.",
	example: "week -from 2026-12-21",
	setup:   week,
}

var gapsCmd = command{
	name:     "gaps",
	synopsis: "[-days N]",
	summary:  "every stretch of open time in the coming days with nobody on shift",
	details: "Lists every stretch of the line's open hours in the next -days days (from now) when no active\n" +
		"volunteer is on shift, so people who text would get only the fallback signpost.",
	example: "gaps -days 14",
	setup:   gaps,
}

// step is how finely cover is sampled; shifts start and end on quarter hours in practice.
const step = 15 * time.Minute

// cover is who is on during one stretch: the fewest active volunteers at any moment, and everyone on at
// some moment (paused ones marked).
type cover struct {
	least int
	names []string
	open  bool
}

// coverOver samples [from, to) and returns the fewest active volunteers on shift, everyone on at
// some point, and whether the line is open at some point in it.
func coverOver(r rota.Rota, from, to time.Time, oncall bool) cover {
	c := cover{least: -1}
	seen := map[string]bool{}
	for at := from; at.Before(to); at = at.Add(step) {
		vols := r.OnShiftAt(at)
		if oncall {
			vols = r.OnCallAt(at)
		}
		n := 0
		for _, v := range vols {
			if v.Active {
				n++
			}
			if !seen[v.ID] {
				seen[v.ID] = true
				c.names = append(c.names, clean(v.Name)+map[bool]string{true: "", false: " (paused)"}[v.Active])
			}
		}
		if c.least < 0 || n < c.least {
			c.least = n
		}
		c.open = c.open || r.Open(at)
	}
	return c
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

// at returns the instant of clock c on day's date (c may be 24:00).
func at(day time.Time, c rota.Clock) time.Time {
	return time.Date(day.Year(), day.Month(), day.Day(), int(c)/60, int(c)%60, 0, 0, day.Location())
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
		from, until := nightOf(r.Hours, day)
		allDay := ""
		if why := r.Hours.AllDay(day.Format(rota.DateLayout)); why != "" {
			allDay = " (open all day: " + why + ")"
		}
		fmt.Fprintf(t.out, "%s night%s, %s to %s (%s time):\n\n", day.Format("Mon 2 Jan"), allDay, from.Format("15:04"),
			until.Format("Mon 15:04"), t.cfg.Location)
		tw := tabwriter.NewWriter(t.out, 0, 0, 2, ' ', 0)
		fmt.Fprintln(tw, "HOUR\tON SHIFT\tON CALL\t")
		gaps := 0
		for h := from; h.Before(until); h = h.Add(time.Hour) {
			c, oc := coverOver(r, h, h.Add(time.Hour), false), coverOver(r, h, h.Add(time.Hour), true)
			note := warning(c)
			if note != "" && c.least == 0 {
				gaps++
			}
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", h.Format("15:04"), orDash(strings.Join(c.names, ", ")),
				orDash(strings.Join(oc.names, ", ")), note)
		}
		if err := tw.Flush(); err != nil {
			return err
		}
		if gaps > 0 {
			fmt.Fprintf(t.out, "\n%d hour(s) have a gap. Fill them with shift add, shift cover or shift swap.\n", gaps)
		}
		return nil
	}
}

// nightOf returns the stretch tonight shows for day: from the weekday opening time to the next
// morning's closing time, or, on a day open all day, from that morning's closing time to the next.
func nightOf(h rota.Hours, day time.Time) (from, until time.Time) {
	from, until = at(day, h.WeekdayFrom), at(day, h.WeekdayUntil)
	if h.AllDay(day.Format(rota.DateLayout)) != "" {
		from = at(day, h.WeekdayUntil)
	}
	if !until.After(from) {
		until = at(day.AddDate(0, 0, 1), h.WeekdayUntil)
	}
	return from, until
}

// warning flags an hour with no cover or only one volunteer while the line is open.
func warning(c cover) string {
	switch {
	case !c.open:
		return "closed"
	case c.least == 0:
		return "GAP: nobody on"
	case c.least == 1:
		return "only one on"
	}
	return ""
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
				start := at(first.AddDate(0, 0, d), rota.Clock(h*60))
				fmt.Fprintf(tw, "%s\t", cell(coverOver(r, start, start.Add(time.Hour), false)))
			}
			fmt.Fprintln(tw)
		}
		if err := tw.Flush(); err != nil {
			return err
		}
		fmt.Fprintf(t.out, "\nEach cell: fewest volunteers on shift in that hour (%s time). 0! no cover while open;\n"+
			". closed and nobody on (a number in closed hours is cover the line does not need).\n", t.cfg.Location)
		return nil
	}
}

func cell(c cover) string {
	switch {
	case c.least == 0 && c.open:
		return "0!"
	case c.least == 0:
		return "."
	}
	return fmt.Sprint(c.least)
}

func gaps(fs *flag.FlagSet) action {
	days := fs.Int("days", 14, "how many days ahead to look (1 to 90)")
	return func(ctx context.Context, t *tool, _ []string) error {
		if *days < 1 || *days > 90 {
			return fmt.Errorf("-days %d: give 1 to 90", *days)
		}
		r, err := t.store.Load(ctx)
		if err != nil {
			return err
		}
		from := t.now().In(t.cfg.Location).Truncate(step)
		found := uncovered(r, from, from.AddDate(0, 0, *days))
		if len(found) == 0 {
			fmt.Fprintf(t.out, "No gaps: someone is on shift through all open hours in the next %d days.\n", *days)
			return nil
		}
		fmt.Fprintf(t.out, "Open hours with nobody on shift in the next %d days (%s time):\n\n", *days, t.cfg.Location)
		total := time.Duration(0)
		for _, g := range found {
			total += g[1].Sub(g[0])
			fmt.Fprintf(t.out, "  %s to %s  (%s)\n", g[0].Format("Mon _2 Jan 15:04"), g[1].Format("Mon _2 Jan 15:04"),
				hoursText(g[1].Sub(g[0])))
		}
		fmt.Fprintf(t.out, "\n%d gap(s), %s in all. People who text then get only the fallback signpost.\n", len(found), hoursText(total))
		return nil
	}
}

// uncovered returns the stretches of open time in [from, to) with no active volunteer on shift.
func uncovered(r rota.Rota, from, to time.Time) [][2]time.Time {
	var out [][2]time.Time
	var start time.Time
	for at := from; ; at = at.Add(step) {
		gap := at.Before(to) && r.Open(at) && coverOver(r, at, at.Add(time.Minute), false).least == 0
		switch {
		case gap && start.IsZero():
			start = at
		case !gap && !start.IsZero():
			out = append(out, [2]time.Time{start, at})
			start = time.Time{}
		}
		if !at.Before(to) {
			return out
		}
	}
}

// hoursText shows a duration as "2 hours" or "1 hour 30 minutes".
func hoursText(d time.Duration) string {
	h, m := int(d.Hours()), int(d.Minutes())%60
	plural := func(n int, unit string) string {
		if n == 1 {
			return "1 " + unit
		}
		return fmt.Sprintf("%d %ss", n, unit)
	}
	switch {
	case m == 0:
		return plural(h, "hour")
	case h == 0:
		return plural(m, "minute")
	}
	return plural(h, "hour") + " " + plural(m, "minute")
}
