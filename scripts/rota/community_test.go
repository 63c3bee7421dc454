package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestEventsCommands: a coordinator adds, lists, edits and removes events of the line's calendar.
func TestEventsCommands(t *testing.T) {
	c := newCLI(t) // Tuesday 24 November 2026, 12:00
	out := c.must("events", "add", "-title", "Recovery café", "-day", "sat", "-start", "11:00", "-end", "13:00",
		"-place", "St John's Hall, Tonbridge", "-tags", "family-friendly")
	if !strings.Contains(out, "Added event e1") || !strings.Contains(out, "next Sat 28 Nov 11:00") {
		t.Errorf("events add printed %q", out)
	}
	c.must("events", "add", "-title", "Carols", "-date", "2026-12-20", "-start", "18:00", "-end", "19:00", "-place", "High St")
	out = c.must("events", "list")
	for _, want := range []string{"e1", "sat 11:00-13:00", "Sat 28 Nov 11:00", "family-friendly", "e2", "2026-12-20 18:00-19:00"} {
		if !strings.Contains(out, want) {
			t.Errorf("events list lacks %q:\n%s", want, out)
		}
	}
	if out = c.must("events", "edit", "e1", "-start", "11:30"); !strings.Contains(out, "sat 11:30-13:00") {
		t.Errorf("events edit printed %q", out)
	}
	if r := c.run("", "events", "add", "-title", "x", "-day", "sat", "-date", "2026-12-01", "-start", "11:00", "-end", "10:00", "-place", "y"); r.err == nil {
		t.Error("events add took both -day and -date and an end before the start")
	}
	if r := c.run("", "events", "add", "-day", "sat"); r.err == nil || !strings.Contains(r.err.Error(), "-title is required") {
		t.Errorf("events add without a title: %v", r.err)
	}
	for _, args := range [][]string{ // last year's date is a slip, refused (the tool's today is 2026-11-24)
		{"events", "add", "-title", "Carols", "-date", "2025-12-20", "-start", "18:00", "-end", "19:00", "-place", "High St"},
		{"events", "edit", "e1", "-date", "2025-12-20"},
	} {
		if r := c.run("", args...); r.err == nil || !strings.Contains(r.err.Error(), "-date 2025-12-20 has passed (today is 2026-11-24)") {
			t.Errorf("%s with last year's date: %v", strings.Join(args[:2], " "), r.err)
		}
	}
	c.must("events", "remove", "e2")
	if r := c.run("", "events", "remove", "e2"); r.err == nil || !strings.Contains(r.err.Error(), "no such event") {
		t.Errorf("events remove of a removed event: %v", r.err)
	}
}

// TestServicesCommands: a coordinator adds services, lists them open now or when they open next
// (bank holidays closed unless stated), and refuses bad hours and needs with clear words.
func TestServicesCommands(t *testing.T) {
	c := newCLI(t) // Tuesday 24 November 2026, 12:00
	c.must("services", "add", "-need", "housing", "-name", "Housing Advice", "-phone", "01732 111111", "-hours", "Mon-Fri 09:00-17:00", "-note", "drop-in")
	out := c.must("services", "add", "-need", "Money and debt", "-name", "Citizens Advice", "-phone", "0800 144 8848", "-hours", "Sat 10:00-12:00")
	if !strings.Contains(out, "Added service sv2") || !strings.Contains(out, "money and debt") || !strings.Contains(out, "opens Sat 28 Nov 10:00") {
		t.Errorf("services add printed %q", out)
	}
	out = c.must("services", "list")
	if !strings.Contains(out, "open till 17:00") || !strings.Contains(out, "drop-in") {
		t.Errorf("services list:\n%s", out)
	}
	if out = c.must("services", "list", "-need", "debt"); strings.Contains(out, "Housing") {
		t.Errorf("services list -need debt shows housing:\n%s", out)
	}
	r := c.run("", "services", "add", "-need", "cats", "-name", "x", "-phone", "1", "-hours", "Mon 9-5")
	if r.err == nil || !strings.Contains(r.err.Error(), "want one of housing") || !strings.Contains(r.err.Error(), "HH:MM-HH:MM") {
		t.Errorf("services add with a bad need and hours: %v", r.err)
	}
	c.must("services", "edit", "sv1", "-hours", "Mon-Fri 09:00-17:00; bh 10:00-12:00")
	c.now = c.now.AddDate(0, 0, 31).Add(-3 * 3600e9) // Christmas Day 2026, 09:00
	// Boxing Day falls on the Saturday: closed, as a bank holiday; the housing service opens on them.
	if out = c.must("services", "list"); !strings.Contains(out, "opens Sat 2 Jan 10:00") || !strings.Contains(out, "opens Fri 25 Dec 10:00") {
		t.Errorf("services list on Christmas Day:\n%s", out)
	}
	c.must("services", "remove", "sv2")
}

