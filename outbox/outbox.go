// Package outbox queues every outgoing text in Redis and delivers it through a Sender.
//
// A message enters the outbox inside the same atomic commit that records the change it belongs to, so
// nothing is sent for a change that did not happen and nothing is lost for one that did. Workers read the
// Redis stream through a consumer group; a message is acknowledged and deleted only once it was sent or
// failed for good, so one whose worker died is picked up again by Reclaim.
package outbox

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/redis/go-redis/v9"
	"github.com/sirupsen/logrus"

	"peerline/commit"
	"peerline/phone"
)

// ErrPermanent marks a send failure that retrying cannot mend (an opted-out or invalid number).
var ErrPermanent = errors.New("permanent send failure")

// Message is one outgoing text.
type Message struct {
	ID       string // stream entry id, set when read from the outbox
	To       string // E.164 number
	Channel  phone.Channel
	Body     string
	Kind     string        // the template that made the body, for logs and reports
	ValidFor time.Duration // after this a late message is dropped, not delivered; 0 for no limit
	Queued   time.Time     // when it entered the outbox, from the stream id
}

// Sender delivers one message. It returns an error wrapping ErrPermanent when retrying cannot help.
type Sender interface {
	Send(ctx context.Context, m Message) error
}

// Options tune the workers; zero values take the defaults.
type Options struct {
	Workers   int           // concurrent senders (default 4)
	Attempts  int           // tries in a row before leaving a message to Reclaim (default 4)
	Backoff   time.Duration // first retry delay, doubled each try, with jitter (default 250ms)
	ClaimIdle time.Duration // how long a message may sit unacknowledged before Reclaim takes it (default 30s)
	MaxAge    time.Duration // a message older than this is dropped with an error log (default 1h)
	Block     time.Duration // how long one read waits for new messages (default 1s)
}

func (o *Options) defaults() {
	if o.Workers <= 0 {
		o.Workers = 4
	}
	if o.Attempts <= 0 {
		o.Attempts = 4
	}
	if o.Backoff <= 0 {
		o.Backoff = 250 * time.Millisecond
	}
	if o.ClaimIdle <= 0 {
		o.ClaimIdle = 30 * time.Second
	}
	if o.MaxAge <= 0 {
		o.MaxAge = time.Hour
	}
	if o.Block <= 0 {
		o.Block = time.Second
	}
}

const group = "senders"

// Outbox is one line's queue of outgoing texts.
type Outbox struct {
	rdb    redis.UniversalClient
	stream string
	sender Sender
	log    logrus.FieldLogger
	opt    Options
	now    func() time.Time
	name   string
}

// New returns the outbox of line, delivering through sender.
func New(rdb redis.UniversalClient, line string, sender Sender, log logrus.FieldLogger, now func() time.Time, opt Options) *Outbox {
	opt.defaults()
	host, _ := os.Hostname()
	return &Outbox{
		rdb:    rdb,
		stream: "pl:{" + line + "}:outbox",
		sender: sender,
		log:    log.WithField("component", "outbox"),
		opt:    opt,
		now:    now,
		name:   fmt.Sprintf("%s-%d-%04x", host, os.Getpid(), rand.IntN(1<<16)),
	}
}

// Queue adds m to b, so that it is queued if and only if b is applied.
func (o *Outbox) Queue(b *commit.Batch, m Message) {
	b.Do("XADD", o.stream, "*",
		"to", m.To, "ch", string(m.Channel), "body", m.Body, "kind", m.Kind,
		"valid", strconv.Itoa(int(m.ValidFor/time.Second)))
}

// Stream returns the Redis key of the outbox stream (for tests and status tools).
func (o *Outbox) Stream() string { return o.stream }

// Setup creates the consumer group if it does not exist yet.
func (o *Outbox) Setup(ctx context.Context) error {
	err := o.rdb.XGroupCreateMkStream(ctx, o.stream, group, "0").Err()
	if err != nil && !strings.HasPrefix(err.Error(), "BUSYGROUP") {
		return fmt.Errorf("create outbox group: %w", err)
	}
	return nil
}

// Run delivers messages until ctx ends, then finishes the messages in hand and returns.
func (o *Outbox) Run(ctx context.Context) error {
	if err := o.Setup(ctx); err != nil {
		return err
	}
	var wg sync.WaitGroup
	for i := range o.opt.Workers {
		wg.Go(func() { o.work(ctx, fmt.Sprintf("%s-%d", o.name, i)) })
	}
	wg.Wait()
	return nil
}

