package bot

import (
	"context"
	"fmt"

	"github.com/redis/go-redis/v9"

	"peerline/commit"
	"peerline/due"
	"peerline/matcher"
)

// Erasure erases what the bot keeps about one number (UK GDPR: a person's right to erasure). The rota
// script's forget command uses it, with the matcher's and the outbox's own.
type Erasure struct {
	rdb   redis.UniversalClient
	keys  keys
	due   *due.Queue
	match *matcher.Matcher
	apply *commit.Applier
}

// NewErasure returns the erasure of line's records.
func NewErasure(rdb redis.UniversalClient, line string) *Erasure {
	return &Erasure{rdb: rdb, keys: keys{prefix: "pl:{" + line + "}:bot:"}, due: due.New(rdb, line),
		match: matcher.New(rdb, line), apply: commit.NewApplier(rdb)}
}

// Erased counts what Forget found, or erased.
type Erased struct {
	State    bool // the number's state: its channel, request, chat, opt-out, block note...
	InChat   bool // they were in a chat, which ends (the volunteer's side is cleared too)
	Blocked  bool // a volunteer's block of them
	Counters int  // rate and repeat-contact counters
	Checkin  bool // a check-in booked for them
}

// Forget erases the number's state (ending a chat it is in, on both sides, without texting anyone),
// its block, its counters and its booked check-in. With dryRun it only reports what it would erase.
func (e *Erasure) Forget(ctx context.Context, number string, dryRun bool) (Erased, error) {
	party, err := e.rdb.HGetAll(ctx, e.keys.party(number)).Result()
	if err != nil {
		return Erased{}, fmt.Errorf("read the number's state: %w", err)
	}
	p := decodeParty(party)
	var counters []string
	iter := e.rdb.Scan(ctx, 0, e.keys.prefix+"rate:"+number+":*", 100).Iterator()
	for iter.Next(ctx) {
		counters = append(counters, iter.Val())
	}
	if err := iter.Err(); err != nil {
		return Erased{}, fmt.Errorf("find the number's counters: %w", err)
	}
	pipe := e.rdb.Pipeline()
	blocked := pipe.ZScore(ctx, e.keys.blocks(), number)
	contacts := pipe.Exists(ctx, e.keys.contacts(number))
	_, _ = pipe.Exec(ctx) // a missing score is redis.Nil; real errors show on the next read
	checkin, _, err := e.due.Scheduled(ctx, stepID(jobCheckin, number))
	if err != nil {
		return Erased{}, err
	}
	got := Erased{State: len(party) > 0, InChat: p.Peer != "" && p.PeerID != "", Blocked: blocked.Err() == nil,
		Counters: len(counters) + int(contacts.Val()), Checkin: !checkin.IsZero()}
	if dryRun {
		return got, nil
	}
	b := commit.New()
	if got.InChat { // the volunteer's side of the chat names the number: clear it
		b.Do("HDEL", e.keys.party(p.Peer), "conv", "peer", "peerch", "joined", "latechat")
		e.match.Forget(b, p.PeerID, p.Req)
	}
	b.Do("DEL", e.keys.party(number))
	b.Do("DEL", e.keys.contacts(number))
	for _, k := range counters {
		b.Do("DEL", k)
	}
	b.Do("ZREM", e.keys.blocks(), number)
	b.Do("HDEL", e.keys.blockInfo(), number)
	e.due.Cancel(b, stepID(jobCheckin, number))
	if _, err := e.apply.Apply(ctx, b); err != nil {
		return Erased{}, fmt.Errorf("erase the number's records: %w", err)
	}
	return got, nil
}
