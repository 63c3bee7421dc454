package community

import (
	"slices"
	"strings"
	"testing"
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
	events, bad := ReadEvents(strings.NewReader(in))
	if len(bad) != 0 || len(events) != 2 {
		t.Fatalf("ReadEvents = %+v, %v", events, bad)
	}
	if events[0].Start != 11*60 || events[0].End != 13*60 || events[1].Start != 19*60 {
		t.Fatalf("times read as %v-%v and %v", events[0].Start, events[0].End, events[1].Start)
	}
}
