package bot

import (
	"context"
	"errors"
	"sort"

	"peerline/matcher"
	"peerline/phone"
	"peerline/rota"
	"peerline/templates"
)

// offered finds the request an ACCEPT (accepting) or a PASS is about; ok is false, and the volunteer has
// been answered, when there is nothing to act on.
//
// A named request counts if the volunteer holds its offer or, for ACCEPT, if it is still open and the
// volunteer may take it (on shift and available: someone who passed, went OFF and came back ON, or
// whom a coordinator asked to take it). With no name: the offer of the person who has waited longest
// among those still open; for ACCEPT, else the latest one given up on (a late accept). Offers of
// requests that moved on are dropped on the way.
func (bt *Bot) offered(ctx context.Context, t *turn, v rota.Volunteer, code string, accepting bool) (matcher.Request, bool, error) {
	if code != "" {
		return bt.named(ctx, t, v, code, accepting)
	}
	codes := make([]string, 0, len(t.match.Offers))
	for c := range t.match.Offers {
		codes = append(codes, c)
	}
	sort.Slice(codes, func(i, j int) bool {
		a, b := t.match.Offers[codes[i]], t.match.Offers[codes[j]]
		return a.Before(b) || a.Equal(b) && codes[i] < codes[j]
	})
	if len(codes) == 1 { // the common case: its status comes with the request, in the same round trip
		req, ok, err := bt.request(ctx, t, codes[0])
		if err != nil || !ok || req.Status == matcher.Open || accepting && req.Status == matcher.Unanswered {
			return req, ok, err
		}
	}
	statuses, err := bt.match.Statuses(ctx, codes)
	if err != nil {
		return matcher.Request{}, false, err
	}
	late, taken := "", ""
	for _, c := range codes {
		switch statuses[c] {
		case matcher.Open:
			return bt.request(ctx, t, c)
		case matcher.Unanswered:
			late = c // the latest one given up on
		case matcher.Matched:
			taken = c
			bt.match.Drop(t.b, c, v)
		default:
			bt.match.Drop(t.b, c, v) // ended or expired: nothing to act on
		}
	}
	if accepting && late != "" {
		return bt.request(ctx, t, late)
	}
	t.action = "nothing to accept or pass"
	if taken != "" {
		return matcher.Request{}, false, bt.reply(t, templates.VolunteerTaken{Code: taken})
	}
	return matcher.Request{}, false, bt.reply(t, templates.VolunteerNoOffer{})
}

// named finds request code for an ACCEPT or PASS that names it.
func (bt *Bot) named(ctx context.Context, t *turn, v rota.Volunteer, code string, accepting bool) (matcher.Request, bool, error) {
	req, ok, err := bt.request(ctx, t, code)
	if err != nil || !ok {
		return req, ok, err
	}
	if _, held := t.match.Offers[code]; held || accepting && req.Status == matcher.Open && bt.mayTake(t, v) {
		return req, true, nil
	}
	t.action = "nothing to accept or pass"
	if req.Status == matcher.Matched {
		return matcher.Request{}, false, bt.reply(t, templates.VolunteerTaken{Code: code})
	}
	return matcher.Request{}, false, bt.reply(t, templates.VolunteerNoOffer{})
}

// request reads request code; one that expired reads as closed.
func (bt *Bot) request(ctx context.Context, t *turn, code string) (matcher.Request, bool, error) {
	t.fields["request"] = code
	req, err := bt.match.Request(ctx, code)
	if errors.Is(err, matcher.ErrNotFound) {
		return matcher.Request{Code: code, Status: matcher.Closed, OfferedTo: map[string]bool{}}, true, nil
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

// tellOthersTaken drops the offers of req that others still hold, now that v took it, and tells them.
func (bt *Bot) tellOthersTaken(t *turn, req matcher.Request, v rota.Volunteer) error {
	for id := range req.OfferedTo {
		other, ok := t.rota.Volunteers[id]
		if !ok || id == v.ID || req.PassedBy[id] {
			continue
		}
		bt.match.Drop(t.b, req.Code, other)
		if err := bt.send(t, other.Phone, phone.SMS, templates.VolunteerTaken{Code: req.Code}); err != nil {
			return err
		}
	}
	return nil
}
