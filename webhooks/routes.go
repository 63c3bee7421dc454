// Package webhooks is the service's HTTP side: Twilio's message and status webhooks, and health checks.
// Handlers check Twilio's signature, turn the form into a bot.Inbound, call the bot and answer empty
// TwiML. There is no business logic here, and no way to switch the signature check off.
package webhooks

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"

	"github.com/sirupsen/logrus"

	"peerline/bot"
)

// Handler acts on one inbound message.
type Handler interface {
	// Handle acts on a message sent to in.To; it returns an error wrapping ErrNoLine when that number
	// (or in.Service) belongs to no line.
	Handle(ctx context.Context, in bot.Inbound) error
	// Status hears Twilio's delivery status of a message that line sent ("" for a message queued before
	// status callbacks named their line: the default line's).
	Status(ctx context.Context, line, messageSID, status string) error
}

// ErrNoLine is wrapped by a Handler's error for a message to a number that belongs to no line.
var ErrNoLine = errors.New("no line has this number")

// Pinger reports whether the store answers.
type Pinger interface {
	Ping(ctx context.Context) error
}

// Reporter gives counters for GET /debug/stats (counts only: nothing personal).
type Reporter interface {
	Stats() map[string]int64
}

// Config is what the routes need.
type Config struct {
	PublicURL string // the URL Twilio calls, without a trailing slash; signatures cover it
	// AccountSID is the Twilio account whose webhooks are accepted; a form naming another account is
	// refused. "" accepts any (a signature still holds).
	AccountSID string
	Tokens     []string // auth tokens whose signatures are accepted: the current one and, while rotating, the next
	Region     string   // default region for numbers without a country code, such as "GB"
}

// Routes returns the service's HTTP handler. GET /metrics is served beside it by package service (see
// package metrics), which also counts the webhooks these routes refuse.
func Routes(cfg Config, log logrus.FieldLogger, h Handler, store Pinger, stats Reporter) http.Handler {
	log = log.WithField("component", "webhooks")
	v := newVerifier(cfg.PublicURL, cfg.Tokens)
	mux := http.NewServeMux()
	mux.Handle("POST /twilio/messages", v.wrap(log, account(log, cfg.AccountSID, handleMessage(log, h, cfg.Region))))
	mux.Handle("POST /twilio/status", v.wrap(log, account(log, cfg.AccountSID, handleStatus(log, h))))
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, _ *http.Request) { _, _ = w.Write([]byte("ok\n")) })
	mux.Handle("GET /readyz", handleReady(log, store))
	mux.HandleFunc("GET /debug/stats", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(stats.Stats())
	})
	return mux
}
