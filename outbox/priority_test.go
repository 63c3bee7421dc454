package outbox_test

import (
	"context"
	"fmt"
	"io"
	"math"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/redis/go-redis/v9"

	"peerline/outbox"
	"peerline/phone"
	"peerline/twiliofake"
)

func TestClassOfKind(t *testing.T) {
	tests := []struct {
		kind, want string
	}{
		{"person_safety", outbox.ClassUrgent},
		{"person_ack", outbox.ClassUrgent},
		{"person_queued", outbox.ClassUrgent},
		{"volunteer_offer", outbox.ClassUrgent},
		{"coordinator_page", outbox.ClassUrgent},
		{"person_fallback", outbox.ClassUrgent},
		{"volunteer_start", outbox.ClassUrgent},
		{"relay_to_person", outbox.ClassRelay},
		{"relay_to_volunteer", outbox.ClassRelay},
		{"person_checkin", outbox.ClassRoutine},
		{"volunteer_reminder", outbox.ClassRoutine},
		{"volunteer_shift_start", outbox.ClassRoutine},
		{"coordinator_gaps", outbox.ClassRoutine},
		{"volunteer_cover_ask", outbox.ClassRoutine},
		{"volunteer_cover_asks", outbox.ClassRoutine},
		{"volunteer_cover_taken", outbox.ClassRoutine},
		{"a_template_nobody_classed", outbox.ClassUrgent},
		{"", outbox.ClassUrgent},
	}
	for _, tc := range tests {
		t.Run(fmt.Sprintf("%s is %s", tc.kind, tc.want), func(t *testing.T) {
			if got := outbox.ClassOf(tc.kind); got != tc.want {
				t.Fatalf("ClassOf(%q) = %q, want %q", tc.kind, got, tc.want)
			}
		})
	}
}

// slowFixture is a fixture whose fake Twilio answers each send after latency, with inFlight sends at
// once and no rate limit.
func slowFixture(t *testing.T, latency time.Duration, inFlight int) fixture {
	t.Helper()
	f := newFixture(t, nil, func(o *outbox.Options) { o.InFlight = inFlight })
	f.fake.SetLatency(latency)
	return f
}

func checkIn(i int) outbox.Message {
	return outbox.Message{To: fmt.Sprintf("+4477009%05d", 10000+i), Channel: phone.SMS, Body: "how are you this morning?", Kind: "person_checkin"}
}

func TestAcknowledgementOvertakesACheckInFlood(t *testing.T) {
	const flood, inFlight = 200, 4
	f := slowFixture(t, 20*time.Millisecond, inFlight)
	for i := 0; i < flood; i += 50 {
		var msgs []outbox.Message
		for j := i; j < i+50; j++ {
			msgs = append(msgs, checkIn(j))
		}
		f.queue(t, msgs...)
	}
	stop := f.run(t)
	defer stop()
	before := len(f.wait(t, 10)) // the flood is going out
	const alex = "+447700900001"
	f.queue(t, outbox.Message{To: alex, Channel: phone.SMS, Body: "we're finding someone", Kind: "person_ack"})
	sent := f.wait(t, flood+1)
	at := slices.IndexFunc(sent, func(s twiliofake.Sent) bool { return s.To == alex })
	// Sends already in flight or started meanwhile may finish first: at most inFlight of them, plus the
	// ones that finished between the count above and the queueing.
	if limit := before + 2*inFlight; at < 0 || at > limit {
		t.Fatalf("the acknowledgement went out %dth of %d (%d were sent when it was queued); want by the %dth",
			at+1, len(sent), before, limit+1)
	}
}

