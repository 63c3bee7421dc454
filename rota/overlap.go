package rota

import (
	"fmt"
	"time"
)

// weekMinutes is how many minutes a week has on the wall clock.
const weekMinutes = 7 * 24 * 60

// length returns how long the shift lasts on the wall clock, in minutes: at most 24 hours. A shift
// whose end equals its start (refused now, but an older rota may hold one) lasts 24 hours.
func (s Shift) length() int {
	if s.End > s.Start {
		return int(s.End - s.Start)
	}
	return int(s.End) + 24*60 - int(s.Start)
}

// stretch is a span of wall-clock time, in minutes from 1970-01-01 00:00 on the wall clock. Two
// shifts of one volunteer overlap when their stretches do: the wall clock is what the rota is written
// in, and it makes the nights the clocks change no different from the others.
type stretch struct{ from, to int }

func (a stretch) overlaps(b stretch) bool { return a.from < b.to && b.from < a.to }

// dayNumber counts the days from 1970-01-01 to local date c.
func dayNumber(c civil) int {
	return int(time.Date(c.y, c.m, c.d, 0, 0, 0, 0, time.UTC).Unix() / 86400)
}

// wallOn returns the occurrence of the shift that starts on local date c.
func (s Shift) wallOn(c civil) stretch {
	from := dayNumber(c)*24*60 + int(s.Start)
	return stretch{from, from + s.length()}
}

// overlapCheck is what deciding whether two shifts overlap needs beyond the shifts: which occurrences
// of weekly shifts are skipped (the rota's, as the plan leaves them), and the first minute that is
// not past (dated shifts that ended before it cannot clash with anything; 0 to count them all).
type overlapCheck struct {
	skipped func(id, date string) bool
	since   int
}

// clash reports whether shifts a and b are ever on at the same time.
func (oc overlapCheck) clash(a, b Shift) bool {
	if a.Weekly() && b.Weekly() {
		x := stretch{int(a.Day)*24*60 + int(a.Start), 0}
		x.to = x.from + a.length()
		for k := -1; k <= 1; k++ {
			y := stretch{int(b.Day)*24*60 + int(b.Start) + k*weekMinutes, 0}
			y.to = y.from + b.length()
			if x.overlaps(y) {
				return true
			}
		}
		return false
	}
	if a.Weekly() {
		a, b = b, a // a is dated from here on
	}
	ca, ok := parseCivil(a.Date)
	x := a.wallOn(ca)
	if !ok || x.to <= oc.since {
		return false
	}
	if !b.Weekly() {
		cb, ok := parseCivil(b.Date)
		return ok && x.overlaps(b.wallOn(cb))
	}
	for d := -1; d <= 1; d++ { // b's occurrences that start the day before a's, that day or the next
		c := ca.add(d)
		if c.weekday() == b.Day && !oc.skipped(b.ID, c.String()) && x.overlaps(b.wallOn(c)) {
			return true
		}
	}
	return false
}

// overlapProblem says that new shift s would put name on twice, because of shift o: o.ID empty is
// another shift in the same plan.
func overlapProblem(s, o Shift, name string) string {
	what, who := "on shift", name
	if s.OnCall {
		what = "on call"
	}
	if s.CoverFor != "" {
		who += ", who would cover,"
	}
	if o.ID == "" {
		return fmt.Sprintf("%s is already %s then, in another shift of this change (%s); change the times of one of them",
			who, what, describeWhen(o))
	}
	return fmt.Sprintf("%s is already %s then, in shift %s (%s); change the times, or remove %s first",
		who, what, o.ID, describeWhen(o), o.ID)
}

// describeWhen shows when a shift is for an error message: "every Thu 20:00-02:00" or
// "2026-12-24 20:00-02:00", with "covering v2" for a cover.
func describeWhen(s Shift) string {
	when := "every " + s.Day.String()[:3]
	if !s.Weekly() {
		when = s.Date
	}
	out := fmt.Sprintf("%s %s-%s", when, s.Start, s.End)
	if s.CoverFor != "" {
		out += " covering " + s.CoverFor
	}
	return out
}
