package bot

import (
	"context"
	"errors"
	"slices"
	"strconv"
	"strings"
	"time"

	"peerline/community"
	"peerline/feedback"
	"peerline/matcher"
	"peerline/rota"
	"peerline/templates"
)

// fromVolunteer handles a text from someone on the rota.
func (bt *Bot) fromVolunteer(ctx context.Context, t *turn, v rota.Volunteer) error {
	if t.party.Conv != "" {
		return bt.inChat(ctx, t, v)
	}
	cmd, code := parseCommand(t.in.Body)
	if optOut(t.in) {
		cmd = cmdOptOut
	}
	if cmd == cmdNone && isWhatsOn(t.in.Body) {
		return bt.whatsOn(ctx, t)
	}
	if w, ok := parseCant(t.in.Body); ok && cmd == cmdNone {
		return bt.cant(ctx, t, v, w)
	}
	switch cmd {
	case cmdAccept:
		return bt.accept(ctx, t, v, code)
	case cmdCover:
		return bt.cover(ctx, t, v, code)
	case cmdPass:
		return bt.pass(ctx, t, v, code)
	case cmdNext:
		return bt.next(ctx, t, v)
	case cmdOn:
		bt.rota.SetAvailable(t.b, v.ID, true)
		t.action, t.dispatch, t.freed = "availability changed", true, []string{v.ID}
		return bt.reply(t, templates.VolunteerOn{})
	case cmdOff:
		return bt.off(ctx, t, v)
	case cmdOptOut: // Twilio stops delivering to them, so stop offering them requests
		t.action = "volunteer opted out: set off"
		return bt.goOff(ctx, t, v)
	case cmdOptIn:
		t.action = "volunteer opted back in"
		return bt.reply(t, templates.VolunteerBack{})
	case cmdStatus:
		return bt.status(ctx, t, v)
	case cmdOK:
		if t.party.Confirm != "" && t.party.Confirm != t.party.Confirmed {
			return bt.confirmShift(ctx, t, v)
		}
		t.action = "debrief: ok"
		bt.debrief(t, feedback.DebriefOK)
		return bt.reply(t, templates.VolunteerDebriefOK{})
	case cmdTalk:
		return bt.askToTalk(t, v)
	case cmdEscalate:
		return bt.escalate(t, v)
	}
	t.action = "menu sent"
	return bt.reply(t, templates.VolunteerMenu{})
}

// off makes v unavailable; the offers they hold go to others.
func (bt *Bot) off(ctx context.Context, t *turn, v rota.Volunteer) error {
	t.action = "availability changed"
	held := len(t.match.Offers) > 0
	if err := bt.goOff(ctx, t, v); err != nil {
		return err
	}
	return bt.reply(t, templates.VolunteerOff{Passed: held})
}

// inChat handles a volunteer's text during a chat. A text that is exactly a command that acts in a
// chat (DONE, PASS, ACCEPT, NEXT, STATUS, OFF, MENU, alone or with a code) is acted on; anything else
// goes to the person, unless it carries a request code, which never reaches a person. A volunteer who
// opts out of texts (STOP) can no longer be reached, so their chat ends as with DONE and they are set
// OFF.
func (bt *Bot) inChat(ctx context.Context, t *turn, v rota.Volunteer) error {
	p := t.party
	t.fields["request"] = p.Conv
	t.b.Field(bt.keys.party(t.in.From), "conv", p.Conv)
	if word, ok := parseShare(t.in.Body); ok {
		return bt.share(ctx, t, word)
	}
	cmd, code := parseChatCommand(t.in.Body)
	if optOut(t.in) {
		cmd = cmdOptOut
	}
	switch cmd {
	case cmdDone, cmdOptOut:
		return bt.endChat(ctx, t, v, cmd == cmdOptOut)
	case cmdAccept, cmdNext:
		t.action = "busy volunteer tried to take another request"
		return bt.reply(t, templates.VolunteerBusy{Code: p.Conv})
	case cmdPass:
		return bt.pass(ctx, t, v, code)
	case cmdStatus:
		return bt.status(ctx, t, v)
	case cmdOff:
		return bt.off(ctx, t, v)
	case cmdMenu:
		t.action = "menu sent"
		return bt.reply(t, templates.VolunteerMenu{})
	case cmdTalk:
		return bt.askToTalk(t, v)
	case cmdEscalate:
		return bt.escalate(t, v)
	case cmdBlock:
		return bt.blockChat(t, v)
	case cmdCover: // taking a shift the line asked about, between two texts to the person
		return bt.cover(ctx, t, v, code)
	}
	if held, err := bt.mentionsRequest(ctx, t.in.Body); err != nil || held {
		t.action = "message held back: it names a request"
		if err != nil {
			return err
		}
		return bt.reply(t, templates.VolunteerCodeHeld{})
	}
	t.action, t.kind = "relayed to person", KindRelay
	bt.match.Touch(t.b, p.Conv, t.now)
	t.b.Do("HSET", bt.keys.party(p.Peer), "peerch", string(t.in.Channel)) // the person's replies come back here
	words, err := bt.words(t)
	if err != nil {
		return err
	}
	return bt.send(t, p.Peer, p.PeerCh, templates.RelayToPerson{Name: v.Name, Body: words})
}