func TestSendsGoOutConcurrently(t *testing.T) {
	// Lower bounds and the peak of sends at once are what prove the limits; the upper bounds are far
	// below what sends one at a time would take (64 x 300 ms = 19 s; 40 at 20 a second take 2 s at
	// least), yet loose enough for a loaded machine.
	tests := []struct {
		name     string
		inFlight int
		rate     float64
		latency  time.Duration
		n        int
		within   time.Duration // the n messages must all be sent this soon
		atLeast  time.Duration // and no sooner than this
		peak     int           // at least this many sends at Twilio at once (nearly the limit: a loaded machine may be late to start one)
	}{
		{name: "32 in flight send 64 slow texts in two latencies", inFlight: 32, rate: math.Inf(1), latency: 300 * time.Millisecond,
			n: 64, within: 5 * time.Second, atLeast: 600 * time.Millisecond, peak: 28},
		{name: "the rate limit holds them back", inFlight: 32, rate: 20, latency: 0,
			n: 40, within: 6 * time.Second, atLeast: 900 * time.Millisecond},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f := newFixture(t, nil, func(o *outbox.Options) { o.InFlight, o.Rate = tc.inFlight, tc.rate })
			f.fake.SetLatency(tc.latency)
			var msgs []outbox.Message
			for i := range tc.n {
				msgs = append(msgs, checkIn(i))
			}
			f.queue(t, msgs...)
			start := time.Now()
			stop := f.run(t)
			f.wait(t, tc.n)
			took := time.Since(start)
			stop()
			if took > tc.within || took < tc.atLeast {
				t.Fatalf("%d texts took %v, want between %v and %v", tc.n, took, tc.atLeast, tc.within)
			}
			if p := f.fake.Peak(); p < tc.peak || p > tc.inFlight {
				t.Fatalf("%d sends at Twilio at once at the most, want %d to %d", p, tc.peak, tc.inFlight)
			}
			if n := f.rdb.Exists(context.Background(), "pl:{"+f.line+"}:outbox:pace").Val(); n != 0 {
				t.Fatal("an instance sending alone took its turns in Redis; it keeps the rate in memory")
			}
		})
	}
}

func TestTextsToOneRecipientKeepTheirOrder(t *testing.T) {
	f := slowFixture(t, 10*time.Millisecond, 8)
	var msgs []outbox.Message
	for i := range 6 {
		msgs = append(msgs, outbox.Message{To: sam, Channel: phone.SMS, Body: fmt.Sprintf("part %d", i), Kind: "relay_to_volunteer"})
		msgs = append(msgs, outbox.Message{To: jo, Channel: phone.SMS, Body: fmt.Sprintf("part %d", i), Kind: "relay_to_volunteer"})
	}
	f.queue(t, msgs...)
	stop := f.run(t)
	sent := f.wait(t, len(msgs))
	stop()
	got := map[string][]string{}
	for _, s := range sent {
		got[s.To] = append(got[s.To], s.Body)
	}
	want := []string{"part 0", "part 1", "part 2", "part 3", "part 4", "part 5"}
	if diff := cmp.Diff(map[string][]string{sam: want, jo: want}, got); diff != "" {
		t.Fatalf("texts by recipient, in the order sent (-want +got):\n%s", diff)
	}
}

func TestDepthCountsUnsentByClass(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t, nil)
	if err := f.box.Setup(ctx); err != nil {
		t.Fatal(err)
	}
	got, err := f.box.Depth(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(map[string]int64{"urgent": 0, "relay": 0, "routine": 0}, got); diff != "" {
		t.Fatalf("empty outbox depth (-want +got):\n%s", diff)
	}
	f.queue(t, checkIn(1), checkIn(2), relayTo(jo), offerTo(sam), checkIn(3))
	got, err = f.box.Depth(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(map[string]int64{"urgent": 1, "relay": 1, "routine": 3}, got); diff != "" {
		t.Fatalf("depth (-want +got):\n%s", diff)
	}
	stop := f.run(t)
	f.wait(t, 5)
	stop()
	if got, err = f.box.Depth(ctx); err != nil || got["urgent"]+got["relay"]+got["routine"] != 0 {
		t.Fatalf("depth after sending %v, %v; want all 0", got, err)
	}
}

func TestOlderVersionsStreamIsDrained(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t, nil)
	// An older version queued every kind in pl:{line}:outbox, and made its group there.
	legacy := "pl:{" + f.line + "}:outbox"
	if err := f.rdb.XGroupCreateMkStream(ctx, legacy, "senders", "0").Err(); err != nil {
		t.Fatal(err)
	}
	for _, m := range []outbox.Message{checkIn(1), relayTo(jo)} {
		vals := map[string]any{"to": m.To, "ch": string(m.Channel), "body": m.Body, "kind": m.Kind, "valid": "0"}
		if err := f.rdb.XAdd(ctx, &redis.XAddArgs{Stream: legacy, Values: vals}).Err(); err != nil {
			t.Fatal(err)
		}
	}
	stop := f.run(t)
	sent := f.wait(t, 2)
	stop()
	if len(sent) != 2 || f.rdb.XLen(ctx, legacy).Val() != 0 {
		t.Fatalf("sent %+v, %d left in the old stream; want both sent", sent, f.rdb.XLen(ctx, legacy).Val())
	}
}

