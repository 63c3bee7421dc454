// Package bot is the conversation engine: it works out who is texting (a volunteer, a coordinator or a
// person asking for support), reads their commands, moves requests and conversations along and relays
// texts between the two sides. It has no HTTP in it: webhooks hand it an Inbound.
//
// An inbound message is handled in at most two Redis round trips: one pipelined read of everything the
// decision needs, and one atomic commit (package commit) that records the decision, queues the texts it
// sends and marks the message seen, together. Accepting or passing on a request reads that request in
// one more round trip. A message inside a chat is usually decided from remembered state and committed
// in one round trip (see parties), and so is a stranger's first text while everyone on shift is busy
// (see fresh). If someone else changed the same state in between, a guard fails, nothing is written,
// and the message is decided again on fresh state.
package bot

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/redis/go-redis/v9"
	"github.com/sirupsen/logrus"

	"peerline/commit"
	"peerline/community"
	"peerline/due"
	"peerline/feedback"
	"peerline/matcher"
	"peerline/outbox"
	"peerline/phone"
	"peerline/rota"
	"peerline/templates"
)

// ErrContended is returned when a message could not be applied after several tries because the same
// state kept changing under it.
var ErrContended = errors.New("state kept changing; giving up for now")

// Inbound is one message that reached the line.
type Inbound struct {
	MessageSID string        // Twilio's id, used to act on a message once however often it is delivered
	From       string        // E.164
	Channel    phone.Channel // the channel it came on; replies go back on it
	Body       string
	Media      int // how many pictures or files came with it (never passed on: only said)
	// OptOutType is Twilio's reading of the text when the number has Advanced Opt-Out: STOP, START or
	// HELP; empty otherwise.
	OptOutType string
	// To is the line's number the message was sent to (E.164), and Service its Messaging Service SID
	// when Twilio names one: they choose the line, and the bot itself ignores them.
	To      string
	Service string
}

// Queuer queues outgoing texts into a commit batch, and finds which queued message a Twilio message
// id was (by the reference it was queued with).
type Queuer interface {
	Queue(b *commit.Batch, m outbox.Message)
	Ref(ctx context.Context, sid string) (ref string, ok bool, err error)
}

// Renderer turns a message's data into its text.
type Renderer interface {
	Render(m templates.Message) (string, error)
}

// Bot handles the line's inbound messages.
type Bot struct {
	log     logrus.FieldLogger
	rdb     redis.UniversalClient
	rota    *rota.Store
	match   *matcher.Matcher
	due     *due.Queue
	out     Queuer
	tmpl    Renderer
	risk    Risk
	apply   *commit.Applier
	now     func() time.Time
	keys    keys
	line    string
	opt     Options
	retries int
	chats   parties
	board   board    // the line as the last new request queued found it (see fresh)
	obs     Observer // hears what was done, for metrics (see Observe)
	comm    *community.Store
	fb      *feedback.Store
}

// New returns a bot for line.
func New(log logrus.FieldLogger, rdb redis.UniversalClient, line string, r *rota.Store, m *matcher.Matcher,
	out Queuer, tmpl Renderer, risk Risk, now func() time.Time, opt Options) *Bot {
	opt.defaults()
	return &Bot{
		log: log.WithField("component", "bot"), rdb: rdb, rota: r, match: m, due: due.New(rdb, line), out: out, tmpl: tmpl,
		risk:  risk,
		apply: commit.NewApplier(rdb).Durable(opt.Durability), now: now, keys: keys{prefix: "pl:{" + line + "}:bot:"}, line: line, opt: opt,
		retries: 8, obs: noObserver{}, comm: community.NewStore(rdb, line),
		fb: feedback.New(rdb, line).Keep(opt.HistoryFor).Trial(m.InTrial()),
	}
}

