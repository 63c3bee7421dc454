package matcher_test

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"peerline/matcher"
	"peerline/rota"
)

func TestPlan(t *testing.T) {
	t0 := time.Date(2026, 12, 24, 23, 0, 0, 0, time.UTC)
	vol := func(id string, tags ...string) rota.Volunteer { return rota.Volunteer{ID: id, Name: id, Tags: tags} }
	a, b, c, w := vol("v1"), vol("v2"), vol("v3"), vol("v4", "women-only")
	req := func(code string, min int, opts ...func(*matcher.Request)) matcher.Request {
		r := matcher.Request{Code: code, Status: matcher.Open, Created: t0.Add(time.Duration(min) * time.Minute), Tier: 1,
			Holders: map[string]bool{}, PassedBy: map[string]bool{}, OfferedTo: map[string]bool{}}
		for _, o := range opts {
			o(&r)
		}
		return r
	}
	held := func(ids ...string) func(*matcher.Request) {
		return func(r *matcher.Request) {
			for _, id := range ids {
				r.Holders[id] = true
			}
		}
	}
	passed := func(ids ...string) func(*matcher.Request) {
		return func(r *matcher.Request) {
			for _, id := range ids {
				r.PassedBy[id] = true
			}
		}
	}
	widened := func(r *matcher.Request) { r.Tier = 2 }
	wants := func(tags ...string) func(*matcher.Request) { return func(r *matcher.Request) { r.Wants = tags } }
	late := func(r *matcher.Request) { r.Status = matcher.Unanswered }
	tests := []struct {
		name      string
		queue     []matcher.Request
		free      []rota.Volunteer
		holds     map[string]int
		lateHolds map[string]time.Time
		last      map[string]time.Time
		want      []string // "code volunteer"
	}{
		{"nobody waiting offers nothing", nil, []rota.Volunteer{a, b}, nil, nil, nil, nil},
		{"a new request goes to the first two, fairest first", []matcher.Request{req("RAAA", 0)},
			[]rota.Volunteer{a, b, c}, nil, nil, map[string]time.Time{"v1": t0, "v2": t0.Add(-time.Hour)},
			[]string{"RAAA v3", "RAAA v2"}}, // v3 never had one
		{"every waiting person gets someone before anyone gets a second", []matcher.Request{req("RAAA", 0), req("RCCC", 1)},
			[]rota.Volunteer{a, b}, nil, nil, nil, []string{"RAAA v1", "RCCC v2"}},
		{"the oldest waiting first when there are too few", []matcher.Request{req("RAAA", 0), req("RCCC", 1)},
			[]rota.Volunteer{c}, nil, nil, nil, []string{"RAAA v3"}},
		{"the urgent first whatever its age", []matcher.Request{req("RUUU", 5, func(r *matcher.Request) { r.Urgent = true }), req("RAAA", 0)},
			[]rota.Volunteer{c}, nil, nil, nil, []string{"RUUU v3"}},
		{"a volunteer holding an offer is not offered another; nobody is left unseen", []matcher.Request{req("RAAA", 0, held("v1")), req("RCCC", 1)},
			[]rota.Volunteer{a, b}, map[string]int{"v1": 1}, nil, nil, []string{"RCCC v2"}},
		{"a request at its first-tier limit waits; the next one is offered", []matcher.Request{req("RAAA", 0, held("v1", "v2")), req("RCCC", 1)},
			[]rota.Volunteer{a, b, c}, map[string]int{"v1": 1, "v2": 1}, nil, nil, []string{"RCCC v3"}},
		{"one free all along waits for the first tier to end", []matcher.Request{req("RAAA", 0, held("v1", "v2"))},
			[]rota.Volunteer{a, b, c}, map[string]int{"v1": 1, "v2": 1}, nil, nil, nil},
		{"a widened request goes to everyone idle", []matcher.Request{req("RAAA", 0, held("v1"), widened)},
			[]rota.Volunteer{a, b, c}, map[string]int{"v1": 1}, nil, nil, []string{"RAAA v2", "RAAA v3"}},
		{"nobody is offered what they passed on", []matcher.Request{req("RAAA", 0, passed("v1"))},
			[]rota.Volunteer{a}, nil, nil, nil, nil},
		{"a request for a woman goes to a free woman first", []matcher.Request{req("RAAA", 0, wants("women-only"))},
			[]rota.Volunteer{a, w}, nil, nil, nil, []string{"RAAA v4"}},
		{"and to anyone when no woman is free", []matcher.Request{req("RAAA", 0, wants("women-only"))},
			[]rota.Volunteer{a}, nil, nil, nil, []string{"RAAA v1"}},
		{"a signposted person goes to someone idle when nobody waits", []matcher.Request{req("RLLL", -30, late)},
			[]rota.Volunteer{a}, nil, nil, nil, []string{"RLLL v1"}},
		{"waiting people before signposted ones", []matcher.Request{req("RAAA", 0), req("RLLL", -30, late)},
			[]rota.Volunteer{a}, nil, nil, nil, []string{"RAAA v1"}},
		{"one late offer at a time", []matcher.Request{req("RLLL", -30, late), req("RMMM", -31, late)},
			[]rota.Volunteer{a}, nil, map[string]time.Time{"v1": t0.Add(-time.Minute)}, nil, nil},
		{"a late offer unanswered for a while holds nobody back", []matcher.Request{req("RLLL", -30, late)},
			[]rota.Volunteer{a}, nil, map[string]time.Time{"v1": t0.Add(-4 * time.Minute)}, nil, []string{"RLLL v1"}},
		{"each signposted person to one volunteer at a time", []matcher.Request{
			req("RLLL", -30, late, func(r *matcher.Request) { r.LateOffered = t0.Add(-time.Minute) }), req("RMMM", -31, late)},
			[]rota.Volunteer{a, b, c}, nil, nil, nil, []string{"RMMM v1"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			plan := matcher.Plan(matcher.PlanInput{
				Board: matcher.Board{Queue: tc.queue, Holds: tc.holds, LateHolds: tc.lateHolds, Last: tc.last},
				Free:  tc.free, FirstOffers: 2, Now: t0, LateEvery: 3 * time.Minute,
			})
			var got []string
			for _, p := range plan {
				got = append(got, p.Request.Code+" "+p.Volunteer.ID)
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Fatalf("plan (-want +got):\n%s", diff)
			}
		})
	}
}

// TestPlanGivesAVolunteerJustFreedTheHead: the moment a volunteer comes free by a message, they are
// offered the first waiting request they may take, even one held by its first few already.
func TestPlanGivesAVolunteerJustFreedTheHead(t *testing.T) {
	a, b, c := rota.Volunteer{ID: "v1"}, rota.Volunteer{ID: "v2"}, rota.Volunteer{ID: "v3"}
	req := matcher.Request{Code: "RAAA", Status: matcher.Open, Tier: 1, Holders: map[string]bool{"v1": true, "v2": true},
		PassedBy: map[string]bool{}}
	plan := matcher.Plan(matcher.PlanInput{
		Board: matcher.Board{Queue: []matcher.Request{req}, Holds: map[string]int{"v1": 1, "v2": 1}},
		Free:  []rota.Volunteer{a, b, c}, FirstOffers: 2, Freed: []string{"v3"},
	})
	if len(plan) != 1 || plan[0].Request.Code != "RAAA" || plan[0].Volunteer.ID != "v3" {
		t.Fatalf("plan %+v, want RAAA offered to v3", plan)
	}
}
