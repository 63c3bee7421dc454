package rota

import (
	"sort"
	"time"
)

// GapKind says what a gap lacks.
type GapKind int

// The kinds of gap.
const (
	// NoShift is open time with no active volunteer on shift: people who text are passed to the
	// coordinator on call, if there is one, or get only the fallback signpost.
	NoShift GapKind = iota + 1
	// NoOnCall is open time with no active coordinator on call: when nobody on shift answers, nobody is
	// paged.
	NoOnCall
)

// String names the kind as the coordinators' tool says it: "nobody on shift" or "nobody on call".
func (k GapKind) String() string {
	switch k {
	case NoShift:
		return "nobody on shift"
	case NoOnCall:
		return "nobody on call"
	}
	return "gap"
}

// Gap is a stretch of the line's open hours that the rota leaves without cover of one kind.
type Gap struct {
	Start, End time.Time // in the line's time zone; End is not part of the gap
	Kind       GapKind
	// OnCall, for a NoShift gap, says a coordinator is on call throughout it, so people who text are
	// passed to them. A NoShift stretch is split where this changes.
	OnCall bool
}

// Gaps returns the stretches of [from, to) when the line is open and no active volunteer is on shift
// (NoShift), and those when the line is open and no active coordinator is on call (NoOnCall), sorted by
// start (NoShift first at the same start). Each stretch is whole: a gap ends only where cover comes,
// the line closes, the on-call changes (for NoShift) or the time asked about ends.
//
// Paused volunteers do not count; a volunteer who texted OFF does (gaps are about the rota, not the
// moment). Shifts and hours follow the wall clock, so on the nights the clocks change a gap may last
// an hour more or less in real time than on the clock; the times are exact instants either way.
func (r Rota) Gaps(from, to time.Time) []Gap {
	var noShift, noCall []Gap
	ts := r.changes(from, to)
	for i, t := range ts {
		end := to
		if i+1 < len(ts) {
			end = ts[i+1]
		}
		if !r.Open(t) {
			continue
		}
		call := r.active(t, true) > 0
		if r.active(t, false) == 0 {
			noShift = extend(noShift, Gap{Start: t, End: end, Kind: NoShift, OnCall: call})
		}
		if !call {
			noCall = extend(noCall, Gap{Start: t, End: end, Kind: NoOnCall})
		}
	}
	out := append(noShift, noCall...)
	for i := range out {
		out[i].Start, out[i].End = out[i].Start.In(r.loc), out[i].End.In(r.loc)
	}
	sortGaps(out)
	return out
}

// sortGaps sorts gaps by start, NoShift first at the same start.
func sortGaps(gaps []Gap) {
	sort.SliceStable(gaps, func(i, j int) bool {
		if !gaps[i].Start.Equal(gaps[j].Start) {
			return gaps[i].Start.Before(gaps[j].Start)
		}
		return gaps[i].Kind < gaps[j].Kind
	})
}

// extend adds g to gaps of one kind, merged with the last one when it carries straight on.
func extend(gaps []Gap, g Gap) []Gap {
	if n := len(gaps); n > 0 && gaps[n-1].End.Equal(g.Start) && gaps[n-1].OnCall == g.OnCall {
		gaps[n-1].End = g.End
		return gaps
	}
	return append(gaps, g)
}

// Staffing is who is on during a stretch of time, on shift or on call.
type Staffing struct {
	// Least is the fewest active volunteers on at any moment of the stretch.
	Least int
	// LeastOpen is the fewest active volunteers on at any moment the line is open; Least when the line
	// is closed throughout.
	LeastOpen int
	// Open says whether the line is open at some moment of the stretch.
	Open bool
	// Who is everyone on at some moment, paused volunteers too, in the order they came on (by id when
	// at once).
	Who []Volunteer
}

// Staffing returns who is on shift (or, with onCall, on call) during [from, to).
func (r Rota) Staffing(from, to time.Time, onCall bool) Staffing {
	s := Staffing{Least: -1, LeastOpen: -1}
	seen := map[string]bool{}
	for _, t := range r.changes(from, to) {
		n := 0
		for _, v := range r.at(t, onCall) {
			if v.Active {
				n++
			}
			if !seen[v.ID] {
				seen[v.ID] = true
				s.Who = append(s.Who, v)
			}
		}
		if s.Least < 0 || n < s.Least {
			s.Least = n
		}
		if r.Open(t) {
			s.Open = true
			if s.LeastOpen < 0 || n < s.LeastOpen {
				s.LeastOpen = n
			}
		}
	}
	s.Least = max(s.Least, 0)
	if s.LeastOpen < 0 {
		s.LeastOpen = s.Least
	}
	return s
}

// Night returns the stretch the coordinators call the night of day's local date: from the weekday
// opening time to the next morning's closing time or, on a date open all day, from that morning's
// closing time to the next morning's.
func (r Rota) Night(day time.Time) (from, until time.Time) {
	c := civilOf(day.In(r.loc))
	h := r.Hours
	from, until = c.at(h.WeekdayFrom, r.loc), c.at(h.WeekdayUntil, r.loc)
	if h.allDay(c) != "" {
		from = until
	}
	if !until.After(from) {
		until = c.add(1).at(h.WeekdayUntil, r.loc)
	}
	return from, until
}

// HasShiftDuring reports whether volunteer id has a shift of their own (not a cover of someone), of
// the kind dated shift s is (on call or on shift), that is on at some moment of s. Skipped dates
// aside; covers of id are not looked at.
func (r Rota) HasShiftDuring(id string, s Shift) bool {
	c, ok := parseCivil(s.Date)
	if !ok {
		return false
	}
	from, until := s.span(c, r.loc)
	for _, o := range r.Occurrences(from, until) {
		if o.Shift.Volunteer == id && o.Shift.CoverFor == "" && o.Shift.OnCall == s.OnCall {
			return true
		}
	}
	return false
}

// at returns the instant of clock m (up to 24:00) on local date c.
func (c civil) at(m Clock, loc *time.Location) time.Time {
	return time.Date(c.y, c.m, c.d, int(m)/60, int(m)%60, 0, 0, loc)
}

// active counts the active volunteers on shift (or on call) at t.
func (r Rota) active(t time.Time, onCall bool) int {
	n := 0
	for _, v := range r.at(t, onCall) {
		if v.Active {
			n++
		}
	}
	return n
}
