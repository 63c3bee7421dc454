// Package twiliofake plays Twilio for tests, local trials and benchmarks: a Twilio-compatible Messages
// REST endpoint that records what the service sends, and a webhook client that signs requests exactly
// as Twilio signs them.
package twiliofake

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode/utf16"
)

// Sent is one message the service asked Twilio to send.
type Sent struct {
	SID                 string
	To                  string // as posted, "whatsapp:+44..." for WhatsApp
	From                string
	MessagingServiceSID string
	Body                string
	ContentSID          string // an approved template ("HX..."), sent instead of a Body
	ContentVariables    string // the template's variables, a JSON object as posted
	StatusCallback      string
	ValidityPeriod      int
}

// Failure is an error the server answers instead of sending.
type Failure struct {
	Status int // HTTP status, such as 429, 500 or 400
	Code   int // Twilio error code, such as 20429 or 21610
}

// Server is a fake of Twilio's Messages API: POST /2010-04-01/Accounts/{AccountSid}/Messages.json.
type Server struct {
	accountSID, authToken string

	mu       sync.Mutex
	sent     []Sent
	times    []time.Time // when each of sent was answered
	failures []Failure
	failTo   map[string]Failure   // every send to a number fails
	failNext map[string][]Failure // the next sends to a number fail, in order
	requests int
	latency  time.Duration // each send is answered after this long
	inFlight int           // sends being answered now (during their latency)
	peak     int           // the most sends ever answered at once
	changed  chan struct{} // closed and replaced whenever sent grows
}

// Peak reports the most send requests the server has been answering at once.
func (s *Server) Peak() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.peak
}

// SetLatency makes the server answer each send request d after it came (Twilio takes about 300 ms on a
// busy day); the message counts as sent, and is seen by Sent and Wait, when the answer goes.
func (s *Server) SetLatency(d time.Duration) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.latency = d
}

// NewServer returns a fake that accepts requests authenticated as accountSID:authToken.
func NewServer(accountSID, authToken string) *Server {
	return &Server{accountSID: accountSID, authToken: authToken, changed: make(chan struct{}),
		failTo: map[string]Failure{}, failNext: map[string][]Failure{}}
}

// FailNext makes the next len(f) send requests fail, in order, whoever they are to. They come before
// failures set for a number.
func (s *Server) FailNext(f ...Failure) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.failures = append(s.failures, f...)
}

// FailTo makes every send to number fail with f, until StopFailing. number is E.164, such as
// "+447700900102", for both SMS and WhatsApp, or a Twilio address ("whatsapp:+44...") for one channel:
// fake.FailTo(jo, twiliofake.Failure{Status: 400, Code: 21610}) plays Jo having texted STOP.
func (s *Server) FailTo(number string, f Failure) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.failTo[number] = f
}

// FailToNext makes the next len(f) sends to number (as FailTo reads it) fail, in order; later sends to
// it go through.
func (s *Server) FailToNext(number string, f ...Failure) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.failNext[number] = append(s.failNext[number], f...)
}

// StopFailing undoes FailTo and FailToNext for number.
func (s *Server) StopFailing(number string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.failTo, number)
	delete(s.failNext, number)
}

// MaxBody is the longest Body Twilio sends, in characters as BodyLength counts them; a longer one is
// refused with status 400, error 21617.
const MaxBody = 1600

// BodyLength returns the length of body as this fake counts it against MaxBody: UTF-16 code units,
// never bytes. A curly quote or a Cyrillic letter is one, like a plain letter; an emoji such as the pill
// is two, as Twilio warns that emoji "count as multiple characters". Code that must stay within the
// limit is safe counting this way.
func BodyLength(body string) int { return len(utf16.Encode([]rune(body))) }

// failure returns the failure answered to a send to to (as posted), if any: one set by FailNext, then
// 21617 for a body that is too long, then one set for the number. s.mu is held.
func (s *Server) failure(to string, tooLong bool) (Failure, bool) {
	if len(s.failures) > 0 {
		f := s.failures[0]
		s.failures = s.failures[1:]
		return f, true
	}
	if tooLong {
		return Failure{Status: http.StatusBadRequest, Code: 21617}, true
	}
	for _, k := range []string{to, strings.TrimPrefix(to, "whatsapp:")} {
		if q := s.failNext[k]; len(q) > 0 {
			s.failNext[k] = q[1:]
			return q[0], true
		}
	}
	for _, k := range []string{to, strings.TrimPrefix(to, "whatsapp:")} {
		if f, ok := s.failTo[k]; ok {
			return f, true
		}
	}
	return Failure{}, false
}

// Sent returns every message sent so far.
func (s *Server) Sent() []Sent {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Sent(nil), s.sent...)
}

// SentAt returns when each message Sent returns was accepted (its answer went), in the same order.
func (s *Server) SentAt() []time.Time {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]time.Time(nil), s.times...)
}

// Requests returns how many send requests arrived, failed ones included.
func (s *Server) Requests() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.requests
}

