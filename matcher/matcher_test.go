package matcher_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"peerline/commit"
	"peerline/matcher"
	"peerline/redistest"
	"peerline/rota"
)

func TestEligible(t *testing.T) {
	ctx := context.Background()
	rdb, line := redistest.New(t)
	loc, _ := time.LoadLocation("Europe/London")
	store := rota.NewStore(rdb, line, loc)
	var vols []rota.Volunteer
	for _, n := range []string{"+447700900001", "+447700900002", "+447700900003", "+447700900004"} {
		v, err := store.AddVolunteer(ctx, rota.Volunteer{Name: "V", Phone: n})
		if err != nil {
			t.Fatal(err)
		}
		vols = append(vols, v)
	}
	for _, v := range vols[:3] { // the fourth is not on shift
		if _, err := store.AddShift(ctx, rota.Shift{Volunteer: v.ID, Day: time.Thursday, Start: 20 * 60, End: 2 * 60}); err != nil {
			t.Fatal(err)
		}
	}
	b := commit.New()
	store.SetAvailable(b, vols[1].ID, false) // the second texted OFF
	if _, err := commit.NewApplier(rdb).Apply(ctx, b); err != nil {
		t.Fatal(err)
	}
	r, err := store.Load(ctx)
	if err != nil {
		t.Fatal(err)
	}
	night := time.Date(2026, 12, 25, 1, 0, 0, 0, loc)
	state := matcher.State{Active: map[string]string{vols[2].ID: "R444"}} // the third is in a chat
	tests := []struct {
		name  string
		at    time.Time
		state matcher.State
		want  []rota.Volunteer
	}{
		{"on shift, available and free", night, matcher.State{}, []rota.Volunteer{vols[0], vols[2]}},
		{"busy volunteer left out", night, state, []rota.Volunteer{vols[0]}},
		{"nobody in the daytime", night.Add(10 * time.Hour), matcher.State{}, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if diff := cmp.Diff(tc.want, matcher.Eligible(r, tc.state, tc.at)); diff != "" {
				t.Fatalf("(-want +got):\n%s", diff)
			}
		})
	}
}

func TestOldestOffer(t *testing.T) {
	now := time.Now()
	s := matcher.State{Offers: map[string]time.Time{"R333": now, "R444": now.Add(-time.Minute), "R666": now}}
	if got, ok := s.Oldest(); !ok || got != "R444" {
		t.Fatalf("Oldest = %q, %v; want R444", got, ok)
	}
	if _, ok := (matcher.State{}).Oldest(); ok {
		t.Fatal("Oldest of no offers reported one")
	}
}

