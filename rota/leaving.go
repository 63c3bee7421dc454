package rota

import (
	"maps"
	"time"
)

// Leaving returns the shifts that go with volunteer id when they are removed, in the rota's order:
// their own shifts (weekly, one-off and on call), the covers they do for others, and the covers
// others do for them.
func (r Rota) Leaving(id string) []Shift {
	var out []Shift
	for _, s := range r.Shifts {
		if s.Volunteer == id || s.CoverFor == id {
			out = append(out, s)
		}
	}
	return out
}

// Without returns a copy of the rota without volunteer id and the shifts that go with them, to see
// what removing them would leave. The copy shares nothing the caller could change with r; it is not
// the rota as stored, so it cannot be staged (Store.Stage) or checked against as if it were.
func (r Rota) Without(id string) Rota {
	leaving := map[string]bool{}
	for _, s := range r.Leaving(id) {
		leaving[s.ID] = true
	}
	w := r
	w.Volunteers = maps.Clone(r.Volunteers)
	delete(w.Volunteers, id)
	w.byPhone = maps.Clone(r.byPhone)
	delete(w.byPhone, r.Volunteers[id].Phone)
	w.Shifts = nil
	for _, s := range r.Shifts {
		if !leaving[s.ID] {
			w.Shifts = append(w.Shifts, s)
		}
	}
	w.idx = newIndex(w.Shifts, w.Volunteers)
	w.version = ""
	return w
}

// GapsWithout returns the gaps that removing volunteer id would open in [from, to): the stretches
// that would be gaps without them and are not gaps now. A NoShift stretch that stays a gap but loses
// its coordinator on call is not among them; its NoOnCall gap is.
func (r Rota) GapsWithout(id string, from, to time.Time) []Gap {
	now := r.Gaps(from, to)
	var out []Gap
	for _, g := range r.Without(id).Gaps(from, to) {
		out = append(out, subtract(g, now)...)
	}
	sortGaps(out)
	return out
}

// subtract returns the parts of g that no gap of its kind in gaps (sorted, not overlapping each
// other) covers.
func subtract(g Gap, gaps []Gap) []Gap {
	var out []Gap
	for _, o := range gaps {
		if o.Kind != g.Kind || !o.Start.Before(g.End) || !o.End.After(g.Start) {
			continue
		}
		if o.Start.After(g.Start) {
			piece := g
			piece.End = o.Start
			out = append(out, piece)
		}
		g.Start = o.End
		if !g.Start.Before(g.End) {
			return out
		}
	}
	return append(out, g)
}

// LastOnCall reports whether volunteer id has on-call shifts still to come on local date today
// (YYYY-MM-DD) or later, and no other coordinator has any: without them, nobody would be on call. A
// cover of one of id's on-call shifts goes with them, so it does not count.
func (r Rota) LastOnCall(id, today string) bool {
	theirs, others := false, false
	for _, s := range r.Shifts {
		if !s.OnCall || !r.toCome(s, today) {
			continue
		}
		switch {
		case s.Volunteer == id:
			theirs = true
		case s.CoverFor != id:
			others = true
		}
	}
	return theirs && !others
}

// toCome reports whether shift s may still be on from local date today: a weekly shift, or a dated
// one from the day before today on (it may run past midnight).
func (r Rota) toCome(s Shift, today string) bool {
	if s.Weekly() {
		return true
	}
	c, ok := parseCivil(today)
	return !ok || s.Date >= c.add(-1).String()
}
