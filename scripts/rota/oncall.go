package main

import (
	"context"
	"flag"
	"fmt"
	"strings"
	"text/tabwriter"
	"time"

	"peerline/phone"
)

// atLayout is how -at times are written.
const atLayout = "2006-01-02 15:04"

var oncallCmd = command{
	name:     "oncall",
	synopsis: `[-at "YYYY-MM-DD HH:MM"]`,
	summary:  "who is on shift now, or at a local time, and whether they are available",
	details: "Shows who is on shift now, or at the -at time in the line's time zone (LINE_TIMEZONE), and\n" +
		"whether each has texted ON or OFF. Only available volunteers on shift get offers; when there\n" +
		"are none, people who text get the fallback signpost. Phone numbers are shown masked.",
	example: `oncall -at "2026-12-24 23:00"`,
	setup:   oncall,
}

func oncall(fs *flag.FlagSet) action {
	at := fs.String("at", "", `local time to check, "YYYY-MM-DD HH:MM" (default now)`)
	return func(ctx context.Context, t *tool, _ []string) error {
		when, err := t.when(*at)
		if err != nil {
			return err
		}
		r, err := t.store.Load(ctx)
		if err != nil {
			return err
		}
		label := when.Format("Mon 2 Jan 15:04")
		on := r.OnShiftAt(when)
		if len(on) == 0 {
			fmt.Fprintf(t.out, "Nobody is on shift at %s. People who text will get the fallback signpost.\n", label)
			return nil
		}
		fmt.Fprintf(t.out, "On shift at %s (%s time):\n\n", label, t.cfg.Location)
		tw := tabwriter.NewWriter(t.out, 0, 0, 2, ' ', 0)
		fmt.Fprintln(tw, "ID\tNAME\tPHONE\tAVAILABLE")
		available := 0
		for _, v := range on {
			if r.Available(v.ID) {
				available++
			}
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", v.ID, clean(v.Name), phone.Masked(v.Phone), onOff(r.Available(v.ID)))
		}
		if err := tw.Flush(); err != nil {
			return err
		}
		fmt.Fprintln(t.out, "\n"+coverNote(available, len(on)))
		return nil
	}
}

// when reads an -at time in the line's time zone; no time means now.
func (t *tool) when(at string) (time.Time, error) {
	at = strings.TrimSpace(at)
	if at == "" {
		return t.now().In(t.cfg.Location), nil
	}
	when, err := time.ParseInLocation(atLayout, at, t.cfg.Location)
	if err != nil {
		return time.Time{}, fmt.Errorf("-at %q: want a local time such as \"2026-12-24 23:00\"", at)
	}
	return when, nil
}

// coverNote says what someone texting at that time gets, given how many on shift are available.
func coverNote(available, on int) string {
	const offered = "requests from people who text will be offered to %s (unless busy in a chat)."
	switch {
	case available == 0:
		return "Everyone on shift has texted OFF: people who text will get the fallback signpost."
	case available == on:
		return fmt.Sprintf("%d available: "+offered, available, "them")
	}
	return fmt.Sprintf("%d of %d available: "+offered, available, on, "the available ones")
}
