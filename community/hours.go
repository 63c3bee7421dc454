package community

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"peerline/rota"
)

// Schedule is when a service is open, read from text such as "Mon-Fri 09:00-17:00; Sat 10:00-12:00".
// England and Wales bank holidays are closed unless a part names them ("BH 10:00-14:00").
type Schedule struct {
	Parts []Part
}

// Part is one clause of a schedule: the days it covers and the opening times on them.
type Part struct {
	Days         [7]bool // by time.Weekday
	BankHolidays bool    // the part is for bank holidays (and not for the days above on them)
	Spans        []Span
}

// Span is an opening from From until Until on one day; Until is after From (24:00 at most).
type Span struct{ From, Until rota.Clock }

// ParseHours reads opening hours: clauses separated by ";", each days then times. Days are a day
// (mon), a range (mon-fri, which may wrap: fri-mon), a list (mon,wed), "daily", or "bh" (bank
// holidays); times are HH:MM-HH:MM, several separated by commas. "24/7" is every day and every bank
// holiday all day.
func ParseHours(s string) (Schedule, error) {
	s = strings.TrimSpace(plain(s))
	if strings.EqualFold(s, "24/7") {
		var p Part
		for i := range p.Days {
			p.Days[i] = true
		}
		p.Spans = []Span{{0, 24 * 60}}
		bh := p
		bh.Days, bh.BankHolidays = [7]bool{}, true
		return Schedule{Parts: []Part{p, bh}}, nil
	}
	if s == "" {
		return Schedule{}, errors.New(`hours: give opening hours, such as "Mon-Fri 09:00-17:00; Sat 10:00-12:00"`)
	}
	var sch Schedule
	for _, clause := range strings.Split(s, ";") {
		if strings.TrimSpace(clause) == "" {
			continue
		}
		p, err := parsePart(clause)
		if err != nil {
			return Schedule{}, fmt.Errorf("hours %q: %w", strings.TrimSpace(clause), err)
		}
		sch.Parts = append(sch.Parts, p)
	}
	if len(sch.Parts) == 0 {
		return Schedule{}, errors.New(`hours: give opening hours, such as "Mon-Fri 09:00-17:00"`)
	}
	return sch, nil
}

func parsePart(clause string) (Part, error) {
	fields := strings.Fields(clause)
	if len(fields) < 2 {
		return Part{}, errors.New(`want days then times, such as "Mon-Fri 09:00-17:00"`)
	}
	var p Part
	days := strings.Join(fields[:len(fields)-1], "")
	for _, d := range strings.Split(days, ",") {
		if err := p.addDays(d); err != nil {
			return Part{}, err
		}
	}
	for _, span := range strings.Split(fields[len(fields)-1], ",") {
		from, until, ok := strings.Cut(span, "-")
		f, err1 := rota.ParseClock(from)
		u, err2 := rota.ParseClock(until)
		if !ok || err1 != nil || err2 != nil || f >= 24*60 {
			return Part{}, fmt.Errorf("times %q: want HH:MM-HH:MM, such as 09:00-17:00", span)
		}
		if u <= f {
			return Part{}, fmt.Errorf("times %q: the closing time must be after the opening time", span)
		}
		p.Spans = append(p.Spans, Span{f, u})
	}
	slices.SortFunc(p.Spans, func(a, b Span) int { return int(a.From - b.From) })
	return p, nil
}

// addDays adds one day, range, "daily" or "bh" to p.
func (p *Part) addDays(d string) error {
	switch strings.ToLower(strings.TrimSuffix(d, ".")) {
	case "":
		return errors.New("a day is missing between commas")
	case "daily", "everyday", "mon-sun":
		for i := range p.Days {
			p.Days[i] = true
		}
		return nil
	case "bh", "bankholidays", "bankholiday", "bankhols":
		p.BankHolidays = true
		return nil
	}
	from, to, isRange := strings.Cut(d, "-")
	a, err := rota.ParseDay(from)
	if err != nil {
		return err
	}
	if !isRange {
		p.Days[a] = true
		return nil
	}
	b, err := rota.ParseDay(to)
	if err != nil {
		return err
	}
	for w := a; ; w = (w + 1) % 7 {
		p.Days[w] = true
		if w == b {
			return nil
		}
	}
}

// spansOn returns the openings on a local date: its bank holiday parts on a bank holiday, else the
// parts for its weekday; sorted by opening time.
func (s Schedule) spansOn(d time.Time) []Span {
	_, bank := rota.BankHoliday(d.Format(rota.DateLayout))
	var out []Span
	for _, p := range s.Parts {
		if bank && p.BankHolidays || !bank && p.Days[d.Weekday()] {
			out = append(out, p.Spans...)
		}
	}
	slices.SortFunc(out, func(a, b Span) int { return int(a.From - b.From) })
	return out
}

// Next says when a service with schedule s is open, seen at now in time zone loc: open now (from is
// not after now) until when; or when it next opens and closes. It looks two weeks ahead and reports
// false when the service does not open in that time.
func (s Schedule) Next(now time.Time, loc *time.Location) (from, until time.Time, ok bool) {
	local := now.In(loc)
	for i := 0; i <= 14; i++ {
		d := time.Date(local.Year(), local.Month(), local.Day()+i, 12, 0, 0, 0, loc)
		for _, sp := range s.spansOn(d) {
			from = time.Date(d.Year(), d.Month(), d.Day(), int(sp.From)/60, int(sp.From)%60, 0, 0, loc)
			until = time.Date(d.Year(), d.Month(), d.Day(), int(sp.Until)/60, int(sp.Until)%60, 0, 0, loc)
			if until.After(now) {
				return from, until, true
			}
		}
	}
	return time.Time{}, time.Time{}, false
}

// OpenAt reports whether a service with schedule s is open at t in time zone loc.
func (s Schedule) OpenAt(t time.Time, loc *time.Location) bool {
	from, _, ok := s.Next(t, loc)
	return ok && !from.After(t)
}
