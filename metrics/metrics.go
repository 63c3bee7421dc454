// Package metrics exposes the service's Prometheus metrics at GET /metrics, on a registry of its own:
// inbound messages by kind, the waiting queue, time to a human, escalation steps, the outbox's depth,
// sends to Twilio, due work's lateness and Redis errors. Labels are line ids, kinds, steps, priority
// classes, command names and Twilio error codes only: never a number, a request code, a volunteer id or
// any text, so the output holds no personal data.
//
// Counters and histograms are fed by the bot (through an Observer per line, see Line), by a decorator
// of each line's Twilio sender, by a go-redis hook and by an HTTP middleware for webhooks refused before
// they reach a line. Gauges of the queue and the outbox are read from Redis when Prometheus scrapes.
package metrics

import (
	"crypto/subtle"
	"net/http"
	"strings"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// Metric names, in one place: the alert rules (alerts.yml) may use only these, and a test checks it.
const (
	NameInbound     = "peerline_inbound_messages_total"
	NameWaiting     = "peerline_requests_waiting"
	NamePastGiveUp  = "peerline_requests_past_give_up"
	NameOldestWait  = "peerline_requests_oldest_wait_seconds"
	NameTimeToHuman = "peerline_time_to_human_seconds"
	NameEscalations = "peerline_escalations_total"
	NameOutboxDepth = "peerline_outbox_depth"
	NameSendSeconds = "peerline_send_duration_seconds"
	NameSendErrors  = "peerline_send_errors_total"
	NameDueLateness = "peerline_due_lateness_seconds"
	NameRedisErrors = "peerline_redis_errors_total"
	NameReadErrors  = "peerline_metrics_read_errors_total"
)

// Inbound kinds counted before a message reaches a line (the bot's own kinds are in package bot). Their
// line label is empty: no line is known.
const (
	KindUnknownLine = "unknown_line" // a text or status callback to a number (or line) that no line has: 404
	KindRejected    = "rejected"     // a webhook refused: bad signature, another account, a malformed form
	KindFailed      = "failed"       // a webhook the service could not handle (5xx): Twilio tries again
)

// Config is what the metrics need.
type Config struct {
	GiveUp time.Duration    // GIVE_UP_TIMEOUT: a request waiting longer is past its give-up time
	Now    func() time.Time // the bot's clock, for the waiting requests' ages; nil is time.Now
	Token  string           // METRICS_TOKEN: when set, GET /metrics wants "Authorization: Bearer <Token>"
}

// Metrics is the service's registry and its metrics.
type Metrics struct {
	cfg         Config
	reg         *prometheus.Registry
	inbound     *prometheus.CounterVec
	timeToHuman *prometheus.HistogramVec
	escalations *prometheus.CounterVec
	sendSeconds *prometheus.HistogramVec
	sendErrors  *prometheus.CounterVec
	dueLateness *prometheus.HistogramVec
	redisErrors *prometheus.CounterVec
	readErrors  *prometheus.CounterVec
}

// New returns the metrics on a registry of their own. Watch adds the gauges read at scrape time.
func New(cfg Config) *Metrics {
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	m := &Metrics{cfg: cfg, reg: prometheus.NewRegistry()}
	m.inbound = prometheus.NewCounterVec(prometheus.CounterOpts{Name: NameInbound,
		Help: "Inbound webhooks by kind (new_request, relay, command, risk, person, duplicate, status_callback, unknown_line, rejected, failed)."},
		[]string{"line", "kind"})
	m.timeToHuman = prometheus.NewHistogramVec(prometheus.HistogramOpts{Name: NameTimeToHuman,
		Help:    "Seconds from a person's first text to a volunteer's accepted claim of their request.",
		Buckets: []float64{15, 30, 60, 120, 180, 300, 600, 900, 1200, 1800, 3600}}, []string{"line"})
	m.escalations = prometheus.NewCounterVec(prometheus.CounterOpts{Name: NameEscalations,
		Help: "Escalation steps taken by requests: widen, page, giveup, signpost (nobody on shift or on call)."},
		[]string{"line", "step"})
	m.sendSeconds = prometheus.NewHistogramVec(prometheus.HistogramOpts{Name: NameSendSeconds,
		Help:    "Seconds one send to Twilio took, whatever its outcome.",
		Buckets: []float64{0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30}}, []string{"line"})
	m.sendErrors = prometheus.NewCounterVec(prometheus.CounterOpts{Name: NameSendErrors,
		Help: "Sends to Twilio that failed, by Twilio error code (or network, http_<status>, other)."},
		[]string{"line", "code"})
	m.dueLateness = prometheus.NewHistogramVec(prometheus.HistogramOpts{Name: NameDueLateness,
		Help:    "Seconds between when due work fell due and when a sweep claimed it, by kind.",
		Buckets: []float64{1, 2, 5, 10, 30, 60, 120, 300, 600, 1800}}, []string{"line", "kind"})
	m.redisErrors = prometheus.NewCounterVec(prometheus.CounterOpts{Name: NameRedisErrors,
		Help: "Redis commands that failed (not counting a missing key), by command name."}, []string{"command"})
	m.readErrors = prometheus.NewCounterVec(prometheus.CounterOpts{Name: NameReadErrors,
		Help: "Scrapes that could not read a line's queue or outbox from Redis."}, []string{"line"})
	m.reg.MustRegister(m.inbound, m.timeToHuman, m.escalations, m.sendSeconds, m.sendErrors, m.dueLateness,
		m.redisErrors, m.readErrors)
	for _, k := range []string{KindUnknownLine, KindRejected, KindFailed} {
		m.inbound.WithLabelValues("", k)
	}
	return m
}

// Watch adds the gauges of the queue and the outbox of every line that lines lists, read from Redis
// at each scrape. Call it once, before serving.
func (m *Metrics) Watch(lines Lines) {
	m.reg.MustRegister(&gauges{m: m, lines: lines})
}

// Registry returns the registry the metrics are on (for tests and further collectors).
func (m *Metrics) Registry() *prometheus.Registry { return m.reg }

// Handler serves the metrics in Prometheus's text format. With a Token configured, a request without
// "Authorization: Bearer <Token>" gets 401.
func (m *Metrics) Handler() http.Handler {
	h := promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{})
	if m.cfg.Token == "" {
		return h
	}
	want := []byte(m.cfg.Token)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
		if !ok || subtle.ConstantTimeCompare([]byte(got), want) != 1 {
			w.Header().Set("WWW-Authenticate", `Bearer realm="metrics"`)
			http.Error(w, "metrics need the bearer token (METRICS_TOKEN)", http.StatusUnauthorized)
			return
		}
		h.ServeHTTP(w, r)
	})
}
