package main

import (
	"context"
	"strings"
	"testing"
	"time"

	"peerline/bot"
	"peerline/due"
)

func TestShiftAskSchedulesTheLinesAsk(t *testing.T) {
	t.Parallel()
	c := givenThursdays(t) // Sam Thu 20:00-02:00, Jo Thu 17:00-23:00; the tool's clock is Tue 24 Nov 12:00
	c.must("volunteer", "add", "-name", "Dee", "-phone", "07700 900125")
	c.must("volunteer", "add", "-name", "Kim", "-phone", "07700 900126", "-coordinator")
	out := c.must("shift", "ask", "-date", "2026-11-26", "-start", "23:00", "-end", "04:00")
	// Sam is on then, Jo's shift ends as it begins (a double shift), Kim is a coordinator.
	if want := "The line will ask 1 volunteer to cover Thu 26 Nov 23:00-04:00 within a minute: Dee.\n"; !strings.HasPrefix(out, want) {
		t.Fatalf("shift ask printed %q, want it to start %q", out, want)
	}
	items, err := due.New(c.rdb, c.env["LINE_ID"]).Claim(context.Background(), c.now.Add(time.Minute), 10, time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	if len(items) != 1 || items[0].Kind != bot.JobAsk {
		t.Fatalf("due work %+v, want one ask", items)
	}

	tests := []struct {
		name    string
		args    []string
		wantErr string
	}{
		{"a stretch that has begun", []string{"-date", "2026-11-24", "-start", "11:00", "-end", "13:00"}, "has begun"},
		{"nobody to ask", []string{"-date", "2026-11-26", "-start", "20:00", "-end", "23:00"}, "nobody could be asked"},
		{"a bad time", []string{"-date", "2026-11-26", "-start", "25:00", "-end", "23:00"}, "-start"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c.must("volunteer", "pause", "Dee")
			defer c.must("volunteer", "resume", "Dee")
			r := c.run("", append([]string{"shift", "ask"}, tc.args...)...)
			if r.err == nil || !strings.Contains(r.err.Error(), tc.wantErr) {
				t.Fatalf("shift ask %v: err %v, want one saying %q", tc.args, r.err, tc.wantErr)
			}
		})
	}
}

// TestShiftAskRefusesZeroHoursAndCutsLongStretches: after a newcomer's trial, an ask with start = end
// is refused as shift add refuses it, and one over 6 hours is cut into parts as the line's own are.
func TestShiftAskRefusesZeroHoursAndCutsLongStretches(t *testing.T) {
	t.Parallel()
	c := newCLI(t)
	c.must("volunteer", "add", "-name", "Dee", "-phone", "07700 900125")
	r := c.run("", "shift", "ask", "-date", "2026-11-26", "-start", "22:00", "-end", "22:00")
	wantErr(t, r, false, "a shift of 0 hours: did you mean 00:00 to 24:00 for all day?")

	out := c.must("shift", "ask", "-date", "2026-11-26", "-start", "17:00", "-end", "09:00")
	for _, want := range []string{"Thu 26 Nov 17:00-09:00 is over 6 hours, so it is asked in 3 parts",
		"cover Thu 26 Nov 17:00-22:00 within a minute: Dee.", "cover Thu 26 Nov 22:00-03:00 within a minute: Dee.",
		"cover Fri 27 Nov 03:00-09:00 within a minute: Dee."} {
		if !strings.Contains(out, want) {
			t.Errorf("shift ask lacks %q:\n%s", want, out)
		}
	}
	items, err := due.New(c.rdb, c.env["LINE_ID"]).Claim(context.Background(), c.now.Add(time.Minute), 10, time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	if len(items) != 3 {
		t.Fatalf("due work %+v, want three asks", items)
	}
}
