package rota

import "time"

// OfKind returns the gaps of kind, in their order.
func OfKind(gaps []Gap, kind GapKind) []Gap {
	var out []Gap
	for _, g := range gaps {
		if g.Kind == kind {
			out = append(out, g)
		}
	}
	return out
}

// Joined returns the gaps of kind with stretches that carry straight on joined: a gap with nobody on
// shift that has a coordinator on call for part of it is one stretch to cover.
func Joined(gaps []Gap, kind GapKind) []Gap {
	var out []Gap
	for _, g := range OfKind(gaps, kind) {
		if n := len(out); n > 0 && out[n-1].End.Equal(g.Start) {
			out[n-1].End = g.End
			continue
		}
		out = append(out, g)
	}
	return out
}

// Length adds up how long gaps last, in real time.
func Length(gaps []Gap) time.Duration {
	var d time.Duration
	for _, g := range gaps {
		d += g.End.Sub(g.Start)
	}
	return d
}

// GapSummary says which kinds of gap a stretch of time has.
type GapSummary struct {
	NoShift bool // nobody on shift at some open moment
	Bare    bool // nobody on shift and nobody on call at some open moment
	NoCall  bool // nobody on call at some open moment
}

// Summarise says which kinds of gap gaps hold.
func Summarise(gaps []Gap) GapSummary {
	var s GapSummary
	for _, g := range gaps {
		switch g.Kind {
		case NoShift:
			s.NoShift = true
			s.Bare = s.Bare || !g.OnCall
		case NoOnCall:
			s.NoCall = true
		}
	}
	return s
}
