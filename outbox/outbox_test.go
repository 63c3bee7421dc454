package outbox_test

import (
	"bytes"
	"context"
	"fmt"
	"math"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/redis/go-redis/v9"
	"github.com/sirupsen/logrus"

	"peerline/commit"
	"peerline/outbox"
	"peerline/phone"
	"peerline/redistest"
	"peerline/twiliofake"
)

const (
	sid   = "AC00000000000000000000000000000001"
	token = "testtoken0123456789"
)

type fixture struct {
	rdb  *redis.Client
	line string
	fake *twiliofake.Server
	box  *outbox.Outbox
	logs *bytes.Buffer

	fakeURL string         // where the fake Twilio listens
	log     *logrus.Logger // writes to logs
}

// newFixture returns an outbox of a line of its own, sending to a fake Twilio with one worker; opts
// change its options.
func newFixture(t *testing.T, now func() time.Time, opts ...func(*outbox.Options)) fixture {
	t.Helper()
	rdb, line := redistest.New(t)
	fake := twiliofake.NewServer(sid, token)
	srv := httptest.NewServer(fake)
	t.Cleanup(srv.Close)
	sender, err := outbox.NewTwilio(outbox.TwilioConfig{
		AccountSID: sid, AuthToken: token, From: "+447700900999", WhatsAppFrom: "+447700900998",
		StatusCallback: "https://line.example.org/twilio/status", BaseURL: srv.URL,
	})
	if err != nil {
		t.Fatal(err)
	}
	logs := &bytes.Buffer{}
	log := logrus.New()
	log.SetOutput(logs)
	log.SetLevel(logrus.DebugLevel)
	if now == nil {
		now = time.Now
	}
	opt := outbox.Options{InFlight: 1, Rate: math.Inf(1), Backoff: time.Millisecond, Block: 50 * time.Millisecond,
		Instance: "test-" + line}
	for _, o := range opts {
		o(&opt)
	}
	box := outbox.New(rdb, line, sender, log, now, opt)
	return fixture{rdb: rdb, line: line, fake: fake, box: box, logs: logs, fakeURL: srv.URL, log: log}
}

func (f fixture) queue(t *testing.T, msgs ...outbox.Message) {
	t.Helper()
	b := commit.New()
	for _, m := range msgs {
		f.box.Queue(b, m)
	}
	if _, err := commit.NewApplier(f.rdb).Apply(context.Background(), b); err != nil {
		t.Fatal(err)
	}
}

// run starts the workers and returns a function that stops them and waits until they returned.
func (f fixture) run(t *testing.T) (stop func()) {
	ctx, cancel := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	wg.Go(func() {
		if err := f.box.Run(ctx); err != nil {
			t.Error(err)
		}
	})
	return func() { cancel(); wg.Wait() }
}

func (f fixture) wait(t *testing.T, n int) []twiliofake.Sent {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	sent, err := f.fake.Wait(ctx, n)
	if err != nil {
		t.Fatalf("%v; outbox log:\n%s", err, f.logs)
	}
	return sent
}

// streamLen returns how many messages the outbox holds, in all classes.
func (f fixture) streamLen(t *testing.T) int64 {
	t.Helper()
	var n int64
	for _, s := range f.box.Streams() {
		n += f.rdb.XLen(context.Background(), s).Val()
	}
	return n
}

func TestDeliversOnBothChannels(t *testing.T) {
	f := newFixture(t, nil)
	f.queue(t,
		outbox.Message{To: "+447700900001", Channel: phone.SMS, Body: "someone is asking", Kind: "volunteer_offer", ValidFor: 10 * time.Minute},
		outbox.Message{To: "+447700900002", Channel: phone.WhatsApp, Body: "we're finding someone", Kind: "person_ack"},
	)
	stop := f.run(t)
	sent := f.wait(t, 2)
	stop()
	for i := range sent {
		sent[i].SID = ""
	}
	want := []twiliofake.Sent{
		{To: "+447700900001", From: "+447700900999", Body: "someone is asking", StatusCallback: "https://line.example.org/twilio/status", ValidityPeriod: 600},
		{To: "whatsapp:+447700900002", From: "whatsapp:+447700900998", Body: "we're finding someone", StatusCallback: "https://line.example.org/twilio/status"},
	}
	if diff := cmp.Diff(want, sent); diff != "" {
		t.Fatalf("sent (-want +got):\n%s", diff)
	}
	if n := f.streamLen(t); n != 0 {
		t.Fatalf("outbox holds %d messages after delivery, want 0 (personal data must not linger)", n)
	}
	if strings.Contains(f.logs.String(), "+4477") || strings.Contains(f.logs.String(), "someone is asking") {
		t.Fatalf("logs leak a number or a body:\n%s", f.logs)
	}
}

func TestRetriesTransientFailures(t *testing.T) {
	f := newFixture(t, nil)
	f.fake.FailNext(twiliofake.Failure{Status: 429, Code: 20429}, twiliofake.Failure{Status: 500, Code: 20500})
	f.queue(t, outbox.Message{To: "+447700900001", Channel: phone.SMS, Body: "hello", Kind: "test"})
	stop := f.run(t)
	f.wait(t, 1)
	stop()
	if got := f.fake.Requests(); got != 3 {
		t.Fatalf("Twilio saw %d requests, want 3 (two failures, one success)", got)
	}
	if got := len(f.fake.Sent()); got != 1 {
		t.Fatalf("sent %d times, want exactly once", got)
	}
}

