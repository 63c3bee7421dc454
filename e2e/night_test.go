package e2e

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"net/http"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"peerline/night"
	"peerline/rota"
	"peerline/twiliofake"
)

// make night passes -night and the night.* flags (such as -night.volunteers 4) through go test.
var (
	nightFlag    = flag.Bool("night", false, "play the night the -night.* flags describe and print its report (make night)")
	nightOptions = nightFlags()
)

func nightFlags() *night.Options {
	o := night.Defaults()
	o.Flags(flag.CommandLine, "night.")
	return &o
}

var nightTrace = flag.Bool("night.trace", false, "with -night, print every text of the night before the report")

// TestNight plays a short busy night through the whole service (signed webhooks, the fake Twilio,
// real Redis, a test clock): 6 volunteers and a coordinator, 12 people in one minute. The hard
// guarantees must hold and everyone must be answered. With -night it plays the night of the flags and
// prints the report.
func TestNight(t *testing.T) {
	o := night.Defaults()
	o.People, o.Over = 12, time.Minute
	if *nightFlag {
		o = *nightOptions
		if *nightTrace {
			o.Trace = os.Stdout
		}
	}
	line := startNight(t, o)
	r, err := night.Run(context.Background(), line, o)
	if err != nil {
		t.Fatal(err)
	}
	if *nightFlag {
		r.Print(os.Stdout)
	} else {
		var b strings.Builder
		r.Print(&b)
		t.Log("\n" + b.String())
	}
	if v := r.Violations; v.Total() != 0 {
		t.Errorf("hard guarantees broken: %+v", v)
	}
	if r.StillWaiting != 0 {
		t.Errorf("%d of %d people got neither a peer nor the signpost", r.StillWaiting, r.People)
	}
	if r.SignpostedIdle != 0 {
		t.Errorf("%d signposted while a free volunteer was never offered their request; want 0", r.SignpostedIdle)
	}
	logs := line.s.logs.String()
	for _, w := range night.Words() {
		if strings.Contains(logs, w) {
			t.Errorf("what a phone wrote reached the logs: %q", w)
		}
	}
	if !strings.Contains(logs, `"who":"`) {
		t.Error("the night's logs name nobody by the keyed hash of their number")
	}
	if s := r.Seen; s.TryAgain != 0 || s.ClosedNeverStarted != 0 || s.CodesToPeople != 0 || s.SignpostedTwice != 0 {
		t.Errorf("seen: %d 'send it again', %d closed chats that never started, %d codes to people, %d signposted twice; want none",
			s.TryAgain, s.ClosedNeverStarted, s.CodesToPeople, s.SignpostedTwice)
	}
}

// nightLine is night.Line over the service of service_test.go, with a clock the night moves.
type nightLine struct {
	s     *testService
	clock *testClock
	read  int // how many of the fake Twilio's texts Sent has returned
}

// startNight starts the service with the night's settings and clock, and puts its roster on the rota:
// volunteers on shift all week, coordinators on call all week.
func startNight(t *testing.T, o night.Options) *nightLine {
	t.Helper()
	clock := &testClock{t: o.Start}
	s := startServiceWith(t, serviceOptions{now: clock.now, env: o.Env()})
	ctx := context.Background()
	for _, m := range o.Roster() {
		if !m.Coordinator {
			s.volunteer(m.Name, m.Number, true)
			continue
		}
		c, err := s.rota.AddVolunteer(ctx, rota.Volunteer{Name: m.Name, Phone: m.Number, Coordinator: true})
		if err != nil {
			t.Fatal(err)
		}
		for d := time.Sunday; d <= time.Saturday; d++ {
			if _, err := s.rota.AddShift(ctx, rota.Shift{Volunteer: c.ID, Day: d, Start: 0, End: 24 * 60, OnCall: true}); err != nil {
				t.Fatal(err)
			}
		}
	}
	return &nightLine{s: s, clock: clock}
}

func (l *nightLine) setClock(at time.Time) { l.clock.add(at.Sub(l.clock.now())) }

// Text posts a webhook signed as Twilio signs it.
func (l *nightLine) Text(ctx context.Context, at time.Time, from, body string) error {
	l.setClock(at)
	code, answer, err := l.s.hooks.Post(ctx, "/twilio/messages", twiliofake.MessageForm(testSID, from, lineNumber, body))
	if err != nil {
		return fmt.Errorf("post a text: %w", err)
	}
	if code != http.StatusOK {
		return fmt.Errorf("%w: %d %q", night.ErrRefused, code, answer)
	}
	return nil
}

// Tick runs the due work as the cron job does.
func (l *nightLine) Tick(ctx context.Context, at time.Time) error {
	l.setClock(at)
	if _, err := l.s.svc.Bot().RunDue(ctx); err != nil {
		return fmt.Errorf("run due work: %w", err)
	}
	return nil
}

// Sent waits until every text queued so far reached the fake Twilio (as testService.settle does) and
// returns those not returned before.
func (l *nightLine) Sent(ctx context.Context) ([]night.Text, error) {
	ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	added := 0
	for _, stream := range l.s.svc.Outbox().Streams() { // one stream for each priority class
		info, err := l.s.rdb.XInfoStream(ctx, stream).Result()
		if err != nil {
			return nil, fmt.Errorf("read the outbox: %w", err)
		}
		added += int(info.EntriesAdded)
	}
	sent, err := l.s.fake.Wait(ctx, added)
	if err != nil {
		return nil, fmt.Errorf("wait for the outbox to be sent: %w", err)
	}
	var out []night.Text
	for _, m := range sent[l.read:] {
		out = append(out, night.Text{To: strings.TrimPrefix(m.To, "whatsapp:"), Body: m.Body})
	}
	l.read = len(sent)
	return out, nil
}

// Person reads the number behind a request code from the matcher's request hash.
func (l *nightLine) Person(ctx context.Context, code string) (string, error) {
	number, err := l.s.rdb.HGet(ctx, "pl:{"+l.s.line+"}:match:req:"+code, "person").Result()
	if errors.Is(err, redis.Nil) {
		return "", nil
	}
	if err != nil {
		return "", fmt.Errorf("read request %s: %w", code, err)
	}
	return number, nil
}
