package outbox

import (
	"context"
	"errors"
	"strings"

	"github.com/redis/go-redis/v9"
	"github.com/sirupsen/logrus"
)

// FailureHandler hears of every message Twilio refused for good, once it is kept as a dead letter. code
// is Twilio's error code, such as 21610 (0 when the line refused the message itself). It is called once
// per message; only when an instance dies between keeping the dead letter and acknowledging the message
// does the instance that reclaims it call it again (without sending again). An error is logged; the
// message is acknowledged all the same and its dead letter kept.
type FailureHandler interface {
	SendFailed(ctx context.Context, m Message, code int) error
}

// FailureFunc lets a function be a FailureHandler.
type FailureFunc func(ctx context.Context, m Message, code int) error

// SendFailed calls f.
func (f FailureFunc) SendFailed(ctx context.Context, m Message, code int) error {
	return f(ctx, m, code)
}

// fail keeps m, a message of stream that failed for good with err, as a dead letter, tells OnFailure,
// acknowledges it and reports true. When the dead letter cannot be written, m stays unacknowledged for a
// later round and fail reports false.
func (o *Outbox) fail(ctx context.Context, log logrus.FieldLogger, stream string, m Message, err error) bool {
	status, code := 0, 0
	var se *SendError
	if errors.As(err, &se) {
		status, code = se.Status, se.Code
	}
	log = log.WithFields(logrus.Fields{"status": status, "code": code})
	id, derr := o.bury(ctx, stream, m, status, code)
	if derr != nil {
		log.WithError(derr).Error("message not sent: permanent failure; keeping its dead letter failed, tried again later")
		return false
	}
	log.WithError(err).WithField("dead_letter", id).Warn("message not sent: permanent failure, kept as a dead letter")
	o.notify(ctx, log, m, code)
	o.done(ctx, log, stream, m, "")
	return true
}

// finishBuried finishes a message of stream, taken over after a stop, that was kept as a dead letter by
// an instance that died before acknowledging it: OnFailure hears of it and it is acknowledged, without
// sending it again. It reports whether x was such a message (or could not be checked, and is left for a
// later round).
func (o *Outbox) finishBuried(ctx context.Context, stream string, x redis.XMessage) bool {
	m := decode(x)
	log := o.log.WithFields(logrus.Fields{"message": m.ID, "kind": m.Kind, "channel": m.Channel})
	id, code, ok, err := o.buried(ctx, stream, m.ID)
	switch {
	case err != nil:
		log.WithError(err).Warn("reclaimed message left for the next reclaim")
		return true
	case !ok:
		return false
	}
	log.WithFields(logrus.Fields{"dead_letter": id, "code": code}).Warn("reclaimed a message already kept as a dead letter: finishing it, not sending it again")
	o.notify(ctx, log, m, code)
	o.done(ctx, log, stream, m, "")
	return true
}

// notify tells OnFailure that m failed for good with code, logging its error.
func (o *Outbox) notify(ctx context.Context, log logrus.FieldLogger, m Message, code int) {
	if o.opt.OnFailure == nil {
		return
	}
	if err := o.opt.OnFailure.SendFailed(ctx, m, code); err != nil {
		// The handler's error is not ours to trust: any long run of digits (a number) is masked.
		log.WithField("error", maskDigits(err.Error())).Error("handling a failed send failed; its dead letter is kept")
	}
}

// maskDigits replaces every run of five or more digits in s, which could be a phone number, with "#".
func maskDigits(s string) string {
	var b strings.Builder
	run := 0
	for i := 0; i < len(s); i++ {
		if s[i] >= '0' && s[i] <= '9' {
			run++
			continue
		}
		b.WriteString(maskRun(s[i-run : i]))
		run = 0
		b.WriteByte(s[i])
	}
	b.WriteString(maskRun(s[len(s)-run:]))
	return b.String()
}

func maskRun(digits string) string {
	if len(digits) >= 5 {
		return "#"
	}
	return digits
}
