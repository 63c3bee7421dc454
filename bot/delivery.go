package bot

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/sirupsen/logrus"

	"peerline/commit"
	"peerline/matcher"
	"peerline/outbox"
)

// Status acts on Twilio's delivery status of a message the line sent: an offer that could not be
// delivered (undelivered or failed) counts as a pass at once, so the request moves on without waiting
// for a volunteer who will never see it. Other statuses change nothing. A repeated callback passes once.
func (bt *Bot) Status(ctx context.Context, sid, status string) error {
	bt.obs.Handled(KindStatus)
	if status != "undelivered" && status != "failed" {
		return nil
	}
	ref, ok, err := bt.out.Ref(ctx, sid)
	if err != nil || !ok {
		return err // a message with no reference (not an offer) needs nothing
	}
	return bt.offerNotDelivered(ctx, ref, sid)
}

// SendFailed acts on a message Twilio refused for good when it was sent (the outbox calls it once the
// message is in its dead letters): an offer counts as a pass, once, as an undelivered one does, and
// error 21610 (the recipient opted out at Twilio) counts as their STOP, so nothing more is queued to
// them.
func (bt *Bot) SendFailed(ctx context.Context, m outbox.Message, code int) error {
	if code == outbox.CodeOptedOut {
		in := Inbound{MessageSID: "optout-" + m.ID, From: m.To, Channel: m.Channel, OptOutType: "STOP"}
		if err := bt.Handle(ctx, in); err != nil {
			return fmt.Errorf("record an opt-out Twilio reported: %w", err)
		}
	}
	return bt.offerNotDelivered(ctx, m.Ref, m.ID)
}

// offerNotDelivered counts an offer (ref "offer CODE ID") that never reached its volunteer as their
// pass; any other ref needs nothing. sid names the message in the log.
func (bt *Bot) offerNotDelivered(ctx context.Context, ref, sid string) error {
	kind, rest, _ := strings.Cut(ref, " ")
	code, id, _ := strings.Cut(rest, " ")
	if kind != "offer" || code == "" || id == "" {
		return nil
	}
	for range bt.retries {
		t := &turn{now: bt.now(), b: commit.New(), fields: logrus.Fields{"request": code, "volunteer": id, "message": sid}}
		done, err := bt.undelivered(ctx, t, code, id)
		if err != nil || done {
			return err
		}
		failed, err := bt.apply.Apply(ctx, t.b)
		if err != nil {
			return fmt.Errorf("offer %s not delivered: %w", code, err)
		}
		if failed == 0 {
			bt.log.WithFields(t.fields).Info(t.action)
			bt.observed(t, false)
			if t.dispatch {
				bt.dispatchAfter(ctx, t)
			}
			return nil
		}
	}
	return fmt.Errorf("offer %s not delivered: %w", code, ErrContended)
}

// undelivered adds to the turn the pass of volunteer id on request code; done is true when there is
// nothing to do (the request moved on, or the pass already counted).
func (bt *Bot) undelivered(ctx context.Context, t *turn, code, id string) (done bool, err error) {
	req, err := bt.match.Request(ctx, code)
	if errors.Is(err, matcher.ErrNotFound) || err == nil && req.Status != matcher.Open || err == nil && !req.Holders[id] {
		return true, nil
	}
	if err != nil {
		return false, err
	}
	if t.rota, err = bt.currentRota(ctx); err != nil {
		return false, err
	}
	if err := bt.readWindows(ctx, t); err != nil {
		return false, err
	}
	v, ok := t.rota.Volunteers[id]
	if !ok {
		return true, nil
	}
	held, err := bt.match.HasOffer(ctx, code, v.Phone)
	if err != nil || !held {
		return !held, err
	}
	busy, err := bt.match.Busy(ctx)
	if err != nil {
		return false, err
	}
	t.match = matcher.State{Active: busy}
	t.action = "offer not delivered: counted as a pass"
	return false, bt.release(ctx, t, req, v)
}
