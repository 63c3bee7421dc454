package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/twilio/twilio-go/client"

	"peerline/simulator"
)

// line is a stand-in for peerline's message webhook: it checks the signature against PUBLIC_URL
// https://line.example.org and token, and passes on each form it took. With a simToken it also runs
// the phone simulator, signing with simToken, under /simulator/ (as the service does in local trial mode).
type line struct {
	srv       *httptest.Server
	got       chan url.Values
	simulator *simulator.Simulator // nil unless it runs one
}

func newLine(t *testing.T, token, simToken string) *line {
	t.Helper()
	l := &line{got: make(chan url.Values, 10)}
	mux := http.NewServeMux()
	mux.HandleFunc("POST /twilio/messages", func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		v := client.NewRequestValidator(token)
		if !v.ValidateBody("https://line.example.org"+r.URL.RequestURI(), body, r.Header.Get("X-Twilio-Signature")) {
			http.Error(w, "forbidden", http.StatusForbidden)
			return
		}
		f, _ := url.ParseQuery(string(body))
		l.got <- f
	})
	l.srv = httptest.NewServer(mux)
	t.Cleanup(l.srv.Close)
	if simToken != "" {
		l.simulator = simulator.New(simulator.Config{AccountSID: "AC0", AuthToken: simToken, ServiceURL: l.srv.URL,
			PublicURL: "https://line.example.org", LineNumber: "+447700900999", LineWhatsApp: "+447700900998",
			Phones: simulator.DemoPhones()}, nil)
		mux.Handle("/simulator/", l.simulator.Handler())
		t.Cleanup(l.simulator.Close)
	}
	return l
}

func TestSendsAsAPhone(t *testing.T) {
	tests := []struct {
		name      string
		env       map[string]string
		token     string // the service's
		simToken  string // the token its simulator signs with; "" for a service without one
		args      []string
		wantOut   string
		wantErr   string // "" for none
		wantFrom  string // the From the service got, "" for none
		wantPhone *simulator.Phone
	}{
		{
			name:  "with a Twilio account, a webhook signed here goes straight to the service",
			env:   map[string]string{"TWILIO_ACCOUNT_SID": "AC123", "TWILIO_AUTH_TOKEN": "realtoken"},
			token: "realtoken", simToken: "localdevtoken",
			args:    []string{"-from", "07700 900001", "-whatsapp", "can't", "sleep"},
			wantOut: "200 OK\n", wantFrom: "whatsapp:+447700900001",
		},
		{
			name:    "in local trial mode without a simulator on the service, a webhook signed here",
			token:   "localdevtoken",
			args:    []string{"-from", "07700 900001", "can't", "sleep"},
			wantOut: "200 OK\n", wantFrom: "+447700900001",
		},
		{
			name:  "in local trial mode, through the simulator: a new number's text is its own on a new card",
			token: "localdevtoken", simToken: "localdevtoken",
			args:    []string{"-from", "07700 900003", "can't", "sleep"},
			wantOut: "200 OK\n", wantFrom: "+447700900003",
			wantPhone: &simulator.Phone{Name: "+447700900003", Number: "+447700900003", Channel: "sms", Role: "other"},
		},
		{
			name:  "in local trial mode, through the simulator by WhatsApp",
			token: "localdevtoken", simToken: "localdevtoken",
			args:    []string{"-from", "+44 7700 900004", "-whatsapp", "can't", "sleep"},
			wantOut: "200 OK\n", wantFrom: "whatsapp:+447700900004",
			wantPhone: &simulator.Phone{Name: "+447700900004", Number: "+447700900004", Channel: "whatsapp", Role: "other"},
		},
		{
			name:  "a refusal by the service prints as it does without the simulator",
			token: "othertoken", simToken: "localdevtoken",
			args:    []string{"-from", "07700 900001", "hi"},
			wantOut: "403 Forbidden\n", wantErr: "the service answered 403: forbidden",
		},
		{
			name:    "a refusal without the simulator",
			token:   "othertoken",
			args:    []string{"-from", "07700 900001", "hi"},
			wantOut: "403 Forbidden\n", wantErr: "the service answered 403: forbidden",
		},
		{
			name:  "an SMS too long for Twilio is refused with words that say so",
			token: "localdevtoken", simToken: "localdevtoken",
			args:    []string{"-from", "07700 900001", strings.Repeat("🙂", 801)},
			wantOut: "400 Bad Request\n",
			wantErr: "the service answered 400: too long: an SMS holds up to 1,600 characters (an emoji counts as 2), and this one has 1,602",
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			l := newLine(t, tc.token, tc.simToken)
			env := map[string]string{"PUBLIC_URL": "https://line.example.org"}
			for k, v := range tc.env {
				env[k] = v
			}
			var out bytes.Buffer
			args := append([]string{"text", "-env", "", "-url", l.srv.URL + "/"}, tc.args...)
			err := run(context.Background(), args, func(k string) string { return env[k] }, &out)
			if (err == nil) != (tc.wantErr == "") || (err != nil && err.Error() != tc.wantErr) {
				t.Fatalf("run: %v, want error %q", err, tc.wantErr)
			}
			if out.String() != tc.wantOut {
				t.Errorf("printed %q, want %q", out.String(), tc.wantOut)
			}
			if tc.wantFrom != "" {
				if f := <-l.got; f.Get("From") != tc.wantFrom || f.Get("Body") != "can't sleep" {
					t.Errorf("the service got From %q Body %q, want From %q", f.Get("From"), f.Get("Body"), tc.wantFrom)
				}
			}
			if tc.wantPhone != nil {
				if diff := cmp.Diff(*tc.wantPhone, lastPhone(t, l.srv.URL)); diff != "" {
					t.Errorf("the simulator's last phone (-want +got):\n%s", diff)
				}
				if data := firstEvent(t, l.srv.URL); !strings.Contains(data, `"dir":"out"`) || !strings.Contains(data, `"phone":"`+tc.wantPhone.Number+`"`) {
					t.Errorf("the page's first text is %s, want the sender's own", data)
				}
			}
		})
	}
}

func TestNeedsANumberAndAMessage(t *testing.T) {
	var out bytes.Buffer
	if err := run(context.Background(), []string{"text", "-env", ""}, func(string) string { return "" }, &out); err == nil {
		t.Fatal("no -from and no message: want an error")
	}
}

// lastPhone returns the last phone the simulator's page at base shows.
func lastPhone(t *testing.T, base string) simulator.Phone {
	t.Helper()
	res, err := http.Get(base + "/simulator/phones")
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	var phones []simulator.Phone
	if err := json.NewDecoder(res.Body).Decode(&phones); err != nil || len(phones) == 0 {
		t.Fatalf("phones %v, %v", phones, err)
	}
	return phones[len(phones)-1]
}

// firstEvent returns the data of the first text the simulator's page at base gets.
func firstEvent(t *testing.T, base string) string {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, base+"/simulator/events", nil)
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
	t.Fatal("the event stream ended without a text")
	return ""
}
