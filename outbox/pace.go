package outbox

import (
	"context"
	"math"
	"sync"
	"time"

	"github.com/redis/go-redis/v9"
	"golang.org/x/time/rate"
)

// pace keeps a line's sending rate (Options.Rate, with bursts of as many) across every instance that
// sends the line's texts, so that two instances together start no more texts a second than the line's
// senders take. An instance that sends alone (no other instance read the line's texts in the last
// minute, asked every othersEvery) keeps the rate in memory, at no cost. While others send too, one
// Redis key per line holds when the next text may start, and each text takes its turn there by one
// script on Redis's own clock (GCRA), so instances whose clocks differ still share one rate. If Redis
// cannot be reached, the instance keeps the rate by itself until it can.
type pace struct {
	rdb    redis.Scripter
	key    string
	every  time.Duration // between two texts at the rate
	burst  int           // texts that may start at once
	alone  *rate.Limiter // the rate kept by this instance alone
	others func(context.Context) (bool, error)

	mu      sync.Mutex
	shared  bool      // others send the line's texts too: take turns in Redis
	checked time.Time // when others was last asked
}

// othersEvery is how often an instance asks whether others send the line's texts too. An instance that
// starts sending is counted within this long, and the line's rate is shared from then on.
const othersEvery = 10 * time.Second

// newPace returns the pace of rate texts a second for the line whose key is key, sharing it while
// others reports other instances sending; nil for no limit.
func newPace(rdb redis.Scripter, key string, perSecond float64, others func(context.Context) (bool, error)) *pace {
	if math.IsInf(perSecond, 1) {
		return nil
	}
	burst := max(1, int(math.Ceil(perSecond)))
	return &pace{rdb: rdb, key: key, every: time.Duration(float64(time.Second) / perSecond), burst: burst,
		alone: rate.NewLimiter(rate.Limit(perSecond), burst), others: others}
}

// sharing reports whether others send the line's texts too, asking again every othersEvery.
func (p *pace) sharing(ctx context.Context) bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	if now := time.Now(); now.Sub(p.checked) >= othersEvery {
		if shared, err := p.others(ctx); err == nil {
			p.shared = shared
		}
		p.checked = now
	}
	return p.shared
}

// paceScript takes one text's turn at the line's rate. KEYS[1]: the pace key, when the next text may
// start (unix µs, Redis's TIME). ARGV[1]: µs between two texts; ARGV[2]: how far ahead of now the next
// start may be and a text still go now (a burst). Returns 0 when the text may start now (the pace moved
// on by one text), else how many µs to wait before asking again.
var paceScript = redis.NewScript(`
local t = redis.call("TIME")
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
local every, ahead = tonumber(ARGV[1]), tonumber(ARGV[2])
local at = math.max(tonumber(redis.call("GET", KEYS[1]) or "0"), now)
if at - now > ahead then
  return at - now - ahead
end
at = at + every
redis.call("SET", KEYS[1], string.format("%.0f", at), "PX", math.ceil((at - now) / 1000) + 1000)
return 0`)

// Wait returns when one more text may start, or when ctx ends (with its error). A nil pace never waits.
func (p *pace) Wait(ctx context.Context) error {
	if p == nil {
		return nil
	}
	if !p.sharing(ctx) {
		return p.alone.Wait(ctx)
	}
	ahead := p.every.Microseconds() * int64(p.burst-1)
	for {
		wait, err := paceScript.Run(ctx, p.rdb, []string{p.key}, p.every.Microseconds(), ahead).Int64()
		if err != nil {
			if ctx.Err() != nil {
				return ctx.Err()
			}
			return p.alone.Wait(ctx) // Redis is away: sending waits for it anyway; keep the rate meanwhile
		}
		if wait <= 0 {
			return nil
		}
		t := time.NewTimer(time.Duration(wait) * time.Microsecond)
		select {
		case <-t.C:
		case <-ctx.Done():
			t.Stop()
			return ctx.Err()
		}
	}
}

// Burst is how many texts may start at once; 0 for no limit.
func (p *pace) Burst() int {
	if p == nil {
		return 0
	}
	return p.burst
}
