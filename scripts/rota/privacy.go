package main

import (
	"context"
	"flag"
	"fmt"
	"text/tabwriter"

	"peerline/bot"
	"peerline/phone"
)

var forgetCmd = command{
	name:     "forget",
	synopsis: "-phone NUMBER [-yes]",
	summary:  "erase everything the line holds about one person's number (asks first)",
	details: "Erases everything the line holds about a person's number, for a request to be forgotten (UK GDPR\n" +
		"erasure): their state, their requests and what they wrote while waiting, a chat they are in (it\n" +
		"ends on both sides, and nobody is texted), a block, their counters, a booked check-in and texts to\n" +
		"them that could not be sent. It shows what it found and asks first, unless -yes is given. The\n" +
		"report history keeps its events: they hold request codes and times, never a number. A\n" +
		"volunteer's number is refused: remove the volunteer instead (volunteer remove).",
	example:  `forget -phone "07700 900123"`,
	required: []string{"phone"},
	setup:    forget,
}

func forget(fs *flag.FlagSet) action {
	number := fs.String("phone", "", "the person's number, in any UK or international format")
	yes := fs.Bool("yes", false, "do not ask first")
	return func(ctx context.Context, t *tool, _ []string) error {
		n, err := phone.Parse(*number, t.cfg.Region)
		if err != nil {
			return fmt.Errorf("-phone %q: %w", *number, err)
		}
		r, err := t.store.Load(ctx)
		if err != nil {
			return err
		}
		if v, ok := r.ByPhone(n); ok {
			return fmt.Errorf("%s belongs to volunteer %s (%s): remove them with `volunteer remove %s`", phone.Masked(n), v.Name, v.ID, v.ID)
		}
		erase := bot.NewErasure(t.rdb, t.cfg.Line)
		found, err := erase.Forget(ctx, n, true)
		if err != nil {
			return err
		}
		reqs, err := t.match.ForgetPerson(ctx, n, true)
		if err != nil {
			return err
		}
		fmt.Fprintf(t.out, "The line holds about %s:\n", phone.Masked(n))
		printErased(t, found, reqs, -1)
		if !*yes && !t.confirm("Erase all of it? [y/N] ") {
			fmt.Fprintln(t.out, "Nothing was erased.")
			return nil
		}
		if found, err = erase.Forget(ctx, n, false); err != nil {
			return err
		}
		if reqs, err = t.match.ForgetPerson(ctx, n, false); err != nil {
			return err
		}
		box, done := openOutbox(t)
		defer done()
		dead, err := box.ForgetNumber(ctx, n)
		if err != nil {
			return err
		}
		fmt.Fprintf(t.out, "Erased, about %s:\n", phone.Masked(n))
		printErased(t, found, reqs, dead)
		return nil
	}
}

// printErased writes what forget found or erased; dead is -1 when the failed texts were not counted.
func printErased(t *tool, e bot.Erased, requests, dead int) {
	yes := map[bool]string{true: "yes", false: "no"}
	tw := tabwriter.NewWriter(t.out, 0, 0, 2, ' ', 0)
	fmt.Fprintf(tw, "  its state (channel, request, opt-out...)\t%s\n", yes[e.State])
	fmt.Fprintf(tw, "  a chat going on (ends on both sides, nobody is texted)\t%s\n", yes[e.InChat])
	fmt.Fprintf(tw, "  requests, with what they wrote while waiting\t%d\n", requests)
	fmt.Fprintf(tw, "  a block by a volunteer\t%s\n", yes[e.Blocked])
	fmt.Fprintf(tw, "  counters (texts a minute, requests in 48 hours)\t%d\n", e.Counters)
	fmt.Fprintf(tw, "  a check-in booked\t%s\n", yes[e.Checkin])
	if dead >= 0 {
		fmt.Fprintf(tw, "  texts to it that could not be sent\t%d\n", dead)
	} else {
		fmt.Fprintf(tw, "  texts to it that could not be sent\t(erased too)\n")
	}
	_ = tw.Flush()
}

var blocksListCmd = command{
	name:    "blocks list",
	summary: "people a volunteer blocked, and until when",
	details: "Lists the people a volunteer blocked with BLOCK in a chat: their texts get a neutral answer (and the\n" +
		"crisis numbers when they are at risk) and never reach a volunteer until the block ends. Shown: the\n" +
		"chat's code, the volunteer, since and until when (the line's time zone), and the number with all\n" +
		"but its last three digits hidden. Lift one with `blocks lift CODE`.",
	example: "blocks list",
	setup:   blocksList,
}

var blocksLiftCmd = command{
	name:     "blocks lift",
	synopsis: "CODE",
	summary:  "lift a block now, by the chat's code",
	details:  "Ends a block now: the person's next text reaches the line as anyone's does.",
	example:  "blocks lift R7K3",
	arg:      "the code of the chat in which the person was blocked (see blocks list)",
	setup:    blocksLift,
}

func blocksList(*flag.FlagSet) action {
	return func(ctx context.Context, t *tool, _ []string) error {
		blocks, err := bot.NewBlockList(t.rdb, t.cfg.Line).List(ctx, t.now())
		if err != nil {
			return err
		}
		if len(blocks) == 0 {
			fmt.Fprintln(t.out, "Nobody is blocked.")
			return nil
		}
		r, err := t.store.Load(ctx)
		if err != nil {
			return err
		}
		tw := tabwriter.NewWriter(t.out, 0, 0, 2, ' ', 0)
		fmt.Fprintln(tw, "CODE\tBY\tSINCE\tUNTIL\tNUMBER")
		for _, b := range blocks {
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", clean(b.Code), volunteerLabel(r, b.Volunteer),
				b.Since.In(t.cfg.Location).Format("Mon 2 Jan 15:04"), b.Until.In(t.cfg.Location).Format("Mon 2 Jan 15:04"), b.Masked)
		}
		return tw.Flush()
	}
}

func blocksLift(*flag.FlagSet) action {
	return func(ctx context.Context, t *tool, args []string) error {
		l := bot.NewBlockList(t.rdb, t.cfg.Line)
		blocks, err := l.List(ctx, t.now())
		if err != nil {
			return err
		}
		code := normID(args[0])
		for _, b := range blocks {
			if normID(b.Code) == code {
				if err := l.Lift(ctx, b.Number); err != nil {
					return err
				}
				fmt.Fprintf(t.out, "Lifted the block from chat %s: their next text reaches the line as anyone's does.\n", clean(b.Code))
				return nil
			}
		}
		return notFound("block", args[0], "blocks list")
	}
}
