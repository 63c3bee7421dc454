package templates

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func TestSplit(t *testing.T) {
	words := strings.Repeat("word ", 400) // 2,000 characters
	tests := []struct {
		name  string
		text  string
		max   int
		parts int
	}{
		{"short text is whole", "hello", 1600, 1},
		{"exactly the limit is whole", strings.Repeat("a", 1600), 1600, 1},
		{"a long text of words is cut between words", words, 1600, 2},
		{"curly quotes count as one character each", strings.Repeat("\u2019", 1600), 1600, 1},
		{"one long word is cut inside it", strings.Repeat("a", 3500), 1600, 3},
		{"Cyrillic counts characters, not bytes", strings.Repeat("привет ", 300), 1600, 2},
		{"an emoji counts two", strings.Repeat("\U0001F60A", 900), 1600, 2},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := Split(tc.text, tc.max)
			if len(got) != tc.parts {
				t.Fatalf("%d parts, want %d", len(got), tc.parts)
			}
			checkParts(t, tc.text, got, tc.max)
		})
	}
	got := Split(words, 1600)
	if !strings.HasSuffix(got[0], "word…") || !strings.HasPrefix(got[1], "…word") {
		t.Fatalf("cut inside a word or without the marks: %q ... %q", got[0][len(got[0])-20:], got[1][:20])
	}
}

// checkParts fails unless every part fits max and the parts, marks taken off, hold every word of text.
func checkParts(t *testing.T, text string, parts []string, max int) {
	t.Helper()
	var joined []string
	for i, p := range parts {
		if n := utf16Len(p); n > max && max >= 8 {
			t.Fatalf("part %d has %d characters, over %d", i, n, max)
		}
		if i > 0 {
			p = strings.TrimPrefix(p, ellipsis)
		}
		if i < len(parts)-1 {
			p = strings.TrimSuffix(p, ellipsis)
		}
		joined = append(joined, p)
	}
	if got, want := strings.Join(strings.Fields(strings.Join(joined, " ")), ""), strings.Join(strings.Fields(text), ""); got != want {
		t.Fatalf("the parts lose or change words:\n got %.80q\nwant %.80q", got, want)
	}
}

func FuzzSplit(f *testing.F) {
	f.Add(strings.Repeat("can't sleep ", 200), 1600)
	f.Add(strings.Repeat("\u2019", 1700), 160)
	f.Add("a b", 8)
	f.Fuzz(func(t *testing.T, text string, max int) {
		if !utf8.ValidString(text) || max < 8 || max > 5000 {
			return
		}
		checkParts(t, text, Split(text, max), min(max, MaxChars))
	})
}
