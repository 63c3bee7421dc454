package simulator

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"peerline/phone"
	"peerline/twiliofake"
)

// event is one text to or from a phone, as the page receives it.
type event struct {
	ID      int           `json:"id"`
	Phone   string        `json:"phone"`
	Channel phone.Channel `json:"channel"`
	Dir     string        `json:"dir"` // "in": the line sent it to the phone; "out": the phone sent it
	Body    string        `json:"body"`
	At      time.Time     `json:"at"` // when the simulator saw it; the page shows it in local time
}

// record dates a text, adds it to the log the page shows and meets its number.
func (s *Simulator) record(e event) {
	s.mu.Lock()
	defer s.mu.Unlock()
	e.ID = len(s.log)
	e.At = s.now()
	s.log = append(s.log, e)
	s.meet(e.Phone, e.Channel)
	close(s.changed)
	s.changed = make(chan struct{})
}

// since waits until the log holds more than n texts (or ctx ends) and returns those after the first n.
func (s *Simulator) since(ctx context.Context, n int) []event {
	for {
		s.mu.Lock()
		log, ch := s.log, s.changed
		s.mu.Unlock()
		if len(log) > n {
			return log[n:]
		}
		select {
		case <-ch:
		case <-ctx.Done():
			return nil
		}
	}
}

// events streams every text to and from the phones (server-sent events), from the one after
// Last-Event-ID, so a reloaded page shows both sides of every chat.
func (s *Simulator) events(w http.ResponseWriter, r *http.Request) {
	_ = http.NewResponseController(w).SetWriteDeadline(time.Time{}) // a stream outlives the write timeout
	w.Header().Set("Content-Type", "text/event-stream")
	w.Header().Set("Cache-Control", "no-store")
	n := 0
	if last, err := strconv.Atoi(r.Header.Get("Last-Event-ID")); err == nil && last >= 0 {
		n = last + 1
	}
	stream, cancel := context.WithCancel(r.Context())
	defer cancel()
	go func() {
		select {
		case <-s.done:
			cancel()
		case <-stream.Done():
		}
	}()
	for {
		_, _ = io.WriteString(w, ": waiting\n\n") // keeps proxies from closing an idle stream
		if err := http.NewResponseController(w).Flush(); err != nil {
			return
		}
		ctx, stop := context.WithTimeout(stream, 20*time.Second)
		news := s.since(ctx, n)
		stop()
		if stream.Err() != nil {
			return
		}
		for _, e := range news {
			data, _ := json.Marshal(e)
			fmt.Fprintf(w, "id: %d\ndata: %s\n\n", e.ID, data)
			n = e.ID + 1
		}
	}
}

// send posts a text from a phone to the service, signed as Twilio signs it, and shows it on that
// phone's card. The phone is any number in international form (from), on channel (sms or whatsapp;
// by default the channel the simulator knows the number by, else sms). It answers 204 when the service
// took the text, the service's own status and words when it refused it, 400 for a text Twilio would
// not carry, and 502 when the service did not answer.
func (s *Simulator) send(w http.ResponseWriter, r *http.Request) {
	from, err := phone.Parse(r.FormValue("from"), "")
	if err != nil {
		http.Error(w, "give the phone's number in international form, such as +447700900003", http.StatusBadRequest)
		return
	}
	ch := phone.SMS
	if p, ok := s.known(from); ok {
		ch = p.Channel
	}
	switch c := phone.Channel(r.FormValue("channel")); c {
	case "":
	case phone.SMS, phone.WhatsApp:
		ch = c
	default:
		http.Error(w, "channel: give sms or whatsapp", http.StatusBadRequest)
		return
	}
	body := strings.TrimSpace(r.FormValue("body"))
	if body == "" {
		http.Error(w, "write a message to send", http.StatusBadRequest)
		return
	}
	if problem := tooLong(body, ch); problem != "" {
		http.Error(w, problem, http.StatusBadRequest)
		return
	}
	line := s.cfg.LineNumber
	if ch == phone.WhatsApp {
		line = s.cfg.LineWhatsApp
	}
	s.record(event{Phone: from, Channel: ch, Dir: "out", Body: body})
	form := twiliofake.MessageForm(s.cfg.AccountSID, phone.Address(from, ch), phone.Address(line, ch), body)
	code, resp, err := s.hooks.Post(r.Context(), "/twilio/messages", form)
	switch {
	case err != nil:
		http.Error(w, fmt.Sprintf("the line did not answer: %v", err), http.StatusBadGateway)
	case code != http.StatusOK:
		http.Error(w, strings.TrimSpace(resp), code)
	default:
		w.WriteHeader(http.StatusNoContent)
	}
}

// The longest text Twilio carries: 1,600 characters on SMS, counted in UTF-16 code units as Twilio
// counts them (an emoji is two), and 4,096 characters on WhatsApp.
const (
	maxSMS      = 1600
	maxWhatsApp = 4096
)

// tooLong says why Twilio would not carry body on ch, or "" if it would.
func tooLong(body string, ch phone.Channel) string {
	if ch == phone.WhatsApp {
		if n := utf8.RuneCountInString(body); n > maxWhatsApp {
			return fmt.Sprintf("too long: a WhatsApp message holds up to 4,096 characters, and this one has %s", thousands(n))
		}
		return ""
	}
	if n := utf16Len(body); n > maxSMS {
		return fmt.Sprintf("too long: an SMS holds up to 1,600 characters (an emoji counts as 2), and this one has %s", thousands(n))
	}
	return ""
}

// utf16Len counts s in UTF-16 code units: characters outside the Basic Multilingual Plane, such as
// most emoji, take two.
func utf16Len(s string) int {
	n := 0
	for _, r := range s {
		n++
		if r > 0xFFFF {
			n++
		}
	}
	return n
}

// thousands writes n with a comma between thousands, as the page does (1,600).
func thousands(n int) string {
	s := strconv.Itoa(n)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}

// echo records every text the service sends for the page, and writes it (number masked) to the console.
func (s *Simulator) echo(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		next.ServeHTTP(w, r)
		if r.ParseForm() != nil || r.PostForm.Get("To") == "" {
			return
		}
		num, ch, _ := phone.ParseAddress(r.PostForm.Get("To"), "GB")
		body := shown(r.PostForm, ch)
		s.record(event{Phone: num, Channel: ch, Dir: "in", Body: body})
		if s.console != nil {
			fmt.Fprintf(s.console, "[simulator] to %s via %s:\n  %s\n", phone.Masked(num), ch, body)
		}
	})
}

// shown is what a phone shows for a text the service sent: its body, or for an approved template sent
// without one (Twilio fills it in from the template, which the simulator does not have) the template's
// SID and variables.
func shown(f url.Values, ch phone.Channel) string {
	if body := f.Get("Body"); body != "" || f.Get("ContentSid") == "" {
		return body
	}
	kind := "template"
	if ch == phone.WhatsApp {
		kind = "WhatsApp template"
	}
	return strings.TrimSpace(fmt.Sprintf("[%s %s] %s", kind, f.Get("ContentSid"), f.Get("ContentVariables")))
}
