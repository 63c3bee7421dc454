package main

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// givenSamAndJo adds Sam (v1) and Jo (v2) to a fresh line.
func givenSamAndJo(t *testing.T) *cli {
	t.Helper()
	c := newCLI(t)
	c.must("volunteer", "add", "-name", "Sam", "-phone", "07700 900123")
	c.must("volunteer", "add", "-name", "Jo", "-phone", "07700 900124")
	return c
}

func TestShiftAdd(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		args    []string
		want    string
		wantErr []string
	}{
		{name: "evening shift",
			args: []string{"-volunteer", "v1", "-day", "thu", "-start", "20:00", "-end", "23:00"},
			want: "Added shift s1: Sam (v1), every Thu 20:00 to 23:00, Europe/London time.\n"},
		{name: "end before start crosses midnight into the next day",
			args: []string{"-volunteer", "v2", "-day", "Friday", "-start", "22:00", "-end", "02:00"},
			want: "Added shift s1: Jo (v2), every Fri 22:00 to Sat 02:00, Europe/London time.\n"},
		{name: "weds is Wednesday",
			args: []string{"-volunteer", "v1", "-day", "Weds", "-start", "20:00", "-end", "23:00"},
			want: "Added shift s1: Sam (v1), every Wed 20:00 to 23:00, Europe/London time.\n"},
		{name: "thurs is Thursday",
			args: []string{"-volunteer", "v1", "-day", "THURS", "-start", "20:00", "-end", "23:00"},
			want: "Added shift s1: Sam (v1), every Thu 20:00 to 23:00, Europe/London time.\n"},
		{name: "Saturday night ends on Sunday",
			args: []string{"-volunteer", "v1", "-day", "sat", "-start", "23:30", "-end", "00:30"},
			want: "Added shift s1: Sam (v1), every Sat 23:30 to Sun 00:30, Europe/London time.\n"},
		{name: "equal start and end is refused as 0 hours, not taken as 24",
			args: []string{"-volunteer", "v1", "-day", "sun", "-start", "09:00", "-end", "09:00"},
			wantErr: []string{"shift v1 Sun 09:00-09:00: a shift of 0 hours: did you mean 00:00 to 24:00 for all day? " +
				"(for 24 hours from 09:00, add two shifts: 09:00 to 24:00, then 00:00 to 09:00 the next day)"}},
		{name: "00:00 to 00:00 is refused as 0 hours",
			args:    []string{"-volunteer", "v1", "-day", "sun", "-start", "00:00", "-end", "00:00"},
			wantErr: []string{"a shift of 0 hours: did you mean 00:00 to 24:00 for all day?"}},
		{name: "00:00 to 24:00 is all day",
			args: []string{"-volunteer", "v1", "-day", "sun", "-start", "00:00", "-end", "24:00"},
			want: "Added shift s1: Sam (v1), every Sun 00:00 to 24:00, Europe/London time.\n"},
		{name: "unknown volunteer points at the list",
			args:    []string{"-volunteer", "v9", "-day", "fri", "-start", "22:00", "-end", "02:00"},
			wantErr: []string{"volunteer v9 not found (see `" + prog + " volunteer list`)"}},
		{name: "bad day and times are all reported",
			args:    []string{"-volunteer", "v1", "-day", "frday", "-start", "25:00", "-end", "2pm"},
			wantErr: []string{`-day: day "frday"`, `-start: time "25:00"`, `-end: time "2pm"`}},
		{name: "start at 24:00 is refused with what to do",
			args:    []string{"-volunteer", "v1", "-day", "fri", "-start", "24:00", "-end", "02:00"},
			wantErr: []string{"use 00:00 the next day"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			c := givenSamAndJo(t)
			r := c.run("", append([]string{"shift", "add"}, tc.args...)...)
			if tc.wantErr != nil {
				wantErr(t, r, false, tc.wantErr...)
				if n := len(c.load().Shifts); n != 0 {
					t.Errorf("%d shifts stored after the failed add", n)
				}
				return
			}
			if r.err != nil {
				t.Fatalf("error: %v", r.err)
			}
			if diff := cmp.Diff(tc.want, r.out); diff != "" {
				t.Errorf("output (-want +got):\n%s", diff)
			}
		})
	}
}

