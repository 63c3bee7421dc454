package metrics_test

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus/testutil"
	"github.com/sirupsen/logrus"

	"peerline/matcher"
	"peerline/metrics"
	"peerline/outbox"
	"peerline/redistest"
)

// sources serves fixed lines to the gauges.
type sources []metrics.Source

func (s sources) Sources() []metrics.Source { return s }

// sendFunc is an outbox.Sender made of a function.
type sendFunc func() (string, error)

func (f sendFunc) Send(context.Context, outbox.Message) (string, error) { return f() }

// exposed returns the names of the metric families a service with one line (on a real Redis) exposes,
// after one failed Redis command and one failed send, so every vector has a child.
func exposed(t *testing.T) []string {
	t.Helper()
	rdb, line := redistest.New(t)
	m := metrics.New(metrics.Config{GiveUp: 20 * time.Minute})
	rdb.AddHook(m.RedisHook())
	l := m.Line(line)
	log := logrus.New()
	log.SetOutput(io.Discard)
	box := outbox.New(rdb, line, l.Sender(sendFunc(func() (string, error) { return "", errors.New("down") })), log,
		time.Now, outbox.Options{})
	m.Watch(sources{{Line: line, Queue: matcher.New(rdb, line), Outbox: box}})
	l.DueLate("widen", time.Second)
	_ = rdb.HSet(context.Background(), "pl:{"+line+"}:metrics-test", "f", "v").Err()
	_ = rdb.Incr(context.Background(), "pl:{"+line+"}:metrics-test").Err() // WRONGTYPE
	_, _ = l.Sender(sendFunc(func() (string, error) { return "", errors.New("down") })).Send(context.Background(), outbox.Message{})
	families, err := m.Registry().Gather()
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, f := range families {
		names = append(names, f.GetName())
	}
	return names
}

func TestEveryNameIsExposed(t *testing.T) {
	names := exposed(t)
	for _, want := range []string{metrics.NameInbound, metrics.NameWaiting, metrics.NamePastGiveUp, metrics.NameOldestWait,
		metrics.NameTimeToHuman, metrics.NameEscalations, metrics.NameOutboxDepth, metrics.NameSendSeconds,
		metrics.NameSendErrors, metrics.NameDueLateness, metrics.NameRedisErrors} {
		if !slices.Contains(names, want) {
			t.Errorf("%s is not exposed; exposed: %v", want, names)
		}
	}
}

var ruleName = regexp.MustCompile(`\bpeerline_[a-z_]+`)

// TestAlertRulesUseExposedNames reads the expressions of alerts.yml crudely (the expr: lines) and
// checks that every metric they name is one the service exposes; a histogram's _bucket, _sum and _count
// count as its name.
func TestAlertRulesUseExposedNames(t *testing.T) {
	rules, err := os.ReadFile("alerts.yml")
	if err != nil {
		t.Fatal(err)
	}
	names := exposed(t)
	var used []string
	for _, line := range strings.Split(string(rules), "\n") {
		if expr, ok := strings.CutPrefix(strings.TrimSpace(line), "expr:"); ok {
			used = append(used, ruleName.FindAllString(expr, -1)...)
		}
	}
	if len(used) < 2 {
		t.Fatalf("found %d metric names in the rules' expressions, want at least one per alert: %v", len(used), used)
	}
	for _, u := range used {
		base := u
		for _, suffix := range []string{"_bucket", "_sum", "_count"} {
			base = strings.TrimSuffix(base, suffix)
		}
		if !slices.Contains(names, u) && !slices.Contains(names, base) {
			t.Errorf("alerts.yml uses %s, which the service does not expose", u)
		}
	}
}

// TestAlertRulesWithPromtool checks the rules and plays alerts_test.yml when promtool is installed
// (apt-get install prometheus).
func TestAlertRulesWithPromtool(t *testing.T) {
	promtool, err := exec.LookPath("promtool")
	if err != nil {
		t.Skip("promtool not found (apt-get install prometheus): alerts.yml checked by names only")
	}
	for _, args := range [][]string{{"check", "rules", "alerts.yml"}, {"test", "rules", "alerts_test.yml"}} {
		if out, err := exec.Command(promtool, args...).CombinedOutput(); err != nil {
			t.Errorf("promtool %s: %v\n%s", strings.Join(args, " "), err, out)
		}
	}
}