// crashAfterRead plays an instance named name that read every queued message and stopped before
// sending any.
func (f fixture) crashAfterRead(t *testing.T, name string) {
	t.Helper()
	ctx := context.Background()
	if err := f.box.Setup(ctx); err != nil {
		t.Fatal(err)
	}
	for _, s := range f.box.Streams() {
		err := f.rdb.XReadGroup(ctx, &redis.XReadGroupArgs{Group: "senders", Consumer: name, Streams: []string{s, ">"}, Block: -1}).Err()
		if err != nil && err != redis.Nil {
			t.Fatal(err)
		}
	}
}

func TestRestartedInstanceResendsItsOwnAtOnce(t *testing.T) {
	f := newFixture(t, nil, func(o *outbox.Options) { o.Instance = "peerline-1"; o.ClaimIdle = time.Hour })
	f.queue(t, offerTo(sam), relayTo(jo), checkIn(1))
	f.crashAfterRead(t, "peerline-1")
	start := time.Now()
	stop := f.run(t) // the same instance, restarted: ClaimIdle (an hour) need not pass
	f.wait(t, 3)
	stop()
	if took := time.Since(start); took > 5*time.Second {
		t.Fatalf("resent after %v, want at once", took)
	}
	if !f.logsHave(`own=3`) {
		t.Fatalf("the log does not say three of its own were resent:\n%s", f.logs)
	}
	if n := f.streamLen(t); n != 0 {
		t.Fatalf("outbox holds %d, want 0", n)
	}
	f.noLeaks(t, sam, jo, "+4477009")
}

func TestOtherInstancesMessagesWaitForClaimIdle(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t, nil, func(o *outbox.Options) { o.Instance = "peerline-2" })
	f.queue(t, offerTo(sam))
	f.crashAfterRead(t, "peerline-1")
	if r, err := f.box.Reclaim(ctx); err != nil || r.Total() != 0 || len(f.fake.Sent()) != 0 {
		t.Fatalf("Reclaim = %+v, %v, sent %d; want a live instance's message left alone", r, err, len(f.fake.Sent()))
	}
	f.idleAll(t)
	if r, err := f.box.Reclaim(ctx); err != nil || r != (outbox.Reclaimed{Taken: 1}) {
		t.Fatalf("Reclaim = %+v, %v; want it taken from the stopped instance", r, err)
	}
	if sent := f.fake.Sent(); len(sent) != 1 {
		t.Fatalf("sent %d, want 1", len(sent))
	}
}

func TestReclaimCountsWhatItDropped(t *testing.T) {
	ctx := context.Background()
	later := func() time.Time { return time.Now().Add(2 * time.Hour) }
	f := newFixture(t, later)
	f.queue(t, offerTo(sam), checkIn(1))
	f.idleAll(t)
	if r, err := f.box.Reclaim(ctx); err != nil || r != (outbox.Reclaimed{Taken: 2, Dropped: 2}) {
		t.Fatalf("Reclaim = %+v, %v; want two taken and dropped as too old", r, err)
	}
	if len(f.fake.Sent()) != 0 || f.streamLen(t) != 0 {
		t.Fatalf("sent %d, outbox %d; want nothing sent and nothing left", len(f.fake.Sent()), f.streamLen(t))
	}
}

func TestFailingMessageIsRetriedWithoutReclaim(t *testing.T) {
	f := newFixture(t, nil, func(o *outbox.Options) {
		o.Attempts, o.Backoff, o.ClaimIdle = 2, 5*time.Millisecond, time.Hour
	})
	// Four failures: two rounds of two tries each, then it goes through, well before ClaimIdle.
	f.fake.FailToNext(jo, twiliofake.Failure{Status: 500, Code: 20500}, twiliofake.Failure{Status: 500, Code: 20500},
		twiliofake.Failure{Status: 503, Code: 20503}, twiliofake.Failure{Status: 429, Code: 20429})
	f.queue(t, offerTo(jo), offerTo(sam))
	stop := f.run(t)
	sent := f.wait(t, 2)
	stop()
	if got := f.fake.Requests(); got != 6 {
		t.Errorf("Twilio saw %d requests, want 6 (four failures, two sends)", got)
	}
	if sent[0].To != sam {
		t.Errorf("first sent to %s; want Sam's, not held up by Jo's failures", sent[0].To)
	}
	if n := f.streamLen(t); n != 0 {
		t.Fatalf("outbox holds %d, want 0", n)
	}
}

// logsHave reports whether the fixture's logs hold s (read once the outbox stopped).
func (f fixture) logsHave(s string) bool { return strings.Contains(f.logs.String(), s) }

