package feedback_test

import (
	"context"
	"testing"

	"peerline/commit"
	"peerline/feedback"
	"peerline/redistest"
)

// TestListLeavesOutTrialEntries: answers given in local trial mode (the phone simulator) are kept apart
// from a real line's: List, which rota feedback and rota outcomes read, leaves them out.
func TestListLeavesOutTrialEntries(t *testing.T) {
	rdb, line := redistest.New(t)
	ctx := context.Background()
	app := commit.NewApplier(rdb)
	for _, s := range []*feedback.Store{feedback.New(rdb, line), feedback.New(rdb, line).Trial(true)} {
		b := commit.New()
		s.Record(b, feedback.Entry{Kind: feedback.KindFeedback, Code: "R7K2", Day: "2026-12", Score: 4})
		if _, err := app.Apply(ctx, b); err != nil {
			t.Fatal(err)
		}
	}
	got, err := feedback.New(rdb, line).List(ctx, "2026-12-01", "2026-12-31")
	if err != nil || len(got) != 1 || got[0].Score != 4 {
		t.Fatalf("List = %+v, %v; want the one real entry", got, err)
	}
}
