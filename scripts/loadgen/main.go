// Command loadgen measures peerline under load, against a floor, in one run.
//
//	make bench            (starts a throwaway Redis, then runs: go run ./scripts/loadgen)
//
// It builds and starts the service, with a Twilio-compatible fake API in this process receiving what the
// service sends. It seeds a rota and opens conversations, then plays people and volunteers texting each
// other through signed webhooks: at fixed offered rates (open loop: latency counts from when each
// message was due, so queueing is not hidden) and flat out (closed loop: the highest sustained rate). It
// runs the same load against a floor, a minimal handler on the same HTTP stack doing one Redis round
// trip, so the figures that matter are ratios that hold on a noisy machine. It also reports Redis round
// trips and commands per inbound message, and the time from a person's first text to the volunteer's
// offer leaving the outbox.
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"os/signal"
	"runtime"
	"strconv"
	"strings"
	"time"

	"github.com/redis/go-redis/v9"

	"peerline/risk"
	"peerline/twiliofake"
)

const (
	accountSID = "AC00000000000000000000000000000042"
	authToken  = "benchtoken42"
	lineNumber = "+447700900999"
	publicURL  = "http://bench.peerline.test"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	if err := run(ctx, os.Args, os.Getenv, os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "loadgen:", err)
		os.Exit(1)
	}
}

type options struct {
	redisURL      string
	rates         []float64
	duration      time.Duration
	conversations int
	workers       int
	requests      int
	outboxRate    string
	burst         int
	burstOver     time.Duration
	latency       time.Duration
	newRates      []float64
	newDuration   time.Duration
	serviceBin    string
}

func parseFlags(args []string, getenv func(string) string, stderr io.Writer) (options, error) {
	fs := flag.NewFlagSet("loadgen", flag.ContinueOnError)
	fs.SetOutput(stderr)
	o := options{}
	fs.StringVar(&o.redisURL, "redis", getenv("PEERLINE_TEST_REDIS_URL"), "a throwaway Redis (make bench starts one)")
	rates := fs.String("rates", "100,1000,5000", "offered rates, messages a second, comma-separated")
	fs.DurationVar(&o.duration, "duration", 5*time.Second, "length of each load phase")
	fs.IntVar(&o.conversations, "conversations", 100, "conversations open during the load")
	fs.IntVar(&o.workers, "workers", 64, "requests in flight in the flat-out phase")
	fs.IntVar(&o.requests, "requests", 200, "new requests timed from text to offer")
	fs.StringVar(&o.outboxRate, "outbox-rate", "10000", "the service's OUTBOX_RATE (the relay phases queue thousands of texts a second)")
	fs.IntVar(&o.burst, "burst", 100, "people who text the line at once in the busy-day phase (0: none)")
	fs.DurationVar(&o.burstOver, "burst-over", 8*time.Second, "how long the busy-day phase's people take to text")
	fs.DurationVar(&o.latency, "twilio-latency", 300*time.Millisecond, "how long the fake Twilio takes to answer in the busy-day phase")
	newRates := fs.String("new-rates", "100,500", "offered rates of new requests, a second, comma-separated")
	fs.DurationVar(&o.newDuration, "new-duration", 2*time.Second, "length of each phase of new requests (kept short: "+
		"every request keeps its code for days, and codes are 4 characters, so a long stream makes new codes collide)")
	fs.StringVar(&o.serviceBin, "service-bin", "", "run this service binary instead of building the current module "+
		"(such as one built at an older commit, for a before-and-after run)")
	if err := fs.Parse(args[1:]); err != nil {
		return o, err
	}
	if o.redisURL == "" {
		return o, fmt.Errorf("no Redis: run `make bench`, which starts a throwaway one (never point this at real data)")
	}
	var err error
	if o.rates, err = parseRates("-rates", *rates); err != nil {
		return o, err
	}
	if o.newRates, err = parseRates("-new-rates", *newRates); err != nil {
		return o, err
	}
	return o, nil
}

func parseRates(flag, list string) ([]float64, error) {
	var out []float64
	for _, r := range strings.Split(list, ",") {
		v, err := strconv.ParseFloat(strings.TrimSpace(r), 64)
		if err != nil || v <= 0 {
			return nil, fmt.Errorf("%s: %q is not a positive number", flag, r)
		}
		out = append(out, v)
	}
	return out, nil
}

