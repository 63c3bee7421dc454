package rota

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// london is the line's time zone in these tests.
func londonZone(t testing.TB) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation("Europe/London")
	if err != nil {
		t.Fatal(err)
	}
	return loc
}

// memRota builds a rota in memory, as the store would load it: Sam (v1), Jo (v2), Kim (v3, a
// coordinator) and Lee (v4, paused), with the shifts, skips and hours given.
func memRota(t testing.TB, hours Hours, shifts []Shift, skips ...string) Rota {
	t.Helper()
	vols := map[string]string{}
	for i, v := range []Volunteer{{Name: "Sam", Active: true}, {Name: "Jo", Active: true},
		{Name: "Kim", Active: true, Coordinator: true}, {Name: "Lee", Coordinator: true}} {
		v.ID, v.Phone = fmt.Sprintf("v%d", i+1), fmt.Sprintf("+44770090000%d", i+1)
		raw, _ := json.Marshal(v)
		vols[v.ID] = string(raw)
	}
	sm := map[string]string{}
	for i, s := range shifts {
		s.ID = fmt.Sprintf("s%d", i+1)
		raw, _ := json.Marshal(s)
		sm[s.ID] = string(raw)
	}
	sk := map[string]string{}
	for _, k := range skips {
		sk[k] = ""
	}
	raw, _ := json.Marshal(hours)
	r, err := decode(vols, sm, nil, sk, string(raw), londonZone(t))
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// wall reads "2026-11-24 17:00" in London; "2026-10-25 01:30 GMT" picks the second 01:30 of the night
// the clocks go back.
func wall(t testing.TB, s string) time.Time {
	t.Helper()
	loc := londonZone(t)
	if len(s) > 16 && s[17:] == "GMT" {
		tm, err := time.ParseInLocation("2006-01-02 15:04", s[:16], time.UTC)
		if err != nil {
			t.Fatal(err)
		}
		return tm.In(loc)
	}
	tm, err := time.ParseInLocation("2006-01-02 15:04", s, loc)
	if err != nil {
		t.Fatal(err)
	}
	return tm
}

// gapText shows a gap for comparison: "NoShift 2026-11-24 17:00 BST - ... (on call)".
func gapText(g Gap) string {
	const layout = "2006-01-02 15:04 MST"
	s := fmt.Sprintf("%s %s to %s", g.Kind, g.Start.Format(layout), g.End.Format(layout))
	if g.OnCall {
		s += " (on call)"
	}
	return s
}

func weekly(vol string, day time.Weekday, start, end Clock) Shift {
	return Shift{Volunteer: vol, Day: day, Start: start, End: end}
}

func TestGaps(t *testing.T) {
	nights := DefaultHours() // weekdays 17:00 to 09:00, weekends and bank holidays all day
	noWeekends := Hours{WeekdayFrom: 17 * 60, WeekdayUntil: 9 * 60}
	oncall := func(s Shift) Shift { s.OnCall = true; return s }
	tests := []struct {
		name     string
		hours    Hours
		shifts   []Shift
		skips    []string
		from, to string
		want     []string
	}{
		{name: "an empty rota leaves the night with nobody on shift and nobody on call",
			hours: nights, from: "2026-11-24 12:00", to: "2026-11-25 12:00",
			want: []string{"nobody on shift 2026-11-24 17:00 GMT to 2026-11-25 09:00 GMT",
				"nobody on call 2026-11-24 17:00 GMT to 2026-11-25 09:00 GMT"}},
		{name: "a volunteer all night leaves only the night with nobody on call",
			hours: nights, shifts: []Shift{weekly("v1", time.Tuesday, 17*60, 9*60)},
			from: "2026-11-24 12:00", to: "2026-11-25 12:00",
			want: []string{"nobody on call 2026-11-24 17:00 GMT to 2026-11-25 09:00 GMT"}},
		{name: "shifts back to back leave no gap on shift",
			hours: nights, shifts: []Shift{weekly("v1", time.Tuesday, 17*60, 22*60), weekly("v2", time.Tuesday, 22*60, 9*60),
				oncall(weekly("v3", time.Tuesday, 17*60, 9*60))},
			from: "2026-11-24 12:00", to: "2026-11-25 12:00", want: nil},
		{name: "a night with nobody on shift but a coordinator on call is a gap covered on call, split where the call ends",
			hours: nights, shifts: []Shift{oncall(weekly("v3", time.Tuesday, 17*60, 2*60))},
			from: "2026-11-24 12:00", to: "2026-11-25 12:00",
			want: []string{"nobody on shift 2026-11-24 17:00 GMT to 2026-11-25 02:00 GMT (on call)",
				"nobody on shift 2026-11-25 02:00 GMT to 2026-11-25 09:00 GMT",
				"nobody on call 2026-11-25 02:00 GMT to 2026-11-25 09:00 GMT"}},
		{name: "a paused coordinator on call and a paused volunteer on shift do not count",
			hours: nights, shifts: []Shift{oncall(weekly("v4", time.Tuesday, 17*60, 9*60)), weekly("v4", time.Tuesday, 17*60, 9*60)},
			from: "2026-11-24 12:00", to: "2026-11-25 12:00",
			want: []string{"nobody on shift 2026-11-24 17:00 GMT to 2026-11-25 09:00 GMT",
				"nobody on call 2026-11-24 17:00 GMT to 2026-11-25 09:00 GMT"}},
		{name: "a skipped date leaves its gap, other weeks stay covered",
			hours: nights, shifts: []Shift{weekly("v1", time.Tuesday, 17*60, 9*60), oncall(weekly("v3", time.Tuesday, 17*60, 9*60))},
			skips: []string{"s1 2026-11-24"}, from: "2026-11-24 12:00", to: "2026-12-02 12:00",
			want: []string{"nobody on shift 2026-11-24 17:00 GMT to 2026-11-25 09:00 GMT (on call)",
				"nobody on shift 2026-11-25 17:00 GMT to 2026-11-26 09:00 GMT",
				"nobody on call 2026-11-25 17:00 GMT to 2026-11-26 09:00 GMT",
				"nobody on shift 2026-11-26 17:00 GMT to 2026-11-27 09:00 GMT",
				"nobody on call 2026-11-26 17:00 GMT to 2026-11-27 09:00 GMT",
				"nobody on shift 2026-11-27 17:00 GMT to 2026-11-30 09:00 GMT", // the weekend, open all day
				"nobody on call 2026-11-27 17:00 GMT to 2026-11-30 09:00 GMT",
				"nobody on shift 2026-11-30 17:00 GMT to 2026-12-01 09:00 GMT",
				"nobody on call 2026-11-30 17:00 GMT to 2026-12-01 09:00 GMT"}},
		{name: "a cover puts the covered volunteer off",
			hours: nights, shifts: []Shift{weekly("v1", time.Tuesday, 17*60, 9*60), oncall(weekly("v3", time.Tuesday, 17*60, 9*60)),
				{Volunteer: "v4", CoverFor: "v1", Date: "2026-11-24", Start: 20 * 60, End: 22 * 60}},
			from: "2026-11-24 12:00", to: "2026-11-25 12:00",
			want: []string{"nobody on shift 2026-11-24 20:00 GMT to 2026-11-24 22:00 GMT (on call)"}},
		{name: "a gap is cut to the time asked about",
			hours: nights, from: "2026-11-24 20:00", to: "2026-11-24 21:30",
			want: []string{"nobody on shift 2026-11-24 20:00 GMT to 2026-11-24 21:30 GMT",
				"nobody on call 2026-11-24 20:00 GMT to 2026-11-24 21:30 GMT"}},
		{name: "the night the clocks go back lasts 17 real hours",
			hours: noWeekends, from: "2026-10-24 12:00", to: "2026-10-25 12:00",
			want: []string{"nobody on shift 2026-10-24 17:00 BST to 2026-10-25 09:00 GMT",
				"nobody on call 2026-10-24 17:00 BST to 2026-10-25 09:00 GMT"}},
		{name: "a shift over the clocks going back covers the night once, the hour repeated included",
			hours: noWeekends, shifts: []Shift{weekly("v1", time.Saturday, 17*60, 9*60), oncall(weekly("v3", time.Saturday, 17*60, 1*60+30))},
			from: "2026-10-24 12:00", to: "2026-10-25 12:00",
			want: []string{"nobody on call 2026-10-25 01:30 GMT to 2026-10-25 09:00 GMT"}}, // a wall time read twice is its second
		{name: "the night the clocks go forward lasts 15 real hours, and a shift over it leaves no gap",
			hours: noWeekends, shifts: []Shift{weekly("v1", time.Saturday, 22*60, 6*60)},
			from: "2026-03-28 12:00", to: "2026-03-29 12:00",
			want: []string{"nobody on shift 2026-03-28 17:00 GMT to 2026-03-28 22:00 GMT",
				"nobody on call 2026-03-28 17:00 GMT to 2026-03-29 09:00 BST",
				"nobody on shift 2026-03-29 06:00 BST to 2026-03-29 09:00 BST"}},
		{name: "hours that close at a time the clocks go back over close twice",
			hours: Hours{WeekdayFrom: 17 * 60, WeekdayUntil: 90},
			from:  "2026-10-24 12:00", to: "2026-10-25 12:00",
			want: []string{"nobody on shift 2026-10-24 17:00 BST to 2026-10-25 01:30 BST",
				"nobody on call 2026-10-24 17:00 BST to 2026-10-25 01:30 BST",
				"nobody on shift 2026-10-25 01:00 GMT to 2026-10-25 01:30 GMT",
				"nobody on call 2026-10-25 01:00 GMT to 2026-10-25 01:30 GMT"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := memRota(t, tc.hours, tc.shifts, tc.skips...)
			var got []string
			for _, g := range r.Gaps(wall(t, tc.from), wall(t, tc.to)) {
				if g.Start.Location() != r.loc || g.End.Location() != r.loc {
					t.Errorf("gap %s is not in the line's time zone", gapText(g))
				}
				got = append(got, gapText(g))
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("Gaps (-want +got):\n%s", diff)
			}
		})
	}
}

// TestGapsAgreeWithEveryMinute compares Gaps with a look at every minute, for random rotas over the
// weeks the clocks change.
func TestGapsAgreeWithEveryMinute(t *testing.T) {
	rng := rand.New(rand.NewPCG(11, 48))
	quarter := func() Clock { return Clock(rng.IntN(24*4) * 15) }
	for n := range 40 {
		var shifts []Shift
		for range 1 + rng.IntN(8) {
			s := Shift{Volunteer: fmt.Sprintf("v%d", 1+rng.IntN(4)), Day: time.Weekday(rng.IntN(7)), Start: quarter(), End: quarter()}
			if s.Start == s.End {
				s.End = 24 * 60
			}
			if rng.IntN(3) == 0 {
				s.Day, s.Date = 0, []string{"2026-10-24", "2026-10-25", "2026-03-28", "2026-03-29"}[rng.IntN(4)]
			}
			s.OnCall = rng.IntN(3) == 0 && (s.Volunteer == "v3" || s.Volunteer == "v4")
			shifts = append(shifts, s)
		}
		hours := Hours{WeekdayFrom: quarter(), WeekdayUntil: quarter(), Weekends: rng.IntN(2) == 0}
		from := []string{"2026-10-23 09:45", "2026-03-27 09:45"}[n%2]
		r := memRota(t, hours, shifts)
		start := wall(t, from)
		end := start.Add(72 * time.Hour)
		got := r.Gaps(start, end)
		want := minuteGaps(r, start, end)
		if diff := cmp.Diff(want, got); diff != "" {
			t.Fatalf("rota %d (hours %+v, shifts %+v): Gaps (-minutes +got):\n%s", n, hours, shifts, diff)
		}
	}
}

// minuteGaps is Gaps the slow way: a look at every minute.
func minuteGaps(r Rota, from, to time.Time) []Gap {
	var noShift, noCall []Gap
	for t := from; t.Before(to); t = t.Add(time.Minute) {
		if !r.Open(t) {
			continue
		}
		call := r.active(t, true) > 0
		if r.active(t, false) == 0 {
			noShift = extend(noShift, Gap{Start: t, End: t.Add(time.Minute), Kind: NoShift, OnCall: call})
		}
		if !call {
			noCall = extend(noCall, Gap{Start: t, End: t.Add(time.Minute), Kind: NoOnCall})
		}
	}
	out := append(noShift, noCall...)
	for i := range out {
		out[i].Start, out[i].End = out[i].Start.In(r.loc), out[i].End.In(r.loc)
	}
	sortGaps(out)
	return out
}

func TestStaffing(t *testing.T) {
	r := memRota(t, DefaultHours(), []Shift{weekly("v1", time.Tuesday, 20*60, 2*60), weekly("v4", time.Tuesday, 16*60, 23*60),
		weekly("v2", time.Tuesday, 17*60+30, 23*60)})
	tests := []struct {
		name, from, to string
		want           string // least, least while open, open, who
	}{
		{"an hour with two on for part of it counts the fewest", "2026-11-24 20:00", "2026-11-24 21:00", "2 2 true [Sam Jo Lee]"},
		{"the paused volunteer is shown but not counted", "2026-11-24 16:00", "2026-11-24 17:00", "0 0 false [Lee]"},
		{"an hour half closed counts while open", "2026-11-24 16:30", "2026-11-24 17:45", "0 0 true [Lee Jo]"},
		{"closed hours with somebody on", "2026-11-25 09:00", "2026-11-25 10:00", "0 0 false []"},
		{"the end is not part of the stretch", "2026-11-24 23:00", "2026-11-25 02:00", "1 1 true [Sam]"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := r.Staffing(wall(t, tc.from), wall(t, tc.to), false)
			who := []string{}
			for _, v := range s.Who {
				who = append(who, v.Name)
			}
			if got := fmt.Sprintf("%d %d %v %v", s.Least, s.LeastOpen, s.Open, who); got != tc.want {
				t.Errorf("Staffing = %s, want %s", got, tc.want)
			}
		})
	}
}

func TestNight(t *testing.T) {
	r := memRota(t, DefaultHours(), nil)
	for day, want := range map[string]string{
		"2026-11-24 03:00": "Tue 24 Nov 17:00 to Wed 25 Nov 09:00",
		"2026-11-28 12:00": "Sat 28 Nov 09:00 to Sun 29 Nov 09:00", // open all day: from the morning
		"2026-10-24 12:00": "Sat 24 Oct 09:00 to Sun 25 Oct 09:00",
	} {
		from, until := r.Night(wall(t, day))
		if got := from.Format("Mon 2 Jan 15:04") + " to " + until.Format("Mon 2 Jan 15:04"); got != want {
			t.Errorf("Night(%s) = %s, want %s", day, got, want)
		}
	}
}
