package main

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"peerline/rota"
)

// givenThursdays adds Sam (v1) on Thursdays 20:00-02:00 (s1) and Jo (v2) on Thursdays 17:00-23:00
// (s2). 2026-12-24 and 2026-12-31 are Thursdays.
func givenThursdays(t *testing.T) *cli {
	t.Helper()
	c := givenSamAndJo(t)
	c.must("shift", "add", "-volunteer", "Sam", "-day", "thu", "-start", "20:00", "-end", "02:00")
	c.must("shift", "add", "-volunteer", "jo", "-day", "thu", "-start", "17:00", "-end", "23:00")
	return c
}

// daysOn returns the date n days after date.
func daysOn(t *testing.T, date string, n int) string {
	t.Helper()
	d, err := time.Parse(rota.DateLayout, date)
	if err != nil {
		t.Fatal(err)
	}
	return d.AddDate(0, 0, n).Format(rota.DateLayout)
}

// onAt returns the names on shift at a local time.
func (c *cli) onAt(at string) []string {
	c.t.Helper()
	when, err := time.ParseInLocation(atLayout, at, c.store.Location())
	if err != nil {
		c.t.Fatal(err)
	}
	out := []string{}
	for _, v := range c.load().OnShiftAt(when) {
		out = append(out, v.Name)
	}
	return out
}

