package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/redis/go-redis/v9"

	"peerline/rota"
)

// A rota with every kind of volunteer and shift, as a coordinator's spreadsheet might hold it.
const (
	fixtureVolunteers = "id,name,phone,role,channels,tags,max_chats,rest_minutes,week_hours,notes,paused\n" +
		"v1,Sam,07700 900101,volunteer,sms,alcohol; women-only,1,,,,no\n" +
		"v2,Kim,07700 900103,coordinator,whatsapp; sms,,2,15,12,\"prefers nights, \"\"quiet\"\" ones\ncall first\",no\n" +
		"v3,Zoë,+1 202 555 0100,volunteer,whatsapp,polish-speaking,,,,,no\n"
	fixtureShifts = "volunteer,name,day,date,start,end,covers,oncall\n" +
		"07700 900101,Sam,fri,,22:00,02:00,,no\n" +
		"07700 900101,Sam,sun,,09:00,21:00,,no\n" +
		"07700 900103,Kim,mon,,18:00,09:00,,yes\n" +
		"+1 202 555 0100,,wed,,00:00,24:00,,no\n" +
		"07700 900103,Kim,,2026-12-24,20:00,24:00,07700 900101,no\n" +
		"v3,,,2026-12-31,12:00,14:00,,\n"
)

func TestImportExportRoundTrip(t *testing.T) {
	t.Parallel()
	a := newCLI(t)
	a.must(a.importArgs(fixtureVolunteers, fixtureShifts, "-allow-abroad")...) // Zoë's mobile is American
	vols, shifts := a.must("export", "volunteers"), a.must("export", "shifts")
	if n := strings.Count(shifts, "\n"); n != 7 {
		t.Fatalf("exported %d lines of shifts, want a header and 6:\n%s", n, shifts)
	}

	b := newCLI(t)
	b.must(b.importArgs(vols, shifts, "-allow-abroad")...)
	if diff := cmp.Diff(vols, b.must("export", "volunteers")); diff != "" {
		t.Errorf("volunteers exported again differ (-first +second):\n%s", diff)
	}
	if diff := cmp.Diff(withoutIDs(shifts), withoutIDs(b.must("export", "shifts"))); diff != "" {
		t.Errorf("shifts exported again differ, ids aside (-first +second):\n%s", diff)
	}
	for _, c := range []*cli{a, b} {
		before := c.snapshot()
		out := c.must(c.importArgs(vols, shifts)...)
		if !strings.HasPrefix(out, "Nothing to change") || !strings.Contains(out, "3 already as in the file") ||
			!strings.Contains(out, "6 already on the rota") {
			t.Errorf("importing the exported files back says:\n%s", out)
		}
		if diff := cmp.Diff(before, c.snapshot()); diff != "" {
			t.Errorf("importing the exported files back changed Redis (-before +after):\n%s", diff)
		}
	}
}

// withoutIDs drops the first column (the id) of every line of a CSV without quoted line breaks.
func withoutIDs(csv string) string {
	var out []string
	for _, line := range strings.SplitAfter(csv, "\n") {
		_, rest, _ := strings.Cut(line, ",")
		out = append(out, rest)
	}
	return strings.Join(out, "")
}

func TestImportFormatHelpExamples(t *testing.T) {
	t.Parallel()
	example := func(header string) string {
		lines := strings.Split(csvFormatHelp, "\n")
		for i, l := range lines {
			if strings.HasPrefix(l, "  "+header) {
				return strings.Join(lines[i:i+3], "\n") + "\n"
			}
		}
		t.Fatalf("no example starting %q in the help", header)
		return ""
	}
	c := newCLI(t)
	out := c.must(c.importArgs(example("id,name"), example("id,volunteer"))...)
	if !strings.Contains(out, "2 added, 0 updated") || !strings.Contains(out, "2 added, 0 changed, 0 already") {
		t.Errorf("the help's examples did not import as 2 volunteers and 2 shifts:\n%s", out)
	}
}

