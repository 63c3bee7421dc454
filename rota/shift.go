package rota

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Shift is a weekly recurring shift in the line's time zone. A shift whose end is not after its start
// crosses midnight and ends the next day; a shift whose end equals its start lasts 24 hours.
type Shift struct {
	ID        string       `json:"id"`
	Volunteer string       `json:"volunteer"`
	Day       time.Weekday `json:"day"`
	Start     Clock        `json:"start"`
	End       Clock        `json:"end"`
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

var dayNames = map[string]time.Weekday{
	"sun": time.Sunday, "mon": time.Monday, "tue": time.Tuesday, "wed": time.Wednesday,
	"thu": time.Thursday, "fri": time.Friday, "sat": time.Saturday,
}

// ParseDay reads a day of the week such as "mon", "Monday" or "TUES".
func ParseDay(s string) (time.Weekday, error) {
	s = strings.ToLower(strings.TrimSpace(s))
	if len(s) >= 3 {
		if d, ok := dayNames[s[:3]]; ok && strings.HasPrefix(strings.ToLower(d.String()), s) {
			return d, nil
		}
	}
	return 0, fmt.Errorf("day %q: want mon, tue, wed, thu, fri, sat or sun", s)
}

// occurrence returns the start and end instants of the shift's occurrence that starts on the local date
// of day.
func (s Shift) occurrence(day time.Time, loc *time.Location) (start, end time.Time) {
	y, m, d := day.Date()
	start = time.Date(y, m, d, int(s.Start)/60, int(s.Start)%60, 0, 0, loc)
	endDay := d
	if s.End <= s.Start {
		endDay++
	}
	end = time.Date(y, m, endDay, int(s.End)/60, int(s.End)%60, 0, 0, loc)
	return start, end
}

// Covers reports whether the shift covers instant t in the line's time zone loc.
func (s Shift) Covers(t time.Time, loc *time.Location) bool {
	local := t.In(loc)
	y, m, d := local.Date()
	for back := 0; back <= 1; back++ { // an occurrence that started today or, crossing midnight, yesterday
		day := time.Date(y, m, d-back, 12, 0, 0, 0, loc)
		if day.Weekday() != s.Day {
			continue
		}
		start, end := s.occurrence(day, loc)
		if !t.Before(start) && t.Before(end) {
			return true
		}
	}
	return false
}
