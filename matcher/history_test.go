package matcher_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/redis/go-redis/v9"

	"peerline/commit"
	"peerline/matcher"
	"peerline/redistest"
	"peerline/rota"
)

// step is one change applied as one batch, minute i of the test (i counted from 0).
type step struct {
	do      func(m *matcher.Matcher, b *commit.Batch, req matcher.Request, at time.Time)
	applied bool // whether its guards hold
}

var (
	histSam = rota.Volunteer{ID: "v1", Name: "Sam", Phone: "+447700900001"}
	histJo  = rota.Volunteer{ID: "v2", Name: "Jo", Phone: "+447700900002"}
)

func opened(applied bool, vols ...rota.Volunteer) step {
	return step{func(m *matcher.Matcher, b *commit.Batch, req matcher.Request, at time.Time) {
		m.Open(b, req, len(vols) == 0)
		req.Fresh = true
		m.Offer(b, req, vols, at)
	}, applied}
}

func claimed(v rota.Volunteer, applied bool) step {
	return step{func(m *matcher.Matcher, b *commit.Batch, req matcher.Request, at time.Time) {
		m.Claim(b, req, v, nil, at)
	}, applied}
}

func passed(v rota.Volunteer, applied bool) step {
	return step{func(m *matcher.Matcher, b *commit.Batch, req matcher.Request, at time.Time) { m.Pass(b, req, v) }, applied}
}

func givenUp(applied bool) step {
	return step{func(m *matcher.Matcher, b *commit.Batch, req matcher.Request, at time.Time) {
		m.GiveUp(b, req, rota.Rota{}, at)
	}, applied}
}

func ended(id string, since time.Time, applied bool) step {
	return step{func(m *matcher.Matcher, b *commit.Batch, req matcher.Request, at time.Time) {
		if id == "" {
			m.Withdraw(b, req, rota.Rota{}, at, since)
			return
		}
		m.End(b, req.Code, id, at, since)
	}, applied}
}

var escalated = step{func(m *matcher.Matcher, b *commit.Batch, req matcher.Request, at time.Time) {
	m.Escalated(b, req, at)
}, true}

func TestHistoryRecordsEachChangeOnceWithIt(t *testing.T) {
	t0 := time.Date(2026, 12, 25, 1, 0, 0, 0, time.UTC)
	at := func(min int) time.Time { return t0.Add(time.Duration(min) * time.Minute) }
	ev := func(kind string, min int) matcher.Event {
		return matcher.Event{Kind: kind, Code: "R333", At: at(min), Created: t0}
	}
	newEv := matcher.Event{Kind: matcher.EventNew, Code: "R333", At: t0, Channel: "whatsapp"}
	matched := func(min int, id string) matcher.Event {
		e := ev(matcher.EventMatched, min)
		e.Volunteer = id
		return e
	}
	tests := []struct {
		name  string
		steps []step
		want  []matcher.Event
	}{
		{"accepted then ended", []step{opened(true, histSam, histJo), claimed(histSam, true), ended("v1", at(1), true)},
			[]matcher.Event{newEv, matched(1, "v1"),
				{Kind: matcher.EventEnded, Code: "R333", At: at(2), Volunteer: "v1", Matched: at(1)}}},
		{"nobody to offer is unanswered at once", []step{opened(true)},
			[]matcher.Event{newEv, ev(matcher.EventUnanswered, 0)}},
		{"everyone passed: passes alone record nothing", []step{opened(true, histSam, histJo), passed(histSam, true), passed(histJo, true)},
			[]matcher.Event{newEv}},
		{"given up", []step{opened(true, histSam), givenUp(true)}, []matcher.Event{newEv, ev(matcher.EventUnanswered, 1)}},
		{"withdrawn", []step{opened(true, histSam), ended("", t0, true)}, []matcher.Event{newEv, ev(matcher.EventWithdrawn, 1)}},
		{"ended without knowing when it began", []step{opened(true, histSam), claimed(histSam, true), ended("v1", time.Time{}, true)},
			[]matcher.Event{newEv, matched(1, "v1"), {Kind: matcher.EventEnded, Code: "R333", At: at(2), Volunteer: "v1"}}},
		{"escalated then accepted", []step{opened(true, histSam), escalated, claimed(histSam, true)},
			[]matcher.Event{newEv, ev(matcher.EventEscalated, 1), matched(2, "v1")}},
		{"a code in use is not opened again", []step{opened(true, histSam), opened(false)}, []matcher.Event{newEv}},
		{"the claim that loses the race records nothing", []step{opened(true, histSam, histJo), claimed(histSam, true), claimed(histJo, false)},
			[]matcher.Event{newEv, matched(1, "v1")}},
		{"a stale pass records nothing", []step{opened(true, histSam, histJo), passed(histSam, true), passed(histSam, false)},
			[]matcher.Event{newEv}},
		{"a second give-up records nothing", []step{opened(true, histSam), givenUp(true), givenUp(false)},
			[]matcher.Event{newEv, ev(matcher.EventUnanswered, 1)}},
		{"a chat ends once", []step{opened(true, histSam), claimed(histSam, true), ended("v1", at(1), true), ended("v1", at(1), false)},
			[]matcher.Event{newEv, matched(1, "v1"), {Kind: matcher.EventEnded, Code: "R333", At: at(2), Volunteer: "v1", Matched: at(1)}}},
		{"a withdrawal after the match records nothing", []step{opened(true, histSam), claimed(histSam, true), ended("", t0, false)},
			[]matcher.Event{newEv, matched(1, "v1")}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			m, rdb, line := playSteps(t, tc.steps, at)
			got, err := m.History(context.Background(), t0.Add(-time.Hour), t0.Add(time.Hour))
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("history (-want +got):\n%s", diff)
			}
			raw := fmt.Sprint(rdb.XRange(context.Background(), "pl:{"+line+"}:match:history", "-", "+").Val())
			if strings.Contains(raw, "7700900") || strings.Contains(raw, "hello") {
				t.Errorf("the history holds a phone number or a text: %s", raw)
			}
		})
	}
}

