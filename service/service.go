// Package service is the composition root of peerline: it reads the settings, wires Redis, Twilio (or
// the phone simulator in local trial mode), the outbox, the rota, the bot, the HTTP routes and the cron
// jobs, serves until its context ends, and shuts them down in order.
package service

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"time"

	"github.com/redis/go-redis/v9"
	"github.com/robfig/cron/v3"
	"github.com/sirupsen/logrus"

	"peerline/bot"
	"peerline/lines"
	"peerline/matcher"
	"peerline/metrics"
	"peerline/outbox"
	"peerline/risk"
	"peerline/rota"
	"peerline/settings"
	"peerline/simulator"
	"peerline/templates"
	"peerline/webhooks"
)

// Run wires the service and serves until ctx ends, then shuts down in order: HTTP, cron, outbox, Redis.
// args are the command line (args[0] the program's name), getenv reads the environment (then the file
// that -env names, .env by default), stdout gets the start-up lines and stderr the logs.
func Run(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	return RunWith(ctx, Hooks{Now: time.Now}, args, getenv, stdout, stderr)
}

// Hooks are what tests may change in a run: the clock, and a look at the wired service once it is
// ready (to sweep due work at once instead of waiting for cron).
type Hooks struct {
	Now     func() time.Time // the clock of the bot and the demo rota (the outbox keeps real time); nil is time.Now
	Started func(s *Service) // called once the service is wired, before it serves; may be nil
}

// RunWith is Run with hooks h.
func RunWith(ctx context.Context, h Hooks, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	if h.Now == nil {
		h.Now = time.Now
	}
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
	rdb := cfg.Redis.NewClient()
	defer rdb.Close()
	if err := rdb.Ping(ctx).Err(); err != nil {
		return fmt.Errorf("redis at REDIS_URL does not answer (is it running? `make run` starts one): %w", err)
	}
	if cfg.Bot.Durability, err = durability(ctx, cfg.Durability, rdb, cfg.Line, log); err != nil {
		return err
	}
	// The outbox's blocking reads get a client of their own, so they never wait on the webhooks' pool.
	// It has a connection for each send in flight (it acknowledges each as it ends).
	outRdb := cfg.Redis.WithPool(cfg.Outbox.InFlight + 4).NewClient()
	defer outRdb.Close()
	ln, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", cfg.Addr, err)
	}
	defer ln.Close()
	met := metrics.New(metrics.Config{GiveUp: cfg.Bot.GiveUpAfter, Now: h.Now, Token: cfg.MetricsToken})
	rdb.AddHook(met.RedisHook())
	outRdb.AddHook(met.RedisHook())
	a, err := build(ctx, cfg, log, rdb, outRdb, ln, stdout, h.Now, met)
	if err != nil {
		return err
	}
	if h.Started != nil {
		h.Started(a)
	}
	fmt.Fprintf(stdout, "peerline listening on http://%s (public URL %s, default line %q, %d lines)\n", ln.Addr(),
		cfg.PublicURL, cfg.Line, len(a.lines.each()))
	return a.serve(ctx, ln)
}

// Service is the wired service, ready to serve.
type Service struct {
	log     logrus.FieldLogger
	handler http.Handler
	lines   *fleet
	sim     *simulator.Simulator // nil unless in local trial mode
	loc     *time.Location
}

// Bot returns the default line's conversation engine, so that a test can run due work at once as cron
// would.
func (a *Service) Bot() *bot.Bot { return a.lines.each()[0].bot }

// LineBot returns line id's conversation engine, reading the register of lines first if it is new.
func (a *Service) LineBot(ctx context.Context, id string) (*bot.Bot, error) {
	if err := a.lines.load(ctx, false); err != nil {
		return nil, err
	}
	r, ok := a.lines.line(id)
	if !ok {
		return nil, fmt.Errorf("line %s: %w", id, lines.ErrNotFound)
	}
	return r.bot, nil
}

// Outbox returns the default line's outbox of outgoing texts.
func (a *Service) Outbox() *outbox.Outbox { return a.lines.each()[0].box }

