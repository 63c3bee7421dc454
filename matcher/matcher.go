// Package matcher decides who is offered a request and makes accepting it atomic: whatever the timing of
// concurrent replies, the first acceptance wins, exactly once. It owns requests, offers and the index of
// volunteers who are in a conversation, under pl:{line}:match:.
package matcher

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"maps"
	"math/big"
	"slices"
	"sort"
	"strconv"
	"time"

	"github.com/redis/go-redis/v9"

	"peerline/commit"
	"peerline/phone"
	"peerline/rota"
)

// ErrNotFound is returned for a request code that does not exist (or has expired).
var ErrNotFound = errors.New("request not found")

// Request statuses.
const (
	Open       = "open"       // offered, nobody has accepted yet
	Matched    = "matched"    // a volunteer accepted; the two are talking
	Closed     = "closed"     // the conversation ended
	Unanswered = "unanswered" // nobody could take it; the person got the fallback signpost
	Withdrawn  = "withdrawn"  // the person opted out before anyone accepted
)

// lateKeep is how long what the person wrote is kept after nobody took their request in time, so a
// volunteer who takes it late (within the bot's late window) can read it.
const lateKeep = 2 * time.Hour

// retention is how long a request's record (which holds the person's number) is kept.
const retention = 7 * 24 * time.Hour

// Request is one person's ask for support.
type Request struct {
	Code      string
	Status    string
	Person    string        // E.164
	Channel   phone.Channel // where the person last wrote from
	Said      []string      // what the person wrote before anyone accepted
	Volunteer string        // volunteer id, once matched
	Offered   int           // how many volunteers were offered it
	Passes    int           // how many of them passed
	Created   time.Time
	Tier      int             // 1 while offered to the first few, 2 once widened to everyone on shift
	Paged     bool            // the on-call coordinator was paged about it
	OfferedTo map[string]bool // ids of the volunteers (and coordinators) offered it so far
	PassedBy  map[string]bool // ids of those who let it go
}

// Matcher keeps requests and offers for one line.
type Matcher struct {
	rdb    redis.UniversalClient
	prefix string
}

// New returns the matcher of line.
func New(rdb redis.UniversalClient, line string) *Matcher {
	return &Matcher{rdb: rdb, prefix: "pl:{" + line + "}:match:"}
}

// State is what the matcher knows about one sender and the line, read in the caller's round trip.
type State struct {
	Offers  map[string]time.Time // open offers to the sender (a volunteer), by code
	Active  map[string]string    // volunteer id -> conversation code; read only for a free sender
	Chats   int                  // conversations going on now
	Waiting int                  // open requests nobody has accepted yet
}

// activeIfFree reads the line's live chats only for a sender who may need them: one who is neither in a
// chat nor waiting for one (a new request is offered to volunteers who are free; a coordinator's STATUS
// counts them). For everyone else, most messages, the read stays small however many chats there are.
// KEYS[1]: the sender's state hash; KEYS[2]: the live chats (volunteer id -> code).
// ARGV: the fields of KEYS[1] that mean the sender is in a chat or waiting.
// Returns HGETALL KEYS[2] as a flat list, or an empty list.
var activeIfFree = redis.NewScript(`
for _, f in ipairs(ARGV) do
  if redis.call("HEXISTS", KEYS[1], f) == 1 then return {} end
end
return redis.call("HGETALL", KEYS[2])`)

// Pending is a state read queued on a pipeline.
type Pending struct {
	offers      *redis.MapStringStringCmd
	active      *redis.Cmd
	chats, open *redis.IntCmd
}

// Queue queues a read of the offers to phone, of the line's counts and, if the hash at senderKey has
// none of busyFields, of the line's live chats.
func (m *Matcher) Queue(ctx context.Context, pipe redis.Pipeliner, phone, senderKey string, busyFields ...string) *Pending {
	args := make([]any, len(busyFields))
	for i, f := range busyFields {
		args[i] = f
	}
	return &Pending{
		offers: pipe.HGetAll(ctx, m.offersKey(phone)),
		active: activeIfFree.Eval(ctx, pipe, []string{senderKey, m.activeKey()}, args...),
		chats:  pipe.HLen(ctx, m.activeKey()),
		open:   pipe.ZCard(ctx, m.openKey()),
	}
}

// Result decodes the queued read.
func (p *Pending) Result() (State, error) {
	offers, err := p.offers.Result()
	if err != nil {
		return State{}, fmt.Errorf("read offers: %w", err)
	}
	flat, err := p.active.StringSlice()
	if err != nil {
		return State{}, fmt.Errorf("read active conversations: %w", err)
	}
	if err := errors.Join(p.chats.Err(), p.open.Err()); err != nil {
		return State{}, fmt.Errorf("count conversations and open requests: %w", err)
	}
	s := State{Offers: map[string]time.Time{}, Active: map[string]string{}, Chats: int(p.chats.Val()), Waiting: int(p.open.Val())}
	for i := 0; i+1 < len(flat); i += 2 {
		s.Active[flat[i]] = flat[i+1]
	}
	for code, at := range offers {
		n, _ := strconv.ParseInt(at, 10, 64)
		s.Offers[code] = time.Unix(n, 0)
	}
	return s, nil
}

