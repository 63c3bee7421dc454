package rota_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"peerline/redistest"
	"peerline/rota"
)

// names returns the names of vols, in order.
func names(vols []rota.Volunteer) []string {
	out := []string{}
	for _, v := range vols {
		out = append(out, v.Name)
	}
	return out
}

// fixture is a rota with Sam, Jo and Kim (a coordinator) in a fresh line.
type fixture struct {
	store        *rota.Store
	sam, jo, kim rota.Volunteer
	loc          *time.Location
}

func newFixture(t *testing.T) fixture {
	t.Helper()
	rdb, line := redistest.New(t)
	f := fixture{store: rota.NewStore(rdb, line, london(t)), loc: london(t)}
	add := func(name, number string, coordinator bool) rota.Volunteer {
		v, err := f.store.AddVolunteer(context.Background(), rota.Volunteer{Name: name, Phone: number, Coordinator: coordinator})
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	f.sam, f.jo, f.kim = add("Sam", "+447700900001", false), add("Jo", "+447700900002", false), add("Kim", "+447700900003", true)
	return f
}

func (f fixture) at(t *testing.T, s string) time.Time {
	t.Helper()
	tm, err := time.ParseInLocation("2006-01-02 15:04", s, f.loc)
	if err != nil {
		t.Fatal(err)
	}
	return tm
}

func (f fixture) add(t *testing.T, sh rota.Shift) rota.Shift {
	t.Helper()
	sh, err := f.store.AddShift(context.Background(), sh)
	if err != nil {
		t.Fatal(err)
	}
	return sh
}

func (f fixture) load(t *testing.T) rota.Rota {
	t.Helper()
	r, err := f.store.Load(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func TestWhoIsOnWithOneOffsCoversSkipsAndOnCall(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	// Jo does Thursdays 20:00-02:00; 2026-12-24 is a Thursday.
	jo := f.add(t, rota.Shift{Volunteer: f.jo.ID, Day: time.Thursday, Start: 20 * 60, End: 2 * 60})
	// Sam covers Jo on Christmas Eve 22:00-01:00.
	f.add(t, rota.Shift{Volunteer: f.sam.ID, Date: "2026-12-24", Start: 22 * 60, End: 1 * 60, CoverFor: f.jo.ID})
	// Kim does a one-off on New Year's Eve and is on call every Thursday night.
	f.add(t, rota.Shift{Volunteer: f.kim.ID, Date: "2026-12-31", Start: 18 * 60, End: 24 * 60})
	f.add(t, rota.Shift{Volunteer: f.kim.ID, Day: time.Thursday, Start: 18 * 60, End: 6 * 60, OnCall: true})
	// Jo's shift on 2026-12-17 does not happen.
	if _, err := f.store.Change(ctx, func(rota.Rota) (rota.Plan, error) {
		return rota.Plan{Skip: []string{rota.SkipKey(jo.ID, "2026-12-17")}}, nil
	}); err != nil {
		t.Fatal(err)
	}
	r := f.load(t)
	tests := []struct {
		at           string
		peers, oncal []string
	}{
		{"2026-12-24 21:00", []string{"Jo"}, []string{"Kim"}},
		{"2026-12-24 22:00", []string{"Sam"}, []string{"Kim"}},
		{"2026-12-25 00:59", []string{"Sam"}, []string{"Kim"}},
		{"2026-12-25 01:00", []string{"Jo"}, []string{"Kim"}},
		{"2026-12-25 02:00", []string{}, []string{"Kim"}},
		{"2026-12-17 21:00", []string{}, []string{"Kim"}},
		{"2026-12-18 01:00", []string{}, []string{"Kim"}},
		{"2026-12-31 19:00", []string{"Kim"}, []string{"Kim"}},
		{"2026-12-31 20:30", []string{"Jo", "Kim"}, []string{"Kim"}},
		{"2026-12-30 19:00", []string{}, []string{}},
	}
	for _, tc := range tests {
		t.Run(tc.at, func(t *testing.T) {
			when := f.at(t, tc.at)
			if diff := cmp.Diff(tc.peers, names(r.OnShiftAt(when))); diff != "" {
				t.Errorf("on shift (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tc.oncal, names(r.OnCallAt(when))); diff != "" {
				t.Errorf("on call (-want +got):\n%s", diff)
			}
		})
	}
}

// TestWhoIsOnIsSharedButAppendingToItChangesNothing: the answers of one minute are shared by every
// caller (see atMemo); callers that append to one (as the coordinators' alert does) must each get their
// own copy, and leave the answer as it was.
func TestWhoIsOnIsSharedButAppendingToItChangesNothing(t *testing.T) {
	f := newFixture(t)
	f.add(t, rota.Shift{Volunteer: f.jo.ID, Day: time.Thursday, Start: 20 * 60, End: 2 * 60})
	f.add(t, rota.Shift{Volunteer: f.sam.ID, Day: time.Thursday, Start: 20 * 60, End: 2 * 60})
	r := f.load(t)
	when := f.at(t, "2026-12-24 21:00")
	for _, ask := range []func(time.Time) []rota.Volunteer{r.OnShiftAt, r.AvailableOnShiftAt} {
		for range 2 { // the first ask works the answer out; the second gets the one remembered
			first := append(ask(when), rota.Volunteer{Name: "Ann"})
			second := append(ask(when), rota.Volunteer{Name: "Bo"})
			if diff := cmp.Diff([]string{"Sam", "Jo", "Ann"}, names(first)); diff != "" {
				t.Fatalf("a caller's own append, after another's (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff([]string{"Sam", "Jo", "Bo"}, names(second)); diff != "" {
				t.Fatalf("the second caller's append (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff([]string{"Sam", "Jo"}, names(ask(when))); diff != "" {
				t.Fatalf("the answer after callers appended (-want +got):\n%s", diff)
			}
		}
	}
}

// TestOneOffShiftOverClockChangesNeitherLosesNorDoublesCover counts real minutes of cover, minute by
// minute, over both clock changes of 2026.
func TestOneOffShiftOverClockChangesNeitherLosesNorDoublesCover(t *testing.T) {
	f := newFixture(t)
	f.add(t, rota.Shift{Volunteer: f.sam.ID, Date: "2026-03-28", Start: 22 * 60, End: 6 * 60})
	f.add(t, rota.Shift{Volunteer: f.sam.ID, Date: "2026-10-24", Start: 22 * 60, End: 6 * 60})
	// A handover inside the repeated hour on the night the clocks go back: Jo 20:00-01:30, Kim 01:30-08:00.
	f.add(t, rota.Shift{Volunteer: f.jo.ID, Date: "2026-10-24", Start: 20 * 60, End: 90})
	f.add(t, rota.Shift{Volunteer: f.kim.ID, Date: "2026-10-25", Start: 90, End: 8 * 60})
	r := f.load(t)
	count := func(from time.Time, hours int, who string) (covered, both int) {
		for m := 0; m < hours*60; m++ {
			on := names(r.OnShiftAt(from.Add(time.Duration(m) * time.Minute)))
			if strings.Contains(strings.Join(on, ","), who) {
				covered++
			}
			if len(on) > 1 {
				both++
			}
		}
		return covered, both
	}
	if got, _ := count(f.at(t, "2026-03-28 20:00"), 12, "Sam"); got != 7*60 {
		t.Errorf("spring night 22:00-06:00: %d minutes of cover, want 420 (the clocks skip an hour)", got)
	}
	if got, _ := count(f.at(t, "2026-10-24 20:00"), 14, "Sam"); got != 9*60 {
		t.Errorf("autumn night 22:00-06:00: %d minutes of cover, want 540 (the clocks repeat an hour)", got)
	}
	jo, _ := count(f.at(t, "2026-10-24 19:00"), 15, "Jo")
	kim, _ := count(f.at(t, "2026-10-24 19:00"), 15, "Kim")
	if jo+kim != 13*60 {
		t.Errorf("handover at 01:30 on the autumn night: Jo %d + Kim %d minutes, want 780 together (no gap, no overlap)", jo, kim)
	}
}

func TestPlanIsCheckedWhole(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	thu := f.add(t, rota.Shift{Volunteer: f.jo.ID, Day: time.Thursday, Start: 20 * 60, End: 2 * 60})
	tests := []struct {
		name string
		plan rota.Plan
		want []error
		says []string
	}{
		{"the same shift twice", rota.Plan{Shifts: []rota.Shift{{Volunteer: f.jo.ID, Day: time.Thursday, Start: 20 * 60, End: 2 * 60}}},
			[]error{rota.ErrExists}, []string{"already on the rota as " + thu.ID}},
		{"unknown volunteer", rota.Plan{Shifts: []rota.Shift{{Volunteer: "v99", Day: time.Monday, Start: 0, End: 60}}},
			[]error{rota.ErrNotFound}, []string{"volunteer v99"}},
		{"on call but not a coordinator", rota.Plan{Shifts: []rota.Shift{{Volunteer: f.sam.ID, Day: time.Monday, Start: 0, End: 60, OnCall: true}}},
			[]error{rota.ErrInvalid}, []string{"not a coordinator"}},
		{"weekly cover", rota.Plan{Shifts: []rota.Shift{{Volunteer: f.sam.ID, Day: time.Monday, Start: 0, End: 60, CoverFor: f.jo.ID}}},
			[]error{rota.ErrInvalid}, []string{"a cover is for one date"}},
		{"skip on the wrong day", rota.Plan{Skip: []string{rota.SkipKey(thu.ID, "2026-12-23")}},
			[]error{rota.ErrInvalid}, []string{"2026-12-23 is a Wednesday"}},
		{"a number someone has, and a bad date, at once", rota.Plan{
			Volunteers: []rota.Volunteer{{Name: "Ann", Phone: f.sam.Phone}},
			Shifts:     []rota.Shift{{Volunteer: f.jo.ID, Date: "2026-02-30", Start: 0, End: 60}}},
			[]error{rota.ErrExists, rota.ErrInvalid}, []string{"already belongs to Sam", `date "2026-02-30"`}},
		{"bad channel and tag", rota.Plan{Volunteers: []rota.Volunteer{{Name: "Ann", Phone: "+447700900010",
			Channels: []string{"pager"}, Tags: []string{"a/b"}}}},
			[]error{rota.ErrInvalid}, []string{`channel "pager"`, `tag "a/b"`}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			before := f.load(t)
			_, err := f.store.Change(ctx, func(rota.Rota) (rota.Plan, error) { return tc.plan, nil })
			for _, want := range tc.want {
				if !errors.Is(err, want) {
					t.Errorf("err = %v, want %v", err, want)
				}
			}
			for _, s := range tc.says {
				if err == nil || !strings.Contains(err.Error(), s) {
					t.Errorf("err = %v, want it to say %q", err, s)
				}
			}
			after := f.load(t)
			if len(after.Volunteers) != len(before.Volunteers) || len(after.Shifts) != len(before.Shifts) || len(after.Skips) != len(before.Skips) {
				t.Errorf("a refused plan changed the rota")
			}
		})
	}
}

func TestVolunteerEditAndPhoneChange(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	v, err := f.store.UpdateVolunteer(ctx, f.sam.ID, func(v *rota.Volunteer) error {
		v.Phone, v.Tags, v.Channels, v.MaxChats, v.Notes = "+447700900011", []string{"Women Only", "alcohol"}, []string{"WhatsApp", "sms"}, 2, " prefers nights "
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	want := rota.Volunteer{ID: f.sam.ID, Name: "Sam", Phone: "+447700900011", Active: true, Channels: []string{"whatsapp", "sms"},
		Tags: []string{"alcohol", "women-only"}, MaxChats: 2, Notes: "prefers nights"}
	if diff := cmp.Diff(want, v); diff != "" {
		t.Fatalf("edited (-want +got):\n%s", diff)
	}
	r := f.load(t)
	if _, ok := r.ByPhone(f.sam.Phone); ok {
		t.Error("Sam's old number still finds a volunteer")
	}
	if got, ok := r.ByPhone("+447700900011"); !ok || got.ID != f.sam.ID {
		t.Error("Sam's new number does not find Sam")
	}
	if _, err := f.store.UpdateVolunteer(ctx, f.jo.ID, func(v *rota.Volunteer) error { v.Phone = "+447700900011"; return nil }); !errors.Is(err, rota.ErrExists) {
		t.Errorf("taking Sam's number: err = %v, want ErrExists", err)
	}
}

func TestRemovingAVolunteerRemovesCoversOfThemAndSkipsOfTheirShifts(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	jo := f.add(t, rota.Shift{Volunteer: f.jo.ID, Day: time.Thursday, Start: 20 * 60, End: 2 * 60})
	f.add(t, rota.Shift{Volunteer: f.sam.ID, Date: "2026-12-24", Start: 22 * 60, End: 1 * 60, CoverFor: f.jo.ID})
	if _, err := f.store.Change(ctx, func(rota.Rota) (rota.Plan, error) {
		return rota.Plan{Skip: []string{rota.SkipKey(jo.ID, "2026-12-17")}}, nil
	}); err != nil {
		t.Fatal(err)
	}
	if _, err := f.store.RemoveVolunteer(ctx, f.jo.ID); err != nil {
		t.Fatal(err)
	}
	if r := f.load(t); len(r.Shifts) != 0 || len(r.Skips) != 0 {
		t.Fatalf("left behind: shifts %+v, skips %v", r.Shifts, r.Skips)
	}
}

func TestOpenHours(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	tests := []struct {
		at   string
		want bool
	}{
		{"2026-11-24 12:00", false}, // Tuesday daytime
		{"2026-11-24 16:59", false},
		{"2026-11-24 17:00", true},
		{"2026-11-25 08:59", true},
		{"2026-11-25 09:00", false},
		{"2026-11-28 12:00", true}, // Saturday
		{"2026-12-25 12:00", true}, // Christmas Day, a Friday
		{"2026-12-28 12:00", true}, // Boxing Day falls on a Saturday: Monday is the substitute day
		{"2026-12-24 12:00", false},
		{"2026-08-31 12:00", true}, // summer bank holiday
	}
	check := func(r rota.Rota, label string, extra map[string]bool) {
		for _, tc := range tests {
			want := tc.want || extra[tc.at]
			if got := r.Open(f.at(t, tc.at)); got != want {
				t.Errorf("%s: open at %s = %v, want %v", label, tc.at, got, want)
			}
		}
	}
	check(f.load(t), "default hours", nil)
	h, err := f.store.SetHours(ctx, func(h *rota.Hours) error { h.Extra = append(h.Extra, "2026-12-24"); return nil })
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{"2026-12-24"}, h.Extra); diff != "" {
		t.Fatalf("extra dates (-want +got):\n%s", diff)
	}
	check(f.load(t), "with Christmas Eve", map[string]bool{"2026-12-24 12:00": true})
	if _, err := f.store.SetHours(ctx, func(h *rota.Hours) error { h.Extra = []string{"24 Dec"}; return nil }); !errors.Is(err, rota.ErrInvalid) {
		t.Fatalf("bad extra date: err = %v, want ErrInvalid", err)
	}
	next, ok := f.load(t).Hours.NextOpen(f.at(t, "2026-11-24 10:20"), f.loc)
	if !ok || !next.Equal(f.at(t, "2026-11-24 17:00")) {
		t.Fatalf("NextOpen = %v, %v; want 17:00 the same day", next, ok)
	}
}
