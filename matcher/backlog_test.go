package matcher_test

import (
	"context"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"peerline/commit"
	"peerline/matcher"
	"peerline/redistest"
)

func TestBacklog(t *testing.T) {
	ctx := context.Background()
	now := time.Date(2026, 12, 25, 1, 0, 0, 0, time.UTC)
	giveUp := now.Add(-20 * time.Minute)
	for _, c := range []struct {
		name string
		reqs []matcher.Request // opened, waiting
		want matcher.Backlog
	}{
		{"nobody waits", nil, matcher.Backlog{}},
		{"one waits, not yet past its give-up", []matcher.Request{{Created: now.Add(-5 * time.Minute)}},
			matcher.Backlog{Count: 1, Oldest: now.Add(-5 * time.Minute)}},
		{"the oldest is an ordinary request past its give-up, behind an urgent one", []matcher.Request{
			{Created: now.Add(-2 * time.Minute), Urgent: true}, {Created: now.Add(-30 * time.Minute)},
			{Created: now.Add(-time.Minute)},
		}, matcher.Backlog{Count: 3, Over: 1, Oldest: now.Add(-30 * time.Minute)}},
		{"the oldest is an urgent request past its give-up", []matcher.Request{
			{Created: now.Add(-25 * time.Minute), Urgent: true}, {Created: now.Add(-21 * time.Minute), Urgent: true},
			{Created: now.Add(-3 * time.Minute)},
		}, matcher.Backlog{Count: 3, Over: 2, Oldest: now.Add(-25 * time.Minute)}},
	} {
		t.Run(c.name, func(t *testing.T) {
			rdb, line := redistest.New(t)
			m := matcher.New(rdb, line)
			b := commit.New()
			for _, r := range c.reqs {
				r.Code, r.Status, r.Person, r.Tier = matcher.NewCode(), matcher.Open, "+447700900001", 1
				m.Open(b, r, false)
			}
			if len(c.reqs) > 0 {
				if _, err := commit.NewApplier(rdb).Apply(ctx, b); err != nil {
					t.Fatal(err)
				}
			}
			got, err := m.Backlog(ctx, giveUp)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(c.want, got); diff != "" {
				t.Errorf("Backlog (-want +got):\n%s", diff)
			}
		})
	}
}
