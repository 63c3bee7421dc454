package e2e

import (
	"bufio"
	"bytes"
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"peerline/phone"
	"peerline/redistest"
	"peerline/rota"
	"peerline/service"
	"peerline/twiliofake"
)

const (
	testSID      = "AC11111111111111111111111111111111"
	testToken    = "primarytoken123"
	testToken2   = "secondarytoken456"
	lineNumber   = "+447700900999"
	lineWhatsApp = "+447700900998"
	publicURL    = "https://peerline.test"
)

// testService is the whole service started through service.RunWith, with a fake Twilio behind it.
type testService struct {
	t      *testing.T
	rdb    redis.UniversalClient
	line   string
	fake   *twiliofake.Server
	hooks  twiliofake.Webhooks
	rota   *rota.Store
	svc    *service.Service // the wired service, to sweep due work at once as cron would
	logs   *lockedBuffer
	cancel context.CancelFunc
	done   chan error

	mu       sync.Mutex
	consumed map[string]bool // SIDs of sent messages a phone has already read
}

type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// startService starts the service through service.RunWith; before, if given, prepares Redis first.
func startService(t *testing.T, before ...func(rdb redis.UniversalClient, line string)) *testService {
	t.Helper()
	return startServiceWith(t, serviceOptions{before: before})
}

// serviceOptions start a service another way: another instance on the same Redis and line (with the
// same fake Twilio), a clock of the test's, more settings.
type serviceOptions struct {
	before []func(rdb redis.UniversalClient, line string)
	like   *testService      // share this service's Redis line and fake Twilio
	now    func() time.Time  // the service's clock (default the real one)
	env    map[string]string // settings added to or replacing the usual ones
	// cluster, if not nil, is a Redis Cluster the service uses (through REDIS_CLUSTER_ADDRS) with line as
	// its default line.
	cluster *redistest.Cluster
	line    string
}

func startServiceWith(t *testing.T, o serviceOptions) *testService {
	t.Helper()
	var rdb redis.UniversalClient
	var line string
	var fake *twiliofake.Server
	if o.like != nil {
		rdb, line, fake = o.like.rdb, o.like.line, o.like.fake
	} else if o.cluster != nil {
		rdb, line = redis.NewClusterClient(&redis.ClusterOptions{Addrs: o.cluster.Addrs()}), o.line
		t.Cleanup(func() { _ = rdb.Close() })
		fake = twiliofake.NewServer(testSID, testToken)
	} else {
		rdb, line = redistest.New(t)
		fake = twiliofake.NewServer(testSID, testToken)
	}
	for _, f := range o.before {
		f(rdb, line)
	}
	api := httptest.NewServer(fake)
	t.Cleanup(api.Close)
	env := map[string]string{
		"PORT": "0", "LISTEN_HOST": "127.0.0.1", "PUBLIC_URL": publicURL, "REDIS_URL": redistest.URL(t),
		"TWILIO_ACCOUNT_SID": testSID, "TWILIO_AUTH_TOKEN": testToken, "TWILIO_AUTH_TOKEN_SECONDARY": testToken2,
		"TWILIO_FROM_NUMBER": lineNumber, "TWILIO_WHATSAPP_FROM": lineWhatsApp, "TWILIO_API_BASE_URL": api.URL,
		"LINE_ID": line, "LOG_FORMAT": "json", "LOG_LEVEL": "debug", "LOG_HASH_SECRET": testLogSecret,
		"FIRST_OFFERS": "1000", // these tests offer every request to everyone on shift at once; escalation_test tiers them
		// Each service started is an instance of its own, as on two hosts: it resends its own unsent
		// texts at start, and Reclaim takes another's only after ClaimIdle.
		"INSTANCE_ID": "e2e-" + twiliofake.NewSID("")[:12],
		// The fake Twilio has no sending rate to respect; TestABusyMinuteIsAnsweredInTime sets its own.
		"OUTBOX_RATE": "10000",
	}
	if o.cluster != nil {
		delete(env, "REDIS_URL")
		env["REDIS_CLUSTER_ADDRS"] = strings.Join(o.cluster.Addrs(), ",")
	}
	for k, v := range o.env {
		env[k] = v
	}
	h := service.Hooks{Now: time.Now}
	if o.now != nil {
		h.Now = o.now
	}
	ready := make(chan *service.Service, 1)
	h.Started = func(svc *service.Service) { ready <- svc }
	ctx, cancel := context.WithCancel(context.Background())
	out, outW := io.Pipe()
	s := &testService{t: t, rdb: rdb, line: line, fake: fake, logs: &lockedBuffer{}, cancel: cancel,
		done: make(chan error, 1), consumed: map[string]bool{}}
	go func() {
		s.done <- service.RunWith(ctx, h, []string{"peerline", "-env", ""}, func(k string) string { return env[k] }, outW, s.logs)
		outW.Close()
	}()
	addr := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(out)
		for sc.Scan() {
			if a, ok := strings.CutPrefix(sc.Text(), "peerline listening on "); ok {
				addr <- strings.Fields(a)[0]
			}
		}
	}()
	select {
	case a := <-addr:
		s.hooks = twiliofake.Webhooks{ServiceURL: a, PublicURL: publicURL, AuthToken: testToken}
		s.svc = <-ready
	case err := <-s.done:
		t.Fatalf("run stopped at start: %v\nlogs:\n%s", err, s.logs)
	case <-time.After(10 * time.Second):
		t.Fatal("service did not start in 10s")
	}
	t.Cleanup(func() {
		s.cancel()
		if err := <-s.done; err != nil {
			t.Errorf("run returned %v", err)
		}
		// Every number in these tests starts +4477009: none may reach a log line, at any level.
		if logs := s.logs.String(); strings.Contains(logs, "+4477009") || strings.Contains(logs, "4477009") {
			t.Errorf("a phone number reached the logs:\n%s", logs)
		}
	})
	loc, _ := time.LoadLocation("Europe/London")
	s.rota = rota.NewStore(rdb, line, loc)
	// The line is open day and night, so that no test depends on the time of day it runs at.
	if _, err := s.rota.SetHours(ctx, func(h *rota.Hours) error { *h = rota.AlwaysOpen(); return nil }); err != nil {
		t.Fatal(err)
	}
	return s
}

