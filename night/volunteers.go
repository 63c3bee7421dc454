package night

import (
	"math/rand/v2"
	"time"
)

// volunteer is a volunteer on shift (or a coordinator on call) and what they lived through.
type volunteer struct {
	Member
	index int
	rng   *rand.Rand

	chat     string    // the request of the chat they are in, "" when free
	chatFrom time.Time // when it started
	chatGen  int       // counts chats, so a text planned for an earlier chat is dropped
	closing  bool      // DONE sent, the close not yet confirmed
	busy     []span    // chats they were in

	firstOffer map[string]time.Time // request -> when they were first offered it (or paged)
	pending    map[string]bool      // requests they will answer (ACCEPT or PASS), not yet sent
	holding    map[string]time.Time // offers they hold unanswered -> since when
	held       []heldOffer          // offers they held, with when they let go

	texts, notices                                          int // texts from the line; those not relaying the person
	offers, pages, pagesBusy, taken, busyReplies, helpNotes int
}

// span is a stretch of time, from included, to excluded.
type span struct{ from, to time.Time }

// heldOffer is an offer a volunteer held unanswered; to is zero while they still hold it.
type heldOffer struct {
	code     string
	from, to time.Time
}

// toVolunteer lets a volunteer react to one text from the line.
func (m *model) toVolunteer(v *volunteer, k kind, code string, t Text) {
	v.texts++
	if k != kindFromPerson {
		v.notices++
	}
	switch k {
	case kindOffer, kindPage:
		m.offered(v, code, k == kindPage)
	case kindStart, kindLateStart:
		m.connect(v, code, k == kindLateStart)
	case kindTaken, kindMovedOn:
		v.taken++
		delete(v.pending, code)
		m.letGo(v, code)
	case kindHelp:
		v.helpNotes++
	case kindCodeHeld:
		m.odd.CodeHeld++
	case kindTryAgain:
		m.odd.TryAgain++
	case kindClosed:
		if v.chat != "" {
			v.busy = append(v.busy, span{v.chatFrom, m.now})
			v.chat, v.closing = "", false
		}
	case kindBusy:
		v.busyReplies++
	case kindFromPerson:
		gen := v.chatGen
		if v.chat == code && !v.closing {
			m.schedule(m.after(chatReply(), v.rng), v.Number, volunteerWords,
				func() bool { return v.chat == code && v.chatGen == gen && !v.closing }, nil)
		}
	}
}

// chatReply is how long a volunteer or a person takes to answer the other in a chat.
func chatReply() Range { return Range{20 * time.Second, time.Minute} }

// offered: the volunteer accepts, passes or misses the offer, by the model's chances and delays.
func (m *model) offered(v *volunteer, code string, page bool) {
	if page {
		v.pages++
		if v.chat != "" {
			v.pagesBusy++
		}
	} else {
		v.offers++
	}
	if v.pending[code] {
		return // offered again before they answered: their answer stands
	}
	if _, ok := v.firstOffer[code]; !ok {
		v.firstOffer[code] = m.now
	}
	if _, ok := v.holding[code]; !ok { // a new offer, or the same person offered again after they let it go
		v.holding[code] = m.now
	}
	u := v.rng.Float64()
	var at time.Time
	var body string
	switch {
	case u < m.opt.Accept:
		at, body = m.after(m.opt.AcceptAfter, v.rng), "ACCEPT "+code
	case u < m.opt.Accept+m.opt.Pass:
		at, body = m.after(m.opt.PassAfter, v.rng), "PASS "+code
	default:
		return // missed: they hold it until it is taken or ends
	}
	v.pending[code] = true
	m.schedule(at, v.Number, body, func() bool { return v.pending[code] }, func() {
		delete(v.pending, code)
		m.letGo(v, code)
	})
}

// letGo ends the volunteer's hold on an offer.
func (m *model) letGo(v *volunteer, code string) {
	if from, ok := v.holding[code]; ok {
		v.held = append(v.held, heldOffer{code, from, m.now})
		delete(v.holding, code)
	}
}

// connect puts the volunteer in a chat: they greet the person (unless the line has asked the person
// whether they still want to talk) and send DONE when the chat's drawn length is up.
func (m *model) connect(v *volunteer, code string, late bool) {
	if v.chat != "" {
		m.odd.TwoChats++
		v.busy = append(v.busy, span{v.chatFrom, m.now})
	}
	m.letGo(v, code)
	if m.connected[code] == nil {
		m.connected[code] = map[int]bool{}
	}
	m.connected[code][v.index] = true
	v.chat, v.chatFrom, v.closing = code, m.now, false
	v.chatGen++
	gen := v.chatGen
	inChat := func() bool { return v.chat == code && v.chatGen == gen && !v.closing }
	if !late {
		m.schedule(m.after(greeting(), v.rng), v.Number, volunteerWords, inChat, nil)
	}
	m.schedule(m.after(m.opt.Chat, v.rng), v.Number, "DONE", inChat, func() {
		v.closing = true
		if i, ok := m.codes[code]; ok && i >= 0 {
			m.people[i].ending = true // their own last words would open a new request: they keep them
		}
	})
}

// greeting is how long a volunteer takes to write first once connected.
func greeting() Range { return Range{5 * time.Second, 20 * time.Second} }
