package rota

import (
	"slices"
	"time"
)

// Given is the time volunteers gave to the line over a stretch, from the shifts on the rota.
type Given struct {
	Peer   map[string]time.Duration // volunteer id -> time on the peer rota
	OnCall map[string]time.Duration // volunteer id -> time on call
}

// Total returns the time given on the peer rota and on call, over every volunteer.
func (g Given) Total() (peer, onCall time.Duration) {
	for _, d := range g.Peer {
		peer += d
	}
	for _, d := range g.OnCall {
		onCall += d
	}
	return peer, onCall
}

// Given returns the time each volunteer was on shift and on call during [from, to), from the rota as
// it stands: weekly shifts less the skipped dates, dated shifts, and covers (the one who covers is on,
// the one covered is off for that stretch). A volunteer's own overlapping stretches count once. Shifts
// removed from the rota since are not counted, and a pause is not taken as time off.
func (r Rota) Given(from, to time.Time) Given {
	type key struct {
		id     string
		onCall bool
	}
	on, off := map[key][]span{}, map[key][]span{}
	for _, o := range r.Occurrences(from, to) {
		s := span{max(o.Start.UnixMilli(), from.UnixMilli()), min(o.End.UnixMilli(), to.UnixMilli())}
		if s.to <= s.from {
			continue
		}
		k := key{o.Shift.Volunteer, o.Shift.OnCall}
		on[k] = append(on[k], s)
		if o.Shift.CoverFor != "" {
			c := key{o.Shift.CoverFor, o.Shift.OnCall}
			off[c] = append(off[c], s)
		}
	}
	g := Given{Peer: map[string]time.Duration{}, OnCall: map[string]time.Duration{}}
	for k, spans := range on {
		d := time.Duration(spansLength(minus(union(spans), union(off[k])))) * time.Millisecond
		if d <= 0 {
			continue
		}
		if k.onCall {
			g.OnCall[k.id] += d
		} else {
			g.Peer[k.id] += d
		}
	}
	return g
}

// span is a stretch of time in unix milliseconds, to excluded.
type span struct{ from, to int64 }

// union returns spans merged where they overlap or touch, sorted.
func union(spans []span) []span {
	s := slices.Clone(spans)
	slices.SortFunc(s, func(a, b span) int { return int(max(min(a.from-b.from, 1), -1)) })
	var out []span
	for _, x := range s {
		if n := len(out); n > 0 && x.from <= out[n-1].to {
			out[n-1].to = max(out[n-1].to, x.to)
			continue
		}
		out = append(out, x)
	}
	return out
}

// minus returns the parts of sorted, disjoint spans a that no span of sorted, disjoint b covers.
func minus(a, b []span) []span {
	var out []span
	for _, x := range a {
		for _, y := range b {
			if y.to <= x.from || y.from >= x.to {
				continue
			}
			if y.from > x.from {
				out = append(out, span{x.from, y.from})
			}
			x.from = y.to
			if x.from >= x.to {
				break
			}
		}
		if x.from < x.to {
			out = append(out, x)
		}
	}
	return out
}

func spansLength(spans []span) int64 {
	var n int64
	for _, s := range spans {
		n += s.to - s.from
	}
	return n
}