// Oldest returns the code of the offer made longest ago (the person who has waited longest), if any.
func (s State) Oldest() (string, bool) {
	codes := slices.Collect(maps.Keys(s.Offers))
	if len(codes) == 0 {
		return "", false
	}
	sort.Slice(codes, func(i, j int) bool {
		a, b := s.Offers[codes[i]], s.Offers[codes[j]]
		return a.Before(b) || (a.Equal(b) && codes[i] < codes[j])
	})
	return codes[0], true
}

// Eligible returns who to offer a new request at t: volunteers on shift, available, not in a conversation.
func Eligible(r rota.Rota, s State, t time.Time) []rota.Volunteer {
	var out []rota.Volunteer
	for _, v := range r.OnShiftAt(t) {
		if r.Available(v.ID) && s.Active[v.ID] == "" {
			out = append(out, v)
		}
	}
	return out
}

// Request reads request code, with what the person said while waiting, in one round trip.
func (m *Matcher) Request(ctx context.Context, code string) (Request, error) {
	pipe := m.rdb.Pipeline()
	hash := pipe.HGetAll(ctx, m.requestKey(code))
	said := pipe.LRange(ctx, m.saidKey(code), 0, -1)
	to := pipe.SMembers(ctx, m.offeredKey(code))
	passed := pipe.SMembers(ctx, m.passedKey(code))
	if _, err := pipe.Exec(ctx); err != nil {
		return Request{}, fmt.Errorf("read request %s: %w", code, err)
	}
	h := hash.Val()
	if len(h) == 0 {
		return Request{}, fmt.Errorf("request %s: %w", code, ErrNotFound)
	}
	offered, _ := strconv.Atoi(h["offered"])
	passes, _ := strconv.Atoi(h["passes"])
	created, _ := strconv.ParseInt(h["created"], 10, 64)
	tier, _ := strconv.Atoi(h["tier"])
	req := Request{
		Code: code, Status: h["status"], Person: h["person"], Channel: phone.Channel(h["channel"]),
		Said: said.Val(), Volunteer: h["volunteer"], Offered: offered, Passes: passes,
		Created: time.Unix(created, 0), Tier: max(tier, 1), Paged: h["paged"] != "", OfferedTo: map[string]bool{},
	}
	for _, id := range to.Val() {
		req.OfferedTo[id] = true
	}
	req.PassedBy = map[string]bool{}
	for _, id := range passed.Val() {
		req.PassedBy[id] = true
	}
	return req, nil
}

// codeAlphabet leaves out letters and digits that are easy to misread (0/O, 1/I/L, 5/S, 2/Z, 8/B).
const codeAlphabet = "34679ACDEFGHJKMNPQRTUVWXY"

// NewCode returns a fresh request code such as "R7K2".
func NewCode() string {
	b := []byte{'R', 0, 0, 0}
	for i := 1; i < len(b); i++ {
		n, _ := rand.Int(rand.Reader, big.NewInt(int64(len(codeAlphabet))))
		b[i] = codeAlphabet[n.Int64()]
	}
	return string(b)
}

// Open adds to b a new request offered to vols (status Open), or recorded as Unanswered when vols is
// empty, with its history (EventNew at req.Created, then EventUnanswered if nobody was offered it). The
// guard fails if the code is already in use; the caller then tries another code.
func (m *Matcher) Open(b *commit.Batch, req Request, vols []rota.Volunteer) commit.Guard {
	k := m.requestKey(req.Code)
	g := b.Absent(k)
	status := Open
	if len(vols) == 0 {
		status = Unanswered
	}
	b.Do("HSET", k, "status", status, "person", req.Person, "channel", string(req.Channel),
		"offered", len(vols), "passes", 0, "created", req.Created.Unix(), "tier", max(req.Tier, 1))
	b.Do("EXPIRE", k, int(retention/time.Second))
	m.record(b, Event{Kind: EventNew, Code: req.Code, At: req.Created, Channel: req.Channel})
	if status == Unanswered {
		m.record(b, Event{Kind: EventUnanswered, Code: req.Code, At: req.Created, Created: req.Created})
	}
	if status == Open {
		b.Do("ZADD", m.openKey(), req.Created.Unix(), req.Code)
		for _, said := range req.Said {
			m.Say(b, req.Code, req.Channel, said)
		}
	}
	m.offer(b, req.Code, vols, req.Created)
	return g
}

