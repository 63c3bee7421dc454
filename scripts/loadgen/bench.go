package main

import (
	"context"
	"fmt"
	"io"
	"net/url"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/redis/go-redis/v9"

	"peerline/risk"
	"peerline/rota"
	"peerline/twiliofake"
)

// bench holds one benchmark run.
type bench struct {
	o     options
	rdb   *redis.Client
	line  string
	svc   *service
	hooks twiliofake.Webhooks
	floor target
	risk  target        // the floor that also runs the risk check on each text
	words *risk.Matcher // the risk check
	rec   *recorder
	fake  *twiliofake.Server // behind rec
	out   io.Writer

	people, vols []string // conversation i is between people[i] and vols[i]
	free         string   // a volunteer left free, who gets every new request's offer
}

func (b *bench) all(ctx context.Context) error {
	fmt.Fprintf(b.out, "# peerline benchmark\n\nMachine: %s. Redis %s. Service, Redis and load generator on this one machine.\n\n", cores(), b.redisVersion(ctx))
	if err := b.seed(ctx); err != nil {
		return err
	}
	svc := target{name: "service", hooks: b.hooks}
	relay := b.relay()
	fmt.Fprintf(b.out, "Load: %d open conversations; each inbound message is a text relayed to the other side.\n\n", b.o.conversations)
	fmt.Fprintln(b.out, "| target | offered msg/s | achieved msg/s | failed | p50 ms | p95 ms | p99 ms | max ms |")
	fmt.Fprintln(b.out, "|---|---|---|---|---|---|---|---|")
	before, _ := b.svc.counters(ctx)
	cmdBefore := b.commandStats(ctx)
	for _, rate := range b.o.rates {
		for _, t := range []target{svc, b.floor} {
			b.row(t.name, openLoop(ctx, t, rate, b.o.duration, relay))
		}
	}
	flat, ratios, riskRatios := b.flatOut(ctx, svc, relay)
	after, _ := b.svc.counters(ctx)
	cmdAfter := b.commandStats(ctx)
	msgs := float64(after["inbound_messages"] - before["inbound_messages"])
	slices.Sort(ratios)
	fmt.Fprintf(b.out, "\nFlat out (%d requests in flight, %d alternating rounds of %s each), the service sustained %.0f msg/s and the floor %.0f msg/s: %.0f%% (rounds from %.0f%% to %.0f%%, median %.0f%%).\n",
		b.o.workers, len(ratios), b.o.duration/time.Duration(len(ratios)), flat["service"].achieved, flat["floor"].achieved,
		100*flat["service"].achieved/flat["floor"].achieved, 100*ratios[0], 100*ratios[len(ratios)-1], 100*ratios[len(ratios)/2])
	b.riskCost(flat, riskRatios, relay)
	fmt.Fprintf(b.out, "\nRedis per inbound message (service client, from GET /debug/stats): %.2f round trips, %.2f commands.\n",
		float64(after["redis_round_trips"]-before["redis_round_trips"])/msgs, float64(after["redis_commands"]-before["redis_commands"])/msgs)
	b.commandTable(cmdBefore, cmdAfter, msgs)
	if err := b.offerLatency(ctx); err != nil {
		return err
	}
	if err := b.newRequests(ctx); err != nil {
		return err
	}
	return b.busyDay(ctx) // last: it slows the fake Twilio down
}

// flatOut runs the closed loop against the service, the floor and the floor with the risk check in
// alternating short rounds, so a noisy moment on the machine hits all three, and returns the totals and
// each round's ratios: service to floor, and floor+risk to floor.
func (b *bench) flatOut(ctx context.Context, svc target, relay message) (map[string]result, []float64, []float64) {
	rs := b.alternate(ctx, []target{svc, b.floor, b.risk}, 5, b.o.duration/5, relay)
	total := map[string]result{}
	for _, name := range []string{"service", "floor", "floor+risk"} {
		total[name] = rs.total(name)
		b.row(name+" flat out", total[name])
	}
	b.cpuTable(rs.used, rs.ok)
	b.withSending(rs)
	return total, rs.ratios["service"], rs.ratios["floor+risk"]
}

// measured is what alternating flat-out rounds measured, by target name.
type measured struct {
	ok      map[string]int
	used    map[string]cpu
	ratios  map[string][]float64 // each round's rate of a target to the floor's in the same round
	sending time.Duration        // the service's outbox's time after its rounds (see round)
	d       time.Duration        // the length of all the rounds of one target
}

