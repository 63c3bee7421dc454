package e2e

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"strings"
	"testing"
	"time"

	"peerline/phone"
	"peerline/rota"
	"peerline/twiliofake"
)

// TestRiskWordsReachSafetyWithinASecond plays issue 10's case through signed webhooks, the fake
// Twilio and real Redis: a person writing "i took all my tablets" gets the safety text within one
// second, the on-call coordinator is paged, and a volunteer still connects.
func TestRiskWordsReachSafetyWithinASecond(t *testing.T) {
	s := startService(t)
	sam := s.volunteer("Sam", "+447700900101", true)
	ctx := context.Background()
	kim, err := s.rota.AddVolunteer(ctx, rota.Volunteer{Name: "Kim", Phone: "+447700900104", Coordinator: true})
	if err != nil {
		t.Fatal(err)
	}
	for d := time.Sunday; d <= time.Saturday; d++ {
		if _, err := s.rota.AddShift(ctx, rota.Shift{Volunteer: kim.ID, Day: d, Start: 0, End: 24 * 60, OnCall: true}); err != nil {
			t.Fatal(err)
		}
	}
	kimPhone := s.phone(kim.Phone, phone.SMS)
	alex := s.phone("+447700900001", phone.SMS)

	start := time.Now()
	alex.Text("i took all my tablets")
	safety := alex.Expect("If you have taken something or you are in danger, call 999 now")
	if took := time.Since(start); took > time.Second {
		t.Errorf("the safety text took %v to reach Twilio; want under a second", took)
	}
	for _, want := range []string{"116 123", "NHS 111", "85258"} {
		if !strings.Contains(safety.Body, want) {
			t.Errorf("safety text %q lacks %s", safety.Body, want)
		}
	}
	page := kimPhone.Expect("URGENT")
	c := code(t, page.Body)
	offer := sam.Expect("URGENT")
	if code(t, offer.Body) != c {
		t.Fatalf("Sam's offer %q and Kim's page %q name different requests", offer.Body, page.Body)
	}
	sam.Text("ACCEPT")
	start2 := sam.Expect("You're connected")
	if !strings.Contains(start2.Body, "i took all my tablets") {
		t.Errorf("Sam's connect text %q lacks Alex's words", start2.Body)
	}
	alex.Expect("Sam, a peer supporter")
	s.checkLogsClean(t, "tablets", "+4477009")
	mac := hmac.New(sha256.New, []byte(testLogSecret))
	mac.Write([]byte(alex.number))
	if who := hex.EncodeToString(mac.Sum(nil)[:6]); !strings.Contains(s.logs.String(), `"who":"`+who+`"`) {
		t.Errorf("the logs do not follow Alex by the keyed hash of the number (%s)", who)
	}
}

// testLogSecret keys the hash of numbers in the test services' logs.
const testLogSecret = "test-log-secret-0123456789"

// TestHardNightsThroughTheWebhook plays issue 10's cases end to end: signed webhooks, the fake Twilio
// (which refuses a body over 1,600 characters as Twilio does) and real Redis.
func TestHardNightsThroughTheWebhook(t *testing.T) {
	t.Run("a 1,600-character text reaches the volunteer whole, in parts Twilio accepts", func(t *testing.T) {
		s := startService(t)
		sam := s.volunteer("Sam", "+447700900101", true)
		alex := s.phone("+447700900001", phone.SMS)
		long := strings.Repeat("i can’t sleep and my head won’t stop ", 42) // curly quotes: 1,596 characters
		long += strings.Repeat("z", 1600-len([]rune(long)))
		alex.Text(long)
		sam.Text("ACCEPT")
		alex.Expect("Sam, a peer supporter")
		alex.Text(long)
		s.settle()
		var toSam []string
		for _, m := range s.fake.Sent() {
			if m.To == sam.number {
				toSam = append(toSam, m.Body)
			}
		}
		all := strings.Join(toSam, " ")
		if n := strings.Count(all, "head won’t stop"); n != 84 {
			t.Fatalf("Sam got %d of the 84 phrases Alex wrote (twice 42)", n)
		}
		if dead, _ := s.svc.Outbox().DeadLetters(context.Background()); len(dead) != 0 {
			t.Fatalf("Twilio refused %d texts: %+v", len(dead), dead)
		}
	})
	t.Run("STOP, then START, read from Twilio's OptOutType", func(t *testing.T) {
		s := startService(t)
		sam := s.volunteer("Sam", "+447700900101", true)
		alex := s.phone("+447700900001", phone.SMS)
		alex.Text("hello")
		sam.Expect("Reply ACCEPT")
		alex.send(map[string]string{"Body": "quit", "OptOutType": "STOP"})
		alex.Text("hello?") // not answered: Twilio would not deliver
		alex.send(map[string]string{"Body": "start", "OptOutType": "START"})
		alex.Expect("Welcome back")
		if n := s.count(alex.number, "finding a peer supporter"); n != 1 {
			t.Fatalf("Alex was answered %d times as a new request; want once, before STOP", n)
		}
	})
	t.Run("HELP, a picture, and a flood", func(t *testing.T) {
		s := startServiceWith(t, serviceOptions{env: map[string]string{"RATE_LIMIT": "3"}})
		sam := s.volunteer("Sam", "+447700900101", true)
		alex := s.phone("+447700900001", phone.SMS)
		alex.Text("HELP")
		alex.Expect("peer support line")
		alex.send(map[string]string{"Body": "", "NumMedia": "1"})
		alex.Expect("finding")
		sam.Text("ACCEPT")
		sam.Expect(`They said: "(a picture)"`)
		for range 3 {
			alex.Text("one more")
		}
		alex.Expect("a lot of texts from you")
	})
}

// send posts a signed message webhook from this phone with extra form fields (such as OptOutType or
// NumMedia).
func (p *testPhone) send(fields map[string]string) {
	p.s.t.Helper()
	form := twiliofake.MessageForm(testSID, p.addr(), p.lineAddr(), fields["Body"])
	for k, v := range fields {
		form.Set(k, v)
	}
	p.post(form, http.StatusOK)
}

// TestRetentionIsASetting: a number's state, its request and what it wrote while waiting expire after
// RETENTION.
func TestRetentionIsASetting(t *testing.T) {
	s := startServiceWith(t, serviceOptions{env: map[string]string{"RETENTION": "48h"}})
	s.volunteer("Sam", "+447700900101", true)
	alex := s.phone("+447700900001", phone.SMS)
	alex.Text("hello")
	alex.Expect("finding")
	ctx := context.Background()
	code, err := s.rdb.HGet(ctx, "pl:{"+s.line+"}:bot:party:"+alex.number, "req").Result()
	if err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"bot:party:" + alex.number, "match:req:" + code, "match:req:" + code + ":said"} {
		ttl := s.rdb.TTL(ctx, "pl:{"+s.line+"}:"+k).Val()
		if ttl <= 47*time.Hour || ttl > 48*time.Hour {
			t.Errorf("%s expires in %v, want 48 hours (RETENTION)", k, ttl)
		}
	}
}
