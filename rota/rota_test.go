package rota_test

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/redis/go-redis/v9"

	"peerline/commit"
	"peerline/redistest"
	"peerline/rota"
)

func london(t *testing.T) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation("Europe/London")
	if err != nil {
		t.Fatal(err)
	}
	return loc
}

func clock(t *testing.T, s string) rota.Clock {
	t.Helper()
	c, err := rota.ParseClock(s)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestShiftCovers(t *testing.T) {
	loc := london(t)
	at := func(s string) time.Time {
		tm, err := time.ParseInLocation("2006-01-02 15:04", s, loc)
		if err != nil {
			t.Fatal(err)
		}
		return tm
	}
	// 2026-12-24 is a Thursday.
	tests := []struct {
		name       string
		day        time.Weekday
		start, end string
		t          string
		want       bool
	}{
		{"inside evening shift", time.Thursday, "20:00", "23:00", "2026-12-24 21:30", true},
		{"start is inclusive", time.Thursday, "20:00", "23:00", "2026-12-24 20:00", true},
		{"end is exclusive", time.Thursday, "20:00", "23:00", "2026-12-24 23:00", false},
		{"other day not covered", time.Wednesday, "20:00", "23:00", "2026-12-24 21:30", false},
		{"crossing midnight covers next morning", time.Thursday, "22:00", "02:00", "2026-12-25 01:10", true},
		{"crossing midnight ends", time.Thursday, "22:00", "02:00", "2026-12-25 02:00", false},
		{"24:00 end covers to midnight", time.Thursday, "00:00", "24:00", "2026-12-24 23:59", true},
		{"equal start and end is 24 hours", time.Thursday, "09:00", "09:00", "2026-12-25 08:59", true},
		{"Sunday night into Monday", time.Sunday, "22:00", "06:00", "2026-12-28 05:00", true},
		{"clocks go back night covered once", time.Saturday, "22:00", "06:00", "2026-10-25 01:30", true},
		{"clocks go forward night covered", time.Saturday, "22:00", "06:00", "2026-03-29 03:30", true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := rota.Shift{Day: tc.day, Start: clock(t, tc.start), End: clock(t, tc.end)}
			if got := s.Covers(at(tc.t), loc); got != tc.want {
				t.Fatalf("Covers(%s) = %v, want %v", tc.t, got, tc.want)
			}
		})
	}
}

func TestShiftLengthAcrossDST(t *testing.T) {
	loc := london(t)
	// Saturday 24 Oct 2026 22:00 to Sunday 06:00 lasts 9 real hours (the clocks go back at 02:00).
	s := rota.Shift{Day: time.Saturday, Start: clock(t, "22:00"), End: clock(t, "06:00")}
	from := time.Date(2026, 10, 24, 20, 0, 0, 0, loc)
	covered := 0
	for m := 0; m < 14*60; m++ {
		if s.Covers(from.Add(time.Duration(m)*time.Minute), loc) {
			covered++
		}
	}
	if covered != 9*60 {
		t.Fatalf("covered %d minutes, want %d (9 real hours)", covered, 9*60)
	}
}

func TestParseClock(t *testing.T) {
	for _, bad := range []string{"", "25:00", "24:30", "7pm", "20:5", "20-00", "-1:00"} {
		if _, err := rota.ParseClock(bad); err == nil {
			t.Errorf("ParseClock(%q) accepted", bad)
		}
	}
}

