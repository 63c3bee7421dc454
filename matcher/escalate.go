package matcher

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/redis/go-redis/v9"

	"peerline/commit"
	"peerline/rota"
)

// The moves of a request that nobody has taken yet: a wider offer, the coordinator's page, the
// signpost, a late taker, a withdrawal.

// ClaimLate adds to b volunteer v taking req after it went unanswered (the person was signposted): it
// holds only while the request is still unanswered and v is free, so one late taker at most.
func (m *Matcher) ClaimLate(b *commit.Batch, req Request, v rota.Volunteer, at time.Time) {
	m.claim(b, req, v, at, Unanswered)
	b.Do("ZREM", m.lateKey(), req.Code)
	b.Do("DEL", m.saidKey(req.Code))
}

// Widen adds to b the end of req's first tier: from now on anyone free may hold its offer, not only the
// first few. It holds only while the request is waiting and still in its first tier, so it happens once.
func (m *Matcher) Widen(b *commit.Batch, req Request) {
	k := m.requestKey(req.Code)
	b.Field(k, "status", Open)
	b.Field(k, "tier", "1")
	b.Do("HSET", k, "tier", 2)
}

// Page adds to b the page of req to coordinators cs at time at: they are offered it (so they can ACCEPT
// it themselves), and the history records the escalation the first time only.
func (m *Matcher) Page(b *commit.Batch, req Request, cs []rota.Volunteer, at time.Time) {
	k := m.requestKey(req.Code)
	for _, c := range cs {
		b.Field(m.activeKey(), c.ID, "") // a coordinator who has just begun a chat is not paged
		b.Len(m.offersKey(c.Phone), 0)   // nor one deciding on another page
	}
	if !req.Fresh {
		b.Field(k, "paged", map[bool]string{true: "1"}[req.Paged])
	}
	b.Do("HSET", k, "paged", 1)
	m.Offer(b, req, cs, at)
	if !req.Paged {
		m.Escalated(b, req, at)
	}
}

// MarkUrgent adds to b that waiting request req is urgent (its person used risk words): it moves to
// the head of the queue and its first tier ends, so everyone free may be offered it at once.
func (m *Matcher) MarkUrgent(b *commit.Batch, req Request) {
	k := m.requestKey(req.Code)
	b.Field(k, "status", Open)
	b.Do("HSET", k, "urgent", 1, "tier", 2)
	req.Urgent = true
	b.Do("ZADD", m.openKey(), priority(req), req.Code)
}

// BusyTold adds to b that the coordinators on call, all in chats, were told the line needs help about
// req; it holds once.
func (m *Matcher) BusyTold(b *commit.Batch, req Request) {
	k := m.requestKey(req.Code)
	if !req.Fresh {
		b.Field(k, "busytold", "")
	}
	b.Do("HSET", k, "busytold", 1)
}

// GiveUp adds to b marking a waiting request Unanswered at time at, because nobody accepted it in time:
// it leaves the queue for the late list, and those holding its offer (volunteers of r) keep it as a late
// offer.
func (m *Matcher) GiveUp(b *commit.Batch, req Request, r rota.Rota, at time.Time) {
	b.Field(m.requestKey(req.Code), "status", Open)
	b.Card(m.holdersKey(req.Code), len(req.Holders))
	for id := range req.Holders {
		if v, ok := r.Volunteers[id]; ok {
			b.Do("HDEL", m.offersKey(v.Phone), req.Code)
			b.Do("HSET", m.lateOffersKey(v.Phone), req.Code, at.Unix())
			b.Do("EXPIRE", m.lateOffersKey(v.Phone), int(lateKeep/time.Second))
		}
	}
	m.unanswered(b, req, at)
}

func (m *Matcher) unanswered(b *commit.Batch, req Request, at time.Time) {
	b.Do("HSET", m.requestKey(req.Code), "status", Unanswered)
	b.Do("ZREM", m.openKey(), req.Code)
	b.Do("ZADD", m.lateKey(), at.UnixMilli(), req.Code)
	b.Do("EXPIRE", m.saidKey(req.Code), int(lateKeep/time.Second)) // for a late taker, then gone
	m.record(b, Event{Kind: EventUnanswered, Code: req.Code, At: at, Created: req.Created})
}

