// Package due keeps work that falls due at a set time (escalation steps, check-ins, shift reminders)
// in Redis, and hands each item that is due to exactly one worker, however many instances sweep.
//
// An item is a hash of fields under its id, plus the id in a sorted set scored by when it is due. A
// sweep claims what is due in one script: it pushes each item's score on by a lease, so no other sweep
// sees it until the lease runs out, and marks the item with a claim token. The worker then commits its
// effects together with Done, whose guard holds only while the item still carries that token. If the
// worker's instance dies, the lease runs out and another sweep claims the item again; if the first
// worker was only slow, its commit fails the guard and nothing is done twice.
//
// A sweep costs O(log N + due): it reads only the items that are due, however many are pending.
package due

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"strconv"
	"time"

	"github.com/redis/go-redis/v9"

	"peerline/commit"
)

// keep is how long an item's fields outlive the time it was due (at least; counted from when it was
// scheduled), so an item nobody handles does not hold personal data for ever.
const keep = 72 * time.Hour

// Fields that Queue itself sets on an item's hash.
const (
	fieldKind  = "_kind"
	fieldAt    = "_at"
	fieldToken = "_token"
)

// Queue is one line's schedule of due work.
type Queue struct {
	rdb    redis.UniversalClient
	prefix string
}

// New returns the queue of line.
func New(rdb redis.UniversalClient, line string) *Queue {
	return &Queue{rdb: rdb, prefix: "pl:{" + line + "}:due"}
}

// scheduleKey is a sorted set: item id -> when it is due (unix ms), or when its lease ends.
func (q *Queue) scheduleKey() string { return q.prefix }

// itemKey is a hash per item: its kind, due time, claim token and the fields of its work. It expires
// keep after the item was due.
func (q *Queue) itemKey(id string) string { return q.prefix + ":item:" + id }

// Item is one piece of work due at a time.
type Item struct {
	ID     string            // unique per piece of work, such as "page R7K2"; scheduling it again moves it
	Kind   string            // what to do, for the worker's dispatch
	At     time.Time         // when it is due
	Fields map[string]string // what the worker needs
	token  string            // set by Claim
}

// Schedule adds to b the scheduling of it; an item of the same id that is still pending is replaced.
func (q *Queue) Schedule(b *commit.Batch, it Item) {
	q.ScheduleAll(b, it)
}

// ScheduleAll adds to b the scheduling of items, as Schedule does each, with one ZADD for all of them.
func (q *Queue) ScheduleAll(b *commit.Batch, items ...Item) {
	if len(items) == 0 {
		return
	}
	scores := make([]any, 0, 2*len(items))
	for _, it := range items {
		k := q.itemKey(it.ID)
		args := []any{fieldKind, it.Kind, fieldAt, it.At.UnixMilli()}
		for f, v := range it.Fields {
			args = append(args, f, v)
		}
		b.Do("DEL", k)
		b.Do("HSET", k, args...)
		// Relative to now, and never less than keep: a clock behind Redis's must not expire it at once.
		b.Do("PEXPIRE", k, (max(time.Until(it.At), 0) + keep).Milliseconds())
		scores = append(scores, it.At.UnixMilli(), it.ID)
	}
	b.Do("ZADD", q.scheduleKey(), scores...)
}

// ScheduleNew adds to b the scheduling of it unless an item of that id is pending (or being handled);
// the returned guard fails then, and b should be dropped. Jobs that plan work again and again (such as
// shift reminders) use it, so planning twice schedules once.
func (q *Queue) ScheduleNew(b *commit.Batch, it Item) commit.Guard {
	g := b.Absent(q.itemKey(it.ID))
	q.Schedule(b, it)
	return g
}

// Cancel adds to b the removal of item id, if it is pending.
func (q *Queue) Cancel(b *commit.Batch, id string) {
	b.Do("ZREM", q.scheduleKey(), id)
	b.Do("DEL", q.itemKey(id))
}

// Done adds to b the end of a claimed item, guarded on the claim still being this one: among workers
// that claimed the same item (the first one's lease having run out), only one commit goes through.
func (q *Queue) Done(b *commit.Batch, it Item) commit.Guard {
	g := b.Field(q.itemKey(it.ID), fieldToken, it.token)
	b.Do("ZREM", q.scheduleKey(), it.ID)
	b.Do("DEL", q.itemKey(it.ID))
	return g
}

