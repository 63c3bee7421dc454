package rota_test

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"peerline/rota"
)

func TestGapSets(t *testing.T) {
	at := func(h int) time.Time { return time.Date(2026, 12, 24, h, 0, 0, 0, time.UTC) }
	gaps := []rota.Gap{
		{Kind: rota.NoShift, Start: at(1), End: at(2)},
		{Kind: rota.NoOnCall, Start: at(1), End: at(3)},
		{Kind: rota.NoShift, Start: at(2), End: at(4), OnCall: true},
		{Kind: rota.NoShift, Start: at(6), End: at(7), OnCall: true},
	}
	if diff := cmp.Diff([]rota.Gap{gaps[1]}, rota.OfKind(gaps, rota.NoOnCall)); diff != "" {
		t.Errorf("OfKind (-want +got):\n%s", diff)
	}
	joined := []rota.Gap{{Kind: rota.NoShift, Start: at(1), End: at(4)}, gaps[3]}
	if diff := cmp.Diff(joined, rota.Joined(gaps, rota.NoShift)); diff != "" {
		t.Errorf("Joined: stretches that carry straight on are one (-want +got):\n%s", diff)
	}
	if got := rota.Length(rota.OfKind(gaps, rota.NoShift)); got != 4*time.Hour {
		t.Errorf("Length = %v, want 4h", got)
	}
	for _, tc := range []struct {
		name string
		gaps []rota.Gap
		want rota.GapSummary
	}{
		{"none", nil, rota.GapSummary{}},
		{"on call only", gaps[2:3], rota.GapSummary{NoShift: true}},
		{"bare and no call", gaps[:2], rota.GapSummary{NoShift: true, Bare: true, NoCall: true}},
	} {
		if got := rota.Summarise(tc.gaps); got != tc.want {
			t.Errorf("Summarise(%s) = %+v, want %+v", tc.name, got, tc.want)
		}
	}
}

func TestNamedFindsEveryoneOfThatName(t *testing.T) {
	r := rota.Rota{Volunteers: map[string]rota.Volunteer{
		"v1": {ID: "v1", Name: "Sam"}, "v2": {ID: "v2", Name: "Jo"}, "v10": {ID: "v10", Name: "sam"},
	}}
	var ids []string
	for _, v := range r.Named("  SAM ") {
		ids = append(ids, v.ID)
	}
	if diff := cmp.Diff([]string{"v1", "v10"}, ids); diff != "" {
		t.Errorf("Named (-want +got):\n%s", diff)
	}
	if got := r.Named("Kim"); len(got) != 0 {
		t.Errorf("Named(Kim) = %v, want none", got)
	}
}
