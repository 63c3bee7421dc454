package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"peerline/rota"
)

func TestVolunteerAdd(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name      string
		given     [][]string // commands run first
		args      []string
		want      string   // first line printed, on success
		wantErr   []string // what the error must mention, on failure
		wantUsage bool
	}{
		{name: "UK number is normalised and the new id printed",
			args: []string{"-name", "Sam", "-phone", "07700 900123"},
			want: "Added Sam as v1 (+447700900123)."},
		{name: "a mobile abroad is kept with its country code when allowed",
			args: []string{"-name", "Ana", "-phone", "+1 (202) 555-0100", "-allow-abroad"},
			want: "Added Ana as v1 (+12025550100)."},
		{name: "a landline is refused with the reason",
			args:    []string{"-name", "Sam", "-phone", "020 7946 0000"},
			wantErr: []string{`-phone "020 7946 0000": +442079460000 is a landline, not a mobile: the line texts its volunteers`}},
		{name: "a US number is refused without -allow-abroad",
			args: []string{"-name", "Ana", "-phone", "+1 415 555 2671"},
			wantErr: []string{`-phone "+1 415 555 2671": +14155552671 is a number of US, not of GB (the line's DEFAULT_REGION)`,
				"add -allow-abroad"}},
		{name: "coordinator is marked",
			args: []string{"-name", "Alex", "-phone", "07700900456", "-coordinator"},
			want: "Added Alex as v1 (+447700900456, coordinator)."},
		{name: "ids count up",
			given: [][]string{{"volunteer", "add", "-name", "Sam", "-phone", "07700 900123"}},
			args:  []string{"-name", "Jo", "-phone", "07700 900124"},
			want:  "Added Jo as v2 (+447700900124)."},
		{name: "number with too many digits is rejected with the reason",
			args:    []string{"-name", "Sam", "-phone", "07700 9001234"},
			wantErr: []string{`-phone "07700 9001234"`, "wrong number of digits"}},
		{name: "number with letters is rejected with the reason",
			args:    []string{"-name", "Sam", "-phone", "call me"},
			wantErr: []string{"unexpected character 'c'"}},
		{name: "duplicate number is refused naming its owner",
			given:   [][]string{{"volunteer", "add", "-name", "Sam", "-phone", "07700 900123"}},
			args:    []string{"-name", "Jo", "-phone", "+44 7700 900123"},
			wantErr: []string{"+447700900123 already belongs to Sam (v1)"}},
		{name: "name too long is refused",
			args:    []string{"-name", strings.Repeat("x", 41), "-phone", "07700 900123"},
			wantErr: []string{"1 to 40 characters"}},
		{name: "missing name and phone are both reported",
			args: []string{}, wantErr: []string{"-name is required", "-phone is required"}, wantUsage: true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			c := newCLI(t)
			for _, g := range tc.given {
				c.must(g...)
			}
			before := len(c.load().Volunteers)
			r := c.run("", append([]string{"volunteer", "add"}, tc.args...)...)
			if tc.wantErr != nil {
				wantErr(t, r, tc.wantUsage, tc.wantErr...)
				if n := len(c.load().Volunteers); n != before {
					t.Errorf("volunteers after the failed add = %d, want %d", n, before)
				}
				return
			}
			if r.err != nil {
				t.Fatalf("error: %v", r.err)
			}
			if got, _, _ := strings.Cut(r.out, "\n"); got != tc.want {
				t.Errorf("printed %q, want %q", got, tc.want)
			}
		})
	}
}

// TestVolunteerAddTakesTheLinesLimits: a volunteer added without -max-chats has the line's nightly
// limit (NIGHT_CHATS), not a limit of one chat a night.
func TestVolunteerAddTakesTheLinesLimits(t *testing.T) {
	t.Parallel()
	c := newCLI(t)
	c.must("volunteer", "add", "-name", "Sam", "-phone", "07700 900123")
	c.must("volunteer", "add", "-name", "Jo", "-phone", "07700 900124", "-max-chats", "2", "-rest", "20", "-week-hours", "10")
	r := c.load()
	if sam := r.Volunteers["v1"]; sam.MaxChats != 0 || sam.Rest != 0 || sam.WeekHours != 0 {
		t.Errorf("Sam's own limits = %d, %d, %d; want 0 (the line's)", sam.MaxChats, sam.Rest, sam.WeekHours)
	}
	if jo := r.Volunteers["v2"]; jo.MaxChats != 2 || jo.Rest != 20 || jo.WeekHours != 10 {
		t.Errorf("Jo's own limits = %d, %d, %d; want 2, 20, 10", jo.MaxChats, jo.Rest, jo.WeekHours)
	}
}

