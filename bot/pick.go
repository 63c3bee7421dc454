package bot

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strconv"
	"time"

	"peerline/matcher"
	"peerline/rota"
	"peerline/templates"
)

// offered finds the request an ACCEPT (accepting) or a PASS is about; ok is false, and the volunteer has
// been answered, when there is nothing to act on.
//
// A named request counts if the volunteer holds its offer or, for ACCEPT, if it is waiting (or its
// person was signposted) and the volunteer may take it (on shift or on call, and available: someone
// who passed, went OFF and came back ON, or whom a coordinator asked to take it). With no name: of the
// offers they hold of requests still waiting, an urgent one first, then the one held longest; for
// ACCEPT, else the latest late offer they hold.
// Offers of requests that moved on are dropped on the way.
func (bt *Bot) offered(ctx context.Context, t *turn, v rota.Volunteer, code string, accepting bool) (matcher.Request, bool, error) {
	if code != "" {
		return bt.named(ctx, t, v, code, accepting)
	}
	codes := byTime(t.match.Offers, false)
	if len(codes) == 1 { // the common case: its status comes with the request, in the same round trip
		req, ok, err := bt.request(ctx, t, codes[0])
		if err != nil || !ok || req.Status == matcher.Open {
			return req, ok, err
		}
		bt.match.DropHeld(t.b, req.Code, v, false)
		codes = nil
	}
	if accepting {
		codes = append(codes, byTime(t.match.LateOffers, true)...)
	}
	statuses, err := bt.match.Statuses(ctx, codes)
	if err != nil {
		return matcher.Request{}, false, err
	}
	sort.SliceStable(codes, func(i, j int) bool { // urgent first; otherwise as they were
		return statuses[codes[i]].Urgent && !statuses[codes[j]].Urgent
	})
	for _, c := range codes {
		_, waiting := t.match.Offers[c]
		switch s := statuses[c].Status; {
		case s == matcher.Open && waiting, s == matcher.Unanswered && !waiting:
			return bt.request(ctx, t, c)
		default:
			bt.match.DropHeld(t.b, c, v, !waiting) // taken, ended or expired: nothing to act on
		}
	}
	t.action = "nothing to accept or pass"
	return matcher.Request{}, false, bt.reply(t, templates.VolunteerNoOffer{Pass: !accepting})
}

// byTime returns the codes of offers oldest first (or, with latest, newest first).
func byTime(offers map[string]time.Time, latest bool) []string {
	codes := make([]string, 0, len(offers))
	for c := range offers {
		codes = append(codes, c)
	}
	sort.Slice(codes, func(i, j int) bool {
		a, b := offers[codes[i]], offers[codes[j]]
		if latest {
			a, b = b, a
		}
		return a.Before(b) || a.Equal(b) && codes[i] < codes[j]
	})
	return codes
}

// named finds request code for an ACCEPT or PASS that names it.
func (bt *Bot) named(ctx context.Context, t *turn, v rota.Volunteer, code string, accepting bool) (matcher.Request, bool, error) {
	req, ok, err := bt.request(ctx, t, code)
	if err != nil || !ok {
		return req, ok, err
	}
	_, held := t.match.Offers[code]
	_, heldLate := t.match.LateOffers[code]
	takeable := req.Status == matcher.Open || req.Status == matcher.Unanswered
	if held || heldLate || accepting && takeable && bt.mayTake(t, v) {
		return req, true, nil
	}
	t.action = "nothing to accept or pass"
	if req.Status == matcher.Matched && req.OfferedTo[v.ID] {
		return matcher.Request{}, false, bt.tellTaken(t, code)
	}
	return matcher.Request{}, false, bt.reply(t, templates.VolunteerNoOffer{Pass: !accepting})
}

// request reads request code; one that expired reads as closed.
func (bt *Bot) request(ctx context.Context, t *turn, code string) (matcher.Request, bool, error) {
	t.fields["request"] = code
	req, err := bt.match.Request(ctx, code)
	if errors.Is(err, matcher.ErrNotFound) {
		return matcher.Request{Code: code, Status: matcher.Closed, OfferedTo: map[string]bool{}, PassedBy: map[string]bool{},
			Holders: map[string]bool{}}, true, nil
	}
	return req, err == nil, err
}

