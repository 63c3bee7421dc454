package due_test

import (
	"context"
	"fmt"
	"sort"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"peerline/commit"
	"peerline/due"
	"peerline/redistest"
)

var t0 = time.Date(2026, 12, 24, 22, 0, 0, 0, time.UTC)

type fixture struct {
	q   *due.Queue
	app *commit.Applier
}

func newFixture(t testing.TB) fixture {
	t.Helper()
	rdb, line := redistest.New(t)
	return fixture{q: due.New(rdb, line), app: commit.NewApplier(rdb)}
}

func (f fixture) apply(t testing.TB, build func(b *commit.Batch) commit.Guard) bool {
	t.Helper()
	b := commit.New()
	g := build(b)
	failed, err := f.app.Apply(context.Background(), b)
	if err != nil {
		t.Fatal(err)
	}
	return failed != g || g == 0
}

func (f fixture) schedule(t testing.TB, id string, at time.Time) {
	t.Helper()
	f.apply(t, func(b *commit.Batch) commit.Guard {
		f.q.Schedule(b, due.Item{ID: id, Kind: "page", At: at, Fields: map[string]string{"code": id}})
		return 0
	})
}

func ids(items []due.Item) []string {
	out := []string{}
	for _, it := range items {
		out = append(out, it.ID)
	}
	sort.Strings(out)
	return out
}

func TestClaimHandsOutOnlyWhatIsDue(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	f.schedule(t, "a", t0)
	f.schedule(t, "b", t0.Add(time.Minute))
	f.schedule(t, "c", t0.Add(-time.Hour))
	got, err := f.q.Claim(ctx, t0, 10, time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{"a", "c"}, ids(got)); diff != "" {
		t.Fatalf("claimed (-want +got):\n%s", diff)
	}
	if got[0].Kind != "page" || got[0].Fields["code"] != got[0].ID {
		t.Fatalf("item lost its fields: %+v", got[0])
	}
	again, err := f.q.Claim(ctx, t0.Add(30*time.Second), 10, time.Minute)
	if err != nil || len(again) != 0 {
		t.Fatalf("claimed during the lease: %v, %v", ids(again), err)
	}
}

// TestAnItemLeftByADeadWorkerIsHandledAgainOnce: a worker claims an item and dies; after the lease
// another claims it. If the first was only slow, its commit fails and the item is done once.
func TestAnItemLeftByADeadWorkerIsHandledAgainOnce(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	f.schedule(t, "page R7K2", t0)
	first, err := f.q.Claim(ctx, t0, 10, time.Minute)
	if err != nil || len(first) != 1 {
		t.Fatalf("first claim: %v, %v", ids(first), err)
	}
	second, err := f.q.Claim(ctx, t0.Add(61*time.Second), 10, time.Minute)
	if err != nil || len(second) != 1 {
		t.Fatalf("claim after the lease ran out: %v, %v", ids(second), err)
	}
	if !f.apply(t, func(b *commit.Batch) commit.Guard { return f.q.Done(b, second[0]) }) {
		t.Fatal("the second worker's Done failed")
	}
	if f.apply(t, func(b *commit.Batch) commit.Guard { return f.q.Done(b, first[0]) }) {
		t.Fatal("the first, slow worker's Done went through as well: done twice")
	}
	if n, _ := f.q.Pending(ctx); n != 0 {
		t.Fatalf("%d items pending after Done", n)
	}
}

func TestConcurrentSweepsClaimEachItemOnce(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	for i := range 300 {
		f.schedule(t, fmt.Sprintf("item%03d", i), t0.Add(-time.Duration(i)*time.Second))
	}
	var mu sync.Mutex
	seen := map[string]int{}
	var wg sync.WaitGroup
	for range 4 { // four instances sweep at the same moment, 50 at a time, until nothing is due
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
		t.Fatalf("%d of 300 items claimed", len(seen))
	}
	for id, n := range seen {
		if n != 1 {
			t.Errorf("%s claimed %d times", id, n)
		}
	}
}

func TestScheduleNewAndCancel(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	it := due.Item{ID: "remind s4 2026-12-24", Kind: "remind", At: t0}
	if !f.apply(t, func(b *commit.Batch) commit.Guard { return f.q.ScheduleNew(b, it) }) {
		t.Fatal("first ScheduleNew failed")
	}
	later := it
	later.At = t0.Add(time.Hour)
	if f.apply(t, func(b *commit.Batch) commit.Guard { return f.q.ScheduleNew(b, later) }) {
		t.Fatal("second ScheduleNew replaced the pending item")
	}
	if at, ok, err := f.q.Scheduled(ctx, it.ID); err != nil || !ok || !at.Equal(t0) {
		t.Fatalf("Scheduled = %v, %v, %v; want %v", at, ok, err, t0)
	}
	f.apply(t, func(b *commit.Batch) commit.Guard { f.q.Cancel(b, it.ID); return 0 })
	if _, ok, _ := f.q.Scheduled(ctx, it.ID); ok {
		t.Fatal("cancelled item still scheduled")
	}
	if got, _ := f.q.Claim(ctx, t0.Add(2*time.Hour), 10, time.Minute); len(got) != 0 {
		t.Fatalf("cancelled item claimed: %v", ids(got))
	}
}

// TestAnItemDueLongAgoIsStillClaimed: a clock far behind Redis's (such as a test's, or a slow sweep)
// must not make an item expire before anyone handles it.
func TestAnItemDueLongAgoIsStillClaimed(t *testing.T) {
	f := newFixture(t)
	past := time.Now().AddDate(-1, 0, 0)
	f.schedule(t, "checkin a", past)
	got, err := f.q.Claim(context.Background(), past.Add(time.Hour), 10, time.Minute)
	if err != nil || len(got) != 1 {
		t.Fatalf("claimed %v, %v; want the item", ids(got), err)
	}
}
