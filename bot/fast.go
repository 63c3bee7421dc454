package bot

import (
	"context"
	"sync"

	"github.com/sirupsen/logrus"

	"peerline/commit"
)

// maxCached bounds the party cache; when it is full it starts again empty.
const maxCached = 10000

// parties remembers, per number, the state last read of people and volunteers who are in a chat. A
// message inside a chat (the commonest message) is then decided from it and committed in one round
// trip, with guards that prove the remembered state, and the rota it used, are still current. If a
// guard fails, the message is handled the ordinary way. The cache is in memory only; it holds numbers
// but never reaches a log.
type parties struct {
	mu sync.Mutex
	m  map[string]party
}

func (c *parties) get(number string) (party, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	p, ok := c.m[number]
	return p, ok
}

// keep remembers p for number if it is in a chat, and forgets the number otherwise.
func (c *parties) keep(number string, p party) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if p.Peer == "" {
		delete(c.m, number)
		return
	}
	if c.m == nil || len(c.m) >= maxCached {
		c.m = map[string]party{}
	}
	c.m[number] = p
}

// fast tries to handle a message inside a chat in one round trip. It reports whether it did; when it did
// not, nothing was written and the caller goes the ordinary way.
func (bt *Bot) fast(ctx context.Context, in Inbound) (bool, error) {
	p, ok := bt.chats.get(in.From)
	r, version, rotaOK := bt.rota.Cached()
	if !ok || !rotaOK {
		return false, nil
	}
	if _, isVol := r.ByPhone(in.From); !isVol && (bt.risk.Match(in.Body) || optOut(in)) {
		return false, nil // risk words and STOP need the person's whole state (what they were told, and when)
	}
	t := &turn{in: in, now: bt.now(), rota: r, party: p, b: commit.New(), fields: logrus.Fields{"who": bt.who(in.From)}}
	seen := bt.markSeen(t)
	bt.rota.GuardVersion(t.b, version)
	k := bt.keys.party(in.From)
	for field, want := range map[string]string{"peer": p.Peer, "peerch": string(p.PeerCh), "req": p.Req, "conv": p.Conv} {
		t.b.Field(k, field, want)
	}
	if err := bt.decide(ctx, t); err != nil {
		return false, err
	}
	failed, err := bt.settle(ctx, t, seen)
	return err == nil && (failed == 0 || failed == seen), err
}