// mayTake reports whether v may take a request they were not offered: on shift (or on call) and available.
func (bt *Bot) mayTake(t *turn, v rota.Volunteer) bool {
	if !t.rota.Available(v.ID) {
		return false
	}
	return t.rota.OnShift(v.ID, t.now) || onCall(t, v.ID)
}

// onCall reports whether volunteer id is on call now.
func onCall(t *turn, id string) bool {
	for _, c := range t.rota.OnCallAt(t.now) {
		if c.ID == id {
			return true
		}
	}
	return false
}

// tellOthersTaken drops the offers of req that others still hold, now that v took it, and tells each of
// them once. An ACCEPT of theirs sent at the same moment is then not answered again (see toldTaken).
func (bt *Bot) tellOthersTaken(t *turn, req matcher.Request, v rota.Volunteer) error {
	for id := range req.Holders {
		other, ok := t.rota.Volunteers[id]
		if !ok || id == v.ID {
			continue
		}
		bt.match.Drop(t.b, req.Code, other)
		t.freed = append(t.freed, other.ID)
		t.b.Do("HSET", bt.keys.party(other.Phone), "taken", req.Code+" "+strconv.FormatInt(t.now.UnixMilli(), 10))
		if err := bt.tell(t, other, templates.VolunteerTaken{Code: req.Code}); err != nil {
			return err
		}
	}
	t.dispatch = true // they are free for the next one
	return nil
}

// acceptLate connects a volunteer who accepts after the person was signposted: the person is asked
// whether they still want to talk, and their reply goes to the volunteer. If the person has texted
// again meanwhile and waits on a new request, the volunteer takes that one instead; if they are
// talking with someone else, the volunteer hears that the request moved on.
func (bt *Bot) acceptLate(ctx context.Context, t *turn, req matcher.Request, v rota.Volunteer) error {
	pk := bt.keys.party(req.Person)
	h, err := bt.rdb.HGetAll(ctx, pk).Result()
	if err != nil {
		return fmt.Errorf("read the person's state: %w", err)
	}
	p := decodeParty(h)
	t.b.Field(pk, "req", p.Req)
	t.b.Field(pk, "peer", p.Peer)
	switch {
	case p.Peer != "" || p.OptedOut:
		bt.match.Drop(t.b, req.Code, v)
		bt.match.LeaveLate(t.b, req.Code)
		t.action = "late accept: the person has moved on"
		if p.OptedOut {
			return bt.reply(t, templates.VolunteerNoOffer{})
		}
		return bt.reply(t, templates.VolunteerMovedOn{Code: req.Code})
	case p.Req != "" && p.Req != req.Code:
		bt.match.Drop(t.b, req.Code, v)
		bt.match.LeaveLate(t.b, req.Code)
		now, ok, err := bt.request(ctx, t, p.Req)
		if err != nil || !ok {
			return err
		}
		if now.Status != matcher.Open {
			t.action = "late accept: the person has moved on"
			return bt.reply(t, templates.VolunteerMovedOn{Code: req.Code})
		}
		if err := bt.take(t, now, v); err != nil {
			return err
		}
		t.action = "late accept: the person texted again, so the volunteer took their new request"
		return nil
	}
	t.b.Do("HDEL", pk, "late")
	bt.match.ClaimLate(t.b, req, v, t.now)
	bt.joinChat(t, req.Code, req.Person, req.Channel, v.Phone, t.in.Channel, v.Name, v.ID)
	t.b.Do("HSET", pk, "latechat", 1)
	t.b.Do("HSET", bt.keys.party(v.Phone), "latechat", 1)
	if err := bt.tellOthersTaken(t, req, v); err != nil {
		return err
	}
	t.action = "accepted after the signpost: person asked if they still want to talk"
	if err := bt.reply(t, templates.VolunteerLateStart{Code: req.Code, Body: joinSaid(req.Said)}); err != nil {
		return err
	}
	return bt.send(t, req.Person, req.Channel, templates.PersonLateOffer{Name: v.Name})
}
