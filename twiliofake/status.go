package twiliofake

import (
	"context"
	"net/url"
	"strconv"
)

// StatusPath is where the service takes Twilio's status callbacks (its StatusCallback URL's path).
const StatusPath = "/twilio/status"

// Status is one delivery status Twilio reports for a message it was asked to send.
type Status struct {
	AccountSID          string
	MessageSID          string // the SID the Messages API answered, "SM..."
	MessageStatus       string // queued, sent, delivered, undelivered, failed, read
	To                  string // as Twilio writes it: "+44..." or "whatsapp:+44..."
	From                string
	MessagingServiceSID string // set when the message was sent through a Messaging Service
	ErrorCode           int    // Twilio error code of a failure, such as 30003 or 63016; 0 for none
}

// StatusOf returns the status report for a message the fake recorded as sent.
func StatusOf(accountSID string, m Sent, status string, errorCode int) Status {
	return Status{
		AccountSID: accountSID, MessageSID: m.SID, MessageStatus: status, To: m.To, From: m.From,
		MessagingServiceSID: m.MessagingServiceSID, ErrorCode: errorCode,
	}
}

// Form returns the form Twilio posts to a status callback URL for s.
func (s Status) Form() url.Values {
	f := url.Values{
		"MessageSid": {s.MessageSID}, "SmsSid": {s.MessageSID}, "AccountSid": {s.AccountSID},
		"MessageStatus": {s.MessageStatus}, "SmsStatus": {s.MessageStatus},
		"To": {s.To}, "ApiVersion": {"2010-04-01"},
	}
	if s.From != "" {
		f.Set("From", s.From)
	}
	if s.MessagingServiceSID != "" {
		f.Set("MessagingServiceSid", s.MessagingServiceSID)
	}
	if s.ErrorCode != 0 {
		f.Set("ErrorCode", strconv.Itoa(s.ErrorCode))
	}
	return f
}

// PostStatus sends s to the service's status callback, StatusPath, signed as Twilio signs it, and
// returns the status code and body of the answer.
func (w Webhooks) PostStatus(ctx context.Context, s Status) (int, string, error) {
	return w.Post(ctx, StatusPath, s.Form())
}