// playSteps applies each step as one batch, step i at minute i, each on the request as read just before.
func playSteps(t *testing.T, steps []step, at func(int) time.Time) (*matcher.Matcher, *redis.Client, string) {
	ctx := context.Background()
	rdb, line := redistest.New(t)
	m := matcher.New(rdb, line)
	app := commit.NewApplier(rdb)
	req := matcher.Request{Code: "R333", Person: "+447700900099", Channel: "whatsapp", Created: at(0), Said: []string{"hello"}}
	for i, s := range steps {
		if i > 0 {
			var err error
			if req, err = m.Request(ctx, req.Code); err != nil {
				t.Fatal(err)
			}
		}
		b := commit.New()
		s.do(m, b, req, at(i))
		failed, err := app.Apply(ctx, b)
		if err != nil {
			t.Fatal(err)
		}
		if (failed == 0) != s.applied {
			t.Fatalf("step %d: failed guard %d, want applied %v", i, failed, s.applied)
		}
	}
	return m, rdb, line
}

// TestHistoryReadsOnlyTheRange: the reader keeps events whose At (the bot's clock, not the stream's ids)
// is in [from, to), across several pages.
func TestHistoryReadsOnlyTheRange(t *testing.T) {
	ctx := context.Background()
	rdb, line := redistest.New(t)
	m := matcher.New(rdb, line)
	from := time.Date(2026, 12, 19, 0, 0, 0, 0, time.UTC)
	to := from.Add(7 * 24 * time.Hour)
	b := commit.New()
	escalate := func(code string, at time.Time) { m.Escalated(b, matcher.Request{Code: code, Created: at}, at) }
	escalate("R000", time.Date(2040, 1, 1, 0, 0, 0, 0, time.UTC)) // written first, far after the range
	escalate("R001", from.Add(-time.Millisecond))
	escalate("R002", to.Add(-time.Millisecond))
	escalate("R003", from)
	escalate("R004", to)
	for i := range 2500 { // more than two pages, in the middle of the range
		escalate(fmt.Sprintf("R%04d", 1000+i), from.Add(72*time.Hour+time.Duration(i)*time.Second))
	}
	escalate("R005", time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC))
	if failed, err := commit.NewApplier(rdb).Apply(ctx, b); err != nil || failed != 0 {
		t.Fatalf("apply: guard %d failed, %v", failed, err)
	}
	tests := []struct {
		name      string
		from, to  time.Time
		wantCount int
		wantFirst string
		wantLast  string
	}{
		{"from is inside, to is outside, in time order", from, to, 2502, "R003", "R002"},
		{"a range of one millisecond", from, from.Add(time.Millisecond), 1, "R003", "R003"},
		{"a range before everything", time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(2001, 1, 1, 0, 0, 0, 0, time.UTC), 0, "", ""},
		{"everything", time.Time{}, time.Date(2100, 1, 1, 0, 0, 0, 0, time.UTC), 2506, "R005", "R000"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := m.History(ctx, tc.from, tc.to)
			if err != nil {
				t.Fatal(err)
			}
			var first, last string
			if len(got) > 0 {
				first, last = got[0].Code, got[len(got)-1].Code
			}
			if len(got) != tc.wantCount || first != tc.wantFirst || last != tc.wantLast {
				t.Fatalf("got %d events, %s to %s; want %d, %s to %s", len(got), first, last, tc.wantCount,
					tc.wantFirst, tc.wantLast)
			}
			for i := 1; i < len(got); i++ {
				if got[i].At.Before(got[i-1].At) {
					t.Fatalf("event %d (%v) is before event %d (%v)", i, got[i].At, i-1, got[i-1].At)
				}
			}
		})
	}
}
