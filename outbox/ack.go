package outbox

import (
	"context"
	"sync"

	"github.com/redis/go-redis/v9"
	"github.com/sirupsen/logrus"
)

// Finished messages are acknowledged in batches: the send that finishes first while no acknowledgement
// is under way writes its own and every other that finishes meanwhile, in one script, and goes on until
// none is left. One message alone costs one round trip as before; under load, many share one. A message
// is acknowledged only after its send ended (Twilio accepted it, or it was dropped or kept as a dead
// letter): a crash before its acknowledgement leaves it pending, and it is sent again (at least once).

// ackScript acknowledges and deletes finished messages, and keeps the Twilio SID of each sent one that
// carries a Ref, in one atomic step (so an entry is never deleted without its acknowledgement or left
// acknowledged in the stream). It is a script rather than MULTI/EXEC because a batch then costs one
// command sent whatever its size, instead of MULTI, XACK, XDEL and EXEC.
// KEYS[1...s]: the class streams of the batch; KEYS[s+1...]: the sent:SID keys to write.
// ARGV[1]: the group; ARGV[2]: s; ARGV[3]: the sent keys' TTL in seconds; then for each stream the
// number of its ids and the ids; then for each sent key its Ref.
// Returns the number of entries acknowledged.
var ackScript = redis.NewScript(`
local group, s, ttl = ARGV[1], tonumber(ARGV[2]), ARGV[3]
local a, acked = 4, 0
for i = 1, s do
  local n = tonumber(ARGV[a])
  acked = acked + redis.call("XACK", KEYS[i], group, unpack(ARGV, a + 1, a + n))
  redis.call("XDEL", KEYS[i], unpack(ARGV, a + 1, a + n))
  a = a + n + 1
end
for i = s + 1, #KEYS do
  redis.call("SET", KEYS[i], ARGV[a], "EX", ttl)
  a = a + 1
end
return acked`)

// finished is one message to acknowledge: its stream and id, and the SID and Ref to keep when both are
// set.
type finished struct {
	stream, id, sid, ref string
}

// acks gathers finished messages while an acknowledgement is under way.
type acks struct {
	mu       sync.Mutex
	queue    []finished
	flushing bool
}

// done acknowledges and deletes the stream entry of m, which Twilio accepted as sid (empty when m was
// dropped or failed for good), and records sid -> m.Ref for RefTTL when both are set: at once, or, when
// another acknowledgement is under way, in the batch that follows it, written by that caller.
func (o *Outbox) done(ctx context.Context, log logrus.FieldLogger, stream string, m Message, sid string) {
	a := &o.acks
	a.mu.Lock()
	a.queue = append(a.queue, finished{stream: stream, id: m.ID, sid: sid, ref: m.Ref})
	if a.flushing {
		a.mu.Unlock()
		return
	}
	a.flushing = true
	for len(a.queue) > 0 {
		batch := a.queue
		a.queue = nil
		a.mu.Unlock()
		if err := o.ack(ctx, batch); err != nil {
			log.WithError(err).WithField("batch", len(batch)).Error("acknowledge sent messages")
		}
		a.mu.Lock()
	}
	a.flushing = false
	a.mu.Unlock()
}

// ack runs ackScript for batch.
func (o *Outbox) ack(ctx context.Context, batch []finished) error {
	ids := map[string][]any{}
	var streams []string
	for _, f := range batch {
		if _, ok := ids[f.stream]; !ok {
			streams = append(streams, f.stream)
		}
		ids[f.stream] = append(ids[f.stream], f.id)
	}
	keys := append([]string(nil), streams...)
	args := []any{group, len(streams), int(RefTTL.Seconds())}
	for _, s := range streams {
		args = append(args, len(ids[s]))
		args = append(args, ids[s]...)
	}
	for _, f := range batch {
		if f.sid != "" && f.ref != "" {
			keys = append(keys, o.keys.sent(f.sid))
			args = append(args, f.ref)
		}
	}
	return ackScript.Run(ctx, o.rdb, keys, args...).Err()
}
