package due_test

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"peerline/commit"
	"peerline/due"
)

func (f fixture) scheduleBare(t testing.TB, id string, at time.Time) {
	t.Helper()
	f.apply(t, func(b *commit.Batch) commit.Guard {
		f.q.Schedule(b, due.Item{ID: id, Kind: "page", At: at, Bare: true})
		return 0
	})
}

// TestBareItemsAreOneWriteAndComeBackWithTheirKindAndTime: a bare item is one ZADD member, no hash; a
// sweep hands it out with its kind and due time, beside items with fields.
func TestBareItemsAreOneWriteAndComeBackWithTheirKindAndTime(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	b := commit.New()
	f.q.ScheduleAll(b, due.Item{ID: "widen R7K2", Kind: "widen", At: t0, Bare: true},
		due.Item{ID: "page R7K2", Kind: "page", At: t0.Add(time.Minute), Bare: true})
	if b.Writes() != 1 {
		t.Fatalf("two bare items took %d writes, want one ZADD", b.Writes())
	}
	if _, err := f.app.Apply(ctx, b); err != nil {
		t.Fatal(err)
	}
	f.schedule(t, "page R9", t0) // with fields
	got, err := f.q.Claim(ctx, t0.Add(time.Minute), 10, time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	type seen struct {
		ID, Kind string
		At       time.Time
		Bare     bool
		Code     string
	}
	var out []seen
	for _, it := range got {
		out = append(out, seen{it.ID, it.Kind, it.At.UTC(), it.Bare, it.Fields["code"]})
	}
	want := []seen{
		{"page R7K2", "page", t0.Add(time.Minute), true, ""},
		{"page R9", "page", t0, false, "page R9"},
		{"widen R7K2", "widen", t0, true, ""},
	}
	if diff := cmp.Diff(want, out, cmp.Transformer("sort", func(s []seen) map[string]seen {
		m := map[string]seen{}
		for _, x := range s {
			m[x.ID] = x
		}
		return m
	})); diff != "" {
		t.Fatalf("claimed (-want +got):\n%s", diff)
	}
}

// TestABareItemLeftByADeadWorkerIsHandledAgainOnce: its claim is its lease's end; a slow first worker's
// Done fails once another has claimed it after the lease.
func TestABareItemLeftByADeadWorkerIsHandledAgainOnce(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	f.scheduleBare(t, "page R7K2", t0)
	first, err := f.q.Claim(ctx, t0, 10, time.Minute)
	if err != nil || len(first) != 1 {
		t.Fatalf("first claim: %v, %v", ids(first), err)
	}
	if again, _ := f.q.Claim(ctx, t0.Add(59*time.Second), 10, time.Minute); len(again) != 0 {
		t.Fatalf("claimed again during the lease: %v", ids(again))
	}
	second, err := f.q.Claim(ctx, t0.Add(61*time.Second), 10, time.Minute)
	if err != nil || len(second) != 1 {
		t.Fatalf("claim after the lease ran out: %v, %v", ids(second), err)
	}
	if f.apply(t, func(b *commit.Batch) commit.Guard { return f.q.Done(b, first[0]) }) {
		t.Fatal("the first, slow worker's Done went through after another claimed the item")
	}
	if !f.apply(t, func(b *commit.Batch) commit.Guard { return f.q.Done(b, second[0]) }) {
		t.Fatal("the second worker's Done failed")
	}
	if n, _ := f.q.Pending(ctx); n != 0 {
		t.Fatalf("%d items pending after Done", n)
	}
}

func TestConcurrentSweepsClaimEachBareItemOnce(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	b := commit.New()
	for i := range 300 {
		f.q.Schedule(b, due.Item{ID: fmt.Sprintf("page R%03d", i), Kind: "page", At: t0.Add(-time.Duration(i) * time.Second), Bare: true})
	}
	if _, err := f.app.Apply(ctx, b); err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	seen := map[string]int{}
	var wg sync.WaitGroup
	for range 4 {
		wg.Go(func() {
			for {
				got, err := f.q.Claim(ctx, t0, 50, time.Minute)
				if err != nil {
					t.Error(err)
					return
				}
				if len(got) == 0 {
					return
				}
				mu.Lock()
				for _, it := range got {
					seen[it.ID]++
				}
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	if len(seen) != 300 {
		t.Fatalf("%d of 300 bare items claimed", len(seen))
	}
	for id, n := range seen {
		if n != 1 {
			t.Fatalf("%s claimed %d times", id, n)
		}
	}
}

// TestCancelAndScheduledSeeBothForms: an id may be pending bare and with fields (a request's first
// steps bare, a later page with fields); Scheduled gives the earlier, Cancel removes both.
func TestCancelAndScheduledSeeBothForms(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	f.scheduleBare(t, "page R7K2", t0.Add(time.Hour))
	f.schedule(t, "page R7K2", t0.Add(2*time.Hour))
	at, pending, err := f.q.Scheduled(ctx, "page R7K2")
	if err != nil || !pending || !at.Equal(t0.Add(time.Hour)) {
		t.Fatalf("Scheduled = %v, %v, %v; want %v, pending", at, pending, err, t0.Add(time.Hour))
	}
	f.apply(t, func(b *commit.Batch) commit.Guard { f.q.Cancel(b, "page R7K2"); return 0 })
	if n, _ := f.q.Pending(ctx); n != 0 {
		t.Fatalf("%d items pending after Cancel, want 0", n)
	}
	if _, pending, _ := f.q.Scheduled(ctx, "page R7K2"); pending {
		t.Fatal("Scheduled says pending after Cancel")
	}
}