func (m measured) total(name string) result {
	return result{ok: m.ok[name], achieved: float64(m.ok[name]) / m.d.Seconds()}
}

// alternate runs n flat-out rounds of d against each of targets in turn (the floor among them), so a
// noisy moment on the machine hits them all.
func (b *bench) alternate(ctx context.Context, targets []target, n int, d time.Duration, msg message) measured {
	m := measured{ok: map[string]int{}, used: map[string]cpu{}, ratios: map[string][]float64{}, d: d * time.Duration(n)}
	for range n {
		r := map[string]result{}
		for _, t := range targets {
			res, used, drained := b.round(ctx, t, d, msg)
			r[t.name] = res
			m.used[t.name] = m.used[t.name].plus(used)
			m.ok[t.name] += res.ok
			m.sending += drained
		}
		for _, t := range targets {
			m.ratios[t.name] = append(m.ratios[t.name], r[t.name].achieved/r["floor"].achieved)
		}
	}
	return m
}

// round runs one flat-out round against t. After a round against the service it waits until the
// service's outbox has sent what the round queued, so that work does not slow the floor's round that
// follows; it returns the processor time used by the round and that wait, and how long the wait took.
func (b *bench) round(ctx context.Context, t target, d time.Duration, msg message) (result, cpu, time.Duration) {
	before := b.cpuNow(ctx)
	r := closedLoop(ctx, t, b.o.workers, d, msg)
	var waited time.Duration
	if t.name == "service" {
		start := time.Now()
		for time.Since(start) < time.Minute && b.unsent(ctx) > 0 {
			time.Sleep(2 * time.Millisecond)
		}
		waited = time.Since(start)
	}
	return r, b.cpuNow(ctx).minus(before), waited
}

// unsent counts the texts in the service's outbox streams (sent ones are deleted).
func (b *bench) unsent(ctx context.Context) int64 {
	var n int64
	for _, key := range []string{"pl:{" + b.line + "}:outbox", "pl:{" + b.line + "}:outbox:relay", "pl:{" + b.line + "}:outbox:routine"} {
		l, _ := b.rdb.XLen(ctx, key).Result()
		n += l
	}
	return n
}

// withSending reports the service's flat-out rate counting the time its outbox took, after each round,
// to send what the round queued: the rate at which it both answers and sends.
func (b *bench) withSending(m measured) {
	svc := float64(m.ok["service"]) / (m.d + m.sending).Seconds()
	fl := m.total("floor").achieved
	fmt.Fprintf(b.out, "\nCounting the time the service's outbox took after each round to send what the round queued "+
		"(%.2f s in all), the service sustained %.0f msg/s: %.0f%% of the floor.\n", m.sending.Seconds(), svc, 100*svc/fl)
}

// cpuTable reports the processor time each process used per message in the flat-out rounds of each
// target, the service's with the sending of what its rounds queued (see round): where the service's
// cost goes, next to the floor's.
func (b *bench) cpuTable(used map[string]cpu, ok map[string]int) {
	fmt.Fprintln(b.out, "\nProcessor time per message in those rounds, µs (the load generator also plays Twilio and the floor):")
	fmt.Fprintln(b.out, "\n| target | service | Redis | load generator | all |\n|---|---|---|---|---|")
	for _, name := range []string{"service", "floor", "floor+risk"} {
		if _, seen := used[name]; seen {
			fmt.Fprintf(b.out, "| %s | %s |\n", name, used[name].perMessage(ok[name]))
		}
	}
}

// riskCost reports what the risk check adds to the chat path, two ways in this one run: the floor
// with the check against the floor without it, and the check timed on the load's own texts as a share
// of the service's time per message (its cores' time divided by the messages it sustained).
func (b *bench) riskCost(flat map[string]result, ratios []float64, relay message) {
	slices.Sort(ratios)
	const n = 200000
	start := time.Now()
	for i := range n {
		b.words.Match(relay(i).Get("Body"))
	}
	per := time.Since(start) / n
	perMsg := time.Duration(float64(runtime.NumCPU()) / flat["service"].achieved * float64(time.Second))
	fmt.Fprintf(b.out, "\nThe risk check: the floor with it sustained %.0f%% of the floor without it (rounds from %.0f%% to %.0f%%, "+
		"median %.0f%%). Timed alone on this load's texts it takes %s a text: %.2f%% of the service's %s of machine time "+
		"per message (%d cores / %.0f msg/s).\n",
		100*flat["floor+risk"].achieved/flat["floor"].achieved, 100*ratios[0], 100*ratios[len(ratios)-1], 100*ratios[len(ratios)/2],
		per, 100*float64(per)/float64(perMsg), perMsg.Round(time.Microsecond), runtime.NumCPU(), flat["service"].achieved)
}

