package rota

import (
	"sort"
	"time"
)

// changes returns from and every instant in (from, to) at which who is on, or whether the line is
// open, may change, sorted and without repeats. Between two of them (and from the last to to) nothing
// changes, so one look at the start of each stretch answers for all of it.
//
// Who is on changes only where an occurrence starts or ends. Whether the line is open changes only
// where the wall clock shows midnight or the weekday opening or closing time, or where it jumps
// (a clock change); a wall time the clocks go back over is shown twice, and both are taken.
func (r Rota) changes(from, to time.Time) []time.Time {
	if !from.Before(to) {
		return nil
	}
	ts := []time.Time{from}
	add := func(t time.Time) {
		if t.After(from) && t.Before(to) {
			ts = append(ts, t)
		}
	}
	for _, o := range r.Occurrences(from, to) {
		add(o.Start)
		add(o.End)
	}
	last := civilOf(to.In(r.loc))
	for c := civilOf(from.In(r.loc)); !last.before(c); c = c.add(1) {
		for _, m := range []Clock{0, r.Hours.WeekdayFrom, r.Hours.WeekdayUntil} {
			for _, t := range readings(c, m, r.loc) {
				add(t)
			}
		}
	}
	for t := from; ; {
		_, end := t.In(r.loc).ZoneBounds()
		if end.IsZero() || !end.Before(to) {
			break
		}
		add(end)
		t = end
	}
	sort.Slice(ts, func(i, j int) bool { return ts[i].Before(ts[j]) })
	out := ts[:1]
	for _, t := range ts[1:] {
		if !t.Equal(out[len(out)-1]) {
			out = append(out, t)
		}
	}
	return out
}

// readings returns the instants at which the wall clock in loc shows clock m on local date c: one on
// most days, two where the clocks go back over m, and, where they go forward over it, the instant
// time.Date gives.
func readings(c civil, m Clock, loc *time.Location) []time.Time {
	t := c.at(m, loc)
	want := c.at(m, time.UTC) // the wall reading itself, 24:00 as the next midnight
	out := []time.Time{t}
	for _, d := range []time.Duration{-time.Hour, time.Hour} {
		u := t.Add(d).In(loc)
		wall := time.Date(u.Year(), u.Month(), u.Day(), u.Hour(), u.Minute(), u.Second(), 0, time.UTC)
		if wall.Equal(want) {
			out = append(out, u)
		}
	}
	return out
}
