package matcher

import (
	"strconv"
	"strings"
	"time"

	"peerline/commit"
	"peerline/phone"
	"peerline/rota"
)

// A request's life, as writes added to a commit batch: opened, offered, claimed or passed, ended.

// urgentLead puts urgent requests ahead of every other in the queue: about 300 years of milliseconds.
const urgentLead = 1e13

// priority is a waiting request's score in the queue: lower comes first.
func priority(req Request) float64 {
	p := float64(req.Created.UnixMilli())
	if req.Urgent {
		p -= urgentLead
	}
	return p
}

// Open adds to b a new request, waiting in the queue (or, when signposted is set, given up on at once
// because nobody is on shift or on call), with its history. The guard fails if the code is already in
// use; the caller then tries another code.
func (m *Matcher) Open(b *commit.Batch, req Request, signposted bool) commit.Guard {
	k := m.requestKey(req.Code)
	g := b.Absent(k)
	b.Do("HSET", k, "status", Open, "person", req.Person, "channel", string(req.Channel),
		"offered", 0, "passes", 0, "created", req.Created.Unix(), "tier", max(req.Tier, 1),
		"wants", strings.Join(req.Wants, ","), "told", req.Told)
	if req.Urgent {
		b.Do("HSET", k, "urgent", 1)
	}
	if req.Earlier {
		b.Do("HSET", k, "earlier", 1)
	}
	b.Do("EXPIRE", k, int(m.retention/time.Second))
	m.record(b, Event{Kind: EventNew, Code: req.Code, At: req.Created, Channel: req.Channel, Repeat: req.Repeat})
	for _, said := range req.Said {
		m.said(b, req.Code, said) // the channel is in the hash already
	}
	if signposted {
		m.unanswered(b, req, req.Created)
		return g
	}
	b.Do("ZADD", m.openKey(), priority(req), req.Code)
	return g
}

// Offer adds to b offers of req to vols at time at. An offer of a waiting request is held until it is
// answered or the request moves on; an offer of a signposted one is a late offer. Each is remembered as
// offered for the request and, for fairness, as each volunteer's latest offer. The guard on the
// request's holders keeps decisions about how many hold it consistent with concurrent ones.
func (m *Matcher) Offer(b *commit.Batch, req Request, vols []rota.Volunteer, at time.Time) {
	if len(vols) == 0 {
		return
	}
	if !req.Fresh {
		b.Field(m.requestKey(req.Code), "status", req.Status)
		b.Card(m.holdersKey(req.Code), len(req.Holders))
	}
	m.offer(b, req, vols, at)
}

// offer adds to b the offers of req to vols, without guards.
func (m *Matcher) offer(b *commit.Batch, req Request, vols []rota.Volunteer, at time.Time) {
	if len(vols) == 0 {
		return
	}
	k := m.requestKey(req.Code)
	ids := make([]any, 0, len(vols))
	last := make([]any, 0, 2*len(vols))
	for _, v := range vols {
		if req.Status == Unanswered {
			lk := m.lateOffersKey(v.Phone)
			b.Do("HSET", lk, req.Code, at.Unix())
			b.Do("EXPIRE", lk, int(lateKeep/time.Second))
		} else {
			ok := m.offersKey(v.Phone)
			b.Do("HSET", ok, req.Code, at.Unix())
			b.Do("EXPIRE", ok, int(m.retention/time.Second))
		}
		ids = append(ids, v.ID)
		last = append(last, v.ID, at.UnixMilli())
	}
	b.Do("SADD", m.holdersKey(req.Code), ids...)
	b.Do("SADD", m.offeredKey(req.Code), ids...)
	b.Do("HSET", m.lastOfferKey(), last...)
	b.Do("HINCRBY", k, "offered", len(vols))
	if req.Status == Unanswered {
		b.Do("HSET", k, "lateoffered", at.Unix())
	}
	for _, sk := range []string{m.holdersKey(req.Code), m.offeredKey(req.Code)} {
		b.Do("EXPIRE", sk, int(m.retention/time.Second))
	}
}

// Say adds to b one more text the person wrote while nobody has accepted yet; ch is where they wrote
// from, so the volunteer's replies go back there.
func (m *Matcher) Say(b *commit.Batch, code string, ch phone.Channel, text string) {
	m.said(b, code, text)
	b.Do("HSET", m.requestKey(code), "channel", string(ch))
}

// said adds to b one more text the person wrote, keeping the latest maxSaid.
func (m *Matcher) said(b *commit.Batch, code, text string) {
	k := m.saidKey(code)
	b.Do("RPUSH", k, text)
	b.Do("LTRIM", k, -maxSaid, -1)
	b.Do("EXPIRE", k, int(m.retention/time.Second))
}

