package main

import (
	"context"
	"flag"
	"fmt"
	"strings"
	"text/tabwriter"
	"time"

	"peerline/bot"
	"peerline/phone"
	"peerline/rota"
)

// atLayout is how -at times are written.
const atLayout = "2006-01-02 15:04"

var whoCmd = command{
	name:     "who",
	synopsis: `[-at "YYYY-MM-DD HH:MM"]`,
	summary:  "who is on shift and on call now, or at a local time, and whether the line is open",
	details: "Shows who is on shift now, or at the -at time in the line's time zone (LINE_TIMEZONE), whether\n" +
		"each has texted ON or OFF or is paused, and which coordinator is on call. Only available\n" +
		"volunteers on shift get offers; when there are none, people who text get the fallback signpost.\n" +
		"Phone numbers are shown masked.",
	example: `who -at "2026-12-24 23:00"`,
	setup:   who,
}

func who(fs *flag.FlagSet) action {
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
		open := r.Open(when)
		if !open {
			fmt.Fprintf(t.out, "The line is closed at %s (see hours show): people who text get the daytime services.\n\n", label)
		}
		var resting map[string]string
		if strings.TrimSpace(*at) == "" { // now: the line's limits on each volunteer count too
			w := t.cfg.Limits
			resting, err = bot.Resting(ctx, t.match, bot.Options{NightChats: w.NightChats, RestAfterChat: w.Rest,
				DayChatTime: w.Day, WeekChatTime: w.Week}, r.OnShiftAt(when), when, t.cfg.Location)
			if err != nil {
				return err
			}
		}
		if err := printOnShift(t, r, when, label, open, resting); err != nil {
			return err
		}
		oncall := r.OnCallAt(when)
		if len(oncall) == 0 {
			fmt.Fprintln(t.out, "\nNo coordinator is on call then. "+addOnCallHint(r))
			return nil
		}
		fmt.Fprint(t.out, "\nOn call: ")
		for i, v := range oncall {
			if i > 0 {
				fmt.Fprint(t.out, ", ")
			}
			fmt.Fprintf(t.out, "%s %s", volunteerLabel(r, v.ID), phone.Masked(v.Phone))
		}
		fmt.Fprintln(t.out)
		return nil
	}
}

// addOnCallHint says how to put a coordinator on call, with a real coordinator's id if there is one.
func addOnCallHint(r rota.Rota) string {
	for _, v := range r.VolunteersByID() {
		if v.Coordinator {
			return fmt.Sprintf("Add one with:\n  %s shift add -oncall -volunteer %s -day fri -start 18:00 -end 09:00", prog, v.ID)
		}
	}
	return fmt.Sprintf("Only coordinators go on call, and there are none yet: make someone one with\n  %s volunteer edit ID -coordinator=true", prog)
}

// printOnShift writes the table of volunteers on shift at when; open says whether the line is open then;
// resting says who is resting now, and until when.
func printOnShift(t *tool, r rota.Rota, when time.Time, label string, open bool, resting map[string]string) error {
	on := r.OnShiftAt(when)
	switch {
	case len(on) == 0 && !open:
		fmt.Fprintf(t.out, "Nobody is on shift at %s.\n", label)
		return nil
	case len(on) == 0:
		fmt.Fprintf(t.out, "Nobody is on shift at %s. People who text will get the fallback signpost.\n", label)
		return nil
	}
	fmt.Fprintf(t.out, "On shift at %s (%s time):\n\n", label, t.cfg.Location)
	tw := tabwriter.NewWriter(t.out, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tNAME\tPHONE\tSTATUS")
	available, rests, limits := 0, 0, 0
	for _, v := range on {
		switch rest := resting[v.ID]; {
		case !r.Available(v.ID):
		case rest == "":
			available++
		case strings.HasPrefix(rest, "until "):
			rests++
		default:
			limits++
		}
		st := status(r, v)
		if rest := resting[v.ID]; rest != "" && r.Available(v.ID) {
			st += ", resting " + rest
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", v.ID, clean(v.Name), phone.Masked(v.Phone), st)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	if open {
		fmt.Fprintln(t.out, "\n"+coverNote(available, len(on), rests+limits))
	}
	if rests > 0 {
		fmt.Fprintf(t.out, "%s resting after a chat, for their wellbeing: offered requests again when the rest ends (or at once on their NEXT).\n",
			count(rests, "volunteer"))
	}
	if limits > 0 {
		fmt.Fprintf(t.out, "%s at their limit of chats for the night, day or week: not offered more until it passes, even on their NEXT.\n",
			count(limits, "volunteer"))
	}
	return nil
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

// coverNote says what someone texting at that time gets, given how many on shift are available (ON and
// not resting) and how many are ON but resting or at their limit.
func coverNote(available, on, resting int) string {
	const offered = "requests from people who text will be offered to %s (unless busy in a chat)."
	switch {
	case available == 0 && resting > 0:
		return "Nobody on shift can take a request now (resting, at their limit, OFF or paused): people who text wait in the queue, with the usual escalation (the coordinator on call paged, then the signpost)."
	case available == 0:
		return "Everyone on shift has texted OFF or is paused: people who text will get the fallback signpost."
	case available == on:
		return fmt.Sprintf("%d available: "+offered, available, "them")
	}
	return fmt.Sprintf("%d of %d available: "+offered, available, on, "the available ones")
}