// endChat ends v's chat: both sides are told, the person's check-in is booked and v is asked how they
// are. A chat begun by a late accept to which the person never replied ends with a kind line that does
// not mention a chat. With optOut (the volunteer texted STOP), they are set OFF and not texted.
func (bt *Bot) endChat(ctx context.Context, t *turn, v rota.Volunteer, optOut bool) error {
	p := t.party
	bt.match.End(t.b, p.Conv, v.ID, t.now, p.Joined)
	bt.leaveChat(t, p.Conv, p.Peer, t.in.From)
	if optOut && !p.LateChat {
		bt.rota.SetAvailable(t.b, v.ID, false)
		return bt.requeue(ctx, t, v)
	}
	bt.scheduleCheckin(t, p.Conv, p.Peer, p.PeerCh)
	t.action, t.dispatch = "chat closed by volunteer", !optOut
	if !optOut {
		t.freed = append(t.freed, v.ID)
	}
	var toPerson templates.Message = templates.PersonClosed{Name: v.Name}
	if p.LateChat {
		toPerson, t.action = templates.PersonLateEnded{}, "late chat let go: the person never replied"
	}
	if err := bt.send(t, p.Peer, p.PeerCh, toPerson); err != nil {
		return err
	}
	if !p.LateChat {
		riskAt, riskCode, err := bt.personRisk(ctx, p.Peer)
		if err != nil {
			return err
		}
		if err := bt.askFeedback(t, p.Conv, p.Peer, p.PeerCh, riskAt, riskCode); err != nil {
			return err
		}
	}
	if optOut {
		bt.rota.SetAvailable(t.b, v.ID, false)
		t.action = "volunteer opted out: chat closed, set off"
		return nil
	}
	m := templates.VolunteerClosed{Code: p.Conv}
	rs, err := bt.rooms(ctx, []rota.Volunteer{v}, t.now)
	if err != nil {
		return err
	}
	l := bt.limits(v)
	if n := rs[v.ID].load.Night; l.Night > 0 && n >= l.Night {
		m.Last, m.Night = true, n
	} else if l.Rest > 0 {
		m.Rest = waitedText(l.Rest)
	}
	return bt.reply(t, m)
}

