package bot_test

import (
	"context"
	"fmt"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"peerline/bot"
	"peerline/phone"
	"peerline/twiliofake"
)

// BenchmarkNewRequest plays make bench's stream of new requests on one bot: 100 volunteers on shift in
// a chat and one free who holds the first request's offer, so each new request is queued and its
// person told so. Besides the time per request (Redis round trips included), it reports the processor
// time this process used per request (the bot, go-redis and the benchmark; not Redis): the service's
// own cost, which a loaded machine disturbs far less than throughput; and its Redis round trips.
//
//	make bench-bot
func BenchmarkNewRequest(b *testing.B) {
	f := newFixture(b)
	vols := make([]string, 101)
	for i := range vols {
		vols[i] = fmt.Sprintf("+4477009%05d", 300+i)
		f.volunteer(fmt.Sprintf("Vol%d", i), vols[i])
	}
	busy := map[string]bool{}
	for i := range 100 {
		person := fmt.Sprintf("+4477001%05d", i)
		f.text(person, "hello, can someone talk")
		taker := ""
		for _, m := range f.queued() {
			if to, _, _ := strings.Cut(m, ": "); strings.Contains(m, "Reply ACCEPT") && !busy[to] && taker == "" {
				taker = to
			}
		}
		if taker == "" {
			b.Fatalf("person %d: nobody was offered their request", i)
		}
		f.text(taker, "ACCEPT "+f.codeOf(person))
		busy[taker] = true
		f.queued()
	}
	f.text("+447700200000", "is anyone there") // the one free volunteer now holds this one's offer
	ctx := context.Background()
	trips := &roundTrips{}
	f.rdb.AddHook(trips)
	var before, after syscall.Rusage
	_ = syscall.Getrusage(syscall.RUSAGE_SELF, &before)
	b.ResetTimer()
	for i := range b.N {
		in := bot.Inbound{MessageSID: twiliofake.NewSID("SM"), From: fmt.Sprintf("+4477002%05d", i%100000),
			Channel: phone.SMS, Body: "can't sleep, really want a drink"}
		if err := f.bots[0].Handle(ctx, in); err != nil {
			b.Fatal(err)
		}
	}
	b.StopTimer()
	_ = syscall.Getrusage(syscall.RUSAGE_SELF, &after)
	used := time.Duration(after.Utime.Nano()+after.Stime.Nano()) - time.Duration(before.Utime.Nano()+before.Stime.Nano())
	b.ReportMetric(float64(used.Microseconds())/float64(b.N), "cpu-µs/op")
	b.ReportMetric(float64(trips.n.Load())/float64(b.N), "round-trips/op")
}

// roundTrips counts the round trips a client makes: each command or pipeline sent.
type roundTrips struct{ n atomic.Int64 }

func (r *roundTrips) DialHook(next redis.DialHook) redis.DialHook { return next }

func (r *roundTrips) ProcessHook(next redis.ProcessHook) redis.ProcessHook {
	return func(ctx context.Context, cmd redis.Cmder) error {
		r.n.Add(1)
		return next(ctx, cmd)
	}
}

func (r *roundTrips) ProcessPipelineHook(next redis.ProcessPipelineHook) redis.ProcessPipelineHook {
	return func(ctx context.Context, cmds []redis.Cmder) error {
		r.n.Add(1)
		return next(ctx, cmds)
	}
}
