package bot

import (
	"context"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/sirupsen/logrus"

	"peerline/matcher"
	"peerline/outbox"
	"peerline/phone"
	"peerline/redistest"
	"peerline/risk"
	"peerline/rota"
	"peerline/templates"
)

// TestAMessageThatCannotBeAppliedIsAnsweredNotFailed: when the state a message depends on keeps
// changing (here: no tries at all), the sender is asked to send it again and Handle reports success,
// so the webhook answers 200 and Twilio does not send its fallback text to a volunteer. A repeated
// delivery is not answered twice.
func TestAMessageThatCannotBeAppliedIsAnsweredNotFailed(t *testing.T) {
	ctx := context.Background()
	rdb, line := redistest.New(t)
	loc, _ := time.LoadLocation("Europe/London")
	tmpl, err := templates.Load("")
	if err != nil {
		t.Fatal(err)
	}
	words, err := risk.Load("")
	if err != nil {
		t.Fatal(err)
	}
	log := logrus.New()
	log.SetOutput(io.Discard)
	now := func() time.Time { return time.Date(2026, 12, 25, 1, 0, 0, 0, loc) }
	box := outbox.New(rdb, line, nil, log, now, outbox.Options{})
	store := rota.NewStore(rdb, line, loc)
	if _, err := store.AddVolunteer(ctx, rota.Volunteer{Name: "Sam", Phone: "+447700900101"}); err != nil {
		t.Fatal(err)
	}
	if _, err := store.Load(ctx); err != nil {
		t.Fatal(err)
	}
	bt := New(log, rdb, line, store, matcher.New(rdb, line), box, tmpl, words, now, Options{})
	bt.retries = 0
	for _, tc := range []struct{ from, want string }{
		{"+447700900001", "Please text again"},
		{"+447700900101", "Please send it again"},
	} {
		in := Inbound{MessageSID: "SM" + tc.from[1:], From: tc.from, Channel: phone.SMS, Body: "ACCEPT"}
		for range 2 { // Twilio delivers it twice
			if err := bt.Handle(ctx, in); err != nil {
				t.Fatalf("Handle = %v, want the sender answered and no error", err)
			}
		}
	}
	msgs, err := QueuedEntries(ctx, rdb, box)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, m := range msgs {
		got = append(got, m.Values["to"].(string)+": "+m.Values["body"].(string))
	}
	if len(got) != 2 || !strings.Contains(got[0], "Please text again") || !strings.Contains(got[1], "Please send it again") {
		t.Fatalf("queued %q; want one apology to each sender, the person's and the volunteer's own", got)
	}
}
