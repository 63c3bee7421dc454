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
	"sync/atomic"
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
	InFlight  int           // sends in flight at once (default 32)
	Rate      float64       // texts a second the line's outbox sends at most, all its instances together, with bursts of as many (default 10); math.Inf(1) for no limit
	Instance  string        // this instance's stable name among the senders (default the host's name); see Outbox.Run
	Attempts  int           // tries in a row before putting a message aside for a later round (default 4)
	Backoff   time.Duration // first retry delay, doubled each try, with jitter (default 250ms)
	ClaimIdle time.Duration // how long a message may sit unacknowledged before another instance's Reclaim takes it (default 30s)
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

// Defaults of Options.
const (
	DefaultInFlight = 32
	// DefaultRate is Twilio's sending rate of one number outside the US and Canada (10 message segments a
	// second), and of a WhatsApp sender by default. Above its sender's rate Twilio queues texts in the
	// order they came, so sending faster would put check-ins ahead of a later acknowledgement there.
	DefaultRate = 10
)

func (o *Options) defaults() {
	if o.InFlight <= 0 {
		o.InFlight = DefaultInFlight
	}
	if o.Rate <= 0 {
		o.Rate = DefaultRate
	}
	if o.Instance == "" {
		o.Instance = DefaultInstance()
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

// DefaultInstance returns the host's name (a container's is its own), or "peerline" when it has none.
func DefaultInstance() string {
	if host, err := os.Hostname(); err == nil && host != "" {
		return host
	}
	return "peerline"
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
	name    string    // this instance's consumer name in the group: opt.Instance
	pace    *pace     // opt.Rate, shared by every instance of the line; nil for no limit
	d       *dispatch // what this instance has read and not finished
	acks    acks      // finished messages waiting for an acknowledgement under way (see done)
	streams map[string]class
	// unsure is set when a read failed: Redis may have handed this instance messages whose answer never
	// arrived (a connection lost after Redis wrote it); they are taken back before the next read.
	unsure atomic.Bool
}

// New returns the outbox of line, delivering through sender.
func New(rdb redis.UniversalClient, line string, sender Sender, log logrus.FieldLogger, now func() time.Time, opt Options) *Outbox {
	opt.defaults()
	quoting := make(map[string]bool, len(opt.Quoting))
	for _, k := range opt.Quoting {
		quoting[k] = true
	}
	if now == nil {
		now = time.Now
	}
	k := keys{line: line}
	streams := make(map[string]class, len(classes))
	for _, c := range classes {
		streams[k.classStream(c)] = c
	}
	o := &Outbox{
		rdb:     rdb,
		keys:    k,
		sender:  sender,
		log:     log.WithField("component", "outbox"),
		opt:     opt,
		quoting: quoting,
		now:     now,
		name:    opt.Instance,
		d:       newDispatch(),
		streams: streams,
	}
	o.pace = newPace(rdb, k.pace(), opt.Rate, o.othersSending)
	return o
}

// othersSending reports whether another instance read any class of the line's texts in the last
// minute: then the line's rate is shared with it (see pace).
func (o *Outbox) othersSending(ctx context.Context) (bool, error) {
	for _, c := range classes {
		consumers, err := o.rdb.XInfoConsumers(ctx, o.keys.classStream(c), group).Result()
		if err != nil {
			return false, fmt.Errorf("outbox: who reads %s texts: %w", c, err)
		}
		for _, x := range consumers {
			if x.Name != o.name && x.Idle < time.Minute {
				return true, nil
			}
		}
	}
	return false, nil
}

// Queue adds m to b, so that it is queued if and only if b is applied. It goes in the stream of its
// class (see ClassOf), under the line's hash tag like every key of the line.
func (o *Outbox) Queue(b *commit.Batch, m Message) {
	b.Do("XADD", o.keys.classStream(classOf(m.Kind)), append([]any{"*"}, encode(m)...)...)
}

// Stream returns the Redis key of the urgent class's stream, pl:{line}:outbox, the one stream of older
// versions (for tests and status tools; Streams lists them all).
func (o *Outbox) Stream() string { return o.keys.stream() }

// Streams returns the Redis keys of every class's stream, highest class first.
func (o *Outbox) Streams() []string {
	out := make([]string, len(classes))
	for i, c := range classes {
		out[i] = o.keys.classStream(c)
	}
	return out
}

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

// Setup creates the consumer group of every class's stream if it does not exist yet, and loads the
// script that acknowledges sent messages (so its first use needs no second try).
func (o *Outbox) Setup(ctx context.Context) error {
	if err := ackScript.Load(ctx, o.rdb).Err(); err != nil {
		return fmt.Errorf("load the outbox's acknowledgement script: %w", err)
	}
	for _, c := range classes {
		err := o.rdb.XGroupCreateMkStream(ctx, o.keys.classStream(c), group, "0").Err()
		if err != nil && !strings.HasPrefix(err.Error(), "BUSYGROUP") {
			return fmt.Errorf("create outbox group of %s messages: %w", c, err)
		}
	}
	return nil
}

// outcome is what became of one message handed to deliver.
type outcome int

const (
	sent    outcome = iota // Twilio accepted it; acknowledged
	dropped                // too old to send; acknowledged
	buried                 // refused for good: kept as a dead letter and acknowledged
	left                   // not sent yet: still pending, for a later round
)

// deliver sends one message of stream, retrying transient failures, and acknowledges it unless it should
// be tried again later.
func (o *Outbox) deliver(ctx context.Context, stream string, x redis.XMessage) outcome {
	m := decode(x)
	log := o.log.WithFields(logrus.Fields{"message": m.ID, "kind": m.Kind, "channel": m.Channel})
	if age := o.now().Sub(m.Queued); age > o.opt.MaxAge || (m.ValidFor > 0 && age > m.ValidFor) {
		log.WithField("age", age.Round(time.Second).String()).Error("dropped a message too old to send")
		o.done(ctx, log, stream, m, "")
		return dropped
	}
	delay := o.opt.Backoff
	for attempt := 1; ; attempt++ {
		sid, err := o.sender.Send(ctx, m)
		switch {
		case err == nil:
			if sid == "" && m.Ref != "" {
				log.Warn("sent without a message SID: its status callbacks cannot be matched to its ref")
			}
			o.done(ctx, log, stream, m, sid)
			return sent
		case errors.Is(err, ErrPermanent):
			if o.fail(ctx, log, stream, m, err) {
				return buried
			}
			return left
		case attempt >= o.opt.Attempts:
			log.WithError(err).Warn("message not sent yet; it is tried again shortly")
			return left
		}
		log.WithError(err).WithField("attempt", attempt).Info("send failed; retrying")
		o.wait(ctx, delay+time.Duration(rand.Int64N(int64(delay))))
		delay *= 2
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
