package risk

import (
	"strings"
	"testing"
)

// chat160 is a realistic text inside a chat, 160 characters, with no risk words: the matcher
// reads all of it.
const chat160 = "hey sorry its late, cant sleep. cravings are bad tonight and my sponsor isnt answering. " +
	"43 days sober and I don't want to mess it up. can we just talk for a bit"

// chat1600 is a long text of ten such lines, 1,600 characters, the most one SMS can carry.
var chat1600 = strings.Repeat(chat160, 10)

func BenchmarkMatch(b *testing.B) {
	m := builtInMatcher(b)
	for _, bm := range []struct{ name, text string }{
		{"160 characters", chat160},
		{"1600 characters", chat1600},
	} {
		if m.Match(bm.text) {
			b.Fatalf("the benchmark text %q matches; it should make the matcher read it all", bm.name)
		}
		b.Run(bm.name, func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(len(bm.text)))
			for b.Loop() {
				m.Match(bm.text)
			}
		})
	}
}

func TestBenchmarkTexts(t *testing.T) {
	if n := len([]rune(chat160)); n != 160 {
		t.Errorf("chat160 has %d characters, want 160", n)
	}
	if n := len([]rune(chat1600)); n != 1600 {
		t.Errorf("chat1600 has %d characters, want 1600", n)
	}
}
