package night

import (
	"strings"
	"testing"
	"time"
)

func TestUncovered(t *testing.T) {
	at := func(s int) time.Time { return time.Unix(int64(s), 0) }
	spans := []span{{at(10), at(20)}, {at(15), at(30)}, {at(40), at(50)}}
	for _, c := range []struct {
		name string
		a, b int
		want bool
	}{
		{"free before the first chat", 5, 12, true},
		{"busy throughout overlapping chats", 10, 29, false},
		{"free the moment a chat ends", 25, 30, true},
		{"free between chats", 29, 45, true},
		{"busy at a single moment", 45, 45, false},
		{"free at a single moment", 30, 30, true},
		{"free after the last chat", 49, 60, true},
	} {
		if _, got := uncovered(spans, at(c.a), at(c.b)); got != c.want {
			t.Errorf("%s: uncovered from %d to %d = %v, want %v", c.name, c.a, c.b, got, c.want)
		}
	}
	if first, _ := uncovered(spans, at(12), at(45)); !first.Equal(at(30)) {
		t.Errorf("first free moment from 12 to 45 is %v, want 30", first.Unix())
	}
}

func TestDurationsAndSpread(t *testing.T) {
	var ds []time.Duration
	for i := 1; i <= 10; i++ {
		ds = append(ds, time.Duration(i)*time.Second)
	}
	if got, want := durations(ds), (Durations{5 * time.Second, 9 * time.Second, 10 * time.Second}); got != want {
		t.Errorf("durations of 1s..10s = %+v, want %+v", got, want)
	}
	if got, want := spread([]int{1, 2, 6}), (Spread{3, 6}); got != want {
		t.Errorf("spread = %+v, want %+v", got, want)
	}
	if got := durations(nil); got != (Durations{}) {
		t.Errorf("durations of nothing = %+v", got)
	}
}

func TestValidateReportsEveryBadOption(t *testing.T) {
	o := Defaults()
	o.Accept, o.OfferTimeout, o.Volunteers = 0.9, 10*time.Second, -1
	err := o.Validate()
	if err == nil {
		t.Fatal("bad options accepted")
	}
	for _, want := range []string{"accept 0.9", "offer-timeout 10s", "volunteers -1"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not mention %q", err, want)
		}
	}
	if err := Defaults().Validate(); err != nil {
		t.Errorf("defaults refused: %v", err)
	}
}

func TestRangeFlag(t *testing.T) {
	var r Range
	if err := r.Set("5s-60s"); err != nil || r != (Range{5 * time.Second, time.Minute}) {
		t.Errorf("Set(5s-60s) = %+v, %v", r, err)
	}
	if err := r.Set("2m"); err != nil || r != (Range{2 * time.Minute, 2 * time.Minute}) {
		t.Errorf("Set(2m) = %+v, %v", r, err)
	}
	if err := r.Set("soon-later"); err == nil {
		t.Error("Set(soon-later) accepted")
	}
}
