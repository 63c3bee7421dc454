package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"time"

	"peerline/rota"
)

var gapsCmd = command{
	name:     "gaps",
	synopsis: "[-days N]",
	summary:  "every stretch of open time in the coming days with nobody on shift, or nobody on call",
	details: "Lists every stretch of the line's open hours in the next -days days (from now) when no active\n" +
		"volunteer is on shift, and says where a coordinator is on call then (people who text are passed\n" +
		"to them) and where not (they get only the fallback signpost). Then it lists the stretches of open\n" +
		"hours with no coordinator on call, volunteers on shift or not: when nobody on shift answers a\n" +
		"request then, nobody is paged.",
	example: "gaps -days 14",
	setup:   gaps,
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
		from := t.now().In(t.cfg.Location).Truncate(time.Minute)
		found := r.Gaps(from, from.AddDate(0, 0, *days))
		if len(found) == 0 {
			fmt.Fprintf(t.out, "No gaps: someone is on shift and a coordinator on call through all open hours in the next %d days.\n", *days)
			return nil
		}
		within := fmt.Sprintf("in the next %d days (%s time)", *days, t.cfg.Location)
		printGaps(t.out, r, found, within)
		return nil
	}
}

// printGaps writes the gaps on shift, then those on call, each with a sentence on what they mean;
// within says over what time they were looked for, such as "in the next 14 days (Europe/London time)".
func printGaps(w io.Writer, r rota.Rota, found []rota.Gap, within string) {
	shift, call := rota.OfKind(found, rota.NoShift), rota.OfKind(found, rota.NoOnCall)
	if len(shift) == 0 {
		fmt.Fprintf(w, "No gaps on shift: someone is on shift through all open hours %s.\n", within)
	} else {
		fmt.Fprintf(w, "Open hours with nobody on shift %s:\n\n", within)
		bare, covered := 0, 0
		for _, g := range shift {
			note := ""
			if g.OnCall {
				covered++
				note = "  on call: " + names(r.Staffing(g.Start, g.End, true).Who)
			} else {
				bare++
			}
			fmt.Fprintf(w, "  %s%s\n", stretchText(g), note)
		}
		fmt.Fprintf(w, "\n%d gap(s), %s in all.", len(shift), hoursText(rota.Length(shift)))
		if covered > 0 {
			fmt.Fprint(w, " Where a coordinator is on call, people who text are passed to them.")
		}
		if bare > 0 {
			fmt.Fprint(w, " Where nobody is on call either, people who text get only the fallback signpost.")
		}
		fmt.Fprintln(w)
	}
	if len(call) == 0 {
		return
	}
	fmt.Fprintf(w, "\nOpen hours with nobody on call %s:\n\n", within)
	for _, g := range call {
		fmt.Fprintf(w, "  %s\n", stretchText(g))
	}
	fmt.Fprintf(w, "\n%d stretch(es), %s in all. Then, when nobody on shift answers a request, no coordinator is paged.\n",
		len(call), hoursText(rota.Length(call)))
}

// stretchText shows a gap as "Fri 27 Nov 02:00 to Fri 27 Nov 09:00  (7 hours)".
func stretchText(g rota.Gap) string {
	return fmt.Sprintf("%s to %s  (%s)", g.Start.Format("Mon _2 Jan 15:04"), g.End.Format("Mon _2 Jan 15:04"),
		hoursText(g.End.Sub(g.Start)))
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