func run(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	o, err := parseFlags(args, getenv, stderr)
	if err != nil {
		return err
	}
	ropt, err := redis.ParseURL(o.redisURL)
	if err != nil {
		return fmt.Errorf("-redis: %w", err)
	}
	ropt.PoolSize = 256
	rdb := redis.NewClient(ropt)
	defer rdb.Close()
	line := fmt.Sprintf("bench%d", time.Now().UnixNano()%1e9)

	fake := twiliofake.NewServer(accountSID, authToken)
	rec := newRecorder(fake)
	api := httptest.NewServer(rec)
	defer api.Close()
	dir, err := os.MkdirTemp("", "peerline-bench")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	svc, err := startService(ctx, dir, o.serviceBin, []string{"PATH=" + getenv("PATH"), "HOME=" + getenv("HOME")}, map[string]string{
		"PORT": "0", "LISTEN_HOST": "127.0.0.1", "PUBLIC_URL": publicURL, "REDIS_URL": o.redisURL,
		"TWILIO_ACCOUNT_SID": accountSID, "TWILIO_AUTH_TOKEN": authToken, "TWILIO_FROM_NUMBER": lineNumber,
		"TWILIO_API_BASE_URL": api.URL, "LINE_ID": line, "LOG_LEVEL": "warn",
		"FIRST_OFFERS": "1000",    // each seeded request must reach the volunteer who accepts it, as before tiers
		"RATE_LIMIT":   "1000000", // each person here texts far faster than anyone could
		"OUTBOX_RATE":  o.outboxRate,
	}, stderr)
	if err != nil {
		return err
	}
	defer svc.stop()

	client := &http.Client{Transport: &http.Transport{MaxIdleConns: 1024, MaxIdleConnsPerHost: 1024}, Timeout: 30 * time.Second}
	b := &bench{o: o, rdb: rdb, line: line, svc: svc, rec: rec, fake: fake, out: stdout,
		hooks: twiliofake.Webhooks{ServiceURL: svc.addr, PublicURL: publicURL, AuthToken: authToken, HTTP: client}}
	floorAddr, stopFloor, err := startFloor(rdb, "pl:{"+line+"}:floor", nil)
	if err != nil {
		return err
	}
	defer stopFloor()
	b.floor = target{name: "floor", hooks: twiliofake.Webhooks{ServiceURL: floorAddr, PublicURL: publicURL, AuthToken: authToken, HTTP: client}}
	words, err := risk.Load("")
	if err != nil {
		return err
	}
	riskAddr, stopRisk, err := startFloor(rdb, "pl:{"+line+"}:floor", words.Match)
	if err != nil {
		return err
	}
	defer stopRisk()
	b.risk, b.words = target{name: "floor+risk", hooks: twiliofake.Webhooks{ServiceURL: riskAddr, PublicURL: publicURL,
		AuthToken: authToken, HTTP: client}}, words
	return b.all(ctx)
}

// recorder passes requests to the fake Twilio and, while armed, reports each message as it arrives.
type recorder struct {
	next  http.Handler
	armed chan received
}

type received struct {
	to, body string
	at       time.Time
}

func newRecorder(next http.Handler) *recorder {
	return &recorder{next: next, armed: make(chan received, 1<<16)}
}

func (r *recorder) ServeHTTP(w http.ResponseWriter, req *http.Request) {
	if err := req.ParseForm(); err == nil {
		select {
		case r.armed <- received{to: req.PostForm.Get("To"), body: req.PostForm.Get("Body"), at: time.Now()}:
		default: // nobody is listening closely: drop the note, never the message
		}
	}
	r.next.ServeHTTP(w, req)
}

func form(from, body string) url.Values {
	return twiliofake.MessageForm(accountSID, from, lineNumber, body)
}

func cores() string {
	return fmt.Sprintf("%d cores (GOMAXPROCS %d), %s/%s, %s", runtime.NumCPU(), runtime.GOMAXPROCS(0), runtime.GOOS, runtime.GOARCH, runtime.Version())
}
