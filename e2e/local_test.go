package e2e

import (
	"bufio"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"peerline/redistest"
	"peerline/rota"
	"peerline/service"
	"peerline/simulator"
	"peerline/twiliofake"
)

// localService is the service started in local trial mode: no Twilio account, the phone simulator
// playing Twilio.
type localService struct {
	addr, simURL string
	rota         *rota.Store
	stop         func() error // stops the service and returns what service.Run returned
}

func startLocal(t *testing.T) localService {
	t.Helper()
	rdb, line := redistest.New(t)
	env := map[string]string{"PORT": "0", "LISTEN_HOST": "127.0.0.1", "REDIS_URL": redistest.URL(t), "LINE_ID": line}
	ctx, cancel := context.WithCancel(context.Background())
	out, outW := io.Pipe()
	logs := &lockedBuffer{}
	done := make(chan error, 1)
	go func() {
		done <- service.Run(ctx, []string{"peerline", "-env", ""}, func(k string) string { return env[k] }, outW, logs)
		outW.Close()
	}()
	var once sync.Once
	var runErr error
	stop := func() error {
		once.Do(func() { cancel(); runErr = <-done })
		return runErr
	}
	t.Cleanup(func() {
		if err := stop(); err != nil {
			t.Errorf("run returned %v", err)
		}
		if strings.Contains(logs.String(), "4477009") {
			t.Errorf("a phone number reached the logs:\n%s", logs)
		}
	})
	found := make(chan localService, 1)
	go func() {
		s := localService{stop: stop}
		sc := bufio.NewScanner(out)
		for sc.Scan() {
			l := sc.Text()
			if a, ok := strings.CutPrefix(l, "phone simulator: "); ok {
				s.simURL = strings.Fields(a)[0]
			}
			if a, ok := strings.CutPrefix(l, "peerline listening on "); ok {
				s.addr = strings.Fields(a)[0]
				found <- s
			}
		}
	}()
	select {
	case s := <-found:
		loc, _ := time.LoadLocation("Europe/London")
		s.rota = rota.NewStore(rdb, line, loc)
		if !strings.Contains(logs.String(), "local trial mode") {
			t.Errorf("the log does not say it is in local trial mode:\n%s", logs)
		}
		return s
	case <-time.After(10 * time.Second):
		t.Fatalf("no start-up line in 10s; logs:\n%s", logs)
	}
	return localService{}
}

// TestLocalTrialModeRunsThroughTheSimulator: with no Twilio account the demo rota is seeded, a text sent
// from the simulator's page reaches the service signed, and the line's answers stream back to the page.
func TestLocalTrialModeRunsThroughTheSimulator(t *testing.T) {
	s := startLocal(t)
	ctx := context.Background()
	if !strings.HasSuffix(s.simURL, "/simulator/") {
		t.Fatalf("simulator URL %q", s.simURL)
	}
	r, err := s.rota.Load(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if on := r.OnShiftAt(time.Now()); len(on) != 2 || len(r.Volunteers) != 3 {
		t.Fatalf("demo rota: %d volunteers, %d on shift now; want 3 and 2", len(r.Volunteers), len(on))
	}

	// Webhooks still need the signature: a forged one is refused.
	forged := twiliofake.Webhooks{ServiceURL: s.addr, PublicURL: "http://localhost:0", AuthToken: "wrongtoken"}
	if code, _, _ := forged.Post(ctx, "/twilio/messages", twiliofake.MessageForm(service.LocalAccountSID, "+447700900001", service.LocalLine, "hi")); code != http.StatusForbidden {
		t.Fatalf("forged webhook answered %d, want 403", code)
	}

	events, err := http.Get(s.addr + "/simulator/events")
	if err != nil {
		t.Fatal(err)
	}
	defer events.Body.Close()
	phones := []simulator.Phone{}
	res, err := http.Get(s.addr + "/simulator/phones")
	if err != nil {
		t.Fatal(err)
	}
	if err := json.NewDecoder(res.Body).Decode(&phones); err != nil || len(phones) != 5 {
		t.Fatalf("phones %v, %v", phones, err)
	}
	res.Body.Close()
	res, err = http.PostForm(s.addr+"/simulator/send", url.Values{"from": {"+447700900001"}, "body": {"can't sleep"}})
	if err != nil || res.StatusCode != http.StatusNoContent {
		t.Fatalf("send: %v %v", res, err)
	}
	res.Body.Close()
	res, _ = http.PostForm(s.addr+"/simulator/send", url.Values{"from": {"+449999999999"}, "body": {"hi"}})
	if res.StatusCode != http.StatusBadRequest {
		t.Fatalf("send from a phone the simulator does not have: %d, want 400", res.StatusCode)
	}
	res.Body.Close()

	want := map[string]string{"+447700900001": "finding a peer supporter", "+447700900101": "Reply ACCEPT", "+447700900102": "Reply ACCEPT"}
	sc := bufio.NewScanner(events.Body)
	deadline := time.AfterFunc(10*time.Second, func() { events.Body.Close() })
	defer deadline.Stop()
	for len(want) > 0 && sc.Scan() {
		data, ok := strings.CutPrefix(sc.Text(), "data: ")
		if !ok {
			continue
		}
		var m struct{ Phone, Dir, Body string }
		if err := json.Unmarshal([]byte(data), &m); err != nil {
			t.Fatal(err)
		}
		if m.Dir == "in" && strings.Contains(m.Body, want[m.Phone]) {
			delete(want, m.Phone)
		}
	}
	if len(want) > 0 {
		t.Fatalf("the simulator's event stream never showed %v", want)
	}
	// A browser left open on the page must not hold up shutting down: if it did, the HTTP shutdown would
	// run out of time and service.Run would return its error. (The time taken is not checked: net/http
	// may wait up to 5 s for a connection a client dialled but never used.)
	if err := s.stop(); err != nil {
		t.Fatalf("shutting down with an open event stream: %v", err)
	}
}