func (o *Outbox) work(ctx context.Context, consumer string) {
	for ctx.Err() == nil {
		res, err := o.rdb.XReadGroup(ctx, &redis.XReadGroupArgs{
			Group: group, Consumer: consumer, Streams: []string{o.stream, ">"}, Count: 10, Block: o.opt.Block,
		}).Result()
		if errors.Is(err, redis.Nil) || ctx.Err() != nil {
			continue
		}
		if err != nil {
			o.log.WithError(err).Warn("read outbox")
			o.wait(ctx, o.opt.Backoff)
			continue
		}
		for _, s := range res {
			for _, x := range s.Messages {
				o.deliver(context.WithoutCancel(ctx), x)
			}
		}
	}
}

// Reclaim takes over messages that stayed unacknowledged longer than ClaimIdle (their worker died or
// gave up for now) and delivers them. It returns how many it handled.
func (o *Outbox) Reclaim(ctx context.Context) (int, error) {
	if err := o.Setup(ctx); err != nil {
		return 0, err
	}
	start, n := "0-0", 0
	for {
		msgs, next, err := o.rdb.XAutoClaim(ctx, &redis.XAutoClaimArgs{
			Stream: o.stream, Group: group, Consumer: o.name + "-reclaim", MinIdle: o.opt.ClaimIdle, Start: start, Count: 100,
		}).Result()
		if err != nil {
			return n, fmt.Errorf("reclaim outbox: %w", err)
		}
		for _, x := range msgs {
			o.deliver(ctx, x)
			n++
		}
		if next == "0-0" || len(msgs) == 0 {
			return n, nil
		}
		start = next
	}
}

// deliver sends one message, retrying transient failures, and acknowledges it unless it should be tried
// again later.
func (o *Outbox) deliver(ctx context.Context, x redis.XMessage) {
	m := decode(x)
	log := o.log.WithFields(logrus.Fields{"message": m.ID, "kind": m.Kind, "channel": m.Channel})
	if age := o.now().Sub(m.Queued); age > o.opt.MaxAge || (m.ValidFor > 0 && age > m.ValidFor) {
		log.WithField("age", age.Round(time.Second).String()).Error("dropped a message too old to send")
		o.ack(ctx, log, m.ID)
		return
	}
	delay := o.opt.Backoff
	for attempt := 1; ; attempt++ {
		err := o.sender.Send(ctx, m)
		switch {
		case err == nil:
			o.ack(ctx, log, m.ID)
			return
		case errors.Is(err, ErrPermanent):
			log.WithError(err).Warn("message not sent: permanent failure, not retried")
			o.ack(ctx, log, m.ID)
			return
		case attempt >= o.opt.Attempts:
			log.WithError(err).Warn("message not sent yet; left for reclaim")
			return
		}
		log.WithError(err).WithField("attempt", attempt).Info("send failed; retrying")
		o.wait(ctx, delay+time.Duration(rand.Int64N(int64(delay))))
		delay *= 2
	}
}

func (o *Outbox) ack(ctx context.Context, log logrus.FieldLogger, id string) {
	_, err := o.rdb.TxPipelined(ctx, func(p redis.Pipeliner) error {
		p.XAck(ctx, o.stream, group, id)
		p.XDel(ctx, o.stream, id)
		return nil
	})
	if err != nil {
		log.WithError(err).Error("acknowledge sent message")
	}
}

func (o *Outbox) wait(ctx context.Context, d time.Duration) {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
	case <-t.C:
	}
}

func decode(x redis.XMessage) Message {
	str := func(k string) string { s, _ := x.Values[k].(string); return s }
	valid, _ := strconv.Atoi(str("valid"))
	m := Message{
		ID: x.ID, To: str("to"), Channel: phone.Channel(str("ch")), Body: str("body"), Kind: str("kind"),
		ValidFor: time.Duration(valid) * time.Second,
	}
	if ms, _, ok := strings.Cut(x.ID, "-"); ok {
		if n, err := strconv.ParseInt(ms, 10, 64); err == nil {
			m.Queued = time.UnixMilli(n)
		}
	}
	return m
}
