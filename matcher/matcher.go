// Package matcher keeps the line's waiting queue and decides who is offered which request, and makes
// accepting one atomic: whatever the timing of concurrent replies, the first acceptance wins, exactly
// once. It owns requests, offers, the queue and the index of volunteers who are in a conversation,
// under pl:{line}:match:.
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
	"strings"
	"sync"
	"time"

	"github.com/redis/go-redis/v9"

	"peerline/phone"
	"peerline/rota"
)

// ErrNotFound is returned for a request code that does not exist (or has expired).
var ErrNotFound = errors.New("request not found")

// Request statuses.
const (
	Open       = "open"       // waiting in the queue: nobody has accepted yet
	Matched    = "matched"    // a volunteer accepted; the two are talking
	Closed     = "closed"     // the conversation ended
	Unanswered = "unanswered" // nobody took it in time; the person got the signpost (a late taker may still)
	Withdrawn  = "withdrawn"  // the person opted out before anyone accepted
)

// What a waiting person has been told so far. Status texts only move forward: each is sent once, and
// never after a later one.
const (
	ToldNothing     = 0
	ToldAck         = 1 // acknowledged, or told everyone is busy and they are in the queue
	ToldStill       = 2 // told the search goes on
	ToldCoordinator = 3 // told the on-call coordinator has been asked
)

// lateKeep is how long what the person wrote is kept after nobody took their request in time, so a
// volunteer who takes it late (within the bot's late window) can read it.
const lateKeep = 2 * time.Hour

// Default keeping times; see Keep.
const (
	defaultRetention = 7 * 24 * time.Hour
	defaultHistory   = 400 * 24 * time.Hour
)

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
	Tier      int  // 1 while at most the first few may hold it at once, 2 once widened to everyone
	Urgent    bool // the person used risk words: first in the queue, offered to everyone at once
	Earlier   bool // urgent because the person used risk words before it, within a day (not in it)
	// Repeat is how many requests the same number opened within the repeat-contact window before this
	// one (REPEAT_CONTACT); only the history keeps it, for the outcomes' repeat contacts.
	Repeat   int
	Wants    []string // tags the person asked for (such as women-only), preferred while in tier 1
	Paged    bool     // an on-call coordinator was paged about it
	BusyTold bool     // the coordinators on call, all in chats, were told the line needs help
	Told     int      // the furthest status text the person has had (ToldAck...)
	// LateOffered is when a volunteer was last offered it after its person was signposted.
	LateOffered time.Time
	OfferedTo   map[string]bool // ids of the volunteers (and coordinators) offered it so far
	PassedBy    map[string]bool // ids of those who let it go
	Holders     map[string]bool // ids of those who hold its offer now
	// Fresh marks a request opened in the same batch: changes to it need no guards on earlier state.
	Fresh bool
}

// Matcher keeps requests and offers for one line.
type Matcher struct {
	rdb       redis.UniversalClient
	prefix    string
	retention time.Duration // how long a request's record (which holds the person's number) is kept
	history   time.Duration // how long the report history is kept
	trial     bool          // local trial mode: history events are marked as such
	live      *live
}

// New returns the matcher of line, keeping requests 7 days and the history 400 days (see Keep).
func New(rdb redis.UniversalClient, line string) *Matcher {
	return &Matcher{rdb: rdb, prefix: "pl:{" + line + "}:match:", retention: defaultRetention, history: defaultHistory,
		live: &live{}}
}

// Trial marks every history event m records from now on as local trial mode's, so a real line's
// reports can leave the demo out; it returns m.
func (m *Matcher) Trial(on bool) *Matcher {
	m.trial = on
	return m
}

// InTrial reports whether m records local trial mode's events (see Trial).
func (m *Matcher) InTrial() bool { return m.trial }

// Keep sets how long a request's record is kept after its last change (it holds the person's number)
// and how long the report history is kept (it holds codes and times only), and returns m.
func (m *Matcher) Keep(retention, history time.Duration) *Matcher {
	if retention > 0 {
		m.retention = retention
	}
	if history > 0 {
		m.history = history
	}
	return m
}