// requeue puts the person of v's chat back in the queue when v's phone stopped texts from the line
// (STOP) mid-chat: they still want help, so a new request is opened for them (urgent if the chat's was),
// they are told kindly that their peer supporter had to leave, and the coordinators on call hear. With
// nobody else on shift or on call, they get the crisis numbers and a check-in instead.
func (bt *Bot) requeue(ctx context.Context, t *turn, v rota.Volunteer) error {
	p := t.party
	old, err := bt.match.Request(ctx, p.Conv)
	if err != nil && !errors.Is(err, matcher.ErrNotFound) {
		return err
	}
	t.action = "volunteer opted out: chat closed, set off"
	m := templates.CoordinatorVolunteerStopped{Name: v.Name, ID: v.ID, Code: p.Conv, Urgent: old.Urgent}
	others := func(vols []rota.Volunteer) bool {
		return slices.ContainsFunc(available(t.rota, vols), func(o rota.Volunteer) bool { return o.ID != v.ID })
	}
	if !others(t.rota.OnShiftAt(t.now)) && !others(t.rota.OnCallAt(t.now)) {
		t.action += "; nobody else on: the person signposted"
		bt.scheduleCheckin(t, p.Conv, p.Peer, p.PeerCh)
		if err := bt.send(t, p.Peer, p.PeerCh, templates.PersonRequeued{}); err != nil {
			return err
		}
		return bt.stoppedAtRisk(t, m, v.ID)
	}
	req := matcher.Request{Code: matcher.NewCode(), Status: matcher.Open, Person: p.Peer, Channel: p.PeerCh,
		Created: t.now, Tier: 1, Told: matcher.ToldAck}
	if old.Urgent {
		req.Urgent, req.Tier, req.Earlier = true, 2, true
	}
	bt.match.Open(t.b, req, false)
	t.b.Do("HSET", bt.keys.party(p.Peer), "req", req.Code, "opened", t.now.UnixMilli())
	bt.scheduleSteps(t, req)
	t.action += "; the person back in the queue"
	t.fields["requeued"], t.dispatch, m.New = req.Code, true, req.Code
	if err := bt.send(t, p.Peer, p.PeerCh, templates.PersonRequeued{Queued: true}); err != nil {
		return err
	}
	return bt.stoppedAtRisk(t, m, v.ID)
}

// mentionsRequest reports whether text names a request of the line by its code (such as "R7K2"), which
// must never reach a person. It reads Redis only when a word has a code's shape.
func (bt *Bot) mentionsRequest(ctx context.Context, text string) (bool, error) {
	for _, w := range strings.FieldsFunc(text, func(r rune) bool { return !isCodeRune(r) }) {
		if !matcher.LooksLikeCode(w) {
			continue
		}
		_, err := bt.match.Request(ctx, strings.ToUpper(strings.TrimPrefix(w, "#")))
		if err == nil {
			return true, nil
		}
		if !errors.Is(err, matcher.ErrNotFound) {
			return false, err
		}
	}
	return false, nil
}

func isCodeRune(r rune) bool {
	return r == '#' || 'a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' || '0' <= r && r <= '9'
}

// accept claims a request for v. Exactly one of any number of concurrent accepts is applied: the
// others fail the claim's guard and are decided again. A volunteer already told that the request was
// taken is not told again.
func (bt *Bot) accept(ctx context.Context, t *turn, v rota.Volunteer, code string) error {
	if bt.toldTaken(t, code) {
		t.action = "accept after being told it was taken: nothing more to say"
		t.b.Do("HDEL", bt.keys.party(t.in.From), "taken")
		return nil
	}
	req, ok, err := bt.offered(ctx, t, v, code, true)
	if !ok || err != nil {
		return err
	}
	if req.Status == matcher.Unanswered && t.now.Sub(req.Created) < bt.opt.GiveUpAfter+bt.opt.LateAccept {
		return bt.acceptLate(ctx, t, req, v)
	}
	if req.Status == matcher.Open {
		return bt.take(t, req, v)
	}
	bt.dropStale(t, req.Code, v)
	if req.Status == matcher.Unanswered || req.Status == matcher.Withdrawn { // given up on long ago, or the person stopped
		t.action = "accept too late: the request ended"
		return bt.reply(t, templates.VolunteerNoOffer{})
	}
	t.action = "accept too late: already taken"
	return bt.tellTaken(t, req.Code)
}

// tellTaken answers a volunteer's ACCEPT of code, which someone else took: unless the winner's commit
// told them meanwhile. The request and the volunteer's state are read apart, so the answer is guarded on
// the volunteer's "taken" note being what was read: if the winner's commit set it since, this commit
// fails, the message is decided again, and toldTaken keeps it quiet. One "already taken" each.
func (bt *Bot) tellTaken(t *turn, code string) error {
	t.b.Field(bt.keys.party(t.in.From), "taken", t.party.Taken)
	return bt.reply(t, templates.VolunteerTaken{Code: code})
}

// dropStale drops v's offer of code, which has nothing left to act on, guarded (if v's state says they
// hold it) on their still holding it: if someone else dropped it meanwhile, they told v why, and the
// message is decided again on fresh state.
func (bt *Bot) dropStale(t *turn, code string, v rota.Volunteer) {
	_, held := t.match.Offers[code]
	_, late := t.match.LateOffers[code]
	if held || late {
		bt.match.DropHeld(t.b, code, v, !held)
		return
	}
	bt.match.Drop(t.b, code, v)
}

