package e2e

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"

	"peerline/phone"
	"peerline/twiliofake"
)

func TestStoryOverSMSAndWhatsApp(t *testing.T) {
	for _, ch := range []phone.Channel{phone.SMS, phone.WhatsApp} {
		t.Run(string(ch)+" person reaches a volunteer who accepts", func(t *testing.T) {
			s := startService(t)
			sam := s.volunteer("Sam", "+447700900101", true)
			jo := s.volunteer("Jo", "+447700900102", true)
			kim := s.volunteer("Kim", "+447700900103", true)
			s.volunteer("Lee", "+447700900104", false) // not on shift: never offered
			alex := s.phone("+447700900001", ch)

			alex.Text("can't sleep, really want a drink")
			alex.Expect("finding a peer supporter")
			offer := sam.Expect("Reply ACCEPT")
			if offer.ValidityPeriod <= 0 {
				t.Errorf("offer sent without a ValidityPeriod")
			}
			c := code(t, offer.Body)
			jo.Expect(c)
			kim.Expect(c)

			sam.Text("ACCEPT")
			start := sam.Expect(c)
			if !strings.Contains(start.Body, "can't sleep, really want a drink") {
				t.Errorf("Sam's start message %q lacks Alex's first message", start.Body)
			}
			alex.Expect("Sam")
			jo.Text("yes")
			jo.Expect("already been taken")

			alex.Text("thank you for answering")
			got := sam.Expect("thank you for answering")
			if !strings.HasPrefix(got.Body, c) {
				t.Errorf("relayed to Sam as %q, want it to start with the code %s", got.Body, c)
			}
			sam.Text("I'm here. What's keeping you up?")
			alex.Expect("Sam: I'm here. What's keeping you up?")

			sam.Text("DONE")
			alex.Expect("closed this chat")
			sam.Expect("Take 10 minutes to rest") // REST_AFTER_CHAT, 10m by default

			for _, m := range s.fake.Sent() {
				for _, n := range []string{alex.number, sam.number, jo.number, kim.number} {
					if strings.Contains(m.Body, n) {
						t.Errorf("a message body reveals a phone number: %q", m.Body)
					}
				}
			}
			s.checkLogsClean(t, "can't sleep", "thank you for answering", "keeping you up", "+4477009")
		})
	}
}

func TestNobodyOnShiftGetsFallbackAtOnce(t *testing.T) {
	s := startService(t)
	s.volunteer("Lee", "+447700900104", false)
	alex := s.phone("+447700900001", phone.SMS)
	alex.Text("is anyone there")
	fb := alex.Expect("116 123")
	for _, want := range []string{"111", "999"} {
		if !strings.Contains(fb.Body, want) {
			t.Errorf("fallback %q does not mention %s", fb.Body, want)
		}
	}
	// The next text starts a fresh request rather than waiting forever on a dead one.
	s.volunteer("Sam", "+447700900101", true)
	alex.Text("hello again")
	alex.Expect("finding a peer supporter")
}

func TestEveryonePassesGivesFallback(t *testing.T) {
	s := startService(t)
	sam := s.volunteer("Sam", "+447700900101", true)
	jo := s.volunteer("Jo", "+447700900102", true)
	alex := s.phone("+447700900001", phone.SMS)
	alex.Text("need to talk")
	alex.Expect("finding")
	c := code(t, sam.Expect("Reply ACCEPT").Body)
	jo.Expect(c)
	sam.Text("PASS")
	sam.Expect("passed")
	jo.Text("pass " + c)
	jo.Expect("passed")
	alex.Expect("116 123")
	sam.Text("ACCEPT " + c) // Sam changed his mind after the signpost: he may still take it
	sam.Expect("given other help numbers")
	alex.Expect("Sam, a peer supporter, is free to talk now")
}

func TestVolunteerCommands(t *testing.T) {
	s := startService(t)
	sam := s.volunteer("Sam", "+447700900101", true)
	jo := s.volunteer("Jo", "+447700900102", true)
	sam.Text("OFF")
	sam.Expect("Text ON")
	sam.Text("status")
	sam.Expect("OFF")
	sam.Text("what do I do")
	sam.Expect("ACCEPT")
	sam.Text("MENU")
	sam.Expect("DONE")
	sam.Text("accept")
	sam.Expect("no open request")

	alex := s.phone("+447700900001", phone.SMS)
	alex.Text("hi")
	alex.Expect("finding")
	jo.Expect("Reply ACCEPT") // Sam is OFF, so only Jo is offered
	if got := sam.all(s.fake.Sent()); strings.Contains(strings.Join(got, "\n"), "Reply ACCEPT") {
		t.Fatalf("Sam, OFF, was offered a request: %q", got)
	}
	sam.Text("ON")
	sam.Expect("You're ON")
	sam.Expect("Reply ACCEPT") // back ON, he is offered the person waiting at once
}

