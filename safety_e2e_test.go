package main

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"strings"
	"testing"
	"time"

	"peerline/phone"
	"peerline/rota"
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
	safety := alex.Expect("If you are in danger now, call 999")
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
