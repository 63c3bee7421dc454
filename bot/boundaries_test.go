package bot_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"peerline/bot"
	"peerline/rota"
)

func TestARateLimitAnswersOnceAndDropsTheFlood(t *testing.T) {
	f := newFixture(t, func(o *bot.Options) { o.RateLimit = 5 })
	f.volunteer("Sam", sam)
	f.text(alex, "hello")
	f.text(sam, "ACCEPT")
	f.queued()
	for i := range 8 { // 1 already this minute, so 4 more pass, then 4 over
		f.text(alex, fmt.Sprintf("text %d", i))
	}
	got := f.queued()
	if n := strings.Count(strings.Join(got, "\n"), sam+": "); n != 4 {
		t.Fatalf("Sam got %d of the flood, want 4: %q", n, got)
	}
	if n := strings.Count(strings.Join(got, "\n"), alex+": We've had a lot of texts"); n != 1 {
		t.Fatalf("Alex was told %d times to slow down, want once: %q", n, got)
	}
	f.text(alex, "I want to end it all") // still over: risk words still get the safety text
	f.expect("safety", alex+": If you have taken something or you are in danger")
	f.clock.add(time.Minute)
	f.text(alex, "sorry")
	f.expect("a new minute: passed on", sam+": sorry")
}

func TestBlockEndsTheChatAndKeepsThePersonFromVolunteers(t *testing.T) {
	f := newFixture(t)
	f.volunteer("Sam", sam)
	f.text(alex, "hello")
	f.text(sam, "ACCEPT")
	code := f.codeOf(alex)
	f.queued()
	f.text(sam, "BLOCK")
	got := f.expect("ended", alex+": This chat has ended", sam+": won't reach volunteers for 7 days", sam+": How are you?")
	if has(got, alex, "BLOCK") || has(got, alex, "block") {
		t.Fatalf("queued %q; the person is not told they are blocked", got)
	}
	f.text(alex, "hello?")
	f.text(alex, "anyone?")
	got = f.queued()
	if strings.Count(strings.Join(got, "\n"), alex+": Thanks for your message") != 1 || has(got, sam, "") {
		t.Fatalf("queued %q; want one neutral answer a day, nothing to volunteers", got)
	}
	f.text(alex, "im going to kill myself")
	f.expect("risk words still get the safety text", alex+": If you have taken something or you are in danger")

	l := bot.NewBlockList(f.rdb, f.line())
	blocks, err := l.List(context.Background(), f.clock.now())
	if err != nil || len(blocks) != 1 || blocks[0].Code != code || blocks[0].Volunteer != "v1" ||
		strings.Contains(blocks[0].Masked, "77009000") {
		t.Fatalf("blocks %+v, %v", blocks, err)
	}
	if err := l.Lift(context.Background(), blocks[0].Number); err != nil {
		t.Fatal(err)
	}
	f.text(alex, "can we talk")
	f.expect("lifted: a request again", alex+": finding", sam+": Reply ACCEPT")
}

func TestRepeatContactTellsTheCoordinatorOnce(t *testing.T) {
	f := newFixture(t, func(o *bot.Options) { o.RepeatContacts = 3 })
	f.volunteer("Sam", sam)
	f.add(rota.Volunteer{Name: "Kim", Phone: kim, Coordinator: true}, true)
	for i := range 4 {
		f.text(alex, fmt.Sprintf("hello %d", i))
		f.text(alex, "STOP") // ends the request; START lets Alex text again
		f.text(alex, "START")
		f.clock.add(time.Hour)
	}
	got := f.queued()
	if n := strings.Count(strings.Join(got, "\n"), kim+": peerline: the person in"); n != 1 {
		t.Fatalf("Kim heard %d times, want once at the third request: %q", n, got)
	}
}

func TestAQuietChatClosesItself(t *testing.T) {
	f := newFixture(t)
	f.volunteer("Sam", sam)
	f.text(alex, "hello")
	f.text(sam, "ACCEPT")
	f.clock.add(90 * time.Minute)
	f.text(alex, "still there?")
	f.clock.add(90 * time.Minute) // two hours after the last text, but not three after the start
	f.sweep()
	if got := f.queued(); has(got, alex, "closed") {
		t.Fatalf("queued %q; closed before two quiet hours", got)
	}
	f.clock.add(31 * time.Minute)
	f.sweep()
	f.expect("closed kindly on both sides", alex+": Your chat with Sam has closed", sam+": has closed as it's been quiet")
	f.text(sam, "are you ok?")
	f.expect("Sam is free again: his text gets the menu", sam+": peerline: ACCEPT")
}