func TestCoverSkipAndSwap(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		args    [][]string
		want    string // printed by the last command
		wantErr []string
		on      map[string][]string // local time -> who is on afterwards
	}{
		{name: "Sam covers Jo on Christmas Eve",
			args: [][]string{{"shift", "cover", "-volunteer", "Sam", "-for", "Jo", "-date", "2026-12-24", "-start", "17:00", "-end", "20:00"}},
			want: "Added cover s3: Sam (v1), Thu 2026-12-24 17:00 to 20:00, covers Jo (v2).\n",
			on: map[string][]string{"2026-12-24 18:00": {"Sam"}, "2026-12-24 21:00": {"Sam", "Jo"},
				"2026-12-17 18:00": {"Jo"}}},
		{name: "skipping one Thursday leaves the others",
			args: [][]string{{"shift", "skip", "s1", "-date", "2026-12-24"}},
			want: "Shift s1 (Thu 20:00 to Fri 02:00) does not happen on 2026-12-24; other weeks stay.\n",
			on: map[string][]string{"2026-12-24 21:00": {"Jo"}, "2026-12-25 01:00": {}, "2026-12-31 21:00": {"Sam", "Jo"},
				"2026-12-18 01:00": {"Sam"}}},
		{name: "undo puts the date back",
			args: [][]string{{"shift", "skip", "s1", "-date", "2026-12-24"}, {"shift", "skip", "s1", "-date", "2026-12-24", "-undo"}},
			want: "Shift s1 (Thu 20:00 to Fri 02:00) happens again on 2026-12-24.\n",
			on:   map[string][]string{"2026-12-25 01:00": {"Sam"}}},
		{name: "skipping a date that is not the shift's day is refused",
			args:    [][]string{{"shift", "skip", "s1", "-date", "2026-12-25"}},
			wantErr: []string{"shift s1 is on Thursdays, and 2026-12-25 is a Friday"}},
		{name: "swap trades two occurrences together",
			args: [][]string{{"shift", "add", "-volunteer", "jo", "-date", "2027-01-01", "-start", "20:00", "-end", "24:00"},
				{"shift", "skip", "s2", "-date", "2026-12-24"},
				{"shift", "swap", "-shift", "s1", "-date", "2026-12-24", "-with", "s3", "-with-date", "2027-01-01"}},
			want: "Swapped, both saved together:\n  Jo (v2), Thu 2026-12-24 20:00 to 02:00 +1 day, covers Sam (v1)\n" +
				"  Sam (v1), Fri 2027-01-01 20:00 to 24:00, covers Jo (v2)\n",
			on: map[string][]string{"2026-12-24 23:30": {"Jo"}, "2026-12-25 01:00": {"Jo"}, "2027-01-01 22:00": {"Sam"},
				"2027-01-01 23:30": {"Sam"}}},
		{name: "a swap that would put someone on twice is refused, naming the shift",
			args: [][]string{{"shift", "add", "-volunteer", "jo", "-date", "2027-01-01", "-start", "20:00", "-end", "24:00"},
				{"shift", "swap", "-shift", "s1", "-date", "2026-12-24", "-with", "s3", "-with-date", "2027-01-01"}},
			wantErr: []string{"shift v2 2026-12-24 20:00-02:00: Jo (v2), who would cover, is already on shift then, in shift s2 " +
				"(every Thu 17:00-23:00); change the times, or remove s2 first"}},
		{name: "swap with one's own shift is refused",
			args:    [][]string{{"shift", "swap", "-shift", "s1", "-date", "2026-12-24", "-with", "s1"}},
			wantErr: []string{"a swap is between two volunteers"}},
		{name: "cover of someone unknown is refused",
			args:    [][]string{{"shift", "cover", "-volunteer", "Sam", "-for", "Alex", "-date", "2026-12-24", "-start", "17:00", "-end", "20:00"}},
			wantErr: []string{`no volunteer is called "Alex"`}},
		{name: "the same cover twice is refused",
			args: [][]string{{"shift", "cover", "-volunteer", "Sam", "-for", "Jo", "-date", "2026-12-24", "-start", "17:00", "-end", "20:00"},
				{"shift", "cover", "-volunteer", "Sam", "-for", "Jo", "-date", "2026-12-24", "-start", "17:00", "-end", "20:00"}},
			wantErr: []string{"already on the rota as s3", "nothing was changed"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			c := givenThursdays(t)
			for _, a := range tc.args[:len(tc.args)-1] {
				c.must(a...)
			}
			before := c.load()
			r := c.run("", tc.args[len(tc.args)-1]...)
			if tc.wantErr != nil {
				wantErr(t, r, false, tc.wantErr...)
				if after := c.load(); len(after.Shifts) != len(before.Shifts) || len(after.Skips) != len(before.Skips) {
					t.Error("a refused change changed the rota")
				}
				return
			}
			if r.err != nil {
				t.Fatalf("error: %v", r.err)
			}
			if diff := cmp.Diff(tc.want, r.out); diff != "" {
				t.Errorf("output (-want +got):\n%s", diff)
			}
			for at, want := range tc.on {
				if diff := cmp.Diff(want, c.onAt(at)); diff != "" {
					t.Errorf("on at %s (-want +got):\n%s", at, diff)
				}
			}
		})
	}
}

// TestSwapIsSeenWholeOrNotAtAll: while swaps are saved, another instance reading the rota sees either
// no cover or both covers of each swap, never one alone.
func TestSwapIsSeenWholeOrNotAtAll(t *testing.T) {
	t.Parallel()
	c := givenSamAndJo(t)
	c.must("shift", "add", "-volunteer", "Sam", "-day", "mon", "-start", "20:00", "-end", "23:00") // s1
	c.must("shift", "add", "-volunteer", "Jo", "-day", "tue", "-start", "20:00", "-end", "23:00")  // s2
	reader := rota.NewStore(c.rdb, c.env["LINE_ID"], c.store.Location())
	ctx := context.Background()
	done := make(chan struct{})
	var wg sync.WaitGroup
	var reads, torn int
	stop := sync.OnceFunc(func() { close(done); wg.Wait() })
	defer stop() // also when a swap fails the test
	wg.Go(func() {
		for {
			select {
			case <-done:
				return
			default:
			}
			r, err := reader.Load(ctx)
			if err != nil {
				t.Error(err)
				return
			}
			reads++
			covers := 0
			for _, s := range r.Shifts {
				if s.CoverFor != "" {
					covers++
				}
			}
			if covers%2 != 0 {
				torn++
			}
		}
	})
	dates := []string{"2026-11-30", "2026-12-07", "2026-12-14", "2026-12-21", "2026-12-28", "2027-01-04", "2027-01-11", "2027-01-18"}
	for _, d := range dates { // Sam's Monday for Jo's Tuesday
		c.must("shift", "swap", "-shift", "s1", "-date", d, "-with", "s2", "-with-date", daysOn(t, d, 1))
	}
	stop()
	if reads == 0 || torn != 0 {
		t.Fatalf("%d of %d reads saw half a swap", torn, reads)
	}
	if got := len(c.load().Shifts); got != 2+2*len(dates) {
		t.Fatalf("%d shifts after %d swaps, want %d", got, len(dates), 2+2*len(dates))
	}
}