// Wait blocks until at least n messages were sent, or ctx ends.
func (s *Server) Wait(ctx context.Context, n int) ([]Sent, error) {
	for {
		s.mu.Lock()
		sent, ch := append([]Sent(nil), s.sent...), s.changed
		s.mu.Unlock()
		if len(sent) >= n {
			return sent, nil
		}
		select {
		case <-ch:
		case <-ctx.Done():
			return sent, fmt.Errorf("waited for %d messages, have %d: %w", n, len(sent), ctx.Err())
		}
	}
}

// ServeHTTP answers the Messages API.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost || r.URL.Path != "/2010-04-01/Accounts/"+s.accountSID+"/Messages.json" {
		writeError(w, Failure{Status: http.StatusNotFound, Code: 20404}, "")
		return
	}
	if u, p, ok := r.BasicAuth(); !ok || u != s.accountSID || p != s.authToken {
		writeError(w, Failure{Status: http.StatusUnauthorized, Code: 20003}, "")
		return
	}
	if f := invalid(r); f.Status != 0 {
		writeError(w, f, r.PostForm.Get("To"))
		return
	}
	s.mu.Lock()
	latency := s.latency
	s.inFlight++
	s.peak = max(s.peak, s.inFlight)
	s.mu.Unlock()
	defer func() {
		s.mu.Lock()
		s.inFlight--
		s.mu.Unlock()
	}()
	if latency > 0 {
		t := time.NewTimer(latency)
		select {
		case <-t.C:
		case <-r.Context().Done():
			t.Stop()
			return
		}
	}
	s.mu.Lock()
	s.requests++
	if f, failed := s.failure(r.PostForm.Get("To"), BodyLength(r.PostForm.Get("Body")) > MaxBody); failed {
		s.mu.Unlock()
		writeError(w, f, r.PostForm.Get("To"))
		return
	}
	vp, _ := strconv.Atoi(r.PostForm.Get("ValidityPeriod"))
	m := Sent{
		SID: NewSID("SM"), To: r.PostForm.Get("To"), From: r.PostForm.Get("From"),
		MessagingServiceSID: r.PostForm.Get("MessagingServiceSid"), Body: r.PostForm.Get("Body"),
		ContentSID: r.PostForm.Get("ContentSid"), ContentVariables: r.PostForm.Get("ContentVariables"),
		StatusCallback: r.PostForm.Get("StatusCallback"), ValidityPeriod: vp,
	}
	s.sent = append(s.sent, m)
	s.times = append(s.times, time.Now())
	close(s.changed)
	s.changed = make(chan struct{})
	s.mu.Unlock()

	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(http.StatusCreated)
	_ = json.NewEncoder(w).Encode(map[string]any{
		"sid": m.SID, "account_sid": s.accountSID, "to": m.To, "from": m.From, "body": m.Body,
		"status": "queued", "num_segments": "1", "direction": "outbound-api", "api_version": "2010-04-01",
	})
}

// invalid returns the error Twilio answers to a request that cannot be a message, or a zero Failure.
func invalid(r *http.Request) Failure {
	bad := func(code int) Failure { return Failure{Status: http.StatusBadRequest, Code: code} }
	if err := r.ParseForm(); err != nil {
		return bad(21604)
	}
	f := r.PostForm
	switch {
	case f.Get("To") == "":
		return bad(21604) // 'To' phone number is required
	case f.Get("From") == "" && f.Get("MessagingServiceSid") == "":
		return bad(21603) // 'From' phone number is required
	case f.Get("Body") == "" && f.Get("ContentSid") == "" && f.Get("MediaUrl") == "":
		return bad(21619) // a text message body, media URL or content SID must be specified
	case f.Get("ContentVariables") != "" && !jsonObject(f.Get("ContentVariables")):
		return bad(21656) // ContentVariables is not a valid JSON object
	}
	return Failure{}
}

func jsonObject(s string) bool {
	var m map[string]any
	return json.Unmarshal([]byte(s), &m) == nil && m != nil
}

// messages are Twilio's own error messages for the codes a line meets; like Twilio's, some quote the
// number, which the service must never log.
var messages = map[int]string{
	21211: "The 'To' number %s is not a valid phone number.",
	21408: "Permission to send an SMS has not been enabled for the region indicated by the 'To' number: %s.",
	21610: "Attempt to send to unsubscribed recipient",
	21612: "The 'To' phone number: %s, is not currently reachable using the 'From' phone number via SMS.",
	21614: "'To' number %s is not a valid mobile number",
	21617: "The concatenated message body exceeds the 1600 character limit.",
}

// writeError answers f as Twilio does; to is the recipient as posted, quoted by some messages.
func writeError(w http.ResponseWriter, f Failure, to string) {
	msg := http.StatusText(f.Status)
	if m, ok := messages[f.Code]; ok {
		msg = m
		if strings.Contains(m, "%s") {
			msg = fmt.Sprintf(m, to)
		}
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(f.Status)
	_ = json.NewEncoder(w).Encode(map[string]any{
		"code": f.Code, "message": msg, "status": f.Status,
		"more_info": fmt.Sprintf("https://www.twilio.com/docs/errors/%d", f.Code),
	})
}

// NewSID returns a random Twilio-style id with the given two-letter prefix, such as "SM" or "AC".
func NewSID(prefix string) string {
	b := make([]byte, 16)
	_, _ = rand.Read(b)
	return prefix + hex.EncodeToString(b)
}