func TestPermanentFailureIsNotRetried(t *testing.T) {
	for _, code := range []int{21610, 21211} {
		t.Run(fmt.Sprintf("error %d acknowledged without retry", code), func(t *testing.T) {
			f := newFixture(t, nil)
			f.fake.FailNext(twiliofake.Failure{Status: 400, Code: code})
			f.queue(t,
				outbox.Message{To: "+447700900001", Channel: phone.SMS, Body: "to an opted-out number", Kind: "test"},
				outbox.Message{To: "+447700900002", Channel: phone.SMS, Body: "next one", Kind: "test"},
			)
			stop := f.run(t)
			f.wait(t, 1)
			stop()
			if got := f.fake.Requests(); got != 2 {
				t.Fatalf("Twilio saw %d requests, want 2 (the failed one was not retried)", got)
			}
			if n := f.streamLen(t); n != 0 {
				t.Fatalf("outbox holds %d messages, want 0", n)
			}
		})
	}
}

func TestReclaimsMessagesOfACrashedSender(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t, nil)
	if err := f.box.Setup(ctx); err != nil {
		t.Fatal(err)
	}
	f.queue(t, outbox.Message{To: "+447700900001", Channel: phone.SMS, Body: "survives a crash", Kind: "test"})
	// A sender reads the message and dies before sending it.
	res, err := f.rdb.XReadGroup(ctx, &redis.XReadGroupArgs{Group: "senders", Consumer: "crashed", Streams: []string{f.box.Stream(), ">"}, Count: 1}).Result()
	if err != nil || len(res[0].Messages) != 1 {
		t.Fatalf("crashed sender read %v, %v", res, err)
	}
	id := res[0].Messages[0].ID
	// New readers do not see it: it is pending for the crashed sender.
	if r, _ := f.box.Reclaim(ctx); r.Total() != 0 {
		t.Fatalf("Reclaim took %+v, messages that were not idle yet", r)
	}
	// A minute passes (Redis keeps the idle time; XCLAIM's IDLE sets it as if the time had passed).
	if err := f.rdb.Do(ctx, "XCLAIM", f.box.Stream(), "senders", "crashed", 0, id, "IDLE", 60000).Err(); err != nil {
		t.Fatal(err)
	}
	r, err := f.box.Reclaim(ctx)
	if err != nil || r != (outbox.Reclaimed{Taken: 1}) {
		t.Fatalf("Reclaim = %+v, %v; want one taken from the crashed sender", r, err)
	}
	if sent := f.fake.Sent(); len(sent) != 1 || sent[0].Body != "survives a crash" {
		t.Fatalf("sent %+v", sent)
	}
	if n := f.streamLen(t); n != 0 {
		t.Fatalf("outbox holds %d messages, want 0", n)
	}
}

func TestDropsMessagesTooLateToHelp(t *testing.T) {
	ctx := context.Background()
	later := func() time.Time { return time.Now().Add(11 * time.Minute) }
	f := newFixture(t, later)
	if err := f.box.Setup(ctx); err != nil {
		t.Fatal(err)
	}
	f.queue(t,
		outbox.Message{To: "+447700900001", Channel: phone.SMS, Body: "stale offer", Kind: "volunteer_offer", ValidFor: 10 * time.Minute},
		outbox.Message{To: "+447700900002", Channel: phone.SMS, Body: "still useful", Kind: "test"},
	)
	stop := f.run(t)
	f.wait(t, 1)
	stop()
	if sent := f.fake.Sent(); len(sent) != 1 || sent[0].Body != "still useful" {
		t.Fatalf("sent %+v, want only the message that is still valid", sent)
	}
}

func TestTwilioTransportRefusesOtherHosts(t *testing.T) {
	if _, err := outbox.NewTwilio(outbox.TwilioConfig{AccountSID: sid, AuthToken: token, BaseURL: "not a url"}); err == nil {
		t.Fatal("NewTwilio accepted a bad base URL")
	}
}

func TestRetriesWhenTwilioCannotBeReached(t *testing.T) {
	ctx := context.Background()
	rdb, line := redistest.New(t)
	dead := httptest.NewServer(http.NotFoundHandler())
	dead.Close() // nothing listens there any more
	sender, err := outbox.NewTwilio(outbox.TwilioConfig{AccountSID: sid, AuthToken: token, From: "+447700900999", BaseURL: dead.URL})
	if err != nil {
		t.Fatal(err)
	}
	logs := &bytes.Buffer{}
	log := logrus.New()
	log.SetOutput(logs)
	box := outbox.New(rdb, line, sender, log, time.Now, outbox.Options{Attempts: 2, Backoff: time.Millisecond})
	if err := box.Setup(ctx); err != nil {
		t.Fatal(err)
	}
	b := commit.New()
	box.Queue(b, outbox.Message{To: "+447700900001", Channel: phone.SMS, Body: "kept for later", Kind: "test"})
	if _, err := commit.NewApplier(rdb).Apply(ctx, b); err != nil {
		t.Fatal(err)
	}
	res, err := rdb.XReadGroup(ctx, &redis.XReadGroupArgs{Group: "senders", Consumer: "c", Streams: []string{box.Stream(), ">"}, Count: 1}).Result()
	if err != nil {
		t.Fatal(err)
	}
	if err := rdb.Do(ctx, "XCLAIM", box.Stream(), "senders", "c", 0, res[0].Messages[0].ID, "IDLE", 60000).Err(); err != nil {
		t.Fatal(err)
	}
	if _, err := box.Reclaim(ctx); err != nil {
		t.Fatal(err)
	}
	if n := rdb.XLen(ctx, box.Stream()).Val(); n != 1 {
		t.Fatalf("outbox holds %d messages, want the unsent one kept for a later try", n)
	}
	if !strings.Contains(logs.String(), "tried again shortly") || strings.Contains(logs.String(), "+4477") {
		t.Fatalf("log should say the message waits, without the number:\n%s", logs)
	}
}
