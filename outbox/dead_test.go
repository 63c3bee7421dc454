package outbox_test

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/redis/go-redis/v9"

	"peerline/outbox"
	"peerline/phone"
	"peerline/twiliofake"
)

// failed is one call of the failure hook.
type failed struct {
	Kind, To string
	Code     int
}

// hook records the failure hook's calls and answers err.
type hook struct {
	mu    sync.Mutex
	calls []failed
	err   error
}

func (h *hook) SendFailed(_ context.Context, m outbox.Message, code int) error {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.calls = append(h.calls, failed{Kind: m.Kind, To: m.To, Code: code})
	return h.err
}

func (h *hook) got() []failed {
	h.mu.Lock()
	defer h.mu.Unlock()
	return append([]failed(nil), h.calls...)
}

// withHook makes h the fixture's failure hook.
func withHook(h outbox.FailureHandler) func(*outbox.Options) {
	return func(o *outbox.Options) { o.OnFailure = h }
}

// dead returns the fixture's dead letters, failing the test on an error.
func (f fixture) dead(t *testing.T) []outbox.DeadLetter {
	t.Helper()
	d, err := f.box.DeadLetters(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// noLeaks fails the test when a log line holds any of secrets (numbers, bodies).
func (f fixture) noLeaks(t *testing.T, secrets ...string) {
	t.Helper()
	for _, s := range secrets {
		if s != "" && strings.Contains(f.logs.String(), s) {
			t.Errorf("logs hold %q:\n%s", s, f.logs)
		}
	}
}

// deadKeys returns the Redis keys of the fixture's dead letters (not the index).
func (f fixture) deadKeys(t *testing.T) []string {
	t.Helper()
	k, err := f.rdb.Keys(context.Background(), "pl:{"+f.line+"}:outbox:dead:*").Result()
	if err != nil {
		t.Fatal(err)
	}
	return k
}

// ignoreDead leaves out what a test cannot know in advance: the id, the time, the full number.
var ignoreDead = cmp.Options{cmpopts.IgnoreFields(outbox.DeadLetter{}, "ID", "At"), cmpopts.IgnoreUnexported(outbox.DeadLetter{})}

func TestPermanentFailureIsDeadLetteredOnce(t *testing.T) {
	const to, next = "+447700900102", "+447700900101"
	tests := []struct {
		name     string
		msg      outbox.Message
		failure  twiliofake.Failure
		want     outbox.DeadLetter
		wantBody string // what the dead letter keeps of the text
	}{
		{
			name:    "a relay refused as opted out is kept without its words and cannot be retried",
			msg:     outbox.Message{To: to, Channel: phone.SMS, Body: "R7K3: i took all my tablets", Kind: "relay_to_volunteer", Ref: "relay R7K3"},
			failure: twiliofake.Failure{Status: 400, Code: 21610},
			want: outbox.DeadLetter{Kind: "relay_to_volunteer", Status: 400, Code: 21610, Channel: phone.SMS, Ref: "relay R7K3",
				Retryable: false, MaskedTo: "**********102"},
		},
		{
			name:    "the connect text on WhatsApp to a bad number is kept without the person's words",
			msg:     outbox.Message{To: to, Channel: phone.WhatsApp, Body: `You're connected to R7K3. They said: "help me"`, Kind: "volunteer_start"},
			failure: twiliofake.Failure{Status: 400, Code: 21211},
			want: outbox.DeadLetter{Kind: "volunteer_start", Status: 400, Code: 21211, Channel: phone.WhatsApp,
				Retryable: false, MaskedTo: "**********102"},
		},
		{
			name:    "an offer to a landline keeps the line's own words and can be retried",
			msg:     outbox.Message{To: to, Channel: phone.SMS, Body: "Someone is asking for support (R7K3).", Kind: "volunteer_offer", Ref: "offer R7K3 v2", ValidFor: 3 * time.Minute},
			failure: twiliofake.Failure{Status: 400, Code: 21614},
			want: outbox.DeadLetter{Kind: "volunteer_offer", Status: 400, Code: 21614, Channel: phone.SMS, Ref: "offer R7K3 v2",
				Retryable: true, MaskedTo: "**********102"},
			wantBody: "Someone is asking for support (R7K3).",
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ctx := context.Background()
			h := &hook{}
			f := newFixture(t, nil, withHook(h))
			f.fake.FailTo(to, tc.failure)
			// One send at a time, in order within a class: once the second is sent, the first was handled.
			f.queue(t, tc.msg, outbox.Message{To: next, Channel: phone.SMS, Body: "goes", Kind: tc.msg.Kind})
			stop := f.run(t)
			f.wait(t, 1)
			stop()

			d := f.dead(t)
			if diff := cmp.Diff([]outbox.DeadLetter{tc.want}, d, ignoreDead); diff != "" {
				t.Fatalf("dead letters (-want +got):\n%s", diff)
			}
			if got := d[0].Meaning(); !strings.HasPrefix(got, fmt.Sprint(tc.failure.Code)+" ") {
				t.Errorf("Meaning() = %q", got)
			}
			if time.Since(d[0].At) > time.Minute || len(d[0].ID) != 6 {
				t.Errorf("dead letter id %q at %v, want a short id and now", d[0].ID, d[0].At)
			}
			if diff := cmp.Diff([]failed{{Kind: tc.msg.Kind, To: to, Code: tc.failure.Code}}, h.got()); diff != "" {
				t.Errorf("hook calls (-want +got):\n%s", diff)
			}
			if got := f.fake.Requests(); got != 2 {
				t.Errorf("Twilio saw %d requests, want 2 (the refused one was not retried)", got)
			}
			if n := f.streamLen(t); n != 0 {
				t.Errorf("outbox holds %d messages, want 0 (acknowledged)", n)
			}
			stored := f.rdb.HGetAll(ctx, "pl:{"+f.line+"}:outbox:dead:"+d[0].ID).Val()
			if stored["body"] != tc.wantBody {
				t.Errorf("dead letter keeps body %q, want %q", stored["body"], tc.wantBody)
			}
			f.noLeaks(t, to, next, "+4477", tc.msg.Body)
		})
	}
}

func TestTransientFailureThenSuccessIsNoDeadLetter(t *testing.T) {
	h := &hook{}
	f := newFixture(t, nil, withHook(h))
	f.fake.FailNext(twiliofake.Failure{Status: 429, Code: 20429}, twiliofake.Failure{Status: 503, Code: 20503})
	f.queue(t, outbox.Message{To: "+447700900001", Channel: phone.SMS, Body: "hello", Kind: "person_ack"})
	stop := f.run(t)
	f.wait(t, 1)
	stop()
	if d := f.dead(t); len(d) != 0 {
		t.Fatalf("dead letters %+v, want none", d)
	}
	if calls := h.got(); len(calls) != 0 {
		t.Fatalf("hook called %+v for a message that was sent", calls)
	}
	if k := f.deadKeys(t); len(k) != 0 {
		t.Fatalf("dead letter keys %v, want none", k)
	}
}

func TestSendErrorCarriesStatusAndCode(t *testing.T) {
	tests := []struct {
		name          string
		failure       twiliofake.Failure
		wantPermanent bool
	}{
		{name: "opted out is permanent", failure: twiliofake.Failure{Status: 400, Code: 21610}, wantPermanent: true},
		{name: "too long is permanent", failure: twiliofake.Failure{Status: 400, Code: 21617}, wantPermanent: true},
		{name: "region not enabled is permanent", failure: twiliofake.Failure{Status: 400, Code: 21408}, wantPermanent: true},
		{name: "too many requests is retried", failure: twiliofake.Failure{Status: 429, Code: 20429}},
		{name: "20429 with another status is retried", failure: twiliofake.Failure{Status: 400, Code: 20429}},
		{name: "server error is retried", failure: twiliofake.Failure{Status: 500, Code: 20500}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f := newFixture(t, nil)
			sender, err := outbox.NewTwilio(outbox.TwilioConfig{AccountSID: sid, AuthToken: token, From: "+447700900999", BaseURL: f.fakeURL})
			if err != nil {
				t.Fatal(err)
			}
			f.fake.FailNext(tc.failure)
			_, err = sender.Send(context.Background(), outbox.Message{To: "+447700900102", Channel: phone.SMS, Body: "hi"})
			var se *outbox.SendError
			if !errors.As(err, &se) {
				t.Fatalf("error %v (%T) is not a *SendError", err, err)
			}
			want := outbox.SendError{Status: tc.failure.Status, Code: tc.failure.Code, Permanent: tc.wantPermanent}
			if diff := cmp.Diff(want, *se, cmpopts.IgnoreUnexported(outbox.SendError{})); diff != "" {
				t.Errorf("SendError (-want +got):\n%s", diff)
			}
			if errors.Is(err, outbox.ErrPermanent) != tc.wantPermanent {
				t.Errorf("errors.Is(%v, ErrPermanent) = %v, want %v", err, !tc.wantPermanent, tc.wantPermanent)
			}
			if strings.Contains(err.Error(), "900102") {
				t.Errorf("error %q quotes the number", err)
			}
		})
	}
	t.Run("network error is retried", func(t *testing.T) {
		err := error(&outbox.SendError{})
		if errors.Is(err, outbox.ErrPermanent) {
			t.Fatal("a SendError without a status is permanent")
		}
	})
}

