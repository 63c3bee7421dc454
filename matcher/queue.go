package matcher

import (
	"context"
	"fmt"
	"slices"
	"sort"
	"strconv"
	"time"

	"github.com/redis/go-redis/v9"

	"peerline/commit"
	"peerline/rota"
)

// The waiting queue: requests nobody has taken wait in order, the most urgent first and then the
// oldest, and whenever a volunteer is free with no offer to answer, they are offered the first one
// they may take. After them come the requests whose person was signposted, which a volunteer who is
// free may still take for a while (most recently signposted first: that person is likeliest still to
// want to talk).

// Board is what dispatch needs to know about the queue and the free volunteers, read in at most two
// round trips.
type Board struct {
	Queue     []Request            // waiting requests in queue order, then late ones (Status Unanswered)
	Holds     map[string]int       // volunteer id -> offers of waiting requests they hold
	LateHolds map[string]time.Time // volunteer id -> when they were last offered a request still in the late list
	Last      map[string]time.Time // volunteer id -> when last offered a request or matched
	Active    map[string]string    // volunteer id -> the conversation they are in
	// Free are the volunteers ReadBoard was asked about who are in no chat and have room for one; empty
	// when nothing waits.
	Free []rota.Volunteer
}

// boardLimit bounds how many waiting (and how many late) requests one dispatch looks at; boardPage is
// how many it reads at a time, until every free volunteer with no offer has one they may take.
const (
	boardLimit = 1000
	boardPage  = 50
)

// ReadBoard reads the queue, the late list (requests signposted since lateSince), who is in a chat and,
// for each of vols who is not and whom room keeps (room filters volunteers by their wellbeing limits; nil
// keeps everyone), the offers they hold. Those are the board's Free. It reads the volunteers' limits
// only when something waits, and only for volunteers who are not in a chat, and the requests themselves
// only when one of Free holds no offer (nobody else could be offered anything): one round trip when
// nothing waits, three on a busy night, four when someone is free.
func (m *Matcher) ReadBoard(ctx context.Context, vols []rota.Volunteer, lateSince time.Time,
	room func(context.Context, []rota.Volunteer) ([]rota.Volunteer, error)) (Board, error) {
	pipe := m.rdb.Pipeline()
	open := pipe.ZRange(ctx, m.openKey(), 0, boardLimit-1)
	late := m.queueLate(ctx, pipe, lateSince, boardLimit)
	last := pipe.HGetAll(ctx, m.lastOfferKey())
	active := pipe.HGetAll(ctx, m.activeKey())
	if _, err := pipe.Exec(ctx); err != nil {
		return Board{}, fmt.Errorf("read the queue: %w", err)
	}
	b := Board{Holds: map[string]int{}, LateHolds: map[string]time.Time{}, Last: lastOffers(last.Val()), Active: active.Val()}
	codes := append(open.Val(), late.Val()...)
	if len(codes) == 0 {
		return b, nil
	}
	var free []rota.Volunteer
	for _, v := range vols {
		if b.Active[v.ID] == "" {
			free = append(free, v)
		}
	}
	if room != nil && len(free) > 0 {
		var err error
		if free, err = room(ctx, free); err != nil {
			return Board{}, err
		}
	}
	b.Free = free
	if len(free) == 0 {
		return b, nil
	}
	pipe = m.rdb.Pipeline()
	holds := make([]*redis.IntCmd, len(free))
	lates := make([]*redis.MapStringStringCmd, len(free))
	for i, v := range free {
		holds[i] = pipe.HLen(ctx, m.offersKey(v.Phone))
		lates[i] = pipe.HGetAll(ctx, m.lateOffersKey(v.Phone))
	}
	if _, err := pipe.Exec(ctx); err != nil {
		return Board{}, fmt.Errorf("read the offers of %d free volunteers: %w", len(free), err)
	}
	inLate := set(late.Val())
	idle := false
	for i, v := range free {
		b.Holds[v.ID] = int(holds[i].Val())
		for code, at := range unixTimes(lates[i].Val()) {
			if inLate[code] && at.After(b.LateHolds[v.ID]) {
				b.LateHolds[v.ID] = at
			}
		}
		idle = idle || b.Holds[v.ID] == 0
	}
	if !idle {
		return b, nil
	}
	for len(codes) > 0 && !b.servesIdle(free) {
		page := codes[:min(boardPage, len(codes))]
		codes = codes[len(page):]
		reqs, err := m.requests(ctx, page)
		if err != nil {
			return Board{}, err
		}
		b.Queue = append(b.Queue, reqs...)
	}
	return b, nil
}

