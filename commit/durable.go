package commit

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/redis/go-redis/v9"
)

// ErrNotDurable is returned by Apply and Sync when the writes were applied on the primary but the wait
// for them to be durable (a replica's copy, or the AOF's fsync) timed out or failed. They may or may not
// survive a crash of the primary, so they must not be acknowledged as done: the webhook answers 5xx and
// Twilio's retry is deduplicated by the message's seen mark if the writes did survive.
var ErrNotDurable = errors.New("commit: applied but not confirmed durable")

// Durability is what Apply waits for after a batch's writes, before it reports them applied. The zero
// value waits for nothing (the server's own persistence is all there is).
//
// WAIT and WAITAOF wait for the replication offset of the last write made on the connection they run
// on, so Apply pipelines them after the commit script on the same connection: one round trip still.
// Replication and the AOF are ordered, so waiting for a commit also covers every write Redis applied
// before it, whatever connection made it.
type Durability struct {
	Replicas int           // WAIT Replicas Timeout: that many replicas hold the writes (0: no WAIT)
	AOF      bool          // WAITAOF 1 0 Timeout: the primary's AOF has fsynced them (Redis 7.2 or newer)
	Timeout  time.Duration // how long the server may wait; reaching it is ErrNotDurable
	// SyncKey is a key Sync (and an Apply whose guard failed) writes to give the wait an offset of its
	// own: a string of the time, under the line's hash tag, such as "pl:{line}:durable".
	SyncKey string
}

// On reports whether d waits for anything.
func (d Durability) On() bool { return d.Replicas > 0 || d.AOF }

// String says what d waits for, for logs.
func (d Durability) String() string {
	switch {
	case d.AOF && d.Replicas > 0:
		return fmt.Sprintf("WAITAOF 1 %d %s", d.Replicas, d.Timeout)
	case d.AOF:
		return fmt.Sprintf("WAITAOF 1 0 %s", d.Timeout)
	case d.Replicas > 0:
		return fmt.Sprintf("WAIT %d %s", d.Replicas, d.Timeout)
	}
	return "no wait"
}

// pipeliner is what a durable Applier needs of its client: scripts, and pipelines that run on one
// connection (a *redis.Client does both).
type pipeliner interface {
	redis.Scripter
	Pipeline() redis.Pipeliner
}

// Durable returns a copy of a that waits for d after every batch. Its client must pipeline (a
// *redis.Client or redis.UniversalClient does); Apply fails otherwise.
func (a *Applier) Durable(d Durability) *Applier {
	c := *a
	c.durable = d
	return &c
}

// Durability returns what a waits for after every batch.
func (a *Applier) Durability() Durability { return a.durable }

// pipeline returns a pipeline on one connection to the server that holds key: on a Redis Cluster, the
// master of key's slot (WAIT and WAITAOF name no key, and must run where the writes were made).
func (a *Applier) pipeline(ctx context.Context, key string) (redis.Pipeliner, error) {
	if c, ok := a.rdb.(*redis.ClusterClient); ok {
		node, err := c.MasterForKey(ctx, key)
		if err != nil {
			return nil, fmt.Errorf("commit: find the cluster node of the batch's slot: %w", err) // not the key: it may hold a number
		}
		return node.Pipeline(), nil
	}
	p, ok := a.rdb.(pipeliner)
	if !ok {
		return nil, fmt.Errorf("commit: a durable applier needs a client that pipelines, not %T", a.rdb)
	}
	return p.Pipeline(), nil
}

// applyDurable runs the commit script and the wait in one pipeline on one connection. A batch whose
// guard failed wrote nothing, but the caller may act on what it read (a duplicate delivery is
// acknowledged), so then Sync makes sure everything before it is durable.
func (a *Applier) applyDurable(ctx context.Context, keys []string, args []any) (Guard, error) {
	if len(keys) == 0 {
		return 0, errors.New("commit: a durable batch names no key")
	}
	run := func(eval func(redis.Pipeliner) *redis.Cmd) (*redis.Cmd, redis.Cmder, error) {
		pipe, err := a.pipeline(ctx, keys[0])
		if err != nil {
			return nil, nil, err
		}
		ev := eval(pipe)
		w := a.durable.wait(ctx, pipe)
		_, err = pipe.Exec(ctx)
		return ev, w, err
	}
	ev, w, err := run(func(pipe redis.Pipeliner) *redis.Cmd {
		return pipe.EvalSha(ctx, a.script.Hash(), keys, args...)
	})
	if ev == nil {
		return 0, err
	}
	if err != nil && ev.Err() != nil && strings.HasPrefix(ev.Err().Error(), "NOSCRIPT") {
		ev, w, err = run(func(pipe redis.Pipeliner) *redis.Cmd { return pipe.Eval(ctx, applySource, keys, args...) })
	}
	if ev.Err() != nil {
		return 0, ev.Err()
	}
	n, err := ev.Int()
	if err != nil {
		return 0, err
	}
	if n != 0 {
		return Guard(n), a.Sync(ctx)
	}
	if err := a.durable.check(w); err != nil {
		return 0, err
	}
	return 0, nil
}

// Sync makes sure every write Redis applied so far is durable as a's Durability asks: it writes SyncKey
// (the time) and waits, in one round trip on one connection. With no Durability it does nothing.
func (a *Applier) Sync(ctx context.Context) error {
	if !a.durable.On() {
		return nil
	}
	key := a.durable.SyncKey
	if key == "" {
		key = "commit:durable"
	}
	pipe, err := a.pipeline(ctx, key)
	if err != nil {
		return err
	}
	pipe.Set(ctx, key, time.Now().UnixMilli(), time.Hour)
	w := a.durable.wait(ctx, pipe)
	if _, err := pipe.Exec(ctx); err != nil && w.Err() == nil {
		return fmt.Errorf("commit: sync: %w", err)
	}
	return a.durable.check(w)
}

// wait queues the durability wait on pipe.
func (d Durability) wait(ctx context.Context, pipe redis.Pipeliner) redis.Cmder {
	ms := max(d.Timeout.Milliseconds(), 1) // 0 would wait for ever
	if d.AOF {
		return pipe.Do(ctx, "WAITAOF", 1, d.Replicas, ms)
	}
	return pipe.Do(ctx, "WAIT", d.Replicas, ms)
}

// check reads the wait's answer: ErrNotDurable unless every copy asked for was confirmed.
func (d Durability) check(w redis.Cmder) error {
	cmd, _ := w.(*redis.Cmd)
	if err := w.Err(); err != nil || cmd == nil {
		return fmt.Errorf("%w: %s: %w", ErrNotDurable, d, err)
	}
	if d.AOF {
		got, err := cmd.Int64Slice()
		if err != nil || len(got) != 2 {
			return fmt.Errorf("%w: %s answered %v", ErrNotDurable, d, cmd.Val())
		}
		if got[0] < 1 || got[1] < int64(d.Replicas) {
			return fmt.Errorf("%w: %s: local fsync %d, replicas %d, within %s", ErrNotDurable, d, got[0], got[1], d.Timeout)
		}
		return nil
	}
	got, err := cmd.Int64()
	if err != nil {
		return fmt.Errorf("%w: %s: %w", ErrNotDurable, d, err)
	}
	if got < int64(d.Replicas) {
		return fmt.Errorf("%w: %d of %d replicas confirmed within %s", ErrNotDurable, got, d.Replicas, d.Timeout)
	}
	return nil
}