// take claims waiting request req for v and connects the two.
func (bt *Bot) take(t *turn, req matcher.Request, v rota.Volunteer) error {
	t.fields["request"] = req.Code
	bt.match.Claim(t.b, req, v, t.match.Offers, t.now)
	bt.cancelSteps(t, req.Code)
	if err := bt.tellOthersTaken(t, req, v); err != nil {
		return err
	}
	bt.joinChat(t, req.Code, req.Person, req.Channel, v.Phone, t.in.Channel, v.Name, v.ID)
	t.action = "request accepted"
	t.connected, t.waited = true, t.now.Sub(req.Created)
	// The volunteer's text first: the person hears someone is here only with it queued, in one commit.
	start := templates.VolunteerStart{Code: req.Code, Body: joinSaid(req.Said), Urgent: req.Urgent, Earlier: req.Earlier}
	if needs := community.NeedsIn(start.Body); len(needs) > 0 {
		start.Share = needs[0] // a tip: SHARE it sends the person the line's services for it
	}
	m := bt.fitting(start, func(m templates.Message) (templates.Message, bool) { // the tip goes first
		s := m.(templates.VolunteerStart)
		ok := s.Share != ""
		s.Share = ""
		return s, ok
	})
	if err := bt.reply(t, m); err != nil {
		return err
	}
	return bt.send(t, req.Person, req.Channel, templates.PersonMatched{Name: v.Name})
}

// joinSaid joins what a person wrote before anyone accepted, one text a line.
func joinSaid(said []string) string { return strings.Join(said, "\n") }

// takenQuiet is how long after being told a request was taken a volunteer's ACCEPT of it is taken to
// be the one they sent at the same moment, and is not answered again.
const takenQuiet = time.Minute

// toldTaken reports whether the sender was told, moments ago, that the request an ACCEPT is about
// (code, or with no code any) was taken, and holds no other offer it could mean.
func (bt *Bot) toldTaken(t *turn, code string) bool {
	told, at, _ := strings.Cut(t.party.Taken, " ")
	ms, _ := strconv.ParseInt(at, 10, 64)
	if told == "" || t.now.Sub(time.UnixMilli(ms)) > takenQuiet {
		return false
	}
	if code != "" {
		return code == told
	}
	return len(t.match.Offers) == 0 && len(t.match.LateOffers) == 0
}

// pass records v letting an offer go. When nobody holds the request any more it moves on (see
// nobodyHolds); the volunteer, free again, may be offered the next one.
func (bt *Bot) pass(ctx context.Context, t *turn, v rota.Volunteer, code string) error {
	req, ok, err := bt.offered(ctx, t, v, code, false)
	if !ok || err != nil {
		return err
	}
	t.action, t.dispatch, t.freed = "passed", true, append(t.freed, v.ID)
	if err := bt.release(ctx, t, req, v); err != nil {
		return err
	}
	return bt.reply(t, templates.VolunteerPassed{Code: req.Code})
}

// goOff makes v unavailable and lets go of every offer they hold, as if they had passed on each.
func (bt *Bot) goOff(ctx context.Context, t *turn, v rota.Volunteer) error {
	bt.rota.SetAvailable(t.b, v.ID, false)
	t.dispatch = true
	for code := range t.match.Offers {
		req, err := bt.match.Request(ctx, code)
		if errors.Is(err, matcher.ErrNotFound) {
			bt.match.Drop(t.b, code, v)
			continue
		}
		if err != nil {
			return err
		}
		if err := bt.release(ctx, t, req, v); err != nil {
			return err
		}
	}
	return nil
}

// release lets v's offer of req go, as a pass. When it was the last offer held, the request moves on.
func (bt *Bot) release(ctx context.Context, t *turn, req matcher.Request, v rota.Volunteer) error {
	switch req.Status {
	case matcher.Unanswered:
		bt.match.PassLate(t.b, req, v)
		return nil
	case matcher.Open:
	default:
		bt.match.Drop(t.b, req.Code, v)
		return nil
	}
	if bt.match.Pass(t.b, req, v) > 0 {
		return nil
	}
	return bt.nobodyHolds(ctx, t, req, v)
}
