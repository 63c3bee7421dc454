package community

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"peerline/redistest"
)

func london(t testing.TB) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation("Europe/London")
	if err != nil {
		t.Fatal(err)
	}
	return loc
}

func TestEventNext(t *testing.T) {
	loc := london(t)
	at := func(y int, m time.Month, d, h, min int) time.Time { return time.Date(y, m, d, h, min, 0, 0, loc) }
	cafe := Event{Title: "Recovery café", Day: "sat", Start: 11 * 60, End: 13 * 60, Place: "St John's Hall"}
	once := Event{Title: "Carol service", Date: "2026-12-20", Start: 18 * 60, End: 19 * 60, Place: "Church"}
	tests := []struct {
		name      string
		e         Event
		now       time.Time
		wantStart time.Time
		wantOK    bool
	}{
		{"weekly: later this week", cafe, at(2026, 12, 1, 12, 0), at(2026, 12, 5, 11, 0), true},
		{"weekly: under way counts", cafe, at(2026, 12, 5, 12, 30), at(2026, 12, 5, 11, 0), true},
		{"weekly: just over, next week", cafe, at(2026, 12, 5, 13, 0), at(2026, 12, 12, 11, 0), true},
		{"weekly: same day before it", cafe, at(2026, 12, 5, 8, 0), at(2026, 12, 5, 11, 0), true},
		{"weekly: across the clocks going forward, wall time kept", cafe, at(2027, 3, 26, 12, 0), at(2027, 3, 27, 11, 0), true},
		{"dated: to come", once, at(2026, 12, 1, 12, 0), at(2026, 12, 20, 18, 0), true},
		{"dated: over", once, at(2026, 12, 20, 19, 0), time.Time{}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if err := tt.e.Normalize(); err != nil {
				t.Fatal(err)
			}
			start, end, ok := tt.e.Next(tt.now, loc)
			if ok != tt.wantOK || ok && !start.Equal(tt.wantStart) {
				t.Fatalf("Next(%v) = %v, %v; want %v, %v", tt.now, start, ok, tt.wantStart, tt.wantOK)
			}
			if ok && end.Sub(start) != time.Duration(tt.e.End-tt.e.Start)*time.Minute {
				t.Errorf("end %v does not follow start %v", end, start)
			}
		})
	}
}

func TestEventNormalizeRefuses(t *testing.T) {
	tests := map[string]Event{
		"no title":         {Day: "sat", Start: 60, End: 120, Place: "x"},
		"day and date":     {Title: "a", Day: "sat", Date: "2026-12-01", Start: 60, End: 120, Place: "x"},
		"neither":          {Title: "a", Start: 60, End: 120, Place: "x"},
		"bad day":          {Title: "a", Day: "caturday", Start: 60, End: 120, Place: "x"},
		"end before start": {Title: "a", Day: "sat", Start: 120, End: 60, Place: "x"},
		"bad date":         {Title: "a", Date: "2026-13-01", Start: 60, End: 120, Place: "x"},
		"no place":         {Title: "a", Day: "sat", Start: 60, End: 120},
	}
	for name, e := range tests {
		t.Run(name, func(t *testing.T) {
			if err := e.Normalize(); err == nil {
				t.Errorf("Normalize(%+v) = nil, want an error", e)
			}
		})
	}
}

func TestEventMatches(t *testing.T) {
	e := Event{Title: "Recovery Café", Day: "sat", Start: 60, End: 120, Place: "x", Tags: []string{"Family-friendly"}}
	if err := e.Normalize(); err != nil {
		t.Fatal(err)
	}
	for word, want := range map[string]bool{"cafe": true, "CAFÉ": true, "recov": true, "family": true,
		"family-friendly": true, "friendly": true, "ca": false, "walk": false, "": false} {
		if got := e.Matches(word); got != want {
			t.Errorf("Matches(%q) = %v, want %v", word, got, want)
		}
	}
}

func TestParseHours(t *testing.T) {
	tests := []struct {
		in   string
		want []Part
		bad  bool
	}{
		{in: "Mon-Fri 09:00-17:00", want: []Part{{Days: days(1, 2, 3, 4, 5), Spans: []Span{{540, 1020}}}}},
		{in: "Mon-Fri 09:00-17:00; Sat 10:00-12:00", want: []Part{
			{Days: days(1, 2, 3, 4, 5), Spans: []Span{{540, 1020}}}, {Days: days(6), Spans: []Span{{600, 720}}}}},
		{in: "mon,wed 09:00-12:00,13:00-17:00", want: []Part{{Days: days(1, 3), Spans: []Span{{540, 720}, {780, 1020}}}}},
		{in: "Fri-Mon 10:00-24:00", want: []Part{{Days: days(5, 6, 0, 1), Spans: []Span{{600, 1440}}}}},
		{in: "daily 08:00-09:00; BH 10:00-14:00", want: []Part{
			{Days: days(0, 1, 2, 3, 4, 5, 6), Spans: []Span{{480, 540}}}, {BankHolidays: true, Spans: []Span{{600, 840}}}}},
		{in: "", bad: true},
		{in: "Mon-Fri", bad: true},
		{in: "Mon-Fri 17:00-09:00", bad: true},
		{in: "Funday 09:00-10:00", bad: true},
		{in: "Mon 9-5", bad: true},
		{in: "Mon 24:00-24:00", bad: true},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := ParseHours(tt.in)
			if tt.bad {
				if err == nil {
					t.Fatalf("ParseHours(%q) = %+v, want an error", tt.in, got)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, got.Parts); diff != "" {
				t.Errorf("ParseHours(%q) (-want +got):\n%s", tt.in, diff)
			}
		})
	}
}