// turn is one attempt at handling one message: what was read, and the batch being built.
type turn struct {
	in   Inbound
	now  time.Time
	rota rota.Rota
	// rotaVersion is the version of rota, for a commit's guard, when the turn read it (see load).
	rotaVersion string
	match       matcher.State
	party       party
	b           *commit.Batch
	action      string        // what was done, for the log
	fields      logrus.Fields // request codes and volunteer ids, never numbers or text
	// dispatch is set when, once the turn is committed, free volunteers may be owed an offer (a
	// volunteer came free, or a request was added or let go); freed are the volunteers this turn
	// freed (DONE, ON, PASS, told a request was taken), who are offered the head of the queue at once.
	dispatch bool
	freed    []string
	// queuedBusy is set when a new request joins the queue because everyone on shift is busy (see
	// offerNew): the turn's state read may then serve the next new request (see fresh).
	queuedBusy bool
	codeGuard  commit.Guard // the guard that the new request's code is free, when one was opened
	risky      bool         // the sender, a person, used risk words
	// earlier is set on a new request from a person who used risk words within riskMemory, not in this
	// text: the request is urgent as if they had.
	earlier bool
	sent    int // texts from the sender counted this minute before this one
	// blockedUntil is when a volunteer's block of the sender ends; zero when they are not blocked.
	blockedUntil time.Time
	contacts     int // requests the sender opened within the repeat-contact window
	// checkin is the check-in answer (feedback.Struggling or feedback.Wrote) of a text that opens a
	// request by answering the check-in; "" otherwise.
	checkin string
	// staffWA is when each volunteer last wrote on WhatsApp (see toStaff); nil when not read, which
	// sends their texts by SMS or template.
	staffWA map[string]time.Time
	// For the Observer, once committed: the message's kind when the bot's path says it (see observed),
	// the escalation steps taken, and how long the person waited for the request a volunteer claimed.
	kind      string
	steps     []string
	connected bool
	waited    time.Duration
}

// Handle acts on one inbound message exactly once: a repeated MessageSID is acknowledged and ignored.
// A message inside a chat is first tried in one round trip (see parties), and so is a new request
// while everyone on shift is busy (see fresh); every other message, and one whose remembered state
// turned out stale, is read and then committed.
func (bt *Bot) Handle(ctx context.Context, in Inbound) error {
	for _, try := range []func(context.Context, Inbound) (bool, error){bt.fast, bt.fresh} {
		if done, err := try(ctx, in); done || err != nil {
			if err != nil {
				return fmt.Errorf("handle message %s: %w", in.MessageSID, err)
			}
			return nil
		}
	}
	for range bt.retries {
		t, dup, err := bt.load(ctx, in)
		if err != nil {
			return err
		}
		if dup {
			bt.log.WithField("message", in.MessageSID).Info("duplicate delivery ignored")
			// The first delivery's writes may not be durable yet (its wait may have timed out): make sure.
			if err := bt.apply.Sync(ctx); err != nil {
				return fmt.Errorf("handle message %s again: %w", in.MessageSID, err)
			}
			bt.obs.Handled(KindDuplicate)
			return nil
		}
		bt.chats.keep(in.From, t.party)
		seen := bt.markSeen(t)
		if err := bt.decide(ctx, t); err != nil {
			return fmt.Errorf("handle message %s: %w", in.MessageSID, err)
		}
		failed, err := bt.settle(ctx, t, seen)
		if err != nil {
			return fmt.Errorf("handle message %s: %w", in.MessageSID, err)
		}
		if failed == 0 || failed == seen {
			return nil
		}
	}
	bt.log.WithField("message", in.MessageSID).Error("message not acted on: the state it depends on kept changing (a bug to find); the sender was asked to send it again")
	return bt.apologise(ctx, in)
}

// settle commits the turn of a message. When the commit went through, it logs and counts what was
// done and runs what follows (the dispatch the turn owes; keeping the board a queued request found);
// when the message was handled before (guard seen failed), it says so. It returns the guard that
// failed, 0 when none: any but seen means the turn must be decided again.
func (bt *Bot) settle(ctx context.Context, t *turn, seen commit.Guard) (commit.Guard, error) {
	failed, err := bt.apply.Apply(ctx, t.b)
	switch {
	case err != nil:
		return 0, err
	case failed == 0:
		bt.log.WithFields(t.fields).WithField("message", t.in.MessageSID).Info(t.action)
		bt.observed(t, true)
		if t.queuedBusy {
			bt.board.keep(t.match, t.now, t.rotaVersion)
		}
		if t.dispatch {
			bt.dispatchAfter(ctx, t)
		}
	case failed == seen:
		bt.log.WithField("message", t.in.MessageSID).Info("duplicate delivery ignored")
		bt.obs.Handled(KindDuplicate)
	}
	return failed, nil
}