func TestVolunteerAddWarnsOfASharedFirstName(t *testing.T) {
	t.Parallel()
	c := newCLI(t)
	c.must("volunteer", "add", "-name", "Sam", "-phone", "07700 900123")
	c.must("volunteer", "add", "-name", "Jo", "-phone", "07700 900124")
	out := c.must("volunteer", "add", "-name", "sam", "-phone", "07700 900125")
	want := "Note: Sam (v1) also has the first name sam. Commands that take a name then need the id instead: v1 or v3.\n"
	if !strings.Contains(out, want) {
		t.Errorf("volunteer add lacks %q:\n%s", want, out)
	}
	out = c.must("volunteer", "add", "-name", "Sam B", "-phone", "07700 900126")
	want = "Note: Sam (v1) and sam (v3) also have the first name Sam. Commands that take a name then need the id instead: v1, v3 or v4.\n"
	if !strings.Contains(out, want) {
		t.Errorf("volunteer add lacks %q:\n%s", want, out)
	}
	if out := c.must("volunteer", "add", "-name", "Jon", "-phone", "07700 900127"); strings.Contains(out, "Note:") {
		t.Errorf("a name of its own has a note:\n%s", out)
	}
	wantErr(t, c.run("", "shift", "add", "-volunteer", "Sam", "-day", "fri", "-start", "20:00", "-end", "23:00"), false,
		`2 volunteers are called "Sam" (v1, v3): give the id instead`)
	out = c.must("volunteer", "edit", "Jon", "-name", "Jo")
	if !strings.Contains(out, "Note: Jo (v2) also has the first name Jo.") {
		t.Errorf("volunteer edit -name to a shared name has no note:\n%s", out)
	}
}

func TestVolunteerEditRefusesALandline(t *testing.T) {
	t.Parallel()
	c := newCLI(t)
	c.must("volunteer", "add", "-name", "Sam", "-phone", "07700 900123")
	wantErr(t, c.run("", "volunteer", "edit", "Sam", "-phone", "020 7946 0000"), false, "is a landline, not a mobile")
	wantErr(t, c.run("", "volunteer", "edit", "Sam", "-phone", "+48 512 345 678"), false, "is a number of PL, not of GB", "-allow-abroad")
	c.must("volunteer", "edit", "Sam", "-phone", "+48 512 345 678", "-allow-abroad")
	if got := c.load().Volunteers["v1"].Phone; got != "+48512345678" {
		t.Errorf("phone after edit with -allow-abroad = %s", got)
	}
}