func (b *bench) row(name string, r result) {
	offered := "-"
	if r.offered > 0 {
		offered = fmt.Sprintf("%.0f", r.offered)
	}
	lat := []string{ms(r.p50), ms(r.p95), ms(r.p99), ms(r.max)}
	if r.max == 0 {
		lat = []string{"-", "-", "-", "-"}
	}
	fmt.Fprintf(b.out, "| %s | %s | %.0f | %d | %s |\n", name, offered, r.achieved, r.failed, strings.Join(lat, " | "))
}

// relay returns the load's messages: conversation i%n, people and volunteers taking turns.
func (b *bench) relay() message {
	n := len(b.people)
	return func(i int) url.Values {
		c := i % n
		if (i/n)%2 == 0 {
			return form(b.people[c], "still awake, thanks for staying with me")
		}
		return form(b.vols[c], "I'm here. Shall we try some breathing?")
	}
}

// seed opens the line day and night, adds the volunteers, on shift all week, and opens the
// conversations.
func (b *bench) seed(ctx context.Context) error {
	loc, _ := time.LoadLocation("Europe/London")
	store := rota.NewStore(b.rdb, b.line, loc)
	if _, err := store.SetHours(ctx, func(h *rota.Hours) error { *h = rota.AlwaysOpen(); return nil }); err != nil {
		return err
	}
	add := func(name, number string) error {
		v, err := store.AddVolunteer(ctx, rota.Volunteer{Name: name, Phone: number})
		if err != nil {
			return err
		}
		for d := time.Sunday; d <= time.Saturday; d++ {
			if _, err := store.AddShift(ctx, rota.Shift{Volunteer: v.ID, Day: d, Start: 0, End: 24 * 60}); err != nil {
				return err
			}
		}
		return nil
	}
	for i := range b.o.conversations {
		b.vols = append(b.vols, fmt.Sprintf("+4477009%05d", 10000+i))
		b.people = append(b.people, fmt.Sprintf("+4477009%05d", 50000+i))
		if err := add(fmt.Sprintf("V%d", i), b.vols[i]); err != nil {
			return err
		}
	}
	b.free = "+447700999999"
	if err := add("Free", b.free); err != nil {
		return err
	}
	for i := range b.people {
		if err := b.send(ctx, b.people[i], "hello"); err != nil {
			return err
		}
		code, err := b.rdb.HGet(ctx, "pl:{"+b.line+"}:bot:party:"+b.people[i], "req").Result()
		if err != nil {
			return fmt.Errorf("read request code of conversation %d: %w", i, err)
		}
		if err := b.send(ctx, b.vols[i], "ACCEPT "+code); err != nil {
			return err
		}
	}
	return nil
}

func (b *bench) send(ctx context.Context, from, body string) error {
	code, resp, err := b.hooks.Post(ctx, "/twilio/messages", form(from, body))
	if err != nil || code != 200 {
		return fmt.Errorf("seed: service answered %d %q: %v", code, resp, err)
	}
	return nil
}

// drainOutbox waits until the outbox has sent everything the load queued, in its three class streams.
func (b *bench) drainOutbox(ctx context.Context) error {
	start := time.Now()
	for time.Since(start) < 5*time.Minute {
		var n int64
		for _, key := range []string{"pl:{" + b.line + "}:outbox", "pl:{" + b.line + "}:outbox:relay", "pl:{" + b.line + "}:outbox:routine"} {
			l, err := b.rdb.XLen(ctx, key).Result()
			if err != nil {
				return err
			}
			n += l
		}
		if n == 0 {
			fmt.Fprintf(b.out, "\nThe outbox sent the load's backlog %.1f s after the load ended.\n", time.Since(start).Seconds())
			return nil
		}
		time.Sleep(100 * time.Millisecond)
	}
	return fmt.Errorf("the outbox did not drain within 5 minutes")
}

func (b *bench) redisVersion(ctx context.Context) string {
	info, _ := b.rdb.Info(ctx, "server").Result()
	for _, l := range strings.Split(info, "\n") {
		if v, ok := strings.CutPrefix(strings.TrimSpace(l), "redis_version:"); ok {
			return v
		}
	}
	return "?"
}

