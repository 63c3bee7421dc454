package main

import (
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func TestHours(t *testing.T) {
	t.Parallel()
	c := newCLI(t)
	show := c.must("hours", "show")
	for _, part := range []string{"Weekdays:       open 17:00 to 09:00 the next morning", "Weekends:       open all day",
		"Now (Tue 24 Nov 12:00) the line is closed.", "Fri 25 Dec 2026  Christmas Day", "Mon 28 Dec 2026  Boxing Day (substitute day)"} {
		if !strings.Contains(show, part) {
			t.Errorf("hours show lacks %q:\n%s", part, show)
		}
	}
	if out := c.must("hours", "add-date", "2026-12-24"); out != "The line is open all day on Thursday 24 December 2026.\n" {
		t.Errorf("add-date printed %q", out)
	}
	wantErr(t, c.run("", "hours", "add-date", "2026-12-24"), false, "already an extra date")
	wantErr(t, c.run("", "hours", "add-date", "24/12"), false, `date "24/12"`)
	if !strings.Contains(c.must("hours", "show"), "Thu 24 Dec 2026  extra date") {
		t.Error("hours show does not list the extra date")
	}
	c.must("hours", "set", "-weekdays", "18:00-08:00", "-weekends", "no")
	h := c.load().Hours
	if h.WeekdayFrom != 18*60 || h.WeekdayUntil != 8*60 || h.Weekends || !h.BankHolidays {
		t.Errorf("after hours set: %+v", h)
	}
	wantErr(t, c.run("", "hours", "set", "-weekdays", "evenings"), false, "want HH:MM-HH:MM")
	wantErr(t, c.run("", "hours", "set", "-weekends", "maybe"), false, "want yes or no")
	c.must("hours", "remove-date", "2026-12-24")
	wantErr(t, c.run("", "hours", "remove-date", "2026-12-24"), false, "not an extra date")
}

func TestTonightWeekAndGaps(t *testing.T) {
	t.Parallel()
	c := givenThursdays(t) // Sam Thu 20:00-02:00, Jo Thu 17:00-23:00
	c.must("volunteer", "add", "-name", "Kim", "-phone", "07700 900125", "-coordinator")
	c.must("shift", "add", "-volunteer", "Kim", "-day", "thu", "-start", "17:00", "-end", "09:00", "-oncall")
	tonight := c.must("tonight", "-date", "2026-11-26")
	wantLines := []string{
		"Thu 26 Nov night, 17:00 to Fri 09:00 (Europe/London time):",
		"HOUR   ON SHIFT  ON CALL",
		"17:00  Jo        Kim      only one on",
		"20:00  Sam, Jo   Kim",
		"23:00  Sam       Kim      only one on",
		"02:00  -         Kim      GAP: nobody on",
		"7 hour(s) have a gap.",
	}
	for _, w := range wantLines {
		if !strings.Contains(tonight, w) {
			t.Errorf("tonight lacks %q:\n%s", w, tonight)
		}
	}
	week := c.must("week", "-from", "2026-11-23")
	rows := strings.Split(week, "\n")
	if diff := cmp.Diff("   HOUR  Mon 23  Tue 24  Wed 25  Thu 26  Fri 27  Sat 28  Sun 29", rows[0]); diff != "" {
		t.Errorf("week header (-want +got):\n%s", diff)
	}
	// 12:00 on a weekday is closed, at the weekend open; Thursday 21:00 has two on.
	if diff := cmp.Diff("  12:00       .       .       .       .       .      0!      0!", rows[13]); diff != "" {
		t.Errorf("week 12:00 row (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff("  21:00      0!      0!      0!       2      0!      0!      0!", rows[22]); diff != "" {
		t.Errorf("week 21:00 row (-want +got):\n%s", diff)
	}
	c.now = time.Date(2026, 11, 26, 16, 0, 0, 0, c.store.Location()) // Thursday 16:00
	gaps := c.must("gaps", "-days", "1")
	want := "Open hours with nobody on shift in the next 1 days (Europe/London time):\n\n" +
		"  Fri 27 Nov 02:00 to Fri 27 Nov 09:00  (7 hours)  on call: Kim\n\n" +
		"1 gap(s), 7 hours in all. Where a coordinator is on call, people who text are passed to them.\n"
	if diff := cmp.Diff(want, gaps); diff != "" {
		t.Errorf("gaps (-want +got):\n%s", diff)
	}
	wantErr(t, c.run("", "gaps", "-days", "0"), false, "give 1 to 90")
	c.must("shift", "add", "-volunteer", "Jo", "-date", "2026-11-27", "-start", "02:00", "-end", "09:00")
	if out := c.must("gaps", "-days", "1"); !strings.HasPrefix(out, "No gaps") {
		t.Errorf("after filling the gap: %s", out)
	}
}

// TestTiredCoordinatorSlips: mistakes a tired coordinator makes are refused, or pointed out, with what
// to do instead. The tool's clock is Tuesday 24 November 2026, 12:00.
func TestTiredCoordinatorSlips(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		args    []string
		wantErr []string // refused, naming these
		usage   bool
		says    []string // accepted, printing these
	}{
		{name: "a one-off shift in the past", args: []string{"shift", "add", "-volunteer", "Sam", "-date", "2026-11-20", "-start", "20:00", "-end", "23:00"},
			wantErr: []string{"-date 2026-11-20 has passed (today is 2026-11-24)"}},
		{name: "last year's Christmas Eve", args: []string{"hours", "add-date", "2025-12-24"},
			wantErr: []string{"date 2025-12-24 has passed"}},
		{name: "a bank holiday as an extra date", args: []string{"hours", "add-date", "2026-12-25"},
			wantErr: []string{"2026-12-25 is open all day already (Christmas Day)"}},
		{name: "hours set with nothing to set", args: []string{"hours", "set"}, usage: true,
			wantErr: []string{"give at least one of -weekdays"}},
		{name: "values without their flag names", args: []string{"volunteer", "add", "Ali", "07700900106"}, usage: true,
			wantErr: []string{`unexpected "Ali": volunteer add takes only flags, each value after its name, such as:`}},
		{name: "a cover of someone who is not on", args: []string{"shift", "cover", "-volunteer", "Sam", "-for", "Jo", "-date", "2026-11-25", "-start", "19:00", "-end", "23:00"},
			says: []string{"Note: Jo has no shift then, so the cover only puts Sam on."}},
		{name: "a name in small letters", args: []string{"volunteer", "add", "-name", "priya", "-phone", "07700 900106"},
			says: []string{`Note: people who text will see "priya". To change it: ` + prog + ` volunteer edit v3 -name "Priya"`}},
		{name: "a shift for someone unknown", args: []string{"shift", "add", "-volunteer", "Bob", "-day", "fri", "-start", "20:00", "-end", "23:00"},
			wantErr: []string{`no volunteer is called "Bob"`}},
		{name: "a repeated shift, said once", args: []string{"shift", "add", "-volunteer", "Sam", "-day", "thu", "-start", "20:00", "-end", "02:00"},
			wantErr: []string{"shift v1 Thu 20:00-02:00: the same shift is already on the rota as s1; nothing was changed"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			c := givenThursdays(t)
			r := c.run("", tc.args...)
			if tc.wantErr != nil {
				wantErr(t, r, tc.usage, tc.wantErr...)
				if strings.Contains(r.err.Error(), "not valid") || strings.Contains(r.err.Error(), "already exists") {
					t.Errorf("error %q ends in jargon", r.err)
				}
				return
			}
			if r.err != nil {
				t.Fatalf("error: %v", r.err)
			}
			for _, s := range tc.says {
				if !strings.Contains(r.out, s) {
					t.Errorf("output lacks %q:\n%s", s, r.out)
				}
			}
		})
	}
}

func TestWhoWhenClosedAndWithoutOnCall(t *testing.T) {
	t.Parallel()
	c := givenThursdays(t)
	out := c.must("who", "-at", "2026-11-24 12:00")
	want := "The line is closed at Tue 24 Nov 12:00 (see hours show): people who text get the daytime services.\n\n" +
		"Nobody is on shift at Tue 24 Nov 12:00.\n\n" +
		"No coordinator is on call then. Only coordinators go on call, and there are none yet: make someone one with\n" +
		"  " + prog + " volunteer edit ID -coordinator=true\n"
	if diff := cmp.Diff(want, out); diff != "" {
		t.Errorf("who (-want +got):\n%s", diff)
	}
	c.must("volunteer", "add", "-name", "Kim", "-phone", "07700 900125", "-coordinator")
	if out := c.must("who"); !strings.Contains(out, "shift add -oncall -volunteer v3 ") {
		t.Errorf("who does not suggest the coordinator Kim (v3):\n%s", out)
	}
}

func TestTonightOnADayOpenAllDayShowsPausedVolunteers(t *testing.T) {
	t.Parallel()
	c := givenThursdays(t)
	c.must("hours", "add-date", "2026-12-24")
	c.must("volunteer", "pause", "Jo")
	out := c.must("tonight", "-date", "2026-12-24")
	if !strings.HasPrefix(out, "Thu 24 Dec night (open all day: extra date), 09:00 to Fri 09:00") {
		t.Errorf("tonight on an extra date does not start that morning:\n%s", out)
	}
	rows := map[string][]string{ // hour -> parts of its row
		"09:00": {"GAP: nobody on"},
		"17:00": {"Jo (paused)", "GAP: nobody on"},
		"20:00": {"Sam, Jo (paused)", "only one on"},
	}
	for hour, parts := range rows {
		row := ""
		for _, l := range strings.Split(out, "\n") {
			if strings.HasPrefix(l, hour+" ") {
				row = l
			}
		}
		for _, p := range parts {
			if !strings.Contains(row, p) {
				t.Errorf("tonight's %s row %q lacks %q", hour, row, p)
			}
		}
	}
}

// TestGapsAndWeekTakeOnCallIntoAccount: Sam (Thu 20:00-02:00) and Jo (Thu 17:00-23:00) are on shift,
// and Kim is on call on Thursdays from 20:00 to 09:00 only. Thursday 17:00-20:00 has volunteers but
// nobody on call; Friday 02:00-09:00 nobody on shift but Kim on call.
func TestGapsAndWeekTakeOnCallIntoAccount(t *testing.T) {
	t.Parallel()
	c := givenThursdays(t)
	c.must("volunteer", "add", "-name", "Kim", "-phone", "07700 900125", "-coordinator")
	c.must("shift", "add", "-volunteer", "Kim", "-day", "thu", "-start", "20:00", "-end", "09:00", "-oncall")
	c.now = time.Date(2026, 11, 26, 16, 0, 0, 0, c.store.Location()) // Thursday 16:00
	want := "Open hours with nobody on shift in the next 1 days (Europe/London time):\n\n" +
		"  Fri 27 Nov 02:00 to Fri 27 Nov 09:00  (7 hours)  on call: Kim\n\n" +
		"1 gap(s), 7 hours in all. Where a coordinator is on call, people who text are passed to them.\n\n" +
		"Open hours with nobody on call in the next 1 days (Europe/London time):\n\n" +
		"  Thu 26 Nov 17:00 to Thu 26 Nov 20:00  (3 hours)\n\n" +
		"1 stretch(es), 3 hours in all. Then, when nobody on shift answers a request, no coordinator is paged.\n"
	if diff := cmp.Diff(want, c.must("gaps", "-days", "1")); diff != "" {
		t.Errorf("gaps (-want +got):\n%s", diff)
	}

	rows := strings.Split(c.must("week", "-from", "2026-11-23"), "\n")
	for row, want := range map[int]string{
		4:  "  03:00      0!      0!      0!      0!      0c      0!      0!", // Friday morning: Kim on call
		18: "  17:00      0!      0!      0!      1*      0!      0!      0!", // Thursday: Jo, nobody on call
		22: "  21:00      0!      0!      0!       2      0!      0!      0!",
	} {
		if diff := cmp.Diff(want, rows[row]); diff != "" {
			t.Errorf("week row %d (-want +got):\n%s", row, diff)
		}
	}
	if legend := strings.Join(rows[25:], "\n"); !strings.Contains(legend, "0c nobody on shift, a coordinator on call") {
		t.Errorf("week's legend does not explain 0c:\n%s", legend)
	}

	tonight := c.must("tonight", "-date", "2026-11-26")
	for _, w := range []string{"17:00  Jo        -        only one on; nobody on call", "02:00  -         Kim      GAP: nobody on shift (on call only)",
		"7 hour(s) have a gap.", "3 hour(s) have nobody on call"} {
		if !strings.Contains(tonight, w) {
			t.Errorf("tonight lacks %q:\n%s", w, tonight)
		}
	}
}