func TestDuplicateDeliveryActsOnce(t *testing.T) {
	s := startService(t)
	s.volunteer("Sam", "+447700900101", true)
	alex := s.phone("+447700900001", phone.SMS)
	form := alex.Text("first")
	alex.post(form, http.StatusOK) // Twilio retries the very same message
	alex.post(form, http.StatusOK)
	alex.Text("second")
	alex.Expect("finding")
	alex.Expect("we've got that")
	s.settle()
	acks := 0
	for _, m := range s.fake.Sent() {
		if m.To == alex.number && strings.Contains(m.Body, "We're finding") {
			acks++
		}
	}
	if acks != 1 {
		t.Fatalf("Alex got %d acknowledgements, want 1", acks)
	}
}

func TestForgedAndMalformedWebhooks(t *testing.T) {
	s := startService(t)
	s.volunteer("Sam", "+447700900101", true)
	alex := s.phone("+447700900001", phone.SMS)
	ctx := context.Background()
	keysBefore := s.keys(t)

	forged := s.hooks
	forged.AuthToken = "notthetoken"
	tests := []struct {
		name string
		post func() (int, error)
		want int
	}{
		{"wrong token is forbidden", func() (int, error) {
			code, _, err := forged.Post(ctx, "/twilio/messages", alex.form("let me in"))
			return code, err
		}, http.StatusForbidden},
		{"signature for another URL is forbidden", func() (int, error) {
			other := s.hooks
			other.PublicURL = "https://evil.example"
			code, _, err := other.Post(ctx, "/twilio/messages", alex.form("let me in"))
			return code, err
		}, http.StatusForbidden},
		{"missing signature is forbidden", func() (int, error) {
			res, err := http.PostForm(s.hooks.ServiceURL+"/twilio/messages", alex.form("let me in"))
			if err != nil {
				return 0, err
			}
			res.Body.Close()
			return res.StatusCode, nil
		}, http.StatusForbidden},
		{"forged status callback is forbidden", func() (int, error) {
			code, _, err := forged.Post(ctx, "/twilio/status", alex.form("x"))
			return code, err
		}, http.StatusForbidden},
		{"signed but without MessageSid is a bad request", func() (int, error) {
			f := alex.form("hi")
			f.Del("MessageSid")
			f.Del("SmsMessageSid")
			code, _, err := s.hooks.Post(ctx, "/twilio/messages", f)
			return code, err
		}, http.StatusBadRequest},
		{"signed but for another Twilio account is forbidden", func() (int, error) {
			f := alex.form("hi")
			f.Set("AccountSid", "AC99999999999999999999999999999999")
			code, _, err := s.hooks.Post(ctx, "/twilio/messages", f)
			return code, err
		}, http.StatusForbidden},
		{"signed but to a number that is no line's is not found", func() (int, error) {
			f := alex.form("hi")
			f.Set("To", "+447700900555")
			code, _, err := s.hooks.Post(ctx, "/twilio/messages", f)
			return code, err
		}, http.StatusNotFound},
		{"signed status callback for a line that does not exist is not found", func() (int, error) {
			f := url.Values{"MessageSid": {"SM0123456789abcdef0123456789abcdef"}, "MessageStatus": {"delivered"},
				"AccountSid": {testSID}}
			code, _, err := s.hooks.Post(ctx, "/twilio/status?line=nowhere", f)
			return code, err
		}, http.StatusNotFound},
		{"signed but with a nonsense From is a bad request", func() (int, error) {
			f := alex.form("hi")
			f.Set("From", "not-a-number")
			code, _, err := s.hooks.Post(ctx, "/twilio/messages", f)
			return code, err
		}, http.StatusBadRequest},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			code, err := tc.post()
			if err != nil || code != tc.want {
				t.Fatalf("got %d, %v; want %d", code, err, tc.want)
			}
		})
	}
	if after := s.keys(t); strings.Join(after, ",") != strings.Join(keysBefore, ",") {
		t.Fatalf("rejected requests changed Redis:\nbefore %v\nafter  %v", keysBefore, after)
	}
	// The secondary token (during a rotation) is accepted.
	rotated := s.hooks
	rotated.AuthToken = testToken2
	if code, _, err := rotated.Post(ctx, "/twilio/messages", alex.form("hello")); err != nil || code != http.StatusOK {
		t.Fatalf("secondary token: got %d, %v", code, err)
	}
	alex.Expect("finding")
}

func TestStatusCallbackAndHealth(t *testing.T) {
	s := startService(t)
	ctx := context.Background()
	form := url.Values{"MessageSid": {"SM0123456789abcdef0123456789abcdef"}, "MessageStatus": {"undelivered"}, "ErrorCode": {"30003"},
		"AccountSid": {testSID}}
	if code, _, err := s.hooks.Post(ctx, "/twilio/status", form); err != nil || code != http.StatusNoContent {
		t.Fatalf("status callback: %d, %v", code, err)
	}
	alex := s.phone("+447700900001", phone.SMS)
	alex.Text("hello") // the first message also loads the rota and, maybe, the commit script
	before := s.stats(t)
	alex.Text("are you there")
	bo := s.phone("+447700900002", phone.SMS)
	bo.Text("hi")
	after := s.stats(t)
	// Two messages outside a chat, each one pipelined read and one commit: 4 round trips.
	if msgs, rts := after["inbound_messages"]-before["inbound_messages"], after["redis_round_trips"]-before["redis_round_trips"]; msgs != 2 || rts != 4 {
		t.Fatalf("%d messages took %d round trips, want 2 messages in 4", msgs, rts)
	}
	for _, path := range []string{"/healthz", "/readyz"} {
		res, err := http.Get(s.hooks.ServiceURL + path)
		if err != nil || res.StatusCode != http.StatusOK {
			t.Fatalf("GET %s: %v %v", path, res, err)
		}
		res.Body.Close()
	}
}

