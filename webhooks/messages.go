package webhooks

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/sirupsen/logrus"

	"peerline/bot"
	"peerline/phone"
)

// emptyTwiML tells Twilio there is nothing to reply inline: every text leaves through the outbox.
const emptyTwiML = `<?xml version="1.0" encoding="UTF-8"?><Response></Response>`

var sidPattern = regexp.MustCompile(`^[A-Z]{2}[0-9a-fA-F]{32}$`)

// errMalformed is wrapped by every reason a form is not a usable message.
var errMalformed = errors.New("malformed message")

// parseMessage turns Twilio's incoming-message form into a bot.Inbound.
func parseMessage(f url.Values, region string) (bot.Inbound, error) {
	sid := f.Get("MessageSid")
	if sid == "" {
		sid = f.Get("SmsMessageSid")
	}
	if !sidPattern.MatchString(sid) {
		return bot.Inbound{}, fmt.Errorf("%w: MessageSid missing or not a Twilio id", errMalformed)
	}
	from, ch, err := phone.ParseAddress(f.Get("From"), region)
	if err != nil {
		return bot.Inbound{}, fmt.Errorf("%w: From: %w", errMalformed, err)
	}
	body := f.Get("Body")
	if utf8.RuneCountInString(body) > maxChars {
		return bot.Inbound{}, fmt.Errorf("%w: Body over %d characters", errMalformed, maxChars)
	}
	to, toCh, err := phone.ParseAddress(f.Get("To"), region)
	service := f.Get("MessagingServiceSid")
	if err != nil && service == "" {
		return bot.Inbound{}, fmt.Errorf("%w: To: %w", errMalformed, err)
	}
	if err != nil || toCh != ch {
		to = "" // a line with a Messaging Service may still be found by the service
	}
	media, _ := strconv.Atoi(f.Get("NumMedia"))
	return bot.Inbound{MessageSID: sid, From: from, Channel: ch, Body: body, Media: max(media, 0),
		OptOutType: strings.ToUpper(f.Get("OptOutType")), To: to, Service: service}, nil
}

// account refuses a form from another Twilio account than want ("" accepts any): a signed webhook for
// another account means a number is pointed at the wrong deployment.
func account(log logrus.FieldLogger, want string, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if got := formOf(r).Get("AccountSid"); want != "" && got != want {
			log.WithField("path", r.URL.Path).Warn("refused a webhook for another Twilio account (AccountSid)")
			http.Error(w, "this webhook is for another Twilio account", http.StatusForbidden)
			return
		}
		next.ServeHTTP(w, r)
	})
}

// maxChars is the longest Body Twilio can deliver to a webhook: 4,096 characters on WhatsApp (1,600 on
// SMS), counted in characters, not bytes, so curly quotes and Cyrillic pass as they should.
const maxChars = 4096

func handleMessage(log logrus.FieldLogger, h Handler, region string) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		in, err := parseMessage(formOf(r), region)
		if err != nil {
			log.WithError(err).Warn("rejected a malformed message webhook")
			http.Error(w, "malformed message", http.StatusBadRequest)
			return
		}
		ctx, cancel := context.WithTimeout(r.Context(), 10*time.Second)
		defer cancel()
		if err := h.Handle(ctx, in); errors.Is(err, ErrNoLine) {
			log.WithField("message", in.MessageSID).WithField("to", phone.Masked(in.To)).
				Warn("refused a message to a number that belongs to no line")
			http.Error(w, "no line has this number: add it with `rota line add`", http.StatusNotFound)
			return
		} else if err != nil {
			log.WithError(err).WithField("message", in.MessageSID).Error("message not handled; Twilio will retry")
			http.Error(w, "try again", http.StatusInternalServerError)
			return
		}
		w.Header().Set("Content-Type", "text/xml")
		_, _ = w.Write([]byte(emptyTwiML))
	})
}

func handleStatus(log logrus.FieldLogger, h Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		f := formOf(r)
		sid, status := f.Get("MessageSid"), f.Get("MessageStatus")
		if !sidPattern.MatchString(sid) || status == "" {
			http.Error(w, "malformed status callback", http.StatusBadRequest)
			return
		}
		entry := log.WithFields(logrus.Fields{"message": sid, "status": status})
		if code := f.Get("ErrorCode"); code != "" {
			entry.WithField("error_code", code).Warn("message not delivered")
		} else {
			entry.Debug("delivery status")
		}
		if err := h.Status(r.Context(), r.URL.Query().Get("line"), sid, status); errors.Is(err, ErrNoLine) {
			entry.Warn("refused a delivery status for a line this deployment does not serve")
			http.Error(w, "no such line", http.StatusNotFound)
			return
		} else if err != nil {
			entry.WithError(err).Error("delivery status not handled; Twilio may retry")
			http.Error(w, "try again", http.StatusInternalServerError)
			return
		}
		w.WriteHeader(http.StatusNoContent)
	})
}

func handleReady(log logrus.FieldLogger, store Pinger) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
		defer cancel()
		if err := store.Ping(ctx); err != nil {
			log.WithError(err).Warn("not ready: Redis does not answer")
			http.Error(w, "redis unavailable", http.StatusServiceUnavailable)
			return
		}
		_, _ = w.Write([]byte("ready\n"))
	})
}
