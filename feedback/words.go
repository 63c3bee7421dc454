package feedback

import (
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"
)

// MaxWords is how many characters of a person's feedback words are kept.
const MaxWords = 500

// email matches anything shaped like an email address.
var email = regexp.MustCompile(`[^\s@]+@[^\s@]+\.[^\s@]+`)

// numberish matches a run that may be a phone number: digits, with spaces, dots, dashes, slashes,
// brackets or + between them, and an optional leading +. Clean removes those with 7 or more digits.
var numberish = regexp.MustCompile(`\+?\(?\d[\d\s().\-/+]*\d`)

// Clean returns what a person wrote, fit to keep: anything that looks like a phone number (7 or more
// digits in a run) becomes "[number]", an email "[email]", control characters and runs of white space
// become one space, and it is cut to MaxWords characters.
func Clean(s string) string {
	s = strings.Map(func(r rune) rune { // no terminal escapes or other control characters
		if unicode.IsControl(r) {
			return ' '
		}
		return r
	}, s)
	s = email.ReplaceAllString(s, "[email]")
	s = numberish.ReplaceAllStringFunc(s, func(run string) string {
		digits := 0
		for _, r := range run {
			if unicode.IsDigit(r) {
				digits++
			}
		}
		if digits < 7 {
			return run
		}
		return "[number]"
	})
	s = strings.Join(strings.Fields(s), " ")
	if utf8.RuneCountInString(s) > MaxWords {
		s = string([]rune(s)[:MaxWords])
	}
	return s
}

// ParseFeedback reads a reply to the feedback ask: a score from 1 to 5 first, alone or followed by
// words ("4", "5 - quicker answers please", "3/5 ok"). A text that does not begin with one such digit
// (or begins with a longer number, such as "10") is not feedback. words are cleaned (see Clean).
func ParseFeedback(text string) (score int, words string, ok bool) {
	s := strings.TrimSpace(text)
	if s == "" || s[0] < '1' || s[0] > '5' {
		return 0, "", false
	}
	rest := s[1:]
	if r, _ := utf8.DecodeRuneInString(rest); unicode.IsDigit(r) || r == '.' && len(rest) > 1 && unicode.IsDigit(rune(rest[1])) {
		return 0, "", false
	}
	rest = strings.TrimPrefix(strings.TrimSpace(rest), "/5")
	rest = strings.TrimLeftFunc(rest, func(r rune) bool { return unicode.IsSpace(r) || unicode.IsPunct(r) })
	return int(s[0] - '0'), Clean(rest), true
}

// ParseCheckin reads a reply to the morning check-in: exactly 1, 2 or 3 (spaces and punctuation
// around it allowed) gives Better, Same or Struggling. Anything else is words: ok is false.
func ParseCheckin(text string) (answer string, ok bool) {
	s := strings.TrimFunc(text, func(r rune) bool { return unicode.IsSpace(r) || unicode.IsPunct(r) })
	switch s {
	case "1":
		return Better, true
	case "2":
		return Same, true
	case "3":
		return Struggling, true
	}
	return "", false
}
