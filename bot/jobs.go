package bot

import (
	"context"
	"errors"
	"fmt"

	"github.com/sirupsen/logrus"

	"peerline/commit"
	"peerline/due"
	"peerline/matcher"
	"peerline/rota"
	"peerline/templates"
)

// sweepSize bounds how many due items one sweep takes.
const sweepSize = 100

// RunDue is the cron job that keeps the line's promises: it claims the work that is due (escalation
// steps, check-ins, shift reminders) and does each item exactly once, however many instances sweep at
// the same moment. An item whose instance died is done by a later sweep, after its lease. It returns
// how many items it finished.
func (bt *Bot) RunDue(ctx context.Context) (int, error) {
	items, err := bt.due.Claim(ctx, bt.now(), sweepSize, bt.opt.Lease)
	if err != nil {
		return 0, err
	}
	n := 0
	for _, it := range items {
		if err := bt.runItem(ctx, it); err != nil {
			bt.log.WithError(err).WithFields(logrus.Fields{"job": it.Kind}).Error("due work failed; it will be tried again")
			continue
		}
		n++
	}
	return n, nil
}

// runItem does one due item: its effects and its Done are one commit, decided again if state moved.
func (bt *Bot) runItem(ctx context.Context, it due.Item) error {
	for range bt.retries {
		t := &turn{now: bt.now(), b: commit.New(), fields: logrus.Fields{"job": it.Kind}}
		done := bt.due.Done(t.b, it)
		if err := bt.doItem(ctx, t, it); err != nil {
			return fmt.Errorf("%s: %w", it.Kind, err)
		}
		failed, err := bt.apply.Apply(ctx, t.b)
		if err != nil {
			return fmt.Errorf("%s: %w", it.Kind, err)
		}
		switch failed {
		case 0:
			bt.log.WithFields(t.fields).Info(t.action)
			return nil
		case done:
			bt.log.WithFields(t.fields).Info("done by another instance")
			return nil
		}
	}
	return fmt.Errorf("%s: %w", it.Kind, ErrContended)
}

// doItem adds the effects of one due item to the turn.
func (bt *Bot) doItem(ctx context.Context, t *turn, it due.Item) error {
	r, err := bt.currentRota(ctx)
	if err != nil {
		return err
	}
	t.rota = r
	switch it.Kind {
	case jobWiden, jobPage, jobGiveUp:
		return bt.step(ctx, t, it)
	case jobCheckin:
		return bt.checkin(ctx, t, it)
	case jobRemind, jobOnNow:
		return bt.remind(t, it)
	}
	t.action = "unknown due work dropped"
	return nil
}

// currentRota returns the rota, from memory unless its version moved.
func (bt *Bot) currentRota(ctx context.Context) (rota.Rota, error) {
	pipe := bt.rdb.Pipeline()
	p := bt.rota.Queue(ctx, pipe)
	_, _ = pipe.Exec(ctx) // an empty rota has no version yet; Result reports real errors
	return p.Result(ctx)
}

// step does one escalation step of a request that may still be open.
func (bt *Bot) step(ctx context.Context, t *turn, it due.Item) error {
	code := it.Fields["code"]
	t.fields["request"] = code
	req, err := bt.match.Request(ctx, code)
	if errors.Is(err, matcher.ErrNotFound) || err == nil && req.Status != matcher.Open {
		t.action = it.Kind + ": nothing to do, the request moved on"
		return nil
	}
	if err != nil {
		return err
	}
	busy, err := bt.match.Busy(ctx)
	if err != nil {
		return err
	}
	t.match = matcher.State{Active: busy}
	switch it.Kind {
	case jobWiden:
		t.action = "widen"
		if fresh := notOffered(matcher.Eligible(t.rota, t.match, t.now), req); req.Tier == 1 && len(fresh) > 0 {
			return bt.widen(t, req, fresh)
		}
		bt.match.StillOpen(t.b, req)
		if req.Paged { // told already that a coordinator is being asked: no step back
			t.action = "widen: nothing to do, the coordinator was paged already"
			return nil
		}
		t.action = "still looking: nobody more to offer it to yet"
		return bt.send(t, req.Person, req.Channel, templates.PersonStillLooking{})
	case jobPage:
		oncall := t.rota.OnCallAt(t.now)
		if req.Paged || len(oncall) == 0 {
			bt.match.StillOpen(t.b, req)
			t.action = map[bool]string{true: "page: paged already", false: "page: nobody on call to page"}[req.Paged]
			return nil
		}
		t.action = "coordinator paged"
		return bt.page(t, req, oncall)
	}
	t.action = "nobody accepted in time: person signposted"
	bt.match.GiveUp(t.b, req, t.now)
	return bt.signpost(t, req)
}
