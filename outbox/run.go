package outbox

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/redis/go-redis/v9"
)

// Run delivers messages until ctx ends, then finishes the sends in flight and returns.
//
// It first takes back the messages this instance (Options.Instance) read and never finished before it
// stopped, and sends them at once. Then it keeps up to Options.InFlight sends in flight, starting each
// when the rate limit (Options.Rate) allows, and always takes the highest class that has a message
// waiting: urgent, then relay, then routine. One recipient has one text in flight at a time, so a
// person's or a volunteer's texts arrive in the order they were queued. A message that failed
// Options.Attempts times in a row is put aside and tried again within seconds, by this instance,
// keeping it from other instances' Reclaim.
func (o *Outbox) Run(ctx context.Context) error {
	if err := o.Setup(ctx); err != nil {
		return err
	}
	if n, err := o.takeBackOwn(ctx); err != nil {
		o.log.WithError(err).Error("take back the messages this instance left unsent; Reclaim takes them later")
	} else if n > 0 {
		o.log.WithField("own", n).Warn("resending at once the messages this instance left unsent when it stopped")
	}
	slots := make(chan struct{}, o.opt.InFlight)
	var wg sync.WaitGroup
	for ctx.Err() == nil {
		select {
		case slots <- struct{}{}:
		case <-ctx.Done():
			continue
		}
		if err := o.pace.Wait(ctx); err != nil {
			<-slots
			continue
		}
		o.recover(ctx)
		e := o.next(ctx, o.opt.InFlight-len(slots)+1)
		if e == nil {
			<-slots
			continue
		}
		wg.Go(func() {
			defer func() { <-slots }()
			o.send(context.WithoutCancel(ctx), e)
		})
	}
	wg.Wait()
	return nil
}

// next returns the next message to send, now in flight, or nil when none came within Options.Block. It
// reads at most n messages of a class at once (the free sending slots, within the rate limit's burst),
// also when it waits for new ones: the texts of one commit come in one read.
func (o *Outbox) next(ctx context.Context, n int) *entry {
	if b := o.pace.Burst(); b > 0 {
		n = min(n, b)
	}
	for _, c := range classes {
		if e := o.d.pick(c, o.now()); e != nil {
			return e
		}
		for range 2 { // a read may bring only texts that wait for their recipient's text in flight
			if o.read(ctx, []class{c}, int64(n), -1) == 0 {
				break
			}
			if e := o.d.pick(c, o.now()); e != nil {
				return e
			}
		}
	}
	if o.read(ctx, classes, int64(n), o.d.waitFor(o.opt.Block, o.now())) == 0 {
		return nil
	}
	for _, c := range classes {
		if e := o.d.pick(c, o.now()); e != nil {
			return e
		}
	}
	return nil
}

// read reads up to count new messages of each of cs, waiting up to block for one (block < 0: not at
// all), holds them and returns how many it read.
func (o *Outbox) read(ctx context.Context, cs []class, count int64, block time.Duration) int {
	streams := make([]string, 0, 2*len(cs))
	for _, c := range cs {
		streams = append(streams, o.keys.classStream(c))
	}
	for range cs {
		streams = append(streams, ">")
	}
	res, err := o.rdb.XReadGroup(ctx, &redis.XReadGroupArgs{
		Group: group, Consumer: o.name, Streams: streams, Count: count, Block: block,
	}).Result()
	if errors.Is(err, redis.Nil) || ctx.Err() != nil {
		return 0
	}
	if err != nil {
		o.log.WithError(err).Warn("read outbox")
		o.unsure.Store(true)
		o.wait(ctx, o.opt.Backoff)
		return 0
	}
	return o.holdAll(res, false)
}

