package due_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"peerline/commit"
	"peerline/due"
	"peerline/redistest"
)

// BenchmarkSweep measures one sweep that finds 10 items due, with 100 or 100,000 more pending (due
// later), against the test Redis. The cost should follow what is due, not what is pending.
// Run: make bench-due
func BenchmarkSweep(b *testing.B) {
	for _, pending := range []int{100, 100_000} {
		b.Run(fmt.Sprintf("pending=%d", pending), func(b *testing.B) {
			rdb, line := redistest.New(b)
			q, app := due.New(rdb, line), commit.NewApplier(rdb)
			ctx := context.Background()
			fill(b, rdb, line, pending)
			b.ResetTimer()
			for i := 0; b.Loop(); i++ {
				b.StopTimer()
				batch := commit.New()
				for j := range 10 {
					q.Schedule(batch, due.Item{ID: fmt.Sprintf("due %d %d", i, j), Kind: "page", At: t0})
				}
				if _, err := app.Apply(ctx, batch); err != nil {
					b.Fatal(err)
				}
				b.StartTimer()
				got, err := q.Claim(ctx, t0, 100, time.Minute)
				if err != nil || len(got) != 10 {
					b.Fatalf("claimed %d, %v; want 10", len(got), err)
				}
				done := commit.New()
				for _, it := range got {
					q.Done(done, it)
				}
				if _, err := app.Apply(ctx, done); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// fill schedules n items due in a year, straight into the schedule, in pipelined chunks.
func fill(b *testing.B, rdb *redis.Client, line string, n int) {
	b.Helper()
	ctx := context.Background()
	q := due.New(rdb, line)
	for start := 0; start < n; start += 1000 {
		batch := commit.New()
		for i := start; i < min(n, start+1000); i++ {
			q.Schedule(batch, due.Item{ID: fmt.Sprintf("later %d", i), Kind: "checkin", At: t0.AddDate(1, 0, 0)})
		}
		if _, err := commit.NewApplier(rdb).Apply(ctx, batch); err != nil {
			b.Fatal(err)
		}
	}
	if got, _ := q.Pending(ctx); got != int64(n) {
		b.Fatalf("%d pending, want %d", got, n)
	}
}
