package risk

import (
	"unicode"
	"unicode/utf8"
)

// What a rune becomes in normalised text, after folding its case.
const (
	classBreak  = iota // ends the word being built: spaces, punctuation, symbols
	classIgnore        // dropped without ending the word: joiners, variation selectors, accents typed as marks
	classLetter        // part of a word
	classDigit         // part of a number; a change between letters and digits starts a new word
	classEmoji         // a word of its own, such as the pill emoji
)

// many is the run length recorded for a letter typed three or more times in a row.
const many = 3

// span is one normalised word of a text: buf[start:end] (and runs[start:end]) of its tokens.
type span struct {
	start, end int32
	number     bool // the word is made of digits only
}

// tokens is a text normalised into words, built once and then read by the matcher.
//
// Each word is stored with runs of the same letter squeezed to one letter ("killlll" becomes
// "kil"); runs records, for every byte of buf, how many times that letter was typed: 1, 2 or
// many. A list word then matches a text word when their squeezed letters are equal and every
// run is either as long as in the list word or typed many times (see word.matches).
type tokens struct {
	buf   []byte
	runs  []byte
	words []span
	cands []int32 // scratch for the matcher: phrases that may start at the current word

	open      bool // a word is being built
	class     int  // classLetter, classDigit or classEmoji: what the open word is made of
	wordStart int  // where the open word starts in buf
	last      rune // the open word's last letter
	lastAt    int  // where that letter starts in buf
}

// tokenise replaces t's contents with the words of text.
func (t *tokens) tokenise(text string) {
	t.buf, t.runs, t.words, t.open = t.buf[:0], t.runs[:0], t.words[:0], false
	for i := 0; i < len(text); {
		r, size := rune(text[i]), 1
		if r >= utf8.RuneSelf {
			r, size = utf8.DecodeRuneInString(text[i:])
		}
		i += size
		r, class := classify(r)
		switch class {
		case classIgnore:
		case classBreak:
			t.end()
		case classEmoji:
			t.end()
			t.add(r, class)
			t.end()
		default:
			t.add(r, class)
		}
	}
	t.end()
}

// add appends a letter, digit or emoji to the open word, opening one if needed.
func (t *tokens) add(r rune, class int) {
	if t.open && class != t.class {
		t.end()
	}
	if !t.open {
		t.open, t.class, t.wordStart, t.last = true, class, len(t.buf), -1
	}
	if r == t.last {
		for i := t.lastAt; i < len(t.runs); i++ {
			if t.runs[i] < many {
				t.runs[i]++
			}
		}
		return
	}
	t.last, t.lastAt = r, len(t.buf)
	if r < utf8.RuneSelf {
		t.buf, t.runs = append(t.buf, byte(r)), append(t.runs, 1)
		return
	}
	t.buf = utf8.AppendRune(t.buf, r)
	for len(t.runs) < len(t.buf) {
		t.runs = append(t.runs, 1)
	}
}

// end closes the open word. A contraction's tail joins the word before it (see joins); since
// words are stored one after another in buf, joining only moves the earlier word's end.
func (t *tokens) end() {
	if !t.open {
		return
	}
	t.open = false
	w := span{start: int32(t.wordStart), end: int32(len(t.buf)), number: t.class == classDigit}
	if n := len(t.words); n > 0 && joins(t.bytes(t.words[n-1]), t.bytes(w)) {
		t.words[n-1].end = w.end
		return
	}
	t.words = append(t.words, w)
}

// bytes returns the squeezed letters of w, sharing memory with t.
func (t *tokens) bytes(w span) []byte { return t.buf[w.start:w.end] }

// joins reports whether the word next (squeezed) is the tail of a contraction that should be
// joined to the word prev before it: "can't" and "can t" read as "cant", "i'm" as "im". Every
// other apostrophe splits a word, so "od'd" reads as "od d", and "train t" stays two words.
func joins(prev, next []byte) bool {
	if len(next) != 1 {
		return false
	}
	switch next[0] {
	case 't':
		return notWords[string(prev)]
	case 'm':
		return string(prev) == "i"
	}
	return false
}

// notWords are the words that join a following "t", as in "don't", with letters squeezed.
var notWords = map[string]bool{
	"ain": true, "aren": true, "can": true, "couldn": true, "didn": true, "doesn": true,
	"don": true, "hadn": true, "hasn": true, "haven": true, "isn": true, "mightn": true,
	"mustn": true, "shan": true, "shouldn": true, "wasn": true, "weren": true, "won": true,
	"wouldn": true,
}

// classify folds the case of r and says what it is in normalised text.
func classify(r rune) (rune, int) {
	if r < utf8.RuneSelf {
		return classifyASCII(r)
	}
	r = fold(r)
	if r >= 0xFF01 && r <= 0xFF5E { // full-width forms of ASCII, as some phones type them
		return classifyASCII(r - 0xFEE0)
	}
	switch {
	case r == utf8.RuneError: // also what invalid UTF-8 decodes to
		return r, classBreak
	case ignorable(r):
		return r, classIgnore
	case unicode.IsLetter(r), unicode.Is(unicode.Mc, r):
		return r, classLetter
	case unicode.IsDigit(r):
		return r, classDigit
	case unicode.Is(unicode.So, r):
		return r, classEmoji
	}
	return r, classBreak
}

// classifyASCII is classify for a rune below 0x80.
func classifyASCII(r rune) (rune, int) {
	switch {
	case r >= 'a' && r <= 'z':
		return r, classLetter
	case r >= 'A' && r <= 'Z':
		return r + 'a' - 'A', classLetter
	case r >= '0' && r <= '9':
		return r, classDigit
	}
	return r, classBreak
}

// fold maps every rune to one case, so that fold(r), fold(unicode.ToUpper(r)),
// fold(unicode.ToLower(r)) and fold(unicode.ToTitle(r)) are the same rune (TestFold checks
// every rune).
func fold(r rune) rune { return unicode.ToLower(unicode.ToUpper(r)) }

// ignorable reports whether r is dropped from a word rather than ending it: zero-width
// characters, the soft hyphen, emoji variation selectors, skin tones and tags, and accents
// typed as separate marks.
func ignorable(r rune) bool {
	switch {
	case r == 0x00AD, r >= 0x200B && r <= 0x200D, r == 0x2060, r == 0xFEFF:
		return true
	case r >= 0xFE00 && r <= 0xFE0F, r >= 0xE0100 && r <= 0xE01EF:
		return true
	case r >= 0x1F3FB && r <= 0x1F3FF, r >= 0xE0020 && r <= 0xE007F:
		return true
	}
	return unicode.In(r, unicode.Mn, unicode.Me)
}
