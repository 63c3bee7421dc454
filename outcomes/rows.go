package outcomes

import (
	"strconv"
	"time"

	"peerline/feedback"
	"peerline/rota"
)

// CSVHeader is the header of Rows.
var CSVHeader = []string{"section", "key", "label", "value"}

// NotRecorded is the value of a figure the line does not record yet.
const NotRecorded = "not recorded yet"

// Rows returns the summary as one table for a spreadsheet, under CSVHeader: counts, times in whole
// seconds (empty when nobody was reached), hours to one decimal, and NotRecorded where the line keeps
// nothing to count.
func (s Summary) Rows() [][]string {
	n := strconv.Itoa
	rows := [][]string{
		{"range", "from", "", s.From.Format(rota.DateLayout)},
		{"range", "to", "", s.To.AddDate(0, 0, -1).Format(rota.DateLayout)},
		{"range", "timezone", "", s.From.Location().String()},
	}
	rows = append(rows, tallyRows("total", "all", "All hours", s.All)...)
	for _, o := range []struct {
		key string
		n   int
	}{{"matched_in_time", s.MatchedInTime}, {"reached_late", s.ReachedLate}, {"never_reached", s.NeverReached},
		{"withdrawn", s.Withdrawn}, {"still_open", s.StillOpen}, {"escalated", s.Escalated},
		{"closed_line_texts", s.Closed}, {"trial_events_ignored", s.TrialIgnored}} {
		rows = append(rows, []string{"outcome", o.key, "", n(o.n)})
	}
	for _, b := range Bands {
		rows = append(rows, tallyRows("band", string(b), b.Label(), *s.Bands[b])...)
	}
	for _, a := range feedback.CheckinAnswers {
		rows = append(rows, []string{"checkin", a, "", n(s.Checkins[a])})
	}
	mean, count := s.FeedbackMean()
	rows = append(rows, []string{"feedback", "count", "", n(count)})
	if count > 0 {
		rows = append(rows, []string{"feedback", "mean", "", strconv.FormatFloat(mean, 'f', 2, 64)})
	} else {
		rows = append(rows, []string{"feedback", "mean", "", ""})
	}
	for score := 1; score <= 5; score++ {
		rows = append(rows, []string{"feedback", "score_" + n(score), "", n(s.Scores[score])})
	}
	repeat := NotRecorded
	if s.RepeatPersons >= 0 {
		repeat = n(s.RepeatPersons)
	}
	rows = append(rows,
		[]string{"repeat", "persons_2plus_requests", "", repeat},
		[]string{"repeat", "requests_after_another_recently", "requests from a number that had asked within REPEAT_CONTACT",
			n(s.RepeatRequests)},
		[]string{"repeat", "returned_by_checkin", "check-in answers that opened a request", n(s.ReturnedByCheckin)},
		[]string{"volunteers", "peer_hours", "", hours(s.PeerTime)},
		[]string{"volunteers", "oncall_hours", "", hours(s.OnCallTime)},
		[]string{"volunteers", "volunteers", "", n(s.Volunteers)})
	events, services := NotRecorded, NotRecorded
	if s.SharedRecorded {
		events, services = n(s.EventsShared), n(s.ServicesShared)
	}
	return append(rows, []string{"shared", "events", "", events}, []string{"shared", "services", "", services})
}

func tallyRows(section, key, label string, t Tally) [][]string {
	med, p90 := "", ""
	if d, ok := t.Median(); ok {
		med = strconv.Itoa(int(d.Round(time.Second).Seconds()))
	}
	if d, ok := t.P90(); ok {
		p90 = strconv.Itoa(int(d.Round(time.Second).Seconds()))
	}
	n := strconv.Itoa
	return [][]string{
		{section, key + ".contacts", label, n(t.Contacts)},
		{section, key + ".reached", label, n(t.Reached)},
		{section, key + ".median_seconds_to_human", label, med},
		{section, key + ".p90_seconds_to_human", label, p90},
		{section, key + ".signposted", label, n(t.Signposted)},
		{section, key + ".risk_flagged", label, n(t.Risk)},
	}
}

// hours writes d in hours to one decimal.
func hours(d time.Duration) string { return strconv.FormatFloat(d.Hours(), 'f', 1, 64) }
