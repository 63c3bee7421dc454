package simulator_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"peerline/outbox"
	"peerline/phone"
	"peerline/simulator"
)

// lineTexts sends a text from the line to number through the simulator's Messages.json, as the
// service's outbox does.
func lineTexts(t *testing.T, pageURL, number, body string) {
	t.Helper()
	sender, err := outbox.NewTwilio(outbox.TwilioConfig{AccountSID: "AC0", AuthToken: token, From: "+447700900999",
		WhatsAppFrom: "+447700900998", BaseURL: pageURL + "/simulator/twilio"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := sender.Send(context.Background(), outbox.Message{To: number, Channel: phone.SMS, Body: body}); err != nil {
		t.Fatalf("the line's text to the simulator: %v", err)
	}
}

// clock is a clock that moves on a second each time it is read.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(time.Second)
	return c.t
}

// TestTextsAreDatedInOrder: every text the page gets carries the time the simulator saw it, and the
// page gets them in the order they happened, both ways.
func TestTextsAreDatedInOrder(t *testing.T) {
	svc, got := service(t)
	start := time.Date(2026, 12, 1, 22, 59, 58, 0, time.UTC)
	c := &clock{t: start}
	sim := simulator.New(simulator.Config{AccountSID: "AC0", AuthToken: token, ServiceURL: svc.URL,
		PublicURL: "http://line.test", LineNumber: "+447700900999", LineWhatsApp: "+447700900998",
		Phones: simulator.DemoPhones(), Now: c.now}, nil)
	page := httptest.NewServer(sim.Handler())
	defer page.Close()
	defer sim.Close()

	send(t, page.URL, url.Values{"from": {alex.Number}, "body": {"can't sleep"}}, http.StatusNoContent)
	<-got
	lineTexts(t, page.URL, alex.Number, "finding a peer supporter")
	send(t, page.URL, url.Values{"from": {"+447700900003"}, "body": {"me too"}}, http.StatusNoContent)
	<-got

	type text struct {
		ID         int
		Phone, Dir string
		Body       string
		At         time.Time
	}
	want := []text{
		{ID: 0, Phone: alex.Number, Dir: "out", Body: "can't sleep", At: start.Add(1 * time.Second)},
		{ID: 1, Phone: alex.Number, Dir: "in", Body: "finding a peer supporter", At: start.Add(2 * time.Second)},
		{ID: 2, Phone: "+447700900003", Dir: "out", Body: "me too", At: start.Add(3 * time.Second)},
	}
	var texts []text
	last := ""
	for range want {
		var e text
		if err := json.Unmarshal([]byte(nextEventData(t, page.URL, last)), &e); err != nil {
			t.Fatal(err)
		}
		texts = append(texts, e)
		last = strconv.Itoa(e.ID)
	}
	if diff := cmp.Diff(want, texts); diff != "" {
		t.Errorf("texts on the page (-want +got):\n%s", diff)
	}
}

// TestSendCountsCharactersAsTwilioDoes: an SMS holds 1,600 UTF-16 code units (an emoji is two, a
// curly quote one), a WhatsApp message 4,096 characters; a longer one is refused with words that say so.
func TestSendCountsCharactersAsTwilioDoes(t *testing.T) {
	svc, got := service(t)
	sim := simulator.New(simulator.Config{AccountSID: "AC0", AuthToken: token, ServiceURL: svc.URL,
		PublicURL: "http://line.test", LineNumber: "+447700900999", LineWhatsApp: "+447700900998",
		Phones: simulator.DemoPhones()}, nil)
	page := httptest.NewServer(sim.Handler())
	defer page.Close()
	defer sim.Close()
	tests := []struct {
		name    string
		channel string
		body    string
		refused string // what the refusal says, "" if the text goes
	}{
		{name: "500 emoji by SMS go", channel: "sms", body: strings.Repeat("🙂", 500)},
		{name: "800 emoji by SMS go", channel: "sms", body: strings.Repeat("🙂", 800)},
		{name: "1,600 curly quotes by SMS go", channel: "sms", body: strings.Repeat("’", 1600)},
		{name: "1,600 letters by SMS go", channel: "sms", body: strings.Repeat("a", 1600)},
		{name: "1,601 letters by SMS are refused", channel: "sms", body: strings.Repeat("a", 1601),
			refused: "too long: an SMS holds up to 1,600 characters (an emoji counts as 2), and this one has 1,601"},
		{name: "801 emoji by SMS are refused", channel: "sms", body: strings.Repeat("🙂", 801),
			refused: "too long: an SMS holds up to 1,600 characters (an emoji counts as 2), and this one has 1,602"},
		{name: "2,000 emoji by WhatsApp go", channel: "whatsapp", body: strings.Repeat("🙂", 2000)},
		{name: "4,096 characters by WhatsApp go", channel: "whatsapp", body: strings.Repeat("é", 4096)},
		{name: "4,097 characters by WhatsApp are refused", channel: "whatsapp", body: strings.Repeat("a", 4097),
			refused: "too long: a WhatsApp message holds up to 4,096 characters, and this one has 4,097"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			form := url.Values{"from": {bea.Number}, "channel": {tc.channel}, "body": {tc.body}}
			if tc.refused != "" {
				if answer := send(t, page.URL, form, http.StatusBadRequest); strings.TrimSpace(answer) != tc.refused {
					t.Fatalf("refused with %q, want %q", answer, tc.refused)
				}
				return
			}
			send(t, page.URL, form, http.StatusNoContent)
			if f := <-got; f.Get("Body") != tc.body {
				t.Fatalf("the service got a body of %d bytes, want %d", len(f.Get("Body")), len(tc.body))
			}
		})
	}
}
