package bot

import (
	"context"
	"fmt"
	"strings"

	"github.com/sirupsen/logrus"

	"peerline/commit"
	"peerline/matcher"
	"peerline/rota"
	"peerline/templates"
)

// Dispatch offers waiting requests to the volunteers who are free and hold no offer to answer, as
// matcher.Plan decides: the most urgent and then the oldest first. It runs after every message that
// may free a volunteer or add a request (DONE, ON, PASS, ACCEPT, a new request...) and from cron every
// few seconds, which also catches a shift starting, a volunteer resumed by a coordinator, or an
// instance that stopped between a message and its dispatch. Its commit is guarded on what it read, so
// two volunteers coming free at once never get the same request by accident: one of the two dispatches
// is decided again. It returns how many offers it made.
func (bt *Bot) Dispatch(ctx context.Context) (int, error) {
	return bt.dispatch(ctx, nil, nil)
}

// dispatch is Dispatch, with freed: the volunteers a message just freed, who are offered the head of
// the queue even when it is held by its first few already (see matcher.PlanInput.Freed); and with t,
// when set, the turn of the message just committed, whose read of the live chats (if it made one) lets
// the first try check in one round trip whether anyone may be offered anything at all.
func (bt *Bot) dispatch(ctx context.Context, freed []string, t *turn) (int, error) {
	for i := range bt.retries {
		checked := false // the rota and live chats were just found as t read them
		if i == 0 && t != nil && t.match.ActiveRead {
			idle, err := bt.anyIdle(ctx, t)
			if err != nil || idle == 0 {
				return 0, err
			}
			checked = idle > 0
		}
		n, done, err := bt.dispatchOnce(ctx, freed, checked)
		if err != nil || done {
			return n, err
		}
	}
	return 0, fmt.Errorf("dispatch: %w", ErrContended)
}

// anyIdle reports whether dispatch may have an offer to make after turn t: whether something waits
// while a volunteer on shift and available is in no chat and holds no offer. It reads, in one round
// trip of one script, for the volunteers not in a chat as t read the live chats, their offers, provided
// neither the live chats nor the rota have changed since t read them. It returns the number of such
// volunteers with no offer (0: nothing to do), or -1 when the live chats or the rota changed (dispatch
// then reads the board and the rota).
func (bt *Bot) anyIdle(ctx context.Context, t *turn) (int, error) {
	if t.rotaVersion == "" {
		return -1, nil
	}
	now := bt.now()
	n, err := bt.match.QueueIdle(ctx, bt.rdb, t.rota.AvailableOnShiftAt(now), t.match.Active, t.match.ActiveVersion,
		now.Add(-bt.opt.LateAccept), bt.rota.VersionKey(), strings.TrimPrefix(t.rotaVersion, "v")).Int()
	if err != nil {
		return 0, fmt.Errorf("dispatch: count volunteers with no offer: %w", err)
	}
	return n, nil
}

// dispatchOnce reads the board, plans and commits the offers. With checked, the rota cached is the one
// just found current (anyIdle), so it is not read again: the commit's guard on its version holds the
// decision to it all the same.
func (bt *Bot) dispatchOnce(ctx context.Context, freed []string, checked bool) (int, bool, error) {
	r, version, ok := bt.rota.Cached()
	if !checked || !ok {
		var err error
		if r, err = bt.currentRota(ctx); err != nil {
			return 0, false, err
		}
		_, version, _ = bt.rota.Cached()
	}
	now := bt.now()
	// The volunteers' limits are read only for those who are not in a chat, and only when someone waits.
	board, err := bt.match.ReadBoard(ctx, r.AvailableOnShiftAt(now), now.Add(-bt.opt.LateAccept),
		func(ctx context.Context, vols []rota.Volunteer) ([]rota.Volunteer, error) {
			return bt.withRoom(ctx, vols, now)
		})
	if err != nil {
		return 0, false, err
	}
	free := board.Free
	plan := matcher.Plan(matcher.PlanInput{Board: board, Free: free, FirstOffers: bt.opt.FirstOffers, Now: now,
		LateEvery: bt.opt.OfferTimeout, Freed: freed})
	if len(plan) == 0 {
		return 0, true, nil
	}
	t := &turn{now: now, rota: r, b: commit.New(), fields: logrus.Fields{}}
	if err := bt.readWindows(ctx, t); err != nil {
		return 0, false, err
	}
	bt.rota.GuardVersion(t.b, version)
	bt.match.Dispatch(t.b, plan, board, now)
	for _, a := range plan {
		if err := bt.offer(t, a.Volunteer, a.Request); err != nil {
			return 0, false, err
		}
	}
	failed, err := bt.apply.Apply(ctx, t.b)
	if err != nil || failed != 0 {
		return 0, false, err
	}
	for _, a := range plan {
		bt.log.WithFields(logrus.Fields{"request": a.Request.Code, "volunteer": a.Volunteer.ID,
			"late": a.Request.Status == matcher.Unanswered}).Info("offered from the queue")
	}
	return len(plan), true, nil
}

// dispatchAfter runs Dispatch after turn t, a message or due item whose effects may owe someone an
// offer. A failure is logged, not returned: the message itself was handled, and the next cron sweep
// dispatches.
func (bt *Bot) dispatchAfter(ctx context.Context, t *turn) {
	if _, err := bt.dispatch(ctx, t.freed, t); err != nil {
		bt.log.WithError(err).Warn("dispatch after a message failed; the next sweep will do it")
	}
}

// next answers a volunteer's NEXT: they are offered the most urgent waiting request they may take,
// even beyond its first tier's limit, or reminded of it if they hold it already; with nobody waiting,
// the latest person signposted whom they may still take; else they hear that nobody is waiting.
func (bt *Bot) next(ctx context.Context, t *turn, v rota.Volunteer) error {
	if !bt.mayTake(t, v) {
		t.action = "next: not on shift or OFF"
		return bt.reply(t, templates.VolunteerNextOff{Off: !t.rota.Available(v.ID)})
	}
	rs, err := bt.rooms(ctx, []rota.Volunteer{v}, t.now)
	if err != nil {
		return err
	}
	if r := rs[v.ID]; !r.ok && r.why != "rest" { // asking for the next person ends a rest early
		t.action = "next: at their limit"
		return bt.reply(t, templates.VolunteerNextOff{Done: resting(r, t.rota.Location())})
	}
	queue, err := bt.match.Queued(ctx, t.now.Add(-bt.opt.LateAccept))
	if err != nil {
		return err
	}
	passed := ""
	for _, req := range queue {
		if req.PassedBy[v.ID] {
			if req.Status == matcher.Open && passed == "" {
				passed = req.Code
			}
			continue
		}
		t.fields["request"] = req.Code
		if req.Holders[v.ID] {
			t.action = "next: offer sent again"
			return bt.offer(t, v, req)
		}
		t.action = "next: offered"
		bt.match.Offer(t.b, req, []rota.Volunteer{v}, t.now)
		return bt.offer(t, v, req)
	}
	t.action = "next: nobody waiting"
	return bt.reply(t, templates.VolunteerNextNone{Passed: passed})
}