func TestCodeMeaning(t *testing.T) {
	for code, want := range map[int]string{
		21610: "21610 opted out", 21211: "21211 not a valid number", 21612: "21612 cannot reach this number",
		21614: "21614 not a mobile number", 21408: "21408 country not enabled", 21617: "21617 text too long",
		0: "refused before sending", 30999: "30999 (twilio.com/docs/errors/30999)",
	} {
		if got := outbox.CodeMeaning(code); got != want {
			t.Errorf("CodeMeaning(%d) = %q, want %q", code, got, want)
		}
	}
}

// tick returns a clock that starts now and moves one second on at each reading, so that dead letters
// made one after another are dated in order.
func tick() func() time.Time {
	var mu sync.Mutex
	t := time.Now()
	return func() time.Time {
		mu.Lock()
		defer mu.Unlock()
		t = t.Add(time.Second)
		return t
	}
}

// reclaimAll makes every queued message look read by a sender that died a minute ago, then reclaims
// them: each is delivered, class by class and in order within a class, before reclaimAll returns.
func (f fixture) reclaimAll(t *testing.T, box *outbox.Outbox) {
	t.Helper()
	ctx := context.Background()
	if err := box.Setup(ctx); err != nil {
		t.Fatal(err)
	}
	f.idleAll(t)
	if _, err := box.Reclaim(ctx); err != nil {
		t.Fatal(err)
	}
}