func TestImportDryRunChangesNothing(t *testing.T) {
	t.Parallel()
	c := givenSamAndKim(t)
	c.must("shift", "add", "-volunteer", "v1", "-day", "fri", "-start", "22:00", "-end", "02:00")
	c.must("shift", "add", "-volunteer", "v2", "-day", "mon", "-start", "18:00", "-end", "09:00", "-oncall")
	vols := "name,phone,tags\nSamuel,07700 900101,alcohol\nAna,07700 900111,\n"
	shifts := "volunteer,day,start,end\n07700 900101,fri,22:00,02:00\n07700 900111,sat,10:00,14:00\n"
	want := []string{
		"+ volunteer Ana, +447700900111",
		`~ volunteer Sam (v1) (`, `volunteers.csv line 2): name "Sam" -> "Samuel"; tags (none) -> alcohol`,
		"+ shift Ana (new, +447700900111), every Sat 10:00 to 14:00 (",
		"shifts.csv (1): would be removed: -replace-shifts\n  - shift s2: Kim (v2), every Mon 18:00 to Tue 09:00, on call\n",
		"1 added, 1 updated, 0 already as in the file; 1 volunteer on the rota but not in the file is kept as they are",
		"1 added, 0 changed, 1 already on the rota, 1 in the rota but not in the file (would be removed: -replace-shifts)",
	}
	before := c.snapshot()
	out := c.must(c.importArgs(vols, shifts, "-replace-shifts", "-dry-run")...)
	for _, w := range append([]string{"Dry run: nothing was changed."}, want...) {
		if !strings.Contains(out, w) {
			t.Errorf("dry run does not say %q:\n%s", w, out)
		}
	}
	if diff := cmp.Diff(before, c.snapshot()); diff != "" {
		t.Errorf("dry run changed Redis (-before +after):\n%s", diff)
	}

	out = c.must(c.importArgs(vols, shifts, "-replace-shifts")...)
	want[0], want[3] = "+ volunteer Ana, +447700900111 as v3", "+ shift s3: Ana (v3), every Sat 10:00 to 14:00 ("
	want[4] = strings.ReplaceAll(want[4], "would be removed", "removed")
	want[6] = strings.ReplaceAll(want[6], "would be removed", "removed")
	for _, w := range append([]string{"Imported."}, want...) {
		if !strings.Contains(out, w) {
			t.Errorf("import does not say %q:\n%s", w, out)
		}
	}
	r := c.load()
	if got := fmt.Sprint(r.Volunteers["v1"].Name, r.Volunteers["v1"].Tags, r.Volunteers["v3"].Name, len(r.Shifts)); got != "Samuel[alcohol]Ana2" {
		t.Errorf("after the import: %s", got)
	}
}

func TestImportTwiceChangesNothing(t *testing.T) {
	t.Parallel()
	c := givenSamAndKim(t)
	vols := "name,phone,role\nKimberly,07700 900103,\nAna,07700 900111,coordinator\n"
	shifts := "volunteer,day,date,start,end,covers,oncall\nv1,fri,,22:00,02:00,,\n07700 900111,,2026-12-24,20:00,24:00,v1,yes\n"
	c.must(c.importArgs(vols, shifts)...)
	before := c.snapshot()
	out := c.must(c.importArgs(vols, shifts)...)
	if !strings.HasPrefix(out, "Nothing to change") {
		t.Errorf("second import says:\n%s", out)
	}
	if diff := cmp.Diff(before, c.snapshot()); diff != "" {
		t.Errorf("second import changed Redis (-before +after):\n%s", diff)
	}
	if kim := c.load().Volunteers["v2"]; kim.Name != "Kimberly" || kim.Coordinator {
		t.Errorf("Kim after the import: %+v, want Kimberly, a volunteer (the role column said so)", kim)
	}
}

func TestImportReplaceShifts(t *testing.T) {
	t.Parallel()
	c := givenSamAndKim(t)
	c.must("shift", "add", "-volunteer", "v1", "-day", "fri", "-start", "22:00", "-end", "02:00")
	c.must("shift", "add", "-volunteer", "v2", "-day", "mon", "-start", "18:00", "-end", "09:00", "-oncall")
	c.must("shift", "skip", "s1", "-date", "2026-12-25")
	shifts := "volunteer,day,start,end\n07700 900101,Friday,22:00,02:00\nv2,tue,10:00,12:00\n"
	out := c.must(c.importArgs("", shifts, "-replace-shifts")...)
	if !strings.Contains(out, "- shift s2: Kim (v2), every Mon 18:00 to Tue 09:00, on call") {
		t.Errorf("import does not name the shift it removed:\n%s", out)
	}
	r := c.load()
	want := []rota.Shift{
		{ID: "s3", Volunteer: "v2", Day: 2, Start: 10 * 60, End: 12 * 60},
		{ID: "s1", Volunteer: "v1", Day: 5, Start: 22 * 60, End: 2 * 60},
	}
	if diff := cmp.Diff(want, sortedShifts(r, "")); diff != "" {
		t.Errorf("shifts (-want +got):\n%s", diff)
	}
	if !r.Skips[rota.SkipKey("s1", "2026-12-25")] {
		t.Errorf("the skip of the kept shift s1 is gone: %v", r.Skips)
	}
	if out := c.must(c.importArgs("", shifts, "-replace-shifts")...); !strings.HasPrefix(out, "Nothing to change") {
		t.Errorf("second import says:\n%s", out)
	}
	wantErr(t, c.run("", "import", "-replace-shifts"), true, "give -volunteers FILE, -shifts FILE or both")
}

