package simulator_test

import (
	"bufio"
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"peerline/outbox"
	"peerline/phone"
	"peerline/simulator"
)

// firstEvent returns the first text the page at pageURL shows.
func firstEvent(t *testing.T, pageURL string) (body string, ch phone.Channel) {
	t.Helper()
	data := nextEventData(t, pageURL, "")
	var e struct {
		Body    string        `json:"body"`
		Channel phone.Channel `json:"channel"`
		Dir     string        `json:"dir"`
	}
	if err := json.Unmarshal([]byte(data), &e); err != nil || e.Dir != "in" {
		t.Fatalf("event %s (%v), want a text to a phone", data, err)
	}
	return e.Body, e.Channel
}

// nextEventData returns the data of the first event the page's event stream sends to a page that last
// saw event lastID ("" for a new page).
func nextEventData(t *testing.T, pageURL, lastID string) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, pageURL+"/simulator/events", nil)
	if lastID != "" {
		req.Header.Set("Last-Event-ID", lastID)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	sc := bufio.NewScanner(res.Body)
	for sc.Scan() {
		if data, ok := strings.CutPrefix(sc.Text(), "data: "); ok {
			return data
		}
	}
	t.Fatal("the event stream ended without an event")
	return ""
}

func TestShowsWhatTheLineSent(t *testing.T) {
	tests := []struct {
		name string
		msg  outbox.Message
		want string
	}{
		{
			name: "WhatsApp template shown by its SID and variables",
			msg: outbox.Message{To: "+447700900002", Channel: phone.WhatsApp, Body: "not sent to Twilio",
				ContentSID: "HX0123456789abcdef0123456789abcdef", ContentVariables: `{"1":"R7K2"}`},
			want: `[WhatsApp template HX0123456789abcdef0123456789abcdef] {"1":"R7K2"}`,
		},
		{
			name: "template without variables shown by its SID",
			msg:  outbox.Message{To: "+447700900002", Channel: phone.WhatsApp, ContentSID: "HXffff"},
			want: `[WhatsApp template HXffff]`,
		},
		{
			name: "plain text shown as sent",
			msg:  outbox.Message{To: "+447700900101", Channel: phone.SMS, Body: "someone is asking"},
			want: "someone is asking",
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			sim := simulator.New(simulator.Config{AccountSID: "AC0", AuthToken: token, ServiceURL: "http://127.0.0.1:1",
				PublicURL: "http://line.test", LineNumber: "+447700900999", LineWhatsApp: "+447700900998", Phones: simulator.DemoPhones()}, nil)
			page := httptest.NewServer(sim.Handler())
			defer page.Close()
			defer sim.Close()
			sender, err := outbox.NewTwilio(outbox.TwilioConfig{AccountSID: "AC0", AuthToken: token, From: "+447700900999",
				WhatsAppFrom: "+447700900998", BaseURL: page.URL + "/simulator/twilio"})
			if err != nil {
				t.Fatal(err)
			}
			if sid, err := sender.Send(context.Background(), tc.msg); err != nil || !strings.HasPrefix(sid, "SM") {
				t.Fatalf("Send = %q, %v; want a message SID", sid, err)
			}
			if body, ch := firstEvent(t, page.URL); body != tc.want || ch != tc.msg.Channel {
				t.Fatalf("the page shows %q on %s, want %q on %s", body, ch, tc.want, tc.msg.Channel)
			}
		})
	}
}
