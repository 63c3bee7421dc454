package commit_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"peerline/commit"
	"peerline/redistest"
)

// The test Redis has no replica, so a WAIT for one times out: the batch is applied on the primary but
// must be reported as not durable. (A replica that confirms is played by the chaos suite, which starts
// its own primary and replica.)
func TestApplyWithoutTheReplicaItWaitsForIsNotDurable(t *testing.T) {
	ctx := context.Background()
	rdb, line := redistest.New(t)
	k := "pl:{" + line + "}:"
	a := commit.NewApplier(rdb).Durable(commit.Durability{Replicas: 1, Timeout: 20 * time.Millisecond, SyncKey: k + "durable"})

	b := commit.New()
	b.Absent(k + "seen")
	b.Do("SET", k+"seen", "1")
	g, err := a.Apply(ctx, b)
	if !errors.Is(err, commit.ErrNotDurable) || g != 0 {
		t.Fatalf("Apply = %d, %v; want applied but ErrNotDurable", g, err)
	}
	if rdb.Exists(ctx, k+"seen").Val() != 1 {
		t.Fatal("the batch was not applied on the primary")
	}

	// A guard that fails writes nothing, but what was read may be acted on: the wait still applies.
	b = commit.New()
	seen := b.Absent(k + "seen")
	b.Do("SET", k+"other", "1")
	if g, err := a.Apply(ctx, b); g != seen || !errors.Is(err, commit.ErrNotDurable) {
		t.Fatalf("Apply of a failing guard = %d, %v; want guard %d and ErrNotDurable", g, err, seen)
	}
	if err := a.Sync(ctx); !errors.Is(err, commit.ErrNotDurable) {
		t.Fatalf("Sync = %v, want ErrNotDurable", err)
	}
}

// WAITAOF needs Redis 7.2 and appendonly yes; the test Redis has appendonly no (and may be older), so the
// wait fails, and that must never pass for durable.
func TestApplyWaitingForAnAOFTheServerCannotGiveIsNotDurable(t *testing.T) {
	ctx := context.Background()
	rdb, line := redistest.New(t)
	k := "pl:{" + line + "}:"
	a := commit.NewApplier(rdb).Durable(commit.Durability{AOF: true, Timeout: 20 * time.Millisecond})
	b := commit.New()
	b.Do("SET", k+"x", "1")
	if _, err := a.Apply(ctx, b); !errors.Is(err, commit.ErrNotDurable) {
		t.Fatalf("Apply = %v, want ErrNotDurable", err)
	}
}

func TestApplyWithNoDurabilityWaitsForNothing(t *testing.T) {
	ctx := context.Background()
	rdb, line := redistest.New(t)
	a := commit.NewApplier(rdb).Durable(commit.Durability{})
	b := commit.New()
	b.Do("SET", "pl:{"+line+"}:x", "1")
	if g, err := a.Apply(ctx, b); g != 0 || err != nil {
		t.Fatalf("Apply = %d, %v; want applied", g, err)
	}
	if err := a.Sync(ctx); err != nil {
		t.Fatalf("Sync = %v, want nil", err)
	}
}
