package outcomes

import (
	"strings"
	"testing"

	"peerline/report"
)

func TestResearch(t *testing.T) {
	t.Parallel()
	cases := report.Follow(seeded(), from, to, london)
	rows := Research(cases, entries(), []byte("key one"), london)
	again := Research(cases, entries(), []byte("key two"), london)
	// 19 events of the month's requests and 3 SHAREs (not November's, not the trial's), 1 closed-line
	// text, 4 check-ins and 4 feedback scores (not the debrief).
	if len(rows) != 31 {
		t.Fatalf("%d rows, want 31:\n%v", len(rows), rows)
	}
	cells := map[string]bool{}
	for i, r := range rows {
		if len(r) != len(ResearchHeader) {
			t.Fatalf("row %d has %d cells, want %d", i, len(r), len(ResearchHeader))
		}
		if r[0] != "" && r[0] == again[i][0] {
			t.Errorf("row %d: the same pseudonym %s under two keys", i, r[0])
		}
		for _, c := range r {
			cells[c] = true
		}
		if when := r[2]; len(when) == len("2006-01-02 15:04") && !strings.HasSuffix(when, ":00") {
			t.Errorf("row %d: time %s is not rounded to the hour", i, when)
		}
	}
	for _, leak := range []string{"A", "B", "E", "H", "v1", "v2", "kind", "2026-12-01 10:02", "2026-12-02 23:35"} {
		if cells[leak] {
			t.Errorf("a cell holds %q", leak)
		}
	}
	first := rows[0]
	if first[1] != "new" || first[2] != "2026-12-01 10:00" || first[3] != string(Other) || !strings.HasPrefix(first[0], "r-") {
		t.Errorf("first row %v, want request A's new at 10:00, other hours, pseudonymous", first)
	}
	if rows[1][6] != "2" || !strings.HasPrefix(rows[1][5], "v-") {
		t.Errorf("A's match %v, want 2 minutes to a human and a pseudonymous volunteer", rows[1])
	}
	if rows[0][0] != rows[1][0] {
		t.Error("one request's rows carry different pseudonyms")
	}
}
