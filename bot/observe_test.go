package bot_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"peerline/bot"
	"peerline/phone"
	"peerline/twiliofake"
)

// recorder is an Observer that keeps what it heard.
type recorder struct {
	mu        sync.Mutex
	handled   []string
	steps     []string
	connected []time.Duration
	late      []string // "kind lateness"
}

func (r *recorder) Handled(kind string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.handled = append(r.handled, kind)
}
func (r *recorder) Escalated(step string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.steps = append(r.steps, step)
}
func (r *recorder) Connected(d time.Duration) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.connected = append(r.connected, d)
}
func (r *recorder) DueLate(kind string, d time.Duration) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.late = append(r.late, kind+" "+d.String())
}

func TestObserverHearsKindsStepsAndWaits(t *testing.T) {
	f := newFixture(t)
	rec := &recorder{}
	f.bots[0].Observe(rec)
	ctx := context.Background()
	f.volunteer("Sam", sam)
	in := bot.Inbound{MessageSID: twiliofake.NewSID("SM"), From: alex, Channel: phone.SMS, Body: "can't sleep"}
	for range 2 { // Twilio delivers it twice
		if err := f.bots[0].Handle(ctx, in); err != nil {
			t.Fatal(err)
		}
	}
	f.clock.add(4 * time.Minute) // the widening was due a minute ago
	if _, err := f.bots[0].RunDue(ctx); err != nil {
		t.Fatal(err)
	}
	f.clock.add(time.Minute)
	f.text(sam, "ACCEPT")
	f.text(alex, "thanks for answering")
	f.text(sam, "glad you texted")
	f.text(bea, "thinking about suicide tonight")
	f.text(bea, "hello?")
	f.clock.add(20 * time.Minute) // nobody takes Bea's: she is signposted
	if _, err := f.bots[0].RunDue(ctx); err != nil {
		t.Fatal(err)
	}

	want := recorder{
		handled: []string{bot.KindNewRequest, bot.KindDuplicate, bot.KindCommand, bot.KindRelay, bot.KindRelay,
			bot.KindRisk, bot.KindPerson},
		steps:     []string{bot.StepWiden, bot.StepWiden, bot.StepGiveUp},
		connected: []time.Duration{5 * time.Minute},
		late:      []string{"widen 1m0s", "widen 17m0s", "page 10m0s", "giveup 0s"}, // nobody on call: the page does nothing
	}
	for _, c := range []struct {
		name      string
		want, got any
	}{
		{"handled", want.handled, rec.handled}, {"steps", want.steps, rec.steps},
		{"connected", want.connected, rec.connected}, {"late", want.late, rec.late},
	} {
		if diff := cmp.Diff(c.want, c.got); diff != "" {
			t.Errorf("%s (-want +got):\n%s", c.name, diff)
		}
	}
}
