package bot

import (
	"context"
	"errors"
	"strings"

	"peerline/matcher"
	"peerline/rota"
	"peerline/templates"
)

// fromVolunteer handles a text from someone on the rota.
func (bt *Bot) fromVolunteer(ctx context.Context, t *turn, v rota.Volunteer) error {
	cmd, code := parseCommand(t.in.Body)
	if t.party.Conv != "" {
		return bt.inChat(t, v, cmd)
	}
	switch cmd {
	case cmdAccept:
		return bt.accept(ctx, t, v, code)
	case cmdPass:
		return bt.pass(ctx, t, v, code)
	case cmdOn:
		bt.rota.SetAvailable(t.b, v.ID, true)
		t.action = "availability changed"
		return bt.reply(t, templates.VolunteerOn{})
	case cmdOff:
		t.action = "availability changed"
		if err := bt.goOff(ctx, t, v); err != nil {
			return err
		}
		return bt.reply(t, templates.VolunteerOff{Passed: len(t.match.Offers) > 0})
	case cmdOptOut: // Twilio stops delivering to them, so stop offering them requests
		t.action = "volunteer opted out: set off"
		return bt.goOff(ctx, t, v)
	case cmdStatus:
		return bt.status(t, v)
	case cmdOK:
		t.action = "debrief: ok"
		return bt.reply(t, templates.VolunteerDebriefOK{})
	case cmdTalk:
		return bt.askToTalk(t, v)
	}
	t.action = "menu sent"
	return bt.reply(t, templates.VolunteerMenu{})
}

// inChat handles a volunteer's text during a chat: DONE ends it, anything else goes to the person. A
// volunteer who opts out of texts (STOP) can no longer be reached, so their chat ends as with DONE and
// they are set OFF.
func (bt *Bot) inChat(t *turn, v rota.Volunteer, cmd command) error {
	p := t.party
	t.fields["request"] = p.Conv
	t.b.Field(bt.keys.party(t.in.From), "conv", p.Conv)
	switch {
	case cmd == cmdDone || cmd == cmdOptOut:
		bt.match.End(t.b, p.Conv, v.ID, t.now, p.Joined)
		bt.leaveChat(t, p.Conv, p.Peer, t.in.From)
		bt.scheduleCheckin(t, p.Conv, p.Peer, p.PeerCh)
		t.action = "chat closed by volunteer"
		if err := bt.send(t, p.Peer, p.PeerCh, templates.PersonClosed{Name: v.Name}); err != nil {
			return err
		}
		if cmd == cmdOptOut {
			bt.rota.SetAvailable(t.b, v.ID, false)
			t.action = "volunteer opted out: chat closed, set off"
			return nil
		}
		return bt.reply(t, templates.VolunteerClosed{Code: p.Conv})
	case cmd == cmdAccept && strings.HasPrefix(strings.ToUpper(strings.TrimSpace(t.in.Body)), "ACCEPT"):
		t.action = "busy volunteer tried to accept"
		return bt.reply(t, templates.VolunteerBusy{Code: p.Conv})
	}
	t.action = "relayed to person"
	t.b.Do("HSET", bt.keys.party(p.Peer), "peerch", string(t.in.Channel)) // the person's replies come back here
	return bt.send(t, p.Peer, p.PeerCh, templates.RelayToPerson{Name: v.Name, Body: t.in.Body})
}

