package outcomes

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"peerline/feedback"
	"peerline/matcher"
	"peerline/phone"
	"peerline/report"
	"peerline/rota"
)

var london, _ = time.LoadLocation("Europe/London")

// december is the seeded month: December 2026 in London.
var (
	from = time.Date(2026, 12, 1, 0, 0, 0, 0, london)
	to   = from.AddDate(0, 1, 0)
)

func at(s string) time.Time {
	t, err := time.ParseInLocation("2006-01-02 15:04", s, london)
	if err != nil {
		panic(err)
	}
	return t
}

func ev(kind, code, when string, vol ...string) matcher.Event {
	e := matcher.Event{Kind: kind, Code: code, At: at(when), Channel: phone.SMS}
	if len(vol) > 0 {
		e.Volunteer = vol[0]
	}
	return e
}

// seeded is the month's history, worked out by hand in TestWork:
//
//	A Tue 1 Dec 10:00, other hours: matched after 2m
//	B Wed 2 Dec 23:30, weekday night: risk words, matched after 5m
//	C Sat 5 Dec 14:00, weekend: signposted at 14:15, reached late after 40m
//	D Thu 10 Dec 03:00, weekday night: signposted, never reached
//	E Fri 25 Dec 20:00, Christmas Day: risk words, matched after 10m
//	F Mon 28 Dec 12:00, bank holiday (Boxing Day's substitute): withdrawn
//	G Tue 29 Dec 09:00, other hours: matched after 20m
//
// plus a request opened in November and matched on 1 December (left out), a text while the line was
// closed, two events of trial mode (left out), and SHAREs: an event in A's chat, services twice in G's.
func seeded() []matcher.Event {
	trial := ev(matcher.EventNew, "T", "2026-12-03 12:00")
	trial.Trial = true
	shared := func(code, when, what string) matcher.Event {
		e := ev(matcher.EventShared, code, when)
		e.Shared = what
		return e
	}
	repeat := func(e matcher.Event) matcher.Event { e.Repeat = 1; return e } // its number asked within 48 h before
	sharedTrial := shared("T", "2026-12-03 12:10", matcher.SharedEvent)
	sharedTrial.Trial = true
	return []matcher.Event{
		ev(matcher.EventNew, "Z", "2026-11-30 23:50"),
		ev(matcher.EventMatched, "Z", "2026-12-01 00:05", "v1"),
		ev(matcher.EventNew, "A", "2026-12-01 10:00"), ev(matcher.EventMatched, "A", "2026-12-01 10:02", "v1"),
		ev(matcher.EventEnded, "A", "2026-12-01 10:30", "v1"),
		ev(matcher.EventNew, "B", "2026-12-02 23:30"), ev(matcher.EventRisk, "B", "2026-12-02 23:31"),
		ev(matcher.EventMatched, "B", "2026-12-02 23:35", "v2"),
		trial,
		ev(matcher.EventNew, "C", "2026-12-05 14:00"), ev(matcher.EventUnanswered, "C", "2026-12-05 14:15"),
		ev(matcher.EventMatched, "C", "2026-12-05 14:40", "v1"),
		ev(matcher.EventNew, "D", "2026-12-10 03:00"), ev(matcher.EventEscalated, "D", "2026-12-10 03:10"),
		ev(matcher.EventUnanswered, "D", "2026-12-10 03:15"),
		{Kind: matcher.EventClosed, At: at("2026-12-14 12:00"), Channel: phone.SMS},
		ev(matcher.EventNew, "E", "2026-12-25 20:00"), ev(matcher.EventRisk, "E", "2026-12-25 20:01"),
		ev(matcher.EventMatched, "E", "2026-12-25 20:10", "v2"),
		ev(matcher.EventNew, "F", "2026-12-28 12:00"), ev(matcher.EventWithdrawn, "F", "2026-12-28 12:05"),
		repeat(ev(matcher.EventNew, "G", "2026-12-29 09:00")), ev(matcher.EventMatched, "G", "2026-12-29 09:20", "v1"),
		shared("A", "2026-12-01 10:10", matcher.SharedEvent), shared("G", "2026-12-29 09:30", matcher.SharedServices),
		shared("G", "2026-12-29 09:40", matcher.SharedServices), shared("Z", "2026-11-30 23:59", matcher.SharedEvent),
		sharedTrial,
	}
}

// entries are the month's check-in answers (1, 1, 2, and 3 which opened request H), feedback scores
// 5, 4, 4 and 2, and a volunteer's debrief (not counted here).
func entries() []feedback.Entry {
	return []feedback.Entry{
		{Kind: feedback.KindCheckin, Code: "A", Day: "2026-12-02", Answer: feedback.Better},
		{Kind: feedback.KindCheckin, Code: "B", Day: "2026-12-03", Answer: feedback.Better},
		{Kind: feedback.KindCheckin, Code: "C", Day: "2026-12-06", Answer: feedback.Same},
		{Kind: feedback.KindCheckin, Code: "E", Day: "2026-12-26", Answer: feedback.Struggling, New: "H"},
		{Kind: feedback.KindFeedback, Code: "A", Day: "2026-12", Score: 5, Words: "kind"},
		{Kind: feedback.KindFeedback, Code: "B", Day: "2026-12", Score: 4},
		{Kind: feedback.KindFeedback, Code: "C", Day: "2026-12", Score: 4},
		{Kind: feedback.KindFeedback, Code: "E", Day: "2026-12", Score: 2},
		{Kind: feedback.KindDebrief, Code: "A", Day: "2026-12-01", Answer: feedback.DebriefOK},
	}
}