// TestOffersAreDescribedAsTheyGo: volunteer add -h and the coordinators' guide say offers go to one
// free volunteer at a time, never that every volunteer gets each offer.
func TestOffersAreDescribedAsTheyGo(t *testing.T) {
	t.Parallel()
	help := newCLI(t).must("volunteer", "add", "-h")
	guide, err := os.ReadFile(filepath.Join("..", "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	for name, text := range map[string]string{"volunteer add -h": help, "scripts/README.md": string(guide)} {
		flat := strings.Join(strings.Fields(text), " ")
		if !strings.Contains(flat, "Offers go by SMS, one at a time: a volunteer on shift who is free is offered the next person waiting") {
			t.Errorf("%s does not say how offers go", name)
		}
		for _, wrong := range []string{"gets each offer", "gets every offer", "offered to every volunteer", "all volunteers get"} {
			if strings.Contains(strings.ToLower(flat), wrong) {
				t.Errorf("%s says %q", name, wrong)
			}
		}
	}
}

func TestVolunteerList(t *testing.T) {
	t.Parallel()
	t.Run("empty rota says how to add someone", func(t *testing.T) {
		t.Parallel()
		out := newCLI(t).must("volunteer", "list")
		want := "No volunteers yet. Add one with:\n  " + prog + ` volunteer add -name Sam -phone "07700 900123" -tags "alcohol, women-only"` + "\n"
		if diff := cmp.Diff(want, out); diff != "" {
			t.Errorf("output (-want +got):\n%s", diff)
		}
	})
	t.Run("table sorted by id number with role, availability and shifts", func(t *testing.T) {
		t.Parallel()
		c := newCLI(t)
		for i := 1; i <= 10; i++ {
			args := []string{"volunteer", "add", "-name", fmt.Sprintf("Vol%d", i), "-phone", fmt.Sprintf("07700 9001%02d", i)}
			if i == 2 {
				args = append(args, "-coordinator")
			}
			c.must(args...)
		}
		for i := 3; i <= 9; i++ {
			c.must("volunteer", "remove", fmt.Sprintf("v%d", i), "-yes")
		}
		c.must("shift", "add", "-volunteer", "v10", "-day", "fri", "-start", "22:00", "-end", "02:00")
		c.must("shift", "add", "-volunteer", "v10", "-day", "sat", "-start", "22:00", "-end", "02:00")
		c.setOff("v1")
		c.must("volunteer", "edit", "v10", "-tags", "Women Only, alcohol", "-channels", "whatsapp, sms", "-max-chats", "4")
		c.must("volunteer", "pause", "v2")
		want := `ID   NAME   PHONE          ROLE         STATUS  CHANNELS      TAGS                MAX CHATS   SHIFTS
v1   Vol1   +447700900101  volunteer    off     sms           -                   the line's  0
v2   Vol2   +447700900102  coordinator  paused  sms           -                   the line's  0
v10  Vol10  +447700900110  volunteer    on      whatsapp,sms  alcohol,women-only  4           2

STATUS: on or off is what they last texted; paused volunteers get no offers (see volunteer resume).
MAX CHATS: the most in one night (the line's: NIGHT_CHATS).
`
		if diff := cmp.Diff(want, c.must("volunteer", "list")); diff != "" {
			t.Errorf("output (-want +got):\n%s", diff)
		}
	})
}

func TestVolunteerRemove(t *testing.T) {
	t.Parallel()
	// Sam is alone on Saturday nights (Jo is beside him on Fridays): without him, those are gaps.
	const samsGaps = "Without Sam (v1), open hours in the next 14 days (Europe/London time) would have nobody on shift:\n" +
		"  Sat 28 Nov 22:00 to Sun 29 Nov 02:00  (4 hours)\n" +
		"  Sat  5 Dec 22:00 to Sun  6 Dec 02:00  (4 hours)\n\n"
	tests := []struct {
		name      string
		stdin     string
		args      []string
		want      string
		wantErr   string
		wantUsage bool
		kept      bool // Sam and his shifts are still there afterwards
	}{
		{name: "answer n keeps the volunteer", stdin: "n\n", args: []string{"v1"}, kept: true,
			want: samsGaps + "Remove Sam (v1) and their 2 shifts? [y/N] Kept Sam (v1); nothing was removed.\n"},
		{name: "no answer keeps the volunteer", stdin: "", args: []string{"v1"}, kept: true,
			want: samsGaps + "Remove Sam (v1) and their 2 shifts? [y/N] \nKept Sam (v1); nothing was removed.\n"},
		{name: "answer yes removes the volunteer and their shifts", stdin: "Yes\n", args: []string{"v1"},
			want: samsGaps + "Remove Sam (v1) and their 2 shifts? [y/N] Removed Sam (v1) and their 2 shifts.\n"},
		{name: "-yes removes without asking", args: []string{"v1", "-yes"},
			want: samsGaps + "Removed Sam (v1) and their 2 shifts.\n"},
		{name: "-yes before the id works too", args: []string{"-yes", "V1"},
			want: samsGaps + "Removed Sam (v1) and their 2 shifts.\n"},
		{name: "unknown volunteer points at the list", args: []string{"v9", "-yes"}, kept: true,
			wantErr: "volunteer v9 not found (see `" + prog + " volunteer list`)"},
		{name: "missing id is a usage error", args: []string{"-yes"}, kept: true, wantUsage: true,
			wantErr: "give the volunteer's id"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			c := newCLI(t)
			c.must("volunteer", "add", "-name", "Sam", "-phone", "07700 900123")
			c.must("volunteer", "add", "-name", "Jo", "-phone", "07700 900124")
			for _, v := range []string{"v1 fri", "v1 sat", "v2 fri"} {
				id, day, _ := strings.Cut(v, " ")
				c.must("shift", "add", "-volunteer", id, "-day", day, "-start", "22:00", "-end", "02:00")
			}
			r := c.run(tc.stdin, append([]string{"volunteer", "remove"}, tc.args...)...)
			if tc.wantErr != "" {
				wantErr(t, r, tc.wantUsage, tc.wantErr)
			} else if r.err != nil {
				t.Fatalf("error: %v", r.err)
			} else if diff := cmp.Diff(tc.want, r.out); diff != "" {
				t.Errorf("output (-want +got):\n%s", diff)
			}
			checkKept(t, c.load(), tc.kept)
		})
	}
}

func TestVolunteerRemoveCountsTheCoversItRemoves(t *testing.T) {
	t.Parallel()
	c := givenThursdays(t) // Sam s1 Thu 20:00-02:00, Jo s2 Thu 17:00-23:00
	c.must("volunteer", "add", "-name", "Ash", "-phone", "07700 900125")
	c.must("shift", "cover", "-volunteer", "Ash", "-for", "Sam", "-date", "2026-11-26", "-start", "20:00", "-end", "02:00") // s3
	c.must("shift", "skip", "s1", "-date", "2026-12-03")
	c.must("shift", "cover", "-volunteer", "Sam", "-for", "Jo", "-date", "2026-12-03", "-start", "17:00", "-end", "23:00") // s4
	c.must("shift", "cover", "-volunteer", "Jo", "-for", "Ash", "-date", "2026-12-10", "-start", "09:00", "-end", "12:00") // s5
	out := c.must("volunteer", "remove", "Sam", "-yes")
	if want := "Removed Sam (v1) and their 1 shift, 1 cover they do and 1 cover others do for them.\n"; !strings.HasSuffix(out, want) {
		t.Errorf("volunteer remove says:\n%s\nwant it to end with %q", out, want)
	}
	var left []string
	for _, s := range c.load().Shifts {
		left = append(left, s.ID)
	}
	if diff := cmp.Diff([]string{"s2", "s5"}, left); diff != "" {
		t.Errorf("shifts left (-want +got):\n%s", diff)
	}
}

