package matcher

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"github.com/redis/go-redis/v9"

	"peerline/commit"
)

// Each volunteer's chats are kept for a week, without the person's number, so the line can keep to
// their limits: how many chats in one night, a rest after each chat, and hours of chats in a day and
// in a week. chats:ID is a sorted set of the codes of their chats by start (unix ms); chatsEnded:ID
// a hash of code -> end (unix ms), for the chats that have ended.

// workedFor is how long a volunteer's chats are kept for their limits.
const workedFor = 8 * 24 * time.Hour

func (m *Matcher) chatsKey(id string) string      { return m.prefix + "chats:" + id }
func (m *Matcher) chatsEndedKey(id string) string { return m.prefix + "chats:" + id + ":ended" }

// worked adds to b the start of volunteer id's chat code.
func (m *Matcher) worked(b *commit.Batch, id, code string, at time.Time) {
	k := m.chatsKey(id)
	b.Do("ZADD", k, at.UnixMilli(), code)
	b.Do("ZREMRANGEBYSCORE", k, "-inf", at.Add(-workedFor).UnixMilli())
	b.Do("PEXPIRE", k, workedFor.Milliseconds())
}

// rested adds to b the end of volunteer id's chat code.
func (m *Matcher) rested(b *commit.Batch, id, code string, at time.Time) {
	k := m.chatsEndedKey(id)
	b.Do("HSET", k, code, at.UnixMilli())
	b.Do("PEXPIRE", k, workedFor.Milliseconds())
}

// Workload is what a volunteer has done lately.
type Workload struct {
	Night   int           // chats begun since night began
	Day     time.Duration // time in chats in the last 24 hours (a chat under way counts to now)
	Week    time.Duration // in the last 7 days
	LastEnd time.Time     // when their last chat ended; zero if none this week or one is under way
	InChat  bool          // a chat is under way
}

// Limits are how much a volunteer may do; zero fields are no limit.
type Limits struct {
	Night     int           // chats in one night
	Rest      time.Duration // after each chat, before new offers
	Day, Week time.Duration // hours of chats in 24 hours and in 7 days
}

// Within reports whether w leaves room for another chat at now, and if not, why: "night", "rest",
// "day" or "week", and until when (for a rest; the zero time otherwise).
func (w Workload) Within(l Limits, now time.Time) (ok bool, why string, until time.Time) {
	switch {
	case l.Night > 0 && w.Night >= l.Night:
		return false, "night", time.Time{}
	case l.Week > 0 && w.Week >= l.Week:
		return false, "week", time.Time{}
	case l.Day > 0 && w.Day >= l.Day:
		return false, "day", time.Time{}
	case l.Rest > 0 && !w.LastEnd.IsZero() && now.Sub(w.LastEnd) < l.Rest:
		return false, "rest", w.LastEnd.Add(l.Rest)
	}
	return true, "", time.Time{}
}

// Workloads reads the workload at now of each volunteer in ids, in one round trip; night is when the
// current night began.
func (m *Matcher) Workloads(ctx context.Context, ids []string, now, night time.Time) (map[string]Workload, error) {
	pipe := m.rdb.Pipeline()
	starts := make([]*redis.ZSliceCmd, len(ids))
	ends := make([]*redis.MapStringStringCmd, len(ids))
	from := strconv.FormatInt(now.Add(-workloadWindow).UnixMilli(), 10)
	for i, id := range ids {
		starts[i] = pipe.ZRangeByScoreWithScores(ctx, m.chatsKey(id), &redis.ZRangeBy{Min: from, Max: "+inf"})
		ends[i] = pipe.HGetAll(ctx, m.chatsEndedKey(id))
	}
	if _, err := pipe.Exec(ctx); err != nil && err != redis.Nil {
		return nil, fmt.Errorf("read volunteers' chats: %w", err)
	}
	out := make(map[string]Workload, len(ids))
	for i, id := range ids {
		out[id] = workload(starts[i].Val(), ends[i].Val(), now, night)
	}
	return out, nil
}

// workload adds up chats (code by start) and their ends (code -> unix ms) as at now.
func workload(chats []redis.Z, ended map[string]string, now, night time.Time) Workload {
	var w Workload
	day, week := now.Add(-24*time.Hour), now.Add(-7*24*time.Hour)
	for _, z := range chats {
		code, _ := z.Member.(string)
		start := time.UnixMilli(int64(z.Score))
		end := now
		if ms, err := strconv.ParseInt(ended[code], 10, 64); err == nil {
			end = time.UnixMilli(ms)
			if end.After(w.LastEnd) {
				w.LastEnd = end
			}
		} else {
			w.InChat = true
		}
		if !start.Before(night) {
			w.Night++
		}
		w.Day += overlap(start, end, day, now)
		w.Week += overlap(start, end, week, now)
	}
	if w.InChat {
		w.LastEnd = time.Time{}
	}
	return w
}

// overlap is how long [s, e) and [from, to) share.
func overlap(s, e, from, to time.Time) time.Duration {
	if s.Before(from) {
		s = from
	}
	if e.After(to) {
		e = to
	}
	if e.Before(s) {
		return 0
	}
	return e.Sub(s)
}
