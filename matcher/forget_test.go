package matcher_test

import (
	"context"
	"strconv"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"peerline/commit"
	"peerline/matcher"
	"peerline/redistest"
)

func TestForgetPersonErasesTheirRequestsOnly(t *testing.T) {
	ctx := context.Background()
	rdb, line := redistest.New(t)
	m := matcher.New(rdb, line)
	alex, bea := "+447700900001", "+447700900002"
	b := commit.New()
	for _, r := range []matcher.Request{{Code: "R333", Person: alex}, {Code: "R444", Person: alex}, {Code: "R666", Person: bea}} {
		r.Created, r.Said = time.Now(), []string{"hello"}
		m.Open(b, r, r.Code == "R444")
	}
	if failed, err := commit.NewApplier(rdb).Apply(ctx, b); err != nil || failed != 0 {
		t.Fatalf("open: %d, %v", failed, err)
	}
	if n, err := m.ForgetPerson(ctx, alex, true); err != nil || n != 2 {
		t.Fatalf("dry run found %d, %v; want 2", n, err)
	}
	if _, err := m.Request(ctx, "R333"); err != nil {
		t.Fatalf("a dry run erased something: %v", err)
	}
	if n, err := m.ForgetPerson(ctx, alex, false); err != nil || n != 2 {
		t.Fatalf("forget erased %d, %v; want 2", n, err)
	}
	keys, err := rdb.Keys(ctx, "pl:{"+line+"}:match:req:R3*").Result()
	if err != nil || len(keys) != 0 {
		t.Fatalf("left %v, %v", keys, err)
	}
	if open := rdb.ZRange(ctx, "pl:{"+line+"}:match:open", 0, -1).Val(); len(open) != 1 || open[0] != "R666" {
		t.Fatalf("queue after forgetting Alex: %v", open)
	}
	if late := rdb.ZCard(ctx, "pl:{"+line+"}:match:late").Val(); late != 0 {
		t.Fatalf("the late list still holds %d", late)
	}
	if _, err := m.Request(ctx, "R666"); err != nil {
		t.Fatalf("Bea's request went too: %v", err)
	}
}

func TestTrimHistoryKeepsOnlyItsTime(t *testing.T) {
	ctx := context.Background()
	rdb, line := redistest.New(t)
	m := matcher.New(rdb, line).Keep(0, 24*time.Hour)
	key := "pl:{" + line + "}:match:history"
	old := time.Now().Add(-48 * time.Hour).UnixMilli()
	for i, id := range []string{"1000-0", "2000-0", "" + itoa(old) + "-0"} {
		if err := rdb.XAdd(ctx, &redis.XAddArgs{Stream: key, ID: id, Values: []any{"event", "new", "code", "R33" + itoa(int64(i))}}).Err(); err != nil {
			t.Fatal(err)
		}
	}
	if err := rdb.XAdd(ctx, &redis.XAddArgs{Stream: key, Values: []any{"event", "new", "code", "R999"}}).Err(); err != nil {
		t.Fatal(err)
	}
	if err := m.TrimHistory(ctx); err != nil {
		t.Fatal(err)
	}
	if n := rdb.XLen(ctx, key).Val(); n != 1 {
		t.Fatalf("%d events left, want only the recent one", n)
	}
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
