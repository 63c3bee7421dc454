package bot_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"peerline/bot"
	"peerline/matcher"
	"peerline/phone"
	"peerline/twiliofake"
)

// busyLine is a line where Sam, the one volunteer on shift, holds an offer of Alex's request and Bea
// waits behind it: the bot has seen the line busy and kept it (see fresh). It returns a counter of the
// round trips made from then on.
func busyLine(t *testing.T) (*fixture, *roundTrips) {
	t.Helper()
	f := newFixture(t)
	f.volunteer("Sam", sam)
	f.text(alex, "hello")
	f.clock.add(time.Second) // the queue is in order of arrival
	f.text(bea, "is anyone there")
	f.clock.add(time.Second)
	f.queued()
	trips := &roundTrips{}
	f.rdb.AddHook(trips)
	return f, trips
}

// TestAStrangersRequestWhileEveryoneIsBusyTakesOneRoundTrip: on a busy night a new person's first text
// is decided from the line as the last new request found it, and committed at once; they hear what
// they would have heard (that they are in the queue: the one volunteer free is deciding on Alex's
// request), and join the queue behind the others.
func TestAStrangersRequestWhileEveryoneIsBusyTakesOneRoundTrip(t *testing.T) {
	f, trips := busyLine(t)
	for _, who := range []string{cy, dee} {
		f.text(who, "can't sleep, really want a drink")
		f.clock.add(time.Second)
	}
	if n := trips.n.Load(); n != 2 {
		t.Errorf("two new requests took %d round trips, want one each", n)
	}
	if got := f.queued(); len(got) != 2 || !has(got, cy, "You're in the queue") || !has(got, dee, "You're in the queue") {
		t.Fatalf("queued %q, want Cy and Dee each told they are in the queue (Sam is deciding on Alex's request)", got)
	}
	reqs, err := matcher.New(f.rdb, f.line()).Queued(context.Background(), f.clock.now().Add(-time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	var queue []string
	for _, r := range reqs {
		queue = append(queue, r.Code)
	}
	want := []string{f.codeOf(alex), f.codeOf(bea), f.codeOf(cy), f.codeOf(dee)}
	if strings.Join(queue, " ") != strings.Join(want, " ") {
		t.Fatalf("queue %v, want %v (Alex, Bea, Cy, Dee)", queue, want)
	}
	// The same delivery again is caught, in one round trip too.
	in := bot.Inbound{MessageSID: twiliofake.NewSID("SM"), From: "+447700900033", Channel: phone.SMS, Body: "hello?"}
	for range 2 {
		if err := f.bots[0].Handle(context.Background(), in); err != nil {
			t.Fatal(err)
		}
	}
	if got := f.queued(); len(got) != 1 {
		t.Fatalf("a repeated delivery queued %q, want one answer", got)
	}
}

// TestAStrangersRequestIsDecidedAgainWhenTheLineIsNotWhatWasKept: each thing the one-round-trip path
// assumes is guarded; when one does not hold, the text is handled the ordinary way, as if the bot had
// never kept the line.
func TestAStrangersRequestIsDecidedAgainWhenTheLineIsNotWhatWasKept(t *testing.T) {
	ctx := context.Background()
	tests := []struct {
		name  string
		setup func(f *fixture)
		body  string
		check func(t *testing.T, f *fixture, queued []string)
	}{
		{
			name: "Sam's offer was withdrawn elsewhere: Sam is offered the head of the queue",
			setup: func(f *fixture) {
				f.rdb.Del(ctx, "pl:{"+f.line()+"}:match:offers:"+sam) // as another instance would
			},
			check: func(t *testing.T, f *fixture, queued []string) {
				if !has(queued, sam, "Reply ACCEPT") {
					t.Errorf("queued %q, want an offer to Sam, who was free", queued)
				}
			},
		},
		{
			name: "Cy is blocked: told so, no request",
			setup: func(f *fixture) {
				f.rdb.ZAdd(ctx, "pl:{"+f.line()+"}:bot:blocks", redis.Z{Score: float64(f.clock.now().Add(time.Hour).UnixMilli()), Member: cy})
			},
			check: func(t *testing.T, f *fixture, queued []string) {
				if reqOf(f, cy) != "" || !has(queued, cy, "can't take texts from this number") {
					t.Errorf("a blocked person opened request %q and got %q, want no request and the blocked text", reqOf(f, cy), queued)
				}
			},
		},
		{
			name: "Cy opted out before: not answered",
			setup: func(f *fixture) {
				f.rdb.HSet(ctx, f.partyKey(cy), "optout", 1)
			},
			check: func(t *testing.T, f *fixture, queued []string) {
				if reqOf(f, cy) != "" || has(queued, cy, "") {
					t.Errorf("someone who opted out opened request %q and got %q, want nothing until START", reqOf(f, cy), queued)
				}
			},
		},
		{
			name: "Cy asked yesterday: counted as a repeat contact",
			setup: func(f *fixture) {
				f.rdb.ZAdd(ctx, "pl:{"+f.line()+"}:bot:contacts:"+cy, redis.Z{Score: float64(f.clock.now().Add(-20 * time.Hour).UnixMilli()), Member: "RXXX"})
			},
			check: func(t *testing.T, f *fixture, queued []string) {
				repeat := -1
				for _, e := range f.history() {
					if e.Code == f.codeOf(cy) && e.Kind == matcher.EventNew {
						repeat = e.Repeat
					}
				}
				if repeat != 1 {
					t.Errorf("Cy's new request recorded as repeat %d, want 1", repeat)
				}
			},
		},
		{
			name: "Cy used risk words: the urgent path, safety text first",
			body: "I've taken an overdose",
			check: func(t *testing.T, f *fixture, queued []string) {
				if !has(queued, cy, "999") || !has(queued, sam, "ACCEPT") {
					t.Errorf("queued %q, want the safety text to Cy and an urgent offer to Sam", queued)
				}
			},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f, _ := busyLine(t)
			if tc.setup != nil {
				tc.setup(f)
			}
			body := tc.body
			if body == "" {
				body = "hello"
			}
			f.text(cy, body)
			tc.check(t, f, f.queued())
		})
	}
}

// reqOf returns the request number is waiting on, "" when none (or nothing is kept of them).
func reqOf(f *fixture, number string) string {
	f.t.Helper()
	code, err := f.rdb.HGet(context.Background(), f.partyKey(number), "req").Result()
	if err != nil && err != redis.Nil {
		f.t.Fatal(err)
	}
	return code
}
