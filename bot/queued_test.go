package bot

import (
	"cmp"
	"context"
	"slices"
	"strconv"
	"strings"

	"github.com/redis/go-redis/v9"

	"peerline/outbox"
)

// QueuedEntry is one outbox stream entry and the stream it is in.
type QueuedEntry struct {
	redis.XMessage
	Stream string
	class  int // the stream's place in Outbox.Streams, highest class first
}

// QueuedEntries returns every entry of the outbox's streams, by stream id (the time queued), then by
// class, highest first: the order queued, except between classes in the same millisecond.
func QueuedEntries(ctx context.Context, rdb *redis.Client, box *outbox.Outbox) ([]QueuedEntry, error) {
	var all []QueuedEntry
	for i, s := range box.Streams() {
		msgs, err := rdb.XRange(ctx, s, "-", "+").Result()
		if err != nil {
			return nil, err
		}
		for _, m := range msgs {
			all = append(all, QueuedEntry{XMessage: m, Stream: s, class: i})
		}
	}
	ms := func(id string) (int64, int64) {
		a, b, _ := strings.Cut(id, "-")
		x, _ := strconv.ParseInt(a, 10, 64)
		y, _ := strconv.ParseInt(b, 10, 64)
		return x, y
	}
	slices.SortFunc(all, func(a, b QueuedEntry) int {
		am, as := ms(a.ID)
		bm, bs := ms(b.ID)
		return cmp.Or(cmp.Compare(am, bm), cmp.Compare(a.class, b.class), cmp.Compare(as, bs))
	})
	return all, nil
}
