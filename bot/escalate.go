package bot

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/redis/go-redis/v9"

	"peerline/due"
	"peerline/matcher"
	"peerline/phone"
	"peerline/rota"
	"peerline/templates"
)

// Kinds of due work the bot schedules.
const (
	jobWiden   = "widen"   // a request's first tier ends: anyone free may be offered it
	jobPage    = "page"    // an on-call coordinator is paged about a request (and the next, in turn, later)
	jobGiveUp  = "giveup"  // a request nobody took: the person gets the signpost
	jobCheckin = "checkin" // the morning after: a text to ask how the person is
	jobRemind  = "remind"  // a volunteer's shift starts soon
	jobOnNow   = "onnow"   // a volunteer's shift starts now
)

// stepID names a request's escalation step in the due queue.
func stepID(kind, code string) string { return kind + " " + code }

// scheduleSteps adds to the turn the escalation of a new request: widened after OfferTimeout, the
// coordinator paged after EscalateAfter, the signpost after GiveUpAfter.
func (bt *Bot) scheduleSteps(t *turn, req matcher.Request) {
	steps := []struct {
		kind  string
		after time.Duration
	}{{jobWiden, bt.opt.OfferTimeout}, {jobPage, bt.opt.EscalateAfter}, {jobGiveUp, bt.opt.GiveUpAfter}}
	items := make([]due.Item, len(steps))
	for i, s := range steps {
		items[i] = due.Item{ID: stepID(s.kind, req.Code), Kind: s.kind, At: req.Created.Add(s.after),
			Fields: map[string]string{"code": req.Code}}
	}
	bt.due.ScheduleAll(t.b, items...)
}

// cancelSteps adds to the turn the removal of a request's escalation steps that have not run.
func (bt *Bot) cancelSteps(t *turn, code string) {
	for _, kind := range []string{jobWiden, jobPage, jobGiveUp} {
		bt.due.Cancel(t.b, stepID(kind, code))
	}
}

// scheduleCheckin adds to the turn a check-in with the person of request code: at CheckinAt on the
// next morning at least 4 hours away, in the line's time zone. A person has one check-in at most: a
// later one replaces it.
func (bt *Bot) scheduleCheckin(t *turn, code, person string, ch phone.Channel) {
	bt.due.Schedule(t.b, due.Item{ID: stepID(jobCheckin, person), Kind: jobCheckin,
		At:     nextCheckin(t.now, bt.opt.CheckinAt, bt.rota.Location()),
		Fields: map[string]string{"code": code, "person": person, "channel": string(ch)}})
}

// nextCheckin returns the first time of day at (after local midnight) that is at least 4 hours after now.
func nextCheckin(now time.Time, at time.Duration, loc *time.Location) time.Time {
	local := now.In(loc)
	for d := 0; ; d++ {
		c := time.Date(local.Year(), local.Month(), local.Day()+d, int(at.Hours()), int(at.Minutes())%60, 0, 0, loc)
		if c.Sub(now) >= 4*time.Hour {
			return c
		}
	}
}

// nobodyHolds moves on a waiting request that nobody holds an offer of any more (the last holder
// passed). While someone on shift may still take it (free now, or in a chat and not passed on it yet)
// it waits in the queue, and dispatch offers it to whoever is free. When everyone on shift has passed
// on it, the next on-call coordinator is paged at once; with nobody left at all, the person gets the
// signpost at once.
func (bt *Bot) nobodyHolds(ctx context.Context, t *turn, req matcher.Request, passer rota.Volunteer) error {
	passed := func(id string) bool { return req.PassedBy[id] || id == passer.ID }
	if t.party.Conv != "" || t.party.Req != "" { // the sender's state read left the line's chats out
		busy, err := bt.match.Busy(ctx)
		if err != nil {
			return err
		}
		t.match.Active = busy
	}
	for _, v := range available(t.rota, t.rota.OnShiftAt(t.now)) {
		if !passed(v.ID) {
			t.dispatch = true
			return nil // someone may still take it: it waits in the queue
		}
	}
	t.action += "; everyone on shift passed"
	if done, err := bt.pageNext(ctx, t, req); done || err != nil {
		return err
	}
	for _, c := range available(t.rota, t.rota.OnCallAt(t.now)) {
		if !passed(c.ID) && !req.OfferedTo[c.ID] {
			t.action += "; everyone on shift passed, the coordinator is in a chat: paged when free"
			bt.pageLater(t, req)
			return nil
		}
	}
	t.action += "; everyone passed: person signposted"
	return bt.giveUp(ctx, t, req)
}

