package outbox_test

import (
	"context"
	"fmt"
	"testing"

	"peerline/outbox"
	"peerline/phone"
)

// TestManySendsAtOnceAreAllAcknowledged: with sends ending together, their acknowledgements are
// written in shared batches, and none is lost: every message leaves the streams and the group's
// pending list, and every sent offer's SID keeps its Ref.
func TestManySendsAtOnceAreAllAcknowledged(t *testing.T) {
	const n = 40
	f := newFixture(t, nil, func(o *outbox.Options) { o.InFlight = 8 })
	var msgs []outbox.Message
	for i := range n {
		msgs = append(msgs, outbox.Message{To: fmt.Sprintf("+4477009%05d", i), Channel: phone.SMS, Body: "someone is asking",
			Kind: "volunteer_offer", Ref: fmt.Sprintf("offer R777 v%d", i)})
	}
	f.queue(t, msgs...)
	stop := f.run(t)
	f.wait(t, n)
	stop()
	ctx := context.Background()
	for _, s := range f.box.Streams() {
		if l := f.rdb.XLen(ctx, s).Val(); l != 0 {
			t.Errorf("%s holds %d messages after they were sent", s, l)
		}
		if p := f.rdb.XPending(ctx, s, "senders").Val(); p != nil && p.Count != 0 {
			t.Errorf("%s has %d messages pending after they were sent", s, p.Count)
		}
	}
	if got := len(f.sentKeys(t)); got != n {
		t.Errorf("%d sent SIDs kept, want %d", got, n)
	}
}