// build wires the risk words, the phone simulator in local trial mode, every line (see fleet and
// buildLine) and the HTTP routes.
func build(ctx context.Context, cfg config, log logrus.FieldLogger, rdb, outRdb redis.UniversalClient, ln net.Listener,
	stdout io.Writer, now func() time.Time, met *metrics.Metrics) (*Service, error) {
	words, err := risk.Load(cfg.RiskWords)
	if err != nil {
		return nil, fmt.Errorf("RISK_WORDS: %w", err)
	}
	a := &Service{log: log, loc: cfg.Location}
	if cfg.LocalMode {
		rt := rota.NewStore(rdb, cfg.Line, cfg.Location)
		a.sim = startSimulator(&cfg, ln, rt, stdout)
		log.Warn("no TWILIO_ACCOUNT_SID: local trial mode. Texts go to the phone simulator, not to phones.")
		if err := seedDemo(ctx, log, rt, now); err != nil {
			return nil, err
		}
	}
	def := lines.Line{ID: cfg.Line, From: cfg.From, MessagingServiceSID: cfg.MessagingServiceSID,
		WhatsAppFrom: cfg.WhatsAppFrom, TimeZone: cfg.Location.String(), Region: cfg.Region,
		TemplatesDir: cfg.TemplatesDir, Default: true}
	a.lines = &fleet{log: log, store: lines.NewStore(rdb, def), def: def,
		build: func(ctx context.Context, l lines.Line) (*lineRun, error) {
			return buildLine(ctx, cfg, log, rdb, outRdb, words, now, l, met.Line(l.ID))
		}}
	if err := a.lines.load(ctx, true); err != nil {
		return nil, err
	}
	st := &stats{next: a.lines}
	rdb.AddHook(st)
	a.handler = webhooks.Routes(webhooks.Config{
		PublicURL: cfg.PublicURL, AccountSID: cfg.AccountSID, Tokens: []string{cfg.AuthToken, cfg.AuthTokenSecondary},
		Region: cfg.Region,
	}, log, st, pinger{rdb}, st)
	// GET /metrics sits beside the webhooks' routes, which it counts when they never reach a line.
	met.Watch(a.lines)
	mux := http.NewServeMux()
	mux.Handle("GET /metrics", met.Handler())
	mux.Handle("/", met.Webhooks(a.handler))
	a.handler = mux
	if a.sim != nil {
		mux := http.NewServeMux()
		mux.Handle("/simulator/", a.sim.Handler())
		mux.Handle("/", a.handler)
		a.handler = mux
	}
	return a, nil
}

// buildLine wires one line: its templates (its own folder, or the deployment's), its rota in its time
// zone, its outbox sending from its numbers, and its bot.
func buildLine(ctx context.Context, cfg config, log logrus.FieldLogger, rdb, outRdb redis.UniversalClient,
	words *risk.Matcher, now func() time.Time, l lines.Line, met *metrics.Line) (*lineRun, error) {
	dir := l.TemplatesDir
	if dir == "" {
		dir = cfg.TemplatesDir
	}
	tmpl, err := templates.Load(dir)
	if err != nil {
		return nil, fmt.Errorf("line %s: %w", l.ID, err)
	}
	loc, err := l.Location()
	if err != nil {
		return nil, fmt.Errorf("line %s: %w", l.ID, err)
	}
	log = log.WithField("line", l.ID)
	opts := cfg.Bot
	if opts.Durability.On() { // each line waits on its own slot's node, after a write of its own key
		opts.Durability.SyncKey = "pl:{" + l.ID + "}:durable"
	}
	r := &lineRun{line: l, rota: rota.NewStore(rdb, l.ID, loc).Durable(opts.Durability)}
	callback := cfg.PublicURL + "/twilio/status"
	if !l.Default {
		callback += "?line=" + l.ID
	}
	sender, err := outbox.NewTwilio(outbox.TwilioConfig{
		AccountSID: cfg.AccountSID, AuthToken: cfg.AuthToken, From: l.From, WhatsAppFrom: l.WhatsAppFrom,
		MessagingServiceSID: l.MessagingServiceSID, StatusCallback: callback, BaseURL: cfg.APIBaseURL,
	})
	if err != nil {
		return nil, fmt.Errorf("line %s: %w", l.ID, err)
	}
	// The outbox keeps real time: it dates messages by their Redis stream ids.
	// A text Twilio refuses for good goes to the dead letters, and the bot hears of it (an offer counts
	// as a pass; an opt-out is recorded). The bot is built below, before the outbox runs.
	onFailure := outbox.FailureFunc(func(ctx context.Context, m outbox.Message, code int) error {
		return r.bot.SendFailed(ctx, m, code)
	})
	r.box = outbox.New(outRdb, l.ID, met.Sender(sender), log, time.Now, outbox.Options{OnFailure: onFailure,
		DeadFor: cfg.Bot.Retention, InFlight: cfg.Outbox.InFlight, Rate: cfg.Outbox.Rate, Instance: cfg.Outbox.Instance})
	if err := r.box.Setup(ctx); err != nil {
		return nil, fmt.Errorf("line %s: %w", l.ID, err)
	}
	r.match = matcher.New(rdb, l.ID).Keep(cfg.Bot.Retention, cfg.HistoryFor).Trial(cfg.LocalMode)
	r.bot = bot.New(log, rdb, l.ID, r.rota, r.match, r.box, tmpl, words, now, opts).Observe(met)
	return r, nil
}