// claim takes the items ARGV[4..] whose keys are KEYS[2..] (in the same order) that are still due at
// ARGV[1] (unix ms): it pushes each one's score to ARGV[1] + ARGV[2] (the lease) and sets its claim
// token to ARGV[3] .. ":" .. n. An item another sweep claimed since it was read (its score moved past
// ARGV[1]) or that is gone is skipped. KEYS[1]: the schedule. Every key is declared, as Redis Cluster
// wants; all share the line's hash tag, so one slot.
// Returns, per item, {id, HGETALL of the item}; an item whose hash expired comes back with no fields
// and is removed from the schedule.
var claim = redis.NewScript(`
local now = tonumber(ARGV[1])
local out = {}
for n = 2, #KEYS do
  local id, k = ARGV[n + 2], KEYS[n]
  local score = redis.call("ZSCORE", KEYS[1], id)
  if score and tonumber(score) <= now then
    if redis.call("EXISTS", k) == 1 then
      redis.call("ZADD", KEYS[1], now + tonumber(ARGV[2]), id)
      redis.call("HSET", k, "_token", ARGV[3] .. ":" .. (n - 1))
      out[#out + 1] = {id, redis.call("HGETALL", k)}
    else
      redis.call("ZREM", KEYS[1], id)
      out[#out + 1] = {id, {}}
    end
  end
end
return out`)

// Claim takes up to n items due at now and leases them for lease: until then no other Claim returns
// them. Finish each with Done in the commit of its effects; one left unfinished is claimed again after
// the lease. Items whose fields expired are dropped and not returned.
func (q *Queue) Claim(ctx context.Context, now time.Time, n int, lease time.Duration) ([]Item, error) {
	token := make([]byte, 8)
	if _, err := rand.Read(token); err != nil {
		return nil, fmt.Errorf("claim token: %w", err)
	}
	ids, err := q.rdb.ZRangeByScore(ctx, q.scheduleKey(), &redis.ZRangeBy{Min: "-inf",
		Max: strconv.FormatInt(now.UnixMilli(), 10), Count: int64(n)}).Result()
	if err != nil {
		return nil, fmt.Errorf("read due work: %w", err)
	}
	if len(ids) == 0 {
		return nil, nil
	}
	keys := []string{q.scheduleKey()}
	args := []any{now.UnixMilli(), lease.Milliseconds(), hex.EncodeToString(token)}
	for _, id := range ids {
		keys = append(keys, q.itemKey(id))
		args = append(args, id)
	}
	res, err := claim.Run(ctx, q.rdb, keys, args...).Slice()
	if err != nil {
		return nil, fmt.Errorf("claim due work: %w", err)
	}
	var out []Item
	for _, r := range res {
		pair, _ := r.([]any)
		if len(pair) != 2 {
			continue
		}
		id, _ := pair[0].(string)
		flat, _ := pair[1].([]any)
		if len(flat) == 0 {
			continue
		}
		out = append(out, decode(id, flat))
	}
	return out, nil
}

func decode(id string, flat []any) Item {
	it := Item{ID: id, Fields: map[string]string{}}
	for i := 0; i+1 < len(flat); i += 2 {
		k, _ := flat[i].(string)
		v, _ := flat[i+1].(string)
		switch k {
		case fieldKind:
			it.Kind = v
		case fieldAt:
			ms, _ := strconv.ParseInt(v, 10, 64)
			it.At = time.UnixMilli(ms)
		case fieldToken:
			it.token = v
		default:
			it.Fields[k] = v
		}
	}
	return it
}

// Pending returns how many items are scheduled (due or not).
func (q *Queue) Pending(ctx context.Context) (int64, error) {
	n, err := q.rdb.ZCard(ctx, q.scheduleKey()).Result()
	if err != nil {
		return 0, fmt.Errorf("count due work: %w", err)
	}
	return n, nil
}

// Scheduled reports when item id is due (or its lease ends), and whether it is pending at all.
func (q *Queue) Scheduled(ctx context.Context, id string) (time.Time, bool, error) {
	score, err := q.rdb.ZScore(ctx, q.scheduleKey(), id).Result()
	if err == redis.Nil {
		return time.Time{}, false, nil
	}
	if err != nil {
		return time.Time{}, false, fmt.Errorf("read schedule of %s: %w", id, err)
	}
	return time.UnixMilli(int64(score)), true, nil
}