// State is what the matcher knows about one sender and the line, read in the caller's round trip.
type State struct {
	Offers     map[string]time.Time // offers of waiting requests the sender (a volunteer) holds, by code
	LateOffers map[string]time.Time // offers of signposted requests the sender may still take, by code
	Active     map[string]string    // volunteer id -> conversation code; read only for a free sender
	Chats      int                  // conversations going on now
	Waiting    int                  // requests in the queue
	// ActiveRead says Active was read (the sender is free); ActiveVersion is then its version, which
	// QueueIdle takes to know the live chats have not changed since.
	ActiveRead    bool
	ActiveVersion string
	// Board is, when QueueBoard was asked for it and nothing waited, what Plan needs of the volunteers
	// asked about who are in no chat; nil otherwise.
	Board *NewBoard
}

// activeIfFree reads the line's live chats only for a sender who may need them: one who is neither in a
// chat nor waiting for one (a new request is offered to volunteers who are free; a coordinator's STATUS
// counts them). For everyone else, most messages, the read stays small however many chats there are:
// only their count. The chats are sent only when their version is not the one the caller holds already.
// It also counts the waiting requests. Given candidates (volunteers on shift and available), for a free
// sender when nothing waits (the queue is empty and nobody was signposted since lateSince), it also
// reads what Plan needs of those in no chat: the offers they hold, their fairness record, and their
// chats of the last week and a half for their limits (see NewBoard). When something waits, it reads how
// many offers each of those holds, and sends them only if every one holds at least one (nobody idle).
// KEYS[1]: the sender's state hash; KEYS[2]: the live chats (volunteer id -> code); KEYS[3]: the queue;
// KEYS[4]: the live chats' version counter; KEYS[5]: the late list; KEYS[6]: the fairness record;
// KEYS[4+3i...6+3i]: the i-th candidate's offers, chats and chats ended.
// ARGV[1]: the version of the live chats the caller holds ("" for none); ARGV[2]: n, the number of
// busy fields; ARGV[3...2+n]: the fields of KEYS[1] that mean the sender is in a chat or waiting;
// ARGV[3+n]: lateSince (unix ms); ARGV[4+n]: the start of the chats read (unix ms); ARGV[5+n]: 1 when
// the candidates are only those in no chat as the live chats the caller holds have it (the board is then
// read only if those are current), 0 when they are all; then the candidates' ids.
// Returns {chats, waiting, flat, version, read, board}: the number of live chats (-1 when the caller
// holds them), of waiting requests, HGETALL KEYS[2] as a flat list (empty for a busy sender, or when the
// caller holds them), the live chats' version ("" when never set), 1 when they were read (0 for a busy
// sender), and board: empty when not read, else {1, {id, offers held, last offered (ms or ""), chats
// with scores (flat), chats ended (flat)}...} for each candidate in no chat; or, when something waits and
// each holds an offer, {2, {id, offers held, "", {}, {}}...}.
var activeIfFree = redis.NewScript(`
local waiting = redis.call("ZCARD", KEYS[3])
local n = tonumber(ARGV[2])
for _, v in ipairs(redis.call("HMGET", KEYS[1], unpack(ARGV, 3, 2 + n))) do
  if v then return {redis.call("HLEN", KEYS[2]), waiting, {}, "", 0, {}} end
end
local version = redis.call("GET", KEYS[4]) or ""
local held = version ~= "" and version == ARGV[1]
local flat, busy = {}, {}
if not held then
  flat = redis.call("HGETALL", KEYS[2])
  for i = 1, #flat, 2 do busy[flat[i]] = true end
end
local board = {}
local base = 2 + n
if #KEYS >= 6 and (held or ARGV[base + 3] == "0") then
  local quiet = waiting == 0 and redis.call("ZCOUNT", KEYS[5], ARGV[base + 1], "+inf") == 0
  board[1] = quiet and 1 or 2
  local k = 7
  for i = base + 4, #ARGV do
    local id = ARGV[i]
    if not busy[id] then
      if quiet then
        board[#board + 1] = {id, redis.call("HLEN", KEYS[k]), redis.call("HGET", KEYS[6], id) or "",
          redis.call("ZRANGEBYSCORE", KEYS[k + 1], ARGV[base + 2], "+inf", "WITHSCORES"), redis.call("HGETALL", KEYS[k + 2])}
      else
        local held = redis.call("HLEN", KEYS[k])
        if held == 0 then
          board = {}
          break
        end
        board[#board + 1] = {id, held, "", {}, {}}
      end
    end
    k = k + 3
  end
end
if held then return {-1, waiting, {}, version, 1, board} end
return {#flat / 2, waiting, flat, version, 1, board}`)