func given() rota.Given {
	return rota.Given{Peer: map[string]time.Duration{"v1": 10 * time.Hour, "v2": 6 * time.Hour},
		OnCall: map[string]time.Duration{"v3": 24 * time.Hour}}
}

func month() Summary {
	return Work(report.Follow(seeded(), from, to, london), entries(), given(), london)
}

func TestBandOf(t *testing.T) {
	t.Parallel()
	for when, want := range map[string]Band{
		"2026-12-25 03:00": Christmas, "2026-12-28 12:00": BankHoliday, "2026-12-26 12:00": BankHoliday,
		"2026-12-05 23:00": Weekend, "2026-12-02 22:00": Night, "2026-12-02 06:59": Night,
		"2026-12-02 07:00": Other, "2026-12-02 21:59": Other, "2027-12-25 12:00": Christmas,
	} {
		if got := BandOf(at(when), london); got != want {
			t.Errorf("BandOf(%s) = %s, want %s", when, got, want)
		}
	}
}

func TestWork(t *testing.T) {
	t.Parallel()
	s := month()
	m := time.Minute
	// Every figure below was worked out by hand from seeded() and entries().
	want := map[string]string{
		"total/all.contacts": "7", "total/all.reached": "5",
		"total/all.median_seconds_to_human": "600",  // 2, 5, 10, 20, 40 minutes
		"total/all.p90_seconds_to_human":    "1920", // 20m + 0.6 of (40m - 20m)
		"total/all.signposted":              "2", "total/all.risk_flagged": "2",
		"outcome/matched_in_time": "4", "outcome/reached_late": "1", "outcome/never_reached": "1",
		"outcome/withdrawn": "1", "outcome/still_open": "0", "outcome/escalated": "1",
		"outcome/closed_line_texts": "1", "outcome/trial_events_ignored": "2",
		"band/christmas_day.contacts": "1", "band/christmas_day.reached": "1",
		"band/christmas_day.median_seconds_to_human": "600", "band/christmas_day.risk_flagged": "1",
		"band/bank_holiday.contacts": "1", "band/bank_holiday.reached": "0",
		"band/bank_holiday.median_seconds_to_human": "",
		"band/weekend.contacts":                     "1", "band/weekend.signposted": "1",
		"band/weekend.median_seconds_to_human": "2400",
		"band/weekday_night.contacts":          "2", "band/weekday_night.reached": "1",
		"band/weekday_night.signposted": "1", "band/weekday_night.risk_flagged": "1",
		"band/other_hours.contacts": "2", "band/other_hours.median_seconds_to_human": "660",
		"checkin/better": "2", "checkin/same": "1", "checkin/struggling": "1", "checkin/wrote": "0",
		"feedback/count": "4", "feedback/mean": "3.75", "feedback/score_1": "0", "feedback/score_2": "1",
		"feedback/score_4": "2", "feedback/score_5": "1",
		"repeat/persons_2plus_requests": NotRecorded, "repeat/returned_by_checkin": "1",
		"repeat/requests_after_another_recently": "1", // G
		"volunteers/peer_hours":                  "16.0", "volunteers/oncall_hours": "24.0", "volunteers/volunteers": "3",
		"shared/events": "1", "shared/services": "2", // in A's and G's chats; a trial one and November's left out
		"range/from": "2026-12-01", "range/to": "2026-12-31", "range/timezone": "Europe/London",
	}
	got := map[string]string{}
	for _, r := range s.Rows() {
		got[r[0]+"/"+r[1]] = r[3]
	}
	for k, w := range want {
		if got[k] != w {
			t.Errorf("%s = %q, want %q", k, got[k], w)
		}
	}
	if diff := cmp.Diff([]time.Duration{2 * m, 5 * m, 10 * m, 20 * m, 40 * m}, s.All.Waits); diff != "" {
		t.Errorf("waits (-want +got):\n%s", diff)
	}
	week := [7][24]int{}
	week[1][10], week[2][23], week[5][14], week[3][3], week[4][20], week[0][12], week[1][9] = 1, 1, 1, 1, 1, 1, 1
	if s.HourOfWeek != week {
		t.Errorf("hour of week:\n got %v\nwant %v", s.HourOfWeek, week)
	}
	if n := s.MatchedInTime + s.ReachedLate + s.NeverReached + s.Withdrawn + s.StillOpen; n != s.All.Contacts {
		t.Errorf("outcomes add up to %d, contacts %d", n, s.All.Contacts)
	}
}
