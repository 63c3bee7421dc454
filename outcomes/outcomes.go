// Package outcomes works out the line's anonymised outcomes over some days, for the community that
// runs it and the commissioners who fund it: contacts and what became of them, time to a human,
// nights, weekends and bank holidays (Christmas Day on its own), check-in answers, feedback scores,
// repeat contacts as far as the line can tell, volunteer time given, and what was shared. It writes
// them as rows for a spreadsheet, as one self-contained HTML page with charts, and as an event-level
// CSV for peer researchers with pseudonymous codes. It reads codes, times, answers and scores only:
// never a phone number, a name of a person supported, or anything anyone wrote.
package outcomes

import (
	"context"
	"fmt"
	"slices"
	"time"

	"peerline/feedback"
	"peerline/matcher"
	"peerline/report"
	"peerline/rota"
)

// Tally counts the contacts of one kind of hours.
type Tally struct {
	Contacts   int             // requests opened
	Reached    int             // a volunteer (or the coordinator on call) accepted, in time or late
	Signposted int             // the person got the fallback signpost
	Risk       int             // the person used risk words
	Waits      []time.Duration // time to a human of those reached, shortest first
}

// Summary is the outcomes of the requests opened from From (included) to To (excluded).
type Summary struct {
	From, To time.Time // in the line's time zone
	All      Tally
	// Outcomes: each contact has exactly one; they add up to All.Contacts.
	MatchedInTime, ReachedLate, NeverReached, Withdrawn, StillOpen int
	Escalated                                                      int // the coordinator on call was paged
	Closed                                                         int // texts while the line was closed (pointed to daytime services)
	Bands                                                          map[Band]*Tally
	// HourOfWeek counts contacts by local day (Monday first) and hour they were opened.
	HourOfWeek [7][24]int

	Checkins map[string]int // feedback.Better, Same, Struggling, Wrote -> how many
	Scores   [6]int         // Scores[n]: feedback replies scoring n (1 to 5)

	// ReturnedByCheckin counts check-in answers (3 or words) that opened a request: the same person
	// asking again. The history keeps no person id, so this is a floor on repeat contacts, and
	// RepeatPersons is not recorded (-1).
	ReturnedByCheckin int
	RepeatPersons     int
	// RepeatRequests counts requests from a number that had opened another within the repeat-contact
	// window (REPEAT_CONTACT) before: the bot counts them when the request opens and the history keeps
	// only the count, never the number.
	RepeatRequests int

	PeerTime, OnCallTime time.Duration // volunteer time given on the peer rota and on call
	Volunteers           int           // volunteers who gave any

	// Shared counts events and services shared in chats (SHARE); SharedRecorded is false while the line
	// does not record them yet.
	EventsShared, ServicesShared int
	SharedRecorded               bool

	TrialIgnored int // events of local trial mode left out
}

// FeedbackMean returns the mean feedback score and how many replies it is of.
func (s Summary) FeedbackMean() (mean float64, n int) {
	sum := 0
	for score := 1; score <= 5; score++ {
		n += s.Scores[score]
		sum += score * s.Scores[score]
	}
	if n == 0 {
		return 0, 0
	}
	return float64(sum) / float64(n), n
}

// Feedback lists a line's check-in and feedback entries between two local days (feedback.Store does).
type Feedback interface {
	List(ctx context.Context, from, to string) ([]feedback.Entry, error)
}

// Read reads the history (followed past To as report.Read does) and the feedback, and works out the
// outcomes of [from, to) with the rota r.
// Volunteer hours count the shifts worked: up to now, never a shift still to come.
func Read(ctx context.Context, h report.History, fb Feedback, r rota.Rota, from, to, now time.Time) (Summary, report.Cases, []feedback.Entry, error) {
	loc := r.Location()
	cases, err := report.ReadCases(ctx, h, from, to, loc)
	if err != nil {
		return Summary{}, report.Cases{}, nil, err
	}
	entries, err := fb.List(ctx, from.Format(rota.DateLayout), to.AddDate(0, 0, -1).Format(rota.DateLayout))
	if err != nil {
		return Summary{}, report.Cases{}, nil, fmt.Errorf("outcomes: %w", err)
	}
	worked := to
	if now.Before(worked) {
		worked = now
	}
	given := rota.Given{}
	if worked.After(from) {
		given = r.Given(from, worked)
	}
	return Work(cases, entries, given, loc), cases, entries, nil
}

// Work works out the outcomes from the cases of a report, the feedback entries of its days and the
// time volunteers gave then; loc is the line's time zone.
func Work(c report.Cases, entries []feedback.Entry, given rota.Given, loc *time.Location) Summary {
	f := c.Figures
	s := Summary{From: f.From.In(loc), To: f.To.In(loc), MatchedInTime: f.MatchedInTime, ReachedLate: f.ReachedLate,
		NeverReached: f.NeverReached, Withdrawn: f.Withdrawn, StillOpen: f.StillOpen, Escalated: f.Escalated,
		Closed: f.Closed, TrialIgnored: f.TrialIgnored, Bands: map[Band]*Tally{}, Checkins: map[string]int{},
		RepeatPersons: -1}
	for _, b := range Bands {
		s.Bands[b] = &Tally{}
	}
	for _, k := range c.Cases {
		s.All.add(k)
		s.Bands[BandOf(k.Opened, loc)].add(k)
		local := k.Opened.In(loc)
		s.HourOfWeek[(int(local.Weekday())+6)%7][local.Hour()]++
	}
	for _, t := range append([]*Tally{&s.All}, bandTallies(s)...) {
		slices.Sort(t.Waits)
	}
	s.SharedRecorded = true
	for _, e := range c.Events {
		if e.Kind == matcher.EventNew && e.Repeat > 0 && !e.Trial && !e.At.Before(f.From) && e.At.Before(f.To) {
			s.RepeatRequests++
		}
		if e.Kind != matcher.EventShared || e.Trial || e.At.Before(f.From) || !e.At.Before(f.To) {
			continue
		}
		switch e.Shared {
		case matcher.SharedEvent:
			s.EventsShared++
		case matcher.SharedServices:
			s.ServicesShared++
		}
	}
	for _, e := range entries {
		switch e.Kind {
		case feedback.KindCheckin:
			s.Checkins[e.Answer]++
			if e.New != "" {
				s.ReturnedByCheckin++
			}
		case feedback.KindFeedback:
			if e.Score >= 1 && e.Score <= 5 {
				s.Scores[e.Score]++
			}
		}
	}
	s.PeerTime, s.OnCallTime = given.Total()
	ids := map[string]bool{}
	for id := range given.Peer {
		ids[id] = true
	}
	for id := range given.OnCall {
		ids[id] = true
	}
	s.Volunteers = len(ids)
	return s
}

func bandTallies(s Summary) []*Tally {
	out := make([]*Tally, 0, len(Bands))
	for _, b := range Bands {
		out = append(out, s.Bands[b])
	}
	return out
}

func (t *Tally) add(c report.Case) {
	t.Contacts++
	if c.Reached {
		t.Reached++
		t.Waits = append(t.Waits, c.Wait)
	}
	if c.Signposted {
		t.Signposted++
	}
	if c.Risk {
		t.Risk++
	}
}

// Median and P90 return the median and 90th percentile time to a human; ok is false when nobody was
// reached.
func (t Tally) Median() (time.Duration, bool) { return report.Percentile(t.Waits, 0.5) }

// P90 returns the 90th percentile time to a human (see Median).
func (t Tally) P90() (time.Duration, bool) { return report.Percentile(t.Waits, 0.9) }
