package rota

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/rickar/cal/v2"
	"github.com/rickar/cal/v2/gb"
)

// Hours is when the line is open: outside them a person who texts is pointed to daytime services.
// On a weekday the line is open from WeekdayFrom until WeekdayUntil (crossing midnight when Until is
// not after From; equal means all day). Weekends, England and Wales bank holidays and the Extra dates
// are open all day when switched on.
type Hours struct {
	WeekdayFrom  Clock    `json:"weekday_from"`
	WeekdayUntil Clock    `json:"weekday_until"`
	Weekends     bool     `json:"weekends"`
	BankHolidays bool     `json:"bank_holidays"`
	Extra        []string `json:"extra,omitempty"` // YYYY-MM-DD, sorted
}

// DefaultHours are the hours of a line whose coordinators have not set any: weekdays 17:00 to 09:00,
// all weekend and every England and Wales bank holiday.
func DefaultHours() Hours {
	return Hours{WeekdayFrom: 17 * 60, WeekdayUntil: 9 * 60, Weekends: true, BankHolidays: true}
}

// AlwaysOpen are the hours of a line open day and night, every day (the demo line's).
func AlwaysOpen() Hours { return Hours{Weekends: true, BankHolidays: true} }

// bankHolidays is England and Wales's calendar; without a cache, so it is safe for concurrent use.
var bankHolidays = &cal.Calendar{Name: "England and Wales", Holidays: gb.Holidays}

// BankHoliday returns the name of the England and Wales bank holiday on local date c, if it is one
// (observed substitute days included).
func BankHoliday(date string) (string, bool) {
	c, ok := parseCivil(date)
	if !ok {
		return "", false
	}
	return bankHoliday(c)
}

func bankHoliday(c civil) (string, bool) {
	act, obs, h := bankHolidays.IsHoliday(time.Date(c.y, c.m, c.d, 12, 0, 0, 0, time.UTC))
	if h == nil || (!act && !obs) {
		return "", false
	}
	if !act {
		return h.Name + " (substitute day)", true
	}
	return h.Name, true
}

// AllDay says why local date is open all day ("weekend", a bank holiday's name, "extra date"), or ""
// when it is an ordinary weekday.
func (h Hours) AllDay(date string) string {
	c, ok := parseCivil(date)
	if !ok {
		return ""
	}
	return h.allDay(c)
}

func (h Hours) allDay(c civil) string {
	if slices.Contains(h.Extra, c.String()) {
		return "extra date"
	}
	if h.BankHolidays {
		if name, ok := bankHoliday(c); ok {
			return name
		}
	}
	if wd := c.weekday(); h.Weekends && (wd == time.Saturday || wd == time.Sunday) {
		return "weekend"
	}
	return ""
}

// Open reports whether the line is open at t in time zone loc.
func (h Hours) Open(t time.Time, loc *time.Location) bool {
	local := t.In(loc)
	if h.allDay(civilOf(local)) != "" {
		return true
	}
	m := Clock(local.Hour()*60 + local.Minute())
	from, until := h.WeekdayFrom, h.WeekdayUntil
	switch {
	case from == until:
		return true
	case from < until:
		return m >= from && m < until
	}
	return m >= from || m < until
}

// NextOpen returns the first instant at or after t, to the minute, when the line is open; it looks
// at most 8 days ahead and returns false if the line never opens in that time.
func (h Hours) NextOpen(t time.Time, loc *time.Location) (time.Time, bool) {
	t = t.Truncate(time.Minute)
	for i := 0; i <= 8*24*4; i++ {
		at := t.Add(time.Duration(i) * 15 * time.Minute)
		if h.Open(at, loc) {
			// Step back to the minute it opened.
			for back := at.Add(-time.Minute); !back.Before(t) && h.Open(back, loc); back = back.Add(-time.Minute) {
				at = back
			}
			return at, true
		}
	}
	return time.Time{}, false
}

// normalize checks the hours and sorts the extra dates.
func (h *Hours) normalize() error {
	if h.WeekdayFrom < 0 || h.WeekdayFrom >= 24*60 || h.WeekdayUntil < 0 || h.WeekdayUntil > 24*60 {
		return fmt.Errorf("weekday hours %s-%s: give times from 00:00 to 24:00", h.WeekdayFrom, h.WeekdayUntil)
	}
	var bad []string
	dates := h.Extra[:0:0]
	for _, d := range h.Extra {
		norm, err := ParseDate(d)
		if err != nil {
			bad = append(bad, err.Error())
			continue
		}
		if !slices.Contains(dates, norm) {
			dates = append(dates, norm)
		}
	}
	if len(bad) > 0 {
		return fmt.Errorf("%s", strings.Join(bad, "; "))
	}
	slices.Sort(dates)
	h.Extra = dates
	return nil
}
