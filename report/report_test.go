package report

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"peerline/matcher"
	"peerline/phone"
)

var london, _ = time.LoadLocation("Europe/London")

// day is the report's one day: Monday 21 December 2026 in London (GMT).
var (
	from = time.Date(2026, 12, 21, 0, 0, 0, 0, london)
	to   = from.AddDate(0, 0, 1)
)

// at is a time on the report's day, hh:mm London time, plus extra.
func at(hhmm string, extra ...time.Duration) time.Time {
	t, err := time.ParseInLocation("2006-01-02 15:04", "2026-12-21 "+hhmm, london)
	if err != nil {
		panic(err)
	}
	for _, d := range extra {
		t = t.Add(d)
	}
	return t
}

func ev(kind, code string, when time.Time, vol ...string) matcher.Event {
	e := matcher.Event{Kind: kind, Code: code, At: when}
	if len(vol) > 0 {
		e.Volunteer = vol[0]
	}
	return e
}

func TestCount(t *testing.T) {
	t.Parallel()
	trial := ev(matcher.EventNew, "DEMO", at("23:00"))
	trial.Trial = true
	trialMatch := ev(matcher.EventMatched, "DEMO", at("23:01"), "v1")
	trialMatch.Trial = true
	closed := matcher.Event{Kind: matcher.EventClosed, At: at("10:00"), Channel: phone.SMS}
	tests := []struct {
		name   string
		events []matcher.Event
		want   Figures
	}{
		{"nothing", nil, Figures{}},
		{"matched in time", []matcher.Event{
			ev(matcher.EventNew, "A", at("23:10")),
			ev(matcher.EventMatched, "A", at("23:12"), "v1"),
			ev(matcher.EventEnded, "A", at("23:30"), "v1"),
		}, Figures{Requests: 1, MatchedInTime: 1, Waits: []time.Duration{2 * time.Minute},
			WaitsInTime: []time.Duration{2 * time.Minute}, Conversations: map[string]int{"v1": 1}, Hours: hour(23, 1), Events: 3}},
		{"a late accept counts once, as reached late", []matcher.Event{
			ev(matcher.EventNew, "A", at("01:00")),
			ev(matcher.EventEscalated, "A", at("01:10")),
			ev(matcher.EventEscalated, "A", at("01:13")),
			ev(matcher.EventUnanswered, "A", at("01:20")),
			ev(matcher.EventMatched, "A", at("01:35"), "v2"),
		}, Figures{Requests: 1, ReachedLate: 1, Escalated: 1, Waits: []time.Duration{35 * time.Minute},
			Conversations: map[string]int{"v2": 1}, Hours: hour(1, 1), Events: 5}},
		{"signposted and never reached", []matcher.Event{
			ev(matcher.EventNew, "A", at("01:00")),
			ev(matcher.EventRisk, "A", at("01:01")),
			ev(matcher.EventRisk, "A", at("01:02")),
			ev(matcher.EventUnanswered, "A", at("01:20")),
		}, Figures{Requests: 1, NeverReached: 1, Risk: 1, Hours: hour(1, 1), Events: 4}},
		{"withdrawn", []matcher.Event{
			ev(matcher.EventNew, "A", at("01:00")),
			ev(matcher.EventWithdrawn, "A", at("01:05")),
		}, Figures{Requests: 1, Withdrawn: 1, Hours: hour(1, 1), Events: 2}},
		{"still open", []matcher.Event{ev(matcher.EventNew, "A", at("23:59"))},
			Figures{Requests: 1, StillOpen: 1, Hours: hour(23, 1), Events: 1}},
		{"the outcome after the last day counts for a request of the day", []matcher.Event{
			ev(matcher.EventNew, "A", at("23:55")),
			ev(matcher.EventUnanswered, "A", at("23:55", 20*time.Minute)),
			ev(matcher.EventMatched, "A", at("23:55", time.Hour), "v1"),
		}, Figures{Requests: 1, ReachedLate: 1, Waits: []time.Duration{time.Hour}, Conversations: map[string]int{"v1": 1},
			Hours: hour(23, 1), Events: 1}},
		{"a request opened the day before is left out, and counted as earlier", []matcher.Event{
			ev(matcher.EventNew, "A", at("23:55", -24*time.Hour)),
			ev(matcher.EventMatched, "A", at("00:05"), "v1"),
		}, Figures{Earlier: 1}},
		{"a request opened after the last day is left out", []matcher.Event{
			ev(matcher.EventNew, "A", at("00:05", 24*time.Hour)),
			ev(matcher.EventMatched, "A", at("00:06", 24*time.Hour), "v1"),
		}, Figures{}},
		{"a code used again later is another request", []matcher.Event{
			ev(matcher.EventNew, "A", at("01:00")),
			ev(matcher.EventNew, "A", at("01:00", 30*time.Hour)),
			ev(matcher.EventMatched, "A", at("01:01", 30*time.Hour), "v1"),
		}, Figures{Requests: 1, StillOpen: 1, Hours: hour(1, 1), Events: 1}},
		{"texts while the line was closed", []matcher.Event{closed, closed, ev(matcher.EventNew, "A", at("10:00"))},
			Figures{Closed: 2, Requests: 1, StillOpen: 1, Hours: hour(10, 1), Events: 3}},
		{"local trial events are left out and counted", []matcher.Event{trial, trialMatch},
			Figures{TrialIgnored: 2}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got := Count(tc.events, from, to, london)
			tc.want.From, tc.want.To = from, to
			if tc.want.Conversations == nil {
				tc.want.Conversations = map[string]int{}
			}
			if diff := cmp.Diff(tc.want, got, cmpopts.EquateEmpty()); diff != "" {
				t.Errorf("figures (-want +got):\n%s", diff)
			}
			outcomes := got.MatchedInTime + got.ReachedLate + got.NeverReached + got.Withdrawn + got.StillOpen
			if outcomes != got.Requests {
				t.Errorf("outcomes add up to %d, requests %d", outcomes, got.Requests)
			}
		})
	}
}

