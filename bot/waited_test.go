package bot

import (
	"testing"
	"time"
)

func TestWaitedTextRoundsToTheNearestMinute(t *testing.T) {
	for _, tc := range []struct {
		d    time.Duration
		want string
	}{
		{0, "less than a minute"},
		{59 * time.Second, "less than a minute"},
		{time.Minute, "1 minute"},
		{89 * time.Second, "1 minute"},
		{90 * time.Second, "2 minutes"},
		{10*time.Minute + 4*time.Second, "10 minutes"},
	} {
		if got := waitedText(tc.d); got != tc.want {
			t.Errorf("waitedText(%v) = %q, want %q", tc.d, got, tc.want)
		}
	}
}
