package bot

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"peerline/matcher"
	"peerline/rota"
	"peerline/templates"
)

// fromPerson handles a text from someone who is not on the rota. Every text is checked for risk words
// first, whatever the person's state: a match sends the urgent safety text before anything else (see
// risk.go).
func (bt *Bot) fromPerson(ctx context.Context, t *turn) error {
	p, k := t.party, bt.keys.party(t.in.From)
	t.risky = bt.risk.Match(t.in.Body)
	switch {
	case optOut(t.in):
		return bt.personOptedOut(ctx, t)
	case p.OptedOut && optIn(t.in, true):
		t.b.Do("HDEL", k, "optout")
		t.action = "person opted back in"
		return bt.reply(t, templates.PersonOptedIn{})
	case !t.blockedUntil.IsZero():
		return bt.fromBlocked(ctx, t)
	case p.OptedOut:
		// Twilio delivers nothing to them until they text START: nothing is opened, and only the safety
		// text is tried.
		t.action = "text from a person who opted out: not answered until they text START"
		sent, err := bt.safety(t, false)
		if err != nil || !sent {
			return err
		}
		return bt.alertAbout(t, templates.CoordinatorRisk{Code: p.Late, Stopped: true}) // they must know
	case help(t.in) && p.Peer == "" && !t.risky:
		t.action = "person asked what the line is"
		return bt.reply(t, templates.PersonHelp{})
	case p.Peer == "" && !t.risky && isWhatsOn(t.in.Body):
		return bt.whatsOn(ctx, t)
	case p.Peer != "":
		return bt.relayToVolunteer(ctx, t)
	case p.Req != "":
		return bt.stillWaiting(ctx, t)
	case listening(p, t.now) != "":
		return bt.answer(ctx, t)
	}
	return bt.afterChat(ctx, t)
}

// relayToVolunteer passes a person's text in a chat to their volunteer; their replies come back on the
// channel the person used. With risk words, the safety text goes first and the volunteer gets a private
// note as well.
func (bt *Bot) relayToVolunteer(ctx context.Context, t *turn) error {
	p, k := t.party, bt.keys.party(t.in.From)
	t.kind = KindRelay
	if _, err := bt.safety(t, false); err != nil {
		return err
	}
	t.b.Field(k, "peer", p.Peer)
	t.b.Do("HSET", bt.keys.party(p.Peer), "peerch", string(t.in.Channel))
	if p.LateChat { // they answered a late offer: the chat has begun
		t.b.Do("HDEL", k, "latechat")
		t.b.Do("HDEL", bt.keys.party(p.Peer), "latechat")
	}
	t.action, t.fields["request"] = "relayed to volunteer", p.Req
	bt.match.Touch(t.b, p.Req, t.now)
	words, err := bt.words(t)
	if err != nil {
		return err
	}
	if err := bt.send(t, p.Peer, p.PeerCh, templates.RelayToVolunteer{Code: p.Req, Body: words}); err != nil {
		return err
	}
	if !t.risky || !bt.alertOnce(t, p.Req) {
		return nil
	}
	with := t.rota.Volunteers[p.PeerID]
	if err := bt.send(t, p.Peer, p.PeerCh, templates.VolunteerRiskNote{Code: p.Req, OnCall: onCall(t, with.ID)}); err != nil {
		return err
	}
	with.Name = p.PeerName
	return bt.alertCoordinators(ctx, t, matcher.Request{Code: p.Req, Status: matcher.Matched}, with)
}

// stillWaiting keeps a waiting person's text for whoever accepts and says so once, risk words or not.
// With risk words the safety text goes first (at most every safetyAgain), and the request becomes
// urgent: the head of the queue, offered to everyone free at once, the coordinators on call paged.
func (bt *Bot) stillWaiting(ctx context.Context, t *turn) error {
	p, k := t.party, bt.keys.party(t.in.From)
	t.b.Field(k, "req", p.Req)
	t.b.Field(k, "peer", "")
	words, err := bt.words(t)
	if err != nil {
		return err
	}
	bt.match.Say(t.b, p.Req, t.in.Channel, words)
	t.fields["request"] = p.Req
	if t.risky {
		req, ok, err := bt.request(ctx, t, p.Req)
		if err != nil || !ok {
			return err
		}
		if err := bt.urgent(ctx, t, req); err != nil {
			return err
		}
	}
	if p.Noted == p.Req {
		t.action = strings.TrimPrefix(t.action+"; person still waiting: text kept", "; ")
		return nil
	}
	t.b.Do("HSET", k, "noted", p.Req)
	t.action = strings.TrimPrefix(t.action+"; person still waiting: told their texts are kept", "; ")
	return bt.reply(t, templates.PersonWaiting{})
}

