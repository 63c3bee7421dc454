package bot

import (
	"strings"
	"testing"
	"time"
	"unicode"

	"peerline/community"
)

func TestParseShare(t *testing.T) {
	tests := []struct {
		text, word string
		ok         bool
	}{
		{"SHARE cafe", "cafe", true},
		{"share housing.", "housing", true},
		{"Share mental health", "mental health", true},
		{"share harm-reduction", "harm-reduction", true},
		{"SHARE", "", false},
		{"share it with me when you can", "", false},
		{"share? cafe", "", false},
		{"can you share cafe", "", false},
	}
	for _, tt := range tests {
		t.Run(tt.text, func(t *testing.T) {
			word, ok := parseShare(tt.text)
			if word != tt.word || ok != tt.ok {
				t.Errorf("parseShare(%q) = %q, %v; want %q, %v", tt.text, word, ok, tt.word, tt.ok)
			}
		})
	}
}

func TestIsWhatsOn(t *testing.T) {
	for text, want := range map[string]bool{"WHATS ON": true, "what's on?": true, "Whats on": true, "events": true,
		"What is on": true, "whats on tonight": false, "on": false, "what's going on with me": false} {
		if got := isWhatsOn(text); got != want {
			t.Errorf("isWhatsOn(%q) = %v, want %v", text, got, want)
		}
	}
}

func FuzzParseShare(f *testing.F) {
	for _, s := range []string{"SHARE cafe", "share mental health.", "share? x", "SHARE  ", "share a b c"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		word, ok := parseShare(s)
		if !ok {
			return
		}
		if word == "" || strings.ContainsFunc(word, func(r rune) bool { return unicode.IsPunct(r) && r != '-' && r != '.' && r != '!' }) {
			t.Fatalf("parseShare(%q) = %q", s, word)
		}
	})
}

// TestA247ServiceIsNotClosingAtMidnight: a crisis line open 24/7 is shared as "open 24/7", never as
// "open now till 00:00", which at 23:30 reads as about to close.
func TestA247ServiceIsNotClosingAtMidnight(t *testing.T) {
	loc, _ := time.LoadLocation("Europe/London")
	now := time.Date(2026, 12, 1, 23, 30, 0, 0, loc)
	services := []community.Service{
		{ID: "sv1", Need: "mental-health", Name: "Crisis line", Phone: "0800 107 0160", Hours: "24/7"},
		{ID: "sv2", Need: "mental-health", Name: "Late clinic", Phone: "01732 111111", Hours: "daily 18:00-24:00"},
	}
	got := serviceTexts(community.Soonest(services, "mental-health", now, loc), 2, now, loc)
	opens := map[string]string{}
	for _, s := range got {
		opens[s.Name] = s.Opens
	}
	if opens["Crisis line"] != "open 24/7" || opens["Late clinic"] != "open now till 00:00" {
		t.Fatalf("services shared as %q", opens)
	}
}

// TestTheOutOfHoursTextSkipsAServiceAboutToClose: at 16:52 the housing office closing at 17:00 is not
// the service named; the 24/7 line and one opening tomorrow still are.
func TestTheOutOfHoursTextSkipsAServiceAboutToClose(t *testing.T) {
	loc, _ := time.LoadLocation("Europe/London")
	now := time.Date(2026, 12, 1, 16, 52, 0, 0, loc) // a Tuesday
	services := []community.Service{
		{ID: "sv1", Need: "housing", Name: "Housing office", Phone: "01732 111111", Hours: "Mon-Fri 09:00-17:00"},
		{ID: "sv2", Need: "money", Name: "Debt advice", Phone: "01732 222222", Hours: "Mon-Fri 10:00-16:00"},
		{ID: "sv3", Need: "mental-health", Name: "Crisis line", Phone: "0800 107 0160", Hours: "24/7"},
	}
	var names []string
	for _, o := range worthNaming(community.Soonest(services, "", now, loc), now) {
		names = append(names, o.Service.Name)
	}
	if strings.Contains(strings.Join(names, ","), "Housing office") || len(names) != 2 {
		t.Fatalf("worth naming at 16:52: %q", names)
	}
}
