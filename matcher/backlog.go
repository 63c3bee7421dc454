package matcher

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"github.com/redis/go-redis/v9"
)

// Backlog is the line's queue of requests nobody has taken, as the metrics see it: counts and times only.
type Backlog struct {
	Count  int64     // requests waiting in the queue
	Over   int64     // of them, those made before the give-up time asked about (the due sweep is behind)
	Oldest time.Time // when the longest-waiting of them was made; zero when none waits
}

// Backlog reads the waiting queue in one round trip: how many wait, how many were made before
// giveUpBefore, and when the oldest was made. An urgent request's score is its creation time less
// urgentLead (see priority), so the queue is read as two ranges: urgent scores, then the others.
func (m *Matcher) Backlog(ctx context.Context, giveUpBefore time.Time) (Backlog, error) {
	// Urgent scores are about -urgentLead (creation times are far smaller than it), the others positive.
	split := strconv.FormatFloat(-urgentLead/2, 'f', 0, 64)
	before := giveUpBefore.UnixMilli()
	pipe := m.rdb.Pipeline()
	count := pipe.ZCard(ctx, m.openKey())
	overUrgent := pipe.ZCount(ctx, m.openKey(), "-inf", "("+strconv.FormatInt(before-int64(urgentLead), 10))
	overOther := pipe.ZCount(ctx, m.openKey(), split, "("+strconv.FormatInt(before, 10))
	oldUrgent := pipe.ZRangeByScoreWithScores(ctx, m.openKey(), &redis.ZRangeBy{Min: "-inf", Max: "(" + split, Count: 1})
	oldOther := pipe.ZRangeByScoreWithScores(ctx, m.openKey(), &redis.ZRangeBy{Min: split, Max: "+inf", Count: 1})
	if _, err := pipe.Exec(ctx); err != nil {
		return Backlog{}, fmt.Errorf("read the waiting queue: %w", err)
	}
	w := Backlog{Count: count.Val(), Over: overUrgent.Val() + overOther.Val()}
	var oldest float64
	if z := oldUrgent.Val(); len(z) > 0 {
		oldest = z[0].Score + urgentLead
	}
	if z := oldOther.Val(); len(z) > 0 && (oldest == 0 || z[0].Score < oldest) {
		oldest = z[0].Score
	}
	if oldest != 0 {
		w.Oldest = time.UnixMilli(int64(oldest))
	}
	return w, nil
}