// settle waits until every text queued so far has reached the fake Twilio, so a test can then check
// that something was never sent, and until each has left the outbox (acknowledged). It counts the
// stream's entries-added, which includes deleted entries.
func (s *testService) settle() {
	s.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	added := 0
	for _, stream := range s.svc.Outbox().Streams() { // one stream for each priority class
		info, err := s.rdb.XInfoStream(ctx, stream).Result()
		if err != nil {
			s.t.Fatal(err)
		}
		added += int(info.EntriesAdded)
	}
	if _, err := s.fake.Wait(ctx, added); err != nil {
		s.t.Fatal(err)
	}
	// A text leaves its stream once its send is acknowledged, a moment after Twilio answered.
	for tick := time.NewTicker(5 * time.Millisecond); ; {
		left := int64(0)
		for _, stream := range s.svc.Outbox().Streams() {
			left += s.rdb.XLen(ctx, stream).Val()
		}
		if left == 0 {
			tick.Stop()
			return
		}
		select {
		case <-ctx.Done():
			s.t.Fatalf("%d texts sent but never acknowledged in the outbox", left)
		case <-tick.C:
		}
	}
}

// volunteer adds a volunteer on shift all week and returns their phone.
func (s *testService) volunteer(name, number string, onShift bool) *testPhone {
	s.t.Helper()
	ctx := context.Background()
	v, err := s.rota.AddVolunteer(ctx, rota.Volunteer{Name: name, Phone: number})
	if err != nil {
		s.t.Fatal(err)
	}
	if onShift {
		for d := time.Sunday; d <= time.Saturday; d++ {
			if _, err := s.rota.AddShift(ctx, rota.Shift{Volunteer: v.ID, Day: d, Start: 0, End: 24 * 60}); err != nil {
				s.t.Fatal(err)
			}
		}
	}
	return s.phone(number, phone.SMS)
}

func (s *testService) phone(number string, ch phone.Channel) *testPhone {
	return &testPhone{s: s, number: number, ch: ch}
}

// testPhone is one phone texting the line, in the spirit of goalert's smoke harness.
type testPhone struct {
	s      *testService
	number string
	ch     phone.Channel
	line   string // the SMS number of the line it texts; "" for the default line's
}

func (p *testPhone) addr() string { return phone.Address(p.number, p.ch) }

func (p *testPhone) lineAddr() string {
	if p.line != "" {
		return p.line
	}
	if p.ch == phone.WhatsApp {
		return phone.Address(lineWhatsApp, phone.WhatsApp)
	}
	return lineNumber
}

// Text sends body from this phone to the line, as Twilio would, and returns the form it sent.
func (p *testPhone) Text(body string) url.Values {
	p.s.t.Helper()
	form := twiliofake.MessageForm(testSID, p.addr(), p.lineAddr(), body)
	p.post(form, http.StatusOK)
	return form
}

func (p *testPhone) post(form url.Values, want int) {
	p.s.t.Helper()
	code, body, err := p.s.hooks.Post(context.Background(), "/twilio/messages", form)
	if err != nil || code != want {
		p.s.t.Fatalf("webhook answered %d %q, %v; want %d", code, body, err, want)
	}
}

// Expect waits for a message to this phone containing want that it has not read yet, and returns it.
func (p *testPhone) Expect(want string) twiliofake.Sent {
	p.s.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	for n := 1; ; {
		sent, err := p.s.fake.Wait(ctx, n)
		if err != nil {
			p.s.t.Fatalf("%s never got a message containing %q: %v\nit got: %q", p.number, want, err, p.all(sent))
		}
		p.s.mu.Lock()
		for _, m := range sent {
			if m.To == p.addr() && !p.s.consumed[m.SID] && strings.Contains(m.Body, want) {
				p.s.consumed[m.SID] = true
				p.s.mu.Unlock()
				if m.From != p.lineAddr() {
					p.s.t.Fatalf("message to %s came from %q, want the line's %q", p.number, m.From, p.lineAddr())
				}
				return m
			}
		}
		p.s.mu.Unlock()
		n = len(sent) + 1
	}
}

// NeverGot waits until every text queued so far has been sent, then fails if any reached this phone
// with part in it.
func (p *testPhone) NeverGot(part string) {
	p.s.t.Helper()
	p.s.settle()
	for _, m := range p.s.fake.Sent() {
		if m.To == p.addr() && strings.Contains(m.Body, part) {
			p.s.t.Fatalf("%s got %q, which should never have been sent", p.number, m.Body)
		}
	}
}

func (p *testPhone) all(sent []twiliofake.Sent) []string {
	var out []string
	for _, m := range sent {
		if m.To == p.addr() {
			out = append(out, m.Body)
		}
	}
	return out
}

// code extracts the request code (R + 3 characters) from a message body.
func code(t *testing.T, body string) string {
	t.Helper()
	for _, f := range strings.FieldsFunc(body, func(r rune) bool { return !('A' <= r && r <= 'Z' || '0' <= r && r <= '9') }) {
		if len(f) == 4 && f[0] == 'R' {
			return f
		}
	}
	t.Fatalf("no request code in %q", body)
	return ""
}
