package simulator_test

import (
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/twilio/twilio-go/client"

	"peerline/simulator"
)

const token = "simtoken1"

// service is a stand-in for peerline that checks the signature of each webhook, as the real one does.
func service(t *testing.T) (*httptest.Server, chan url.Values) {
	got := make(chan url.Values, 10)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		v := client.NewRequestValidator(token)
		if !v.ValidateBody("http://line.test"+r.URL.RequestURI(), body, r.Header.Get("X-Twilio-Signature")) {
			http.Error(w, "forbidden", http.StatusForbidden)
			return
		}
		f, _ := url.ParseQuery(string(body))
		got <- f
	}))
	t.Cleanup(srv.Close)
	return srv, got
}

func TestSendSignsAndEventsResume(t *testing.T) {
	svc, got := service(t)
	sim := simulator.New(simulator.Config{
		AccountSID: "AC0", AuthToken: token, ServiceURL: svc.URL, PublicURL: "http://line.test",
		LineNumber: "+447700900999", LineWhatsApp: "+447700900998", Phones: simulator.DemoPhones(),
	}, nil)
	page := httptest.NewServer(sim.Handler())
	defer page.Close()
	defer sim.Close()

	for _, text := range []string{"first", "second"} {
		res, err := http.PostForm(page.URL+"/simulator/send", url.Values{"from": {"+447700900002"}, "body": {text}})
		if err != nil || res.StatusCode != http.StatusNoContent {
			t.Fatalf("send %q: %v %v", text, res, err)
		}
		res.Body.Close()
		f := <-got
		if f.Get("From") != "whatsapp:+447700900002" || f.Get("To") != "whatsapp:+447700900998" || f.Get("Body") != text {
			t.Fatalf("the service got From %q To %q Body %q", f.Get("From"), f.Get("To"), f.Get("Body"))
		}
	}

	// A page that reconnects after event 0 gets event 1 next, not the whole log again.
	data := nextEventData(t, page.URL, "0")
	if !strings.Contains(data, `"id":1`) || !strings.Contains(data, `"body":"second"`) || !strings.Contains(data, `"dir":"out"`) {
		t.Fatalf("first event after Last-Event-ID 0 = %s, want id 1, Bea's second text", data)
	}
}

func TestSendRefuses(t *testing.T) {
	svc, _ := service(t)
	sim := simulator.New(simulator.Config{AccountSID: "AC0", AuthToken: token, ServiceURL: svc.URL,
		PublicURL: "http://line.test", Phones: simulator.DemoPhones()}, nil)
	page := httptest.NewServer(sim.Handler())
	defer page.Close()
	for name, form := range map[string]url.Values{
		"a number that is no number": {"from": {"+449999999999"}, "body": {"hi"}},
		"a national number":          {"from": {"07700900003"}, "body": {"hi"}},
		"an empty text":              {"from": {"+447700900001"}, "body": {"  "}},
		"a channel that is not one":  {"from": {"+447700900001"}, "body": {"hi"}, "channel": {"fax"}},
	} {
		t.Run(name+" is a bad request", func(t *testing.T) {
			res, err := http.PostForm(page.URL+"/simulator/send", form)
			if err != nil || res.StatusCode != http.StatusBadRequest {
				t.Fatalf("got %v %v, want 400", res, err)
			}
			res.Body.Close()
		})
	}
	t.Run("a text the service refuses gets the service's answer", func(t *testing.T) {
		wrong := simulator.New(simulator.Config{AccountSID: "AC0", AuthToken: "wrongtoken", ServiceURL: svc.URL,
			PublicURL: "http://line.test", Phones: simulator.DemoPhones()}, nil)
		page := httptest.NewServer(wrong.Handler())
		defer page.Close()
		res, err := http.PostForm(page.URL+"/simulator/send", url.Values{"from": {"+447700900001"}, "body": {"hi"}})
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		body, _ := io.ReadAll(res.Body)
		if res.StatusCode != http.StatusForbidden || strings.TrimSpace(string(body)) != "forbidden" {
			t.Fatalf("got %d %q, want the service's 403 forbidden", res.StatusCode, body)
		}
	})
	t.Run("a send from another site's page is forbidden", func(t *testing.T) {
		req, _ := http.NewRequest(http.MethodPost, page.URL+"/simulator/send",
			strings.NewReader(url.Values{"from": {"+447700900001"}, "body": {"hi"}}.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("Sec-Fetch-Site", "cross-site")
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		if res.StatusCode != http.StatusForbidden {
			t.Fatalf("got %d, want 403", res.StatusCode)
		}
	})
}