func TestSenderCountsFailuresByCode(t *testing.T) {
	for _, c := range []struct {
		name string
		err  error
		code string // "" when nothing is counted
	}{
		{"sent", nil, ""},
		{"opted out", &outbox.SendError{Status: 400, Code: outbox.CodeOptedOut, Permanent: true}, "21610"},
		{"rate limited", &outbox.SendError{Status: 429, Code: 20429}, "20429"},
		{"no answer", &outbox.SendError{}, "network"},
		{"an answer without a code", &outbox.SendError{Status: 503}, "http_503"},
		{"another error", errors.New("template"), "other"},
	} {
		t.Run(c.name, func(t *testing.T) {
			m := metrics.New(metrics.Config{})
			s := m.Line("main").Sender(sendFunc(func() (string, error) { return "SM1", c.err }))
			if _, err := s.Send(context.Background(), outbox.Message{To: "+447700900001"}); !errors.Is(err, c.err) {
				t.Errorf("Send returned %v, want %v", err, c.err)
			}
			want := 0
			if c.code != "" {
				want = 1
			}
			if got := testutil.CollectAndCount(m.Registry(), metrics.NameSendErrors); got != want {
				t.Errorf("%d send error series, want %d", got, want)
			}
			if c.code != "" {
				want := `
# HELP peerline_send_errors_total Sends to Twilio that failed, by Twilio error code (or network, http_<status>, other).
# TYPE peerline_send_errors_total counter
peerline_send_errors_total{code="` + c.code + `",line="main"} 1
`
				if err := testutil.GatherAndCompare(m.Registry(), strings.NewReader(want), metrics.NameSendErrors); err != nil {
					t.Error(err)
				}
			}
		})
	}
}

func TestRedisHookCountsFailuresNotMissingKeys(t *testing.T) {
	ctx := context.Background()
	rdb, line := redistest.New(t)
	m := metrics.New(metrics.Config{})
	rdb.AddHook(m.RedisHook())
	k := "pl:{" + line + "}:metrics-test"
	if err := rdb.Get(ctx, k).Err(); err == nil {
		t.Fatal("GET of a missing key did not say so")
	}
	if got := testutil.CollectAndCount(m.Registry(), metrics.NameRedisErrors); got != 0 {
		t.Fatalf("a missing key counted as a Redis error (%d series)", got)
	}
	rdb.Set(ctx, k, "not a number", time.Minute)
	_ = rdb.Incr(ctx, k).Err()
	pipe := rdb.Pipeline()
	pipe.Get(ctx, k+":missing")
	pipe.IncrBy(ctx, k, 2)
	_, _ = pipe.Exec(ctx)
	want := `
# HELP peerline_redis_errors_total Redis commands that failed (not counting a missing key), by command name.
# TYPE peerline_redis_errors_total counter
peerline_redis_errors_total{command="incr"} 1
peerline_redis_errors_total{command="incrby"} 1
`
	if err := testutil.GatherAndCompare(m.Registry(), strings.NewReader(want), metrics.NameRedisErrors); err != nil {
		t.Error(err)
	}
}

func TestWebhooksCountsWhatNeverReachedALine(t *testing.T) {
	m := metrics.New(metrics.Config{})
	h := m.Webhooks(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Query().Get("answer") {
		case "404":
			http.Error(w, "no line", http.StatusNotFound)
		case "403":
			http.Error(w, "forbidden", http.StatusForbidden)
		case "400":
			http.Error(w, "malformed", http.StatusBadRequest)
		case "500":
			http.Error(w, "try again", http.StatusInternalServerError)
		}
	}))
	for _, q := range []string{"404", "403", "400", "500", "200"} {
		h.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest(http.MethodPost, "/twilio/messages?answer="+q, nil))
	}
	h.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest(http.MethodGet, "/healthz?answer=404", nil))
	want := `
# HELP peerline_inbound_messages_total Inbound webhooks by kind (new_request, relay, command, risk, person, duplicate, status_callback, unknown_line, rejected, failed).
# TYPE peerline_inbound_messages_total counter
peerline_inbound_messages_total{kind="failed",line=""} 1
peerline_inbound_messages_total{kind="rejected",line=""} 2
peerline_inbound_messages_total{kind="unknown_line",line=""} 1
`
	if err := testutil.GatherAndCompare(m.Registry(), strings.NewReader(want), metrics.NameInbound); err != nil {
		t.Error(err)
	}
}

func TestHandlerWantsTheTokenWhenSet(t *testing.T) {
	for _, c := range []struct {
		name, token, auth string
		want              int
	}{
		{"open without a token", "", "", http.StatusOK},
		{"no bearer", "0123456789abcdef", "", http.StatusUnauthorized},
		{"wrong bearer", "0123456789abcdef", "Bearer 0123456789abcdeX", http.StatusUnauthorized},
		{"right bearer", "0123456789abcdef", "Bearer 0123456789abcdef", http.StatusOK},
	} {
		t.Run(c.name, func(t *testing.T) {
			m := metrics.New(metrics.Config{Token: c.token})
			m.Line("main")
			req := httptest.NewRequest(http.MethodGet, "/metrics", nil)
			if c.auth != "" {
				req.Header.Set("Authorization", c.auth)
			}
			rec := httptest.NewRecorder()
			m.Handler().ServeHTTP(rec, req)
			if rec.Code != c.want {
				t.Errorf("answered %d, want %d", rec.Code, c.want)
			}
			if c.want == http.StatusOK && !strings.Contains(rec.Body.String(), `peerline_inbound_messages_total{kind="new_request",line="main"} 0`) {
				t.Errorf("the scrape lacks the line's inbound counter:\n%s", rec.Body)
			}
		})
	}
}