func TestRequestLifecycle(t *testing.T) {
	ctx := context.Background()
	rdb, line := redistest.New(t)
	m := matcher.New(rdb, line)
	app := commit.NewApplier(rdb)
	apply := func(b *commit.Batch) commit.Guard {
		t.Helper()
		g, err := app.Apply(ctx, b)
		if err != nil {
			t.Fatal(err)
		}
		return g
	}
	sam := rota.Volunteer{ID: "v1", Name: "Sam", Phone: "+447700900001"}
	jo := rota.Volunteer{ID: "v2", Name: "Jo", Phone: "+447700900002"}
	req := matcher.Request{Code: matcher.NewCode(), Person: "+447700900099", Channel: "sms", Created: time.Now(), Said: []string{"hello"}}

	b := commit.New()
	m.Open(b, req, false)
	fresh := req
	fresh.Fresh = true
	m.Offer(b, fresh, []rota.Volunteer{sam, jo}, time.Now())
	if g := apply(b); g != 0 {
		t.Fatalf("Open failed guard %d", g)
	}
	b = commit.New()
	if g := m.Open(b, req, true); apply(b) != g {
		t.Fatal("a second Open with the same code was applied")
	}

	got, err := m.Request(ctx, req.Code)
	if err != nil {
		t.Fatal(err)
	}
	if got.Status != matcher.Open || got.Offered != 2 || len(got.Said) != 1 || len(got.Holders) != 2 {
		t.Fatalf("after Open: %+v", got)
	}
	b = commit.New()
	if left := m.Pass(b, got, sam); left != 1 || apply(b) != 0 {
		t.Fatalf("Sam's pass was not applied, or left %d holding, want 1", left)
	}
	b = commit.New()
	m.Pass(b, got, sam) // a second pass by Sam, from stale state
	if apply(b) == 0 {
		t.Fatal("Sam passed twice")
	}
	got, _ = m.Request(ctx, req.Code)
	b = commit.New()
	if left := m.Pass(b, got, jo); left != 0 {
		t.Fatalf("Jo's pass left %d holding, want 0", left)
	}
	m.GiveUp(b, got, rota.Rota{}, time.Now()) // what the bot does when nobody is left to ask
	if apply(b) != 0 {
		t.Fatal("Jo's pass and the give-up were not applied")
	}
	if got, _ = m.Request(ctx, req.Code); got.Status != matcher.Unanswered {
		t.Fatalf("after everyone passed: %+v", got)
	}
	// What the person said stays only for a late taker, then goes.
	if ttl := rdb.TTL(ctx, "pl:{"+line+"}:match:req:"+req.Code+":said").Val(); ttl <= 0 || ttl > 2*time.Hour {
		t.Fatalf("what the person said expires in %v, want within 2 hours", ttl)
	}
	b = commit.New()
	m.Claim(b, got, sam, nil, time.Now())
	if apply(b) == 0 {
		t.Fatal("an unanswered request was claimed")
	}
	b = commit.New()
	m.ClaimLate(b, got, jo, time.Now())
	if apply(b) != 0 {
		t.Fatal("an unanswered request could not be claimed late")
	}
	if n := rdb.ZCard(ctx, "pl:{"+line+"}:match:late").Val(); n != 0 {
		t.Fatalf("a request claimed late is still in the late list (%d)", n)
	}
	if _, err := m.Request(ctx, "R999"); !errors.Is(err, matcher.ErrNotFound) {
		t.Fatalf("unknown code: %v", err)
	}
}

func TestNewCode(t *testing.T) {
	seen := map[string]bool{}
	for range 200 {
		c := matcher.NewCode()
		if len(c) != 4 || c[0] != 'R' {
			t.Fatalf("code %q", c)
		}
		seen[c] = true
	}
	if len(seen) < 150 {
		t.Fatalf("only %d distinct codes in 200", len(seen))
	}
}

// TestStateReadsTheLiveChatsOnlyForAFreeSender: a sender in a chat or waiting does not need the line's
// live chats, so the read leaves them out and stays small however many chats there are.
func TestStateReadsTheLiveChatsOnlyForAFreeSender(t *testing.T) {
	ctx := context.Background()
	rdb, line := redistest.New(t)
	m := matcher.New(rdb, line)
	sam := rota.Volunteer{ID: "v1", Name: "Sam", Phone: "+447700900001"}
	req := matcher.Request{Code: "R333", Person: "+447700900099", Created: time.Now()}
	open, claim := commit.New(), commit.New()
	m.Open(open, req, false)
	m.Claim(claim, req, sam, nil, time.Now())
	for _, b := range []*commit.Batch{open, claim} {
		if g, err := commit.NewApplier(rdb).Apply(ctx, b); err != nil || g != 0 {
			t.Fatalf("apply: guard %d failed, %v", g, err)
		}
	}
	busy := "pl:{" + line + "}:test:busy"
	rdb.HSet(ctx, busy, "peer", "+447700900001")
	tests := []struct {
		name   string
		sender string
		want   map[string]string
	}{
		{"free sender gets the live chats", "pl:{" + line + "}:test:free", map[string]string{"v1": "R333"}},
		{"sender in a chat does not", busy, map[string]string{}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			pipe := rdb.Pipeline()
			p := m.Queue(ctx, pipe, "+447700900055", tc.sender, "req", "peer", "conv")
			if _, err := pipe.Exec(ctx); err != nil {
				t.Fatal(err)
			}
			s, err := p.Result()
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tc.want, s.Active); diff != "" || s.Chats != 1 {
				t.Fatalf("chats %d, active (-want +got):\n%s", s.Chats, diff)
			}
		})
	}
}
