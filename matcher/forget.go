package matcher

import (
	"context"
	"fmt"
	"strings"

	"peerline/commit"
)

// Forgetting: the requests of one number, and history past its keeping time.

// ForgetPerson erases every request of the person with number: its record, what they said, its
// offers' bookkeeping, and its place in the queue and the late list. With dryRun it only counts. It
// returns how many requests it found. The history keeps its events: they hold codes and times, never
// a number.
func (m *Matcher) ForgetPerson(ctx context.Context, number string, dryRun bool) (int, error) {
	var codes []string
	iter := m.rdb.Scan(ctx, 0, m.prefix+"req:*", 500).Iterator()
	for iter.Next(ctx) {
		k := iter.Val()
		code := strings.TrimPrefix(k, m.prefix+"req:")
		if strings.Contains(code, ":") {
			continue // said, offered, holders, passed: found through their request
		}
		person, err := m.rdb.HGet(ctx, k, "person").Result()
		if err == nil && person == number {
			codes = append(codes, code)
		}
	}
	if err := iter.Err(); err != nil {
		return 0, fmt.Errorf("find the requests of a number: %w", err)
	}
	if dryRun || len(codes) == 0 {
		return len(codes), nil
	}
	pipe := m.rdb.TxPipeline()
	for _, c := range codes {
		pipe.Del(ctx, m.requestKey(c), m.saidKey(c), m.offeredKey(c), m.holdersKey(c), m.passedKey(c))
		pipe.ZRem(ctx, m.openKey(), c)
		pipe.ZRem(ctx, m.lateKey(), c)
	}
	if _, err := pipe.Exec(ctx); err != nil {
		return 0, fmt.Errorf("erase %d requests: %w", len(codes), err)
	}
	return len(codes), nil
}

// Forget adds to b the end of chat code for volunteer id without a record of it ending: the person is
// being forgotten, and the request itself goes with ForgetPerson.
func (m *Matcher) Forget(b *commit.Batch, id, code string) {
	b.Do("HDEL", m.activeKey(), id)
	b.Do("INCR", m.activeVersionKey())
	b.Do("ZREM", m.chatsKey(id), code) // nor does it count towards the volunteer's limits
	b.Do("HSET", m.requestKey(code), "status", Closed)
}

// TrimHistory removes the report history's events older than the history keeping time (see Keep), by
// Redis's own clock, which dates the stream's entries.
func (m *Matcher) TrimHistory(ctx context.Context) error {
	now, err := m.rdb.Time(ctx).Result()
	if err != nil {
		return fmt.Errorf("read Redis's clock: %w", err)
	}
	min := fmt.Sprintf("%d-0", now.Add(-m.history).UnixMilli())
	if err := m.rdb.XTrimMinID(ctx, m.historyKey(), min).Err(); err != nil {
		return fmt.Errorf("trim the history: %w", err)
	}
	return nil
}
