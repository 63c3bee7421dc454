package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"strings"
	"time"

	"peerline/rota"
)

var volunteerRemoveCmd = command{
	name:     "volunteer remove",
	synopsis: "ID|NAME [-yes] [-force]",
	summary:  "remove a volunteer and all their shifts (asks first)",
	details: "Removes the volunteer with all their shifts, the covers they do and the covers others do for\n" +
		"them. First it shows the open hours in the next 14 days that would be left with nobody on shift\n" +
		"(or nobody on call), then asks, unless -yes is given. The last coordinator with on-call shifts is\n" +
		"not removed without -force: nights would have nobody on call.",
	example: "volunteer remove v3",
	arg:     "the volunteer's id (such as v3) or first name",
	setup:   volunteerRemove,
}

func volunteerRemove(fs *flag.FlagSet) action {
	yes := fs.Bool("yes", false, "remove without asking first")
	force := fs.Bool("force", false, "remove the last coordinator with on-call shifts all the same")
	return func(ctx context.Context, t *tool, args []string) error {
		r, v, err := t.loadVolunteer(ctx, args[0])
		if err != nil {
			return err
		}
		id, who := v.ID, volunteerLabel(r, v.ID)
		if r.LastOnCall(id, t.today()) && !*force {
			return fmt.Errorf("%s is the last coordinator with on-call shifts: without them, nights would have nobody "+
				"on call, and nobody would be paged when no volunteer answers; put another coordinator on call first "+
				"(%s shift add -oncall -volunteer ID -day fri -start 17:00 -end 09:00), or add -force to remove them all the same",
				who, prog)
		}
		goes := leavingText(r, id)
		from := t.now().In(t.cfg.Location).Truncate(time.Minute)
		printOpened(t, who, r.GapsWithout(id, from, from.AddDate(0, 0, removeLooksAhead)))
		if !*yes && !t.confirm(fmt.Sprintf("Remove %s%s? [y/N] ", who, goes)) {
			fmt.Fprintf(t.out, "Kept %s; nothing was removed.\n", who)
			return nil
		}
		if _, err := t.store.RemoveVolunteer(ctx, id); errors.Is(err, rota.ErrNotFound) {
			return notFound("volunteer", id, "volunteer list")
		} else if err != nil {
			return err
		}
		fmt.Fprintf(t.out, "Removed %s%s.\n", who, goes)
		return nil
	}
}

// removeLooksAhead is how many days ahead volunteer remove looks for the gaps a removal would open.
const removeLooksAhead = 14

// leavingText says what goes with volunteer id (rota.Leaving): " and their 2 shifts", or with covers
// " and their 2 shifts, 1 cover they do and 1 cover others do for them"; "" for nothing.
func leavingText(r rota.Rota, id string) string {
	var own, by, of int
	for _, s := range r.Leaving(id) {
		switch {
		case s.CoverFor == id:
			of++
		case s.CoverFor != "":
			by++
		default:
			own++
		}
	}
	var parts []string
	if own > 0 {
		parts = append(parts, "their "+count(own, "shift"))
	}
	if by > 0 {
		parts = append(parts, count(by, "cover")+" they do")
	}
	if of > 0 {
		parts = append(parts, count(of, "cover")+" others do for them")
	}
	if len(parts) == 0 {
		return ""
	}
	return " and " + andList(parts)
}

// count is "1 shift" or "2 shifts".
func count(n int, thing string) string {
	if n == 1 {
		return "1 " + thing
	}
	return fmt.Sprintf("%d %ss", n, thing)
}

// printOpened warns of the gaps removing who would open.
func printOpened(t *tool, who string, opened []rota.Gap) {
	var lines [2][]string // nobody on shift, nobody on call
	for _, g := range opened {
		i := 0
		if g.Kind == rota.NoOnCall {
			i = 1
		}
		lines[i] = append(lines[i], "  "+stretchText(g))
	}
	if len(opened) == 0 {
		return
	}
	fmt.Fprintf(t.out, "Without %s, open hours in the next %d days (%s time) would have", who, removeLooksAhead, t.cfg.Location)
	for i, what := range []string{"nobody on shift", "nobody on call"} {
		if len(lines[i]) == 0 {
			continue
		}
		if i == 1 && len(lines[0]) > 0 {
			fmt.Fprint(t.out, "and")
		}
		fmt.Fprintf(t.out, " %s:\n%s\n", what, strings.Join(lines[i], "\n"))
	}
	fmt.Fprintln(t.out)
}
