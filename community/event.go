package community

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"peerline/rota"
)

// Event is one entry of the line's local calendar: weekly on Day, or once on Date.
type Event struct {
	ID    string     `json:"id"`
	Title string     `json:"title"`
	Day   string     `json:"day,omitempty"`  // a weekly event's day: mon ... sun
	Date  string     `json:"date,omitempty"` // a dated event's date: YYYY-MM-DD
	Start rota.Clock `json:"start"`
	End   rota.Clock `json:"end"`
	Place string     `json:"place"`
	Tags  []string   `json:"tags,omitempty"` // lower case, such as family-friendly
}

// Weekly reports whether e happens every week (on Day) rather than once (on Date).
func (e Event) Weekly() bool { return e.Date == "" }

// ParseTags reads a comma-separated list of tags ("family-friendly, free") as events keep them.
func ParseTags(s string) []string { return splitTags(s) }

// Normalize checks e and writes its fields in their usual form: the day as mon ... sun, the title and
// place in plain characters. It reports every problem at once.
func (e *Event) Normalize() error {
	var errs []error
	e.Title, e.Place = plain(e.Title), plain(e.Place)
	if e.Title == "" {
		errs = append(errs, errors.New("give a title"))
	}
	if e.Place == "" {
		errs = append(errs, errors.New("give a place"))
	}
	switch {
	case e.Day != "" && e.Date != "":
		errs = append(errs, errors.New("give a day (weekly) or a date (once), not both"))
	case e.Day == "" && e.Date == "":
		errs = append(errs, errors.New("give a day (weekly, such as sat) or a date (once, such as 2026-12-24)"))
	case e.Day != "":
		d, err := rota.ParseDay(e.Day)
		if err != nil {
			errs = append(errs, err)
		}
		e.Day = dayWord(d)
	default:
		d, err := rota.ParseDate(e.Date)
		if err != nil {
			errs = append(errs, err)
		}
		e.Date = d
	}
	if e.Start < 0 || e.End > 24*60 || e.End <= e.Start {
		errs = append(errs, fmt.Errorf("times %s-%s: the end must be after the start, the same day", e.Start, e.End))
	}
	e.Tags = splitTags(strings.Join(e.Tags, ","))
	return errors.Join(errs...)
}

// dayWord is the three-letter lower-case name of d.
func dayWord(d time.Weekday) string { return strings.ToLower(d.String()[:3]) }

// Next returns the next occurrence of e that has not ended by now, in time zone loc: one under way
// counts. A dated event that is over has none.
func (e Event) Next(now time.Time, loc *time.Location) (start, end time.Time, ok bool) {
	local := now.In(loc)
	if !e.Weekly() {
		d, err := time.ParseInLocation(rota.DateLayout, e.Date, loc)
		if err != nil {
			return time.Time{}, time.Time{}, false
		}
		start, end = e.span(d, loc)
		return start, end, end.After(now)
	}
	want, err := rota.ParseDay(e.Day)
	if err != nil {
		return time.Time{}, time.Time{}, false
	}
	for i := 0; i <= 7; i++ {
		d := time.Date(local.Year(), local.Month(), local.Day()+i, 12, 0, 0, 0, loc)
		if d.Weekday() != want {
			continue
		}
		if start, end = e.span(d, loc); end.After(now) {
			return start, end, true
		}
	}
	return time.Time{}, time.Time{}, false
}

// span is e's start and end on the local date of d (wall-clock times, so a clock change is kept).
func (e Event) span(d time.Time, loc *time.Location) (start, end time.Time) {
	at := func(c rota.Clock) time.Time {
		return time.Date(d.Year(), d.Month(), d.Day(), int(c)/60, int(c)%60, 0, 0, loc)
	}
	return at(e.Start), at(e.End)
}

// Matches reports whether word (as a volunteer texts it after SHARE) names e: it is a word of the
// title or a tag, or the start of one (three letters or more), accents ignored: "cafe" names
// "Recovery Caf\u00e9", "family" names the tag family-friendly.
func (e Event) Matches(word string) bool {
	w := strings.Join(wordsOf(word), "-")
	if len(w) < 3 {
		return false
	}
	cands := wordsOf(e.Title)
	for _, t := range e.Tags {
		cands = append(cands, t)
		cands = append(cands, strings.Split(t, "-")...)
	}
	for _, c := range cands {
		if strings.HasPrefix(c, w) {
			return true
		}
	}
	return false
}