// accept claims a request for v. Exactly one of any number of concurrent accepts is applied: the
// others fail the claim's guard, are decided again, and are told the request was taken.
func (bt *Bot) accept(ctx context.Context, t *turn, v rota.Volunteer, code string) error {
	req, ok, err := bt.offered(ctx, t, v, code, true)
	if !ok || err != nil {
		return err
	}
	if req.Status == matcher.Unanswered && t.now.Sub(req.Created) < bt.opt.GiveUpAfter+bt.opt.LateAccept {
		return bt.acceptLate(t, req, v)
	}
	switch req.Status {
	case matcher.Open:
	case matcher.Unanswered, matcher.Withdrawn: // given up on long ago, or the person stopped
		bt.match.Drop(t.b, req.Code, v)
		t.action = "accept too late: the request ended"
		return bt.reply(t, templates.VolunteerNoOffer{})
	default:
		bt.match.Drop(t.b, req.Code, v)
		t.action = "accept too late: already taken"
		return bt.reply(t, templates.VolunteerTaken{Code: req.Code})
	}
	bt.match.Claim(t.b, req, v, t.now)
	bt.cancelSteps(t, req.Code)
	if err := bt.tellOthersTaken(t, req, v); err != nil {
		return err
	}
	bt.joinChat(t, req.Code, req.Person, req.Channel, v.Phone, t.in.Channel, v.Name, v.ID)
	t.action = "request accepted"
	if err := bt.send(t, req.Person, req.Channel, templates.PersonMatched{Name: v.Name}); err != nil {
		return err
	}
	return bt.reply(t, templates.VolunteerStart{Code: req.Code, Body: strings.Join(req.Said, "\n")})
}

// pass records v letting an offer go.
func (bt *Bot) pass(ctx context.Context, t *turn, v rota.Volunteer, code string) error {
	req, ok, err := bt.offered(ctx, t, v, code, false)
	if !ok || err != nil {
		return err
	}
	t.action = "passed"
	if err := bt.release(t, req, v); err != nil {
		return err
	}
	return bt.reply(t, templates.VolunteerPassed{Code: req.Code})
}

// goOff makes v unavailable and lets go of every offer they hold, as if they had passed on each.
func (bt *Bot) goOff(ctx context.Context, t *turn, v rota.Volunteer) error {
	bt.rota.SetAvailable(t.b, v.ID, false)
	for code := range t.match.Offers {
		req, err := bt.match.Request(ctx, code)
		if errors.Is(err, matcher.ErrNotFound) {
			bt.match.Drop(t.b, code, v)
			continue
		}
		if err != nil {
			return err
		}
		if err := bt.release(t, req, v); err != nil {
			return err
		}
	}
	return nil
}

// release lets v's offer of req go. When it was the last offer outstanding, the request moves on at
// once: to everyone else on shift, or to the on-call coordinator, or, with nobody left, to the signpost.
func (bt *Bot) release(t *turn, req matcher.Request, v rota.Volunteer) error {
	if req.Status != matcher.Open {
		bt.match.Drop(t.b, req.Code, v)
		return nil
	}
	if !bt.match.Pass(t.b, req, v) {
		return nil
	}
	req.OfferedTo[v.ID] = true
	return bt.nobodyLeft(t, req)
}

// signpost sends the person of an unanswered request the fallback, forgets the request on their side
// and schedules their check-in.
func (bt *Bot) signpost(t *turn, req matcher.Request) error {
	t.b.Do("HDEL", bt.keys.party(req.Person), "req", "opened")
	bt.cancelSteps(t, req.Code)
	bt.scheduleCheckin(t, req.Code, req.Person, req.Channel)
	return bt.send(t, req.Person, req.Channel, templates.PersonFallback{})
}

// status tells a volunteer their state; a coordinator also gets the line's.
func (bt *Bot) status(t *turn, v rota.Volunteer) error {
	t.action = "status sent"
	err := bt.reply(t, templates.VolunteerStatus{
		Available: t.rota.Available(v.ID), OnShift: t.rota.OnShift(v.ID, t.now), OnCall: onCall(t, v.ID),
		Code: t.party.Conv, Offers: len(t.match.Offers),
	})
	if err != nil || !v.Coordinator {
		return err
	}
	on := t.rota.OnShiftAt(t.now)
	return bt.reply(t, templates.CoordinatorStatus{
		OnShift: len(on), Available: len(matcher.Eligible(t.rota, t.match, t.now)), Chats: t.match.Chats,
		Waiting: t.match.Waiting,
	})
}
