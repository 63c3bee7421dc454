package rota

import "time"

// index finds the shifts that may cover an instant without looking at every shift: weekly shifts by
// day of the week, dated shifts by date. A cheap wall-clock test then narrows them down before the
// exact test on instants.
type index struct {
	weekly [7][]int         // positions in Rota.Shifts
	dated  map[string][]int // by date
}

func newIndex(shifts []Shift) index {
	x := index{dated: map[string][]int{}}
	for i, s := range shifts {
		if s.Weekly() {
			x.weekly[s.Day] = append(x.weekly[s.Day], i)
		} else {
			x.dated[s.Date] = append(x.dated[s.Date], i)
		}
	}
	return x
}

// startingOn returns the positions of the shifts with an occurrence starting on local date c.
func (x index) startingOn(c civil) []int {
	w, d := x.weekly[c.weekday()], x.dated[c.String()]
	if len(d) == 0 {
		return w
	}
	return append(append([]int(nil), w...), d...)
}

// dstSlack is how far a wall-clock reading can be from the instant it names across a clock change.
const dstSlack = 60

// each calls f with every shift that has an occurrence covering t, skipped occurrences left out.
func (x index) each(r Rota, t time.Time, f func(Shift)) {
	local := t.In(r.loc)
	today := civilOf(local)
	m := Clock(local.Hour()*60 + local.Minute())
	for back := 0; back <= 1; back++ {
		c := today.add(-back)
		for _, i := range x.startingOn(c) {
			s := r.Shifts[i]
			crosses := s.End <= s.Start
			if back == 0 && (m+dstSlack < s.Start || (!crosses && m >= s.End+dstSlack)) {
				continue // wall clock says: not yet started, or already over
			}
			if back == 1 && (!crosses || m >= s.End+dstSlack) {
				continue // yesterday's occurrence ended before midnight, or already this morning
			}
			if s.Weekly() && len(r.Skips) > 0 && r.Skips[SkipKey(s.ID, c.String())] {
				continue
			}
			if start, end := s.span(c, r.loc); !t.Before(start) && t.Before(end) {
				f(s)
			}
		}
	}
}
