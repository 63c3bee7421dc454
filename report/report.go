// Package report counts what happened on the line from the history, for coordinators and funders.
//
// It follows each request from the day it was opened, so every request has one outcome and the
// outcomes add up to the requests: matched in time (a volunteer accepted before the signpost), reached
// late (the person got the signpost, then a volunteer who came free reached them), never reached (the
// signpost and nobody after it), withdrawn (the person opted out while waiting) or, for a request too
// recent to know, still open. Texts sent while the line was closed are counted on their own: they open
// no request unless they had risk words and a coordinator was on call.
//
// Events of local trial mode (the phone simulator's demo) are left out and counted, so a real line's
// figures never hold the demo. It reads codes, times and volunteer ids only: the history has no phone
// number and no words.
package report

import (
	"context"
	"fmt"
	"slices"
	"time"

	"peerline/matcher"
	"peerline/phone"
	"peerline/rota"
)

// FollowUp is how long after the last day of a report the outcomes of its requests are still looked
// for: a request opened just before midnight may be answered, signposted or reached late after it.
const FollowUp = 24 * time.Hour

// History reads the line's history between two instants (matcher.Matcher does).
type History interface {
	History(ctx context.Context, from, to time.Time) ([]matcher.Event, error)
}

// outcome is what became of one request.
type outcome int

const (
	stillOpen outcome = iota
	matchedInTime
	reachedLate
	neverReached
	withdrawn
)

// Figures are the counts of a report: requests opened from From (included) to To (excluded), with
// what became of them by To plus FollowUp, and texts while the line was closed between From and To.
type Figures struct {
	From, To time.Time

	Requests int // requests opened
	// What became of them, each request exactly one: these add up to Requests.
	MatchedInTime int // a volunteer (or the coordinator on call) accepted before the signpost
	ReachedLate   int // the person got the signpost, then a volunteer who came free reached them
	NeverReached  int // the person got the signpost and nobody reached them
	Withdrawn     int // the person opted out (STOP) before anyone accepted
	StillOpen     int // no outcome recorded yet: waiting, or opened too recently to know
	// Waits are the times from asking to a volunteer accepting, of every request reached (in time
	// or late), shortest first.
	Waits []time.Duration
	// WaitsInTime are the Waits of requests matched in time only.
	WaitsInTime   []time.Duration
	Escalated     int            // requests whose coordinator on call was paged (once each)
	Risk          int            // requests whose person used risk words (once each; the words are never kept)
	Closed        int            // texts from people while the line was closed
	Conversations map[string]int // volunteer id -> requests they accepted (in time or late)
	Hours         [24]int        // requests by local hour of the day they were opened

	Events       int // events of a real line from From to To about these requests, or closed-line texts
	TrialIgnored int // events of local trial mode from From to To, left out
	Earlier      int // events from From to To about requests opened before From, left out
}

// Read reads the history from from to to plus FollowUp and counts it (see Count).
func Read(ctx context.Context, h History, from, to time.Time, loc *time.Location) (Figures, error) {
	events, err := h.History(ctx, from, to.Add(FollowUp))
	if err != nil {
		return Figures{}, fmt.Errorf("report %s to %s: %w", from.Format(rota.DateLayout), to.Format(rota.DateLayout), err)
	}
	return Count(events, from, to, loc), nil
}

// request is what the events tell of one request.
type request struct {
	code       string
	opened     time.Time
	outcome    outcome
	channel    phone.Channel
	wait       time.Duration // from asking to a volunteer accepting, once reached
	signposted bool          // the person got the fallback signpost
}

// Count counts events (in order of time) for the requests opened at or after from and before to, and
// the closed-line texts in that time; later events give those requests' outcomes. loc is the line's
// time zone, for the hours.
func Count(events []matcher.Event, from, to time.Time, loc *time.Location) Figures {
	return count(events, from, to, loc).f
}

// count follows events as Count says, keeping each request's case.
func count(events []matcher.Event, from, to time.Time, loc *time.Location) *counter {
	c := &counter{f: Figures{From: from, To: to, Conversations: map[string]int{}}, loc: loc,
		reqs: map[string]*request{}, escalated: map[*request]bool{}, risk: map[*request]bool{}}
	for _, e := range events {
		c.event(e, !e.At.Before(from) && e.At.Before(to))
	}
	for code := range c.reqs {
		c.close(code)
	}
	c.f.Escalated, c.f.Risk = len(c.escalated), len(c.risk)
	slices.Sort(c.f.Waits)
	slices.Sort(c.f.WaitsInTime)
	slices.SortStableFunc(c.cases, func(a, b Case) int { return a.Opened.Compare(b.Opened) })
	return c
}

