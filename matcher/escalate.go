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

// The escalation of a request nobody takes: a wider offer, the coordinator's page, a late taker.

// ClaimLate adds to b volunteer v taking req after it went unanswered (the person was signposted): it
// holds only while the request is still unanswered and v is free, so one late taker at most.
func (m *Matcher) ClaimLate(b *commit.Batch, req Request, v rota.Volunteer, at time.Time) {
	m.claim(b, req, v, at, Unanswered)
	b.Do("DEL", m.saidKey(req.Code))
}

// Widen adds to b the second tier of req's offers: to vols, everyone eligible not offered it yet. It
// holds only while the request is open and still in its first tier, so it happens once.
func (m *Matcher) Widen(b *commit.Batch, req Request, vols []rota.Volunteer, at time.Time) {
	k := m.requestKey(req.Code)
	b.Field(k, "status", Open)
	b.Field(k, "tier", "1")
	b.Do("HSET", k, "tier", 2)
	b.Do("HINCRBY", k, "offered", len(vols))
	m.offer(b, req.Code, vols, at)
}

// Page adds to b the page of req to the coordinators on call at time at: they are offered it too (so
// they can ACCEPT it themselves) and the history records the escalation. It holds only while the request
// is open and not yet paged, so it happens once.
func (m *Matcher) Page(b *commit.Batch, req Request, coordinators []rota.Volunteer, at time.Time) {
	k := m.requestKey(req.Code)
	b.Field(k, "status", Open)
	b.Field(k, "paged", "")
	b.Do("HSET", k, "paged", 1)
	var fresh []rota.Volunteer
	for _, c := range coordinators {
		if !req.OfferedTo[c.ID] {
			fresh = append(fresh, c)
		}
	}
	b.Do("HINCRBY", k, "offered", len(fresh))
	m.offer(b, req.Code, fresh, at)
	m.Escalated(b, req, at)
}

// HasOffer reports whether the volunteer with number phone still holds an offer of code.
func (m *Matcher) HasOffer(ctx context.Context, code, phone string) (bool, error) {
	ok, err := m.rdb.HExists(ctx, m.offersKey(phone), code).Result()
	if err != nil {
		return false, fmt.Errorf("read offer %s: %w", code, err)
	}
	return ok, nil
}

// Busy returns who is in a conversation now: volunteer id -> the conversation's code.
func (m *Matcher) Busy(ctx context.Context) (map[string]string, error) {
	h, err := m.rdb.HGetAll(ctx, m.activeKey()).Result()
	if err != nil {
		return nil, fmt.Errorf("read conversations: %w", err)
	}
	return h, nil
}

// StillOpen adds to b a guard that req is still open, for a decision that relies on it.
func (m *Matcher) StillOpen(b *commit.Batch, req Request) {
	b.Field(m.requestKey(req.Code), "status", Open)
}

// LastOffers returns when each volunteer was last offered a request or matched, by id.
func (m *Matcher) LastOffers(ctx context.Context) (map[string]time.Time, error) {
	h, err := m.rdb.HGetAll(ctx, m.lastOfferKey()).Result()
	if err != nil {
		return nil, fmt.Errorf("read latest offers: %w", err)
	}
	out := make(map[string]time.Time, len(h))
	for id, ms := range h {
		n, _ := strconv.ParseInt(ms, 10, 64)
		out[id] = time.UnixMilli(n)
	}
	return out, nil
}

// maxSaid caps how many early messages are kept for the volunteer who accepts.
const maxSaid = 10

// Statuses returns the status of each request of codes ("" for one that expired), in one round trip.
func (m *Matcher) Statuses(ctx context.Context, codes []string) (map[string]string, error) {
	out := map[string]string{}
	if len(codes) == 0 {
		return out, nil
	}
	pipe := m.rdb.Pipeline()
	cmds := make([]*redis.StringCmd, len(codes))
	for i, c := range codes {
		cmds[i] = pipe.HGet(ctx, m.requestKey(c), "status")
	}
	if _, err := pipe.Exec(ctx); err != nil && !errors.Is(err, redis.Nil) {
		return nil, fmt.Errorf("read request statuses: %w", err)
	}
	for i, c := range codes {
		out[c] = cmds[i].Val()
	}
	return out, nil
}