func TestVolunteerEditPauseResumeShow(t *testing.T) {
	t.Parallel()
	c := givenThursdays(t)
	out := c.must("volunteer", "edit", "v1", "-phone", "+44 7700 900555", "-tags", "alcohol, Polish speaking", "-max-chats", "2",
		"-channels", "whatsapp,sms", "-rest", "15", "-notes", "nights only")
	want := "Changed Sam (v1).\n  name        Sam\n  phone       +447700900555\n  role        volunteer\n" +
		"  channels    whatsapp, sms\n  tags        alcohol, polish-speaking\n  max chats   2 a night\n" +
		"  rest        15 minutes after a chat\n  week hours  the line's\n  notes       nights only\n"
	if diff := cmp.Diff(want, out); diff != "" {
		t.Errorf("edit output (-want +got):\n%s", diff)
	}
	if r := c.load(); r.Volunteers["v1"].Name != "Sam" || !r.Volunteers["v1"].Active {
		t.Errorf("edit changed what was not given: %+v", r.Volunteers["v1"])
	}
	wantErr(t, c.run("", "volunteer", "edit", "v2", "-phone", "07700 900555"), false, "+447700900555 already belongs to Sam (v1)")
	wantErr(t, c.run("", "volunteer", "edit", "v2", "-max-chats", "21", "-week-hours", "-1", "-channels", "pager"), false,
		"-max-chats 21: give 1 to 20, or 0 for the line's", "-week-hours -1", `channel "pager"`)
	wantErr(t, c.run("", "volunteer", "edit", "v2"), true, "give at least one flag")
	wantErr(t, c.run("", "volunteer", "edit", "v9", "-notes", "x"), false, "volunteer v9 not found")

	c.must("volunteer", "pause", "sam") // a first name, in any case, works as well as the id
	if c.load().Available("v1") {
		t.Error("paused Sam is still available")
	}
	if diff := cmp.Diff([]string{"Sam", "Jo"}, c.onAt("2026-12-24 21:00")); diff != "" {
		t.Errorf("a paused volunteer keeps their shifts (-want +got):\n%s", diff)
	}
	c.must("volunteer", "resume", "v1")
	if !c.load().Available("v1") {
		t.Error("resumed Sam is not available")
	}

	c.must("shift", "skip", "s2", "-date", "2026-11-26") // Jo is free that Thursday, so she can cover Sam
	c.must("shift", "cover", "-volunteer", "Jo", "-for", "Sam", "-date", "2026-11-26", "-start", "20:00", "-end", "02:00")
	show := c.must("volunteer", "show", "v1")
	for _, part := range []string{"Sam (v1), on\n", "s1  Sam (v1), every Thu 20:00 to Fri 02:00",
		"Thu 26 Nov 20:00 to Fri 02:00: covered by Jo (v2)"} {
		if !strings.Contains(show, part) {
			t.Errorf("volunteer show lacks %q:\n%s", part, show)
		}
	}
}