// Withdraw adds to b, at time at, the withdrawal of req by its person (status Withdrawn) while it waits
// or after the signpost: it leaves the queue and the late list, and the offers of it (to volunteers of
// r) are dropped. since is when the request was opened; the zero time when not known.
func (m *Matcher) Withdraw(b *commit.Batch, req Request, r rota.Rota, at, since time.Time) {
	k := m.requestKey(req.Code)
	from := req.Status
	if from != Unanswered {
		from = Open
	}
	b.Field(k, "status", from)
	b.Do("HSET", k, "status", Withdrawn)
	b.Do("ZREM", m.openKey(), req.Code)
	b.Do("ZREM", m.lateKey(), req.Code)
	b.Do("DEL", m.saidKey(req.Code))
	for id := range req.Holders {
		if v, ok := r.Volunteers[id]; ok {
			m.Drop(b, req.Code, v)
		}
	}
	if req.Status == Open {
		m.record(b, Event{Kind: EventWithdrawn, Code: req.Code, At: at, Created: since})
	}
}

// LeaveLate adds to b the removal of req from the late list: its person is back with a new request, or
// talking to someone, so it is no longer offered to volunteers who come free.
func (m *Matcher) LeaveLate(b *commit.Batch, code string) {
	b.Do("ZREM", m.lateKey(), code)
}

// Holding returns how many offers of waiting requests each of vols holds, by id, in one round trip.
func (m *Matcher) Holding(ctx context.Context, vols []rota.Volunteer) (map[string]int, error) {
	out := map[string]int{}
	if len(vols) == 0 {
		return out, nil
	}
	pipe := m.rdb.Pipeline()
	cmds := make([]*redis.IntCmd, len(vols))
	for i, v := range vols {
		cmds[i] = pipe.HLen(ctx, m.offersKey(v.Phone))
	}
	if _, err := pipe.Exec(ctx); err != nil {
		return nil, fmt.Errorf("read the offers of %d volunteers: %w", len(vols), err)
	}
	for i, v := range vols {
		out[v.ID] = int(cmds[i].Val())
	}
	return out, nil
}

// HasOffer reports whether the volunteer with number phone still holds an offer of code.
func (m *Matcher) HasOffer(ctx context.Context, code, phone string) (bool, error) {
	pipe := m.rdb.Pipeline()
	w := pipe.HExists(ctx, m.offersKey(phone), code)
	l := pipe.HExists(ctx, m.lateOffersKey(phone), code)
	if _, err := pipe.Exec(ctx); err != nil {
		return false, fmt.Errorf("read offer %s: %w", code, err)
	}
	return w.Val() || l.Val(), nil
}

// Busy returns who is in a conversation now: volunteer id -> the conversation's code.
func (m *Matcher) Busy(ctx context.Context) (map[string]string, error) {
	h, err := m.rdb.HGetAll(ctx, m.activeKey()).Result()
	if err != nil {
		return nil, fmt.Errorf("read conversations: %w", err)
	}
	return h, nil
}

// StillOpen adds to b a guard that req is still waiting, for a decision that relies on it.
func (m *Matcher) StillOpen(b *commit.Batch, req Request) {
	b.Field(m.requestKey(req.Code), "status", Open)
}

// maxSaid caps how many early messages are kept for the volunteer who accepts.
const maxSaid = 10

// Offered is what ACCEPT needs to know of a request a volunteer holds an offer of.
type Offered struct {
	Status string // "" for one that expired
	Urgent bool
}

// Statuses returns the status of each request of codes, and whether it is urgent, in one round trip.
func (m *Matcher) Statuses(ctx context.Context, codes []string) (map[string]Offered, error) {
	out := map[string]Offered{}
	if len(codes) == 0 {
		return out, nil
	}
	pipe := m.rdb.Pipeline()
	cmds := make([]*redis.SliceCmd, len(codes))
	for i, c := range codes {
		cmds[i] = pipe.HMGet(ctx, m.requestKey(c), "status", "urgent")
	}
	if _, err := pipe.Exec(ctx); err != nil && !errors.Is(err, redis.Nil) {
		return nil, fmt.Errorf("read request statuses: %w", err)
	}
	for i, c := range codes {
		v := texts(cmds[i].Val())
		out[c] = Offered{Status: v[0], Urgent: v[1] != ""}
	}
	return out, nil
}

// lastOffers decodes the hash of when each volunteer was last offered a request or matched.
func lastOffers(h map[string]string) map[string]time.Time {
	out := make(map[string]time.Time, len(h))
	for id, ms := range h {
		n, _ := strconv.ParseInt(ms, 10, 64)
		out[id] = time.UnixMilli(n)
	}
	return out
}