// TestEventsAndServicesCSV: export, then import the file back (nothing changes), a new row and a
// changed one (-dry-run first), and a file with bad rows (each named by its line, nothing imported).
func TestEventsAndServicesCSV(t *testing.T) {
	c := newCLI(t)
	dir := t.TempDir()
	c.must("events", "add", "-title", "Recovery cafe", "-day", "sat", "-start", "11:00", "-end", "13:00", "-place", "St John's Hall, Tonbridge", "-tags", "family-friendly, free")
	file := filepath.Join(dir, "events.csv")
	c.must("events", "export", "-o", file)
	if out := c.must("events", "import", file); !strings.Contains(out, "0 event(s) added, 0 changed, 0 removed, 1 the same") {
		t.Errorf("importing the export again: %q", out)
	}
	data, _ := os.ReadFile(file)
	edited := strings.Replace(string(data), "11:00", "10:30", 1) + ",Walk,sun,,10:00,11:00,Park gate,\n"
	if err := os.WriteFile(file, []byte(edited), 0o600); err != nil {
		t.Fatal(err)
	}
	out := c.must("events", "import", file, "-dry-run")
	if !strings.Contains(out, "Dry run") || !strings.Contains(out, "1 event(s) added, 1 changed") {
		t.Errorf("dry run: %q", out)
	}
	if list := c.must("events", "list"); strings.Contains(list, "Walk") {
		t.Error("the dry run added an event")
	}
	c.must("events", "import", file)
	if list := c.must("events", "list"); !strings.Contains(list, "Walk") || !strings.Contains(list, "sat 10:30-13:00") {
		t.Errorf("after import:\n%s", list)
	}

	bad := filepath.Join(dir, "services.csv")
	os.WriteFile(bad, []byte("need,name,phone,hours\nhousing,Advice,01732 1,Mon-Fri 09:00-17:00\ncats,Pets,1,Mon 09:00-10:00\n\nfood,Bank,2,Wed 17:00-09:00\n"), 0o600)
	r := c.run("", "services", "import", bad)
	if r.err == nil || !strings.Contains(r.err.Error(), "line 3:") || !strings.Contains(r.err.Error(), "line 5:") || strings.Contains(r.err.Error(), "line 2:") {
		t.Errorf("import of bad rows: %v", r.err)
	}
	if list := c.must("services", "list"); !strings.Contains(list, "No services yet") {
		t.Errorf("a refused import changed the directory:\n%s", list)
	}
	os.WriteFile(bad, []byte("need,name,phone,hours\nhousing,Advice,01732 1,Mon-Fri 09:00-17:00\n"), 0o600)
	c.must("services", "import", bad)
	if out := c.must("services", "export"); !strings.Contains(out, ",housing,Advice,01732 1,Mon-Fri 09:00-17:00,") {
		t.Errorf("services export:\n%s", out)
	}
	if out := c.must("services", "import", bad, "-replace"); !strings.Contains(out, "0 removed, 1 the same") {
		t.Errorf("import of the same row without its id, -replace: %q", out)
	}
}

// TestEventsImportReadsDatesInTheLinesRegion: events import reads a date as the line's DEFAULT_REGION
// writes it (community's TestReadEventsTakesSpreadsheetDates has every form).
func TestEventsImportReadsDatesInTheLinesRegion(t *testing.T) {
	t.Parallel()
	tests := []struct {
		region, date string
		refused      string // the start of the refusal, "" when the date is read
	}{
		{"GB", "24/12/2026", ""},
		{"US", "12/24/2026", ""},
		{"GB", "12/24/2026", `line 2: date "12/24/2026": dates are read day first (24/12/2026) in GB (DEFAULT_REGION)`},
	}
	for _, tc := range tests {
		t.Run(tc.region+" "+tc.date, func(t *testing.T) {
			t.Parallel()
			c := newCLI(t)
			c.env["DEFAULT_REGION"] = tc.region
			file := filepath.Join(t.TempDir(), "events.csv")
			if err := os.WriteFile(file, []byte("title,date,start,end,place\nCarols,"+tc.date+",18:00,19:00,High St\n"), 0o600); err != nil {
				t.Fatal(err)
			}
			r := c.run("", "events", "import", file)
			if tc.refused != "" {
				wantErr(t, r, false, "nothing was imported", file+" "+tc.refused)
				return
			}
			if r.err != nil {
				t.Fatal(r.err)
			}
			if list := c.must("events", "list"); !strings.Contains(list, "2026-12-24 18:00-19:00") {
				t.Errorf("events list after the import:\n%s", list)
			}
		})
	}
}