func TestRemovingTheLastCoordinatorOnCall(t *testing.T) {
	t.Parallel()
	c := givenSamAndJo(t)
	c.must("volunteer", "add", "-name", "Kim", "-phone", "07700 900125", "-coordinator")
	c.must("shift", "add", "-volunteer", "Kim", "-oncall", "-day", "tue", "-start", "17:00", "-end", "09:00")
	wantErr(t, c.run("y\n", "volunteer", "remove", "Kim", "-yes"), false,
		"Kim (v3) is the last coordinator with on-call shifts: without them, nights would have nobody on call",
		"or add -force to remove them all the same")
	if _, ok := c.load().Volunteers["v3"]; !ok {
		t.Fatal("the last coordinator on call was removed without -force")
	}
	out := c.must("volunteer", "remove", "Kim", "-yes", "-force")
	want := "Without Kim (v3), open hours in the next 14 days (Europe/London time) would have nobody on call:\n" +
		"  Tue 24 Nov 17:00 to Wed 25 Nov 09:00  (16 hours)\n" +
		"  Tue  1 Dec 17:00 to Wed  2 Dec 09:00  (16 hours)\n\n" +
		"Removed Kim (v3) and their 1 shift.\n"
	if diff := cmp.Diff(want, out); diff != "" {
		t.Errorf("volunteer remove -force (-want +got):\n%s", diff)
	}

	c.must("volunteer", "add", "-name", "Lou", "-phone", "07700 900126", "-coordinator")
	c.must("volunteer", "add", "-name", "Max", "-phone", "07700 900127", "-coordinator")
	c.must("shift", "add", "-volunteer", "Lou", "-oncall", "-day", "tue", "-start", "17:00", "-end", "09:00")
	c.must("shift", "add", "-volunteer", "Max", "-oncall", "-day", "wed", "-start", "17:00", "-end", "09:00")
	if out := c.must("volunteer", "remove", "Lou", "-yes"); !strings.HasSuffix(out, "Removed Lou (v4) and their 1 shift.\n") {
		t.Errorf("a coordinator on call beside another was not removed:\n%s", out)
	}
}

// checkKept checks whether Sam (v1) and his two shifts are still on the rota; Jo (v2) and her shift
// always are.
func checkKept(t *testing.T, r rota.Rota, kept bool) {
	t.Helper()
	got := map[string]int{}
	for id := range r.Volunteers {
		got[id] = 0
	}
	for _, s := range r.Shifts {
		got[s.Volunteer]++
	}
	want := map[string]int{"v2": 1}
	if kept {
		want["v1"] = 2
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("shifts by volunteer afterwards (-want +got):\n%s", diff)
	}
}

// TestVolunteerNamesAreFirstNamesOnly: after a newcomer's trial, a full name, which people who text
// would read ("Sam Smith, a peer supporter, is here"), is refused unless -full-name-ok says it is one
// first name; a first name with an initial is fine.
func TestVolunteerNamesAreFirstNamesOnly(t *testing.T) {
	t.Parallel()
	c := newCLI(t)
	for _, tc := range []struct {
		name string
		args []string
		ok   bool
	}{
		{"a full name is refused", []string{"-name", "Sam Smith", "-phone", "07700 900123"}, false},
		{"a first name with an initial is taken", []string{"-name", "Sam B.", "-phone", "07700 900124"}, true},
		{"a double first name with -full-name-ok is taken", []string{"-name", "Mary Ann", "-full-name-ok", "-phone", "07700 900125"}, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := c.run("", append([]string{"volunteer", "add"}, tc.args...)...)
			if tc.ok {
				if r.err != nil {
					t.Fatalf("refused: %v", r.err)
				}
				return
			}
			wantErr(t, r, false, `-name "Sam Smith": people who text see this name, so give a first name only`, `"Sam S"`, "-full-name-ok")
		})
	}
	wantErr(t, c.run("", "volunteer", "edit", "v1", "-name", "Sam Smith"), false, "give a first name only")
	if got := c.load().Volunteers["v1"].Name; got != "Sam B." {
		t.Errorf("after a refused edit, v1 is %q", got)
	}
}
