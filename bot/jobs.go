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
// the same moment. An item whose instance died is done by a later sweep, after its lease. Then it
// dispatches: whoever is free with no offer to answer is offered the next request in the queue (a
// shift that just started, a volunteer a coordinator resumed). It returns how many items it finished.
func (bt *Bot) RunDue(ctx context.Context) (int, error) {
	items, err := bt.due.Claim(ctx, bt.now(), sweepSize, bt.opt.Lease)
	if err != nil {
		return 0, err
	}
	n := 0
	for _, it := range items {
		bt.obs.DueLate(it.Kind, bt.now().Sub(it.At))
		if err := bt.runItem(ctx, it); err != nil {
			bt.log.WithError(err).WithFields(logrus.Fields{"job": it.Kind}).Error("due work failed; it will be tried again")
			continue
		}
		n++
	}
	if err := bt.match.PruneLate(ctx, bt.now().Add(-bt.opt.LateAccept)); err != nil {
		return n, err
	}
	if err := NewBlockList(bt.rdb, bt.line).Expire(ctx, bt.now()); err != nil {
		return n, err
	}
	if _, err := bt.closeIdleChats(ctx); err != nil {
		return n, err
	}
	if err := bt.match.TrimHistory(ctx); err != nil {
		return n, err
	}
	if err := bt.fb.Trim(ctx); err != nil {
		return n, err
	}
	if err := bt.sweepAsks(ctx); err != nil {
		return n, err
	}
	if err := bt.watchUncovered(ctx); err != nil {
		return n, err
	}
	if _, err := bt.Dispatch(ctx); err != nil {
		return n, err
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
			bt.observed(t, false)
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
	if err := bt.readWindows(ctx, t); err != nil {
		return err
	}
	switch it.Kind {
	case jobWiden, jobPage, jobGiveUp:
		return bt.step(ctx, t, it)
	case jobCheckin:
		return bt.checkin(ctx, t, it)
	case jobRemind, jobOnNow:
		return bt.remind(t, it)
	case jobConfirm:
		return bt.checkConfirmed(ctx, t, it)
	case jobGapCheck:
		return bt.gapCheck(ctx, t)
	case JobAsk:
		return bt.coordinatorAsk(ctx, t, it)
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

// step does one escalation step of a request that may still be waiting. The wider offer lifts the
// first tier's limit (the dispatch that ends the sweep then offers it to whoever is free with no
// offer to answer) and tells the person the search goes on; the page asks the next free on-call
// coordinator (a coordinator in a chat is told the line needs help instead); the give-up signposts the
// person, the request staying in the late list for a volunteer who comes free. A volunteer deciding on
// another person's offer is not sent this one too: they are offered the next as soon as they answer.
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
		return bt.widen(t, req)
	case jobPage:
		return bt.pageStep(ctx, t, req)
	}
	t.action = "nobody accepted in time: person signposted"
	return bt.giveUp(ctx, t, req)
}

// widen ends req's first tier; the person hears, once, that the search goes on (not after they were
// told a coordinator is being asked).
func (bt *Bot) widen(t *turn, req matcher.Request) error {
	t.action = "widen: anyone free may be offered it"
	t.steps = append(t.steps, StepWiden)
	if req.Tier == 1 {
		bt.match.Widen(t.b, req)
	} else {
		bt.match.StillOpen(t.b, req)
	}
	if bt.match.Tell(t.b, req, matcher.ToldStill) {
		return bt.send(t, req.Person, req.Channel, templates.PersonStillLooking{})
	}
	return nil
}

// pageStep pages the next free on-call coordinator about req; coordinators on call who are in a chat
// are told the line needs help (once in each chat of theirs).
func (bt *Bot) pageStep(ctx context.Context, t *turn, req matcher.Request) error {
	t.action = "page"
	bt.match.StillOpen(t.b, req)
	if done, err := bt.pageNext(ctx, t, req); done || err != nil {
		return err
	}
	oncall := t.rota.OnCallAt(t.now)
	inChat := false
	for _, c := range available(t.rota, oncall) {
		if !req.OfferedTo[c.ID] && !req.PassedBy[c.ID] {
			inChat = true // free coordinators were returned above: this one is in a chat
		}
	}
	if !inChat {
		t.action += "; every coordinator on call has been asked"
		return nil
	}
	bt.pageLater(t, req) // the coordinator may finish their chat in time
	if req.BusyTold {
		t.action += "; the coordinator on call is in a chat: tried again later"
		return nil
	}
	live, err := bt.match.Live(ctx)
	if err != nil {
		return err
	}
	longest, _ := live.Longest(t.now)
	bt.match.BusyTold(t.b, req)
	t.action += "; the coordinator on call is in a chat: told the line needs help, tried again later"
	return bt.tellBusyCoordinators(ctx, t, oncall, len(live.Waiting), waitedText(longest))
}
