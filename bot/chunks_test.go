package bot

import (
	"strings"
	"testing"
	"time"
)

func TestAskChunks(t *testing.T) {
	loc, _ := time.LoadLocation("Europe/London")
	at := func(d, h int) time.Time { return time.Date(2026, 12, d, h, 0, 0, 0, loc) }
	tests := []struct {
		name       string
		start, end time.Time
		want       []string
	}{
		{"a short evening stays whole", at(24, 17), at(24, 22), []string{"Thu 17:00-22:00"}},
		{"a night stays whole", at(24, 22), at(25, 4), []string{"Thu 22:00-04:00"}},
		{"a long night in parts of whole hours", at(24, 17), at(25, 12),
			[]string{"Thu 17:00-22:00", "Thu 22:00-03:00", "Fri 03:00-08:00", "Fri 08:00-12:00"}},
		{"cut at noon first", at(25, 9), at(25, 15), []string{"Fri 09:00-12:00", "Fri 12:00-15:00"}},
		{"a whole weekend", at(26, 0), at(28, 0), []string{"Sat 00:00-06:00", "Sat 06:00-12:00", "Sat 12:00-18:00",
			"Sat 18:00-00:00", "Sun 00:00-06:00", "Sun 06:00-12:00", "Sun 12:00-18:00", "Sun 18:00-00:00"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var got []string
			for _, c := range askChunks(tc.start, tc.end, loc) {
				got = append(got, stretch(c[0], c[1], tc.start, loc))
			}
			if len(got) != len(tc.want) {
				t.Fatalf("got %q, want %q", got, tc.want)
			}
			for i := range got {
				if got[i] != tc.want[i] {
					t.Fatalf("got %q, want %q", got, tc.want)
				}
			}
		})
	}
}

func TestParseCant(t *testing.T) {
	tests := []struct {
		text string
		ok   bool
		want cantWhen
	}{
		{"CANT", true, cantWhen{any: true}},
		{"skip", true, cantWhen{any: true}},
		{"Can't make it tonight, sorry", true, cantWhen{relative: 1}},
		{"sorry I can\u2019t do my shift on Friday", true, cantWhen{day: time.Friday}},
		{"cant weds", true, cantWhen{day: time.Wednesday}},
		{"CANNOT TOMORROW", true, cantWhen{relative: 2}},
		{"can't sleep", false, cantWhen{}},
		{"cant fri or sat", false, cantWhen{}},
		{"I can make it", false, cantWhen{}},
		{"skip it", true, cantWhen{any: true}},
		{"", false, cantWhen{}},
	}
	for _, tc := range tests {
		got, ok := parseCant(tc.text)
		if ok != tc.ok || ok && got != tc.want {
			t.Errorf("parseCant(%q) = %+v, %v; want %+v, %v", tc.text, got, ok, tc.want, tc.ok)
		}
	}
}

func FuzzParseCant(f *testing.F) {
	for _, s := range []string{"CANT", "can't make it tonight", "skip fri", "cant sleep"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		w, ok := parseCant(s)
		if ok && !strings.Contains(strings.NewReplacer("'", "", "\u2019", "").Replace(strings.ToUpper(s)), "CANT") &&
			!strings.Contains(strings.ToUpper(s), "CANNOT") && !strings.Contains(strings.ToUpper(s), "SKIP") {
			t.Fatalf("parseCant(%q) = %+v without CANT, CANNOT or SKIP", s, w)
		}
	})
}