// seedDemo seeds the demo rota in local trial mode, once ever.
func seedDemo(ctx context.Context, log logrus.FieldLogger, rt *rota.Store, now func() time.Time) error {
	seeded, err := simulator.Seed(ctx, rt, simulator.DemoPhones(), now())
	if err != nil {
		return err
	}
	if seeded {
		log.Warn("the rota was empty: seeded the demo rota (Sam and Jo on shift, Kim on call)")
	} else if r, err := rt.Load(ctx); err == nil && len(r.Volunteers) == 0 {
		if demo, err := rt.DemoHours(ctx, r); err == nil && demo {
			log.Warn("the demo people are gone but the line keeps the demo's hours (open day and night): " +
				"set your own with `go run ./scripts/rota hours set` (see scripts/README.md)")
		}
	}
	return nil
}

// serve runs the outbox, the cron jobs and the HTTP server until ctx ends, then stops them in order.
func (a *Service) serve(ctx context.Context, ln net.Listener) error {
	sched := cron.New(cron.WithLocation(a.loc))
	every := func(spec, what string, job func(context.Context, logrus.FieldLogger, *lineRun)) error {
		_, err := sched.AddFunc(spec, func() {
			for _, r := range a.lines.each() {
				job(ctx, a.log, r)
			}
		})
		if err != nil {
			return fmt.Errorf("schedule %s: %w", what, err)
		}
		return nil
	}
	if err := errors.Join(every("@every 30s", "outbox reclaim", reclaim), every("@every 5s", "due work", runDue),
		every("@every 10m", "shift reminders", planReminders)); err != nil {
		return err
	}
	// A line added with `rota line add` (or changed) is served within seconds, without a restart.
	if _, err := sched.AddFunc("@every 5s", func() {
		if err := a.lines.load(ctx, false); err != nil {
			a.log.WithError(err).WithField("job", "lines").Error("reading the lines failed")
		}
	}); err != nil {
		return fmt.Errorf("schedule lines: %w", err)
	}
	srv := &http.Server{Handler: a.handler, ReadHeaderTimeout: 5 * time.Second, ReadTimeout: 10 * time.Second,
		WriteTimeout: 15 * time.Second}
	if a.sim != nil {
		srv.RegisterOnShutdown(a.sim.Close) // open simulator pages must not hold up the shutdown
	}
	outCtx, stopOutbox := context.WithCancel(context.WithoutCancel(ctx))
	defer stopOutbox()
	a.lines.serve(outCtx)
	for _, r := range a.lines.each() {
		reclaim(ctx, a.log, r) // what other instances left, idle for ClaimIdle (each outbox resends its own at once)
		planReminders(ctx, a.log, r)
	}
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
	a.lines.halt()
	if errors.Is(err, http.ErrServerClosed) {
		err = nil
	}
	return err
}

// reclaim takes over the texts that stopped instances left unsent, and says what became of them.
func reclaim(ctx context.Context, log logrus.FieldLogger, l *lineRun) {
	r, err := l.box.Reclaim(ctx)
	log = log.WithFields(logrus.Fields{"line": l.line.ID, "job": "outbox-reclaim", "own": r.Own, "taken": r.Taken,
		"dropped": r.Dropped, "buried": r.Buried, "left": r.Left})
	switch {
	case err != nil:
		log.WithError(err).Error("reclaim failed")
	case r.Total() > 0:
		log.Warn("took over texts left unsent: own ones resent, others' taken from stopped instances, " +
			"some dropped as too old or kept as dead letters, the rest left for a later round")
	}
}

// runDue does the work that has fallen due: escalation steps, check-ins, shift reminders.
func runDue(ctx context.Context, log logrus.FieldLogger, r *lineRun) {
	if _, err := r.bot.RunDue(ctx); err != nil {
		log.WithError(err).WithField("line", r.line.ID).WithField("job", "due").Error("due-work sweep failed")
	}
}

// planReminders schedules the reminders of shifts starting soon.
func planReminders(ctx context.Context, log logrus.FieldLogger, r *lineRun) {
	if _, err := r.bot.PlanReminders(ctx); err != nil {
		log.WithError(err).WithField("line", r.line.ID).WithField("job", "reminders").Error("planning shift reminders failed")
	}
}

// startSimulator makes the phone simulator the service's Twilio: the service sends its texts to the
// simulator's Messages.json through twilio-go, and the simulator signs the webhooks it posts.
func startSimulator(cfg *config, ln net.Listener, roster simulator.Roster, stdout io.Writer) *simulator.Simulator {
	port := ln.Addr().(*net.TCPAddr).Port
	sim := simulator.New(simulator.Config{
		AccountSID: LocalAccountSID, AuthToken: cfg.AuthToken, ServiceURL: fmt.Sprintf("http://127.0.0.1:%d", port),
		PublicURL: cfg.PublicURL, LineNumber: LocalLine, LineWhatsApp: localWhatsApp, Phones: simulator.DemoPhones(),
		Roster: roster,
	}, stdout)
	cfg.AccountSID, cfg.From, cfg.WhatsAppFrom, cfg.APIBaseURL = LocalAccountSID, LocalLine, localWhatsApp, sim.APIBaseURL()
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

type pinger struct{ rdb redis.UniversalClient }

func (p pinger) Ping(ctx context.Context) error { return p.rdb.Ping(ctx).Err() }
