package matcher_test

import (
	"context"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"peerline/commit"
	"peerline/matcher"
	"peerline/redistest"
	"peerline/rota"
)

// TestANewRequestsReadHasTheFreeVolunteersBoardOnlyWhenNothingWaits: a free sender's read, asked for the
// board, has what Plan needs of the volunteers in no chat while the queue is empty, whether the live
// chats were held already or not. Once a request waits, it has none while someone free holds no offer
// (the request is dispatched), and only the offers held once everyone free holds one.
func TestANewRequestsReadHasTheFreeVolunteersBoardOnlyWhenNothingWaits(t *testing.T) {
	ctx := context.Background()
	rdb, line := redistest.New(t)
	m := matcher.New(rdb, line)
	apply := func(b *commit.Batch) {
		t.Helper()
		if g, err := commit.NewApplier(rdb).Apply(ctx, b); err != nil || g != 0 {
			t.Fatalf("apply: guard %d failed, %v", g, err)
		}
	}
	now := time.Now()
	sam := rota.Volunteer{ID: "v1", Phone: "+447700900001"}
	jo := rota.Volunteer{ID: "v2", Phone: "+447700900002"}
	ash := rota.Volunteer{ID: "v3", Phone: "+447700900003"}
	chat := matcher.Request{Code: "R333", Status: matcher.Open, Person: "+447700900099", Created: now.Add(-time.Hour)}
	b := commit.New()
	m.Open(b, chat, false)
	apply(b)
	b = commit.New()
	m.Claim(b, chat, sam, nil, now.Add(-time.Hour)) // Sam is in a chat
	apply(b)
	b = commit.New()
	m.Offer(b, matcher.Request{Code: "R444", Status: matcher.Open, Fresh: true}, []rota.Volunteer{jo}, now) // Jo holds an offer
	apply(b)
	ask := &matcher.BoardAsk{Vols: []rota.Volunteer{sam, jo, ash}, Now: now, Night: now.Add(-6 * time.Hour),
		LateSince: now.Add(-time.Hour)}
	read := func() matcher.State {
		t.Helper()
		pipe := rdb.Pipeline()
		p := m.QueueBoard(ctx, pipe, "", "pl:{"+line+"}:test:free", ask, "req", "peer", "conv")
		if _, err := pipe.Exec(ctx); err != nil {
			t.Fatal(err)
		}
		s, err := p.Result()
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	want := map[string]int{"v2": 1, "v3": 0}
	for _, name := range []string{"live chats read", "live chats held"} {
		s := read()
		if s.Board == nil {
			t.Fatalf("%s: no board with nothing waiting", name)
		}
		if diff := cmp.Diff(want, s.Board.Holds); diff != "" {
			t.Fatalf("%s: offers held by those in no chat (-want +got):\n%s", name, diff)
		}
		if w := s.Board.Load["v3"]; w.InChat || w.Night != 0 {
			t.Fatalf("%s: Ash's workload %+v", name, w)
		}
	}
	b = commit.New()
	m.Open(b, matcher.Request{Code: "R555", Status: matcher.Open, Person: "+447700900098", Created: now}, false)
	apply(b)
	if s := read(); s.Board != nil {
		t.Fatalf("a board while a request waits and Ash holds no offer: %+v", s.Board)
	}
	b = commit.New()
	m.Offer(b, matcher.Request{Code: "R555", Status: matcher.Open, Fresh: true}, []rota.Volunteer{ash}, now)
	apply(b)
	s := read()
	if s.Board == nil || !s.Board.Busy {
		t.Fatalf("board %+v, want it busy: a request waits and everyone free holds an offer", s.Board)
	}
	if diff := cmp.Diff(map[string]int{"v2": 1, "v3": 1}, s.Board.Holds); diff != "" {
		t.Fatalf("offers held (-want +got):\n%s", diff)
	}
}
