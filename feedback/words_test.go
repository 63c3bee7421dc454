package feedback

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func TestClean(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"uk_mobile_with_spaces_goes", "call 07700 900123 ok", "call [number] ok"},
		{"international_with_dashes_goes", "+44-7700-900-123", "[number]"},
		{"bracketed_landline_goes", "(01732) 123456 anytime", "[number] anytime"},
		{"email_goes", "mail me: sam.x@example.org!", "mail me: [email]"},
		{"short_numbers_stay", "4 days sober, 30 mins", "4 days sober, 30 mins"},
		{"a_year_stays", "since March 2024", "since March 2024"},
		{"control_characters_go", "hi\x1b[31m there\r\nok", "hi [31m there ok"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Clean(tt.in); got != tt.want {
				t.Errorf("Clean(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
	t.Run("long_words_are_cut", func(t *testing.T) {
		if got := Clean(strings.Repeat("é", 900)); utf8.RuneCountInString(got) != MaxWords {
			t.Errorf("kept %d characters, want %d", utf8.RuneCountInString(got), MaxWords)
		}
	})
}

func TestParseFeedback(t *testing.T) {
	tests := []struct {
		name, in string
		score    int
		words    string
		ok       bool
	}{
		{"bare_score", "4", 4, "", true},
		{"score_and_words", "5 - quicker answers please", 5, "quicker answers please", true},
		{"out_of_five", "3/5 ok", 3, "ok", true},
		{"score_with_full_stop", " 2. ", 2, "", true},
		{"zero_is_not", "0", 0, "", false},
		{"six_is_not", "6", 0, "", false},
		{"ten_is_not", "10 out of 10", 0, "", false},
		{"a_decimal_is_not", "4.5", 0, "", false},
		{"words_are_not", "I need to talk again", 0, "", false},
		{"a_number_first_is_not", "07700 900123", 0, "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			score, words, ok := ParseFeedback(tt.in)
			if score != tt.score || words != tt.words || ok != tt.ok {
				t.Errorf("ParseFeedback(%q) = %d, %q, %v; want %d, %q, %v", tt.in, score, words, ok, tt.score, tt.words, tt.ok)
			}
		})
	}
}

func TestParseCheckin(t *testing.T) {
	for in, want := range map[string]string{"1": Better, " 2 ": Same, "3.": Struggling, "3 please": "", "12": "", "": ""} {
		got, ok := ParseCheckin(in)
		if got != want || ok != (want != "") {
			t.Errorf("ParseCheckin(%q) = %q, %v; want %q", in, got, ok, want)
		}
	}
}

// FuzzParseFeedback: whatever a person writes, kept words never hold a run of 7 digits, nor more than
// MaxWords characters, and a score is 1 to 5.
func FuzzParseFeedback(f *testing.F) {
	for _, s := range []string{"4", "5 call 07700900123", "3/5 a@b.co", "1\x00 +44 7700 900 123"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		score, words, ok := ParseFeedback(s)
		if !ok {
			return
		}
		if score < 1 || score > 5 {
			t.Fatalf("score %d", score)
		}
		if utf8.RuneCountInString(words) > MaxWords {
			t.Fatalf("kept %d characters", utf8.RuneCountInString(words))
		}
		run := 0
		for _, r := range words {
			switch {
			case r >= '0' && r <= '9':
				run++
			case r == ' ' || r == '-' || r == '.' || r == '(' || r == ')' || r == '/' || r == '+':
			default:
				run = 0
			}
			if run >= 7 {
				t.Fatalf("kept a number in %q", words)
			}
		}
	})
}
