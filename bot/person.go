package bot

import (
	"context"
	"time"

	"peerline/matcher"
	"peerline/phone"
	"peerline/rota"
	"peerline/templates"
)

// fromPerson handles a text from someone who is not on the rota.
func (bt *Bot) fromPerson(ctx context.Context, t *turn) error {
	p, k := t.party, bt.keys.party(t.in.From)
	if cmd, _ := parseCommand(t.in.Body); cmd == cmdOptOut {
		return bt.personOptedOut(t)
	}
	if p.OptedOut {
		t.b.Do("HDEL", k, "optout") // they are back
	}
	switch {
	case p.Peer != "": // in a chat: relay to the volunteer; their replies come back on this channel
		t.b.Field(k, "peer", p.Peer)
		t.b.Do("HSET", bt.keys.party(p.Peer), "peerch", string(t.in.Channel))
		t.action, t.fields["request"] = "relayed to volunteer", p.Req
		return bt.send(t, p.Peer, p.PeerCh, templates.RelayToVolunteer{Code: p.Req, Body: t.in.Body})
	case p.Req != "": // still waiting: keep the text for whoever accepts, and say we're still looking
		t.b.Field(k, "req", p.Req)
		t.b.Field(k, "peer", "")
		bt.match.Say(t.b, p.Req, t.in.Channel, t.in.Body)
		t.action, t.fields["request"] = "person still waiting", p.Req
		return bt.reply(t, templates.PersonWaiting{})
	}
	return bt.newRequest(ctx, t)
}

// newRequest opens a request and offers it to the first few eligible volunteers (all of them when
// there are no more), with its escalation steps scheduled; or signposts at once when nobody can be
// offered it.
func (bt *Bot) newRequest(ctx context.Context, t *turn) error {
	if !t.rota.Open(t.now) {
		t.action = "line closed: person sent daytime services"
		return bt.reply(t, templates.PersonOutOfHours{Opens: opensText(t.rota, t.now)})
	}
	all := matcher.Eligible(t.rota, t.match, t.now)
	first, err := bt.firstOffers(ctx, t, all)
	if err != nil {
		return err
	}
	req := matcher.Request{
		Code: matcher.NewCode(), Person: t.in.From, Channel: t.in.Channel, Created: t.now, Said: []string{t.in.Body},
		Tier: 1,
	}
	if len(first) == len(all) {
		req.Tier = 2 // everyone eligible has it already
	}
	k := bt.keys.party(t.in.From)
	t.b.Field(k, "req", "")
	bt.match.Open(t.b, req, first)
	t.fields["request"], t.fields["offered"] = req.Code, len(first)
	if len(first) == 0 {
		t.action = "nobody to offer: person signposted"
		bt.scheduleCheckin(t, req.Code, req.Person, req.Channel)
		return bt.reply(t, templates.PersonFallback{})
	}
	t.b.Do("HSET", k, "req", req.Code, "opened", t.now.UnixMilli())
	bt.scheduleSteps(t, req)
	t.action = "request opened and offered"
	if err := bt.reply(t, templates.PersonAck{}); err != nil {
		return err
	}
	for _, v := range first {
		if err := bt.offer(t, v, req.Code); err != nil {
			return err
		}
	}
	return nil
}

// offer queues an offer to v. Offers go by SMS, with a validity period so a late one is dropped, and a
// reference so that a status callback saying it was not delivered counts as a pass.
func (bt *Bot) offer(t *turn, v rota.Volunteer, code string) error {
	return bt.queue(t, v.Phone, phone.SMS, templates.VolunteerOffer{Code: code}, bt.opt.OfferValidity, offerRef(code, v.ID))
}

// personOptedOut handles STOP and its kin: Twilio will not deliver to the person any more, so their chat
// or request ends, the volunteer is told, and nothing is sent to the person.
func (bt *Bot) personOptedOut(t *turn) error {
	p := t.party
	t.fields["request"] = p.Req
	t.b.Do("HSET", bt.keys.party(t.in.From), "optout", 1) // no check-in for them
	switch {
	case p.Peer != "":
		t.b.Field(bt.keys.party(t.in.From), "peer", p.Peer)
		bt.match.End(t.b, p.Req, p.PeerID, t.now, p.Joined)
		bt.leaveChat(t, p.Req, t.in.From, p.Peer)
		t.action = "person opted out: chat closed"
		return bt.send(t, p.Peer, p.PeerCh, templates.VolunteerPersonLeft{Code: p.Req})
	case p.Req != "":
		bt.match.End(t.b, p.Req, "", t.now, p.Opened)
		bt.cancelSteps(t, p.Req)
		t.b.Do("HDEL", bt.keys.party(t.in.From), "req", "opened")
		t.action = "person opted out: request withdrawn"
		return nil
	}
	t.action = "opt-out noted"
	return nil
}

// opensText says when the line opens next after now, in the line's time zone: "17:00 today",
// "17:00 tomorrow" or "17:00 on Monday".
func opensText(r rota.Rota, now time.Time) string {
	next, ok := r.Hours.NextOpen(now, r.Location())
	if !ok {
		return "our next opening"
	}
	local, next := now.In(r.Location()), next.In(r.Location())
	days := int(time.Date(next.Year(), next.Month(), next.Day(), 12, 0, 0, 0, time.UTC).Sub(
		time.Date(local.Year(), local.Month(), local.Day(), 12, 0, 0, 0, time.UTC)).Hours() / 24)
	switch days {
	case 0:
		return next.Format("15:04") + " today"
	case 1:
		return next.Format("15:04") + " tomorrow"
	}
	return next.Format("15:04 on Monday")
}
