package templates

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// MaxChars is the most characters Twilio accepts in one message body (error 21617 above it).
const MaxChars = 1600

// ellipsis marks where a long text was cut and where it carries on.
const ellipsis = "…"

// Split cuts text into parts of at most max characters (Unicode characters, as Twilio counts them),
// so that every word of a long text reaches the phone: each cut falls between words where it can,
// the part before it ends with "…" and the part after it starts with "…". Text that fits is returned
// whole; empty text is one empty part.
func Split(text string, max int) []string {
	max = min(max, MaxChars)
	if max < 8 || utf8.RuneCountInString(text) <= max {
		return []string{text}
	}
	var parts []string
	rest := text
	lead := ""
	for {
		room := max - utf8.RuneCountInString(lead)
		if utf8.RuneCountInString(rest) <= room {
			return append(parts, lead+rest)
		}
		head, tail := cut(rest, room-1) // keep one character for the ellipsis
		parts = append(parts, lead+head+ellipsis)
		rest, lead = tail, ellipsis
	}
}

// cut splits s after at most n characters: at the last space within them when there is one in their
// second half, else after exactly n characters. Spaces around the cut are dropped.
func cut(s string, n int) (head, tail string) {
	end := 0 // byte offset after n characters
	for range n {
		_, size := utf8.DecodeRuneInString(s[end:])
		end += size
	}
	at := strings.LastIndexFunc(s[:end], unicode.IsSpace)
	if at > 0 && utf8.RuneCountInString(s[:at]) >= n/2 {
		return strings.TrimRightFunc(s[:at], unicode.IsSpace), strings.TrimLeftFunc(s[at:], unicode.IsSpace)
	}
	return s[:end], strings.TrimLeftFunc(s[end:], unicode.IsSpace)
}
