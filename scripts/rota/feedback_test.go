package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// TestFeedbackListsWhatTheLineHeard plays a chat through the real bot (the feedback ask answered with
// a score and words holding a number, the volunteer's OK, the check-in answered 2), then lists it
// with `rota feedback`, in the terminal and as CSV: no phone number anywhere.
func TestFeedbackListsWhatTheLineHeard(t *testing.T) {
	t.Parallel()
	c := newCLI(t)
	c.alwaysOpen()
	c.onShiftToday("Sam", sam)
	l := newLine(c)
	l.at("2026-11-23 23:00")
	l.text(alex, "hello")
	code := l.newest()
	l.text(sam, "ACCEPT "+code)
	l.text(sam, "DONE")
	l.text(sam, "OK")
	l.text(alex, "5 thank you, text me back on 07700 900555")
	l.after(11 * time.Hour) // 10:00: the check-in
	l.text(alex, "2")

	file := filepath.Join(t.TempDir(), "feedback.csv")
	out := c.must("feedback", "-from", "2026-11-20", "-to", "2026-11-24", "-csv", file)
	for _, want := range []string{
		"Feedback for 2026-11-20 to 2026-11-24",
		"2: about the same 1",
		"OK 1",
		"TALK (asked a coordinator to get in touch) 0",
		"5 1 Feedback replies",
		"2026-11 " + code + " 5 thank you, text me back on [number]",
	} {
		if !strings.Contains(strings.Join(strings.Fields(out), " "), want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	b, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	want := `section,key,label,value,words
range,from,,2026-11-20,
range,to,,2026-11-24,
checkin,better,,0,
checkin,same,,1,
checkin,struggling,,0,
checkin,wrote,,0,
debrief,ok,,1,
debrief,talk,,0,
score,1,,0,
score,2,,0,
score,3,,0,
score,4,,0,
score,5,,1,
feedback,` + code + `,2026-11,5,"thank you, text me back on [number]"
`
	if diff := cmp.Diff(want, string(b)); diff != "" {
		t.Errorf("CSV (-want +got):\n%s", diff)
	}
	if strings.Contains(out+string(b), "900555") {
		t.Error("a phone number was kept")
	}
	if out := c.must("feedback", "-from", "2026-10-01", "-to", "2026-10-31"); !strings.Contains(out, "No feedback replies") {
		t.Errorf("October should have no feedback:\n%s", out)
	}
}
