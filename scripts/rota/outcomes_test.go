package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestOutcomes(t *testing.T) {
	t.Parallel()
	c := newCLI(t)
	december(c)
	dir := t.TempDir()
	csvFile, page, research := filepath.Join(dir, "o.csv"), filepath.Join(dir, "o.html"), filepath.Join(dir, "r.csv")
	out := c.must("outcomes", "-from", "2026-12-20", "-to", "2026-12-26", "-csv", csvFile, "-html", page,
		"-research", research)
	for _, want := range []string{"Outcomes for Sun 20 Dec 2026 to Sat 26 Dec 2026", "all.contacts", "Christmas Day",
		"persons_2plus_requests", "not recorded yet", "Written to " + csvFile} {
		if !strings.Contains(out, want) {
			t.Errorf("output does not say %q:\n%s", want, out)
		}
	}
	files := map[string]string{}
	for _, f := range []string{csvFile, page, research} {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		files[f] = string(b)
	}
	// The week of december(): six requests (three matched in time, one reached late, one never
	// reached, one withdrawn), two texts while the line was closed, one risk-flagged.
	for _, want := range []string{"total,all.contacts,All hours,6", "outcome,matched_in_time,,3",
		"outcome,reached_late,,1", "outcome,never_reached,,1", "outcome,withdrawn,,1",
		"outcome,closed_line_texts,,2", "total,all.risk_flagged,All hours,1", "shared,events,,0"} {
		if !strings.Contains(files[csvFile], want) {
			t.Errorf("CSV has no %q:\n%s", want, files[csvFile])
		}
	}
	for f, text := range files {
		for _, number := range []string{alex, bea, sam, jo, "+44", "07700"} {
			if strings.Contains(text, number) {
				t.Errorf("%s holds %s", filepath.Base(f), number)
			}
		}
	}
	if !strings.HasPrefix(files[research], "case,event,when,") || strings.Contains(files[page], "<script") {
		t.Errorf("research file or page not as expected")
	}

	// Volunteer hours are the shifts worked: none for a month still to come, some for the week once past.
	future := filepath.Join(dir, "future.csv")
	c.must("outcomes", "-from", "2027-01-01", "-to", "2027-01-31", "-csv", future)
	c.now = time.Date(2026, 12, 27, 12, 0, 0, 0, c.now.Location())
	past := filepath.Join(dir, "past.csv")
	c.must("outcomes", "-from", "2026-12-20", "-to", "2026-12-26", "-csv", past)
	for f, want := range map[string]bool{future: false, past: true} {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if given := !strings.Contains(string(b), "volunteers,peer_hours,,0.0"); given != want {
			t.Errorf("%s: peer hours given %v, want %v:\n%s", filepath.Base(f), given, want, b)
		}
	}
}