func days(ds ...time.Weekday) [7]bool {
	var out [7]bool
	for _, d := range ds {
		out[d] = true
	}
	return out
}

func TestScheduleNext(t *testing.T) {
	loc := london(t)
	at := func(m time.Month, d, h, min int) time.Time { return time.Date(2026, m, d, h, min, 0, 0, loc) }
	tests := []struct {
		name     string
		hours    string
		now      time.Time
		wantFrom time.Time
		openNow  bool
	}{
		{"open now", "Mon-Fri 09:00-17:00", at(12, 1, 10, 0), at(12, 1, 9, 0), true},
		{"evening: opens tomorrow", "Mon-Fri 09:00-17:00", at(12, 1, 20, 0), at(12, 2, 9, 0), false},
		{"friday night: opens monday", "Mon-Fri 09:00-17:00", at(12, 4, 20, 0), at(12, 7, 9, 0), false},
		{"friday night: saturday morning", "Mon-Fri 09:00-17:00; Sat 10:00-12:00", at(12, 4, 20, 0), at(12, 5, 10, 0), false},
		{"lunch gap", "Mon 09:00-12:00,13:00-17:00", at(11, 30, 12, 30), at(11, 30, 13, 0), false},
		{"christmas: bank holidays closed", "Mon-Fri 09:00-17:00", at(12, 24, 20, 0), at(12, 29, 9, 0), false},
		{"christmas: opens on the bank holiday when stated", "Mon-Fri 09:00-17:00; BH 10:00-12:00", at(12, 24, 20, 0), at(12, 25, 10, 0), false},
		{"24/7", "24/7", at(12, 25, 3, 0), at(12, 25, 0, 0), true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sch, err := ParseHours(tt.hours)
			if err != nil {
				t.Fatal(err)
			}
			from, _, ok := sch.Next(tt.now, loc)
			if !ok || !from.Equal(tt.wantFrom) {
				t.Fatalf("Next(%v) = %v, %v; want %v", tt.now, from, ok, tt.wantFrom)
			}
			if got := sch.OpenAt(tt.now, loc); got != tt.openNow {
				t.Errorf("OpenAt = %v, want %v", got, tt.openNow)
			}
		})
	}
}

func FuzzParseHours(f *testing.F) {
	for _, s := range []string{"Mon-Fri 09:00-17:00; Sat 10:00-12:00", "24/7", "bh 10:00-12:00", "fri-mon 00:00-24:00",
		"mon,,tue 09:00-10:00", "Mon 9-5", ";;", "daily 08:00-09:00,10:00-11:00"} {
		f.Add(s)
	}
	loc := london(f)
	now := time.Date(2026, 12, 24, 20, 0, 0, 0, loc)
	f.Fuzz(func(t *testing.T, s string) {
		sch, err := ParseHours(s)
		if err != nil {
			return
		}
		for _, p := range sch.Parts {
			for _, sp := range p.Spans {
				if sp.From < 0 || sp.Until > 24*60 || sp.Until <= sp.From {
					t.Fatalf("ParseHours(%q) gave span %+v", s, sp)
				}
			}
		}
		if from, until, ok := sch.Next(now, loc); ok && !until.After(from) {
			t.Fatalf("ParseHours(%q).Next: from %v until %v", s, from, until)
		}
	})
}

func TestFind(t *testing.T) {
	loc := london(t)
	now := time.Date(2026, 12, 1, 20, 0, 0, 0, loc) // Tuesday evening
	events := []Event{
		{ID: "e1", Title: "Recovery café", Day: "sat", Start: 660, End: 780, Place: "Hall"},
		{ID: "e2", Title: "Recovery walk", Day: "wed", Start: 600, End: 660, Place: "Park"},
	}
	services := []Service{
		{ID: "s1", Need: "housing", Name: "Late Housing", Hours: "Mon-Fri 13:00-17:00"},
		{ID: "s2", Need: "housing", Name: "Early Housing", Hours: "Mon-Fri 09:00-17:00"},
		{ID: "s3", Need: "food", Name: "Food bank", Hours: "Sat 10:00-12:00"},
	}
	tests := []struct {
		word string
		want []string // service names, or the event's title
		ok   bool
	}{
		{"housing", []string{"Early Housing", "Late Housing"}, true},
		{"EVICTED", []string{"Early Housing", "Late Housing"}, true},
		{"cafe", []string{"Recovery café"}, true},
		{"recovery", []string{"Recovery walk"}, true}, // both match: the sooner
		{"debt", nil, false}, // a need with no service
		{"bingo", nil, false},
	}
	for _, tt := range tests {
		t.Run(tt.word, func(t *testing.T) {
			f, ok := Find(tt.word, events, services, now, loc)
			if ok != tt.ok {
				t.Fatalf("Find(%q) ok = %v, want %v", tt.word, ok, tt.ok)
			}
			var got []string
			for _, o := range f.Openings {
				got = append(got, o.Service.Name)
			}
			if f.Event != nil {
				got = append(got, f.Event.Event.Title)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("Find(%q) (-want +got):\n%s", tt.word, diff)
			}
		})
	}
}