// recover takes back, after a failed read, the messages Redis may have handed this instance without
// the answer arriving: they are pending under its name, and would otherwise wait for Reclaim (30 s
// idle). Messages this instance holds already are not held twice.
func (o *Outbox) recover(ctx context.Context) {
	if !o.unsure.Swap(false) {
		return
	}
	n, err := o.takeBackOwn(ctx)
	switch {
	case err != nil:
		o.unsure.Store(true) // Redis still away: try again before the next read
	case n > 0:
		o.log.WithField("own", n).Warn("took back messages read when a connection to Redis was lost")
	}
}

// holdAll holds every message of res (messages that were deleted meanwhile are left out) and returns
// how many.
func (o *Outbox) holdAll(res []redis.XStream, check bool) int {
	n := 0
	for _, s := range res {
		c := o.streams[s.Stream]
		for _, x := range s.Messages {
			if x.Values == nil {
				continue
			}
			if o.d.hold(&entry{c: c, stream: s.Stream, x: x, to: decode(x).To, check: check}) {
				n++
			}
		}
	}
	return n
}

// takeBackOwn holds every message pending for this instance's name in the group: read by this instance
// before it stopped (or crashed) and never acknowledged. It returns how many.
func (o *Outbox) takeBackOwn(ctx context.Context) (int, error) {
	n := 0
	for _, c := range classes {
		stream, start := o.keys.classStream(c), "0"
		for {
			res, err := o.rdb.XReadGroup(ctx, &redis.XReadGroupArgs{
				Group: group, Consumer: o.name, Streams: []string{stream, start}, Count: 100, Block: -1,
			}).Result()
			if errors.Is(err, redis.Nil) {
				break
			}
			if err != nil {
				return n, fmt.Errorf("read own pending %s messages: %w", c, err)
			}
			if len(res) == 0 || len(res[0].Messages) == 0 {
				break
			}
			n += o.holdAll(res, true)
			o.ackDeleted(ctx, stream, res[0].Messages)
			start = res[0].Messages[len(res[0].Messages)-1].ID
		}
	}
	return n, nil
}

// ackDeleted acknowledges the pending entries among msgs whose messages are gone from the stream.
func (o *Outbox) ackDeleted(ctx context.Context, stream string, msgs []redis.XMessage) {
	for _, x := range msgs {
		if x.Values == nil {
			_ = o.rdb.XAck(ctx, stream, group, x.ID).Err() // harmless if it fails: tried again next time
		}
	}
}

// send delivers e, in flight, and holds it again for a later round when it was not sent.
func (o *Outbox) send(ctx context.Context, e *entry) {
	if e.rounds > 0 && !o.touch(ctx, e) {
		o.d.finish(e, false, time.Time{})
		return
	}
	if e.check && o.finishBuried(ctx, e.stream, e.x) {
		o.d.finish(e, false, time.Time{})
		return
	}
	if o.deliver(ctx, e.stream, e.x) != left {
		o.d.finish(e, false, time.Time{})
		return
	}
	o.d.finish(e, true, o.now().Add(o.retryAfter(e.rounds)))
}

// retryAfter is how long a message waits after rounds+1 rounds of failed tries: the backoff goes on
// doubling, up to a third of ClaimIdle, so that no other instance's Reclaim takes it meanwhile.
func (o *Outbox) retryAfter(rounds int) time.Duration {
	d := o.opt.Backoff << min(o.opt.Attempts+rounds, 20)
	return min(d, o.opt.ClaimIdle/3)
}

// touch claims e again for this instance before a new round, which tells other instances it is still
// being tried (its idle time starts again). It reports false when e is gone (acknowledged elsewhere).
func (o *Outbox) touch(ctx context.Context, e *entry) bool {
	ids, err := o.rdb.XClaimJustID(ctx, &redis.XClaimArgs{
		Stream: e.stream, Group: group, Consumer: o.name, MinIdle: 0, Messages: []string{e.x.ID},
	}).Result()
	if err != nil {
		o.log.WithError(err).WithField("message", e.x.ID).Warn("claim a message again before a new round; sending it anyway")
		return true
	}
	return len(ids) == 1
}
