package main

import (
	"context"
	"flag"
	"fmt"
	"text/tabwriter"
	"time"

	"peerline/bot"
	"peerline/matcher"
	"peerline/rota"
)

var statusCmd = command{
	name:    "status",
	summary: "live: the queue, the chats going on, and who on shift is free, OFF or in a chat",
	details: "Shows the line right now: the queue of requests waiting for a volunteer, in the order they\n" +
		"are offered (urgent first, then the longest wait: code, how long the person has waited, how\n" +
		"many volunteers were offered it, hold its offer now, and passed), the conversations going on\n" +
		"(code, volunteer, how long since they accepted) and everyone on shift now: free, OFF, paused,\n" +
		"resting (after a chat, or at their limit for the night, the day or the week) or in a chat. Only codes, names and durations: never a phone number or anything anyone wrote. For\n" +
		"another time, or the on-call coordinator, see `who`.",
	example: "status",
	setup:   liveStatus,
}

func liveStatus(*flag.FlagSet) action {
	return func(ctx context.Context, t *tool, _ []string) error {
		r, err := t.store.Load(ctx)
		if err != nil {
			return err
		}
		live, err := t.match.Live(ctx)
		if err != nil {
			return err
		}
		now := t.now().In(t.cfg.Location)
		fmt.Fprintf(t.out, "The line at %s (%s time).\n", now.Format("Mon 2 Jan 15:04"), t.cfg.Location)
		if !r.Open(now) {
			fmt.Fprintln(t.out, "The line is closed now (see hours show): people who text get the daytime services.")
		}
		if err := printWaiting(t, live, now); err != nil {
			return err
		}
		if err := printChats(t, r, live.Chats, now); err != nil {
			return err
		}
		w := t.cfg.Limits
		resting, err := bot.Resting(ctx, t.match, bot.Options{NightChats: w.NightChats, RestAfterChat: w.Rest,
			DayChatTime: w.Day, WeekChatTime: w.Week}, r.OnShiftAt(now), now, t.cfg.Location)
		if err != nil {
			return err
		}
		if err := printShift(t, r, live.Chats, resting, now, r.Open(now)); err != nil {
			return err
		}
		return printOnCall(t, r, live.Chats, now)
	}
}