func TestParseDay(t *testing.T) {
	tests := []struct {
		in   string
		want time.Weekday
		bad  bool
	}{
		{in: "mon", want: time.Monday}, {in: "Monday", want: time.Monday}, {in: "MONDAYS", want: time.Monday},
		{in: "tue", want: time.Tuesday}, {in: "tues", want: time.Tuesday}, {in: "Tuesday", want: time.Tuesday},
		{in: "wed", want: time.Wednesday}, {in: "weds", want: time.Wednesday}, {in: "WEDS", want: time.Wednesday},
		{in: "wedn", want: time.Wednesday}, {in: "Wednesday", want: time.Wednesday},
		{in: "thu", want: time.Thursday}, {in: "thur", want: time.Thursday}, {in: "Thurs", want: time.Thursday},
		{in: "thursday", want: time.Thursday}, {in: "fri", want: time.Friday}, {in: "Fri.", want: time.Friday},
		{in: "sat", want: time.Saturday}, {in: " Saturday ", want: time.Saturday}, {in: "sun", want: time.Sunday},
		{in: "Sundays", want: time.Sunday},
		{in: "", bad: true}, {in: "mo", bad: true}, {in: "monkey", bad: true}, {in: "xyz", bad: true},
		{in: "wend", bad: true}, {in: "thr", bad: true}, {in: "weds.s", bad: true},
	}
	for _, tc := range tests {
		name := fmt.Sprintf("%q is %s", tc.in, tc.want)
		if tc.bad {
			name = fmt.Sprintf("%q is refused", tc.in)
		}
		t.Run(name, func(t *testing.T) {
			got, err := rota.ParseDay(tc.in)
			switch {
			case tc.bad && err == nil:
				t.Fatalf("ParseDay(%q) = %v, want an error", tc.in, got)
			case !tc.bad && (err != nil || got != tc.want):
				t.Fatalf("ParseDay(%q) = %v, %v; want %v", tc.in, got, err, tc.want)
			}
		})
	}
}

func FuzzParseClock(f *testing.F) {
	for _, s := range []string{"20:00", "24:00", "00:00", "9:30", "x"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		c, err := rota.ParseClock(s)
		if err != nil {
			return
		}
		if c < 0 || c > 24*60 {
			t.Fatalf("ParseClock(%q) = %d out of range", s, c)
		}
		if back, err := rota.ParseClock(c.String()); err != nil || back != c {
			t.Fatalf("round trip %q -> %s -> %d, %v", s, c, back, err)
		}
	})
}

func TestStore(t *testing.T) {
	ctx := context.Background()
	rdb, line := redistest.New(t)
	loc := london(t)
	s := rota.NewStore(rdb, line, loc)

	sam, err := s.AddVolunteer(ctx, rota.Volunteer{Name: "Sam", Phone: "+447700900001"})
	if err != nil {
		t.Fatal(err)
	}
	jo, err := s.AddVolunteer(ctx, rota.Volunteer{Name: "Jo", Phone: "+447700900002", Coordinator: true})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.AddVolunteer(ctx, rota.Volunteer{Name: "Sam again", Phone: "+447700900001"}); !errors.Is(err, rota.ErrExists) {
		t.Fatalf("duplicate phone: err = %v, want ErrExists", err)
	}
	if _, err := s.AddShift(ctx, rota.Shift{Volunteer: "v99", Day: time.Monday, Start: 0, End: 60}); !errors.Is(err, rota.ErrNotFound) {
		t.Fatalf("shift for unknown volunteer: err = %v, want ErrNotFound", err)
	}
	thu := rota.Shift{Volunteer: sam.ID, Day: time.Thursday, Start: clock(t, "22:00"), End: clock(t, "02:00")}
	if thu, err = s.AddShift(ctx, thu); err != nil {
		t.Fatal(err)
	}
	if _, err := s.AddShift(ctx, rota.Shift{Volunteer: jo.ID, Day: time.Friday, Start: 0, End: clock(t, "24:00")}); err != nil {
		t.Fatal(err)
	}

	night := time.Date(2026, 12, 25, 1, 10, 0, 0, loc) // Friday 01:10
	r, err := s.Load(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]rota.Volunteer{sam, jo}, r.OnShiftAt(night)); diff != "" {
		t.Fatalf("OnShiftAt (-want +got):\n%s", diff)
	}
	if v, ok := r.ByPhone("+447700900002"); !ok || v.ID != jo.ID || !v.Coordinator {
		t.Fatalf("ByPhone = %+v, %v", v, ok)
	}

	b := commit.New()
	s.SetAvailable(b, sam.ID, false)
	if _, err := commit.NewApplier(rdb).Apply(ctx, b); err != nil {
		t.Fatal(err)
	}
	if r, _ = s.Load(ctx); r.Available(sam.ID) || !r.Available(jo.ID) {
		t.Fatalf("after OFF: sam available %v, jo available %v", r.Available(sam.ID), r.Available(jo.ID))
	}

	if _, err := s.SetActive(ctx, jo.ID, false); err != nil {
		t.Fatal(err)
	}
	if r, _ = s.Load(ctx); r.Available(jo.ID) || !r.OnShift(jo.ID, night) {
		t.Fatalf("paused Jo: available %v (want false), on shift %v (want true: shifts are kept)",
			r.Available(jo.ID), r.OnShift(jo.ID, night))
	}
	if _, err := s.SetActive(ctx, "v99", true); !errors.Is(err, rota.ErrNotFound) {
		t.Fatalf("pausing an unknown volunteer: err = %v, want ErrNotFound", err)
	}

	if _, err := s.RemoveVolunteer(ctx, sam.ID); err != nil {
		t.Fatal(err)
	}
	if r, _ = s.Load(ctx); len(r.Shifts) != 1 || r.OnShift(sam.ID, night) {
		t.Fatalf("after removing Sam: shifts %+v", r.Shifts)
	}
	if err := s.RemoveShift(ctx, thu.ID); !errors.Is(err, rota.ErrNotFound) {
		t.Fatalf("removing Sam's shift again: err = %v, want ErrNotFound", err)
	}
	if _, err := s.RemoveVolunteer(ctx, sam.ID); !errors.Is(err, rota.ErrNotFound) {
		t.Fatalf("removing Sam again: err = %v, want ErrNotFound", err)
	}
}

