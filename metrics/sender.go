package metrics

import (
	"context"
	"errors"
	"strconv"
	"time"

	"peerline/outbox"
)

// sender times every send of the next Sender and counts its failures by Twilio error code.
type sender struct {
	next outbox.Sender
	l    *Line
}

// Sender returns next, timed and counted as line l's sends.
func (l *Line) Sender(next outbox.Sender) outbox.Sender { return &sender{next: next, l: l} }

// Send sends m through the next Sender, observing how long it took and, when it failed, why. Sends are
// timed in real time, as the outbox keeps it, whatever clock the bot has.
func (s *sender) Send(ctx context.Context, m outbox.Message) (string, error) {
	start := time.Now()
	sid, err := s.next.Send(ctx, m)
	s.l.m.sendSeconds.WithLabelValues(s.l.id).Observe(time.Since(start).Seconds())
	if err != nil {
		s.l.m.sendErrors.WithLabelValues(s.l.id, errorCode(err)).Inc()
	}
	return sid, err
}

// errorCode is the label of a failed send: Twilio's error code, or "network" when no answer came,
// "http_<status>" for an answer without a code, "other" for an error that is not a SendError.
func errorCode(err error) string {
	var se *outbox.SendError
	switch {
	case !errors.As(err, &se):
		return "other"
	case se.Code != 0:
		return strconv.Itoa(se.Code)
	case se.Status == 0:
		return "network"
	}
	return "http_" + strconv.Itoa(se.Status)
}
