package community

import (
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestNeedsIn(t *testing.T) {
	tests := []struct {
		text string
		want []string
	}{
		{"I'm going to be evicted on Friday", []string{"housing"}},
		{"bailiffs at the door and I can't pay the rent arrears", []string{"housing", "money"}},
		{"haven't eaten in two days, been sofa surfing", []string{"housing", "food"}},
		{"I'm at work and my family are asleep", nil},
		{"need clean needles", []string{"harm-reduction"}},
		{"my mental health is bad, so depressed", []string{"mental-health"}},
		{"Social Services want to take my kids", []string{"family"}},
		{"I lost my job today", []string{"work"}},
		{"Evicted!!!", []string{"housing"}},
		{"", nil},
	}
	for _, tc := range tests {
		if got := NeedsIn(tc.text); !slices.Equal(got, tc.want) {
			t.Errorf("NeedsIn(%q) = %q; want %q", tc.text, got, tc.want)
		}
	}
}

func FuzzNeedsIn(f *testing.F) {
	f.Add("I'm going to be evicted")
	f.Add("")
	f.Fuzz(func(t *testing.T, s string) {
		for _, n := range NeedsIn(s) {
			if !slices.Contains(Needs, n) {
				t.Fatalf("NeedsIn(%q) gave %q, not a need", s, n)
			}
		}
	})
}

func TestServicePhoneAndAlways(t *testing.T) {
	for _, tc := range []struct {
		phone string
		ok    bool
	}{
		{"01732 123456", true}, {"0800 107 0160", true}, {"111", true}, {"116 123", true}, {"+44 (0)1732 123456", true},
		{"not a phone", false}, {"12", false}, {"0800 FLOWERS", false}, {"", false}, {"1234567890123456", false},
	} {
		s := Service{Need: "food", Name: "Food bank", Phone: tc.phone, Hours: "Tue 10:00-12:00"}
		if err := s.Normalize(); (err == nil) != tc.ok {
			t.Errorf("Normalize with phone %q = %v; want ok %v", tc.phone, err, tc.ok)
		}
	}
	if !(Service{Hours: " 24/7 "}).Always() || (Service{Hours: "daily 00:00-24:00; bh 00:00-24:00"}).Always() {
		t.Error("Always: only 24/7 is open day and night as written")
	}
}

// TestReadEventsTakesSpreadsheetTimes: an events CSV saved back by a spreadsheet (times with seconds,
// or on the 12-hour clock) reads as the rota's does.
func TestReadEventsTakesSpreadsheetTimes(t *testing.T) {
	in := "title,day,start,end,place\nRecovery cafe,sat,11:00:00,1:00 PM,St John's Hall\nQuiz,thu,7 PM,21:00,The Hub\n"
	events, bad := ReadEvents(strings.NewReader(in), "GB")
	if len(bad) != 0 || len(events) != 2 {
		t.Fatalf("ReadEvents = %+v, %v", events, bad)
	}
	if events[0].Start != 11*60 || events[0].End != 13*60 || events[1].Start != 19*60 {
		t.Fatalf("times read as %v-%v and %v", events[0].Start, events[0].End, events[1].Start)
	}
}

// TestReadEventsTakesSpreadsheetDates: an events CSV reads dates as people and spreadsheets of the
// line's region write them, as the rota's import does, and refuses a date it cannot be sure of.
func TestReadEventsTakesSpreadsheetDates(t *testing.T) {
	const header = "title,date,start,end,place\n"
	tests := []struct {
		name, region, rows string
		want               []string // the events' dates, when every row reads
		wantBad            []string // the start of each bad row's message, by line
	}{
		{name: "day first in GB", region: "GB", rows: "Carols,24/12/2026,18:00,19:00,High St\n", want: []string{"2026-12-24"}},
		{name: "the date as export writes it", region: "GB", rows: "Carols,2026-12-24,18:00,19:00,High St\n", want: []string{"2026-12-24"}},
		{name: "a month by name", region: "GB", rows: "Carols,24 Dec 2026,18:00,19:00,High St\n", want: []string{"2026-12-24"}},
		{name: "the first of January, either way", region: "GB", rows: "New year,01/01/2027,10:00,12:00,Park\n", want: []string{"2027-01-01"}},
		{name: "month first in the US", region: "US", rows: "Carols,12/24/2026,18:00,19:00,High St\n", want: []string{"2026-12-24"}},
		{name: "a region's order is trusted in a file of no doubt", region: "GB", rows: "Fair,03/04/2026,10:00,12:00,Park\n",
			want: []string{"2026-04-03"}},
		{name: "month first is refused in GB", region: "GB", rows: "Carols,12/24/2026,18:00,19:00,High St\n",
			wantBad: []string{`line 2: date "12/24/2026": dates are read day first (24/12/2026) in GB (DEFAULT_REGION), and this is no date that way`}},
		{name: "a two-digit year that could be either is refused", region: "GB", rows: "Fair,3.4.26,10:00,12:00,Park\n",
			wantBad: []string{`line 2: date "3.4.26" could be Fri 3 Apr 2026 or Wed 4 Mar 2026`}},
		{name: "a file that writes month first refuses its dates that could be either", region: "GB",
			rows: "Fair,03/04/2026,10:00,12:00,Park\nCarols,24/12/2026,18:00,19:00,High St\nParty,12/25/2026,18:00,19:00,Hall\n",
			wantBad: []string{"line 2: date Fri 3 Apr 2026 or Wed 4 Mar 2026? Dates are read day first (24/12/2026) in GB " +
				"(DEFAULT_REGION), but line 4 shows this file may write them the other way: write it as 2026-04-03 (or 2026-03-04)",
				`line 4: date "12/25/2026": dates are read day first`}},
		{name: "no such date", region: "GB", rows: "Fair,31/02/2026,10:00,12:00,Park\n", wantBad: []string{`line 2: date "31/02/2026": no such date`}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			events, bad := ReadEvents(strings.NewReader(header+tc.rows), tc.region)
			var got, gotBad []string
			for _, e := range events {
				got = append(got, e.Date)
			}
			for _, b := range bad {
				gotBad = append(gotBad, b.Error())
			}
			if tc.wantBad == nil {
				if diff := cmp.Diff(tc.want, got); diff != "" || len(bad) > 0 {
					t.Fatalf("dates (-want +got):\n%s\nbad rows: %q", diff, gotBad)
				}
				return
			}
			if len(gotBad) != len(tc.wantBad) {
				t.Fatalf("bad rows %q, want %d", gotBad, len(tc.wantBad))
			}
			for i, w := range tc.wantBad {
				if !strings.HasPrefix(gotBad[i], w) {
					t.Errorf("bad row %q, want it to start %q", gotBad[i], w)
				}
			}
			if len(events) != len(strings.Split(strings.TrimSpace(tc.rows), "\n"))-len(gotBad) {
				t.Errorf("events %+v read beside the bad rows %q", events, gotBad)
			}
		})
	}
}