// servesIdle reports whether the queue read so far has, for every volunteer of free who holds no offer,
// a request they have neither passed on nor hold: reading further would change no first choice.
func (b Board) servesIdle(free []rota.Volunteer) bool {
	for _, v := range free {
		if b.Holds[v.ID] > 0 {
			continue
		}
		if !slices.ContainsFunc(b.Queue, func(r Request) bool { return !r.PassedBy[v.ID] && !r.Holders[v.ID] }) {
			return false
		}
	}
	return true
}

// Queued reads the head of the queue in order, at most boardPage of each kind: the waiting requests,
// then those whose person was signposted since lateSince (most recent first).
func (m *Matcher) Queued(ctx context.Context, lateSince time.Time) ([]Request, error) {
	pipe := m.rdb.Pipeline()
	open := pipe.ZRange(ctx, m.openKey(), 0, boardPage-1)
	late := m.queueLate(ctx, pipe, lateSince, boardPage)
	if _, err := pipe.Exec(ctx); err != nil {
		return nil, fmt.Errorf("read the queue: %w", err)
	}
	return m.requests(ctx, append(open.Val(), late.Val()...))
}

func (m *Matcher) queueLate(ctx context.Context, pipe redis.Pipeliner, since time.Time, limit int64) *redis.StringSliceCmd {
	return pipe.ZRevRangeByScore(ctx, m.lateKey(), &redis.ZRangeBy{
		Min: strconv.FormatInt(since.UnixMilli(), 10), Max: "+inf", Count: limit})
}

// PruneLate removes from the late list the requests signposted before t: they are no longer offered.
func (m *Matcher) PruneLate(ctx context.Context, t time.Time) error {
	err := m.rdb.ZRemRangeByScore(ctx, m.lateKey(), "-inf", "("+strconv.FormatInt(t.UnixMilli(), 10)).Err()
	if err != nil {
		return fmt.Errorf("prune the late list: %w", err)
	}
	return nil
}

// requests reads the requests of codes in one round trip, in order; those that expired are left out.
func (m *Matcher) requests(ctx context.Context, codes []string) ([]Request, error) {
	pipe := m.rdb.Pipeline()
	type read struct {
		hash                    *redis.MapStringStringCmd
		holders, passed, offerd *redis.StringSliceCmd
	}
	reads := make([]read, len(codes))
	for i, c := range codes {
		reads[i] = read{pipe.HGetAll(ctx, m.requestKey(c)), pipe.SMembers(ctx, m.holdersKey(c)),
			pipe.SMembers(ctx, m.passedKey(c)), pipe.SMembers(ctx, m.offeredKey(c))}
	}
	if _, err := pipe.Exec(ctx); err != nil {
		return nil, fmt.Errorf("read %d queued requests: %w", len(codes), err)
	}
	var out []Request
	for i, c := range codes {
		if len(reads[i].hash.Val()) == 0 {
			continue
		}
		req := decodeRequest(c, reads[i].hash.Val())
		req.Holders, req.PassedBy, req.OfferedTo = set(reads[i].holders.Val()), set(reads[i].passed.Val()), set(reads[i].offerd.Val())
		out = append(out, req)
	}
	return out, nil
}

// Assignment is one offer dispatch decided: request Code to Volunteer.
type Assignment struct {
	Request   Request // as read, for the commit's guards
	Volunteer rota.Volunteer
}

