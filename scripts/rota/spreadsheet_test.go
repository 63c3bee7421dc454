package main

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// sofficeInstall is how to get LibreOffice for TestSpreadsheetRoundTrip.
const sofficeInstall = "apt-get install libreoffice-calc-nogui (Debian/Ubuntu: about 280 MB, a minute or so), " +
	"or set PEERLINE_SOFFICE to LibreOffice's soffice"

// soffice returns LibreOffice's command line program, or skips the test saying how to install it.
func soffice(t *testing.T) string {
	t.Helper()
	if path := os.Getenv("PEERLINE_SOFFICE"); path != "" {
		return path
	}
	for _, name := range []string{"soffice", "libreoffice"} {
		if path, err := exec.LookPath(name); err == nil {
			return path
		}
	}
	t.Skip("LibreOffice is not installed, so the spreadsheet round trip was not tried: " + sofficeInstall)
	return ""
}

// sheetLocale is how a coordinator's LibreOffice is set up: its locale (which decides how it writes
// dates and times) and the language of its Text Import dialog (2057 English (UK), 1033 English (US)).
type sheetLocale struct{ name, locale, lang string }

// spreadsheet plays a coordinator who opens CSV files in LibreOffice Calc set up as l, with "detect
// special numbers" on, saves them as a spreadsheet, then saves that as CSV again. It returns the folder
// of the CSV files saved, by the same names.
func spreadsheet(t *testing.T, office string, l sheetLocale, files ...string) string {
	t.Helper()
	dir := t.TempDir()
	profile := "-env:UserInstallation=file://" + filepath.Join(dir, "profile") // its own, so tests run side by side
	ods, back := filepath.Join(dir, "ods"), filepath.Join(dir, "back")
	// CSV import options: comma, double quote, UTF-8, from line 1, standard cells, the language, quoted
	// cells not forced to text, detect special numbers (times and dates, as the Text Import dialog can).
	runOffice(t, office, l.locale, append([]string{profile, "--headless", "--infilter=CSV:44,34,76,1,," + l.lang + ",false,true",
		"--convert-to", "ods", "--outdir", ods}, files...)...)
	var sheets []string
	for _, f := range files {
		sheets = append(sheets, filepath.Join(ods, strings.TrimSuffix(filepath.Base(f), ".csv")+".ods"))
	}
	// CSV export options: comma, double quote, UTF-8, and cells saved as shown, as "Save As CSV" does.
	runOffice(t, office, l.locale, append([]string{profile, "--headless", "--convert-to",
		"csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,true", "--outdir", back}, sheets...)...)
	return back
}

// runOffice runs LibreOffice in locale with args, and fails the test if it fails.
func runOffice(t *testing.T, office, locale string, args ...string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, office, args...)
	cmd.Env = append(os.Environ(), "LC_ALL="+locale, "LANG="+locale)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("%s %s: %v\n%s", office, strings.Join(args, " "), err, out)
	}
}

// TestSpreadsheetRoundTrip exports the rota, passes the files through LibreOffice Calc as a coordinator's
// "open, then save as CSV" would (with English (UK) and English (US) settings: the US ones write 22:00
// back as 10:00:00 PM), and imports them back: a dry run must find nothing to change. A time changed in
// the file before it is opened must come back as that shift changed, and a row added with a date and
// a time typed as a UK coordinator would (30/12/2026, 8:00 PM) as that shift added, and nothing else.
func TestSpreadsheetRoundTrip(t *testing.T) {
	t.Parallel()
	office := soffice(t)
	for _, l := range []sheetLocale{{"English (UK)", "en_GB.UTF-8", "2057"}, {"English (US)", "en_US.UTF-8", "1033"}} {
		t.Run(l.name, func(t *testing.T) {
			t.Parallel()
			c := newCLI(t)
			c.must(c.importArgs(fixtureVolunteers, fixtureShifts, "-allow-abroad")...)
			dir := t.TempDir()
			vols, shifts := filepath.Join(dir, "volunteers.csv"), filepath.Join(dir, "shifts.csv")
			c.must("export", "volunteers", "-o", vols)
			c.must("export", "shifts", "-o", shifts)
			exported, err := os.ReadFile(shifts)
			if err != nil {
				t.Fatal(err)
			}
			edited := filepath.Join(dir, "edited.csv")
			changed := edit(t, string(exported), "s1,", "s1,07700 900101,Sam,fri,,21:30,02:00,,no")
			changed += ",07700 900101,Sam,,30/12/2026,8:00 PM,22:00,,no\n" // typed as a UK coordinator would
			if err := os.WriteFile(edited, []byte(changed), 0o600); err != nil {
				t.Fatal(err)
			}

			back := spreadsheet(t, office, l, vols, shifts, edited)
			saved, err := os.ReadFile(filepath.Join(back, "edited.csv"))
			if err != nil {
				t.Fatal(err)
			}
			t.Logf("the edited shifts.csv as LibreOffice saved it:\n%s", saved)
			before := c.snapshot()
			out := c.must("import", "-volunteers", filepath.Join(back, "volunteers.csv"),
				"-shifts", filepath.Join(back, "shifts.csv"), "-dry-run")
			if !strings.HasPrefix(out, "Nothing to change") || !strings.Contains(out, "3 already as in the file") ||
				!strings.Contains(out, "0 added, 0 changed, 6 already on the rota, 0 in the rota but not in the file") {
				t.Errorf("the files as LibreOffice saved them would change the rota:\n%s", out)
			}
			out = c.must("import", "-shifts", filepath.Join(back, "edited.csv"), "-dry-run")
			for _, w := range []string{"Sam (v1), every Fri 22:00 to Sat 02:00 -> Sam (v1), every Fri 21:30 to Sat 02:00",
				"+ shift Sam (v1), Wed 2026-12-30 20:00 to 22:00",
				"1 added, 1 changed, 5 already on the rota, 0 in the rota but not in the file"} {
				if !strings.Contains(out, w) {
					t.Errorf("the edited file as LibreOffice saved it does not say %q:\n%s", w, out)
				}
			}
			if diff := cmp.Diff(before, c.snapshot()); diff != "" {
				t.Errorf("a dry run changed Redis (-before +after):\n%s", diff)
			}
		})
	}
}
