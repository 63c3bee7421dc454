package community

import (
	"strings"
	"unicode"
)

// plain replaces the characters that would turn a whole SMS into UCS-2 (70 characters a segment) with
// their plain forms, such as a curly apostrophe typed in a spreadsheet, and trims and joins white space.
func plain(s string) string {
	r := strings.NewReplacer("\u2018", "'", "\u2019", "'", "\u201c", `"`, "\u201d", `"`, "\u2013", "-",
		"\u2014", "-", "\u2026", "...", "\u00a0", " ")
	return strings.Join(strings.Fields(r.Replace(s)), " ")
}

// fold lowers s and takes the accents off the letters that carry them in English place and event
// names, so that "cafe" finds "Caf\u00e9".
func fold(s string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(s) {
		switch r {
		case '\u00e0', '\u00e1', '\u00e2', '\u00e4', '\u00e3', '\u00e5':
			r = 'a'
		case '\u00e8', '\u00e9', '\u00ea', '\u00eb':
			r = 'e'
		case '\u00ec', '\u00ed', '\u00ee', '\u00ef':
			r = 'i'
		case '\u00f2', '\u00f3', '\u00f4', '\u00f6', '\u00f5', '\u00f8':
			r = 'o'
		case '\u00f9', '\u00fa', '\u00fb', '\u00fc':
			r = 'u'
		case '\u00e7':
			r = 'c'
		case '\u00f1':
			r = 'n'
		}
		b.WriteRune(r)
	}
	return b.String()
}

// wordsOf returns the folded words of s (letters and digits).
func wordsOf(s string) []string {
	return strings.FieldsFunc(fold(s), func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
}

// splitTags reads a comma-separated list of tags, folded to plain lower case, without repeats.
func splitTags(s string) []string {
	var out []string
	for _, t := range strings.Split(s, ",") {
		t = strings.Join(wordsOf(t), "-")
		if t != "" && !contains(out, t) {
			out = append(out, t)
		}
	}
	return out
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