func TestShiftListAndRemove(t *testing.T) {
	t.Parallel()
	c := givenSamAndJo(t)
	c.must("shift", "add", "-volunteer", "v1", "-day", "fri", "-start", "22:00", "-end", "02:00") // s1
	c.must("shift", "add", "-volunteer", "v2", "-day", "sun", "-start", "20:00", "-end", "23:00") // s2
	c.must("shift", "add", "-volunteer", "v1", "-day", "mon", "-start", "21:00", "-end", "24:00") // s3
	tests := []struct {
		name    string
		args    []string
		want    string
		wantErr string
	}{
		{name: "everyone's shifts Monday first, crossing midnight marked", args: []string{"shift", "list"},
			want: `ID  VOLUNTEER  WHEN       START  END           KIND
s3  Sam (v1)   every Mon  21:00  24:00         weekly
s1  Sam (v1)   every Fri  22:00  02:00 +1 day  weekly
s2  Jo (v2)    every Sun  20:00  23:00         weekly
Times are Europe/London time.
`},
		{name: "one volunteer's shifts", args: []string{"shift", "list", "-volunteer", "v2"},
			want: "ID  VOLUNTEER  WHEN       START  END    KIND\ns2  Jo (v2)    every Sun  20:00  23:00  weekly\nTimes are Europe/London time.\n"},
		{name: "unknown volunteer points at the list", args: []string{"shift", "list", "-volunteer", "v7"},
			wantErr: "volunteer v7 not found"},
		{name: "unknown shift points at the list", args: []string{"shift", "remove", "s9"},
			wantErr: "shift s9 not found (see `" + prog + " shift list`)"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := c.run("", tc.args...)
			if tc.wantErr != "" {
				wantErr(t, r, false, tc.wantErr)
			} else if r.err != nil {
				t.Fatalf("error: %v", r.err)
			} else if diff := cmp.Diff(tc.want, r.out); diff != "" {
				t.Errorf("output (-want +got):\n%s", diff)
			}
		})
	}
	t.Run("removed shift says what it was and leaves the list", func(t *testing.T) {
		want := "Removed shift s1 (Sam (v1), every Fri 22:00 to Sat 02:00).\n"
		if diff := cmp.Diff(want, c.must("shift", "remove", "s1")); diff != "" {
			t.Errorf("output (-want +got):\n%s", diff)
		}
		if out := c.must("shift", "list"); strings.Contains(out, "s1 ") {
			t.Errorf("s1 still listed:\n%s", out)
		}
	})
}

func TestWho(t *testing.T) {
	t.Parallel()
	// 2026-12-24 is a Thursday.
	tests := []struct {
		name string
		off  []string
		at   string
		want string
	}{
		{name: "nobody on shift says people get the signpost", at: "2026-12-24 23:00",
			want: "Nobody is on shift at Thu 24 Dec 23:00. People who text will get the fallback signpost.\n"},
		{name: "volunteer on shift shown with a masked number", at: "2026-12-25 23:15",
			want: "On shift at Fri 25 Dec 23:15 (Europe/London time):\n\n" +
				"ID  NAME  PHONE          STATUS\n" +
				"v1  Sam   **********123  on\n\n" +
				"1 available: requests from people who text will be offered to them (unless busy in a chat).\n"},
		{name: "Friday night shift still covers Saturday 01:00", at: "2026-12-26 01:00",
			want: "On shift at Sat 26 Dec 01:00 (Europe/London time):\n\n" +
				"ID  NAME  PHONE          STATUS\n" +
				"v1  Sam   **********123  on\n" +
				"v2  Jo    **********124  on\n\n" +
				"2 available: requests from people who text will be offered to them (unless busy in a chat).\n"},
		{name: "everyone on shift OFF means the signpost", at: "2026-12-25 23:15", off: []string{"v1"},
			want: "On shift at Fri 25 Dec 23:15 (Europe/London time):\n\n" +
				"ID  NAME  PHONE          STATUS\n" +
				"v1  Sam   **********123  off\n\n" +
				"Everyone on shift has texted OFF or is paused: people who text will get the fallback signpost.\n"},
		{name: "some OFF counts the available ones", at: "2026-12-26 01:00", off: []string{"v2"},
			want: "On shift at Sat 26 Dec 01:00 (Europe/London time):\n\n" +
				"ID  NAME  PHONE          STATUS\n" +
				"v1  Sam   **********123  on\n" +
				"v2  Jo    **********124  off\n\n" +
				"1 of 2 available: requests from people who text will be offered to the available ones (unless busy in a chat).\n"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			c := givenSamAndJo(t)
			c.must("shift", "add", "-volunteer", "v1", "-day", "fri", "-start", "22:00", "-end", "02:00")
			c.must("shift", "add", "-volunteer", "v2", "-day", "sat", "-start", "00:00", "-end", "06:00")
			for _, id := range tc.off {
				c.setOff(id)
			}
			out := c.must("who", "-at", tc.at)
			out, _, _ = strings.Cut(out, "\nNo coordinator is on call then.")
			if diff := cmp.Diff(tc.want, out); diff != "" {
				t.Errorf("output (-want +got):\n%s", diff)
			}
			if strings.Contains(out, "+44") || strings.Contains(out, "7700") {
				t.Errorf("output shows a full phone number:\n%s", out)
			}
		})
	}
	t.Run("time not in the expected form is explained", func(t *testing.T) {
		t.Parallel()
		wantErr(t, newCLI(t).run("", "who", "-at", "24/12 11pm"), false, `want a local time such as "2026-12-24 23:00"`)
	})
}