// freeCoordinators returns the coordinators of oncall who may be paged about req, in the order they
// are paged, one at a time: available, in no chat, deciding on no other page, and neither paged about
// req nor passed on it already. deciding reports whether a coordinator who could be paged later is
// deciding on another page now.
func (bt *Bot) freeCoordinators(ctx context.Context, t *turn, oncall []rota.Volunteer, req matcher.Request) (free []rota.Volunteer, deciding bool, err error) {
	var maybe []rota.Volunteer
	for _, c := range oncall {
		if t.rota.Available(c.ID) && t.match.Active[c.ID] == "" && !req.OfferedTo[c.ID] && !req.PassedBy[c.ID] {
			maybe = append(maybe, c)
		}
	}
	holding, err := bt.match.Holding(ctx, maybe)
	if err != nil {
		return nil, false, err
	}
	for _, c := range maybe {
		if holding[c.ID] == 0 {
			free = append(free, c)
		} else {
			deciding = true
		}
	}
	return free, deciding, nil
}

// pageNext pages the next free coordinator on call about req; when the only one who could be paged
// is deciding on another page, it tries again after OfferTimeout. It reports whether it did either.
func (bt *Bot) pageNext(ctx context.Context, t *turn, req matcher.Request) (bool, error) {
	free, deciding, err := bt.freeCoordinators(ctx, t, t.rota.OnCallAt(t.now), req)
	switch {
	case err != nil:
		return false, err
	case len(free) > 0:
		t.action += "; coordinator paged"
		return true, bt.page(t, req, free[0])
	case deciding:
		t.action += "; the coordinator is deciding on another page: paged after it"
		bt.pageLater(t, req)
		return true, nil
	}
	return false, nil
}

// pageLater schedules another try at paging a coordinator about req after OfferTimeout.
func (bt *Bot) pageLater(t *turn, req matcher.Request) {
	bt.due.Schedule(t.b, due.Item{ID: stepID(jobPage, req.Code), Kind: jobPage, At: t.now.Add(bt.opt.OfferTimeout),
		Fields: map[string]string{"code": req.Code}})
}

// page pages coordinator c about req and tells the person, once, that a coordinator is being asked.
func (bt *Bot) page(t *turn, req matcher.Request, c rota.Volunteer) error {
	if err := bt.pageOne(t, req, c); err != nil {
		return err
	}
	if bt.match.Tell(t.b, req, matcher.ToldCoordinator) {
		return bt.send(t, req.Person, req.Channel, templates.PersonCoordinatorAsked{})
	}
	return nil
}

// pageOne pages coordinator c about req: they are offered it with the code and how long the person
// has waited. The next coordinator on call is paged in turn after OfferTimeout, unless someone takes it
// first.
func (bt *Bot) pageOne(t *turn, req matcher.Request, c rota.Volunteer) error {
	bt.match.Page(t.b, req, []rota.Volunteer{c}, t.now)
	t.steps = append(t.steps, StepPage)
	bt.pageLater(t, req)
	t.fields["paged"] = c.ID
	m := templates.CoordinatorPage{Code: req.Code, Waited: waitedText(t.now.Sub(req.Created))}
	return bt.toStaff(t, c, m, 0, offerRef(req.Code, c.ID))
}

// tellBusyCoordinators tells the coordinators of oncall who are in a chat that the line needs help:
// waiting people, the longest for waited ("" when not known). They are not paged, since they cannot take another chat, and
// are told once in each chat of theirs, however many requests wait.
func (bt *Bot) tellBusyCoordinators(ctx context.Context, t *turn, oncall []rota.Volunteer, waiting int, waited string) error {
	for _, c := range oncall {
		conv := t.match.Active[c.ID]
		if !t.rota.Available(c.ID) || conv == "" {
			continue
		}
		k := bt.keys.party(c.Phone)
		told, err := bt.rdb.HGet(ctx, k, "helptold").Result()
		if err != nil && !errors.Is(err, redis.Nil) {
			return fmt.Errorf("read what coordinator %s was told: %w", c.ID, err)
		}
		if told == conv {
			continue
		}
		t.b.Field(k, "helptold", told)
		t.b.Do("HSET", k, "helptold", conv)
		m := templates.CoordinatorBusy{Waiting: waiting, Waited: waited}
		if err := bt.tell(t, c, m); err != nil {
			return err
		}
		t.action += "; coordinator in a chat told the line needs help"
	}
	return nil
}

// giveUp signposts the person of a waiting request: it leaves the queue for the late list (a
// volunteer who comes free may still take it, and those holding its offer keep it), the person gets
// the fallback signpost and their check-in is booked.
func (bt *Bot) giveUp(ctx context.Context, t *turn, req matcher.Request) error {
	bt.match.GiveUp(t.b, req, t.rota, t.now)
	t.steps = append(t.steps, StepGiveUp)
	pk := bt.keys.party(req.Person)
	t.b.Do("HDEL", pk, "req", "opened")
	t.b.Do("HSET", pk, "late", req.Code, "ended", t.now.UnixMilli())
	bt.cancelSteps(t, req.Code)
	bt.scheduleCheckin(t, req.Code, req.Person, req.Channel)
	m, err := bt.signpost(ctx, t)
	if err != nil {
		return err
	}
	return bt.send(t, req.Person, req.Channel, m)
}

// offerRef is the outbox reference of an offer, so that its status callback finds it.
func offerRef(code, volunteerID string) string { return "offer " + code + " " + volunteerID }
