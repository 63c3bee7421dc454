package main

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"peerline/twiliofake"
)

// target is one HTTP endpoint under load: the service or the floor.
type target struct {
	name  string
	hooks twiliofake.Webhooks
}

// result summarises one load phase.
type result struct {
	offered, achieved  float64 // messages per second
	sent, ok, failed   int
	p50, p95, p99, max time.Duration
}

// message returns the form of the i-th message of a phase.
type message func(i int) url.Values

func post(ctx context.Context, t target, form url.Values) bool {
	code, _, err := t.hooks.Post(ctx, "/twilio/messages", form)
	return err == nil && code == http.StatusOK
}

// openLoop offers rate messages a second for d, each at its scheduled time whatever happened to the ones
// before (so a slow server cannot hide its queueing), and measures latency from the scheduled time.
func openLoop(ctx context.Context, t target, rate float64, d time.Duration, msg message) result {
	n := int(rate * d.Seconds())
	lat := make([]time.Duration, n)
	okFlags := make([]bool, n)
	var wg sync.WaitGroup
	var inflight atomic.Int64
	start := time.Now().Add(10 * time.Millisecond)
	for i := range n {
		at := start.Add(time.Duration(float64(i) / rate * float64(time.Second)))
		if w := time.Until(at); w > 0 {
			time.Sleep(w)
		}
		if inflight.Load() > 20000 { // the server has fallen far behind: count the rest as failed
			lat[i] = time.Since(at)
			continue
		}
		inflight.Add(1)
		wg.Go(func() {
			defer inflight.Add(-1)
			okFlags[i] = post(ctx, t, msg(i))
			lat[i] = time.Since(at)
		})
	}
	wg.Wait()
	elapsed := time.Since(start)
	return summarise(rate, n, elapsed, lat, okFlags)
}

// closedLoop keeps workers requests in flight for d and reports the rate it sustained.
func closedLoop(ctx context.Context, t target, workers int, d time.Duration, msg message) result {
	var next atomic.Int64
	var mu sync.Mutex
	var lat []time.Duration
	var oks []bool
	deadline := time.Now().Add(d)
	start := time.Now()
	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() {
			var myLat []time.Duration
			var myOK []bool
			for time.Now().Before(deadline) {
				i := int(next.Add(1) - 1)
				t0 := time.Now()
				myOK = append(myOK, post(ctx, t, msg(i)))
				myLat = append(myLat, time.Since(t0))
			}
			mu.Lock()
			lat, oks = append(lat, myLat...), append(oks, myOK...)
			mu.Unlock()
		})
	}
	wg.Wait()
	return summarise(0, len(lat), time.Since(start), lat, oks)
}

func summarise(rate float64, n int, elapsed time.Duration, lat []time.Duration, oks []bool) result {
	r := result{offered: rate, sent: n}
	for _, ok := range oks {
		if ok {
			r.ok++
		}
	}
	r.failed = n - r.ok
	r.achieved = float64(r.ok) / elapsed.Seconds()
	s := slices.Clone(lat)
	slices.Sort(s)
	if len(s) > 0 {
		pick := func(q float64) time.Duration { return s[min(len(s)-1, int(q*float64(len(s))))] }
		r.p50, r.p95, r.p99, r.max = pick(0.50), pick(0.95), pick(0.99), s[len(s)-1]
	}
	return r
}

func ms(d time.Duration) string { return fmt.Sprintf("%.2f", float64(d)/float64(time.Millisecond)) }
