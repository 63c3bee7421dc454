package matcher

import (
	"strconv"
	"time"

	"github.com/redis/go-redis/v9"

	"peerline/commit"
	"peerline/rota"
)

// A new request usually finds the queue empty. Its sender's read (QueueBoard) then also reads what Plan
// needs of the volunteers who are free, so the request, its acknowledgement and its offers go in one
// guarded commit (OpenOffered) and no dispatch follows. When anything waits, the read leaves the board
// out and the request goes the ordinary way: opened, then dispatched.

// workloadWindow is how far back a volunteer's chats are read for their limits: a week, and the night
// before it began.
const workloadWindow = 7*24*time.Hour + 12*time.Hour

// BoardAsk asks QueueBoard for the board of a new request: Vols are the volunteers on shift and available
// at Now; LateSince is the start of the late window.
type BoardAsk struct {
	Vols      []rota.Volunteer
	Now       time.Time
	Night     time.Time // when the night that Now falls in began, for the night's limit
	LateSince time.Time
}

// NewBoard is what a new request's read found when nothing waited: for each volunteer asked about who is
// in no chat, the offers they hold, when they were last offered one, and their workload. Or, with Busy
// set, that something waited while each of them held an offer: only Holds is read then.
type NewBoard struct {
	Holds map[string]int
	Last  map[string]time.Time
	Load  map[string]Workload
	Busy  bool
}

func decodeBoard(rows []any, ask BoardAsk) *NewBoard {
	b := &NewBoard{Holds: map[string]int{}, Last: map[string]time.Time{}, Load: map[string]Workload{}}
	for _, r := range rows {
		row, _ := r.([]any)
		if len(row) != 5 {
			continue
		}
		id, _ := row[0].(string)
		holds, _ := row[1].(int64)
		last, _ := row[2].(string)
		starts, _ := row[3].([]any)
		ended, _ := row[4].([]any)
		b.Holds[id] = int(holds)
		if ms, err := strconv.ParseInt(last, 10, 64); err == nil {
			b.Last[id] = time.UnixMilli(ms)
		}
		var zs []redis.Z
		for i := 0; i+1 < len(starts); i += 2 {
			member, _ := starts[i].(string)
			score, _ := starts[i+1].(string)
			f, _ := strconv.ParseFloat(score, 64)
			zs = append(zs, redis.Z{Member: member, Score: f})
		}
		ends := make(map[string]string, len(ended)/2)
		for i := 0; i+1 < len(ended); i += 2 {
			k, _ := ended[i].(string)
			v, _ := ended[i+1].(string)
			ends[k] = v
		}
		b.Load[id] = workload(zs, ends, ask.Now, ask.Night)
	}
	return b
}

// Board returns the dispatch board of req, the only request waiting, with free (those of the board's
// volunteers the caller may offer to: within their limits) as its Free.
func (nb *NewBoard) Board(req Request, free []rota.Volunteer) Board {
	return Board{Queue: []Request{req}, Holds: nb.Holds, LateHolds: map[string]time.Time{}, Last: nb.Last,
		Active: map[string]string{}, Free: free}
}

// NobodyIdle adds to b the guards that keep true what s.Board found with Busy set: every volunteer of
// vols in no chat holds the offers read, and the live chats are as read. A dispatch after the commit
// would then offer nothing (Plan offers only to volunteers in no chat who hold no offer), so the caller
// needs none.
func (m *Matcher) NobodyIdle(b *commit.Batch, s State, vols []rota.Volunteer) {
	b.Value(m.activeVersionKey(), s.ActiveVersion)
	for _, v := range vols {
		if n, ok := s.Board.Holds[v.ID]; ok {
			b.Len(m.offersKey(v.Phone), n)
		}
	}
}

// OpenOffered adds to b the guards that make the offers of plan (Plan on the board of s.Board, its
// request opened in the same batch) what a dispatch after the request's commit would decide: nothing
// waits still (the queue empty, nobody signposted since lateSince), the live chats are as s read them,
// and each volunteer of free holds the offers read. Then it adds the offers. With these guards the caller
// needs no dispatch after the commit; if one fails, the turn is decided again.
func (m *Matcher) OpenOffered(b *commit.Batch, s State, plan []Assignment, free []rota.Volunteer, lateSince, at time.Time) {
	b.Value(m.activeVersionKey(), s.ActiveVersion)
	b.Zero(m.openKey(), "-inf")
	b.Zero(m.lateKey(), strconv.FormatInt(lateSince.UnixMilli(), 10))
	for _, v := range free {
		b.Len(m.offersKey(v.Phone), s.Board.Holds[v.ID])
	}
	var vols []rota.Volunteer
	var req Request
	for _, a := range plan {
		req = a.Request
		vols = append(vols, a.Volunteer)
	}
	if len(vols) > 0 {
		m.offer(b, req, vols, at)
	}
}
