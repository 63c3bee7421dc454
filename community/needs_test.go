package community

import (
	"slices"
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
