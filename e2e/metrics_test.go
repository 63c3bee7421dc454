package e2e

import (
	"context"
	"io"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"peerline/phone"
	"peerline/twiliofake"
)

// series is one sample of a scrape: its name and labels, and its value.
type series struct {
	name   string
	labels map[string]string
	value  float64
}

var labelPattern = regexp.MustCompile(`(\w+)="((?:[^"\\]|\\.)*)"`)

// scrape gets GET /metrics (with token as a bearer token, when given), fails unless it answers want,
// and returns the text and its samples.
func (s *testService) scrape(token string, want int) (string, []series) {
	s.t.Helper()
	req, err := http.NewRequest(http.MethodGet, s.hooks.ServiceURL+"/metrics", nil)
	if err != nil {
		s.t.Fatal(err)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		s.t.Fatal(err)
	}
	defer res.Body.Close()
	body, _ := io.ReadAll(res.Body)
	if res.StatusCode != want {
		s.t.Fatalf("GET /metrics answered %d, want %d:\n%s", res.StatusCode, want, body)
	}
	if res.StatusCode != http.StatusOK {
		return string(body), nil
	}
	var out []series
	for _, line := range strings.Split(string(body), "\n") {
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		head, val, _ := strings.Cut(line, " ")
		if i := strings.LastIndex(line, " "); i > 0 {
			head, val = line[:i], line[i+1:]
		}
		name, rest, _ := strings.Cut(head, "{")
		v, err := strconv.ParseFloat(val, 64)
		if err != nil {
			s.t.Fatalf("sample %q: %v", line, err)
		}
		sr := series{name: name, labels: map[string]string{}, value: v}
		for _, m := range labelPattern.FindAllStringSubmatch(rest, -1) {
			sr.labels[m[1]] = m[2]
		}
		out = append(out, sr)
	}
	return string(body), out
}

// value returns the value of the sample name whose labels include want, failing if there is none.
func value(t *testing.T, all []series, name string, want map[string]string) float64 {
	t.Helper()
next:
	for _, s := range all {
		if s.name != name {
			continue
		}
		for k, v := range want {
			if s.labels[k] != v {
				continue next
			}
		}
		return s.value
	}
	t.Fatalf("no sample %s%v in the scrape", name, want)
	return 0
}