// PlanInput is what Plan decides from.
type PlanInput struct {
	Board       Board
	Free        []rota.Volunteer // volunteers who may be offered a request: on shift, available, not in a chat
	FirstOffers int              // how many may hold a request's offer at once in its first tier
	Now         time.Time
	// LateEvery spaces late offers: a signposted person's request is offered to one volunteer at a
	// time, and a volunteer gets one such offer at a time, each for this long (an unanswered one no
	// longer holds either back after it).
	LateEvery time.Duration
	// Freed are the ids of volunteers who have just come free by a message (DONE, ON, PASS, told a
	// request was taken): the moment they can take one, they are offered the first waiting request
	// they may take, even one held by its first few already.
	Freed []string
}

// Plan decides which free volunteers with no offer to answer ("idle") get which request. An urgent
// request (its person used risk words) goes to every idle volunteer who may take it. Other waiting
// requests go first, in queue order, in two rounds so nobody waits unseen while another has two: first
// each request that nobody holds gets one idle volunteer, then each is topped up to its limit (the
// first FirstOffers in tier 1; no limit once widened, or for an urgent request). A volunteer just freed
// (see Freed) who is left with nothing then gets the first waiting request they may take, whatever its
// limit. Idle volunteers are
// taken fairest first: those offered or matched least recently. A request that asked for tags (such as
// women-only) goes in tier 1 only to volunteers with them, when any free volunteer has them. An idle
// volunteer left with nothing waiting, who holds no late offer, gets the first late request they may
// take, one volunteer per late request at a time (see LateEvery). Nobody is offered a request they
// passed on or hold already.
func Plan(in PlanInput) []Assignment {
	idle := idleFirst(in)
	used := map[string]bool{}
	held := map[string]int{}
	var out []Assignment
	give := func(req Request, v rota.Volunteer) {
		out = append(out, Assignment{Request: req, Volunteer: v})
		used[v.ID] = true
		held[req.Code]++
	}
	waiting, late := split(in.Board.Queue)
	for _, req := range waiting { // urgent requests first, to every idle volunteer who may take them
		for _, v := range idle {
			if req.Urgent && !used[v.ID] && mayOffer(req, v, in.Free) {
				give(req, v)
			}
		}
	}
	for round := range 2 {
		for _, req := range waiting {
			limit := 1
			if round == 1 {
				limit = in.FirstOffers
				if req.Tier > 1 || req.Urgent {
					limit = len(idle) + len(req.Holders)
				}
			}
			for _, v := range idle {
				if len(req.Holders)+held[req.Code] >= limit {
					break
				}
				if !used[v.ID] && mayOffer(req, v, in.Free) {
					give(req, v)
				}
			}
		}
	}
	freed := map[string]bool{}
	for _, id := range in.Freed {
		freed[id] = true
	}
	for _, v := range idle {
		if used[v.ID] || !freed[v.ID] {
			continue
		}
		for _, req := range waiting {
			if mayOffer(req, v, in.Free) {
				give(req, v)
				break
			}
		}
	}
	recent := func(t time.Time) bool { return !t.IsZero() && in.Now.Sub(t) < in.LateEvery }
	for _, v := range idle {
		if used[v.ID] || recent(in.Board.LateHolds[v.ID]) {
			continue
		}
		for _, req := range late {
			if held[req.Code] == 0 && !recent(req.LateOffered) && mayOffer(req, v, nil) {
				give(req, v)
				break
			}
		}
	}
	return out
}

// idleFirst returns the free volunteers who hold no offer, fairest first.
func idleFirst(in PlanInput) []rota.Volunteer {
	var idle []rota.Volunteer
	for _, v := range in.Free {
		if in.Board.Holds[v.ID] == 0 && in.Board.Active[v.ID] == "" {
			idle = append(idle, v)
		}
	}
	sort.SliceStable(idle, func(i, j int) bool {
		a, b := in.Board.Last[idle[i].ID], in.Board.Last[idle[j].ID]
		if !a.Equal(b) {
			return a.Before(b)
		}
		return rota.IDLess(idle[i].ID, idle[j].ID)
	})
	return idle
}

func split(queue []Request) (waiting, late []Request) {
	for _, req := range queue {
		switch req.Status {
		case Open:
			waiting = append(waiting, req)
		case Unanswered:
			late = append(late, req)
		}
	}
	return waiting, late
}

