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
	"sync"
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
	failures []Failure
	requests int
	changed  chan struct{} // closed and replaced whenever sent grows
}

// NewServer returns a fake that accepts requests authenticated as accountSID:authToken.
func NewServer(accountSID, authToken string) *Server {
	return &Server{accountSID: accountSID, authToken: authToken, changed: make(chan struct{})}
}

// FailNext makes the next len(f) send requests fail, in order.
func (s *Server) FailNext(f ...Failure) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.failures = append(s.failures, f...)
}

// Sent returns every message sent so far.
func (s *Server) Sent() []Sent {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Sent(nil), s.sent...)
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
		writeError(w, Failure{Status: http.StatusNotFound, Code: 20404})
		return
	}
	if u, p, ok := r.BasicAuth(); !ok || u != s.accountSID || p != s.authToken {
		writeError(w, Failure{Status: http.StatusUnauthorized, Code: 20003})
		return
	}
	if f := invalid(r); f.Status != 0 {
		writeError(w, f)
		return
	}
	s.mu.Lock()
	s.requests++
	if len(s.failures) > 0 {
		f := s.failures[0]
		s.failures = s.failures[1:]
		s.mu.Unlock()
		writeError(w, f)
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

func writeError(w http.ResponseWriter, f Failure) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(f.Status)
	_ = json.NewEncoder(w).Encode(map[string]any{
		"code": f.Code, "message": http.StatusText(f.Status), "status": f.Status,
		"more_info": fmt.Sprintf("https://www.twilio.com/docs/errors/%d", f.Code),
	})
}

// NewSID returns a random Twilio-style id with the given two-letter prefix, such as "SM" or "AC".
func NewSID(prefix string) string {
	b := make([]byte, 16)
	_, _ = rand.Read(b)
	return prefix + hex.EncodeToString(b)
}