func TestDayWords(t *testing.T) {
	loc := london(t)
	now := time.Date(2026, 12, 1, 23, 30, 0, 0, loc)
	for at, want := range map[time.Time]string{
		time.Date(2026, 12, 1, 23, 45, 0, 0, loc): "today",
		time.Date(2026, 12, 2, 9, 0, 0, 0, loc):   "tomorrow",
		time.Date(2026, 12, 5, 9, 0, 0, 0, loc):   "Sat",
		time.Date(2026, 12, 12, 9, 0, 0, 0, loc):  "Sat 12 Dec",
	} {
		if got := DayWords(now, at, loc); got != want {
			t.Errorf("DayWords(%v) = %q, want %q", at, got, want)
		}
	}
}

func TestStore(t *testing.T) {
	rdb, line := redistest.New(t)
	s := NewStore(rdb, line)
	ctx := context.Background()
	e, err := s.AddEvent(ctx, Event{Title: "Recovery caf\u00e9 \u2019n\u2019 chat", Day: "Saturday", Start: 660, End: 780,
		Place: "St John\u2019s Hall", Tags: []string{"Family friendly"}})
	if err != nil {
		t.Fatal(err)
	}
	want := Event{ID: "e1", Title: "Recovery café 'n' chat", Day: "sat", Start: 660, End: 780, Place: "St John's Hall",
		Tags: []string{"family-friendly"}}
	if diff := cmp.Diff(want, e); diff != "" {
		t.Errorf("AddEvent (-want +got):\n%s", diff)
	}
	v, err := s.AddService(ctx, Service{Need: "Mental health", Name: "Talk", Phone: "01622 000000", Hours: "Mon 09:00-10:00"})
	if err != nil {
		t.Fatal(err)
	}
	if v.ID != "sv2" || v.Need != "mental-health" {
		t.Errorf("AddService = %+v, want id sv2 and need mental-health", v)
	}
	if _, err := s.AddService(ctx, Service{Need: "cats", Hours: "whenever"}); err == nil {
		t.Error("AddService took a service with no name, phone, a bad need and bad hours")
	}
	events, services, err := s.Both(ctx)
	if err != nil || len(events) != 1 || len(services) != 1 {
		t.Fatalf("Both = %v, %v, %v", events, services, err)
	}
	e.Place = "Hall"
	if _, err := s.PutEvent(ctx, e); err != nil {
		t.Fatal(err)
	}
	if err := s.RemoveEvent(ctx, "e1"); err != nil {
		t.Fatal(err)
	}
	if err := s.RemoveEvent(ctx, "e1"); !errors.Is(err, ErrNotFound) {
		t.Errorf("RemoveEvent twice = %v, want ErrNotFound", err)
	}
	if _, err := s.PutService(ctx, Service{ID: "s9", Need: "food", Name: "x", Phone: "111", Hours: "Mon 09:00-10:00"}); !errors.Is(err, ErrNotFound) {
		t.Errorf("PutService of a missing id = %v, want ErrNotFound", err)
	}
}

func TestRecentServesWhatItReadForAMinute(t *testing.T) {
	rdb, line := redistest.New(t)
	s := NewStore(rdb, line)
	ctx := context.Background()
	now := time.Date(2026, 12, 1, 12, 0, 0, 0, time.UTC)
	if ev, _, err := s.Recent(ctx, now); err != nil || len(ev) != 0 {
		t.Fatalf("Recent = %v, %v", ev, err)
	}
	if _, err := s.AddEvent(ctx, Event{Title: "Walk", Day: "sun", Start: 600, End: 660, Place: "Park"}); err != nil {
		t.Fatal(err)
	}
	if ev, _, _ := s.Recent(ctx, now.Add(RecentFor-time.Second)); len(ev) != 0 {
		t.Errorf("within RecentFor, Recent read Redis again: %v", ev)
	}
	if ev, _, _ := s.Recent(ctx, now.Add(RecentFor)); len(ev) != 1 {
		t.Errorf("after RecentFor, Recent = %v, want the new event", ev)
	}
}