func TestCountSummerHours(t *testing.T) {
	t.Parallel()
	day := time.Date(2026, 7, 1, 0, 0, 0, 0, london)
	f := Count([]matcher.Event{ev(matcher.EventNew, "A", time.Date(2026, 6, 30, 23, 30, 0, 0, time.UTC))},
		day, day.AddDate(0, 0, 1), london)
	if f.Requests != 1 || f.Hours[0] != 1 {
		t.Errorf("23:30 UTC on 30 June is 00:30 in London: requests %d, hours %v", f.Requests, f.Hours)
	}
}

// hour returns 24 hours with n in hour h.
func hour(h, n int) [24]int {
	var out [24]int
	out[h] = n
	return out
}

func TestPercentile(t *testing.T) {
	t.Parallel()
	m := func(n ...int) []time.Duration {
		out := make([]time.Duration, len(n))
		for i, v := range n {
			out[i] = time.Duration(v) * time.Minute
		}
		return out
	}
	tests := []struct {
		name   string
		sorted []time.Duration
		p      float64
		want   time.Duration
		ok     bool
	}{
		{"none", nil, 0.5, 0, false},
		{"one", m(3), 0.9, 3 * time.Minute, true},
		{"median of two is between them", m(2, 6), 0.5, 4 * time.Minute, true},
		{"90th of two, as PERCENTILE.INC", m(2, 6), 0.9, 5*time.Minute + 36*time.Second, true},
		{"median of three", m(1, 2, 10), 0.5, 2 * time.Minute, true},
		{"the top", m(1, 2, 10), 1, 10 * time.Minute, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got, ok := Percentile(tc.sorted, tc.p)
			if got != tc.want || ok != tc.ok {
				t.Errorf("Percentile(%v, %v) = %v, %v; want %v, %v", tc.sorted, tc.p, got, ok, tc.want, tc.ok)
			}
		})
	}
}

func TestVolunteersMostFirstThenByID(t *testing.T) {
	t.Parallel()
	f := Figures{Conversations: map[string]int{"v10": 2, "v2": 2, "v1": 1, "v3": 5}}
	if diff := cmp.Diff([]string{"v3", "v2", "v10", "v1"}, f.Volunteers()); diff != "" {
		t.Errorf("volunteers (-want +got):\n%s", diff)
	}
}

// history is a History of fixed events that remembers what it was asked.
type history struct {
	events   []matcher.Event
	from, to time.Time
	err      error
}

func (h *history) History(_ context.Context, from, to time.Time) ([]matcher.Event, error) {
	h.from, h.to = from, to
	return h.events, h.err
}

func TestReadFollowsOutcomesPastTheLastDay(t *testing.T) {
	t.Parallel()
	h := &history{events: []matcher.Event{ev(matcher.EventNew, "A", at("23:59")),
		ev(matcher.EventMatched, "A", at("23:59", 3*time.Minute), "v1")}}
	f, err := Read(context.Background(), h, from, to, london)
	if err != nil {
		t.Fatal(err)
	}
	if !h.from.Equal(from) || !h.to.Equal(to.Add(FollowUp)) {
		t.Errorf("read the history from %v to %v, want %v to %v", h.from, h.to, from, to.Add(FollowUp))
	}
	if f.MatchedInTime != 1 {
		t.Errorf("matched in time %d, want 1", f.MatchedInTime)
	}
	h.err = errors.New("redis down")
	if _, err := Read(context.Background(), h, from, to, london); !errors.Is(err, h.err) {
		t.Errorf("error %v, want it to wrap %v", err, h.err)
	}
}