// TestCachedRotaFollowsChangesFromElsewhere: a store keeps its decoded rota, but a change made through
// another store (another instance, or the coordinators' script) is seen on the next read.
func TestCachedRotaFollowsChangesFromElsewhere(t *testing.T) {
	ctx := context.Background()
	rdb, line := redistest.New(t)
	service := rota.NewStore(rdb, line, london(t))
	script := rota.NewStore(rdb, line, london(t))
	read := func() rota.Rota {
		t.Helper()
		pipe := rdb.Pipeline()
		p := service.Queue(ctx, pipe)
		if _, err := pipe.Exec(ctx); err != nil && !errors.Is(err, redis.Nil) {
			t.Fatal(err)
		}
		r, err := p.Result(ctx)
		if err != nil {
			t.Fatal(err)
		}
		return r
	}
	if n := len(read().Volunteers); n != 0 {
		t.Fatalf("empty rota has %d volunteers", n)
	}
	sam, err := script.AddVolunteer(ctx, rota.Volunteer{Name: "Sam", Phone: "+447700900001"})
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := read().Volunteers[sam.ID]; !ok {
		t.Fatal("the service's rota missed a volunteer added by the script")
	}
	b := commit.New()
	script.SetAvailable(b, sam.ID, false)
	if _, err := commit.NewApplier(rdb).Apply(ctx, b); err != nil {
		t.Fatal(err)
	}
	if read().Available(sam.ID) {
		t.Fatal("the service's rota missed Sam texting OFF")
	}
	sh, err := script.AddShift(ctx, rota.Shift{Volunteer: sam.ID, Day: time.Monday, Start: 0, End: 60})
	if err != nil {
		t.Fatal(err)
	}
	if len(read().Shifts) != 1 {
		t.Fatal("the service's rota missed a new shift")
	}
	if err := script.RemoveShift(ctx, sh.ID); err != nil {
		t.Fatal(err)
	}
	if len(read().Shifts) != 0 {
		t.Fatal("the service's rota missed a removed shift")
	}
}