// printOnCall writes the coordinators on call now and whether each could be paged.
func printOnCall(t *tool, r rota.Rota, chats []matcher.Chat, now time.Time) error {
	oncall := r.OnCallAt(now)
	if len(oncall) == 0 {
		fmt.Fprintln(t.out, "\nNobody is on call now.")
		return nil
	}
	busy := map[string]string{}
	for _, c := range chats {
		busy[c.Volunteer] = c.Code
	}
	fmt.Fprintf(t.out, "\nOn call now (%d):\n\n", len(oncall))
	tw := tabwriter.NewWriter(t.out, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tNAME\tSTATE")
	for _, v := range oncall {
		fmt.Fprintf(tw, "%s\t%s\t%s\n", v.ID, clean(v.Name), liveState(r, v, busy[v.ID]))
	}
	return tw.Flush()
}

// printWaiting writes the queue: the requests nobody has accepted yet, in the order they are offered.
func printWaiting(t *tool, live matcher.Live, now time.Time) error {
	late := ""
	if live.Late > 0 {
		late = fmt.Sprintf("\n%d signposted in the last hour: a volunteer who comes free with nobody waiting is offered them.\n", live.Late)
	}
	if len(live.Waiting) == 0 {
		fmt.Fprintln(t.out, "\nNobody is waiting for a volunteer."+late)
		return nil
	}
	defer fmt.Fprint(t.out, late)
	longest, _ := live.Longest(now)
	fmt.Fprintf(t.out, "\nWaiting for a volunteer (%d, the longest for %s), in the order they are offered:\n\n",
		len(live.Waiting), span(longest))
	tw := tabwriter.NewWriter(t.out, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "CODE\tWAITING\tOFFERED\tHOLDING\tPASSED\t")
	for _, w := range live.Waiting {
		urgent := ""
		if w.Urgent {
			urgent = "urgent"
		}
		fmt.Fprintf(tw, "%s\t%s\t%d\t%d\t%d\t%s\n", clean(w.Code), span(now.Sub(w.Created)), w.Offered, w.Holding,
			w.Passes, urgent)
	}
	return tw.Flush()
}

// printChats writes the conversations going on, longest first.
func printChats(t *tool, r rota.Rota, chats []matcher.Chat, now time.Time) error {
	if len(chats) == 0 {
		fmt.Fprintln(t.out, "\nNo conversations going on.")
		return nil
	}
	fmt.Fprintf(t.out, "\nConversations going on (%d):\n\n", len(chats))
	tw := tabwriter.NewWriter(t.out, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "CODE\tVOLUNTEER\tFOR")
	for _, c := range chats {
		since := "?"
		if !c.Matched.IsZero() {
			since = span(now.Sub(c.Matched))
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\n", clean(c.Code), volunteerLabel(r, c.Volunteer), since)
	}
	return tw.Flush()
}

// printShift writes everyone on shift now and whether each can take a new request (when the line is open).
func printShift(t *tool, r rota.Rota, chats []matcher.Chat, resting map[string]string, now time.Time, open bool) error {
	on := r.OnShiftAt(now)
	switch {
	case len(on) == 0 && !open:
		fmt.Fprintln(t.out, "\nNobody is on shift now.")
		return nil
	case len(on) == 0 && len(r.OnCallAt(now)) == 0:
		fmt.Fprintln(t.out, "\nNobody is on shift or on call now: people who text get the fallback signpost.")
		return nil
	case len(on) == 0:
		fmt.Fprintln(t.out, "\nNobody is on shift now: people who text are passed to the coordinator on call.")
		return nil
	}
	busy := map[string]string{}
	for _, c := range chats {
		busy[c.Volunteer] = c.Code
	}
	fmt.Fprintf(t.out, "\nOn shift now (%d):\n\n", len(on))
	tw := tabwriter.NewWriter(t.out, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tNAME\tSTATE")
	free := 0
	for _, v := range on {
		state := liveState(r, v, busy[v.ID])
		if state == "free" && resting[v.ID] != "" {
			state = "resting " + resting[v.ID]
		}
		if state == "free" {
			free++
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\n", v.ID, clean(v.Name), state)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	switch {
	case !open:
		fmt.Fprintf(t.out, "\n%d of %d on shift could take a request, but the line is closed now.\n", free, len(on))
	case free == 0:
		fmt.Fprintln(t.out, "\nNobody on shift is free now: people who text wait in the queue for the first to finish.")
	default:
		fmt.Fprintf(t.out, "\n%d of %d on shift free now.\n", free, len(on))
	}
	return nil
}

// liveState says whether volunteer v is free to take a request now; chat is the code of the chat they
// are in.
func liveState(r rota.Rota, v rota.Volunteer, chat string) string {
	switch {
	case chat != "":
		return "in a chat: " + clean(chat)
	case !v.Active:
		return "paused"
	case r.Off[v.ID]:
		return "OFF"
	}
	return "free"
}

// span shows a duration the way coordinators read it: "45s", "12m 05s", "3h 07m", "2d 04h".
func span(d time.Duration) string {
	d = max(d, 0)
	s := int(d / time.Second)
	switch {
	case d < time.Minute:
		return fmt.Sprintf("%ds", s)
	case d < time.Hour:
		return fmt.Sprintf("%dm %02ds", s/60, s%60)
	case d < 24*time.Hour:
		return fmt.Sprintf("%dh %02dm", s/3600, s/60%60)
	}
	return fmt.Sprintf("%dd %02dh", s/86400, s/3600%24)
}
