// Package commit applies a batch of guarded Redis writes atomically in one round trip.
//
// A caller reads what it needs, decides, and then describes its decision as a Batch: guards (what must
// still be true) and writes (what to change). Apply runs one Lua script that checks every guard and, only
// if all hold, runs every write. If a guard fails nothing is written and the caller reads again and
// decides again: optimistic concurrency without WATCH, in one round trip.
package commit

import (
	"context"
	_ "embed"
	"errors"
	"fmt"
	"strconv"

	"github.com/redis/go-redis/v9"
)

//go:embed apply.lua
var applySource string

// ErrEmpty is returned by Apply for a batch with no writes.
var ErrEmpty = errors.New("commit: empty batch")

// Guard identifies one guard of a batch, so the caller can tell which one failed.
type Guard int

// Batch collects guards and writes. The zero value is not usable; call New.
type Batch struct {
	keys   []string
	index  map[string]int
	guards []any // each guard as apply.lua reads it: n, then kind, key index and its n-2 arguments
	writes []any // each write likewise: n, then command, key index and its n-2 arguments
	nGuard int
	nWrite int
}

// New returns an empty batch.
func New() *Batch {
	return &Batch{index: map[string]int{}}
}

func (b *Batch) key(k string) int {
	if i, ok := b.index[k]; ok {
		return i
	}
	b.keys = append(b.keys, k)
	b.index[k] = len(b.keys)
	return len(b.keys)
}

func (b *Batch) guard(g ...any) Guard {
	b.guards = append(b.guards, len(g))
	b.guards = append(b.guards, g...)
	b.nGuard++
	return Guard(b.nGuard)
}

// Absent guards that key does not exist.
func (b *Batch) Absent(key string) Guard {
	return b.guard("absent", b.key(key))
}

// Value guards that the string at key holds want ("" for a missing key).
func (b *Batch) Value(key, want string) Guard {
	return b.guard("value", b.key(key), want)
}

// Field guards that the hash field holds want ("" for a missing field or key).
func (b *Batch) Field(key, field, want string) Guard {
	return b.guard("field", b.key(key), field, want)
}

// HasField guards that the hash at key has (or has not) field.
func (b *Batch) HasField(key, field string, want bool) Guard {
	return b.guard("hexists", b.key(key), field, boolInt(want))
}

// Member guards that member is (or is not) in the set at key.
func (b *Batch) Member(key, member string, want bool) Guard {
	return b.guard("member", b.key(key), member, boolInt(want))
}

// Len guards that the hash at key has n fields (a missing key has 0).
func (b *Batch) Len(key string, n int) Guard {
	return b.guard("hlen", b.key(key), n)
}

// Card guards that the set at key has n members (a missing key has 0).
func (b *Batch) Card(key string, n int) Guard {
	return b.guard("scard", b.key(key), n)
}

// Zero guards that the sorted set at key has no member scored min or more (min as ZCOUNT takes it, such
// as "-inf": none at all).
func (b *Batch) Zero(key, min string) Guard {
	return b.guard("zcount", b.key(key), min, 0)
}

// Unscored guards that member is not in the sorted set at key.
func (b *Batch) Unscored(key, member string) Guard {
	return b.guard("unscored", b.key(key), member)
}

// Below guards that the counter at key (a missing one is 0) is less than n.
func (b *Batch) Below(key string, n int) Guard {
	return b.guard("below", b.key(key), n)
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

// Do adds a write: the Redis command cmd on key with args, for example Do("HSET", k, "f", "v"). Each
// argument is sent as fmt.Sprint writes it.
func (b *Batch) Do(cmd, key string, args ...any) {
	b.writes = append(b.writes, len(args)+2, cmd, b.key(key))
	for _, a := range args {
		b.writes = append(b.writes, text(a))
	}
	b.nWrite++
}

// text is fmt.Sprint(a), without its cost for the common kinds.
func text(a any) string {
	switch v := a.(type) {
	case string:
		return v
	case int:
		return strconv.Itoa(v)
	case int64:
		return strconv.FormatInt(v, 10)
	}
	return fmt.Sprint(a)
}

// Writes reports how many writes the batch holds.
func (b *Batch) Writes() int { return b.nWrite }

// args returns the batch as apply.lua's ARGV.
func (b *Batch) args() []any {
	out := make([]any, 0, 1+len(b.guards)+len(b.writes))
	out = append(out, b.nGuard)
	out = append(out, b.guards...)
	return append(out, b.writes...)
}

// Applier runs batches against one Redis.
type Applier struct {
	rdb     redis.Scripter
	script  *redis.Script
	durable Durability // what to wait for after each batch (see Durable)
}

// NewApplier returns an Applier using rdb. It waits for nothing after a batch; Durable returns one that
// does.
func NewApplier(rdb redis.Scripter) *Applier {
	return &Applier{rdb: rdb, script: redis.NewScript(applySource)}
}

// Apply checks the batch's guards and runs its writes in one atomic step. It returns 0 when the batch was
// applied, or the first guard that failed (nothing was written). With a Durability, it then waits for
// the writes to be durable in the same round trip, and returns an error wrapping ErrNotDurable when the
// wait times out (the writes were applied on the primary, but must not be acknowledged).
func (a *Applier) Apply(ctx context.Context, b *Batch) (Guard, error) {
	if b.nWrite == 0 {
		return 0, ErrEmpty
	}
	args := b.args()
	if a.durable.On() {
		g, err := a.applyDurable(ctx, b.keys, args)
		if err != nil {
			return g, fmt.Errorf("commit: apply %d writes: %w", b.nWrite, err)
		}
		return g, nil
	}
	n, err := a.script.Run(ctx, a.rdb, b.keys, args...).Int()
	if err != nil {
		return 0, fmt.Errorf("commit: apply %d writes: %w", b.nWrite, err)
	}
	return Guard(n), nil
}