// TestTwoInstancesShareTheLinesRate: Options.Rate is the line's senders' rate, so two instances sending
// one line's texts keep to it together, not to twice it (an instance alone keeps it in memory). At 20 a second, 20 may start at once and then
// one every 50 ms: 60 texts take at least 2 s however many instances send them (two instances each
// keeping the rate alone would send them in half a second).
func TestTwoInstancesShareTheLinesRate(t *testing.T) {
	const perSecond, n = 20, 60
	opt := func(o *outbox.Options) { o.InFlight, o.Rate = 32, perSecond }
	f := newFixture(t, nil, opt)
	sender, err := outbox.NewTwilio(outbox.TwilioConfig{AccountSID: sid, AuthToken: token, From: "+447700900999",
		StatusCallback: "https://line.example.org/twilio/status", BaseURL: f.fakeURL})
	if err != nil {
		t.Fatal(err)
	}
	o := outbox.Options{Backoff: time.Millisecond, Block: 50 * time.Millisecond, Instance: "other-" + f.line}
	opt(&o)
	other := outbox.New(f.rdb, f.line, sender, f.log, time.Now, o)
	var msgs []outbox.Message
	for i := range n {
		msgs = append(msgs, checkIn(i))
	}
	f.queue(t, msgs...)
	ctx, cancel := context.WithCancel(context.Background())
	// Both have been sending the line's texts (an instance counts the others it finds reading them).
	if err := f.box.Setup(ctx); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"test-" + f.line, o.Instance} {
		if err := f.rdb.XGroupCreateConsumer(ctx, f.box.Streams()[0], "senders", name).Err(); err != nil {
			t.Fatal(err)
		}
	}
	var wg sync.WaitGroup
	start := time.Now()
	for _, box := range []*outbox.Outbox{f.box, other} {
		wg.Go(func() {
			if err := box.Run(ctx); err != nil {
				t.Error(err)
			}
		})
	}
	f.wait(t, n)
	took := time.Since(start)
	cancel()
	wg.Wait()
	if took < 1900*time.Millisecond || took > 8*time.Second {
		t.Fatalf("two instances sent %d texts at %d a second in %v, want about 2 s (at least 1.9 s)", n, perSecond, took)
	}
}

// loseOneRead makes the first read of new messages that brings any lose its answer after Redis carried
// it out, as a connection cut at that moment does: the messages are pending under the instance's name,
// and it does not know it has them.
type loseOneRead struct{ done atomic.Bool }

func (h *loseOneRead) DialHook(next redis.DialHook) redis.DialHook { return next }

func (h *loseOneRead) ProcessHook(next redis.ProcessHook) redis.ProcessHook {
	return func(ctx context.Context, cmd redis.Cmder) error {
		err := next(ctx, cmd)
		args := cmd.Args()
		if x, ok := cmd.(*redis.XStreamSliceCmd); ok && err == nil && len(x.Val()) > 0 && args[len(args)-1] == ">" &&
			h.done.CompareAndSwap(false, true) {
			cmd.SetErr(io.ErrUnexpectedEOF)
			return io.ErrUnexpectedEOF
		}
		return err
	}
}

func (h *loseOneRead) ProcessPipelineHook(next redis.ProcessPipelineHook) redis.ProcessPipelineHook {
	return next
}

// TestAReadWhoseAnswerWasLostIsTakenBackAtOnce: messages Redis handed the instance on a connection that
// was then lost are taken back before the next read, not left for Reclaim (an hour here).
func TestAReadWhoseAnswerWasLostIsTakenBackAtOnce(t *testing.T) {
	f := newFixture(t, nil, func(o *outbox.Options) { o.Instance = "peerline-1"; o.ClaimIdle = time.Hour })
	f.queue(t, offerTo(sam), relayTo(jo), checkIn(1))
	lose := &loseOneRead{}
	f.rdb.AddHook(lose)
	start := time.Now()
	stop := f.run(t)
	f.wait(t, 3)
	stop()
	if !lose.done.Load() {
		t.Fatal("no read lost its answer: the test tested nothing")
	}
	if took := time.Since(start); took > 5*time.Second {
		t.Fatalf("sent after %v, want at once", took)
	}
	if !f.logsHave(`took back messages read when a connection to Redis was lost`) {
		t.Fatalf("the log does not say messages were taken back:\n%s", f.logs)
	}
	if n := f.streamLen(t); n != 0 {
		t.Fatalf("outbox holds %d, want 0", n)
	}
}
