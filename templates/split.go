package templates

import (
	"strings"
	"unicode"
	"unicode/utf16"
	"unicode/utf8"
)

// MaxChars is the most characters Twilio accepts in one message body (error 21617 above it). Split
// counts them as UTF-16 units, as an SMS is encoded: an emoji counts two. That is never less than
// Twilio's own count, so a part that fits here fits there.
const MaxChars = 1600

// ellipsis marks where a long text was cut and where it carries on.
const ellipsis = "…"

// Split cuts text into parts of at most max characters (UTF-16 units: see MaxChars), so that every
// word of a long text reaches the phone: each cut falls between words where it can,
// the part before it ends with "…" and the part after it starts with "…". Text that fits is returned
// whole; empty text is one empty part.
func Split(text string, max int) []string {
	max = min(max, MaxChars)
	if max < 8 || utf16Len(text) <= max {
		return []string{text}
	}
	var parts []string
	rest := text
	lead := ""
	for {
		room := max - utf16Len(lead)
		if utf16Len(rest) <= room {
			return append(parts, lead+rest)
		}
		head, tail := cut(rest, room-1) // keep one character for the ellipsis
		parts = append(parts, lead+head+ellipsis)
		rest, lead = tail, ellipsis
	}
}

// cut splits s after at most n UTF-16 units: at the last space within them when there is one in their
// second half, else as late as fits. Spaces around the cut are dropped.
func cut(s string, n int) (head, tail string) {
	end, used := 0, 0 // byte offset and units of the characters that fit
	for end < len(s) {
		r, size := utf8.DecodeRuneInString(s[end:])
		if used+utf16.RuneLen(r) > n {
			break
		}
		used += max(utf16.RuneLen(r), 1)
		end += size
	}
	at := strings.LastIndexFunc(s[:end], unicode.IsSpace)
	if at > 0 && utf16Len(s[:at]) >= n/2 {
		return strings.TrimRightFunc(s[:at], unicode.IsSpace), strings.TrimLeftFunc(s[at:], unicode.IsSpace)
	}
	return s[:end], strings.TrimLeftFunc(s[end:], unicode.IsSpace)
}

// utf16Len counts s in UTF-16 units, as an SMS body is counted: an emoji is two.
func utf16Len(s string) int {
	n := 0
	for _, r := range s {
		n += max(utf16.RuneLen(r), 1)
	}
	return n
}
