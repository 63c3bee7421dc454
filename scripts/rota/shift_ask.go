package main

import (
	"context"
	"flag"
	"fmt"
	"strings"
	"time"

	"peerline/bot"
	"peerline/commit"
	"peerline/due"
	"peerline/rota"
)

var shiftAskCmd = command{
	name:     "shift ask",
	synopsis: "-date YYYY-MM-DD -start HH:MM -end HH:MM",
	summary:  `the line texts the volunteers who could cover a stretch: "Can you cover Thu 22:00-02:00? Reply COVER C4X2"`,
	details: "The service sends the asks within a minute (it must be running): to every active volunteer who is\n" +
		"not a coordinator, not on a shift then, and not on one that ends as it begins or begins as it ends.\n" +
		"The first to reply COVER and the code gets it as a one-off shift; the others hear it is covered, and\n" +
		"the coordinators hear who took it. The ask ends when the stretch begins. A stretch over 6 hours is cut\n" +
		"into parts, as the line's own asks are (at noon, then parts of at most 6 hours), each asked on its own.\n" +
		"An end before the start is the next day; an end equal to the start is refused, as for shift add.\n" +
		"The line also asks by itself each day at GAP_CHECK_AT about the gaps of the next 48 hours.",
	example:  "shift ask -date 2026-12-24 -start 22:00 -end 02:00",
	required: []string{"date", "start", "end"},
	setup:    shiftAsk,
}

func shiftAsk(fs *flag.FlagSet) action {
	date := fs.String("date", "", "the date the stretch starts, such as 2026-12-24")
	start := fs.String("start", "", "start time, such as 22:00")
	end := fs.String("end", "", "end time, such as 02:00 (before the start means the next day)")
	return func(ctx context.Context, t *tool, _ []string) error {
		sh, err := parseShift("", *date, *start, *end)
		if err != nil {
			return err
		}
		if err := sh.Normalize(); err != nil { // start = end: refused as by shift add, not taken as 24 hours
			return fmt.Errorf("ask %s %s-%s: %w", sh.Date, sh.Start, sh.End, err)
		}
		from, to := stretchOf(sh, t.cfg.Location)
		if !from.After(t.now()) {
			return fmt.Errorf("%s %s has begun; ask about a stretch that is still to come", sh.Date, sh.Start)
		}
		r, err := t.store.Load(ctx)
		if err != nil {
			return err
		}
		chunks := bot.AskChunks(from, to, t.cfg.Location)
		if len(chunks) > 1 {
			fmt.Fprintf(t.out, "%s %s-%s is over 6 hours, so it is asked in %d parts, as the line's own asks are:\n",
				from.Format("Mon 2 Jan"), sh.Start, sh.End, len(chunks))
		}
		b := commit.New()
		var lines, nobody []string
		for _, c := range chunks {
			when := fmt.Sprintf("%s %s-%s", c[0].In(t.cfg.Location).Format("Mon 2 Jan"),
				c[0].In(t.cfg.Location).Format("15:04"), c[1].In(t.cfg.Location).Format("15:04"))
			who := bot.MayCover(r, c[0], c[1])
			if len(who) == 0 {
				nobody = append(nobody, when)
				continue
			}
			due.New(t.rdb, t.cfg.Line).Schedule(b, bot.AskItem(c[0], c[1], t.now()))
			names := make([]string, len(who))
			for i, v := range who {
				names[i] = clean(v.Name)
			}
			lines = append(lines, fmt.Sprintf("The line will ask %s to cover %s within a minute: %s.\n",
				count(len(who), "volunteer"), when, strings.Join(names, ", ")))
		}
		if len(lines) == 0 {
			return fmt.Errorf("nobody could be asked about %s: every active volunteer is a coordinator, paused, or on "+
				"a shift then or just before or after it (see %s who -at ...)", strings.Join(nobody, ", "), prog)
		}
		if _, err := commit.NewApplier(t.rdb).Apply(ctx, b); err != nil {
			return fmt.Errorf("ask: %w", err)
		}
		fmt.Fprint(t.out, strings.Join(lines, ""))
		for _, when := range nobody {
			fmt.Fprintf(t.out, "Nobody could be asked about %s (see %s who -at ...).\n", when, prog)
		}
		fmt.Fprintln(t.out, "The first to reply COVER takes it; the coordinators get a text saying who.")
		return nil
	}
}

// stretchOf is the instants one dated shift runs, in the line's time zone.
func stretchOf(sh rota.Shift, loc *time.Location) (start, end time.Time) {
	d, _ := time.ParseInLocation(rota.DateLayout, sh.Date, loc)
	start = time.Date(d.Year(), d.Month(), d.Day(), int(sh.Start)/60, int(sh.Start)%60, 0, 0, loc)
	endDay := d
	if sh.End <= sh.Start {
		endDay = d.AddDate(0, 0, 1)
	}
	end = time.Date(endDay.Year(), endDay.Month(), endDay.Day(), int(sh.End)/60, int(sh.End)%60, 0, 0, loc)
	return start, end
}