// thanksWindow is how long after a chat ends (or the signpost) a text that only says thanks or goodbye
// is taken as that, and answered kindly, rather than as a new request for support.
const thanksWindow = time.Hour

// newRequest opens a request and puts it in the queue; dispatch then offers it to whoever is free (see
// matcher.Plan). The person is told honestly where things stand: a peer supporter is being found; or
// everyone on shift is with someone and they are in the queue; or, with nobody on shift, the on-call
// coordinator has been asked. Only when nobody is on shift and nobody is on call does the signpost
// come at once.
func (bt *Bot) newRequest(ctx context.Context, t *turn) error {
	t.earlier = !t.risky && riskedLately(t.party, t.now)
	if !t.rota.Open(t.now) {
		return bt.closed(ctx, t)
	}
	k := bt.keys.party(t.in.From)
	t.b.Field(k, "req", "")
	if t.party.Late != "" { // back with a new request: the old one is no longer offered late
		bt.match.LeaveLate(t.b, t.party.Late)
		t.b.Do("HDEL", k, "late")
	}
	onShift := t.rota.AvailableOnShiftAt(t.now)
	words, err := bt.words(t)
	if err != nil {
		return err
	}
	req := matcher.Request{
		Code: matcher.NewCode(), Status: matcher.Open, Person: t.in.From, Channel: t.in.Channel, Created: t.now,
		Said: []string{words}, Tier: 1, Wants: wantedTags(t.in.Body, onShift), Told: matcher.ToldAck,
		Repeat: t.contacts,
	}
	t.fields["request"] = req.Code
	t.kind = KindNewRequest
	oncall := t.rota.OnCallAt(t.now)
	if len(onShift) == 0 && len(oncall) == 0 {
		bt.match.Open(t.b, req, true)
		t.b.Do("HSET", k, "late", req.Code, "ended", t.now.UnixMilli())
		t.action = "nobody on shift or on call: person signposted"
		t.steps = append(t.steps, StepSignpost)
		bt.scheduleCheckin(t, req.Code, req.Person, req.Channel)
		if t.risky || t.earlier { // the safety text gives every number the signpost would
			_, err := bt.safety(t, false)
			return err
		}
		m, err := bt.signpost(ctx, t)
		if err != nil {
			return err
		}
		return bt.reply(t, m)
	}
	t.b.Do("HSET", k, "req", req.Code, "opened", t.now.UnixMilli())
	bt.scheduleSteps(t, req)
	t.dispatch = true
	if err := bt.noteRepeat(t, req.Code); err != nil {
		return err
	}
	if t.risky || t.earlier {
		return bt.newUrgent(ctx, t, req)
	}
	switch {
	case slices.ContainsFunc(onShift, func(v rota.Volunteer) bool { return t.match.Active[v.ID] == "" }): // someone free (matcher.Eligible)
		t.codeGuard = bt.match.Open(t.b, req, false)
		t.action = "request opened: offered to whoever is free"
		if err := bt.offerNew(t, req, onShift); err != nil {
			return err
		}
		if t.queuedBusy { // the free are all deciding on people who wrote first: this one waits behind them
			t.action = "request opened: everyone free is deciding on an earlier request, person queued"
			return bt.reply(t, templates.PersonQueued{})
		}
		return bt.reply(t, templates.PersonAck{})
	case len(onShift) > 0:
		t.codeGuard = bt.match.Open(t.b, req, false)
		t.action = "request opened: everyone on shift is with someone, person queued"
		if err := bt.offerNew(t, req, onShift); err != nil {
			return err
		}
		return bt.reply(t, templates.PersonQueued{})
	}
	// Nobody on shift, but a coordinator on call: page them at once if they are free.
	free, deciding, err := bt.freeCoordinators(ctx, t, oncall, req)
	switch {
	case err != nil:
		return err
	case len(free) > 0:
		req.Told = matcher.ToldCoordinator
		bt.match.Open(t.b, req, false)
		req.Fresh = true
		t.action = "request opened: nobody on shift, coordinator paged"
		if err := bt.pageOne(t, req, free[0]); err != nil {
			return err
		}
		return bt.reply(t, templates.PersonCoordinatorAsked{First: true})
	case deciding:
		bt.match.Open(t.b, req, false)
		bt.pageLater(t, req)
		t.action = "request opened: nobody on shift, the coordinator is deciding on another page"
		return bt.reply(t, templates.PersonAck{})
	}
	req.Told, req.Fresh = matcher.ToldAck, true
	bt.match.Open(t.b, req, false)
	bt.match.BusyTold(t.b, req)
	t.action = "request opened: nobody on shift and the coordinator is in a chat, person queued"
	if err := bt.tellBusyCoordinators(ctx, t, oncall, t.match.Waiting+1, ""); err != nil {
		return err
	}
	return bt.reply(t, templates.PersonQueued{})
}

