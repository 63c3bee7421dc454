package matcher

import (
	"context"
	"fmt"
	"sort"
	"strconv"
	"time"

	"github.com/redis/go-redis/v9"

	"peerline/commit"
)

// Waiting is an open request as coordinators see it: its code and numbers, never the person's number
// or what they wrote.
type Waiting struct {
	Code    string
	Created time.Time
	Urgent  bool
	Offered int // volunteers offered it
	Passes  int // of them, how many passed
	Holding int // how many hold its offer now
}

// Chat is a conversation going on now.
type Chat struct {
	Code      string
	Volunteer string    // the volunteer's id
	Created   time.Time // when the request was opened; zero if its record expired
	Matched   time.Time // when the volunteer accepted; zero when not recorded
}

// Live is the line's requests and conversations at one moment.
type Live struct {
	Waiting []Waiting // in queue order: the most urgent first, then the oldest
	// Late counts the requests whose person was signposted within the late window: a volunteer who
	// comes free may still be offered them.
	Late  int
	Chats []Chat // longest going first
}

// Touch adds to b that chat code had a text at time at, so it is not closed as idle.
func (m *Matcher) Touch(b *commit.Batch, code string, at time.Time) {
	b.Do("HSET", m.requestKey(code), "last", at.UnixMilli())
}

// IdleChats returns the conversations going on whose last text (or, with none, their start) was
// before t.
func (m *Matcher) IdleChats(ctx context.Context, t time.Time) ([]Chat, error) {
	active, err := m.rdb.HGetAll(ctx, m.activeKey()).Result()
	if err != nil || len(active) == 0 {
		return nil, err
	}
	pipe := m.rdb.Pipeline()
	reads := map[string]*redis.SliceCmd{}
	for id, code := range active {
		reads[id] = pipe.HMGet(ctx, m.requestKey(code), "last", "matched")
	}
	if _, err := pipe.Exec(ctx); err != nil {
		return nil, fmt.Errorf("read %d chats: %w", len(active), err)
	}
	var out []Chat
	for id, cmd := range reads {
		v := texts(cmd.Val())
		last := millis(v[0])
		if last.IsZero() {
			last = millis(v[1])
		}
		if !last.IsZero() && last.Before(t) {
			out = append(out, Chat{Code: active[id], Volunteer: id, Matched: millis(v[1])})
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Code < out[j].Code })
	return out, nil
}

// Longest returns the oldest waiting request's wait at now, and false when nobody waits.
func (l Live) Longest(now time.Time) (time.Duration, bool) {
	var oldest time.Time
	for _, w := range l.Waiting {
		if !w.Created.IsZero() && (oldest.IsZero() || w.Created.Before(oldest)) {
			oldest = w.Created
		}
	}
	if oldest.IsZero() {
		return 0, false
	}
	return now.Sub(oldest), true
}

// Live reads the open requests and the conversations going on, in two round trips: the indexes, then
// the requests' records.
func (m *Matcher) Live(ctx context.Context) (Live, error) {
	pipe := m.rdb.Pipeline()
	open := pipe.ZRange(ctx, m.openKey(), 0, -1)
	active := pipe.HGetAll(ctx, m.activeKey())
	late := pipe.ZCard(ctx, m.lateKey())
	if _, err := pipe.Exec(ctx); err != nil {
		return Live{}, fmt.Errorf("read open requests and conversations: %w", err)
	}
	pipe = m.rdb.Pipeline()
	waiting := make([]*redis.SliceCmd, len(open.Val()))
	holding := make([]*redis.IntCmd, len(open.Val()))
	for i, code := range open.Val() {
		waiting[i] = pipe.HMGet(ctx, m.requestKey(code), "offered", "passes", "created", "urgent")
		holding[i] = pipe.SCard(ctx, m.holdersKey(code))
	}
	chats := map[string]*redis.SliceCmd{}
	for id, code := range active.Val() {
		chats[id] = pipe.HMGet(ctx, m.requestKey(code), "created", "matched")
	}
	if len(waiting)+len(chats) > 0 {
		if _, err := pipe.Exec(ctx); err != nil {
			return Live{}, fmt.Errorf("read %d requests: %w", len(waiting)+len(chats), err)
		}
	}
	l := Live{Late: int(late.Val())}
	for i, code := range open.Val() {
		v := texts(waiting[i].Val())
		l.Waiting = append(l.Waiting, Waiting{Code: code, Created: seconds(v[2]), Urgent: v[3] != "",
			Offered: atoi(v[0]), Passes: atoi(v[1]), Holding: int(holding[i].Val())})
	}
	for id, cmd := range chats {
		v := texts(cmd.Val())
		l.Chats = append(l.Chats, Chat{Code: active.Val()[id], Volunteer: id,
			Created: seconds(v[0]), Matched: millis(v[1])})
	}
	sort.Slice(l.Chats, func(i, j int) bool {
		a, b := since(l.Chats[i]), since(l.Chats[j])
		return a.Before(b) || a.Equal(b) && l.Chats[i].Code < l.Chats[j].Code
	})
	return l, nil
}

// since is when a chat began, as near as is known, for ordering; unknown sorts first.
func since(c Chat) time.Time {
	if c.Matched.IsZero() {
		return c.Created
	}
	return c.Matched
}

// texts turns an HMGET reply into strings, a missing field into "".
func texts(vals []any) []string {
	out := make([]string, len(vals))
	for i, v := range vals {
		out[i], _ = v.(string)
	}
	return out
}

func atoi(s string) int {
	n, _ := strconv.Atoi(s)
	return n
}

// seconds reads unix seconds; empty or unreadable is the zero time.
func seconds(s string) time.Time {
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil || n == 0 {
		return time.Time{}
	}
	return time.Unix(n, 0)
}
