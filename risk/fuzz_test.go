package risk

import (
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"
)

// fuzzSeeds are texts to start both fuzz targets from.
func fuzzSeeds() []string {
	seeds := slices.Concat(mustMatch, mustNotMatch)
	return append(seeds, "can't", "I'M", "o.d.'d", "5 kms kms", "suicide squad suicide", "\xff\xfe", "İı ſ K ẞß")
}

// FuzzMatch checks, for any text:
//   - Match never panics;
//   - Match gives the same answer with the text in upper case or in lower case, and with
//     every punctuation mark replaced by a space;
//   - exceptions only ever take matches away: if the built-in list matches, the same list
//     without its ! lines matches too; and where the two differ, the text contains one of
//     the exception phrases;
//   - without exceptions, adding a risk phrase of the list (written out plainly, set off by
//     spaces) anywhere between two texts makes the result match, unless a contraction joins
//     words across the spaces (a text ending in "can" before a phrase starting with a lone
//     "t"; the built-in list has no such phrase, so this never skips a case).
func FuzzMatch(f *testing.F) {
	for i, s := range fuzzSeeds() {
		f.Add(s, uint(i), "and then")
	}
	m := builtInMatcher(f)
	var risks, excepts []phrase
	for _, p := range m.phrases {
		if p.except {
			p.except = false
			excepts = append(excepts, p)
			continue
		}
		risks = append(risks, p)
	}
	noExceptions, exceptions := newMatcher(risks), newMatcher(excepts)
	f.Fuzz(func(t *testing.T, text string, pick uint, after string) {
		got := m.Match(text)
		for name, changed := range map[string]string{
			"upper case":            strings.ToUpper(text),
			"lower case":            strings.ToLower(text),
			"punctuation as spaces": punctToSpace(text),
		} {
			if m.Match(changed) != got {
				t.Errorf("Match(%q) = %v but with the text in %s, Match(%q) = %v", text, got, name, changed, !got)
			}
		}
		without := noExceptions.Match(text)
		if got && !without {
			t.Errorf("Match(%q) is true with the list's exceptions and false without them", text)
		}
		if got != without && !exceptions.Match(text) {
			t.Errorf("Match(%q) = %v, without exceptions %v, but the text holds no exception phrase", text, got, without)
		}
		phrase := sample(risks[pick%uint(len(risks))])
		if joinsAcross(text, phrase) || joinsAcross(phrase, after) {
			return // "can" + "t took too many": the t is read as the end of "can't"
		}
		if joined := text + " " + phrase + " " + after; !noExceptions.Match(joined) {
			t.Errorf("without exceptions, Match(%q) = false though it holds the risk phrase %q", joined, phrase)
		}
	})
}

// FuzzNormalise checks, for any text, that its normalised words are well formed (not empty,
// letters squeezed, runs of 1 to 3, numbers all digits, no contraction left unjoined), that
// they do not change with the text's case or its punctuation, and that normalising the words
// again, typed out with spaces between, gives the same words.
func FuzzNormalise(f *testing.F) {
	for _, s := range fuzzSeeds() {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		var tk tokens
		tk.tokenise(text)
		for i, s := range tk.words {
			if msg := wellFormed(&tk, i, s); msg != "" {
				t.Fatalf("normalising %q: word %d %q: %s", text, i, tk.buf[s.start:s.end], msg)
			}
		}
		want := tk.spelled()
		// The words typed out again carry a # after each number, which reads as a word break.
		for _, changed := range []string{strings.ToUpper(text), strings.ToLower(text), punctToSpace(text), strings.Join(want, " ")} {
			if got := normalised(changed); !slices.Equal(want, got) {
				t.Fatalf("normalising %q and %q differ (-first +second):\n%s", text, changed, cmp.Diff(want, got))
			}
		}
	})
}

// joinsAcross reports whether the last word of a and the first of b, set off by a space,
// join into one word as the two halves of a contraction do.
func joinsAcross(a, b string) bool {
	var ta, tb tokens
	ta.tokenise(a)
	tb.tokenise(b)
	return len(ta.words) > 0 && len(tb.words) > 0 && joins(ta.bytes(ta.words[len(ta.words)-1]), tb.bytes(tb.words[0]))
}

// wellFormed says what is wrong with the i-th word s of tk, or "" when nothing is.
func wellFormed(tk *tokens, i int, s span) string {
	key, runs := tk.buf[s.start:s.end], tk.runs[s.start:s.end]
	if len(key) == 0 || len(runs) != len(key) {
		return "empty or without runs"
	}
	if !utf8.Valid(key) {
		return "not UTF-8"
	}
	var last rune = -1
	for j, r := range string(key) {
		if r == last {
			return "a letter repeated after squeezing"
		}
		last = r
		if runs[j] < 1 || runs[j] > many {
			return "a run out of range"
		}
		if _, class := classify(r); s.number != (class == classDigit) {
			return "a number with letters, or letters with a digit"
		}
	}
	if i > 0 && joins(tk.bytes(tk.words[i-1]), key) {
		return "a contraction not joined to the word before"
	}
	return ""
}