// offerNew adds to the turn's batch the offers of req, a request being opened, when the turn's read
// found nothing else waiting (t.match.Board): the offers a dispatch after the commit would make (Plan on
// the same board), guarded so that the commit fails if anything it was decided from changed. When others
// wait and everyone free holds an offer, it adds the guards that keep that true: a dispatch would offer
// nothing. Either way the turn then needs no dispatch. Otherwise it leaves the request to the dispatch
// after the commit.
func (bt *Bot) offerNew(t *turn, req matcher.Request, onShift []rota.Volunteer) error {
	nb := t.match.Board
	switch {
	case nb == nil:
		return nil
	case nb.Busy: // others wait, and everyone free holds an offer: a dispatch would offer nothing
		bt.rota.GuardVersion(t.b, t.rotaVersion)
		bt.match.NobodyIdle(t.b, t.match, onShift)
		t.dispatch, t.queuedBusy = false, true
		return nil
	}
	var free []rota.Volunteer
	for _, v := range onShift {
		if w, ok := nb.Load[v.ID]; ok && t.match.Active[v.ID] == "" {
			if ok, _, _ := w.Within(bt.limits(v), t.now); ok {
				free = append(free, v)
			}
		}
	}
	req.Fresh = true
	lateSince := t.now.Add(-bt.opt.LateAccept)
	plan := matcher.Plan(matcher.PlanInput{Board: nb.Board(req, free), Free: free, FirstOffers: bt.opt.FirstOffers,
		Now: t.now, LateEvery: bt.opt.OfferTimeout})
	bt.rota.GuardVersion(t.b, t.rotaVersion)
	bt.match.OpenOffered(t.b, t.match, plan, free, lateSince, t.now)
	ids := make([]string, 0, len(plan))
	for _, a := range plan {
		if err := bt.offer(t, a.Volunteer, a.Request); err != nil {
			return err
		}
		ids = append(ids, a.Volunteer.ID)
	}
	if len(ids) > 0 {
		t.fields["offered"] = strings.Join(ids, ",") // volunteer ids, as dispatch logs them
	}
	t.dispatch = false
	return nil
}

// newUrgent opens req, whose person used risk words (now, or within riskMemory: t.earlier): the safety
// text first (saying a peer supporter is being found), then it is offered to everyone free at once, as
// urgent, and the coordinators on call are paged or told.
func (bt *Bot) newUrgent(ctx context.Context, t *turn, req matcher.Request) error {
	req.Urgent, req.Tier, req.Earlier = true, 2, t.earlier
	bt.match.Open(t.b, req, false)
	req.Fresh = true
	t.action = "risk words: urgent request opened, offered to everyone free"
	if _, err := bt.safety(t, true); err != nil {
		return err
	}
	bt.alertOnce(t, req.Code)
	free, err := bt.eligible(ctx, t)
	if err != nil {
		return err
	}
	bt.match.Offer(t.b, req, free, t.now)
	for _, v := range free {
		if err := bt.offer(t, v, req); err != nil {
			return err
		}
	}
	return bt.alertCoordinators(ctx, t, req, rota.Volunteer{})
}

// closed answers a person who texts while the line is closed: the daytime services and when peer
// supporters are back, once a day (a later text the same day gets nothing more unless it has risk
// words). With risk words the safety text comes first, and when a coordinator is on call an urgent
// request is opened for them.
func (bt *Bot) closed(ctx context.Context, t *turn) error {
	t.action = "line closed: person sent daytime services"
	bt.match.Closed(t.b, t.in.Channel, t.now)
	if (t.risky || t.earlier) && len(available(t.rota, t.rota.OnCallAt(t.now))) > 0 {
		return bt.closedUrgent(ctx, t)
	}
	sent, err := bt.safety(t, false)
	if err != nil {
		return err
	}
	day := t.now.In(t.rota.Location()).Format("2006-01-02")
	if t.party.ClosedDay == day && !sent {
		t.action = "line closed: told already today"
		t.b.Do("HSET", bt.keys.party(t.in.From), "closedday", day) // a write, so the turn commits
		return nil
	}
	t.b.Do("HSET", bt.keys.party(t.in.From), "closedday", day)
	if t.risky || t.earlier { // after the safety text, not the routine daytime services
		return bt.reply(t, templates.PersonClosedCrisis{Opens: opensText(t.rota, t.now)})
	}
	m, err := bt.outOfHours(ctx, t)
	if err != nil {
		return err
	}
	return bt.reply(t, m)
}

