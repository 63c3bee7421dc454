package bot

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"time"

	"peerline/due"
	"peerline/matcher"
	"peerline/phone"
	"peerline/rota"
	"peerline/templates"
)

// Kinds of due work the bot schedules.
const (
	jobWiden   = "widen"   // a request's offer goes to everyone eligible
	jobPage    = "page"    // the on-call coordinator is paged about a request
	jobGiveUp  = "giveup"  // a request nobody took: the person gets the signpost
	jobCheckin = "checkin" // the morning after: a text to ask how the person is
	jobRemind  = "remind"  // a volunteer's shift starts soon
	jobOnNow   = "onnow"   // a volunteer's shift starts now
)

// firstOffers picks who is offered a new request first: up to FirstOffers of all, those who match what
// the person asked for (such as a woman asking for a woman) when any do, and among them those offered
// or matched least recently. It reads the volunteers' latest offers only when there is a choice to make.
func (bt *Bot) firstOffers(ctx context.Context, t *turn, all []rota.Volunteer) ([]rota.Volunteer, error) {
	if len(all) == 0 {
		return nil, nil
	}
	wanted := wantedTags(t.in.Body, all)
	pool := all
	if len(wanted) > 0 {
		var matching []rota.Volunteer
		for _, v := range all {
			if hasAll(v, wanted) {
				matching = append(matching, v)
			}
		}
		if len(matching) > 0 {
			pool = matching
			t.fields["matched_tags"] = strings.Join(wanted, ",")
		}
	}
	if len(pool) <= bt.opt.FirstOffers {
		return pool, nil
	}
	last, err := bt.match.LastOffers(ctx)
	if err != nil {
		return nil, err
	}
	ranked := append([]rota.Volunteer(nil), pool...)
	sort.SliceStable(ranked, func(i, j int) bool {
		a, b := last[ranked[i].ID], last[ranked[j].ID]
		if !a.Equal(b) {
			return a.Before(b)
		}
		return rota.IDLess(ranked[i].ID, ranked[j].ID)
	})
	return ranked[:bt.opt.FirstOffers], nil
}

func hasAll(v rota.Volunteer, tags []string) bool {
	for _, tag := range tags {
		if !v.HasTag(tag) {
			return false
		}
	}
	return true
}

// stepID names a request's escalation step in the due queue.
func stepID(kind, code string) string { return kind + " " + code }

