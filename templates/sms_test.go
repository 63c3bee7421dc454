package templates

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func TestGSMAlphabetSize(t *testing.T) {
	// The default alphabet has 128 positions, one of which is the escape code.
	if n := utf8.RuneCountInString(gsmBasic); n != 127 {
		t.Errorf("gsmBasic has %d characters, want 127", n)
	}
	if n := utf8.RuneCountInString(gsmExtension); n != 10 {
		t.Errorf("gsmExtension has %d characters, want 10", n)
	}
	if n := len(gsmWidth); n != 137 {
		t.Errorf("gsmWidth has %d distinct characters, want 137 (is a character listed twice?)", n)
	}
}

func TestGSM7(t *testing.T) {
	tests := []struct {
		name string
		text string
		want bool
	}{
		{"empty_is_gsm7", "", true},
		{"plain_ascii_is_gsm7", "Thanks for texting. We're here, call 999 if you're in danger.", true},
		{"newline_and_carriage_return_are_gsm7", "one\r\ntwo", true},
		{"extension_characters_are_gsm7", "^{}\\[~]|\u20ac\f", true},
		{"accented_letters_in_basic_set_are_gsm7", "caf\u00e9 \u00c7 \u00f1 \u00fc \u00a3 \u00a5 \u00a7", true},
		{"greek_capitals_in_basic_set_are_gsm7", "\u0394\u03a6\u0393\u039b\u03a9\u03a0\u03a8\u03a3\u0398\u039e", true},
		{"curly_apostrophe_is_not", "can\u2019t sleep", false},
		{"curly_double_quote_is_not", "\u201chi\u201d", false},
		{"emoji_is_not", "hi \U0001F60A", false},
		{"backtick_is_not", "`", false},
		{"tab_is_not", "a\tb", false},
		{"escape_code_is_not", "\x1b", false},
		{"small_c_cedilla_is_not", "\u00e7", false},
		{"en_dash_is_not", "9\u201310pm", false},
		{"invalid_utf8_is_not", "ab\xff", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := GSM7(tt.text); got != tt.want {
				t.Errorf("GSM7(%q) = %v, want %v", tt.text, got, tt.want)
			}
		})
	}
}

func TestSegments(t *testing.T) {
	a := func(n int) string { return strings.Repeat("a", n) }
	const (
		curly = "\u2019"     // one UTF-16 unit, forces UCS-2
		emoji = "\U0001F60A" // two UTF-16 units, forces UCS-2
	)
	tests := []struct {
		name string
		text string
		want int
	}{
		{"empty_is_0", "", 0},
		{"one_char_is_1", "a", 1},
		{"gsm_160_is_1", a(160), 1},
		{"gsm_161_is_2", a(161), 2},
		{"gsm_306_is_2", a(306), 2},
		{"gsm_307_is_3", a(307), 3},
		{"gsm_459_is_3", a(459), 3},
		{"gsm_460_is_4", a(460), 4},
		{"accented_basic_160_is_1", strings.Repeat("\u00e9", 160), 1},
		{"extension_80_is_1_at_160_units", strings.Repeat("{", 80), 1},
		{"extension_81_is_2_at_162_units", strings.Repeat("{", 81), 2},
		{"euro_81_is_2", strings.Repeat("\u20ac", 81), 2},
		{"extension_159_units_plus_one_is_2", a(159) + "]", 2},
		{"extension_never_split_needs_3", a(152) + strings.Repeat("{", 77), 3},
		{"curly_70_is_1", a(69) + curly, 1},
		{"curly_71_is_2", a(70) + curly, 2},
		{"curly_134_is_2", a(133) + curly, 2},
		{"curly_135_is_3", a(134) + curly, 3},
		{"extension_counts_1_in_ucs2", strings.Repeat("{", 69) + curly, 1},
		{"emoji_35_is_1_at_70_units", strings.Repeat(emoji, 35), 1},
		{"emoji_36_is_2_at_72_units", strings.Repeat(emoji, 36), 2},
		{"emoji_counts_2_units_so_69_plus_emoji_is_2", a(69) + emoji, 2},
		{"emoji_68_plus_emoji_is_1", a(68) + emoji, 1},
		{"surrogate_pair_never_split_needs_3", a(66) + emoji + a(66), 3},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Segments(tt.text); got != tt.want {
				t.Errorf("Segments(%d runes, GSM7=%v) = %d, want %d",
					utf8.RuneCountInString(tt.text), GSM7(tt.text), got, tt.want)
			}
		})
	}
}

// length returns the units text takes in its encoding, and the single- and
// multi-segment capacities for that encoding.
func length(text string) (n, single, multi int) {
	gsm := GSM7(text)
	for _, r := range text {
		n += units(r, gsm)
	}
	if gsm {
		return n, gsmSingle, gsmMulti
	}
	return n, ucsSingle, ucsMulti
}

func FuzzSegments(f *testing.F) {
	for _, s := range []string{
		"", "a", strings.Repeat("a", 161), strings.Repeat("{", 81),
		"can\u2019t sleep", strings.Repeat("\U0001F60A", 36), "ab\xff", "\x1b",
		strings.Repeat("a", 152) + strings.Repeat("{", 77),
		"You're connected to R7K2. They said: \"can't sleep\".",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		got := Segments(text)
		n, single, multi := length(text)
		switch {
		case text == "":
			if got != 0 {
				t.Fatalf("Segments(\"\") = %d, want 0", got)
			}
			return
		case got < 1:
			t.Fatalf("Segments(%q) = %d, want >= 1 for non-empty text", text, got)
		case n <= single && got != 1:
			t.Fatalf("Segments(%q) = %d, want 1 for %d units", text, got, n)
		case n > single && got < (n+multi-1)/multi:
			t.Fatalf("Segments(%q) = %d, fewer than ceil(%d/%d)", text, got, n, multi)
		case n > single && (got-1)*(multi-1) >= n:
			// Every segment but the last is full, or one unit short when
			// the next character takes two units.
			t.Fatalf("Segments(%q) = %d, too many for %d units", text, got, n)
		}
		if GSM7(text) && !utf8.ValidString(text) {
			t.Fatalf("GSM7(%q) = true for invalid UTF-8", text)
		}
		if GSM7(text) && !strings.ContainsAny(text, gsmExtension) && n > single {
			if want := (n + gsmMulti - 1) / gsmMulti; got != want {
				t.Fatalf("Segments(%d plain GSM-7 units) = %d, want ceil(n/153) = %d", n, got, want)
			}
		}
		// Adding text never makes a message shorter, even when it switches
		// the message from GSM-7 to UCS-2.
		for _, more := range []string{"a", "{", "\u2019", "\U0001F60A"} {
			if longer := Segments(text + more); longer < got {
				t.Fatalf("Segments(text+%q) = %d < Segments(text) = %d for %q", more, longer, got, text)
			}
		}
	})
}