// idleAll makes every queued message look read by a sender that died a minute ago.
func (f fixture) idleAll(t *testing.T) {
	t.Helper()
	ctx := context.Background()
	if err := f.box.Setup(ctx); err != nil {
		t.Fatal(err)
	}
	for _, stream := range f.box.Streams() {
		err := f.rdb.XReadGroup(ctx, &redis.XReadGroupArgs{Group: "senders", Consumer: "crashed", Streams: []string{stream, ">"}, Block: -1}).Err()
		if err != nil && !errors.Is(err, redis.Nil) {
			t.Fatal(err)
		}
		pending, err := f.rdb.XPendingExt(ctx, &redis.XPendingExtArgs{Stream: stream, Group: "senders", Start: "-", End: "+", Count: 1000}).Result()
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range pending {
			if err := f.rdb.Do(ctx, "XCLAIM", stream, "senders", "crashed", 0, p.ID, "IDLE", 60000).Err(); err != nil {
				t.Fatal(err)
			}
		}
	}
}

const (
	jo  = "+447700900102"
	sam = "+447700900101"
)

var optedOut = twiliofake.Failure{Status: 400, Code: 21610}

// offerTo and relayTo are messages of a kind that keeps its text and of one that does not.
func offerTo(to string) outbox.Message {
	return outbox.Message{To: to, Channel: phone.SMS, Body: "Someone is asking for support (R7K3).", Kind: "volunteer_offer", Ref: "offer R7K3 v2"}
}

