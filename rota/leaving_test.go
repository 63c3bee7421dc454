package rota

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func TestLeavingTakesCoversBothWays(t *testing.T) {
	r := memRota(t, DefaultHours(), []Shift{
		weekly("v1", time.Tuesday, 20*60, 23*60),                                            // s1: Sam's own
		weekly("v2", time.Tuesday, 17*60, 20*60),                                            // s2: Jo's own
		{Volunteer: "v1", CoverFor: "v2", Date: "2026-12-01", Start: 17 * 60, End: 20 * 60}, // s3: Sam covers Jo
		{Volunteer: "v2", CoverFor: "v1", Date: "2026-12-08", Start: 20 * 60, End: 23 * 60}, // s4: Jo covers Sam
		{Volunteer: "v1", Date: "2026-12-24", Start: 20 * 60, End: 23 * 60},                 // s5: Sam's one-off
	})
	var got []string
	for _, s := range r.Leaving("v1") {
		got = append(got, s.ID)
	}
	if diff := cmp.Diff([]string{"s1", "s3", "s4", "s5"}, got); diff != "" {
		t.Errorf("Leaving(v1) (-want +got):\n%s", diff)
	}
	w := r.Without("v1")
	if _, ok := w.Volunteers["v1"]; ok || len(w.Shifts) != 1 || w.Shifts[0].ID != "s2" {
		t.Errorf("Without(v1) keeps %v and shifts %+v", w.Volunteers["v1"], w.Shifts)
	}
	if _, ok := r.Volunteers["v1"]; !ok || len(r.Shifts) != 5 {
		t.Error("Without changed the rota it was called on")
	}
	if got := w.OnShiftAt(wall(t, "2026-12-01 18:00")); len(got) != 1 || got[0].ID != "v2" {
		t.Errorf("without Sam, Jo's shift is hers again on 1 Dec; on shift: %v", got)
	}
}

func TestGapsWithout(t *testing.T) {
	oncall := func(s Shift) Shift { s.OnCall = true; return s }
	tests := []struct {
		name   string
		shifts []Shift
		who    string
		want   []string
	}{
		{name: "removing the only volunteer on a night opens that night",
			shifts: []Shift{weekly("v1", time.Tuesday, 17*60, 9*60), weekly("v2", time.Tuesday, 17*60, 22*60),
				oncall(weekly("v3", time.Tuesday, 17*60, 9*60))},
			who:  "v1",
			want: []string{"nobody on shift 2026-11-24 22:00 GMT to 2026-11-25 09:00 GMT (on call)"}},
		{name: "removing someone always beside another opens nothing",
			shifts: []Shift{weekly("v1", time.Tuesday, 17*60, 9*60), weekly("v2", time.Tuesday, 17*60, 9*60)},
			who:    "v2", want: nil},
		{name: "removing the coordinator on call opens nights with nobody on call, not new gaps on shift",
			shifts: []Shift{weekly("v1", time.Tuesday, 17*60, 22*60), oncall(weekly("v3", time.Tuesday, 17*60, 9*60))},
			who:    "v3",
			want:   []string{"nobody on call 2026-11-24 17:00 GMT to 2026-11-25 09:00 GMT"}},
		{name: "removing someone paused opens nothing",
			shifts: []Shift{weekly("v4", time.Tuesday, 17*60, 9*60)}, who: "v4", want: nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := memRota(t, DefaultHours(), tc.shifts)
			var got []string
			for _, g := range r.GapsWithout(tc.who, wall(t, "2026-11-24 12:00"), wall(t, "2026-11-25 12:00")) {
				got = append(got, gapText(g))
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("GapsWithout(%s) (-want +got):\n%s", tc.who, diff)
			}
		})
	}
}

func TestLastOnCall(t *testing.T) {
	kimWeekly := Shift{Volunteer: "v3", Day: time.Friday, Start: 17 * 60, End: 9 * 60, OnCall: true}
	tests := []struct {
		name   string
		shifts []Shift
		want   bool
	}{
		{"the only coordinator on call is the last", []Shift{kimWeekly}, true},
		{"with another coordinator on call, not the last", []Shift{kimWeekly,
			{Volunteer: "v4", Day: time.Saturday, Start: 17 * 60, End: 9 * 60, OnCall: true}}, false},
		{"a cover of their own on-call shift goes with them", []Shift{kimWeekly,
			{Volunteer: "v4", CoverFor: "v3", Date: "2026-11-27", Start: 17 * 60, End: 9 * 60, OnCall: true}}, true},
		{"another's on-call shift that has passed does not count", []Shift{kimWeekly,
			{Volunteer: "v4", Date: "2026-11-01", Start: 17 * 60, End: 9 * 60, OnCall: true}}, true},
		{"another's last night on call, still running this morning, counts", []Shift{kimWeekly,
			{Volunteer: "v4", Date: "2026-11-23", Start: 17 * 60, End: 9 * 60, OnCall: true}}, false},
		{"without on-call shifts of their own, not the last", []Shift{{Volunteer: "v3", Day: time.Friday, Start: 17 * 60, End: 9 * 60}}, false},
		{"only a passed on-call shift of their own, not the last", []Shift{{Volunteer: "v3", Date: "2026-11-01", Start: 17 * 60, End: 9 * 60, OnCall: true}}, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := memRota(t, DefaultHours(), tc.shifts).LastOnCall("v3", "2026-11-24"); got != tc.want {
				t.Errorf("LastOnCall = %v, want %v", got, tc.want)
			}
		})
	}
}
