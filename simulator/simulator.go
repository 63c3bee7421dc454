// Package simulator is the phone simulator of local trial mode: a web page where one person can be
// several phones at once (a person asking for support, volunteers, a coordinator) and watch every text
// the line sends, live. It is a Twilio-compatible fake, not a shortcut: it signs the webhooks it sends
// exactly as Twilio signs them, and the service sends its texts to its Messages.json endpoint through
// twilio-go (TWILIO_API_BASE_URL), so the service runs its real code paths.
package simulator

import (
	"context"
	"embed"
	"encoding/json"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"

	"peerline/phone"
	"peerline/rota"
	"peerline/twiliofake"
)

//go:embed static
var static embed.FS

// Phone is one simulated phone.
type Phone struct {
	Name    string        `json:"name"`
	Number  string        `json:"number"` // E.164
	Channel phone.Channel `json:"channel"`
	Role    string        `json:"role"` // person, volunteer or coordinator
}

// Config is what the simulator needs to know about the service it plays Twilio for.
type Config struct {
	AccountSID, AuthToken    string
	ServiceURL               string // where the service listens, such as http://127.0.0.1:8080
	PublicURL                string // what the service checks signatures against
	LineNumber, LineWhatsApp string // the line's numbers, E.164
	Phones                   []Phone
}

// Simulator plays Twilio and the phones.
type Simulator struct {
	cfg     Config
	fake    *twiliofake.Server
	hooks   twiliofake.Webhooks
	console io.Writer
	done    chan struct{} // closed by Close: event streams end
	close   sync.Once

	mu      sync.Mutex
	log     []event       // every text to and from the phones, in order
	changed chan struct{} // closed and replaced when log grows
}

// New returns a simulator; console, if not nil, also gets a line (number masked) for each text sent.
func New(cfg Config, console io.Writer) *Simulator {
	return &Simulator{
		cfg:     cfg,
		fake:    twiliofake.NewServer(cfg.AccountSID, cfg.AuthToken),
		hooks:   twiliofake.Webhooks{ServiceURL: cfg.ServiceURL, PublicURL: cfg.PublicURL, AuthToken: cfg.AuthToken, HTTP: &http.Client{Timeout: 15 * time.Second}},
		console: console,
		done:    make(chan struct{}),
		changed: make(chan struct{}),
	}
}

// record adds a text to the log the page shows.
func (s *Simulator) record(e event) {
	s.mu.Lock()
	defer s.mu.Unlock()
	e.ID = len(s.log)
	s.log = append(s.log, e)
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

// Close ends the open event streams, so the HTTP server can shut down without waiting for browsers.
func (s *Simulator) Close() { s.close.Do(func() { close(s.done) }) }

// APIBaseURL is the base URL to give twilio-go (TWILIO_API_BASE_URL) so texts come to the simulator.
func (s *Simulator) APIBaseURL() string { return s.cfg.ServiceURL + "/simulator/twilio" }

// Handler serves everything under /simulator/.
func (s *Simulator) Handler() http.Handler {
	mux := http.NewServeMux()
	files, _ := fs.Sub(static, "static")
	mux.Handle("GET /simulator/", http.StripPrefix("/simulator/", http.FileServerFS(files)))
	mux.HandleFunc("GET /simulator/phones", s.phones)
	mux.HandleFunc("GET /simulator/events", s.events)
	mux.HandleFunc("POST /simulator/send", s.send)
	mux.Handle("POST /simulator/twilio/", http.StripPrefix("/simulator/twilio", s.echo(s.fake)))
	return mux
}

func (s *Simulator) phones(w http.ResponseWriter, _ *http.Request) {
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(s.cfg.Phones)
}

// event is one text to or from a phone, as the page receives it.
type event struct {
	ID      int           `json:"id"`
	Phone   string        `json:"phone"`
	Channel phone.Channel `json:"channel"`
	Dir     string        `json:"dir"` // "in": the line sent it to the phone; "out": the phone sent it
	Body    string        `json:"body"`
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

// send posts a text from one of the phones to the service, signed as Twilio signs it.
func (s *Simulator) send(w http.ResponseWriter, r *http.Request) {
	var p Phone
	from, body := r.FormValue("from"), strings.TrimSpace(r.FormValue("body"))
	for _, ph := range s.cfg.Phones {
		if ph.Number == from {
			p = ph
		}
	}
	if p.Number == "" || body == "" || len(body) > 1600 {
		http.Error(w, "choose one of the simulator's phones and write a message (up to 1600 characters)", http.StatusBadRequest)
		return
	}
	line := s.cfg.LineNumber
	if p.Channel == phone.WhatsApp {
		line = s.cfg.LineWhatsApp
	}
	s.record(event{Phone: p.Number, Channel: p.Channel, Dir: "out", Body: body})
	form := twiliofake.MessageForm(s.cfg.AccountSID, phone.Address(p.Number, p.Channel), phone.Address(line, p.Channel), body)
	code, resp, err := s.hooks.Post(r.Context(), "/twilio/messages", form)
	if err != nil || code != http.StatusOK {
		http.Error(w, fmt.Sprintf("the line answered %d %s %v", code, strings.TrimSpace(resp), err), http.StatusBadGateway)
		return
	}
	w.WriteHeader(http.StatusNoContent)
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

// DemoPhones are the phones of the demo: two people, two volunteers and a coordinator, all on Ofcom's
// drama numbers.
func DemoPhones() []Phone {
	return []Phone{
		{Name: "Alex", Number: "+447700900001", Channel: phone.SMS, Role: "person"},
		{Name: "Bea", Number: "+447700900002", Channel: phone.WhatsApp, Role: "person"},
		{Name: "Sam", Number: "+447700900101", Channel: phone.SMS, Role: "volunteer"},
		{Name: "Jo", Number: "+447700900102", Channel: phone.SMS, Role: "volunteer"},
		{Name: "Kim", Number: "+447700900103", Channel: phone.SMS, Role: "coordinator"},
	}
}

// Seed adds the demo's volunteers, on shift all week, and its coordinator, on call all week, and opens
// the line day and night: once per line, ever, and only while the rota has no volunteer, so demo people
// a coordinator removed never come back. It reports whether it seeded.
func Seed(ctx context.Context, store *rota.Store, phones []Phone, now time.Time) (bool, error) {
	first, err := store.ClaimDemo(ctx, now.UTC().Format(time.RFC3339))
	if err != nil || !first {
		return false, err
	}
	if _, err := store.SetHours(ctx, func(h *rota.Hours) error { *h = rota.AlwaysOpen(); return nil }); err != nil {
		return false, fmt.Errorf("seed demo rota: %w", err)
	}
	for _, p := range phones {
		if p.Role == "person" {
			continue
		}
		v, err := store.AddVolunteer(ctx, rota.Volunteer{Name: p.Name, Phone: p.Number, Coordinator: p.Role == "coordinator"})
		if err != nil {
			return false, fmt.Errorf("seed demo rota: %w", err)
		}
		for d := time.Sunday; d <= time.Saturday; d++ { // volunteers on shift, the coordinator on call
			sh := rota.Shift{Volunteer: v.ID, Day: d, Start: 0, End: 24 * 60, OnCall: p.Role == "coordinator"}
			if _, err := store.AddShift(ctx, sh); err != nil {
				return false, fmt.Errorf("seed demo rota: %w", err)
			}
		}
	}
	return true, nil
}