func relayTo(to string) outbox.Message {
	return outbox.Message{To: to, Channel: phone.SMS, Body: "R7K3: my words", Kind: "relay_to_volunteer"}
}

func TestFailureOnReclaimIsDeadLettered(t *testing.T) {
	h := &hook{}
	f := newFixture(t, nil, withHook(h))
	f.fake.FailTo(jo, optedOut)
	f.queue(t, offerTo(jo))
	f.reclaimAll(t, f.box)
	if d := f.dead(t); len(d) != 1 || d[0].Code != 21610 {
		t.Fatalf("dead letters %+v, want the reclaimed message's", d)
	}
	if diff := cmp.Diff([]failed{{Kind: "volunteer_offer", To: jo, Code: 21610}}, h.got()); diff != "" {
		t.Fatalf("hook calls (-want +got):\n%s", diff)
	}
	if n := f.streamLen(t); n != 0 {
		t.Fatalf("outbox holds %d messages, want 0", n)
	}
	f.noLeaks(t, jo, offerTo(jo).Body)
}

// crashHook plays an instance that dies once the dead letter is kept, before the message is
// acknowledged.
type crashHook struct{}

func (crashHook) SendFailed(context.Context, outbox.Message, int) error {
	runtime.Goexit()
	return nil
}

func TestDeadLetterKeptBeforeACrashIsFinishedOnce(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t, nil, withHook(crashHook{}))
	f.fake.FailTo(jo, optedOut)
	f.queue(t, offerTo(jo))
	done := make(chan struct{})
	go func() { defer close(done); f.reclaimAll(t, f.box) }()
	<-done
	if n := f.streamLen(t); n != 1 {
		t.Fatalf("outbox holds %d messages, want the unacknowledged one", n)
	}

	h := &hook{}
	sender, err := outbox.NewTwilio(outbox.TwilioConfig{AccountSID: sid, AuthToken: token, From: "+447700900999", BaseURL: f.fakeURL})
	if err != nil {
		t.Fatal(err)
	}
	other := outbox.New(f.rdb, f.line, sender, f.log, time.Now, outbox.Options{OnFailure: h, Instance: "other"})
	f.idleAll(t)
	if r, err := other.Reclaim(ctx); err != nil || r != (outbox.Reclaimed{Taken: 1, Buried: 1}) {
		t.Fatalf("Reclaim = %+v, %v; want one message taken, found buried", r, err)
	}
	if got := f.fake.Requests(); got != 1 {
		t.Errorf("Twilio saw %d requests, want 1: a message already kept as a dead letter is not sent again", got)
	}
	if diff := cmp.Diff([]failed{{Kind: "volunteer_offer", To: jo, Code: 21610}}, h.got()); diff != "" {
		t.Errorf("hook calls (-want +got):\n%s", diff)
	}
	if d := f.dead(t); len(d) != 1 {
		t.Errorf("dead letters %+v, want exactly one", d)
	}
	if n := f.streamLen(t); n != 0 {
		t.Errorf("outbox holds %d messages, want 0", n)
	}
	f.noLeaks(t, jo, offerTo(jo).Body)
}

func TestHookErrorIsLoggedAndTheMessageAcknowledged(t *testing.T) {
	h := &hook{err: fmt.Errorf("record opt-out of %s: redis down", jo)}
	f := newFixture(t, nil, withHook(h))
	f.fake.FailTo(jo, optedOut)
	f.queue(t, relayTo(jo))
	f.reclaimAll(t, f.box)
	if len(h.got()) != 1 || len(f.dead(t)) != 1 || f.streamLen(t) != 0 {
		t.Fatalf("hook calls %v, dead letters %v, outbox %d; want 1, 1, 0", h.got(), f.dead(t), f.streamLen(t))
	}
	if !strings.Contains(f.logs.String(), "handling a failed send failed") || !strings.Contains(f.logs.String(), "redis down") {
		t.Errorf("the hook's error is not logged:\n%s", f.logs)
	}
	f.noLeaks(t, jo, "900102", relayTo(jo).Body)
}