// closedUrgent opens an urgent request while the line is closed, for a person who used risk words
// with a coordinator on call: the coordinator is paged at once and may take it; the person gets the
// safety text and is told the coordinator was asked (not the routine daytime services). Nobody on
// shift is offered it, and no "still looking" follows: they were told of the coordinator, and hear
// next who is here, or the signpost.
func (bt *Bot) closedUrgent(ctx context.Context, t *turn) error {
	words, err := bt.words(t)
	if err != nil {
		return err
	}
	k := bt.keys.party(t.in.From)
	req := matcher.Request{Code: matcher.NewCode(), Status: matcher.Open, Person: t.in.From, Channel: t.in.Channel,
		Created: t.now, Said: []string{words}, Tier: 2, Urgent: true, Earlier: t.earlier, Told: matcher.ToldCoordinator,
		Repeat: t.contacts}
	t.fields["request"] = req.Code
	t.b.Field(k, "req", "")
	t.b.Do("HSET", k, "req", req.Code, "opened", t.now.UnixMilli())
	bt.match.Open(t.b, req, false)
	req.Fresh = true
	bt.scheduleSteps(t, req)
	t.action = "line closed, risk words: urgent request for the coordinator on call"
	if _, err := bt.safety(t, false); err != nil {
		return err
	}
	bt.alertOnce(t, req.Code)
	if err := bt.alertCoordinators(ctx, t, req, rota.Volunteer{}); err != nil {
		return err
	}
	return bt.reply(t, templates.PersonClosedCrisis{Opens: opensText(t.rota, t.now), Asked: true})
}

// available returns those of vols who are available (active, not OFF).
func available(r rota.Rota, vols []rota.Volunteer) []rota.Volunteer {
	var out []rota.Volunteer
	for _, v := range vols {
		if r.Available(v.ID) {
			out = append(out, v)
		}
	}
	return out
}

// offer queues an offer of req to v. Offers go by SMS, with a validity period so a late one is dropped,
// and a reference so that a status callback saying it was not delivered counts as a pass. An offer of a
// request whose person was signposted says so.
func (bt *Bot) offer(t *turn, v rota.Volunteer, req matcher.Request) error {
	var m templates.Message = templates.VolunteerOffer{Code: req.Code, Urgent: req.Urgent, Earlier: req.Earlier}
	if req.Status == matcher.Unanswered {
		m = templates.VolunteerOfferLate{Code: req.Code, Waited: waitedText(t.now.Sub(req.Created)), Urgent: req.Urgent}
	}
	return bt.toStaff(t, v, m, bt.opt.OfferValidity, offerRef(req.Code, v.ID))
}

// personOptedOut handles STOP and its kin: Twilio will not deliver to the person any more, so their chat
// or request ends, the volunteer is told, and nothing is sent to the person.
func (bt *Bot) personOptedOut(ctx context.Context, t *turn) error {
	p := t.party
	k := bt.keys.party(t.in.From)
	t.fields["request"] = p.Req
	t.b.Do("HSET", k, "optout", 1) // no check-in for them
	switch {
	case p.Peer != "":
		t.b.Field(k, "peer", p.Peer)
		bt.match.End(t.b, p.Req, p.PeerID, t.now, p.Joined)
		bt.leaveChat(t, p.Req, t.in.From, p.Peer)
		t.action = "person opted out: chat closed"
		t.dispatch, t.freed = true, append(t.freed, p.PeerID)
		if err := bt.send(t, p.Peer, p.PeerCh, templates.VolunteerPersonLeft{Code: p.Req}); err != nil {
			return err
		}
		if p.RiskCode != p.Req && !riskedLately(p, t.now) {
			return nil
		}
		return bt.stoppedAtRisk(t, templates.CoordinatorStopped{Code: p.Req, Name: p.PeerName}, p.PeerID)
	case p.Req != "" || p.Late != "":
		code := p.Req
		if code == "" {
			code = p.Late
		}
		t.b.Field(k, "req", p.Req)
		t.b.Field(k, "late", p.Late)
		t.b.Do("HDEL", k, "req", "opened", "late")
		req, ok, err := bt.request(ctx, t, code)
		if err != nil || !ok {
			return err
		}
		if req.Status == matcher.Open || req.Status == matcher.Unanswered {
			bt.match.Withdraw(t.b, req, t.rota, t.now, p.Opened)
			bt.cancelSteps(t, code)
		}
		t.action = "person opted out: request withdrawn"
		t.dispatch = true
		if req.Status != matcher.Open || !req.Urgent {
			return nil
		}
		return bt.stoppedAtRisk(t, templates.CoordinatorStopped{Code: code}, "")
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

// waitedText says how long someone waited, to the nearest minute.
func waitedText(d time.Duration) string {
	if d < time.Minute {
		return "less than a minute"
	}
	switch m := int(d.Round(time.Minute).Minutes()); m { // 90 s is 2 minutes, not 1
	case 1:
		return "1 minute"
	default:
		return fmt.Sprintf("%d minutes", m)
	}
}