func (p *testPhone) form(body string) url.Values {
	return twiliofake.MessageForm(testSID, p.addr(), p.lineAddr(), body)
}

func (s *testService) keys(t *testing.T) []string {
	t.Helper()
	keys, err := s.rdb.Keys(context.Background(), "pl:{"+s.line+"}:*").Result()
	if err != nil {
		t.Fatal(err)
	}
	slices.Sort(keys)
	return keys
}

// checkLogsClean fails if any log line holds one of the given numbers or texts.
func (s *testService) checkLogsClean(t *testing.T, secrets ...string) {
	t.Helper()
	logs := s.logs.String()
	if !strings.Contains(logs, "request accepted") {
		t.Fatalf("the log is missing the events it should have; captured:\n%s", logs)
	}
	for _, secret := range secrets {
		if strings.Contains(logs, secret) {
			t.Errorf("logs contain %q", secret)
		}
	}
}

func TestPersonOptsOutDuringChat(t *testing.T) {
	s := startServiceWith(t, serviceOptions{env: map[string]string{"REST_AFTER_CHAT": "0"}}) // Sam is offered the next at once
	sam := s.volunteer("Sam", "+447700900101", true)
	alex := s.phone("+447700900001", phone.SMS)
	alex.Text("hello")
	c := code(t, sam.Expect("Reply ACCEPT").Body)
	sam.Text("accept " + c)
	sam.Expect("You're connected")
	sam.Text("ACCEPT") // already in a chat: not relayed, Sam is told
	sam.Expect("You're in chat " + c)
	alex.Text("STOP")
	sam.Expect("stopped messages")
	// Sam is free again: a new person reaches Sam.
	bo := s.phone("+447700900002", phone.SMS)
	bo.Text("anyone?")
	sam.Expect("Reply ACCEPT")
	alex.NeverGot("ACCEPT") // Sam's ACCEPT during the chat was not relayed
}

func TestPersonWritesWhileWaiting(t *testing.T) {
	s := startService(t)
	sam := s.volunteer("Sam", "+447700900101", true)
	alex := s.phone("+447700900001", phone.SMS)
	alex.Text("hello")
	alex.Expect("finding")
	alex.Text("it's getting worse")
	alex.Expect("we've got that")
	alex.Text("are you there?") // told once that the texts are kept: not again
	sam.Text("yes")
	start := sam.Expect("You're connected")
	for _, said := range []string{"hello", "it's getting worse", "are you there?"} {
		if !strings.Contains(start.Body, said) {
			t.Fatalf("start message %q should carry every text Alex sent while waiting (%q)", start.Body, said)
		}
	}
	if n := s.count(alex.number, "we've got that"); n != 1 {
		t.Fatalf("Alex was told %d times that the texts are kept, want once", n)
	}
}

// TestMessagesInAChatTakeOneRoundTrip: after a chat's first message from each side, the line decides
// from remembered state and commits in one Redis round trip.
func TestMessagesInAChatTakeOneRoundTrip(t *testing.T) {
	s := startService(t)
	sam := s.volunteer("Sam", "+447700900101", true)
	alex := s.phone("+447700900001", phone.SMS)
	alex.Text("hello")
	sam.Text("ACCEPT")
	alex.Text("first message in the chat") // read, then commit: 2 round trips, and remembered
	sam.Expect("first message in the chat")
	before := s.stats(t)
	for i := range 5 {
		alex.Text(fmt.Sprintf("message %d", i))
		sam.Expect(fmt.Sprintf("message %d", i))
	}
	after := s.stats(t)
	if msgs, rts := after["inbound_messages"]-before["inbound_messages"], after["redis_round_trips"]-before["redis_round_trips"]; msgs != 5 || rts != 5 {
		t.Fatalf("%d messages in a chat took %d Redis round trips, want 1 each", msgs, rts)
	}
	sam.Text("DONE") // the remembered state is now stale: the next text must not reach Sam
	sam.Expect("closed")
	alex.Text("are you still there?")
	alex.Expect("finding a peer supporter")
}

func (s *testService) stats(t *testing.T) map[string]int64 {
	t.Helper()
	res, err := http.Get(s.hooks.ServiceURL + "/debug/stats")
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	var st map[string]int64
	if err := json.NewDecoder(res.Body).Decode(&st); err != nil {
		t.Fatal(err)
	}
	return st
}
