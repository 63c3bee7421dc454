package report

import (
	"context"
	"fmt"
	"time"

	"peerline/matcher"
	"peerline/phone"
	"peerline/rota"
)

// Outcomes of a Case, as Case.Outcome names them (and CSVs write them).
const (
	OutcomeMatchedInTime = "matched_in_time"
	OutcomeReachedLate   = "reached_late"
	OutcomeNeverReached  = "never_reached"
	OutcomeWithdrawn     = "withdrawn"
	OutcomeStillOpen     = "still_open"
)

// String names the outcome as Case.Outcome does.
func (o outcome) String() string {
	switch o {
	case matchedInTime:
		return OutcomeMatchedInTime
	case reachedLate:
		return OutcomeReachedLate
	case neverReached:
		return OutcomeNeverReached
	case withdrawn:
		return OutcomeWithdrawn
	}
	return OutcomeStillOpen
}

// Case is one request of a report and what became of it, as Count counts it: a code and times, never
// a number or words.
type Case struct {
	Code       string
	Opened     time.Time
	Channel    phone.Channel
	Outcome    string        // one of the Outcome names
	Reached    bool          // a volunteer (or the coordinator on call) accepted, in time or late
	Wait       time.Duration // from asking to the accept, when Reached
	Signposted bool          // the person got the fallback signpost (reached late or never)
	Risk       bool          // the person used risk words
	Escalated  bool          // the coordinator on call was paged
}

// Cases is what Count counts, with every request it counted as a Case, oldest first.
type Cases struct {
	Figures Figures
	Cases   []Case
	Events  []matcher.Event // the events read, trial mode's included, in order of time
}

// Follow counts events as Count does and keeps each request's case.
func Follow(events []matcher.Event, from, to time.Time, loc *time.Location) Cases {
	c := count(events, from, to, loc)
	return Cases{Figures: c.f, Cases: c.cases, Events: events}
}

// ReadCases reads the history as Read does and follows it (see Follow).
func ReadCases(ctx context.Context, h History, from, to time.Time, loc *time.Location) (Cases, error) {
	events, err := h.History(ctx, from, to.Add(FollowUp))
	if err != nil {
		return Cases{}, fmt.Errorf("report %s to %s: %w", from.Format(rota.DateLayout), to.Format(rota.DateLayout), err)
	}
	return Follow(events, from, to, loc), nil
}
