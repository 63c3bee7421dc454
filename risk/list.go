package risk

import (
	"bytes"
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"
)

// kind is how a list word matches a word of a text.
type kind uint8

const (
	exact  kind = iota // the same word, allowing letters typed many times
	prefix             // a word written with * at the end: any word that starts with it
	number             // <number>: any word made of digits
)

// word is one normalised word of a list phrase.
type word struct {
	key      string // the squeezed letters, as in tokens.buf
	runs     string // for each byte of key: 1, 2 or many, as in tokens.runs
	kind     kind
	lastRune int // for a prefix: where the last letter starts in key
}

// phrase is one line of the list.
type phrase struct {
	words  []word
	except bool // the line started with !
}

// numberWord is how a list writes "any number".
const numberWord = "<number>"

// parse reads a risk list; name says which file it came from in errors.
func parse(name string, data []byte) ([]phrase, error) {
	data = bytes.TrimPrefix(data, []byte("\uFEFF")) // Notepad's byte order mark
	var phrases []phrase
	risks := 0
	for n, line := range strings.Split(string(data), "\n") {
		p, ok, err := parseLine(line)
		if err != nil {
			return nil, fmt.Errorf("%s line %d: %w", name, n+1, err)
		}
		if !ok {
			continue
		}
		if !p.except {
			risks++
		}
		phrases = append(phrases, p)
	}
	if risks == 0 {
		return nil, fmt.Errorf("%s: no risk words (every line is blank, a # note or a ! exception)", name)
	}
	return phrases, nil
}

// parseLine reads one line of a list. It returns ok false for a blank line or a note.
func parseLine(line string) (p phrase, ok bool, err error) {
	if !utf8.ValidString(line) {
		return p, false, errors.New("not UTF-8 text: save the file as UTF-8")
	}
	line = strings.TrimSpace(line)
	if line == "" || line[0] == '#' {
		return p, false, nil
	}
	if line[0] == '!' {
		p.except = true
		if line = strings.TrimSpace(line[1:]); line == "" {
			return p, false, errors.New("a ! needs the phrase that must not count after it, as in !suicide squad")
		}
	}
	if strings.Contains(line, "#") {
		return p, false, errors.New("a # note must be on a line of its own")
	}
	if p.words, err = parseWords(line); err != nil {
		return p, false, err
	}
	return p, true, nil
}

// parseWords normalises a phrase into words, reading * at the end of a word and <number>.
func parseWords(line string) ([]word, error) {
	var words []word
	for _, field := range strings.Fields(line) {
		star := strings.HasSuffix(field, "*")
		field = strings.TrimSuffix(field, "*")
		if strings.Contains(field, "*") {
			return nil, errors.New("a * can only end a word, as in overdos*")
		}
		before := len(words)
		for field != "" {
			text, rest, found := strings.Cut(field, numberWord)
			if strings.ContainsAny(text, "<>") {
				return nil, errors.New("only " + numberWord + " may be written between < and >")
			}
			words = appendWords(words, text)
			if found {
				words = append(words, word{kind: number})
			}
			field = rest
		}
		if star {
			if len(words) == before || words[len(words)-1].kind == number {
				return nil, errors.New("a * must follow letters, as in overdos*")
			}
			words[len(words)-1].setPrefix()
		}
	}
	words = joinWords(words)
	if len(words) == 0 {
		return nil, errors.New("no letters, digits or emoji in this phrase")
	}
	return words, nil
}

// appendWords normalises text exactly as a person's text is normalised.
func appendWords(words []word, text string) []word {
	var t tokens
	t.tokenise(text)
	for _, s := range t.words {
		words = append(words, word{key: string(t.buf[s.start:s.end]), runs: string(t.runs[s.start:s.end])})
	}
	return words
}

// joinWords joins contractions split across spaces ("can t"), as tokens.end does for texts.
func joinWords(words []word) []word {
	var out []word
	for _, w := range words {
		if n := len(out); n > 0 && out[n-1].kind != number && w.kind != number && joins([]byte(out[n-1].key), []byte(w.key)) {
			prev := &out[n-1]
			last := len(prev.key) + w.lastRune
			prev.key, prev.runs, prev.kind, prev.lastRune = prev.key+w.key, prev.runs+w.runs, w.kind, last
			continue
		}
		out = append(out, w)
	}
	return out
}

// setPrefix makes w match any word that starts with it.
func (w *word) setPrefix() {
	_, size := utf8.DecodeLastRuneInString(w.key)
	w.kind, w.lastRune = prefix, len(w.key)-size
}

// at reports whether p matches the text's words from the i-th on, and where the match ends.
func (p *phrase) at(t *tokens, i int) (end int, ok bool) {
	if i+len(p.words) > len(t.words) {
		return 0, false
	}
	for j := range p.words {
		if !p.words[j].matches(t, t.words[i+j]) {
			return 0, false
		}
	}
	return i + len(p.words), true
}

// matches reports whether list word w matches text word s. The squeezed letters must be the
// same (or, for a prefix, start the same), and each letter must be typed as often as in w, or
// many times. So "kill" matches "kill" and "killlll" but not "kil"; "od" does not match
// "odd". A prefix's last letter may run on: "pil*" matches "pills".
func (w *word) matches(t *tokens, s span) bool {
	if w.kind == number {
		return s.number
	}
	key, runs := t.buf[s.start:s.end], t.runs[s.start:s.end]
	switch w.kind {
	case exact:
		if string(key) != w.key {
			return false
		}
		return sameRuns(runs, w.runs)
	default: // prefix
		if len(key) < len(w.key) || string(key[:len(w.key)]) != w.key {
			return false
		}
		if !sameRuns(runs[:w.lastRune], w.runs[:w.lastRune]) {
			return false
		}
		for i := w.lastRune; i < len(w.key); i++ {
			if runs[i] < w.runs[i] {
				return false
			}
		}
		return true
	}
}

// sameRuns reports whether every letter of a text word is typed as often as in the list
// word, or many times.
func sameRuns(text []byte, list string) bool {
	for i := range list {
		if text[i] != list[i] && text[i] != many {
			return false
		}
	}
	return true
}
