package main

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"peerline/commit"
	"peerline/matcher"
	"peerline/rota"
)

// noNumbers fails the test if out shows any part of a phone number used in the tests.
func noNumbers(t *testing.T, out string) {
	t.Helper()
	for _, digits := range []string{"7700", "+44"} {
		if strings.Contains(out, digits) {
			t.Errorf("output shows a phone number (%q):\n%s", digits, out)
		}
	}
}

// onShiftToday adds a volunteer on shift all day every day and returns them.
func (c *cli) onShiftToday(name, number string) rota.Volunteer {
	c.t.Helper()
	ctx := context.Background()
	v, err := c.store.AddVolunteer(ctx, rota.Volunteer{Name: name, Phone: number})
	if err != nil {
		c.t.Fatal(err)
	}
	for d := time.Sunday; d <= time.Saturday; d++ {
		if _, err := c.store.AddShift(ctx, rota.Shift{Volunteer: v.ID, Day: d, Start: 0, End: 24 * 60}); err != nil {
			c.t.Fatal(err)
		}
	}
	return v
}

// alwaysOpen opens the line day and night, every day.
func (c *cli) alwaysOpen() {
	c.t.Helper()
	open := func(h *rota.Hours) error { *h = rota.Hours{Weekends: true, BankHolidays: true}; return nil }
	if _, err := c.store.SetHours(context.Background(), open); err != nil {
		c.t.Fatal(err)
	}
}

// commit applies one batch built by do, which must succeed.
func (c *cli) commit(do func(b *commit.Batch)) {
	c.t.Helper()
	b := commit.New()
	do(b)
	if failed, err := c.app.Apply(context.Background(), b); err != nil || failed != 0 {
		c.t.Fatalf("apply: guard %d failed, %v", failed, err)
	}
}

// busyLine has Sam in a chat for 25 minutes, a person waiting 12 minutes whom Sam passed on, Jo free,
// Lee OFF, Kim paused and Ann off shift.
func busyLine(c *cli) {
	ctx := context.Background()
	c.alwaysOpen()
	m := matcher.New(c.rdb, c.env["LINE_ID"])
	sam, jo := c.onShiftToday("Sam", "+447700900101"), c.onShiftToday("Jo", "+447700900102")
	lee, kim := c.onShiftToday("Lee", "+447700900103"), c.onShiftToday("Kim", "+447700900104")
	if _, err := c.store.AddVolunteer(ctx, rota.Volunteer{Name: "Ann", Phone: "+447700900105"}); err != nil {
		c.t.Fatal(err)
	}
	c.setOff(lee.ID)
	if _, err := c.store.SetActive(ctx, kim.ID, false); err != nil {
		c.t.Fatal(err)
	}
	chat := matcher.Request{Code: "R444", Person: "+447700900001", Channel: "sms", Created: c.now.Add(-30 * time.Minute)}
	c.commit(func(b *commit.Batch) { m.Open(b, chat, false) })
	c.commit(func(b *commit.Batch) { m.Claim(b, chat, sam, nil, c.now.Add(-25*time.Minute)) })
	wait := matcher.Request{Code: "R333", Person: "+447700900002", Channel: "sms", Created: c.now.Add(-12*time.Minute - 5*time.Second),
		Offered: 2, Said: []string{"please help"}}
	c.commit(func(b *commit.Batch) {
		m.Open(b, wait, false)
		fresh := wait
		fresh.Fresh = true
		m.Offer(b, fresh, []rota.Volunteer{sam, jo}, c.now)
	})
	wait, err := m.Request(ctx, wait.Code)
	if err != nil {
		c.t.Fatal(err)
	}
	c.commit(func(b *commit.Batch) { m.Pass(b, wait, sam) })
}