// commandStats returns calls by command from INFO commandstats (scripts' inner commands included), and
// under "usec:" and the command's name, the microseconds Redis spent on it.
func (b *bench) commandStats(ctx context.Context) map[string]int64 {
	info, _ := b.rdb.Info(ctx, "commandstats").Result()
	m := map[string]int64{}
	for _, l := range strings.Split(info, "\n") {
		name, rest, ok := strings.Cut(strings.TrimSpace(l), ":calls=")
		if !ok {
			continue
		}
		f := strings.Split(rest, ",")
		calls, _ := strconv.ParseInt(f[0], 10, 64)
		name = strings.TrimPrefix(name, "cmdstat_")
		m[name] = calls
		if len(f) > 1 {
			usec, _ := strconv.ParseInt(strings.TrimPrefix(f[1], "usec="), 10, 64)
			m["usec:"+name] = usec
		}
	}
	return m
}

// commandTable prints the commands per message between two commandStats, and Redis's time on them.
// Time inside scripts counts twice: under each inner command and under EVAL or EVALSHA.
func (b *bench) commandTable(before, after map[string]int64, msgs float64) {
	var names []string
	var total int64
	for k, v := range after {
		if d := v - before[k]; d > 0 && !benchOwn[k] && !strings.HasPrefix(k, "usec:") { // incr is the floor's; info and xlen are ours
			names = append(names, k)
			total += d
		}
	}
	slices.SortFunc(names, func(x, y string) int { return int((after[y] - before[y]) - (after[x] - before[x])) })
	fmt.Fprintf(b.out, "\nAll Redis commands the service caused during the load (server side, INFO commandstats: the outbox and commands run inside scripts included; the floor's INCR left out): %.1f per inbound message.\n\n", float64(total)/msgs)
	fmt.Fprintln(b.out, "| command | per inbound message | Redis µs per inbound message |")
	fmt.Fprintln(b.out, "|---|---|---|")
	for _, k := range names {
		fmt.Fprintf(b.out, "| %s | %.2f | %.1f |\n", k, float64(after[k]-before[k])/msgs, float64(after["usec:"+k]-before["usec:"+k])/msgs)
	}
}

// busyDay plays issue 12's busy day: the fake Twilio answers each send after -twilio-latency, and -burst
// new people text the line within -burst-over (open loop). It reports how long each waited for their
// first text (the acknowledgement) to be accepted by Twilio.
func (b *bench) busyDay(ctx context.Context) error {
	if b.o.burst <= 0 {
		return nil
	}
	if err := b.drainOutbox(ctx); err != nil {
		return err
	}
	b.fake.SetLatency(b.o.latency)
	defer b.fake.SetLatency(0)
	number := func(i int) string { return fmt.Sprintf("+4477007%05d", i) }
	texted := make(map[string]time.Time, b.o.burst)
	waits := make([]time.Duration, 0, b.o.burst)
	var mu sync.Mutex
	start := time.Now()
	go func() {
		for i := range b.o.burst {
			at := start.Add(time.Duration(i) * b.o.burstOver / time.Duration(b.o.burst))
			time.Sleep(time.Until(at))
			mu.Lock()
			texted[number(i)] = time.Now()
			mu.Unlock()
			go func() { _ = b.send(ctx, number(i), "hello, is anyone there?") }()
		}
	}()
	answered := map[string]bool{}
	timeout := time.After(b.o.burstOver + 2*time.Minute)
	for len(waits) < b.o.burst {
		select {
		case m := <-b.rec.armed:
			mu.Lock()
			t0, ok := texted[m.to]
			mu.Unlock()
			if ok && !answered[m.to] {
				answered[m.to] = true
				waits = append(waits, m.at.Sub(t0))
			}
		case <-timeout:
			return fmt.Errorf("busy day: %d of %d people answered", len(waits), b.o.burst)
		}
	}
	r := summarise(0, len(waits), time.Second, waits, nil)
	fmt.Fprintf(b.out, "\nBusy day (%d people text within %s, Twilio answers in %s, OUTBOX_RATE %s): text to acknowledgement at Twilio p50 %s ms, p95 %s ms, p99 %s ms, max %s ms.\n",
		b.o.burst, b.o.burstOver, b.o.latency, b.o.outboxRate, ms(r.p50), ms(r.p95), ms(r.p99), ms(r.max))
	return nil
}
