package bot

import (
	"strings"
	"testing"
	"unicode"
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
