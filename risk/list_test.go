package risk

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// writeList writes a list file into a temporary folder and returns its path.
func writeList(t *testing.T, text string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "words.txt")
	if err := os.WriteFile(path, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestLoadBuiltIn(t *testing.T) {
	m := builtInMatcher(t)
	if len(m.phrases) < 100 {
		t.Errorf("the built-in list has %d phrases, want over 100", len(m.phrases))
	}
}

func TestLoadOverrideReplacesBuiltIn(t *testing.T) {
	m, err := Load(writeList(t, "# our own list\n\nbanana split\n"))
	if err != nil {
		t.Fatal(err)
	}
	if !m.Match("I want a BANANA-split") {
		t.Error(`the override's "banana split" does not match`)
	}
	if m.Match("I want to kill myself") {
		t.Error("the built-in list still matches after an override")
	}
}

func TestLoadErrorsNameFileAndLine(t *testing.T) {
	tests := []struct {
		name, list string
		line       string // "" when the error is about the whole file
		says       string
	}{
		{"exception without a phrase", "# notes\nkill myself\n!\n", "line 3", "!"},
		{"exception of spaces only", "kill myself\n!   \n", "line 2", "!"},
		{"invalid UTF-8", "kill myself\nover\xffdose\n", "line 2", "UTF-8"},
		{"star inside a word", "ki*ll myself\n", "line 1", "*"},
		{"star at the start of a word", "*kill myself\n", "line 1", "*"},
		{"star alone", "kill *\n", "line 1", "*"},
		{"star after a number", "<number>* tablets\n", "line 1", "*"},
		{"note after a phrase", "overdos* # overdose\n", "line 1", "#"},
		{"angle brackets", "<num> tablets\n", "line 1", "<number>"},
		{"no words", "kill myself\n...\n", "line 2", "no letters"},
		{"empty file", "", "", "no risk words"},
		{"only notes and blank lines", "# nothing yet\n\n   \n", "", "no risk words"},
		{"only exceptions", "!suicide squad\n", "", "no risk words"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := writeList(t, tt.list)
			_, err := Load(path)
			if err == nil {
				t.Fatalf("Load(%q) gave no error", tt.list)
			}
			msg := err.Error()
			if !strings.Contains(msg, path) || !strings.Contains(msg, tt.line) || !strings.Contains(msg, tt.says) {
				t.Errorf("error %q does not name the file %s, %q and %q", msg, path, tt.line, tt.says)
			}
		})
	}
}

func TestLoadMissingFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "nope.txt")
	_, err := Load(path)
	if err == nil || !strings.Contains(err.Error(), path) {
		t.Errorf("Load(%s) = %v, want an error naming the file", path, err)
	}
}

// TestListFormat checks each rule the built-in list's header promises, on a small list.
func TestListFormat(t *testing.T) {
	const list = "\uFEFF# a list saved by Notepad, with Windows line endings\r\n" +
		"od\r\n" +
		"kill myself\r\n" +
		"overdos*\r\n" +
		"pil*\r\n" +
		"<number> tablets\r\n" +
		"<number>mg\r\n" +
		"can't go on\r\n" +
		"im done\r\n" +
		"💊\r\n" +
		"suicide\r\n" +
		"!suicide squad\r\n" +
		"!<number> kms\r\n" +
		"kms\r\n"
	m, err := Load(writeList(t, list))
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		text string
		want bool
	}{
		{"OD", true},
		{"I od'd", true},
		{"o.d.", false}, // "o d" is two words; the built-in list has its own line for it
		{"odd", false},
		{"oddd", true}, // a letter typed three times may stand for one
		{"good", false},
		{"KiLlLlL   mYsElF", true},
		{"kil myself", false},
		{"killmyself", false},
		{"overdosed", true},
		{"overdue", false},
		{"pills", true},
		{"pillow", true}, // why the header warns about *
		{"pi", false},
		{"took 30 tablets", true},
		{"took thirty tablets", false},
		{"30tablets", true},
		{"800mg", true},
		{"800 mg", true},
		{"mg", false},
		{"I cant go on", true},
		{"I can t go on", true},
		{"I can’t go on", true},
		{"i'm done", true},
		{"I'm   done", true},
		{"i m done", true},
		{"💊💊", true},
		{"pills💊", true},
		{"suicide squad was rubbish", false},
		{"suicide squad was rubbish, suicide is all I think about", true},
		{"ran 5 kms", false},
		{"5 kms... kms", true},
		{"kms 5", true},
	}
	for _, tt := range tests {
		if got := m.Match(tt.text); got != tt.want {
			t.Errorf("Match(%q) = %v, want %v", tt.text, got, tt.want)
		}
	}
}

// TestBuiltInPhrasesMatchThemselves checks that every risk line of the built-in list, written
// out as a text, matches: a line that could never match would be a silent gap.
func TestBuiltInPhrasesMatchThemselves(t *testing.T) {
	m := builtInMatcher(t)
	for _, p := range m.phrases {
		if text := sample(p); !p.except && !m.Match(text) {
			t.Errorf("the list's phrase %q does not match itself", text)
		}
	}
}

// sample writes a phrase out as a text that matches it.
func sample(p phrase) string {
	words := make([]string, len(p.words))
	for i, w := range p.words {
		words[i] = w.spelled()
		if w.kind == number {
			words[i] = "20"
		}
	}
	return strings.Join(words, " ")
}

// spelled writes a list word's letters out as often as the list typed them.
func (w word) spelled() string {
	var b strings.Builder
	for i, r := range w.key {
		b.WriteString(strings.Repeat(string(r), int(w.runs[i])))
	}
	return b.String()
}
