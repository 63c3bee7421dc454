// Package outbox queues every outgoing text in Redis and delivers it through a Sender.
//
// A message enters the outbox inside the same atomic commit that records the change it belongs to, so
// nothing is sent for a change that did not happen and nothing is lost for one that did. Workers read the
// Redis stream through a consumer group; a message is acknowledged and deleted only once it was sent or
// failed for good, so one whose worker died is picked up again by Reclaim. A message sent with a Ref
// leaves, in the same MULTI as its acknowledgement, a record of its Twilio SID that Ref reads back when a
// status callback names that SID. A message Twilio refuses for good is kept as a dead letter (without
// any words that quote someone) that a coordinator can list, retry or clear, and Options.OnFailure
// hears of it.
package outbox

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"strings"
	"sync"
	"time"

	"github.com/redis/go-redis/v9"
	"github.com/sirupsen/logrus"

	"peerline/commit"
	"peerline/phone"
)

// Message is one outgoing text.
type Message struct {
	ID       string // stream entry id, set when read from the outbox
	To       string // E.164 number
	Channel  phone.Channel
	Body     string        // the text; with ContentSID set it is kept for display only and not sent
	Kind     string        // the template that made the body, for logs and reports
	ValidFor time.Duration // after this a late message is dropped, not delivered; 0 for no limit
	Queued   time.Time     // when it entered the outbox, from the stream id

	// ContentSID, when set, sends Twilio's approved template (such as a WhatsApp template, "HX...")
	// instead of Body: needed on WhatsApp more than 24 hours after the person's last message.
	ContentSID string
	// ContentVariables fills the template's placeholders: a JSON object as a string, such as {"1":"R7K2"}.
	ContentVariables string
	// Ref is an opaque reference the bot sets to recognise the message in status callbacks, such as
	// "offer R7K2 v3"; never a phone number or any text of the message. See Outbox.Ref.
	Ref string
}

// Sender delivers one message and returns the Twilio Message SID it was given. It returns an error
// wrapping ErrPermanent when retrying cannot help.
type Sender interface {
	Send(ctx context.Context, m Message) (sid string, err error)
}

// Options tune the workers; zero values take the defaults.
type Options struct {
	Workers   int           // concurrent senders (default 4)
	Attempts  int           // tries in a row before leaving a message to Reclaim (default 4)
	Backoff   time.Duration // first retry delay, doubled each try, with jitter (default 250ms)
	ClaimIdle time.Duration // how long a message may sit unacknowledged before Reclaim takes it (default 30s)
	MaxAge    time.Duration // a message older than this is dropped with an error log (default 1h)
	Block     time.Duration // how long one read waits for new messages (default 1s)

	DeadFor time.Duration // how long a dead letter (a message refused for good) is kept (default 7 days)
	DeadMax int           // how many dead letters are kept at most, the latest (default 1,000)
	// Quoting lists the kinds whose text quotes someone: their dead letters keep no text and cannot be
	// retried (default QuotingKinds()).
	Quoting []string
	// OnFailure, if not nil, hears of every message refused for good; see FailureHandler.
	OnFailure FailureHandler
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
	if o.DeadFor <= 0 {
		o.DeadFor = 7 * 24 * time.Hour
	}
	if o.DeadMax <= 0 {
		o.DeadMax = 1000
	}
	if o.Quoting == nil {
		o.Quoting = QuotingKinds()
	}
}

const group = "senders"

// Outbox is one line's queue of outgoing texts.
type Outbox struct {
	rdb     redis.UniversalClient
	keys    keys
	sender  Sender
	log     logrus.FieldLogger
	opt     Options
	quoting map[string]bool // opt.Quoting as a set
	now     func() time.Time
	name    string
}

// New returns the outbox of line, delivering through sender.
func New(rdb redis.UniversalClient, line string, sender Sender, log logrus.FieldLogger, now func() time.Time, opt Options) *Outbox {
	opt.defaults()
	host, _ := os.Hostname()
	quoting := make(map[string]bool, len(opt.Quoting))
	for _, k := range opt.Quoting {
		quoting[k] = true
	}
	return &Outbox{
		rdb:     rdb,
		keys:    keys{line: line},
		sender:  sender,
		log:     log.WithField("component", "outbox"),
		opt:     opt,
		quoting: quoting,
		now:     now,
		name:    fmt.Sprintf("%s-%d-%04x", host, os.Getpid(), rand.IntN(1<<16)),
	}
}

// Queue adds m to b, so that it is queued if and only if b is applied.
func (o *Outbox) Queue(b *commit.Batch, m Message) {
	b.Do("XADD", o.keys.stream(), append([]any{"*"}, encode(m)...)...)
}

// Stream returns the Redis key of the outbox stream (for tests and status tools).
func (o *Outbox) Stream() string { return o.keys.stream() }

// RefTTL is how long the outbox remembers which Ref a sent message carried, long enough for Twilio's
// late status callbacks (an undelivered WhatsApp message can be reported hours later).
const RefTTL = 24 * time.Hour

// Ref returns the Ref of the message Twilio knows as sid, as a status callback names it. ok is false
// when no message with a Ref was sent under that SID in the last RefTTL.
func (o *Outbox) Ref(ctx context.Context, sid string) (ref string, ok bool, err error) {
	if sid == "" {
		return "", false, nil
	}
	ref, err = o.rdb.Get(ctx, o.keys.sent(sid)).Result()
	switch {
	case errors.Is(err, redis.Nil):
		return "", false, nil
	case err != nil:
		return "", false, fmt.Errorf("look up sent message %s: %w", sid, err)
	}
	return ref, true, nil
}

// Setup creates the consumer group if it does not exist yet.
func (o *Outbox) Setup(ctx context.Context) error {
	err := o.rdb.XGroupCreateMkStream(ctx, o.keys.stream(), group, "0").Err()
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
			Group: group, Consumer: consumer, Streams: []string{o.keys.stream(), ">"}, Count: 10, Block: o.opt.Block,
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
			Stream: o.keys.stream(), Group: group, Consumer: o.name + "-reclaim", MinIdle: o.opt.ClaimIdle, Start: start, Count: 100,
		}).Result()
		if err != nil {
			return n, fmt.Errorf("reclaim outbox: %w", err)
		}
		for _, x := range msgs {
			if o.finishBuried(ctx, x) {
				n++
				continue
			}
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
		o.done(ctx, log, m, "")
		return
	}
	delay := o.opt.Backoff
	for attempt := 1; ; attempt++ {
		sid, err := o.sender.Send(ctx, m)
		switch {
		case err == nil:
			if sid == "" && m.Ref != "" {
				log.Warn("sent without a message SID: its status callbacks cannot be matched to its ref")
			}
			o.done(ctx, log, m, sid)
			return
		case errors.Is(err, ErrPermanent):
			o.fail(ctx, log, m, err)
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

// done acknowledges and deletes the stream entry of m, which Twilio accepted as sid (empty when m was
// dropped or failed for good), and in the same MULTI records sid -> m.Ref for RefTTL when both are set.
func (o *Outbox) done(ctx context.Context, log logrus.FieldLogger, m Message, sid string) {
	_, err := o.rdb.TxPipelined(ctx, func(p redis.Pipeliner) error {
		p.XAck(ctx, o.keys.stream(), group, m.ID)
		p.XDel(ctx, o.keys.stream(), m.ID)
		if sid != "" && m.Ref != "" {
			p.Set(ctx, o.keys.sent(sid), m.Ref, RefTTL)
		}
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
