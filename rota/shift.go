package rota

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// DateLayout is how dates are written in shifts, skips and the calendar: 2026-12-24.
const DateLayout = "2006-01-02"

// Shift is a stretch of time a volunteer is on, in the line's time zone. A weekly shift (Date empty)
// repeats every Day; a dated shift happens once, on Date. A shift whose end is before its start
// crosses midnight and ends the next day; 00:00 to 24:00 is all day. Normalize refuses an end equal to
// the start, but a rota saved before may hold one: it lasts 24 hours.
//
// A dated shift with CoverFor set is a cover: Volunteer is on instead of CoverFor for that stretch, and
// CoverFor is off then even if another shift has them on. A swap is two covers. A cover is a shift of
// the one who covers: like their other shifts, it must not overlap one of the same kind.
//
// An OnCall shift puts a coordinator on call (paged when nobody answers) instead of on the peer rota;
// an OnCall cover hands over time on call. One volunteer's shifts of one kind never overlap (Check
// refuses it), but an on-call shift may overlap a peer shift of the same coordinator.
type Shift struct {
	ID        string       `json:"id"`
	Volunteer string       `json:"volunteer"`
	Day       time.Weekday `json:"day"`
	Date      string       `json:"date,omitempty"`
	Start     Clock        `json:"start"`
	End       Clock        `json:"end"`
	CoverFor  string       `json:"covers,omitempty"`
	OnCall    bool         `json:"oncall,omitempty"`
}

// Weekly reports whether the shift repeats every week.
func (s Shift) Weekly() bool { return s.Date == "" }

// Normalize checks the shift's times, day and date, as far as they go without the rota.
func (s *Shift) Normalize() error {
	if s.Start < 0 || s.Start >= 24*60 || s.End < 0 || s.End > 24*60 {
		return fmt.Errorf("a shift starts from 00:00 to 23:59 and ends by 24:00")
	}
	if s.Start == s.End {
		hint := ""
		if s.Start != 0 {
			hint = fmt.Sprintf(" (for 24 hours from %s, add two shifts: %s to 24:00, then 00:00 to %s the next day)", s.Start, s.Start, s.Start)
		}
		return fmt.Errorf("a shift of 0 hours: did you mean 00:00 to 24:00 for all day?%s", hint)
	}
	if s.Weekly() {
		if s.Day < time.Sunday || s.Day > time.Saturday {
			return fmt.Errorf("no such day of the week")
		}
		return nil
	}
	d, err := ParseDate(s.Date)
	if err != nil {
		return err
	}
	s.Date, s.Day = d, 0
	return nil
}

// key is the shift without its id: two shifts with the same key are the same stretch for the same
// volunteer.
func (s Shift) key() Shift {
	s.ID = ""
	return s
}

// Clock is a time of day in minutes after midnight; 24:00 (1440) is allowed as an end.
type Clock int

// ParseClock reads "HH:MM" (24-hour clock, 00:00 to 24:00).
func ParseClock(s string) (Clock, error) {
	h, m, ok := strings.Cut(strings.TrimSpace(s), ":")
	hh, err1 := strconv.Atoi(h)
	mm, err2 := strconv.Atoi(m)
	if !ok || err1 != nil || err2 != nil || len(m) != 2 || hh < 0 || mm < 0 || mm > 59 || hh > 24 ||
		(hh == 24 && mm != 0) {
		return 0, fmt.Errorf("time %q: want HH:MM on a 24-hour clock, such as 20:00 or 02:30", s)
	}
	return Clock(hh*60 + mm), nil
}

// String formats c as HH:MM.
func (c Clock) String() string { return fmt.Sprintf("%02d:%02d", int(c)/60, int(c)%60) }

