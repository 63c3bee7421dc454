package night

import (
	"math/rand/v2"
	"strings"
	"time"
)

// person is someone who texts the line once during the night, and what they lived through.
type person struct {
	index   int
	number  string
	rng     *rand.Rand
	arrived time.Time // when they first texted
	texted  bool
	code    string // their request, once a volunteer's text named it

	firstReply time.Time // the line's first text to them
	firstKind  kind      // and what it said
	connected  time.Time // when a human joined them: the "is here for you" text, or the late offer they answered
	late       bool      // connected after the signpost
	signposted time.Time
	lateOffer  time.Time // the first "free to talk now" text
	lateOpen   bool      // a late offer stands and they have not answered it
	inChat     bool
	ending     bool // their volunteer has sent DONE
	chatGen    int

	// texts from the line; those not relaying a volunteer; those saying "call 999"; those with a request code
	texts, notices, danger, codes int
}

// lateReply is how long a signposted person takes to answer a late offer.
func lateReply() Range { return Range{10 * time.Second, time.Minute} }

// toPerson lets a person react to one text from the line.
func (m *model) toPerson(p *person, k kind, t Text) {
	p.texts++
	if k != kindFromVolunteer {
		p.notices++
	}
	if p.firstReply.IsZero() && p.texted {
		p.firstReply, p.firstKind = m.now, k
	}
	if strings.Contains(strings.ToLower(t.Body), phraseDanger) {
		p.danger++
	}
	if findCode(t.Body) != "" {
		p.codes++
	}
	switch k {
	case kindMatched:
		if !p.connected.IsZero() {
			m.odd.MatchedTwice++
			return
		}
		p.connected = m.now
		m.chatStarts(p)
	case kindSignpost:
		if !p.signposted.IsZero() {
			m.odd.SignpostedTwice++
			return
		}
		p.signposted = m.now
	case kindLateOffer:
		m.offeredLate(p)
	case kindFromVolunteer:
		if p.inChat {
			gen := p.chatGen
			m.schedule(m.after(chatReply(), p.rng), p.number, personWords,
				func() bool { return p.inChat && p.chatGen == gen && !p.ending }, nil)
		}
	case kindPersonClosed, kindLateEnded:
		if !p.inChat && k == kindPersonClosed {
			m.odd.ClosedNeverStarted++
		}
		p.inChat, p.lateOpen = false, false
		p.chatGen++
	case kindTryAgain:
		m.odd.TryAgain++
	}
}

// offeredLate: a signposted person answers a volunteer free after all, with the model's chance.
func (m *model) offeredLate(p *person) {
	if !p.lateOffer.IsZero() || !p.connected.IsZero() {
		return
	}
	p.lateOffer, p.lateOpen = m.now, true
	if p.rng.Float64() >= m.opt.ReplyLate {
		return
	}
	m.schedule(m.after(lateReply(), p.rng), p.number, lateWords, func() bool { return p.lateOpen && !p.ending }, func() {
		p.connected, p.late, p.lateOpen = p.lateOffer, true, false
		m.chatStarts(p)
	})
}

func (m *model) chatStarts(p *person) {
	p.inChat, p.ending = true, false
	p.chatGen++
}

// resolved returns when the person's request stopped waiting: a human joined or the signpost came,
// whichever was first; zero while still waiting.
func (p *person) resolved() time.Time {
	switch {
	case p.connected.IsZero():
		return p.signposted
	case p.signposted.IsZero() || p.connected.Before(p.signposted):
		return p.connected
	}
	return p.signposted
}