// apologise answers a message that could not be acted on with a plain "please send it again", marked
// seen with it so a repeated delivery is not answered twice. A retry of the webhook could not fix it,
// so the webhook is answered as handled.
func (bt *Bot) apologise(ctx context.Context, in Inbound) error {
	t := &turn{in: in, now: bt.now(), b: commit.New(), fields: logrus.Fields{}}
	seen := bt.markSeen(t)
	var m templates.Message = templates.PersonTryAgain{}
	if r, _, ok := bt.rota.Cached(); ok {
		if _, isVol := r.ByPhone(in.From); isVol {
			m = templates.VolunteerTryAgain{}
		}
	}
	if err := bt.reply(t, m); err != nil {
		return err
	}
	failed, err := bt.apply.Apply(ctx, t.b)
	if err != nil {
		return fmt.Errorf("handle message %s: %w (and the apology failed: %w)", in.MessageSID, ErrContended, err)
	}
	if failed == seen {
		bt.log.WithField("message", in.MessageSID).Info("duplicate delivery ignored")
	}
	return nil
}

// who returns the keyed hash of number that log lines carry instead of it: the same number always
// gives the same hash (with the same LOG_HASH_SECRET), and the hash does not give the number back.
func (bt *Bot) who(number string) string {
	mac := hmac.New(sha256.New, bt.opt.LogKey)
	mac.Write([]byte(number))
	return hex.EncodeToString(mac.Sum(nil)[:6])
}

// markSeen adds to the turn's batch the guard that the message was not handled before, and the mark
// that it now is, so the effects and the mark are one atomic step. A text from someone who is not on
// the rota also counts for their rate limit, guarded on their being under it unless the turn knows
// they are over it (see flooded).
func (bt *Bot) markSeen(t *turn) commit.Guard {
	seen := t.b.Absent(bt.keys.seen(t.in.MessageSID))
	t.b.Do("SET", bt.keys.seen(t.in.MessageSID), "1", "EX", int(bt.opt.Retention/time.Second))
	if _, isVol := t.rota.ByPhone(t.in.From); isVol {
		return seen // volunteers and coordinators are not rate limited
	}
	rate := bt.keys.rate(t.in.From, t.now)
	if t.sent < bt.opt.RateLimit {
		t.b.Below(rate, bt.opt.RateLimit)
	}
	t.b.Do("INCR", rate)
	t.b.Do("EXPIRE", rate, 120)
	return seen
}

// load reads everything a decision needs in one pipelined round trip. What only some senders need is
// read only for them, as the rota last read says: the offers a volunteer holds, and the volunteers'
// WhatsApp windows when anyone on the rota prefers WhatsApp. If the rota read with it says otherwise
// (it moved), the read is made again with them.
func (bt *Bot) load(ctx context.Context, in Inbound) (*turn, bool, error) {
	cached, _, ok := bt.rota.Cached()
	_, vol := cached.ByPhone(in.From)
	return bt.loadWith(ctx, in, vol || !ok, !ok || anyWhatsApp(cached))
}

func (bt *Bot) loadWith(ctx context.Context, in Inbound, vol, wa bool) (*turn, bool, error) {
	now := bt.now()
	pipe := bt.rdb.Pipeline()
	seen := pipe.Exists(ctx, bt.keys.seen(in.MessageSID))
	rate := pipe.Get(ctx, bt.keys.rate(in.From, now))
	blocked := pipe.ZScore(ctx, bt.keys.blocks(), in.From)
	contacts := pipe.ZCount(ctx, bt.keys.contacts(in.From), strconv.FormatInt(now.Add(-bt.opt.RepeatWithin).UnixMilli(), 10), "+inf")
	r := bt.rota.Queue(ctx, pipe)
	offersOf := ""
	if vol {
		offersOf = in.From
	}
	// A person who is free may be opening a request: read what offering it needs in the same script.
	var ask *matcher.BoardAsk
	cached, before, cachedOK := bt.rota.Cached()
	if !vol && cachedOK {
		ask = &matcher.BoardAsk{Vols: cached.AvailableOnShiftAt(now), Now: now,
			Night: nightOf(now, bt.rota.Location()), LateSince: now.Add(-bt.opt.LateAccept)}
	}
	m := bt.match.QueueBoard(ctx, pipe, offersOf, bt.keys.party(in.From), ask, "req", "peer", "conv")
	p := pipe.HGetAll(ctx, bt.keys.party(in.From))
	var windows *redis.MapStringStringCmd
	if wa {
		windows = pipe.HGetAll(ctx, bt.keys.staffWA())
	}
	if _, err := pipe.Exec(ctx); err != nil && !errors.Is(err, redis.Nil) { // an empty rota has no version yet
		return nil, false, fmt.Errorf("load state: %w", err)
	}
	if seen.Val() == 1 {
		return nil, true, nil
	}
	t := &turn{in: in, now: now, b: commit.New(), fields: logrus.Fields{"who": bt.who(in.From)}, party: decodeParty(p.Val()),
		contacts: int(contacts.Val())}
	if windows != nil {
		t.staffWA = decodeWindows(windows.Val())
	}
	t.sent, _ = strconv.Atoi(rate.Val())
	if until := time.UnixMilli(int64(blocked.Val())); blocked.Err() == nil && until.After(now) {
		t.blockedUntil = until
	}
	var err error
	if t.rota, err = r.Result(ctx); err != nil {
		return nil, false, err
	}
	if _, isVol := t.rota.ByPhone(in.From); isVol && !vol || anyWhatsApp(t.rota) && !wa {
		return bt.loadWith(ctx, in, true, true) // the rota moved: read what it now calls for
	}
	if t.match, err = m.Result(); err != nil {
		return nil, false, err
	}
	if _, t.rotaVersion, _ = bt.rota.Cached(); t.rotaVersion != before {
		t.match.Board = nil // asked about another rota's volunteers
	}
	return t, false, nil
}

