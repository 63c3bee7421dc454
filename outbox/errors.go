package outbox

import (
	"errors"
	"fmt"
	"strconv"
)

// ErrPermanent marks a send failure that retrying cannot mend (an opted-out or invalid number).
var ErrPermanent = errors.New("permanent send failure")

// ErrNotFound is returned for a dead letter that does not exist (any more).
var ErrNotFound = errors.New("dead letter not found")

// ErrNotRetryable is returned by Retry for a dead letter whose text was not kept (it quoted someone).
var ErrNotRetryable = errors.New("its text was not kept, so it cannot be sent again")

// SendError is a send that failed, as Twilio answered it. It never carries a phone number or any text
// of the message (Twilio's own error messages can quote the number, so they are dropped).
type SendError struct {
	Status    int  // HTTP status Twilio answered; 0 when no answer came (a network error)
	Code      int  // Twilio error code, such as 21610; 0 when none
	Permanent bool // retrying cannot help; errors.Is(err, ErrPermanent) reports it
	err       error
}

// Error says what failed and whether it will be retried.
func (e *SendError) Error() string {
	switch {
	case e.Status == 0 && e.err != nil:
		return fmt.Sprintf("twilio: request failed (will retry): %v", e.err)
	case e.Permanent:
		return fmt.Sprintf("twilio: status %d, error %d: %v", e.Status, e.Code, ErrPermanent)
	}
	return fmt.Sprintf("twilio: status %d, error %d (will retry)", e.Status, e.Code)
}

// Unwrap returns the network error behind a send that got no answer, or nil.
func (e *SendError) Unwrap() error { return e.err }

// Is reports a permanent failure as ErrPermanent.
func (e *SendError) Is(target error) bool { return target == ErrPermanent && e.Permanent }

// Twilio error codes the line meets when a send is refused for good.
const (
	CodeOptedOut       = 21610 // the recipient texted STOP (or Twilio opted them out)
	CodeInvalidNumber  = 21211 // the 'To' number is not a valid phone number
	CodeCannotRoute    = 21612 // Twilio cannot route a message to this number
	CodeNotMobile      = 21614 // the 'To' number is not a mobile number
	CodeRegionDisabled = 21408 // sending to this number's country is not enabled on the account
	CodeBodyTooLong    = 21617 // the body is over 1,600 characters
)

// meanings are Twilio's error codes in plain words, for coordinators.
var meanings = map[int]string{
	CodeOptedOut:       "opted out",
	CodeInvalidNumber:  "not a valid number",
	CodeCannotRoute:    "cannot reach this number",
	CodeNotMobile:      "not a mobile number",
	CodeRegionDisabled: "country not enabled",
	CodeBodyTooLong:    "text too long",
	20003:              "Twilio login refused",
	20404:              "Twilio account not found",
	21608:              "trial account: number not verified",
	21606:              "line's number cannot send",
	21656:              "bad template variables",
	63016:              "WhatsApp 24-hour window closed",
}

// CodeMeaning returns code with its meaning in plain words, such as "21610 opted out". Code 0 is a
// message the line refused itself before asking Twilio (such as a template's bad variables).
func CodeMeaning(code int) string {
	if code == 0 {
		return "refused before sending"
	}
	if m, ok := meanings[code]; ok {
		return strconv.Itoa(code) + " " + m
	}
	return fmt.Sprintf("%d (twilio.com/docs/errors/%d)", code, code)
}
