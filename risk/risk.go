// Package risk tells whether a text from a person contains risk words: suicide, self-harm,
// overdose and method words such as medicine names and the pill emoji.
//
// The words live in a plain text file that coordinators can read and edit, one phrase a
// line (words.txt in this folder, embedded in the binary; its header explains the format).
// [Load] reads it, or a coordinator's copy, and [Matcher.Match] checks a text.
//
// Texts and list phrases are normalised the same way before they are compared: case is
// folded, punctuation and symbols split words, each emoji is a word of its own, letters and
// digits are separate words ("800mg" is "800 mg"), "can't" reads as "cant" and "i'm" as "im",
// and a letter typed three or more times matches the same letter written once or twice.
// Phrases match whole words only, so "od" matches "I od'd" but not "good" or "odd".
//
// Match only ever answers yes or no: which words matched must never reach a log.
package risk

import (
	_ "embed"
	"fmt"
	"os"
	"sync"
)

// builtIn is the risk list the line ships with.
//
//go:embed words.txt
var builtIn []byte

// builtInName names the built-in list in errors.
const builtInName = "risk/words.txt (built in)"

// Matcher checks texts against one risk list. It is safe for concurrent use.
type Matcher struct {
	phrases []phrase

	// Phrases by the first keyLen bytes of their first word's squeezed letters (or all of
	// them, when shorter), so that one map lookup finds every phrase that may start at a word
	// of the text. Phrases that start with <number> are kept apart.
	first   map[string][]int32
	keyLen  int
	numbers []int32

	pool sync.Pool // of *tokens, so that Match rarely allocates
}

// Load returns a Matcher for the built-in risk list when path is "", or for the list in the
// file at path instead: coordinators edit a copy of the built-in list, as they do the
// templates. A wrong line gives an error that names the file and the line.
func Load(path string) (*Matcher, error) {
	name, data := builtInName, builtIn
	if path != "" {
		var err error
		if data, err = os.ReadFile(path); err != nil {
			return nil, fmt.Errorf("risk words: %w", err)
		}
		name = path
	}
	phrases, err := parse(name, data)
	if err != nil {
		return nil, err
	}
	return newMatcher(phrases), nil
}

// maxKeyLen is the most bytes of a first word that index a phrase. A word ending in * with
// fewer letters lowers it for the whole list.
const maxKeyLen = 3

// newMatcher indexes phrases by their first word.
func newMatcher(phrases []phrase) *Matcher {
	m := &Matcher{phrases: phrases, first: map[string][]int32{}, keyLen: maxKeyLen}
	for _, p := range phrases {
		if w := p.words[0]; w.kind == prefix {
			m.keyLen = min(m.keyLen, len(w.key))
		}
	}
	for id, p := range phrases {
		if w := p.words[0]; w.kind == number {
			m.numbers = append(m.numbers, int32(id))
		} else {
			k := w.key[:min(len(w.key), m.keyLen)]
			m.first[k] = append(m.first[k], int32(id))
		}
	}
	return m
}

// Match reports whether text contains a risk word or phrase that no exception in the list
// covers. It never says which words matched, so that they cannot reach a log. It reads the
// text once and looks each word up in a map, so its cost grows with the length of the text.
func (m *Matcher) Match(text string) bool {
	t, _ := m.pool.Get().(*tokens)
	if t == nil {
		t = &tokens{}
	}
	defer m.release(t)
	t.tokenise(text)
	// reach is the furthest end of the exceptions found so far. Exceptions are found at
	// each word before the risk phrases that start there, so a risk phrase ending at or
	// before reach lies inside an exception.
	reach := 0
	for i := range t.words {
		t.cands = m.candidates(t, i, t.cands[:0])
		for _, id := range t.cands {
			if p := &m.phrases[id]; p.except {
				if end, ok := p.at(t, i); ok && end > reach {
					reach = end
				}
			}
		}
		for _, id := range t.cands {
			if p := &m.phrases[id]; !p.except {
				if end, ok := p.at(t, i); ok && end > reach {
					return true
				}
			}
		}
	}
	return false
}

// candidates appends to out the phrases whose first word may match the text's i-th word.
func (m *Matcher) candidates(t *tokens, i int, out []int32) []int32 {
	w := t.words[i]
	b := t.bytes(w)
	out = append(out, m.first[string(b[:min(len(b), m.keyLen)])]...)
	if w.number {
		out = append(out, m.numbers...)
	}
	return out
}

// release returns t to the pool unless a very long text made it large.
func (m *Matcher) release(t *tokens) {
	if cap(t.buf) > 64<<10 {
		return
	}
	m.pool.Put(t)
}
