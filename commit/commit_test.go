package commit_test

import (
	"context"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/redis/go-redis/v9"

	"peerline/commit"
	"peerline/redistest"
)

func TestApply(t *testing.T) {
	ctx := context.Background()
	rdb, line := redistest.New(t)
	a := commit.NewApplier(rdb)
	k := "pl:{" + line + "}:"

	tests := []struct {
		name   string
		setup  func(b *commit.Batch) commit.Guard
		failed bool
	}{
		{"absent key holds", func(b *commit.Batch) commit.Guard { return b.Absent(k + "nothing") }, false},
		{"present key fails", func(b *commit.Batch) commit.Guard { return b.Absent(k + "h") }, true},
		{"equal field holds", func(b *commit.Batch) commit.Guard { return b.Field(k+"h", "status", "open") }, false},
		{"missing field equals empty", func(b *commit.Batch) commit.Guard { return b.Field(k+"h", "nope", "") }, false},
		{"different field fails", func(b *commit.Batch) commit.Guard { return b.Field(k+"h", "status", "closed") }, true},
		{"unscored holds", func(b *commit.Batch) commit.Guard { return b.Unscored(k+"z", "nobody") }, false},
		{"scored fails", func(b *commit.Batch) commit.Guard { return b.Unscored(k+"z", "a") }, true},
		{"member holds", func(b *commit.Batch) commit.Guard { return b.Member(k+"s", "a", true) }, false},
		{"non-member fails", func(b *commit.Batch) commit.Guard { return b.Member(k+"s", "b", true) }, true},
		{"equal value holds", func(b *commit.Batch) commit.Guard { return b.Value(k+"v", "7") }, false},
		{"missing value equals empty", func(b *commit.Batch) commit.Guard { return b.Value(k+"nothing", "") }, false},
		{"different value fails", func(b *commit.Batch) commit.Guard { return b.Value(k+"v", "8") }, true},
		{"existing field holds", func(b *commit.Batch) commit.Guard { return b.HasField(k+"h", "status", true) }, false},
		{"missing field fails", func(b *commit.Batch) commit.Guard { return b.HasField(k+"h", "nope", true) }, true},
		{"absent member holds", func(b *commit.Batch) commit.Guard { return b.Member(k+"s", "b", false) }, false},
		{"hash length holds", func(b *commit.Batch) commit.Guard { return b.Len(k+"h", 1) }, false},
		{"other hash length fails", func(b *commit.Batch) commit.Guard { return b.Len(k+"h", 2) }, true},
		{"missing hash has length 0", func(b *commit.Batch) commit.Guard { return b.Len(k+"nothing", 0) }, false},
		{"set size holds", func(b *commit.Batch) commit.Guard { return b.Card(k+"s", 1) }, false},
		{"other set size fails", func(b *commit.Batch) commit.Guard { return b.Card(k+"s", 0) }, true},
		{"missing set has size 0", func(b *commit.Batch) commit.Guard { return b.Card(k+"nothing", 0) }, false},
		{"a counter below holds", func(b *commit.Batch) commit.Guard { return b.Below(k+"v", 8) }, false},
		{"a counter at the limit fails", func(b *commit.Batch) commit.Guard { return b.Below(k+"v", 7) }, true},
		{"a missing counter is 0", func(b *commit.Batch) commit.Guard { return b.Below(k+"nothing", 1) }, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			rdb.HSet(ctx, k+"h", "status", "open")
			rdb.SAdd(ctx, k+"s", "a")
			rdb.ZAdd(ctx, k+"z", redis.Z{Score: 1, Member: "a"})
			rdb.Set(ctx, k+"v", "7", 0)
			rdb.Del(ctx, k+"out")
			b := commit.New()
			b.Field(k+"h", "status", "open") // a guard that holds, so the tested one is not first
			g := tc.setup(b)
			b.Do("SET", k+"out", "written")
			got, err := a.Apply(ctx, b)
			if err != nil {
				t.Fatal(err)
			}
			wrote := rdb.Exists(ctx, k+"out").Val() == 1
			if tc.failed {
				if got != g || wrote {
					t.Fatalf("Apply = guard %d, wrote %v; want guard %d failed and nothing written", got, wrote, g)
				}
				return
			}
			if got != 0 || !wrote {
				t.Fatalf("Apply = guard %d, wrote %v; want applied", got, wrote)
			}
		})
	}
}

// TestApplyKeepsEveryByte: what a person texts reaches Redis exactly, whatever it holds (the batch
// travels as plain arguments, not JSON, which would turn bytes that are not UTF-8 into U+FFFD); and
// guards compare such values exactly.
func TestApplyKeepsEveryByte(t *testing.T) {
	ctx := context.Background()
	rdb, line := redistest.New(t)
	a := commit.NewApplier(rdb)
	k := "pl:{" + line + "}:bytes"
	odd := "caf\xe9 \"quoted\" back\\slash\nnew line \x00 nul \u2019 {\"g\":[]}"
	b := commit.New()
	b.Do("HSET", k, "said", odd, "count", 7, "big", int64(1798161000000), "score", 1.798161e+12)
	if g, err := a.Apply(ctx, b); err != nil || g != 0 {
		t.Fatalf("Apply = %d, %v", g, err)
	}
	got := rdb.HGetAll(ctx, k).Val()
	want := map[string]string{"said": odd, "count": "7", "big": "1798161000000", "score": "1.798161e+12"}
	for f, v := range want {
		if got[f] != v {
			t.Errorf("field %s = %q, want %q", f, got[f], v)
		}
	}
	for _, tc := range []struct {
		want   string
		failed bool
	}{{odd, false}, {odd[:len(odd)-1], true}} {
		b := commit.New()
		g := b.Field(k, "said", tc.want)
		b.Do("SET", k+":out", "1")
		got, err := a.Apply(ctx, b)
		if err != nil || (got == g) != tc.failed {
			t.Errorf("guard on the exact bytes (want failed %v): Apply = %d, %v", tc.failed, got, err)
		}
	}
}

func TestApplyEmptyBatch(t *testing.T) {
	rdb, _ := redistest.New(t)
	if _, err := commit.NewApplier(rdb).Apply(context.Background(), commit.New()); err != commit.ErrEmpty {
		t.Fatalf("Apply(empty) = %v, want ErrEmpty", err)
	}
}

// TestApplyExactlyOneWinner races many batches guarded on the same field: exactly one may win.
func TestApplyExactlyOneWinner(t *testing.T) {
	ctx := context.Background()
	rdb, line := redistest.New(t)
	a := commit.NewApplier(rdb)
	key := "pl:{" + line + "}:req"
	for round := 0; round < 50; round++ {
		rdb.HSet(ctx, key, "status", "open", "winner", "")
		var wins atomic.Int32
		var wg sync.WaitGroup
		for i := 0; i < 8; i++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				b := commit.New()
				b.Field(key, "status", "open")
				b.Do("HSET", key, "status", "matched", "winner", i)
				g, err := a.Apply(ctx, b)
				if err != nil {
					t.Error(err)
				}
				if g == 0 {
					wins.Add(1)
				}
			}()
		}
		wg.Wait()
		if n := wins.Load(); n != 1 {
			t.Fatalf("round %d: %d winners, want 1", round, n)
		}
	}
}
