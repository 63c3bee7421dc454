package main

import (
	"strings"
	"testing"
)

// TestOverlappingShiftsAreRefused: a volunteer is on one shift at a time (and a coordinator on call in
// one on-call shift at a time), so a shift that overlaps another of theirs is refused, naming it. Sam
// (v1) is on Thursdays 20:00 to Friday 02:00 (s1), Jo (v2) on Thursdays 17:00-23:00 (s2), and Kim (v3),
// a coordinator, on call on Fridays 17:00 to Saturday 09:00 (s3). The clock is Tuesday 24 November 2026.
func TestOverlappingShiftsAreRefused(t *testing.T) {
	t.Parallel()
	const sams = "Sam (v1) is already on shift then, in shift s1 (every Thu 20:00-02:00); change the times, or remove s1 first"
	tests := []struct {
		name    string
		given   [][]string
		args    []string
		wantErr string // "" when the shift is taken
	}{
		{name: "weekly against weekly on the same day",
			args: []string{"shift", "add", "-volunteer", "Sam", "-day", "thu", "-start", "22:00", "-end", "23:00"}, wantErr: sams},
		{name: "weekly against the night before's, across midnight",
			args: []string{"shift", "add", "-volunteer", "Sam", "-day", "fri", "-start", "01:00", "-end", "03:00"}, wantErr: sams},
		{name: "Saturday night against Sunday morning, across the end of the week",
			given:   [][]string{{"shift", "add", "-volunteer", "Jo", "-day", "sat", "-start", "22:00", "-end", "02:00"}},
			args:    []string{"shift", "add", "-volunteer", "Jo", "-day", "sun", "-start", "01:00", "-end", "05:00"},
			wantErr: "Jo (v2) is already on shift then, in shift s4 (every Sat 22:00-02:00)"},
		{name: "back to back is taken",
			args: []string{"shift", "add", "-volunteer", "Sam", "-day", "fri", "-start", "02:00", "-end", "06:00"}},
		{name: "a one-off against the weekly shift that date",
			args: []string{"shift", "add", "-volunteer", "Sam", "-date", "2026-12-24", "-start", "21:00", "-end", "22:00"}, wantErr: sams},
		{name: "a one-off the morning after a weekly shift that crosses midnight",
			args: []string{"shift", "add", "-volunteer", "Sam", "-date", "2026-12-25", "-start", "01:00", "-end", "03:00"}, wantErr: sams},
		{name: "a one-off on a skipped date is taken",
			given: [][]string{{"shift", "skip", "s1", "-date", "2026-12-24"}},
			args:  []string{"shift", "add", "-volunteer", "Sam", "-date", "2026-12-24", "-start", "18:00", "-end", "23:00"}},
		{name: "a weekly shift against a one-off to come",
			given:   [][]string{{"shift", "add", "-volunteer", "Sam", "-date", "2026-11-30", "-start", "20:00", "-end", "22:00"}},
			args:    []string{"shift", "add", "-volunteer", "Sam", "-day", "mon", "-start", "21:00", "-end", "23:00"},
			wantErr: "Sam (v1) is already on shift then, in shift s4 (2026-11-30 20:00-22:00)"},
		{name: "a cover counts as the coverer's shift",
			args:    []string{"shift", "cover", "-volunteer", "Sam", "-for", "Jo", "-date", "2026-12-24", "-start", "17:00", "-end", "23:00"},
			wantErr: "shift v1 2026-12-24 17:00-23:00: Sam (v1), who would cover, is already on shift then, in shift s1"},
		{name: "a cover against another cover of the coverer's",
			given:   [][]string{{"shift", "cover", "-volunteer", "Kim", "-for", "Jo", "-date", "2026-12-24", "-start", "17:00", "-end", "23:00"}},
			args:    []string{"shift", "cover", "-volunteer", "Kim", "-for", "Sam", "-date", "2026-12-24", "-start", "20:00", "-end", "02:00"},
			wantErr: "Kim (v3), who would cover, is already on shift then, in shift s4 (2026-12-24 17:00-23:00 covering v2)"},
		{name: "on call against on call",
			args:    []string{"shift", "add", "-volunteer", "Kim", "-oncall", "-day", "sat", "-start", "08:00", "-end", "12:00"},
			wantErr: "Kim (v3) is already on call then, in shift s3 (every Fri 17:00-09:00); change the times, or remove s3 first"},
		{name: "a coordinator's peer shift while on call is taken",
			args: []string{"shift", "add", "-volunteer", "Kim", "-day", "fri", "-start", "20:00", "-end", "23:00"}},
		{name: "putting back a skipped date over a one-off is refused",
			given: [][]string{{"shift", "skip", "s1", "-date", "2026-12-24"},
				{"shift", "add", "-volunteer", "Sam", "-date", "2026-12-24", "-start", "18:00", "-end", "23:00"}},
			args:    []string{"shift", "skip", "s1", "-date", "2026-12-24", "-undo"},
			wantErr: "shift s1 on 2026-12-24: Sam (v1) is already on shift then, in shift s4 (2026-12-24 18:00-23:00)"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			c := givenThursdays(t)
			c.must("volunteer", "add", "-name", "Kim", "-phone", "07700 900125", "-coordinator")
			c.must("shift", "add", "-volunteer", "Kim", "-oncall", "-day", "fri", "-start", "17:00", "-end", "09:00")
			for _, g := range tc.given {
				c.must(g...)
			}
			before := c.load()
			r := c.run("", tc.args...)
			if tc.wantErr == "" {
				if r.err != nil {
					t.Fatalf("refused: %v", r.err)
				}
				return
			}
			wantErr(t, r, false, tc.wantErr)
			if after := c.load(); len(after.Shifts) != len(before.Shifts) || len(after.Skips) != len(before.Skips) {
				t.Error("a refused shift changed the rota")
			}
		})
	}
}

func TestAWeeklyShiftMayOverlapAOneOffThatHasPassed(t *testing.T) {
	t.Parallel()
	c := givenSamAndJo(t)
	today := c.now
	c.now = today.AddDate(0, 0, -14)
	c.must("shift", "add", "-volunteer", "Sam", "-date", "2026-11-16", "-start", "20:00", "-end", "22:00") // a Monday
	c.now = today
	out := c.must("shift", "add", "-volunteer", "Sam", "-day", "mon", "-start", "21:00", "-end", "23:00")
	if !strings.HasPrefix(out, "Added shift s2") {
		t.Errorf("a weekly shift over a past one-off was not added:\n%s", out)
	}
}