func TestMetricsFollowTheStory(t *testing.T) {
	loc, _ := time.LoadLocation("Europe/London")
	clock := &testClock{t: time.Date(2026, 12, 25, 1, 10, 0, 0, loc)}
	s := startServiceWith(t, serviceOptions{now: clock.now})
	line := map[string]string{"line": s.line}
	with := func(k, v string) map[string]string { return map[string]string{"line": s.line, k: v} }
	sam := s.volunteer("Sam", "+447700900101", true)
	alex := s.phone("+447700900001", phone.SMS)
	bea := s.phone("+447700900002", phone.SMS)

	_, before := s.scrape("", http.StatusOK)
	if got := value(t, before, "peerline_inbound_messages_total", with("kind", "new_request")); got != 0 {
		t.Errorf("new requests before any text = %v, want 0", got)
	}

	s.fake.FailToNext(alex.number, twiliofake.Failure{Status: 429, Code: 20429}) // Alex's first answer is retried
	alex.Text("can't sleep, really want a drink")
	offer := sam.Expect("ACCEPT")
	code := code(t, offer.Body)
	alex.Expect("")
	_, waiting := s.scrape("", http.StatusOK)
	if got := value(t, waiting, "peerline_requests_waiting", line); got != 1 {
		t.Errorf("requests waiting before the accept = %v, want 1", got)
	}

	clock.add(90 * time.Second)
	sam.Text("ACCEPT")
	alex.Expect("Sam")
	alex.Text("thanks for answering")
	sam.Expect("thanks for answering")
	if code, body, err := s.hooks.PostStatus(context.Background(), twiliofake.Status{MessageSID: offer.SID,
		AccountSID: testSID, MessageStatus: "delivered", To: sam.number, From: lineNumber}); err != nil || code/100 != 2 {
		t.Fatalf("status callback answered %d %q, %v", code, body, err)
	}
	stranger := s.phone("+447700900003", phone.SMS)
	stranger.line = "+447700900555" // no line has this number
	stranger.post(twiliofake.MessageForm(testSID, stranger.addr(), stranger.line, "hello"), http.StatusNotFound)
	forged := twiliofake.Webhooks{ServiceURL: s.hooks.ServiceURL, PublicURL: publicURL, AuthToken: "wrongtoken"}
	if code, _, err := forged.Post(context.Background(), "/twilio/messages",
		twiliofake.MessageForm(testSID, alex.addr(), lineNumber, "forged")); err != nil || code != http.StatusForbidden {
		t.Fatalf("a forged webhook answered %d, %v; want 403", code, err)
	}

	// Bea waits while Sam is in a chat, past her give-up time: the sweep has not run, so she counts as
	// waiting past it, until the sweep signposts her.
	bea.Text("hello, anyone there?")
	bea.Expect("")
	clock.add(25 * time.Minute)
	s.settle()
	text, got := s.scrape("", http.StatusOK)
	for _, c := range []struct {
		name   string
		labels map[string]string
		want   float64
	}{
		{"peerline_inbound_messages_total", with("kind", "new_request"), 2},
		{"peerline_inbound_messages_total", with("kind", "command"), 1},
		{"peerline_inbound_messages_total", with("kind", "relay"), 1},
		{"peerline_inbound_messages_total", with("kind", "status_callback"), 1},
		{"peerline_inbound_messages_total", map[string]string{"line": "", "kind": "unknown_line"}, 1},
		{"peerline_inbound_messages_total", map[string]string{"line": "", "kind": "rejected"}, 1},
		{"peerline_time_to_human_seconds_count", line, 1},
		{"peerline_time_to_human_seconds_sum", line, 90},
		{"peerline_requests_waiting", line, 1},
		{"peerline_requests_past_give_up", line, 1},
		{"peerline_requests_oldest_wait_seconds", line, 25 * 60},
		{"peerline_outbox_depth", with("class", "urgent"), 0},
		{"peerline_outbox_depth", with("class", "relay"), 0},
		{"peerline_outbox_depth", with("class", "routine"), 0},
		{"peerline_send_errors_total", with("code", "20429"), 1},
		{"peerline_escalations_total", with("step", "giveup"), 0},
	} {
		if v := value(t, got, c.name, c.labels); v != c.want {
			t.Errorf("%s%v = %v, want %v", c.name, c.labels, v, c.want)
		}
	}
	if v := value(t, got, "peerline_send_duration_seconds_count", line); v < 5 {
		t.Errorf("sends timed = %v, want at least the 5 texts sent", v)
	}

	if _, err := s.svc.Bot().RunDue(context.Background()); err != nil {
		t.Fatal(err)
	}
	bea.Expect("116 123")
	s.settle()
	text2, after := s.scrape("", http.StatusOK)
	for _, c := range []struct {
		name   string
		labels map[string]string
		want   float64
	}{
		{"peerline_requests_waiting", line, 0},
		{"peerline_requests_past_give_up", line, 0},
		{"peerline_requests_oldest_wait_seconds", line, 0},
		{"peerline_escalations_total", with("step", "giveup"), 1},
		{"peerline_due_lateness_seconds_count", with("kind", "giveup"), 1},
		{"peerline_due_lateness_seconds_sum", with("kind", "giveup"), 5 * 60},
	} {
		if v := value(t, after, c.name, c.labels); v != c.want {
			t.Errorf("after the sweep: %s%v = %v, want %v", c.name, c.labels, v, c.want)
		}
	}
	for _, secret := range []string{"4477009", "7700 900", code, "drink", "Sam"} {
		if strings.Contains(text+text2, secret) {
			t.Errorf("the metrics hold %q, which they must never show", secret)
		}
	}
}

func TestMetricsTokenGuardsTheScrape(t *testing.T) {
	const token = "metrics-token-0123456789"
	s := startServiceWith(t, serviceOptions{env: map[string]string{"METRICS_TOKEN": token}})
	s.scrape("", http.StatusUnauthorized)
	s.scrape("not-the-token-at-all", http.StatusUnauthorized)
	_, got := s.scrape(token, http.StatusOK)
	if v := value(t, got, "peerline_requests_waiting", map[string]string{"line": s.line}); v != 0 {
		t.Errorf("requests waiting = %v, want 0", v)
	}
}