// offer adds to b offers of code to vols at time at, remembered as offered for the request and, for
// fairness, as each volunteer's latest offer.
func (m *Matcher) offer(b *commit.Batch, code string, vols []rota.Volunteer, at time.Time) {
	for _, v := range vols {
		ok := m.offersKey(v.Phone)
		b.Do("HSET", ok, code, at.Unix())
		b.Do("EXPIRE", ok, int(retention/time.Second))
		b.Do("SADD", m.offeredKey(code), v.ID)
		b.Do("HSET", m.lastOfferKey(), v.ID, at.UnixMilli())
	}
	if len(vols) > 0 {
		b.Do("EXPIRE", m.offeredKey(code), int(retention/time.Second))
	}
}

// Say adds to b one more text the person wrote while nobody has accepted yet; ch is where they wrote
// from, so the volunteer's replies go back there.
func (m *Matcher) Say(b *commit.Batch, code string, ch phone.Channel, text string) {
	k := m.saidKey(code)
	b.Do("RPUSH", k, text)
	b.Do("LTRIM", k, -maxSaid, -1)
	b.Do("EXPIRE", k, int(retention/time.Second))
	b.Do("HSET", m.requestKey(code), "channel", string(ch))
}

// Claim adds to b the atomic claim of req by volunteer v at time at: it holds only while the request is
// still open and v is in no other conversation, so among concurrent claims exactly one is applied (and
// recorded in the history).
func (m *Matcher) Claim(b *commit.Batch, req Request, v rota.Volunteer, at time.Time) {
	m.claim(b, req, v, at, Open)
	b.Do("ZREM", m.openKey(), req.Code)
	b.Do("DEL", m.saidKey(req.Code))
}

// claim adds to b the claim of req by v, guarded on the request's status being from and v being free.
func (m *Matcher) claim(b *commit.Batch, req Request, v rota.Volunteer, at time.Time, from string) {
	k := m.requestKey(req.Code)
	b.Field(k, "status", from)
	b.Field(m.activeKey(), v.ID, "")
	b.Do("HSET", k, "status", Matched, "volunteer", v.ID, "matched", at.UnixMilli())
	m.record(b, Event{Kind: EventMatched, Code: req.Code, At: at, Created: req.Created, Volunteer: v.ID})
	b.Do("HSET", m.activeKey(), v.ID, req.Code)
	b.Do("HDEL", m.offersKey(v.Phone), req.Code)
	b.Do("HSET", m.lastOfferKey(), v.ID, at.UnixMilli())
}

// Pass adds to b volunteer v passing on req; it reports whether that was the last offer outstanding,
// so the caller can widen, page or give up. The guards make a pass count once, even when two volunteers
// pass at the same moment.
func (m *Matcher) Pass(b *commit.Batch, req Request, v rota.Volunteer) (last bool) {
	k := m.requestKey(req.Code)
	b.HasField(m.offersKey(v.Phone), req.Code, true)
	b.Field(k, "status", Open)
	b.Field(k, "passes", strconv.Itoa(req.Passes))
	b.Do("HDEL", m.offersKey(v.Phone), req.Code)
	b.Do("HSET", k, "passes", req.Passes+1)
	b.Do("SADD", m.passedKey(req.Code), v.ID)
	b.Do("EXPIRE", m.passedKey(req.Code), int(retention/time.Second))
	return req.Passes+1 >= req.Offered
}

// GiveUp adds to b marking an open request Unanswered at time at, because nobody accepted it in time.
func (m *Matcher) GiveUp(b *commit.Batch, req Request, at time.Time) {
	b.Field(m.requestKey(req.Code), "status", Open)
	m.unanswered(b, req, at)
}

func (m *Matcher) unanswered(b *commit.Batch, req Request, at time.Time) {
	b.Do("HSET", m.requestKey(req.Code), "status", Unanswered)
	b.Do("ZREM", m.openKey(), req.Code)
	b.Do("EXPIRE", m.saidKey(req.Code), int(lateKeep/time.Second)) // for a late taker, then gone
	m.record(b, Event{Kind: EventUnanswered, Code: req.Code, At: at, Created: req.Created})
}

// Drop adds to b the removal of an offer that can no longer be taken.
func (m *Matcher) Drop(b *commit.Batch, code string, v rota.Volunteer) {
	b.Do("HDEL", m.offersKey(v.Phone), code)
}

// End adds to b, at time at, the end of request code's conversation with volunteer id (status Closed),
// or the withdrawal of an open request (status Withdrawn, when id is ""). since is when the conversation
// began, or for a withdrawal when the request was opened; the zero time when the caller does not know.
func (m *Matcher) End(b *commit.Batch, code, id string, at, since time.Time) {
	k := m.requestKey(code)
	if id == "" {
		b.Field(k, "status", Open)
		b.Do("HSET", k, "status", Withdrawn)
		b.Do("ZREM", m.openKey(), code)
		b.Do("DEL", m.saidKey(code))
		m.record(b, Event{Kind: EventWithdrawn, Code: code, At: at, Created: since})
		return
	}
	b.Field(m.activeKey(), id, code)
	b.Do("HSET", k, "status", Closed)
	b.Do("HDEL", m.activeKey(), id)
	m.record(b, Event{Kind: EventEnded, Code: code, At: at, Volunteer: id, Matched: since})
}