// Tell adds to b that the person of req has now been told stage (ToldAck...), guarded on what they had
// been told before, so a status text is sent once and never after a later one. It reports whether the
// text should be sent at all.
func (m *Matcher) Tell(b *commit.Batch, req Request, stage int) bool {
	if stage <= req.Told {
		return false
	}
	k := m.requestKey(req.Code)
	b.Field(k, "told", strconv.Itoa(req.Told))
	b.Do("HSET", k, "told", stage)
	return true
}

// Claim adds to b the atomic claim of req by volunteer v at time at: it holds only while the request is
// still waiting and v is in no other conversation, so among concurrent claims exactly one is applied
// (and recorded in the history). The request leaves the queue, and v lets go of the other offers they
// hold (others, from their state), since they are busy now.
func (m *Matcher) Claim(b *commit.Batch, req Request, v rota.Volunteer, others map[string]time.Time, at time.Time) {
	m.claim(b, req, v, at, Open)
	b.Do("ZREM", m.openKey(), req.Code)
	b.Do("DEL", m.saidKey(req.Code))
	for code := range others {
		if code != req.Code {
			m.Drop(b, code, v)
		}
	}
}

// claim adds to b the claim of req by v, guarded on the request's status being from and v being free.
func (m *Matcher) claim(b *commit.Batch, req Request, v rota.Volunteer, at time.Time, from string) {
	k := m.requestKey(req.Code)
	b.Field(k, "status", from)
	b.Field(m.activeKey(), v.ID, "")
	b.Do("HSET", k, "status", Matched, "volunteer", v.ID, "matched", at.UnixMilli())
	m.record(b, Event{Kind: EventMatched, Code: req.Code, At: at, Created: req.Created, Volunteer: v.ID})
	b.Do("HSET", m.activeKey(), v.ID, req.Code)
	b.Do("INCR", m.activeVersionKey())
	m.worked(b, v.ID, req.Code, at)
	m.Drop(b, req.Code, v)
	b.Do("DEL", m.holdersKey(req.Code))
	b.Do("HSET", m.lastOfferKey(), v.ID, at.UnixMilli())
}

// Pass adds to b volunteer v passing on req, and returns how many still hold its offer after it, so
// the caller can move the request on when nobody does. The guards make a pass count once, even when two
// volunteers pass at the same moment.
func (m *Matcher) Pass(b *commit.Batch, req Request, v rota.Volunteer) (left int) {
	k := m.requestKey(req.Code)
	b.HasField(m.offersKey(v.Phone), req.Code, true)
	b.Field(k, "status", Open)
	b.Card(m.holdersKey(req.Code), len(req.Holders))
	m.Drop(b, req.Code, v)
	b.Do("HINCRBY", k, "passes", 1)
	b.Do("SADD", m.passedKey(req.Code), v.ID)
	b.Do("EXPIRE", m.passedKey(req.Code), int(m.retention/time.Second))
	left = len(req.Holders)
	if req.Holders[v.ID] {
		left--
	}
	return left
}

// PassLate adds to b volunteer v passing on the late offer of req (its person was signposted), so it
// is not offered to them again.
func (m *Matcher) PassLate(b *commit.Batch, req Request, v rota.Volunteer) {
	m.Drop(b, req.Code, v)
	b.Do("SADD", m.passedKey(req.Code), v.ID)
	b.Do("EXPIRE", m.passedKey(req.Code), int(m.retention/time.Second))
}

// Drop adds to b the removal of v's offer of code (waiting or late), which v no longer holds.
func (m *Matcher) Drop(b *commit.Batch, code string, v rota.Volunteer) {
	b.Do("HDEL", m.offersKey(v.Phone), code)
	b.Do("HDEL", m.lateOffersKey(v.Phone), code)
	b.Do("SREM", m.holdersKey(code), v.ID)
}

// DropHeld adds to b the removal of v's offer of code (a late offer when late), guarded on v still
// holding it: a decision that the offer has nothing left to act on, made from v's state as read, then
// holds only if nobody has dropped the offer meanwhile (and told v why).
func (m *Matcher) DropHeld(b *commit.Batch, code string, v rota.Volunteer, late bool) {
	k := m.offersKey(v.Phone)
	if late {
		k = m.lateOffersKey(v.Phone)
	}
	b.HasField(k, code, true)
	m.Drop(b, code, v)
}

// End adds to b, at time at, the end of request code's conversation with volunteer id (status Closed).
// since is when the conversation began; the zero time when the caller does not know.
func (m *Matcher) End(b *commit.Batch, code, id string, at, since time.Time) {
	k := m.requestKey(code)
	b.Field(m.activeKey(), id, code)
	b.Do("HSET", k, "status", Closed)
	b.Do("HDEL", m.activeKey(), id)
	b.Do("INCR", m.activeVersionKey())
	m.rested(b, id, code, at)
	m.record(b, Event{Kind: EventEnded, Code: code, At: at, Volunteer: id, Matched: since})
}