// scheduleSteps adds to the turn the escalation of a new request: widened after OfferTimeout (if there
// is anyone left to widen to), the coordinator paged after EscalateAfter, the signpost after GiveUpAfter.
func (bt *Bot) scheduleSteps(t *turn, req matcher.Request) {
	steps := []struct {
		kind  string
		after time.Duration
	}{{jobWiden, bt.opt.OfferTimeout}, {jobPage, bt.opt.EscalateAfter}, {jobGiveUp, bt.opt.GiveUpAfter}}
	for _, s := range steps {
		bt.due.Schedule(t.b, due.Item{ID: stepID(s.kind, req.Code), Kind: s.kind, At: req.Created.Add(s.after),
			Fields: map[string]string{"code": req.Code}})
	}
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

// nobodyLeft moves on a request whose every offer was let go: to everyone eligible not yet offered it,
// else to the on-call coordinator, else to the signpost.
func (bt *Bot) nobodyLeft(t *turn, req matcher.Request) error {
	if req.Tier == 1 {
		if fresh := notOffered(matcher.Eligible(t.rota, t.match, t.now), req); len(fresh) > 0 {
			return bt.widen(t, req, fresh)
		}
	}
	if oncall := t.rota.OnCallAt(t.now); !req.Paged && len(notOffered(oncall, req)) > 0 {
		t.action += "; everyone passed: coordinator paged"
		return bt.page(t, req, oncall)
	}
	t.action += "; everyone passed: person signposted"
	bt.match.GiveUp(t.b, req, t.now)
	return bt.signpost(t, req)
}

// notOffered returns the volunteers of vols not yet offered req.
func notOffered(vols []rota.Volunteer, req matcher.Request) []rota.Volunteer {
	var out []rota.Volunteer
	for _, v := range vols {
		if !req.OfferedTo[v.ID] {
			out = append(out, v)
		}
	}
	return out
}

// widen offers req to vols and tells the person the search goes on.
func (bt *Bot) widen(t *turn, req matcher.Request, vols []rota.Volunteer) error {
	bt.match.Widen(t.b, req, vols, t.now)
	t.action += fmt.Sprintf("; offered to %d more", len(vols))
	for _, v := range vols {
		if err := bt.offer(t, v, req.Code); err != nil {
			return err
		}
	}
	return bt.send(t, req.Person, req.Channel, templates.PersonStillLooking{})
}

// page pages the coordinators on call about req (offering it to them too) and tells the person.
func (bt *Bot) page(t *turn, req matcher.Request, oncall []rota.Volunteer) error {
	bt.match.Page(t.b, req, oncall, t.now)
	waited := waitedText(t.now.Sub(req.Created))
	for _, c := range oncall {
		err := bt.queue(t, c.Phone, phone.SMS, templates.CoordinatorPage{Code: req.Code, Waited: waited}, 0, offerRef(req.Code, c.ID))
		if err != nil {
			return err
		}
	}
	return bt.send(t, req.Person, req.Channel, templates.PersonCoordinatorAsked{})
}

// waitedText says how long someone waited, in whole minutes.
func waitedText(d time.Duration) string {
	switch m := int(d.Minutes()); m {
	case 0:
		return "less than a minute"
	case 1:
		return "1 minute"
	default:
		return fmt.Sprintf("%d minutes", m)
	}
}

// offerRef is the outbox reference of an offer, so that its status callback finds it.
func offerRef(code, volunteerID string) string { return "offer " + code + " " + volunteerID }

// acceptLate connects a volunteer who accepts after the person was signposted: the person is asked
// whether they still want to talk, and their reply goes to the volunteer. It holds only while the
// person has no other request or chat.
func (bt *Bot) acceptLate(t *turn, req matcher.Request, v rota.Volunteer) error {
	pk := bt.keys.party(req.Person)
	t.b.Field(pk, "req", "")
	t.b.Field(pk, "peer", "")
	bt.match.ClaimLate(t.b, req, v, t.now)
	bt.joinChat(t, req.Code, req.Person, req.Channel, v.Phone, t.in.Channel, v.Name, v.ID)
	if err := bt.tellOthersTaken(t, req, v); err != nil {
		return err
	}
	t.action = "accepted after the signpost: person asked if they still want to talk"
	if err := bt.send(t, req.Person, req.Channel, templates.PersonLateOffer{Name: v.Name}); err != nil {
		return err
	}
	return bt.reply(t, templates.VolunteerLateStart{Code: req.Code, Body: strings.Join(req.Said, "\n")})
}

// askToTalk pages the on-call coordinator for a volunteer who replied TALK after a chat.
func (bt *Bot) askToTalk(t *turn, v rota.Volunteer) error {
	t.action = "debrief: asked to talk"
	var oncall []rota.Volunteer
	for _, c := range t.rota.OnCallAt(t.now) {
		if c.ID != v.ID { // a coordinator on call who asks to talk needs someone else
			oncall = append(oncall, c)
		}
	}
	if len(oncall) == 0 {
		t.action += "; nobody on call"
		return bt.reply(t, templates.VolunteerTalkAsked{})
	}
	for _, c := range oncall {
		m := templates.CoordinatorTalk{Name: v.Name, ID: v.ID, Phone: v.Phone, Code: t.party.LastConv}
		if err := bt.send(t, c.Phone, phone.SMS, m); err != nil {
			return err
		}
	}
	return bt.reply(t, templates.VolunteerTalkAsked{Name: oncall[0].Name})
}
