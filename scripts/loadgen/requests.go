package main

import (
	"context"
	"fmt"
	"net/url"
	"slices"
	"strings"
	"sync/atomic"
	"time"
)

// newRequestText is a first text with no risk words, so each one opens an ordinary request.
const newRequestText = "hello, is anyone there tonight?"

// person returns the number of the n-th new person the benchmark plays: nobody texts twice.
func person(n int64) string { return fmt.Sprintf("+4477007%05d", n%100000) }

// newRequests plays a stream of new requests, each the first text of a different person, at fixed rates
// and flat out, alternating with the floor as the chat load does. The volunteers on shift are the
// load's: one per open conversation, in a chat, and the free one, who holds the offer of the first
// request while the rest wait in the queue (each person is told a peer supporter is being found). It
// reports the service's rates as a share of the floor's in the same run, and the Redis commands per new
// request, server side.
func (b *bench) newRequests(ctx context.Context) error {
	if err := b.drainOutbox(ctx); err != nil {
		return err
	}
	svc := target{name: "service", hooks: b.hooks}
	var next atomic.Int64
	next.Store(1)
	msg := func(int) url.Values { return form(person(next.Add(1)), newRequestText) }
	fmt.Fprintf(b.out, "\n## New requests\n\nLoad: each inbound message is the first text of a different person, with %d volunteers on shift "+
		"(%d in a chat, one free who holds an offer, so the rest are queued and told a peer supporter is being found).\n\n",
		len(b.vols)+1, len(b.vols))
	fmt.Fprintln(b.out, "| target | offered msg/s | achieved msg/s | failed | p50 ms | p95 ms | p99 ms | max ms |")
	fmt.Fprintln(b.out, "|---|---|---|---|---|---|---|---|")
	before, _ := b.svc.counters(ctx)
	cmdBefore := b.commandStats(ctx)
	for _, rate := range b.o.newRates {
		for _, t := range []target{svc, b.floor} {
			b.row(t.name, openLoop(ctx, t, rate, b.o.newDuration, msg))
		}
	}
	const rounds = 5
	d := b.o.newDuration / rounds
	rs := b.alternate(ctx, []target{svc, b.floor}, rounds, d, msg)
	total := map[string]float64{}
	for _, name := range []string{"service", "floor"} {
		total[name] = rs.total(name).achieved
		b.row(name+" flat out", rs.total(name))
	}
	ratios := rs.ratios["service"]
	if err := b.drainOutbox(ctx); err != nil {
		return err
	}
	after, _ := b.svc.counters(ctx)
	cmdAfter := b.commandStats(ctx)
	msgs := float64(after["inbound_messages"] - before["inbound_messages"])
	slices.Sort(ratios)
	fmt.Fprintf(b.out, "\nNew requests flat out (%d requests in flight, %d alternating rounds of %s each): the service sustained %.0f msg/s and the floor %.0f msg/s: %.0f%% (rounds from %.0f%% to %.0f%%, median %.0f%%).\n",
		b.o.workers, rounds, d, total["service"], total["floor"], 100*total["service"]/total["floor"],
		100*ratios[0], 100*ratios[len(ratios)-1], 100*ratios[len(ratios)/2])
	b.cpuTable(rs.used, rs.ok)
	b.withSending(rs)
	fmt.Fprintf(b.out, "\nRedis per new request (service client, from GET /debug/stats): %.2f round trips, %.2f commands.\n",
		float64(after["redis_round_trips"]-before["redis_round_trips"])/msgs, float64(after["redis_commands"]-before["redis_commands"])/msgs)
	b.commandTable(cmdBefore, cmdAfter, msgs)
	return nil
}

// offerLatency times new requests, one at a time on an otherwise idle service, from the person's text
// to the free volunteer's offer reaching Twilio, and counts the Redis commands each caused until the
// outbox acknowledged its texts (server side, INFO commandstats: scripts' inner commands and the
// outbox's included; a cron sweep that falls in the window is counted too). After each, uncounted, the
// person texts STOP, which withdraws the request and the offer, so the next one finds the queue empty
// and the volunteer free, as on a quiet night.
func (b *bench) offerLatency(ctx context.Context) error {
	if err := b.drainOutbox(ctx); err != nil {
		return err
	}
	var lat []time.Duration
	counts := map[string]int64{}
	var total int64
	for i := range b.o.requests {
	drain:
		for {
			select {
			case <-b.rec.armed:
			default:
				break drain
			}
		}
		who := fmt.Sprintf("+4477008%05d", i)
		cmdBefore := b.commandStats(ctx)
		t0 := time.Now()
		if err := b.send(ctx, who, newRequestText); err != nil {
			return err
		}
		for got := false; !got; {
			select {
			case m := <-b.rec.armed:
				got = m.to == b.free && strings.Contains(m.body, "Reply ACCEPT")
				if got {
					lat = append(lat, m.at.Sub(t0))
				}
			case <-time.After(10 * time.Second):
				return fmt.Errorf("request %d: no offer reached Twilio within 10s", i)
			}
		}
		if err := b.waitOutbox(ctx); err != nil {
			return err
		}
		cmdAfter := b.commandStats(ctx)
		for k, v := range cmdAfter {
			if d := v - cmdBefore[k]; d > 0 && !benchOwn[k] && !strings.HasPrefix(k, "usec:") {
				counts[k] += d
				total += d
			}
		}
		if err := b.send(ctx, who, "STOP"); err != nil {
			return err
		}
	}
	r := summarise(0, len(lat), time.Second, lat, nil)
	fmt.Fprintf(b.out, "\nText to offer at Twilio (%d new requests, one at a time, idle service): p50 %s ms, p95 %s ms, p99 %s ms, max %s ms.\n",
		len(lat), ms(r.p50), ms(r.p95), ms(r.p99), ms(r.max))
	n := float64(len(lat))
	var names []string
	for k := range counts {
		names = append(names, k)
	}
	slices.SortFunc(names, func(x, y string) int { return int(counts[y] - counts[x]) })
	fmt.Fprintf(b.out, "\nRedis commands per new request, one at a time (the text, its acknowledgement and the offer, through the outbox; server side): %.1f.\n\n", float64(total)/n)
	fmt.Fprintln(b.out, "| command | per new request |")
	fmt.Fprintln(b.out, "|---|---|")
	for _, k := range names {
		fmt.Fprintf(b.out, "| %s | %.2f |\n", k, float64(counts[k])/n)
	}
	return nil
}

// benchOwn are the commands the load generator itself sends: not the service's.
var benchOwn = map[string]bool{"incr": true, "info": true, "xlen": true, "xpending": true}

// waitOutbox waits until the outbox has acknowledged and deleted everything queued.
func (b *bench) waitOutbox(ctx context.Context) error {
	key := "pl:{" + b.line + "}:outbox"
	for start := time.Now(); time.Since(start) < 10*time.Second; time.Sleep(time.Millisecond) {
		n, err := b.rdb.XLen(ctx, key).Result()
		if err != nil {
			return err
		}
		if n == 0 {
			return nil
		}
	}
	return fmt.Errorf("the outbox did not empty within 10s")
}
