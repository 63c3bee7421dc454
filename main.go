// Command peerline is the messaging line that connects people in recovery who text at night with a
// peer volunteer on shift, and signposts help that is open now when nobody can be reached.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/signal"
	"sync"
	"syscall"
	"time"

	"github.com/redis/go-redis/v9"
	"github.com/robfig/cron/v3"
	"github.com/sirupsen/logrus"

	"peerline/bot"
	"peerline/matcher"
	"peerline/outbox"
	"peerline/risk"
	"peerline/rota"
	"peerline/settings"
	"peerline/simulator"
	"peerline/templates"
	"peerline/webhooks"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args, os.Getenv, os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "peerline:", err)
		os.Exit(1)
	}
}

// run wires the service and serves until ctx ends, then shuts down in order: HTTP, cron, outbox, Redis.
func run(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	return runWith(ctx, hooks{now: time.Now}, args, getenv, stdout, stderr)
}

// hooks are what tests may change in a run: the clock, and a look at the wired service once it is
// ready (to sweep due work at once instead of waiting for cron).
type hooks struct {
	now     func() time.Time
	started func(a *app)
}

func runWith(ctx context.Context, h hooks, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	flags := flag.NewFlagSet("peerline", flag.ContinueOnError)
	flags.SetOutput(stderr)
	envFile := flags.String("env", ".env", "file of settings read after the environment (missing is fine)")
	if err := flags.Parse(args[1:]); err != nil {
		return err
	}
	env, err := settings.New(getenv, *envFile)
	if err != nil {
		return err
	}
	cfg, err := loadConfig(env)
	if err != nil {
		return err
	}
	log := newLogger(cfg, stderr)
	opt, err := redis.ParseURL(cfg.RedisURL)
	if err != nil {
		return fmt.Errorf("REDIS_URL: %w", err)
	}
	rdb := redis.NewClient(opt)
	defer rdb.Close()
	if err := rdb.Ping(ctx).Err(); err != nil {
		return fmt.Errorf("redis at REDIS_URL does not answer (is it running? `make run` starts one): %w", err)
	}
	// The outbox's blocking reads get a client of their own, so they never wait on the webhooks' pool.
	outRdb := redis.NewClient(opt)
	defer outRdb.Close()
	ln, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", cfg.Addr, err)
	}
	defer ln.Close()
	a, err := build(ctx, cfg, log, rdb, outRdb, ln, stdout, h.now)
	if err != nil {
		return err
	}
	if h.started != nil {
		h.started(a)
	}
	fmt.Fprintf(stdout, "peerline listening on http://%s (public URL %s, line %q)\n", ln.Addr(), cfg.PublicURL, cfg.Line)
	return a.serve(ctx, ln)
}

// app is the wired service, ready to serve.
type app struct {
	log     logrus.FieldLogger
	handler http.Handler
	box     *outbox.Outbox
	bot     *bot.Bot
	sim     *simulator.Simulator // nil unless in local trial mode
	loc     *time.Location
}

// build wires templates, the sender (Twilio, or the phone simulator in local trial mode), the outbox,
// the rota, the bot and the HTTP routes.
func build(ctx context.Context, cfg config, log logrus.FieldLogger, rdb, outRdb *redis.Client, ln net.Listener,
	stdout io.Writer, now func() time.Time) (*app, error) {
	tmpl, err := templates.Load(cfg.TemplatesDir)
	if err != nil {
		return nil, err
	}
	words, err := risk.Load(cfg.RiskWords)
	if err != nil {
		return nil, fmt.Errorf("RISK_WORDS: %w", err)
	}
	a := &app{log: log, loc: cfg.Location}
	rt := rota.NewStore(rdb, cfg.Line, cfg.Location)
	if cfg.LocalMode {
		a.sim = startSimulator(&cfg, ln, rt, stdout)
		log.Warn("no TWILIO_ACCOUNT_SID: local trial mode. Texts go to the phone simulator, not to phones.")
	}
	sender, err := outbox.NewTwilio(outbox.TwilioConfig{
		AccountSID: cfg.AccountSID, AuthToken: cfg.AuthToken, From: cfg.From, WhatsAppFrom: cfg.WhatsAppFrom,
		MessagingServiceSID: cfg.MessagingServiceSID, StatusCallback: cfg.PublicURL + "/twilio/status",
		BaseURL: cfg.APIBaseURL,
	})
	if err != nil {
		return nil, err
	}
	// The outbox keeps real time: it dates messages by their Redis stream ids.
	// A text Twilio refuses for good goes to the dead letters, and the bot hears of it (an offer counts
	// as a pass; an opt-out is recorded). The bot is built below, before the outbox runs.
	onFailure := outbox.FailureFunc(func(ctx context.Context, m outbox.Message, code int) error {
		return a.bot.SendFailed(ctx, m, code)
	})
	a.box = outbox.New(outRdb, cfg.Line, sender, log, time.Now, outbox.Options{OnFailure: onFailure,
		DeadFor: cfg.Bot.Retention})
	if err := a.box.Setup(ctx); err != nil {
		return nil, err
	}
	if a.sim != nil {
		if seeded, err := simulator.Seed(ctx, rt, simulator.DemoPhones(), now()); err != nil {
			return nil, err
		} else if seeded {
			log.Warn("the rota was empty: seeded the demo rota (Sam and Jo on shift, Kim on call)")
		} else if r, err := rt.Load(ctx); err == nil && len(r.Volunteers) == 0 {
			if demo, err := rt.DemoHours(ctx, r); err == nil && demo {
				log.Warn("the demo people are gone but the line keeps the demo's hours (open day and night): " +
					"set your own with `go run ./scripts/rota hours set` (see scripts/README.md)")
			}
		}
	}
	a.bot = bot.New(log, rdb, cfg.Line, rt, matcher.New(rdb, cfg.Line).Keep(cfg.Bot.Retention, cfg.HistoryFor).Trial(cfg.LocalMode), a.box,
		tmpl, words, now, cfg.Bot)
	st := &stats{next: a.bot}
	rdb.AddHook(st)
	a.handler = webhooks.Routes(webhooks.Config{
		PublicURL: cfg.PublicURL, Tokens: []string{cfg.AuthToken, cfg.AuthTokenSecondary}, Region: cfg.Region,
	}, log, st, pinger{rdb}, st)
	if a.sim != nil {
		mux := http.NewServeMux()
		mux.Handle("/simulator/", a.sim.Handler())
		mux.Handle("/", a.handler)
		a.handler = mux
	}
	return a, nil
}

