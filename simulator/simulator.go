// Package simulator is the phone simulator of local trial mode: a web page where one person can be
// several phones at once (a person asking for support, volunteers, a coordinator) and watch every text
// the line sends, live. It is a Twilio-compatible fake, not a shortcut: it signs the webhooks it sends
// exactly as Twilio signs them, and the service sends its texts to its Messages.json endpoint through
// twilio-go (TWILIO_API_BASE_URL), so the service runs its real code paths.
package simulator

import (
	"context"
	"embed"
	"fmt"
	"io"
	"io/fs"
	"net/http"
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
	Role    string        `json:"role"` // person, volunteer, coordinator, or other (a number met during the run)
}

// Config is what the simulator needs to know about the service it plays Twilio for.
type Config struct {
	AccountSID, AuthToken    string
	ServiceURL               string // where the service listens, such as http://127.0.0.1:8080
	PublicURL                string // what the service checks signatures against
	LineNumber, LineWhatsApp string // the line's numbers, E.164
	// Phones are the demo's phones. Its people who text the line are always shown; its volunteers and
	// coordinator only while Roster is nil (with a roster, the rota says who volunteers).
	Phones []Phone
	// Roster, if not nil, is the line's rota (a *rota.Store): the page shows a phone for every
	// volunteer and coordinator on it, read again each time the page asks.
	Roster Roster
	// Now dates each text; nil means time.Now.
	Now func() time.Time
}

// Simulator plays Twilio and the phones.
type Simulator struct {
	cfg     Config
	fake    *twiliofake.Server
	hooks   twiliofake.Webhooks
	console io.Writer
	now     func() time.Time
	done    chan struct{} // closed by Close: event streams end
	close   sync.Once

	mu      sync.Mutex
	log     []event       // every text to and from the phones, in order
	changed chan struct{} // closed and replaced when log grows
	met     []Phone       // every number texted by or texting the line in this run, in order of first text
	crew    []Phone       // the rota's people as last read (nil before a first good read)
	rotaErr bool          // the last read of the rota failed (said once on the console)
}

// New returns a simulator; console, if not nil, also gets a line (number masked) for each text sent.
func New(cfg Config, console io.Writer) *Simulator {
	now := cfg.Now
	if now == nil {
		now = time.Now
	}
	return &Simulator{
		cfg:     cfg,
		fake:    twiliofake.NewServer(cfg.AccountSID, cfg.AuthToken),
		hooks:   twiliofake.Webhooks{ServiceURL: cfg.ServiceURL, PublicURL: cfg.PublicURL, AuthToken: cfg.AuthToken, HTTP: &http.Client{Timeout: 15 * time.Second}},
		console: console,
		now:     now,
		done:    make(chan struct{}),
		changed: make(chan struct{}),
	}
}

// Close ends the open event streams, so the HTTP server can shut down without waiting for browsers.
func (s *Simulator) Close() { s.close.Do(func() { close(s.done) }) }

// APIBaseURL is the base URL to give twilio-go (TWILIO_API_BASE_URL) so texts come to the simulator.
func (s *Simulator) APIBaseURL() string { return s.cfg.ServiceURL + "/simulator/twilio" }

// Handler serves everything under /simulator/. Requests a browser makes from another site's page are
// refused, so no web page but the simulator's own can make the phones text the line.
func (s *Simulator) Handler() http.Handler {
	mux := http.NewServeMux()
	files, _ := fs.Sub(static, "static")
	mux.Handle("GET /simulator/", http.StripPrefix("/simulator/", http.FileServerFS(files)))
	mux.HandleFunc("GET /simulator/phones", s.phones)
	mux.HandleFunc("GET /simulator/events", s.events)
	mux.HandleFunc("POST /simulator/send", s.send)
	mux.Handle("POST /simulator/twilio/", http.StripPrefix("/simulator/twilio", s.echo(s.fake)))
	return http.NewCrossOriginProtection().Handler(mux)
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
