package bot

import (
	"context"
	"strconv"
	"sync"
	"time"

	"github.com/sirupsen/logrus"

	"peerline/commit"
	"peerline/matcher"
)

// board remembers the line's state as the last new request that was queued read it: everyone on shift
// was with someone or held an offer already (matcher.NewBoard.Busy), so a new request could only join
// the queue. On a busy night that holds for request after request, and each is then decided from it
// and committed in one round trip (see fresh), with guards that prove it still holds. It is in memory
// only and holds no numbers.
type board struct {
	mu      sync.Mutex
	state   matcher.State
	minute  int64  // the minute it was read in: who is on shift cannot change within a minute
	version string // the rota's version it was read with
	held    bool
}

func (b *board) keep(s matcher.State, at time.Time, version string) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.state, b.minute, b.version, b.held = s, at.Unix()/60, version, true
}

func (b *board) forget() {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.held = false
}

// get returns the state kept, if it was read in the minute of at with the rota at version.
func (b *board) get(at time.Time, version string) (matcher.State, bool) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if !b.held || b.minute != at.Unix()/60 || b.version != version {
		return matcher.State{}, false
	}
	return b.state, true
}

// fresh tries to handle, in one round trip, the first text of someone the line does not know (no state
// kept for them, no block, no recent request) while the board kept says everyone on shift is busy: the
// message is decided as the ordinary path would decide it on that state, and committed with guards that
// it is so. It reports whether it did; when it did not, nothing was written and the caller goes the
// ordinary way. Only a plain new request joining the queue is committed this way; any other decision
// (risk words, STOP, HELP, a closed line, someone free) is dropped and made the ordinary way.
func (bt *Bot) fresh(ctx context.Context, in Inbound) (bool, error) {
	r, version, ok := bt.rota.Cached()
	if !ok {
		return false, nil
	}
	if _, isVol := r.ByPhone(in.From); isVol || bt.risk.Match(in.Body) {
		return false, nil
	}
	now := bt.now()
	s, ok := bt.board.get(now, version)
	if !ok || s.Board == nil || !s.Board.Busy || !s.ActiveRead {
		return false, nil
	}
	for _, v := range r.AvailableOnShiftAt(now) { // everyone in no chat must be one the board counted
		if _, counted := s.Board.Holds[v.ID]; !counted && s.Active[v.ID] == "" {
			return false, nil
		}
	}
	for range 3 { // a new code for each try: codes are short, and a busy line may hold thousands
		t := &turn{in: in, now: now, rota: r, rotaVersion: version, match: s, b: commit.New(),
			fields: logrus.Fields{"who": bt.who(in.From)}}
		seen := bt.markSeen(t) // and the rate counter, guarded on being under the limit
		t.b.Absent(bt.keys.party(in.From))
		t.b.Unscored(bt.keys.blocks(), in.From)
		t.b.Zero(bt.keys.contacts(in.From), strconv.FormatInt(now.Add(-bt.opt.RepeatWithin).UnixMilli(), 10))
		if err := bt.decide(ctx, t); err != nil || !t.queuedBusy || t.kind != KindNewRequest {
			return false, err
		}
		failed, err := bt.settle(ctx, t, seen)
		switch {
		case err != nil:
			return false, err
		case failed == 0 || failed == seen:
			return true, nil
		case failed != t.codeGuard:
			bt.board.forget() // the line moved on: read it again
			return false, nil
		}
	}
	return false, nil
}
