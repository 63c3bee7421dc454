package main

import (
	"context"
	"os"
	"regexp"
	"strings"
	"testing"

	"peerline/simulator"
)

// TestReadmeDemoCleanUpRemovesTheDemoRota: after a newcomer's trial, the README's step that removes the
// demo people works as written (Kim, the last coordinator on call, needs -force).
func TestReadmeDemoCleanUpRemovesTheDemoRota(t *testing.T) {
	t.Parallel()
	readme, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	step := regexp.MustCompile("remove the demo\\s+people \\(`go run ./scripts/rota (volunteer remove v1 -yes)`, then `(v2)`, and `(v3 -yes -force)`")
	m := step.FindStringSubmatch(string(readme))
	if m == nil {
		t.Fatal("README has no demo clean-up step of the form this test plays")
	}
	c := newCLI(t)
	if _, err := simulator.Seed(context.Background(), c.store, simulator.DemoPhones(), c.now); err != nil {
		t.Fatal(err)
	}
	c.must(strings.Fields(m[1])...)
	c.must("volunteer", "remove", m[2], "-yes") // "then v2": the same command
	c.must(append([]string{"volunteer", "remove"}, strings.Fields(m[3])...)...)
	if vols := c.load().Volunteers; len(vols) != 0 {
		t.Fatalf("after the README's clean-up, the rota still has %v", vols)
	}
}

// TestImportHelpSaysEqualTimesAreRefused: `import -h` says what import does with an end equal to the
// start: it refuses it, as shift add does, and does not take it as the next day.
func TestImportHelpSaysEqualTimesAreRefused(t *testing.T) {
	t.Parallel()
	c := newCLI(t)
	help := c.run("", "import", "-h")
	if out := help.out + help.errOut; !strings.Contains(out, "an end equal to the start is refused") ||
		strings.Contains(out, "at or\n  before the start is the next day") {
		t.Errorf("import -h does not say equal times are refused:\n%s", out)
	}
	r := c.run("", c.importArgs("id,name,phone\n,Sam,07700 900101\n",
		"id,volunteer,name,day,date,start,end,covers,oncall\n,+447700900101,Sam,fri,,22:00,22:00,,no\n")...)
	wantErr(t, r, false, "0 hours")
}

// TestImportNotesAFullName: import takes a full name from a spreadsheet (it may be a double first
// name) but says that people who text will see it.
func TestImportNotesAFullName(t *testing.T) {
	t.Parallel()
	c := newCLI(t)
	out := c.must(c.importArgs("id,name,phone\n,Sam Smith,07700 900101\n,Jo B,07700 900102\n", "")...)
	if !strings.Contains(out, `line 2: people who text see the name "Sam Smith"`) || strings.Contains(out, `"Jo B"`) {
		t.Errorf("import does not note the full name (and only it):\n%s", out)
	}
}
