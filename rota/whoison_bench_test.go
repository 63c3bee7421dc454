package rota

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"testing"
	"time"
)

// bigRota is a line with 1,000 volunteers and 10,000 shifts: 9,000 weekly, 1,000 one-off or cover
// shifts over the coming weeks, and some skipped occurrences.
func bigRota(tb testing.TB) Rota {
	tb.Helper()
	loc, err := time.LoadLocation("Europe/London")
	if err != nil {
		tb.Fatal(err)
	}
	rnd := rand.New(rand.NewPCG(1, 2))
	vols, shifts, skips := map[string]string{}, map[string]string{}, map[string]string{}
	enc := func(v any) string {
		raw, err := json.Marshal(v)
		if err != nil {
			tb.Fatal(err)
		}
		return string(raw)
	}
	for i := 1; i <= 1000; i++ {
		id := fmt.Sprintf("v%d", i)
		vols[id] = enc(Volunteer{ID: id, Name: "V", Phone: fmt.Sprintf("+4477009%05d", i), Active: true})
	}
	for i := 1; i <= 10000; i++ {
		s := Shift{ID: fmt.Sprintf("s%d", i), Volunteer: fmt.Sprintf("v%d", 1+rnd.IntN(1000)),
			Day: time.Weekday(rnd.IntN(7)), Start: Clock(rnd.IntN(48) * 30), End: Clock(rnd.IntN(48) * 30)}
		if i > 9000 {
			s.Date = time.Date(2026, 12, 1+rnd.IntN(31), 0, 0, 0, 0, time.UTC).Format(DateLayout)
			s.Day = 0
			if i%2 == 0 {
				s.CoverFor = fmt.Sprintf("v%d", 1+rnd.IntN(1000))
			}
		} else if i%10 == 0 {
			skips[SkipKey(s.ID, "2026-12-24")] = ""
		}
		shifts[s.ID] = enc(s)
	}
	r, err := decode(vols, shifts, nil, skips, "", loc)
	if err != nil {
		tb.Fatal(err)
	}
	return r
}

// naiveOnShift is who is on at t by testing every shift, as before the index: the baseline.
func naiveOnShift(r Rota, t time.Time) int {
	n := 0
	for _, s := range r.Shifts {
		if s.Covers(t, r.loc) {
			n++
		}
	}
	return n
}

// BenchmarkWhoIsOn answers "who is on at t" for 1,000 volunteers and 10,000 shifts, at instants spread
// over December (one-off shifts and covers included). Run: make bench-rota
func BenchmarkWhoIsOn(b *testing.B) {
	r := bigRota(b)
	start := time.Date(2026, 12, 1, 0, 0, 0, 0, r.loc)
	at := func(i int) time.Time { return start.Add(time.Duration(i*7919%(31*24*60)) * time.Minute) }
	b.Run("indexed", func(b *testing.B) {
		for i := 0; b.Loop(); i++ {
			if len(r.OnShiftAt(at(i))) == 0 {
				b.Fatal("nobody on")
			}
		}
	})
	b.Run("every-shift", func(b *testing.B) {
		for i := 0; b.Loop(); i++ {
			if naiveOnShift(r, at(i)) == 0 {
				b.Fatal("nobody on")
			}
		}
	})
}

// TestIndexAgreesWithEveryShift checks the index against testing every shift, minute by minute over
// a week that has the clocks going back, on the big rota (skips and covers left out of both).
func TestIndexAgreesWithEveryShift(t *testing.T) {
	r := bigRota(t)
	r.Skips = nil
	var plain []Shift
	for _, s := range r.Shifts {
		if s.CoverFor == "" {
			plain = append(plain, s)
		}
	}
	r.Shifts, r.idx = plain, newIndex(plain, r.Volunteers)
	start := time.Date(2026, 10, 22, 0, 0, 0, 0, r.loc)
	for m := 0; m < 7*24*60; m += 7 {
		at := start.Add(time.Duration(m) * time.Minute)
		got := 0
		r.idx.each(r, at, func(int) { got++ })
		if want := naiveOnShift(r, at); got != want {
			t.Fatalf("at %s: index finds %d shifts, testing every shift finds %d", at, got, want)
		}
	}
}
