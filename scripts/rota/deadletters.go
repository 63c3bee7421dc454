package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"text/tabwriter"

	"github.com/sirupsen/logrus"

	"peerline/outbox"
)

var deadListCmd = command{
	name:    "deadletters list",
	summary: "texts Twilio refused for good (opted out, not a valid number...), newest first",
	details: "Lists the texts the line could not send because Twilio refused them for good, newest first:\n" +
		"the ID to retry or clear one with, when it failed (in the line's time zone), what kind of text it\n" +
		"was (its template), Twilio's error code in plain words, SMS or WhatsApp, the number with all but\n" +
		"its last three digits hidden, and whether it can be sent again. Texts that quoted someone's words\n" +
		"(relays, the connect texts) are kept without their words, so they cannot be sent again. What\n" +
		"anyone wrote is never shown. Each failed text is removed by itself after a week (the service's\n" +
		"setting), and only the latest thousand are kept.",
	example: "deadletters list",
	setup:   deadList,
}

var deadRetryCmd = command{
	name:     "deadletters retry",
	synopsis: "ID",
	summary:  "send a failed text again, to the same number, once the cause is put right",
	details: "Puts the failed text back in the line's outbox and takes it off the list; the running service\n" +
		"sends it within seconds, to the same number. If Twilio refuses it again, it comes back to the\n" +
		"list with a new ID. A text that quoted someone's words was not kept and cannot be sent again.",
	example: "deadletters retry k7m2qx",
	arg:     "the failed text's ID (see deadletters list)",
	setup:   deadRetry,
}

var deadClearCmd = command{
	name:     "deadletters clear",
	synopsis: "ID|all [-yes]",
	summary:  "take a failed text, or all of them, off the list (asks first)",
	details: "Removes one failed text from the list, or every one with `all`. It asks before removing unless\n" +
		"-yes is given. Nothing is sent.",
	example: "deadletters clear all -yes",
	arg:     "the failed text's ID (see deadletters list), or all",
	setup:   deadClear,
}

// openOutbox returns the line's outbox, for its dead letters only (it sends nothing), on the tool's
// Redis connection, and a func to call when done with it (there is nothing to close today).
func openOutbox(t *tool) (*outbox.Outbox, func()) {
	log := logrus.New()
	log.SetOutput(io.Discard)
	return outbox.New(t.rdb, t.cfg.Line, nil, log, t.now, outbox.Options{}), func() {}
}

func deadList(*flag.FlagSet) action {
	return func(ctx context.Context, t *tool, _ []string) error {
		box, done := openOutbox(t)
		defer done()
		dead, err := box.DeadLetters(ctx)
		if err != nil {
			return err
		}
		if len(dead) == 0 {
			fmt.Fprintln(t.out, "No failed texts.")
			return nil
		}
		fmt.Fprintf(t.out, "Texts Twilio refused for good (%d), newest first:\n\n", len(dead))
		tw := tabwriter.NewWriter(t.out, 0, 0, 2, ' ', 0)
		fmt.Fprintln(tw, "ID\tWHEN\tKIND\tCODE\tCHANNEL\tTO\tRETRY")
		for _, d := range dead {
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\n", d.ID, d.At.In(t.cfg.Location).Format("Mon 2 Jan 15:04"),
				clean(d.Kind), d.Meaning(), d.Channel, d.MaskedTo, yesNoText(d.Retryable))
		}
		if err := tw.Flush(); err != nil {
			return err
		}
		fmt.Fprintf(t.out, "\nTo send one again: %s deadletters retry ID (RETRY no: it quoted someone's words, which are not kept).\n", prog)
		return nil
	}
}

// findDead returns the dead letter id from the list, or an error pointing at the list.
func findDead(ctx context.Context, box *outbox.Outbox, id string) (outbox.DeadLetter, error) {
	dead, err := box.DeadLetters(ctx)
	if err != nil {
		return outbox.DeadLetter{}, err
	}
	for _, d := range dead {
		if d.ID == id {
			return d, nil
		}
	}
	return outbox.DeadLetter{}, notFound("failed text", id, "deadletters list")
}

// describeDead shows a dead letter as "volunteer_offer to **********102 by sms".
func describeDead(d outbox.DeadLetter) string {
	return fmt.Sprintf("%s to %s by %s", clean(d.Kind), d.MaskedTo, d.Channel)
}

func deadRetry(*flag.FlagSet) action {
	return func(ctx context.Context, t *tool, args []string) error {
		box, done := openOutbox(t)
		defer done()
		d, err := findDead(ctx, box, normID(args[0]))
		if err != nil {
			return err
		}
		if !d.Retryable {
			return fmt.Errorf("%s (%s) cannot be sent again: it quoted someone's words, which the line does not keep; "+
				"clear it with `%s deadletters clear %s`", d.ID, describeDead(d), prog, d.ID)
		}
		switch err := box.Retry(ctx, d.ID); {
		case errors.Is(err, outbox.ErrNotFound):
			return notFound("failed text", d.ID, "deadletters list")
		case err != nil:
			return err
		}
		fmt.Fprintf(t.out, "Queued %s (%s) again: the service's outbox sends it within seconds.\n", d.ID, describeDead(d))
		fmt.Fprintln(t.out, "If Twilio refuses it again, it comes back to the list with a new ID.")
		if d.Code == outbox.CodeOptedOut {
			fmt.Fprintln(t.out, "It failed as opted out: Twilio refuses it again until they text START to the line.")
		}
		return nil
	}
}

func deadClear(fs *flag.FlagSet) action {
	yes := fs.Bool("yes", false, "clear without asking first")
	return func(ctx context.Context, t *tool, args []string) error {
		box, done := openOutbox(t)
		defer done()
		id := normID(args[0])
		if id == "all" {
			return clearAllDead(ctx, t, box, *yes)
		}
		d, err := findDead(ctx, box, id)
		if err != nil {
			return err
		}
		if !*yes && !t.confirm(fmt.Sprintf("Clear failed text %s (%s)? [y/N] ", d.ID, describeDead(d))) {
			fmt.Fprintf(t.out, "Kept %s; nothing was cleared.\n", d.ID)
			return nil
		}
		if err := box.Clear(ctx, d.ID); errors.Is(err, outbox.ErrNotFound) {
			return notFound("failed text", d.ID, "deadletters list")
		} else if err != nil {
			return err
		}
		fmt.Fprintf(t.out, "Cleared %s.\n", d.ID)
		return nil
	}
}

// clearAllDead clears every dead letter, asking first unless yes.
func clearAllDead(ctx context.Context, t *tool, box *outbox.Outbox, yes bool) error {
	dead, err := box.DeadLetters(ctx)
	if err != nil {
		return err
	}
	if len(dead) == 0 {
		fmt.Fprintln(t.out, "No failed texts.")
		return nil
	}
	if !yes && !t.confirm(fmt.Sprintf("Clear all %s? [y/N] ", failedTexts(len(dead)))) {
		fmt.Fprintln(t.out, "Kept them all; nothing was cleared.")
		return nil
	}
	n, err := box.ClearAll(ctx)
	if err != nil {
		return err
	}
	fmt.Fprintf(t.out, "Cleared %s.\n", failedTexts(n))
	return nil
}

// failedTexts is "1 failed text" or "3 failed texts".
func failedTexts(n int) string {
	if n == 1 {
		return "1 failed text"
	}
	return fmt.Sprintf("%d failed texts", n)
}

// yesNoText shows a yes/no fact in a table.
func yesNoText(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}
