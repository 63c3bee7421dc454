package rota

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func TestGiven(t *testing.T) {
	t.Parallel()
	// Week of Monday 23 November 2026. Sam (v1) Mon 20:00-02:00 weekly, skipped on the 30th (outside)
	// and Tue 18:00-22:00 weekly skipped on the 24th; Jo (v2) covers Sam Mon 23 Nov 22:00-24:00; Jo's
	// own Wed 19:00-21:00 and a dated Wed 20:00-22:00 overlap and count once; Kim (v3) on call Sat all day.
	shifts := []Shift{
		weekly("v1", time.Monday, 20*60, 2*60),
		weekly("v1", time.Tuesday, 18*60, 22*60),
		{Volunteer: "v2", Date: "2026-11-23", Start: 22 * 60, End: 24 * 60, CoverFor: "v1"},
		weekly("v2", time.Wednesday, 19*60, 21*60),
		{Volunteer: "v2", Date: "2026-11-25", Start: 20 * 60, End: 22 * 60},
		{Volunteer: "v3", Day: time.Saturday, Start: 0, End: 24 * 60, OnCall: true},
	}
	r := memRota(t, DefaultHours(), shifts, SkipKey("s2", "2026-11-24"))
	g := r.Given(wall(t, "2026-11-23 00:00"), wall(t, "2026-11-30 00:00"))
	want := Given{
		// Sam: Mon 20:00-22:00 and 00:00-02:00 (Jo covers 22:00-24:00); Tuesday skipped.
		Peer:   map[string]time.Duration{"v1": 4 * time.Hour, "v2": 2*time.Hour + 3*time.Hour},
		OnCall: map[string]time.Duration{"v3": 24 * time.Hour},
	}
	if diff := cmp.Diff(want, g); diff != "" {
		t.Errorf("given (-want +got):\n%s", diff)
	}
	if peer, call := g.Total(); peer != 9*time.Hour || call != 24*time.Hour {
		t.Errorf("total %v peer, %v on call; want 9h and 24h", peer, call)
	}
	// The range cuts a shift: only its hour from 23:00 to midnight counts.
	g = r.Given(wall(t, "2026-11-30 23:00"), wall(t, "2026-12-01 00:00"))
	if g.Peer["v1"] != time.Hour {
		t.Errorf("an hour of a shift cut by the range: got %v", g.Peer["v1"])
	}
}