func TestStatus(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		given func(c *cli)
		want  []string // lines (or parts of lines) the output must have, in order
	}{
		{"a quiet line says so", func(*cli) {}, []string{
			"The line at Tue 24 Nov 12:00 (Europe/London time).",
			"The line is closed now (see hours show): people who text get the daytime services.",
			"Nobody is waiting for a volunteer.",
			"No conversations going on.",
			"Nobody is on shift now.",
		}},
		{"a quiet open line says who texts gets the signpost", func(c *cli) { c.now = c.now.Add(6 * time.Hour) }, []string{
			"The line at Tue 24 Nov 18:00 (Europe/London time).",
			"Nobody is on shift or on call now: people who text get the fallback signpost.",
		}},
		{"a busy line shows who waits, who talks and who is free", busyLine, []string{
			"Waiting for a volunteer (1, the longest for 12m 05s), in the order they are offered:",
			"CODE  WAITING  OFFERED  HOLDING  PASSED",
			"R333  12m 05s  2        1        1",
			"Conversations going on (1):",
			"CODE  VOLUNTEER  FOR",
			"R444  Sam (v1)   25m 00s",
			"On shift now (4):",
			"v1  Sam   in a chat: R444",
			"v2  Jo    free",
			"v3  Lee   OFF",
			"v4  Kim   paused",
			"1 of 4 on shift free now.",
			"Nobody is on call now.",
		}},
		{"nobody free is a warning", func(c *cli) {
			c.alwaysOpen()
			c.setOff(c.onShiftToday("Sam", "+447700900101").ID)
		}, []string{"v1  Sam   OFF", "Nobody on shift is free now: people who text wait in the queue"}},
		{"a volunteer resting after a chat, and one at their limit for the night", func(c *cli) {
			c.alwaysOpen()
			c.now = c.now.Add(6 * time.Hour) // 18:00; the night began at noon
			m := matcher.New(c.rdb, c.env["LINE_ID"])
			sam, jo := c.onShiftToday("Sam", "+447700900101"), c.onShiftToday("Jo", "+447700900102")
			for i, v := range []rota.Volunteer{sam, jo, jo, jo} { // Sam's chat ended 4 minutes ago; Jo had three
				chat := matcher.Request{Code: fmt.Sprintf("R%d", 400+i), Person: "+447700900001", Channel: "sms",
					Created: c.now.Add(-time.Hour)}
				c.commit(func(b *commit.Batch) { m.Open(b, chat, false) })
				c.commit(func(b *commit.Batch) { m.Claim(b, chat, v, nil, c.now.Add(-50*time.Minute)) })
				c.commit(func(b *commit.Batch) { m.End(b, chat.Code, v.ID, c.now.Add(-4*time.Minute), time.Time{}) })
			}
		}, []string{"v1  Sam   resting until 18:06", "v2  Jo    resting tonight", "Nobody on shift is free now"}},
		{"a closed line says so", func(c *cli) { c.onShiftToday("Sam", "+447700900101") }, []string{
			"The line is closed now", "v1  Sam   free", "1 of 1 on shift could take a request, but the line is closed now.",
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			c := newCLI(t)
			tc.given(c)
			out := c.must("status")
			rest := out
			for _, w := range tc.want {
				i := strings.Index(rest, w)
				if i < 0 {
					t.Fatalf("output lacks %q (after what came before):\n%s", w, out)
				}
				rest = rest[i+len(w):]
			}
			if strings.Contains(out, "Ann") {
				t.Errorf("Ann is not on shift but is shown:\n%s", out)
			}
			noNumbers(t, out)
		})
	}
}

func TestSpan(t *testing.T) {
	t.Parallel()
	tests := map[time.Duration]string{
		-time.Second:                          "0s",
		45 * time.Second:                      "45s",
		12*time.Minute + 5*time.Second:        "12m 05s",
		3*time.Hour + 7*time.Minute:           "3h 07m",
		52*time.Hour + 59*time.Minute:         "2d 04h",
		59*time.Second + 999*time.Millisecond: "59s",
	}
	for d, want := range tests {
		if got := span(d); got != want {
			t.Errorf("span(%v) = %q, want %q", d, got, want)
		}
	}
}

func TestWhoShowsWhoIsResting(t *testing.T) {
	t.Parallel()
	c := newCLI(t)
	c.alwaysOpen()
	c.now = c.now.Add(6 * time.Hour) // 18:00
	m := matcher.New(c.rdb, c.env["LINE_ID"])
	sam := c.onShiftToday("Sam", "+447700900101")
	c.onShiftToday("Jo", "+447700900102")
	chat := matcher.Request{Code: "R400", Person: "+447700900001", Channel: "sms", Created: c.now.Add(-time.Hour)}
	c.commit(func(b *commit.Batch) { m.Open(b, chat, false) })
	c.commit(func(b *commit.Batch) { m.Claim(b, chat, sam, nil, c.now.Add(-50*time.Minute)) })
	c.commit(func(b *commit.Batch) { m.End(b, chat.Code, sam.ID, c.now.Add(-4*time.Minute), time.Time{}) })
	out := c.must("who")
	for _, want := range []string{"v1  Sam   **********101  on, resting until 18:06", "v2  Jo    **********102  on",
		"1 of 2 available", "1 volunteer resting"} {
		if !strings.Contains(out, want) {
			t.Errorf("who lacks %q:\n%s", want, out)
		}
	}
	if out := c.must("who", "-at", "2026-11-24 18:30"); strings.Contains(out, "resting") {
		t.Errorf("who -at another time shows a rest, which is only known for now:\n%s", out)
	}
}