// live holds the line's live chats as last read, at a version of activeVersionKey: a free sender's
// read then sends them again only when they changed.
type live struct {
	mu      sync.Mutex
	version string
	active  map[string]string // never changed once kept: callers share it
}

func (l *live) get() (string, map[string]string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.version, l.active
}

func (l *live) keep(version string, active map[string]string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.version, l.active = version, active
}

// Pending is a state read queued on a pipeline.
type Pending struct {
	m            *Matcher
	offers, late *redis.MapStringStringCmd
	active       *redis.Cmd
	held         map[string]string // the live chats the read was sent holding
	ask          *BoardAsk
}

// Queue queues a read of the offers to phone (none when phone is empty: the sender is not a volunteer),
// of the line's counts and, if the hash at senderKey has none of busyFields, of the line's live chats.
func (m *Matcher) Queue(ctx context.Context, pipe redis.Pipeliner, phone, senderKey string, busyFields ...string) *Pending {
	return m.QueueBoard(ctx, pipe, phone, senderKey, nil, busyFields...)
}

// QueueBoard is Queue that, given ask, also reads for a free sender, when nothing waits, what Plan needs
// of ask's volunteers who are in no chat: State.Board.
func (m *Matcher) QueueBoard(ctx context.Context, pipe redis.Pipeliner, phone, senderKey string, ask *BoardAsk,
	busyFields ...string) *Pending {
	version, held := m.live.get()
	args := make([]any, 0, len(busyFields)+4)
	args = append(args, version, len(busyFields))
	for _, f := range busyFields {
		args = append(args, f)
	}
	keys := []string{senderKey, m.activeKey(), m.openKey(), m.activeVersionKey()}
	if ask != nil {
		keys = append(keys, m.lateKey(), m.lastOfferKey())
		// With live chats held, only those in none are sent: the script reads the board only if they
		// are current. Otherwise all are, and the script leaves out those in a chat.
		filtered := 0
		if version != "" {
			filtered = 1
		}
		args = append(args, ask.LateSince.UnixMilli(), ask.Now.Add(-workloadWindow).UnixMilli(), filtered)
		for _, v := range ask.Vols {
			if filtered == 0 || held[v.ID] == "" {
				keys = append(keys, m.offersKey(v.Phone), m.chatsKey(v.ID), m.chatsEndedKey(v.ID))
				args = append(args, v.ID)
			}
		}
	}
	p := &Pending{m: m, held: held, ask: ask, active: activeIfFree.Eval(ctx, pipe, keys, args...)}
	if phone != "" {
		p.offers, p.late = pipe.HGetAll(ctx, m.offersKey(phone)), pipe.HGetAll(ctx, m.lateOffersKey(phone))
	}
	return p
}

// Result decodes the queued read. Its State.Active may be shared with other reads: never change it.
func (p *Pending) Result() (State, error) {
	var offers, late map[string]string
	if p.offers != nil {
		var err error
		if offers, err = p.offers.Result(); err != nil {
			return State{}, fmt.Errorf("read offers: %w", err)
		}
		if late, err = p.late.Result(); err != nil {
			return State{}, fmt.Errorf("read late offers: %w", err)
		}
	}
	res, err := p.active.Slice()
	if err != nil {
		return State{}, fmt.Errorf("read active conversations: %w", err)
	}
	if len(res) != 6 {
		return State{}, fmt.Errorf("read active conversations: %d values, want 6", len(res))
	}
	chats, _ := res[0].(int64)
	waiting, _ := res[1].(int64)
	flat, _ := res[2].([]any)
	version, _ := res[3].(string)
	read, _ := res[4].(int64)
	s := State{Offers: unixTimes(offers), LateOffers: unixTimes(late), Active: map[string]string{},
		Chats: int(chats), Waiting: int(waiting), ActiveVersion: version, ActiveRead: read == 1}
	if board, _ := res[5].([]any); len(board) > 0 && p.ask != nil {
		s.Board = decodeBoard(board[1:], *p.ask)
		s.Board.Busy = board[0] == int64(2)
	}
	if chats < 0 { // the chats held are current
		s.Active, s.Chats = p.held, len(p.held)
		return s, nil
	}
	for i := 0; i+1 < len(flat); i += 2 {
		k, _ := flat[i].(string)
		v, _ := flat[i+1].(string)
		s.Active[k] = v
	}
	if s.ActiveRead && version != "" {
		p.m.live.keep(version, s.Active)
	}
	return s, nil
}