// counter is a report being counted.
type counter struct {
	f         Figures
	loc       *time.Location
	reqs      map[string]*request // the requests opened in the report's dates, by code, until counted
	escalated map[*request]bool   // requests whose coordinator on call was paged
	risk      map[*request]bool   // requests whose person used risk words
	cases     []Case              // the requests counted, as cases
}

// event counts one event; in says whether it happened in the report's dates.
func (c *counter) event(e matcher.Event, in bool) {
	switch {
	case e.Trial:
		if in {
			c.f.TrialIgnored++
		}
		return
	case e.Kind == matcher.EventClosed:
		if in {
			c.f.Closed++
			c.f.Events++
		}
		return
	case e.Kind == matcher.EventNew:
		c.close(e.Code) // a code is used again only long after, but never mix two requests
		if !in {
			return
		}
		c.reqs[e.Code] = &request{code: e.Code, opened: e.At, channel: e.Channel}
		c.f.Requests++
		c.f.Hours[e.At.In(c.loc).Hour()]++
	}
	r, ok := c.reqs[e.Code]
	if !ok {
		if in {
			c.f.Earlier++
		}
		return
	}
	if in {
		c.f.Events++
	}
	switch e.Kind {
	case matcher.EventMatched:
		c.f.matched(r, e)
	case matcher.EventUnanswered:
		r.signposted = true
		if r.outcome == stillOpen {
			r.outcome = neverReached
		}
	case matcher.EventWithdrawn:
		if r.outcome == stillOpen {
			r.outcome = withdrawn
		}
	case matcher.EventEscalated:
		c.escalated[r] = true
	case matcher.EventRisk:
		c.risk[r] = true
	}
}

// close counts the outcome of request code, if it is one of the report's, and forgets it.
func (c *counter) close(code string) {
	if r, ok := c.reqs[code]; ok {
		c.f.count(r.outcome)
		c.cases = append(c.cases, Case{Code: r.code, Opened: r.opened, Channel: r.channel, Outcome: r.outcome.String(),
			Reached: r.outcome == matchedInTime || r.outcome == reachedLate, Wait: r.wait, Signposted: r.signposted,
			Risk: c.risk[r], Escalated: c.escalated[r]})
		delete(c.reqs, code)
	}
}

// count adds one request of outcome o.
func (f *Figures) count(o outcome) {
	switch o {
	case matchedInTime:
		f.MatchedInTime++
	case reachedLate:
		f.ReachedLate++
	case neverReached:
		f.NeverReached++
	case withdrawn:
		f.Withdrawn++
	default:
		f.StillOpen++
	}
}

// matched counts a volunteer accepting request r: in time, or late after the signpost. A request is
// accepted once; a second accept (which the matcher never records) would not count.
func (f *Figures) matched(r *request, e matcher.Event) {
	switch r.outcome {
	case stillOpen:
		r.outcome = matchedInTime
	case neverReached:
		r.outcome = reachedLate
	default:
		return
	}
	f.Conversations[e.Volunteer]++
	wait := max(e.At.Sub(r.opened), 0)
	r.wait = wait
	f.Waits = append(f.Waits, wait)
	if r.outcome == matchedInTime {
		f.WaitsInTime = append(f.WaitsInTime, wait)
	}
}

// Percentile returns the p-th percentile (0 to 1) of sorted durations, interpolating between the
// closest ranks as spreadsheets' PERCENTILE.INC does; ok is false when there are none.
func Percentile(sorted []time.Duration, p float64) (d time.Duration, ok bool) {
	if len(sorted) == 0 {
		return 0, false
	}
	pos := p * float64(len(sorted)-1)
	lo := int(pos)
	if lo+1 >= len(sorted) {
		return sorted[lo], true
	}
	return sorted[lo] + time.Duration((pos-float64(lo))*float64(sorted[lo+1]-sorted[lo])), true
}

// Volunteers returns the ids of the volunteers who took conversations, most first, then by id.
func (f Figures) Volunteers() []string {
	ids := make([]string, 0, len(f.Conversations))
	for id := range f.Conversations {
		ids = append(ids, id)
	}
	slices.SortFunc(ids, func(a, b string) int {
		if f.Conversations[a] != f.Conversations[b] {
			return f.Conversations[b] - f.Conversations[a]
		}
		if rota.IDLess(a, b) {
			return -1
		}
		return 1
	})
	return ids
}