// TestImportIsAtomic loads the rota in a loop, with a store of its own, while a large import runs:
// every load must show all of the import or none of it.
func TestImportIsAtomic(t *testing.T) {
	t.Parallel()
	const nVols, perVol = 200, 5
	var vols, shifts strings.Builder
	vols.WriteString("name,phone\n")
	shifts.WriteString("volunteer,day,start,end\n")
	for i := range nVols {
		number := fmt.Sprintf("07700 900%03d", 200+i)
		fmt.Fprintf(&vols, "V%d,%s\n", i, number)
		for d, day := range []string{"mon", "tue", "wed", "thu", "fri"}[:perVol] {
			fmt.Fprintf(&shifts, "%s,%s,%02d:00,%02d:30\n", number, day, (i+d)%24, (i+d)%24)
		}
	}
	c := newCLI(t)
	args := c.importArgs(vols.String(), shifts.String())
	opt, err := redis.ParseURL(c.env["REDIS_URL"])
	if err != nil {
		t.Fatal(err)
	}
	rdb := redis.NewClient(opt)
	defer rdb.Close()
	reader := rota.NewStore(rdb, c.env["LINE_ID"], c.store.Location())

	var done atomic.Bool
	seen := map[[2]int]int{}
	var wg sync.WaitGroup
	wg.Go(func() {
		for last := false; !last; {
			last = done.Load()
			r, err := reader.Load(context.Background())
			if err != nil {
				t.Error(err)
				return
			}
			seen[[2]int{len(r.Volunteers), len(r.Shifts)}]++
		}
	})
	c.must(args...)
	done.Store(true)
	wg.Wait()
	for state, n := range seen {
		if state != [2]int{0, 0} && state != [2]int{nVols, nVols * perVol} {
			t.Errorf("%d loads saw %d volunteers and %d shifts: part of the import", n, state[0], state[1])
		}
	}
	if seen[[2]int{nVols, nVols * perVol}] == 0 {
		t.Errorf("the last load did not see the import: %v", seen)
	}
	t.Logf("loads (volunteers, shifts): %v", seen)
}

func TestExportToFile(t *testing.T) {
	t.Parallel()
	c := newCLI(t)
	c.must(c.importArgs(fixtureVolunteers, fixtureShifts, "-allow-abroad")...)
	for _, what := range []string{"volunteers", "shifts"} {
		path := filepath.Join(t.TempDir(), what+".csv")
		out := c.must("export", what, "-o", path)
		want := fmt.Sprintf("Wrote %d %s to %s.\n", map[string]int{"volunteers": 3, "shifts": 6}[what], what, path)
		if what == "volunteers" {
			want += "This file holds volunteers' phone numbers: keep it off shared drives and e-mail, and delete it\n" +
				"when you are done. (In the project folder, git ignores *.csv.)\n"
		}
		if out != want {
			t.Errorf("export %s -o says %q, want %q", what, out, want)
		}
		got, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(c.must("export", what), string(got)); diff != "" {
			t.Errorf("export %s -o wrote another file than standard output gets (-stdout +file):\n%s", what, diff)
		}
	}
	want := "id,volunteer,name,day,date,start,end,covers,oncall\n" +
		"s3,07700 900103,Kim,mon,,18:00,09:00,,yes\n" +
		"s4,'+1 202-555-0100,Zoë,wed,,00:00,24:00,,no\n"
	if got := c.must("export", "shifts"); !strings.HasPrefix(got, want) {
		t.Errorf("shifts export starts:\n%s\nwant:\n%s", got, want)
	}
	if out := newCLI(t).must("export", "volunteers"); out != strings.Join(rota.VolunteerColumns(), ",")+"\n" {
		t.Errorf("export of an empty rota = %q, want only the header", out)
	}
}

func TestImportNotesAnIDOfSomeoneElse(t *testing.T) {
	t.Parallel()
	c := givenSamAndKim(t)
	out := c.must(c.importArgs("id,name,phone\nv1,Ana,07700 900111\n", "")...)
	for _, w := range []string{"+ volunteer Ana, +447700900111 as v3", "Note: ", "line 2: v1 is Sam on this rota, who has another number"} {
		if !strings.Contains(out, w) {
			t.Errorf("import does not say %q:\n%s", w, out)
		}
	}
}

func TestImportSetsWellbeingLimits(t *testing.T) {
	t.Parallel()
	c := givenSamAndKim(t)
	out := c.must(c.importArgs("name,phone,max_chats,rest_minutes,week_hours\nKim,07700 900103,2,15,\nSam,07700 900101,,,\n", "")...)
	if !strings.Contains(out, "~ volunteer Kim (v2) (") || !strings.Contains(out, "max_chats (the line's) -> 2; rest_minutes (the line's) -> 15\n") ||
		!strings.Contains(out, "1 already as in the file") {
		t.Errorf("import of Kim's limits says:\n%s", out)
	}
	if kim := c.load().Volunteers["v2"]; kim.MaxChats != 2 || kim.Rest != 15 || kim.WeekHours != 0 {
		t.Errorf("Kim's limits after the import: %d chats a night, %d minutes' rest, %d hours a week; want 2, 15, the line's (0)",
			kim.MaxChats, kim.Rest, kim.WeekHours)
	}
	want := "v2,Kim,07700 900103,coordinator,sms,,2,15,,,no\n"
	if got := c.must("export", "volunteers"); !strings.Contains(got, want) {
		t.Errorf("export does not have %q:\n%s", want, got)
	}
}