// anyWhatsApp reports whether anyone on r prefers WhatsApp.
func anyWhatsApp(r rota.Rota) bool {
	for _, v := range r.Volunteers {
		if v.Reach() == rota.WhatsApp {
			return true
		}
	}
	return false
}

// decide works out what the message means and adds its effects to the turn's batch.
func (bt *Bot) decide(ctx context.Context, t *turn) error {
	v, isVol := t.rota.ByPhone(t.in.From)
	if !isVol && t.sent >= bt.opt.RateLimit && !bt.risk.Match(t.in.Body) { // risk words are never dropped
		return bt.flooded(t)
	}
	if isVol {
		t.fields["volunteer"] = v.ID
		bt.touch(t, t.in.From)
		if t.in.Channel == phone.WhatsApp {
			t.b.Do("HSET", bt.keys.staffWA(), t.in.From, t.now.UnixMilli())
		}
		return bt.fromVolunteer(ctx, t, v)
	}
	bt.touch(t, t.in.From)
	return bt.fromPerson(ctx, t)
}

// send renders m and queues it to number on channel ch.
func (bt *Bot) send(t *turn, number string, ch phone.Channel, m templates.Message) error {
	return bt.sendValid(t, number, ch, m, 0)
}

func (bt *Bot) sendValid(t *turn, number string, ch phone.Channel, m templates.Message, valid time.Duration) error {
	return bt.queue(t, number, ch, m, valid, "")
}

// queue renders m and queues it to number on channel ch, dropped if not sent within valid (0: no limit),
// with ref for its status callbacks.
func (bt *Bot) queue(t *turn, number string, ch phone.Channel, m templates.Message, valid time.Duration, ref string) error {
	body, err := bt.tmpl.Render(m)
	if err != nil {
		return fmt.Errorf("render %s: %w", m.Template(), err)
	}
	if ch == "" {
		ch = phone.SMS
	}
	// Twilio refuses a body over 1,600 characters: a long text (a person's long message quoted or
	// relayed) goes as several, cut between words, so every word arrives. Status callbacks follow the
	// first part.
	for i, part := range templates.Split(body, templates.MaxChars) {
		if i > 0 {
			ref = ""
		}
		bt.out.Queue(t.b, outbox.Message{To: number, Channel: ch, Body: part, Kind: m.Template(), ValidFor: valid, Ref: ref})
	}
	return nil
}

// words returns what the sender wrote, to pass on: pictures and files are never passed on, only said
// (a text with none and a picture reads "(a picture)").
func (bt *Bot) words(t *turn) (string, error) {
	if t.in.Media == 0 {
		return bt.checkinWords(t, t.in.Body)
	}
	note, err := bt.tmpl.Render(templates.MediaNote{WithText: t.in.Body != ""})
	if err != nil {
		return "", fmt.Errorf("render %s: %w", templates.MediaNote{}.Template(), err)
	}
	if t.in.Body == "" {
		return bt.checkinWords(t, note)
	}
	return bt.checkinWords(t, t.in.Body+" "+note)
}

// reply queues m back to the sender, on the channel they used.
func (bt *Bot) reply(t *turn, m templates.Message) error {
	return bt.send(t, t.in.From, t.in.Channel, m)
}