// dayNames are the names of the days of the week coordinators write, beyond the full names: the
// three-letter ones and the common longer short forms (tues, weds, thur, thurs).
var dayNames = map[string]time.Weekday{
	"sun": time.Sunday, "mon": time.Monday, "tue": time.Tuesday, "tues": time.Tuesday,
	"wed": time.Wednesday, "weds": time.Wednesday, "thu": time.Thursday, "thur": time.Thursday,
	"thurs": time.Thursday, "fri": time.Friday, "sat": time.Saturday,
}

// ParseDay reads a day of the week, in any case: the full name ("Monday", or "Mondays"), its first
// letters from three on ("wedn"), or a common short form (mon, tue, tues, wed, weds, thu, thur,
// thurs, fri, sat, sun), with or without a full stop.
func ParseDay(s string) (time.Weekday, error) {
	word := strings.TrimSuffix(strings.ToLower(strings.TrimSpace(s)), ".")
	if d, ok := dayNames[word]; ok {
		return d, nil
	}
	for d := time.Sunday; d <= time.Saturday; d++ {
		full := strings.ToLower(d.String())
		if len(word) >= 3 && (strings.HasPrefix(full, word) || word == full+"s") {
			return d, nil
		}
	}
	return 0, fmt.Errorf("day %q: want mon, tue, wed, thu, fri, sat or sun (or the full name)", strings.TrimSpace(s))
}

// ParseDate reads a date written 2026-12-24 and returns it as written there.
func ParseDate(s string) (string, error) {
	s = strings.TrimSpace(s)
	d, err := time.Parse(DateLayout, s)
	if err != nil {
		return "", fmt.Errorf("date %q: want YYYY-MM-DD, such as 2026-12-24", s)
	}
	return d.Format(DateLayout), nil
}

// civil is a local calendar date.
type civil struct {
	y int
	m time.Month
	d int
}

func civilOf(t time.Time) civil {
	y, m, d := t.Date()
	return civil{y, m, d}
}

func parseCivil(s string) (civil, bool) {
	t, err := time.Parse(DateLayout, s)
	if err != nil {
		return civil{}, false
	}
	return civilOf(t), true
}

// add returns the date n days later (or earlier).
func (c civil) add(n int) civil {
	return civilOf(time.Date(c.y, c.m, c.d+n, 12, 0, 0, 0, time.UTC))
}

func (c civil) weekday() time.Weekday {
	return time.Date(c.y, c.m, c.d, 12, 0, 0, 0, time.UTC).Weekday()
}

func (c civil) String() string { return fmt.Sprintf("%04d-%02d-%02d", c.y, int(c.m), c.d) }

// span returns the start and end instants of the shift's occurrence that starts on local date c. Both
// are read as wall-clock times in loc, so a shift over the night the clocks change lasts an hour more
// or less in real time, and neither loses nor doubles cover.
func (s Shift) span(c civil, loc *time.Location) (start, end time.Time) {
	start = time.Date(c.y, c.m, c.d, int(s.Start)/60, int(s.Start)%60, 0, 0, loc)
	endDay := c.d
	if s.End <= s.Start {
		endDay++
	}
	end = time.Date(c.y, c.m, endDay, int(s.End)/60, int(s.End)%60, 0, 0, loc)
	return start, end
}

// startsOn reports whether the shift has an occurrence starting on local date c (skips aside).
func (s Shift) startsOn(c civil) bool {
	if s.Weekly() {
		return c.weekday() == s.Day
	}
	return s.Date == c.String()
}

// Covers reports whether the shift covers instant t in the line's time zone loc (skips and covers of
// other shifts aside).
func (s Shift) Covers(t time.Time, loc *time.Location) bool {
	today := civilOf(t.In(loc))
	for back := 0; back <= 1; back++ { // an occurrence that started today or, crossing midnight, yesterday
		c := today.add(-back)
		if !s.startsOn(c) {
			continue
		}
		start, end := s.span(c, loc)
		if !t.Before(start) && t.Before(end) {
			return true
		}
	}
	return false
}

// Occurrence is one stretch of a shift, as instants.
type Occurrence struct {
	Shift      Shift
	Date       string // the local date it starts on
	Start, End time.Time
}
