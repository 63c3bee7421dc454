package main

import (
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"peerline/rota"
)

// givenWeek is Sam and Kim with three shifts: s1 Sam Fri 22:00-02:00 (skipped on Christmas), s2 Kim on
// call Mon 18:00-09:00, s3 Sam on Christmas Eve 20:00-24:00.
func givenWeek(t *testing.T) *cli {
	t.Helper()
	c := givenSamAndKim(t)
	c.must("shift", "add", "-volunteer", "v1", "-day", "fri", "-start", "22:00", "-end", "02:00")
	c.must("shift", "add", "-volunteer", "v2", "-day", "mon", "-start", "18:00", "-end", "09:00", "-oncall")
	c.must("shift", "add", "-volunteer", "v1", "-date", "2026-12-24", "-start", "20:00", "-end", "24:00")
	c.must("shift", "skip", "s1", "-date", "2026-12-25")
	return c
}

// edit returns csv with the line that starts with prefix replaced by line ("" removes it).
func edit(t *testing.T, csv, prefix, line string) string {
	t.Helper()
	lines := strings.SplitAfter(csv, "\n")
	for i, l := range lines {
		if strings.HasPrefix(l, prefix) {
			if line != "" {
				line += "\n"
			}
			lines[i] = line
			return strings.Join(lines, "")
		}
	}
	t.Fatalf("no line starts %q in:\n%s", prefix, csv)
	return ""
}

func TestImportChangesTheShiftOfItsID(t *testing.T) {
	t.Parallel()
	c := givenWeek(t)
	exported := c.must("export", "shifts")
	changed := edit(t, exported, "s1,", "s1,07700 900101,Sam,fri,,21:00,02:00,,no")
	changed = edit(t, changed, "s3,", "s3,07700 900103,Kim,,24/12/2026,20:00,23:00,,no")
	before := c.snapshot()
	dry := c.must(c.importArgs("", changed, "-dry-run")...)
	for _, w := range []string{
		"Dry run: nothing was changed.",
		"~ shift s1 (", "line 3): Sam (v1), every Fri 22:00 to Sat 02:00 -> Sam (v1), every Fri 21:00 to Sat 02:00\n",
		"    it gets a new id: export again after the import, before you edit it again\n",
		"    it is skipped on 2026-12-25; that goes with the old times (skip it again after the import)\n",
		"~ shift s3 (", "Sam (v1), Thu 2026-12-24 20:00 to 24:00 -> Kim (v2), Thu 2026-12-24 20:00 to 23:00\n",
		"0 added, 2 changed, 1 already on the rota, 0 in the rota but not in the file",
	} {
		if !strings.Contains(dry, w) {
			t.Errorf("dry run does not say %q:\n%s", w, dry)
		}
	}
	if diff := cmp.Diff(before, c.snapshot()); diff != "" {
		t.Errorf("dry run changed Redis (-before +after):\n%s", diff)
	}

	out := c.must(c.importArgs("", changed)...)
	if !strings.Contains(out, "now s4: a changed shift gets a new id") ||
		!strings.Contains(out, "shift skip s4 -date 2026-12-25 skips it again") {
		t.Errorf("import does not give the changed shift's new id:\n%s", out)
	}
	want := []rota.Shift{
		{ID: "s2", Volunteer: "v2", Day: 1, Start: 18 * 60, End: 9 * 60, OnCall: true},
		{ID: "s4", Volunteer: "v1", Day: 5, Start: 21 * 60, End: 2 * 60},
		{ID: "s5", Volunteer: "v2", Date: "2026-12-24", Start: 20 * 60, End: 23 * 60},
	}
	r := c.load()
	if diff := cmp.Diff(want, sortedShifts(r, "")); diff != "" {
		t.Errorf("shifts after the import (-want +got):\n%s", diff)
	}
	if len(r.Skips) != 0 {
		t.Errorf("skips %v: the skip of the old s1 should be gone with it", r.Skips)
	}
	before = c.snapshot()
	if out := c.must(c.importArgs("", changed)...); !strings.HasPrefix(out, "Nothing to change") {
		t.Errorf("importing the changed file again says:\n%s", out)
	}
	if diff := cmp.Diff(before, c.snapshot()); diff != "" {
		t.Errorf("importing the changed file again changed Redis (-before +after):\n%s", diff)
	}
}

func TestImportListsShiftsNotInTheFile(t *testing.T) {
	t.Parallel()
	c := givenWeek(t)
	short := edit(t, c.must("export", "shifts"), "s2,", "")
	const kept = "In the rota but not in %s (1): %s\n  %s shift s2: Kim (v2), every Mon 18:00 to Tue 09:00, on call\n"
	tests := []struct {
		name  string
		flags []string
		fate  string // what the import says it does with s2
		mark  string
		gone  bool
	}{
		{"a dry run lists it as kept", []string{"-dry-run"}, "kept; -replace-shifts would remove them", " ", false},
		{"an import lists it and keeps it", nil, "kept; -replace-shifts would remove them", " ", false},
		{"a dry run with -replace-shifts says it would remove it", []string{"-dry-run", "-replace-shifts"},
			"would be removed: -replace-shifts", "-", false},
		{"an import with -replace-shifts removes it", []string{"-replace-shifts"}, "removed: -replace-shifts", "-", true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c := *c
			c.t = t
			before := c.snapshot()
			args := c.importArgs("", short, tc.flags...)
			out := c.must(args...)
			file := args[2]
			if w := fmt.Sprintf(kept, file, tc.fate, tc.mark); !strings.Contains(out, w) {
				t.Errorf("import %v does not say\n%s\nit says:\n%s", tc.flags, w, out)
			}
			if w := fmt.Sprintf("0 added, 0 changed, 2 already on the rota, 1 in the rota but not in the file (%s)", tc.fate); !strings.Contains(out, w) {
				t.Errorf("import %v does not say %q:\n%s", tc.flags, w, out)
			}
			_, there := c.load().Shift("s2")
			if there == tc.gone {
				t.Errorf("after import %v, s2 on the rota is %v, want %v", tc.flags, there, !tc.gone)
			}
			if !tc.gone {
				if diff := cmp.Diff(before, c.snapshot()); diff != "" {
					t.Errorf("import %v changed Redis (-before +after):\n%s", tc.flags, diff)
				}
			}
		})
	}
}
