package bot_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"peerline/matcher"
)

// history returns every event in the fixture's line history.
func (f *fixture) history() []matcher.Event {
	f.t.Helper()
	// The fixture's line is the hash tag of its keys, such as pl:{t1a2b}:outbox.
	stream := f.box.Stream()
	line := stream[strings.Index(stream, "{")+1 : strings.Index(stream, "}")]
	events, err := matcher.New(f.rdb, line).History(context.Background(), time.Time{}, f.clock.now().Add(time.Hour))
	if err != nil {
		f.t.Fatal(err)
	}
	return events
}

// TestHistoryFollowsTheConversation: each thing that happens to a request is recorded once, at the bot's
// time, with when it was opened and accepted.
func TestHistoryFollowsTheConversation(t *testing.T) {
	type step func(f *fixture)
	text := func(from, body string) step { return func(f *fixture) { f.text(from, body) } }
	wait := func(d time.Duration) step { return func(f *fixture) { f.clock.add(d) } }
	sweep := func(f *fixture) {
		if _, err := f.bots[1].RunDue(context.Background()); err != nil {
			f.t.Fatal(err)
		}
	}
	t0 := time.Date(2026, 12, 25, 1, 10, 0, 0, time.UTC)
	after := func(n int) time.Time { return t0.Add(time.Duration(n) * time.Minute) }
	newEv := matcher.Event{Kind: matcher.EventNew, At: t0, Channel: "sms"}
	matched := matcher.Event{Kind: matcher.EventMatched, At: after(3), Created: t0, Volunteer: "v1"}
	tests := []struct {
		name  string
		vols  int
		steps []step
		want  []matcher.Event
	}{
		{"accepted then done", 1, []step{text(alex, "hello"), wait(3 * time.Minute), text(sam, "ACCEPT"),
			wait(10 * time.Minute), text(sam, "DONE")},
			[]matcher.Event{newEv, matched, {Kind: matcher.EventEnded, At: after(13), Volunteer: "v1", Matched: after(3)}}},
		{"person stops mid-chat", 1, []step{text(alex, "hello"), wait(3 * time.Minute), text(sam, "ACCEPT"),
			wait(time.Minute), text(alex, "STOP")},
			[]matcher.Event{newEv, matched, {Kind: matcher.EventEnded, At: after(4), Volunteer: "v1", Matched: after(3)}}},
		{"person stops while waiting", 1, []step{text(alex, "hello"), wait(2 * time.Minute), text(alex, "STOP")},
			[]matcher.Event{newEv, {Kind: matcher.EventWithdrawn, At: after(2), Created: t0}}},
		{"everyone lets it go", 2, []step{text(alex, "hello"), wait(time.Minute), text(sam, "PASS"),
			wait(time.Minute), text(jo, "OFF")},
			[]matcher.Event{newEv, {Kind: matcher.EventUnanswered, At: after(2), Created: t0}}},
		{"nobody on shift", 0, []step{text(alex, "hello")},
			[]matcher.Event{newEv, {Kind: matcher.EventUnanswered, At: t0, Created: t0}}},
		{"given up by the sweep", 1, []step{text(alex, "hello"), wait(20 * time.Minute), sweep, sweep},
			[]matcher.Event{newEv, {Kind: matcher.EventUnanswered, At: after(20), Created: t0}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f := newFixture(t)
			for _, v := range []struct{ name, number string }{{"Sam", sam}, {"Jo", jo}}[:tc.vols] {
				f.volunteer(v.name, v.number)
			}
			for _, s := range tc.steps {
				s(f)
			}
			got := f.history()
			for i := range got {
				got[i].Code = "" // codes are random
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Fatalf("history (-want +got):\n%s", diff)
			}
		})
	}
}

// TestARepeatContactIsCountedInTheHistory: a number that asks again within the repeat-contact window
// opens a request whose history event counts the earlier one, with no number kept.
func TestARepeatContactIsCountedInTheHistory(t *testing.T) {
	f := newFixture(t)
	if err := f.rotaAlwaysOpen(); err != nil {
		t.Fatal(err)
	}
	f.volunteer("Sam", sam)
	f.text(alex, "can't sleep")
	f.text(sam, "ACCEPT")
	f.text(sam, "DONE")
	f.text(sam, "NEXT")
	f.text(alex, "it's me again, still can't sleep")
	var repeats []int
	for _, e := range f.history() {
		if e.Kind == matcher.EventNew {
			repeats = append(repeats, e.Repeat)
		}
	}
	if len(repeats) != 2 || repeats[0] != 0 || repeats[1] != 1 {
		t.Fatalf("new requests' repeat counts %v; want [0 1]", repeats)
	}
}
