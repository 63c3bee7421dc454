package e2e

import (
	"context"
	"testing"

	"github.com/redis/go-redis/v9"
	"github.com/sirupsen/logrus"

	"peerline/commit"
	"peerline/outbox"
	"peerline/phone"
)

// TestUnsentMessagesSurviveACrash leaves a message as a crashed sender would (read from the outbox, never
// acknowledged) and checks that a newly started service sends it.
func TestUnsentMessagesSurviveACrash(t *testing.T) {
	ctx := context.Background()
	s := startService(t, func(rdb redis.UniversalClient, line string) {
		box := outbox.New(rdb, line, nil, logrus.New(), nil, outbox.Options{})
		if err := box.Setup(ctx); err != nil {
			t.Fatal(err)
		}
		b := commit.New()
		box.Queue(b, outbox.Message{To: "+447700900001", Channel: phone.SMS, Body: "left behind by a crash", Kind: "test"})
		if _, err := commit.NewApplier(rdb).Apply(ctx, b); err != nil {
			t.Fatal(err)
		}
		res, err := rdb.XReadGroup(ctx, &redis.XReadGroupArgs{Group: "senders", Consumer: "crashed", Streams: []string{box.Stream(), ">"}, Count: 1}).Result()
		if err != nil || len(res) != 1 || len(res[0].Messages) != 1 {
			t.Fatalf("crashed sender read %v, %v", res, err)
		}
		// As if the crash was a minute ago: XCLAIM's IDLE sets how long the message has waited.
		if err := rdb.Do(ctx, "XCLAIM", box.Stream(), "senders", "crashed", 0, res[0].Messages[0].ID, "IDLE", 60000).Err(); err != nil {
			t.Fatal(err)
		}
	})
	s.phone("+447700900001", phone.SMS).Expect("left behind by a crash")
}
