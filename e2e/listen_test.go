package e2e

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"peerline/feedback"
	"peerline/phone"
)

// chat plays one whole chat: person texts, v accepts, v ends it with DONE; the person gets the closing
// text.
func chat(person, v *testPhone, said string) {
	person.Text(said)
	person.Expect("finding")
	v.Expect("Reply ACCEPT")
	v.Text("ACCEPT")
	v.Expect("You're connected")
	person.Expect("a peer supporter")
	v.Text("DONE")
	person.Expect("has closed this chat")
}

// entries returns everything the line kept of check-ins, feedback and debriefs, with new request codes
// blanked (they are random) but noted as present.
func entries(t *testing.T, s *testService) []feedback.Entry {
	t.Helper()
	got, err := feedback.New(s.rdb, s.line).List(context.Background(), "2000-01-01", "2999-12-31")
	if err != nil {
		t.Fatal(err)
	}
	for i := range got {
		got[i].Code = "code"
		if got[i].New != "" {
			got[i].New = "new"
		}
	}
	return got
}

// TestTheLineListens plays issue 13's first two parts through signed webhooks, the fake Twilio and real
// Redis: after DONE each person is asked, in a text of its own, whether talking helped, and a score
// with words is kept without the phone number in them; the morning check-in answered 1 is thanked and
// opens nothing, 3 and words open a request marked as a check-in reply; a bare 1 at another time is
// an ordinary text.
func TestTheLineListens(t *testing.T) {
	loc, _ := time.LoadLocation("Europe/London")
	clock := &testClock{t: time.Date(2026, 12, 25, 1, 10, 0, 0, loc)}
	s := startServiceWith(t, serviceOptions{now: clock.now, env: map[string]string{"REST_AFTER_CHAT": "0", "NIGHT_CHATS": "10"}})
	sam := s.volunteer("Sam", "+447700900101", true)
	alex := s.phone("+447700900001", phone.SMS)
	bea := s.phone("+447700900002", phone.SMS)
	cat := s.phone("+447700900003", phone.SMS)

	chat(alex, sam, "can't sleep")
	alex.Expect("Did talking help? Reply with a number from 1")
	sam.Expect("How are you? Reply OK")
	sam.Text("OK")
	sam.Expect("Thanks for letting us know")
	alex.Text("4 it helped. ring me on 07700 900123 or alex@example.com if you want")
	alex.Expect("Your words shape this line")

	clock.add(time.Minute)
	chat(bea, sam, "hello")
	bea.Expect("Did talking help?")
	clock.add(time.Minute)
	chat(cat, sam, "hi")
	cat.Expect("Did talking help?")
	cat.Text("I need to talk again") // not feedback: a new request, as any text
	cat.Expect("finding")
	sam.Expect("Reply ACCEPT")
	sam.Text("ACCEPT")
	sam.Expect("You're connected")
	cat.Expect("a peer supporter")
	sam.Text("DONE")
	cat.Expect("Did talking help?")

	clock.add(9 * time.Hour) // 10:16 on Christmas Day: the morning check-ins are due
	sweepAll(t, s)
	for _, p := range []*testPhone{alex, bea, cat} {
		p.Expect("Reply 1 if you're feeling better, 2 if about the same, or 3")
	}
	alex.Text("1")
	alex.Expect("that's good to hear. Your answer helps shape this line")
	bea.Text("3")
	bea.Expect("finding")
	offer := sam.Expect("Reply ACCEPT")
	sam.Text("ACCEPT " + code(t, offer.Body))
	if got := sam.Expect("You're connected"); !strings.Contains(got.Body, "Replied 3 to our morning check-in") {
		t.Errorf("Sam's connect text %q does not say Bea answered the check-in 3", got.Body)
	}
	cat.Text("not great, drank last night")
	cat.Expect("all with someone")
	s.settle()
	if n := s.count("+447700900101", "Someone is asking"); n != 5 { // three chats, cat again, bea's 3 and cat's words
		t.Errorf("Sam was offered %d requests, want 5 (alex's 1 opens none)", n)
	}

	clock.add(13 * time.Hour) // past the check-in's window: a bare 1 is an ordinary text
	alex.Text("1")
	alex.Expect("Thanks for texting") // a new request: Sam is with Bea, so Alex is in the queue

	want := []feedback.Entry{
		{Kind: feedback.KindDebrief, Code: "code", Day: "2026-12-25", Answer: feedback.DebriefOK},
		{Kind: feedback.KindFeedback, Code: "code", Day: "2026-12", Score: 4,
			Words: "it helped. ring me on [number] or [email] if you want"},
		{Kind: feedback.KindCheckin, Code: "code", Day: "2026-12-25", Answer: feedback.Better},
		{Kind: feedback.KindCheckin, Code: "code", Day: "2026-12-25", Answer: feedback.Struggling, New: "new"},
		{Kind: feedback.KindCheckin, Code: "code", Day: "2026-12-25", Answer: feedback.Wrote, New: "new"},
	}
	if diff := cmp.Diff(want, entries(t, s)); diff != "" {
		t.Errorf("kept (-want +got):\n%s", diff)
	}
	s.checkLogsClean(t, "ring me", "drank", "example.com")
}

// TestNoFeedbackAskAfterRiskBlockOrStop: the feedback ask never follows a chat that ended with risk
// words in it, a volunteer's BLOCK, or the person's STOP.
func TestNoFeedbackAskAfterRiskBlockOrStop(t *testing.T) {
	s := startServiceWith(t, serviceOptions{env: map[string]string{"REST_AFTER_CHAT": "0", "NIGHT_CHATS": "10"}})
	sam := s.volunteer("Sam", "+447700900101", true)
	dan := s.phone("+447700900004", phone.SMS)
	eve := s.phone("+447700900005", phone.SMS)
	fay := s.phone("+447700900006", phone.SMS)

	dan.Text("hello")
	sam.Expect("Reply ACCEPT")
	sam.Text("ACCEPT")
	dan.Expect("a peer supporter")
	dan.Text("i took all my tablets")
	dan.Expect("call 999 now")
	sam.Text("DONE")
	dan.Expect("has closed this chat")

	eve.Text("hello")
	sam.Expect("Reply ACCEPT")
	sam.Text("ACCEPT")
	eve.Expect("a peer supporter")
	sam.Text("BLOCK")
	sam.Expect("has ended")

	fay.Text("hello")
	sam.Expect("Reply ACCEPT")
	sam.Text("ACCEPT")
	fay.Expect("a peer supporter")
	fay.Text("STOP")
	sam.Expect("has stopped messages")

	for _, p := range []*testPhone{dan, eve, fay} {
		p.NeverGot("Did talking help")
	}
	if got := entries(t, s); len(got) != 0 {
		t.Errorf("kept %v, want nothing", got)
	}
}
