package outbox

import (
	"context"
	"fmt"

	"github.com/redis/go-redis/v9"
)

// Reclaimed counts what one Reclaim did. Own and Taken are the messages it handled; Dropped and Buried
// count those of them that were not sent (too old to send; refused for good or already a dead letter),
// and Left those still not sent, for a later round.
type Reclaimed struct {
	Own     int // this instance's own messages, read before and never finished, not in hand now
	Taken   int // messages of other instances (stopped, or dead) idle longer than Options.ClaimIdle
	Dropped int // too old to send (Options.MaxAge, Message.ValidFor)
	Buried  int // kept as dead letters
	Left    int // not sent yet: still pending
}

// Total returns how many messages Reclaim handled.
func (r Reclaimed) Total() int { return r.Own + r.Taken }

// Reclaim takes over the messages that other instances left unacknowledged longer than ClaimIdle (they
// stopped, or died) and delivers them, one after another, before it returns. It also delivers this
// instance's own idle messages that it does not hold (Run takes those back at its start). Messages this
// instance holds or is sending are left alone.
func (o *Outbox) Reclaim(ctx context.Context) (Reclaimed, error) {
	var r Reclaimed
	if err := o.Setup(ctx); err != nil {
		return r, err
	}
	for _, c := range classes {
		if err := o.reclaimStream(ctx, o.keys.classStream(c), &r); err != nil {
			return r, err
		}
	}
	return r, nil
}

// reclaimStream reclaims the idle messages of stream, a page at a time, counting them into r.
func (o *Outbox) reclaimStream(ctx context.Context, stream string, r *Reclaimed) error {
	start := "-"
	for {
		idle, err := o.rdb.XPendingExt(ctx, &redis.XPendingExtArgs{
			Stream: stream, Group: group, Idle: o.opt.ClaimIdle, Start: start, End: "+", Count: 100,
		}).Result()
		if err != nil {
			return fmt.Errorf("reclaim outbox: list idle messages: %w", err)
		}
		for _, p := range idle {
			if err := o.reclaimOne(ctx, stream, p, r); err != nil {
				return err
			}
		}
		if len(idle) < 100 {
			return nil
		}
		start = "(" + idle[len(idle)-1].ID
	}
}

// reclaimOne takes the idle pending message p of stream and delivers it, unless this instance has it in
// hand or another instance took it first.
func (o *Outbox) reclaimOne(ctx context.Context, stream string, p redis.XPendingExt, r *Reclaimed) error {
	if !o.d.claim(stream, p.ID) {
		return nil
	}
	defer o.d.release(stream, p.ID)
	var msgs []redis.XMessage
	var err error
	own := p.Consumer == o.name
	if own {
		msgs, err = o.rdb.XRange(ctx, stream, p.ID, p.ID).Result()
	} else {
		msgs, err = o.rdb.XClaim(ctx, &redis.XClaimArgs{
			Stream: stream, Group: group, Consumer: o.name, MinIdle: o.opt.ClaimIdle, Messages: []string{p.ID},
		}).Result()
	}
	if err != nil {
		return fmt.Errorf("reclaim outbox: take message %s: %w", p.ID, err)
	}
	if len(msgs) == 0 || msgs[0].Values == nil {
		if own { // acknowledged but never deleted, or deleted: nothing to send
			_ = o.rdb.XAck(ctx, stream, group, p.ID).Err()
		}
		return nil
	}
	if own {
		r.Own++
	} else {
		r.Taken++
	}
	if o.finishBuried(ctx, stream, msgs[0]) {
		r.Buried++
		return nil
	}
	if err := o.pace.Wait(ctx); err != nil {
		r.Left++
		return nil
	}
	switch o.deliver(ctx, stream, msgs[0]) {
	case dropped:
		r.Dropped++
	case buried:
		r.Buried++
	case left:
		r.Left++
	}
	return nil
}
