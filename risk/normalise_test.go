package risk

import (
	"strings"
	"testing"
	"unicode"

	"github.com/google/go-cmp/cmp"
)

// normalised returns the words of text as a reader would type them back: each letter as
// often as it was typed, up to three times.
func normalised(text string) []string {
	var t tokens
	t.tokenise(text)
	return t.spelled()
}

// spelled returns t's words with their letters typed out, and "#" after a number.
func (t *tokens) spelled() []string {
	out := []string{}
	for _, s := range t.words {
		w := word{key: string(t.buf[s.start:s.end]), runs: string(t.runs[s.start:s.end])}
		text := w.spelled()
		if s.number {
			text += "#"
		}
		out = append(out, text)
	}
	return out
}

func TestNormalise(t *testing.T) {
	tests := []struct {
		name, text string
		want       []string
	}{
		{"case is folded", "I Want TO", []string{"i", "want", "to"}},
		{"punctuation splits words", "kill.myself,now!", []string{"kill", "myself", "now"}},
		{"line breaks and spaces split words", "kill\r\n\t  myself", []string{"kill", "myself"}},
		{"long runs count as many", "sooooo killlll", []string{"sooo", "killl"}},
		{"double letters are kept", "pills good", []string{"pills", "good"}},
		{"letters and digits are separate words", "800mg 2day", []string{"800#", "mg", "2#", "day"}},
		{"can't reads as cant", "can't don’t won t", []string{"cant", "dont", "wont"}},
		{"only n't words join a t", "train t", []string{"train", "t"}},
		{"i'm reads as im", "I'm i m", []string{"im", "im"}},
		{"other apostrophes split words", "od'd it's", []string{"od", "d", "it", "s"}},
		{"each emoji is a word", "pills💊💊!", []string{"pills", "💊", "💊"}},
		{"emoji variation selectors and skin tones are dropped", "💊\uFE0F 👍🏽", []string{"💊", "👍"}},
		{"zero-width characters and soft hyphens are dropped", "ki\u200bll my\u00adself", []string{"kill", "myself"}},
		{"accents typed as marks are dropped", "kil\u0301l", []string{"kill"}},
		{"full-width letters read as plain ones", "ＫＩＬＬ", []string{"kill"}},
		{"other scripts are words too", "Убить СЕБЯ", []string{"убить", "себя"}},
		{"invalid UTF-8 splits words", "kill\xffmyself", []string{"kill", "myself"}},
		{"nothing to read", " .,;:!? ", []string{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if diff := cmp.Diff(tt.want, normalised(tt.text)); diff != "" {
				t.Errorf("normalised(%q) (-want +got):\n%s", tt.text, diff)
			}
		})
	}
}

// TestFold checks every rune: changing its case never changes what it becomes, and
// punctuation always splits words. The fuzz properties rest on this.
func TestFold(t *testing.T) {
	for r := rune(0); r <= unicode.MaxRune; r++ {
		want, class := classify(r)
		for _, c := range []rune{unicode.ToUpper(r), unicode.ToLower(r), unicode.ToTitle(r)} {
			if got, gotClass := classify(c); got != want || gotClass != class {
				t.Fatalf("classify(%U) = %U, %d but classify(%U) = %U, %d", r, want, class, c, got, gotClass)
			}
		}
		if again, againClass := classify(want); class != classBreak && (again != want || againClass != class) {
			t.Fatalf("classify(%U) = %U, %d but classify(%U) = %U, %d", r, want, class, want, again, againClass)
		}
		if unicode.IsPunct(r) && class != classBreak {
			t.Fatalf("punctuation %U is class %d, want a word break", r, class)
		}
	}
}

func TestJoins(t *testing.T) {
	for _, tt := range []struct {
		prev, next string
		want       bool
	}{
		{"can", "t", true}, {"don", "t", true}, {"i", "m", true},
		{"od", "d", false}, {"it", "s", false}, {"im", "m", false}, {"a", "m", false},
		{"can", "tt", false}, {"", "t", false}, {"cat", "t", false}, {"train", "t", false},
		{"wouldn", "t", true}, {"i", "t", false},
	} {
		if got := joins([]byte(tt.prev), []byte(tt.next)); got != tt.want {
			t.Errorf("joins(%q, %q) = %v, want %v", tt.prev, tt.next, got, tt.want)
		}
	}
}

// punctToSpace replaces every punctuation mark in text with a space.
func punctToSpace(text string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsPunct(r) {
			return ' '
		}
		return r
	}, text)
}