// mayOffer reports whether req may be offered to v: not passed on or held by v, and, for a request in
// its first tier that asked for tags some free volunteer has, v has them too.
func mayOffer(req Request, v rota.Volunteer, free []rota.Volunteer) bool {
	if req.PassedBy[v.ID] || req.Holders[v.ID] {
		return false
	}
	if len(req.Wants) == 0 || req.Tier > 1 || req.Urgent || req.Status != Open || HasTags(v, req.Wants) {
		return true
	}
	return !slices.ContainsFunc(free, func(o rota.Volunteer) bool { return HasTags(o, req.Wants) })
}

// HasTags reports whether v carries every one of tags.
func HasTags(v rota.Volunteer, tags []string) bool {
	for _, tag := range tags {
		if !v.HasTag(tag) {
			return false
		}
	}
	return true
}

// Dispatch adds to b the offers of plan, guarded on what it was decided from: each request still as
// read (status and how many hold it) and each volunteer still free with the offers read. A concurrent
// change makes the commit fail, and the caller decides again on fresh state.
func (m *Matcher) Dispatch(b *commit.Batch, plan []Assignment, board Board, at time.Time) {
	byReq := map[string][]rota.Volunteer{}
	reqs := map[string]Request{}
	for _, a := range plan {
		byReq[a.Request.Code] = append(byReq[a.Request.Code], a.Volunteer)
		reqs[a.Request.Code] = a.Request
		b.Field(m.activeKey(), a.Volunteer.ID, "")
		b.Len(m.offersKey(a.Volunteer.Phone), board.Holds[a.Volunteer.ID])
	}
	for code, vols := range byReq {
		m.Offer(b, reqs[code], vols, at)
	}
}

// idleWaiting counts, when any request waits (or was signposted since ARGV[2]), the volunteers of
// KEYS[5...] who hold no offer, provided the live chats have not changed since the caller read them (at
// version ARGV[1]), so the caller's list of those not in a chat still holds, nor the rota (at version
// ARGV[3]). With none, dispatch has nothing to do, and this one read of a few commands, however long the
// queue, spares it the board.
// KEYS[1]: the live chats' version counter; KEYS[2]: the queue; KEYS[3]: the late list; KEYS[4]: the
// rota's version counter; KEYS[4+i]: the offers of the i-th volunteer not in a chat. ARGV[1]: the live
// chats' version read; ARGV[2]: lateSince (unix ms); ARGV[3]: the rota's version read.
// Returns -1 when the live chats or the rota changed, else the number of those volunteers with no offer,
// or 0 when nothing waits.
var idleWaiting = redis.NewScript(`
if (redis.call("GET", KEYS[1]) or "") ~= ARGV[1] then return -1 end
if (redis.call("GET", KEYS[4]) or "") ~= ARGV[3] then return -1 end
if redis.call("ZCARD", KEYS[2]) == 0 and redis.call("ZCOUNT", KEYS[3], ARGV[2], "+inf") == 0 then return 0 end
local n = 0
for i = 5, #KEYS do
  if redis.call("HLEN", KEYS[i]) == 0 then n = n + 1 end
end
return n`)

// QueueIdle runs (or queues) on pipe, for the volunteers of vols who are not in a chat as live (read at version)
// has it, the count of those who hold no offer when any request waits (or was signposted since
// lateSince): 0 when nothing waits, -1 when the live chats changed since, or the rota (whose version
// counter is at rotaKey) moved from rotaVersion. Zero means dispatch has nothing to offer to anyone:
// Plan offers only to volunteers in no chat who hold no offer.
func (m *Matcher) QueueIdle(ctx context.Context, pipe redis.Scripter, vols []rota.Volunteer, live map[string]string,
	version string, lateSince time.Time, rotaKey, rotaVersion string) *redis.Cmd {
	keys := []string{m.activeVersionKey(), m.openKey(), m.lateKey(), rotaKey}
	for _, v := range vols {
		if live[v.ID] == "" {
			keys = append(keys, m.offersKey(v.Phone))
		}
	}
	return idleWaiting.Eval(ctx, pipe, keys, version, lateSince.UnixMilli(), rotaVersion)
}