func TestACoordinatorOnCallStaysOneUntilTheirOnCallShiftsGo(t *testing.T) {
	t.Parallel()
	c := givenSamAndJo(t)
	c.must("volunteer", "edit", "Jo", "-coordinator=true")
	c.must("shift", "add", "-volunteer", "Jo", "-day", "fri", "-start", "18:00", "-end", "09:00", "-oncall") // s1
	wantErr(t, c.run("", "volunteer", "edit", "Jo", "-coordinator=false"), false, "v2 is on call in shifts s1; remove those first")
	c.must("shift", "remove", "s1")
	c.must("volunteer", "edit", "Jo", "-coordinator=false")
	if c.load().Volunteers["v2"].Coordinator {
		t.Error("Jo is still a coordinator")
	}
}

func TestShiftCoverHandsOverANightOnCall(t *testing.T) {
	t.Parallel()
	c := givenSamAndJo(t)
	c.must("volunteer", "add", "-name", "Kim", "-phone", "07700 900125", "-coordinator")                      // v3
	c.must("volunteer", "add", "-name", "Lou", "-phone", "07700 900126", "-coordinator")                      // v4
	c.must("shift", "add", "-volunteer", "Kim", "-oncall", "-day", "fri", "-start", "17:00", "-end", "09:00") // s1
	c.must("shift", "add", "-volunteer", "Kim", "-day", "fri", "-start", "20:00", "-end", "23:00")            // s2: Kim's peer shift
	out := c.must("shift", "cover", "-oncall", "-volunteer", "Lou", "-for", "Kim", "-date", "2026-11-27", "-start", "17:00", "-end", "09:00")
	if want := "Added cover s3: Lou (v4), Fri 2026-11-27 17:00 to 09:00 +1 day, covers Kim (v3) on call.\n"; out != want {
		t.Errorf("shift cover -oncall printed %q, want %q", out, want)
	}
	onCall := func(at string) []string {
		when, err := time.ParseInLocation(atLayout, at, c.store.Location())
		if err != nil {
			t.Fatal(err)
		}
		return nameList(c.load().OnCallAt(when))
	}
	for at, want := range map[string][]string{"2026-11-27 22:00": {"Lou"}, "2026-11-28 08:00": {"Lou"}, "2026-12-04 22:00": {"Kim"}} {
		if diff := cmp.Diff(want, onCall(at)); diff != "" {
			t.Errorf("on call at %s (-want +got):\n%s", at, diff)
		}
	}
	if diff := cmp.Diff([]string{"Kim"}, c.onAt("2026-11-27 21:00")); diff != "" {
		t.Errorf("Kim keeps her peer shift while Lou is on call for her (-want +got):\n%s", diff)
	}
	if show := c.must("volunteer", "show", "Kim"); !strings.Contains(show, "Fri 27 Nov 17:00 to Sat 09:00: covered by Lou (v4) on call") {
		t.Errorf("volunteer show does not say Lou covers Kim on call:\n%s", show)
	}

	wantErr(t, c.run("", "shift", "cover", "-oncall", "-volunteer", "Sam", "-for", "Kim", "-date", "2026-12-04", "-start", "17:00", "-end", "09:00"),
		false, "Sam (v1) is not a coordinator, and only a coordinator can cover a time on call; ask another coordinator, or make Sam one first")
	wantErr(t, c.run("", "shift", "cover", "-volunteer", "Lou", "-for", "Kim", "-date", "2026-12-04", "-start", "23:00", "-end", "09:00"),
		false, "Kim (v3) is on call then, not on shift: to hand over their time on call, add -oncall: "+
			prog+" shift cover -oncall -volunteer v4 -for v3 -date 2026-12-04 -start 23:00 -end 09:00")
	if n := len(c.load().Shifts); n != 3 {
		t.Errorf("%d shifts after the refused covers, want 3", n)
	}
}

// nameList returns the names of vols, in order.
func nameList(vols []rota.Volunteer) []string {
	out := []string{}
	for _, v := range vols {
		out = append(out, v.Name)
	}
	return out
}