// serve runs the outbox, the cron jobs and the HTTP server until ctx ends, then stops them in order.
func (a *app) serve(ctx context.Context, ln net.Listener) error {
	sched := cron.New(cron.WithLocation(a.loc))
	if _, err := sched.AddFunc("@every 30s", func() { reclaim(ctx, a.log, a.box) }); err != nil {
		return fmt.Errorf("schedule outbox reclaim: %w", err)
	}
	if _, err := sched.AddFunc("@every 5s", func() { runDue(ctx, a.log, a.bot) }); err != nil {
		return fmt.Errorf("schedule due work: %w", err)
	}
	if _, err := sched.AddFunc("@every 10m", func() { planReminders(ctx, a.log, a.bot) }); err != nil {
		return fmt.Errorf("schedule shift reminders: %w", err)
	}
	srv := &http.Server{Handler: a.handler, ReadHeaderTimeout: 5 * time.Second, ReadTimeout: 10 * time.Second,
		WriteTimeout: 15 * time.Second}
	if a.sim != nil {
		srv.RegisterOnShutdown(a.sim.Close) // open simulator pages must not hold up the shutdown
	}
	var wg sync.WaitGroup
	outCtx, stopOutbox := context.WithCancel(context.WithoutCancel(ctx))
	wg.Go(func() { _ = a.box.Run(outCtx) })
	reclaim(ctx, a.log, a.box) // messages a previous run left unsent
	planReminders(ctx, a.log, a.bot)
	sched.Start()
	serveErr := make(chan error, 1)
	go func() { serveErr <- srv.Serve(ln) }()

	var err error
	select {
	case <-ctx.Done():
	case err = <-serveErr:
	}
	a.log.Info("shutting down")
	shutCtx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if e := srv.Shutdown(shutCtx); e != nil {
		err = errors.Join(err, fmt.Errorf("http shutdown: %w", e))
	}
	<-sched.Stop().Done()
	stopOutbox()
	wg.Wait()
	if errors.Is(err, http.ErrServerClosed) {
		err = nil
	}
	return err
}

func reclaim(ctx context.Context, log logrus.FieldLogger, box *outbox.Outbox) {
	if n, err := box.Reclaim(ctx); err != nil {
		log.WithError(err).WithField("job", "outbox-reclaim").Error("reclaim failed")
	} else if n > 0 {
		log.WithField("job", "outbox-reclaim").WithField("messages", n).Warn("sent messages a stopped sender left")
	}
}

// runDue does the work that has fallen due: escalation steps, check-ins, shift reminders.
func runDue(ctx context.Context, log logrus.FieldLogger, b *bot.Bot) {
	if _, err := b.RunDue(ctx); err != nil {
		log.WithError(err).WithField("job", "due").Error("due-work sweep failed")
	}
}

// planReminders schedules the reminders of shifts starting soon.
func planReminders(ctx context.Context, log logrus.FieldLogger, b *bot.Bot) {
	if _, err := b.PlanReminders(ctx); err != nil {
		log.WithError(err).WithField("job", "reminders").Error("planning shift reminders failed")
	}
}

// startSimulator makes the phone simulator the service's Twilio: the service sends its texts to the
// simulator's Messages.json through twilio-go, and the simulator signs the webhooks it posts.
func startSimulator(cfg *config, ln net.Listener, roster simulator.Roster, stdout io.Writer) *simulator.Simulator {
	port := ln.Addr().(*net.TCPAddr).Port
	sim := simulator.New(simulator.Config{
		AccountSID: localSID, AuthToken: cfg.AuthToken, ServiceURL: fmt.Sprintf("http://127.0.0.1:%d", port),
		PublicURL: cfg.PublicURL, LineNumber: localLine, LineWhatsApp: localWhatsApp, Phones: simulator.DemoPhones(),
		Roster: roster,
	}, stdout)
	cfg.AccountSID, cfg.From, cfg.WhatsAppFrom, cfg.APIBaseURL = localSID, localLine, localWhatsApp, sim.APIBaseURL()
	fmt.Fprintf(stdout, "phone simulator: http://localhost:%d/simulator/ (local trial mode: no texts reach real phones)\n", port)
	return sim
}

func newLogger(cfg config, w io.Writer) *logrus.Logger {
	log := logrus.New()
	log.SetOutput(w)
	log.SetLevel(cfg.LogLevel)
	if cfg.LogFormat == "json" {
		log.SetFormatter(&logrus.JSONFormatter{})
	}
	return log
}

type pinger struct{ rdb *redis.Client }

func (p pinger) Ping(ctx context.Context) error { return p.rdb.Ping(ctx).Err() }