func unixTimes(h map[string]string) map[string]time.Time {
	out := make(map[string]time.Time, len(h))
	for k, v := range h {
		n, _ := strconv.ParseInt(v, 10, 64)
		out[k] = time.Unix(n, 0)
	}
	return out
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

// Eligible returns the volunteers who are free at t: on shift, available, not in a conversation.
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
	holders := pipe.SMembers(ctx, m.holdersKey(code))
	if _, err := pipe.Exec(ctx); err != nil {
		return Request{}, fmt.Errorf("read request %s: %w", code, err)
	}
	h := hash.Val()
	if len(h) == 0 {
		return Request{}, fmt.Errorf("request %s: %w", code, ErrNotFound)
	}
	req := decodeRequest(code, h)
	req.Said = said.Val()
	req.OfferedTo, req.PassedBy, req.Holders = set(to.Val()), set(passed.Val()), set(holders.Val())
	return req, nil
}

// decodeRequest reads a request's hash.
func decodeRequest(code string, h map[string]string) Request {
	created, _ := strconv.ParseInt(h["created"], 10, 64)
	tier, _ := strconv.Atoi(h["tier"])
	told, _ := strconv.Atoi(h["told"])
	var wants []string
	if h["wants"] != "" {
		wants = strings.Split(h["wants"], ",")
	}
	return Request{
		Code: code, Status: h["status"], Person: h["person"], Channel: phone.Channel(h["channel"]),
		Volunteer: h["volunteer"], Offered: atoi(h["offered"]), Passes: atoi(h["passes"]),
		Created: time.Unix(created, 0), Tier: max(tier, 1), Urgent: h["urgent"] != "", Wants: wants,
		Earlier: h["earlier"] != "",
		Paged:   h["paged"] != "", BusyTold: h["busytold"] != "", Told: told, LateOffered: seconds(h["lateoffered"]),
		OfferedTo: map[string]bool{}, PassedBy: map[string]bool{}, Holders: map[string]bool{},
	}
}

func set(members []string) map[string]bool {
	out := make(map[string]bool, len(members))
	for _, id := range members {
		out[id] = true
	}
	return out
}

// codeAlphabet leaves out letters and digits that are easy to misread (0/O, 1/I/L, 5/S, 2/Z, 8/B).
const codeAlphabet = "34679ACDEFGHJKMNPQRTUVWXY"

// NewCode returns a fresh request code such as "R7K2".
func NewCode() string { return NewCodeWith('R') }

// NewCodeWith returns a fresh code of kind (its first letter, such as C for an ask to cover), in the
// request codes' alphabet.
func NewCodeWith(kind byte) string {
	b := []byte{kind, 0, 0, 0}
	for i := 1; i < len(b); i++ {
		n, _ := rand.Int(rand.Reader, big.NewInt(int64(len(codeAlphabet))))
		b[i] = codeAlphabet[n.Int64()]
	}
	return string(b)
}

// LooksLikeCode reports whether s (in any case, with or without a leading #) has the shape of a request
// code, such as R7K2.
func LooksLikeCode(s string) bool {
	s = strings.TrimPrefix(strings.ToUpper(s), "#")
	if len(s) != 4 || s[0] != 'R' {
		return false
	}
	for i := 1; i < len(s); i++ {
		if !strings.ContainsRune(codeAlphabet, rune(s[i])) {
			return false
		}
	}
	return true
}
