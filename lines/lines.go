// Package lines is the register of the lines one deployment serves: each line's id, its Twilio
// numbers (an SMS number or a Messaging Service, and a WhatsApp sender), its time zone and, optionally,
// its own templates folder. It finds the line a text was sent to.
//
// The default line is set in the environment (LINE_ID, TWILIO_FROM_NUMBER and the rest), so a setup of
// one line keeps working as it is. Every other line is added with `rota line add` and kept in Redis
// beside the default line, under its hash tag (pl:{<default>}:lines:...): one hash of lines by id, one
// hash of line ids by address, and a version counter that the service watches to serve a new or
// changed line without a restart. The register belongs to the deployment its default line names, so
// two deployments (or tests) sharing one Redis never serve each other's lines. Each line's own
// data (rota, requests, chats, outbox) stays under its own hash tag pl:{<id>}:..., so on a Redis
// Cluster each line lives in one slot.
package lines

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/redis/go-redis/v9"

	"peerline/commit"
	"peerline/phone"
)

// Sentinel errors; match them with errors.Is.
var (
	ErrNotFound     = errors.New("no such line")
	ErrExists       = errors.New("a line with this id already exists")
	ErrAddressTaken = errors.New("this number or Messaging Service already belongs to a line")
	ErrInvalid      = errors.New("invalid line")
	ErrDefault      = errors.New("the default line is set in the environment")
)

// Line is one line: a local community's own number, rota and wording.
type Line struct {
	ID                  string `json:"id"`
	Name                string `json:"name,omitempty"`              // for people: "Tonbridge peer line"
	From                string `json:"from,omitempty"`              // the SMS number, E.164
	MessagingServiceSID string `json:"messaging_service,omitempty"` // "MG...", sends instead of From
	WhatsAppFrom        string `json:"whatsapp,omitempty"`          // the WhatsApp sender, E.164
	TimeZone            string `json:"timezone"`                    // IANA, such as Europe/London
	Region              string `json:"region,omitempty"`            // country of numbers written without +code
	TemplatesDir        string `json:"templates,omitempty"`         // a folder of this line's own wording
	// Default marks the line set in the environment; it is never stored.
	Default bool `json:"-"`
}

var idPattern = regexp.MustCompile(`^[a-z0-9-]{1,32}$`)
var servicePattern = regexp.MustCompile(`^MG[0-9a-fA-F]{32}$`)

// Address kinds, as the register and the webhook name them.
const (
	kindSMS      = "sms:"
	kindWhatsApp = "wa:"
	kindService  = "mg:"
)

// SMSAddress, WhatsAppAddress and ServiceAddress name what a text was sent to, as Addresses lists them.
func SMSAddress(e164 string) string      { return kindSMS + e164 }
func WhatsAppAddress(e164 string) string { return kindWhatsApp + e164 }
func ServiceAddress(sid string) string   { return kindService + sid }

// Addresses lists what texts to this line arrive at.
func (l Line) Addresses() []string {
	var out []string
	if l.From != "" {
		out = append(out, SMSAddress(l.From))
	}
	if l.WhatsAppFrom != "" {
		out = append(out, WhatsAppAddress(l.WhatsAppFrom))
	}
	if l.MessagingServiceSID != "" {
		out = append(out, ServiceAddress(l.MessagingServiceSID))
	}
	return out
}

// Location returns the line's time zone.
func (l Line) Location() (*time.Location, error) {
	loc, err := time.LoadLocation(l.TimeZone)
	if err != nil {
		return nil, fmt.Errorf("%w: time zone %q: use an IANA name such as Europe/London", ErrInvalid, l.TimeZone)
	}
	return loc, nil
}

// Check returns l with its numbers in E.164 (numbers without a +code are read in l.Region, or region
// when l has none), or an error wrapping ErrInvalid that says every problem.
func (l Line) Check(region string) (Line, error) {
	var bad []string
	if !idPattern.MatchString(l.ID) {
		bad = append(bad, fmt.Sprintf("id %q: use 1-32 lowercase letters, digits or dashes", l.ID))
	}
	if l.Region == "" {
		l.Region = region
	}
	l.Region = strings.ToUpper(l.Region)
	for _, n := range []struct {
		what string
		val  *string
	}{{"number", &l.From}, {"WhatsApp number", &l.WhatsAppFrom}} {
		if *n.val == "" {
			continue
		}
		e164, err := phone.Parse(*n.val, l.Region)
		if err != nil {
			bad = append(bad, fmt.Sprintf("%s: %v", n.what, err))
			continue
		}
		*n.val = e164
	}
	if l.MessagingServiceSID != "" && !servicePattern.MatchString(l.MessagingServiceSID) {
		bad = append(bad, "Messaging Service: use its SID, MG followed by 32 letters and digits")
	}
	if l.From == "" && l.MessagingServiceSID == "" {
		bad = append(bad, "give the line's SMS number (-number) or its Messaging Service (-messaging-service)")
	}
	if l.TimeZone == "" {
		l.TimeZone = "Europe/London"
	}
	if _, err := l.Location(); err != nil {
		bad = append(bad, strings.TrimPrefix(err.Error(), ErrInvalid.Error()+": "))
	}
	if len(bad) > 0 {
		return l, fmt.Errorf("%w: %s", ErrInvalid, strings.Join(bad, "; "))
	}
	return l, nil
}

// keys of the register, all under the default line's hash tag so one commit can touch them all.
type keys struct{ prefix string }

func (k keys) all() string     { return k.prefix + "all" }     // hash: line id -> JSON of Line
func (k keys) addr() string    { return k.prefix + "addr" }    // hash: address (sms:+44..., wa:..., mg:MG...) -> line id
func (k keys) version() string { return k.prefix + "version" } // counter: raised by every change

// Store is the register of lines in Redis.
type Store struct {
	rdb   redis.UniversalClient
	apply *commit.Applier
	// reserved are the default line's addresses (from the environment), which no stored line may take.
	reserved map[string]bool
	def      string // the default line's id, which no stored line may take
	keys     keys
}

// NewStore returns the register. def is the default line, whose id and addresses no stored line may use.
func NewStore(rdb redis.UniversalClient, def Line) *Store {
	s := &Store{rdb: rdb, apply: commit.NewApplier(rdb), reserved: map[string]bool{}, def: def.ID,
		keys: keys{prefix: "pl:{" + def.ID + "}:lines:"}}
	for _, a := range def.Addresses() {
		s.reserved[a] = true
	}
	return s
}

// Add stores a new line. l must have passed Check.
func (s *Store) Add(ctx context.Context, l Line) error {
	if l.ID == s.def {
		return fmt.Errorf("add line %s: %w (LINE_ID)", l.ID, ErrExists)
	}
	if err := s.free(l.Addresses()); err != nil {
		return fmt.Errorf("add line %s: %w", l.ID, err)
	}
	raw, err := json.Marshal(l)
	if err != nil {
		return fmt.Errorf("add line %s: %w", l.ID, err)
	}
	b := commit.New()
	exists := b.HasField(s.keys.all(), l.ID, false)
	taken := map[commit.Guard]string{}
	for _, a := range l.Addresses() {
		taken[b.HasField(s.keys.addr(), a, false)] = a
	}
	b.Do("HSET", s.keys.all(), l.ID, string(raw))
	for _, a := range l.Addresses() {
		b.Do("HSET", s.keys.addr(), a, l.ID)
	}
	b.Do("INCR", s.keys.version())
	failed, err := s.apply.Apply(ctx, b)
	switch {
	case err != nil:
		return fmt.Errorf("add line %s: %w", l.ID, err)
	case failed == exists:
		return fmt.Errorf("add line %s: %w", l.ID, ErrExists)
	case failed != 0:
		return s.takenBy(ctx, "add line "+l.ID, taken[failed])
	}
	return nil
}

// free checks that no address is the default line's.
func (s *Store) free(addrs []string) error {
	for _, a := range addrs {
		if s.reserved[a] {
			return fmt.Errorf("%w: %s is the default line's (set in the environment)", ErrAddressTaken, display(a))
		}
	}
	return nil
}

// takenBy names the line that holds addr.
func (s *Store) takenBy(ctx context.Context, what, addr string) error {
	id, err := s.rdb.HGet(ctx, s.keys.addr(), addr).Result()
	if err != nil && !errors.Is(err, redis.Nil) {
		return fmt.Errorf("%s: %w", what, err)
	}
	return fmt.Errorf("%s: %w: %s is line %s's", what, ErrAddressTaken, display(addr), id)
}

// display shows an address as a coordinator typed it.
func display(addr string) string {
	_, v, _ := strings.Cut(addr, ":")
	return v
}

// Edit changes a stored line with change, which may change anything but its id; the result must pass
// Check with region. It fails with ErrDefault for the default line.
func (s *Store) Edit(ctx context.Context, id, region string, change func(*Line)) (Line, error) {
	if id == s.def {
		return Line{}, fmt.Errorf("edit line %s: %w: change it in .env and restart", id, ErrDefault)
	}
	for range 5 {
		raw, err := s.rdb.HGet(ctx, s.keys.all(), id).Result()
		if errors.Is(err, redis.Nil) {
			return Line{}, fmt.Errorf("edit line %s: %w", id, ErrNotFound)
		}
		if err != nil {
			return Line{}, fmt.Errorf("edit line %s: %w", id, err)
		}
		var old Line
		if err := json.Unmarshal([]byte(raw), &old); err != nil {
			return Line{}, fmt.Errorf("edit line %s: stored line unreadable: %w", id, err)
		}
		l := old
		change(&l)
		l.ID = id
		if l, err = l.Check(region); err != nil {
			return Line{}, err
		}
		if err := s.free(l.Addresses()); err != nil {
			return Line{}, fmt.Errorf("edit line %s: %w", id, err)
		}
		next, err := json.Marshal(l)
		if err != nil {
			return Line{}, fmt.Errorf("edit line %s: %w", id, err)
		}
		b := commit.New()
		b.Field(s.keys.all(), id, raw)
		taken := map[commit.Guard]string{}
		for _, a := range l.Addresses() {
			if !slices.Contains(old.Addresses(), a) {
				taken[b.HasField(s.keys.addr(), a, false)] = a
			}
		}
		for _, a := range old.Addresses() {
			if !slices.Contains(l.Addresses(), a) {
				b.Do("HDEL", s.keys.addr(), a)
			}
		}
		b.Do("HSET", s.keys.all(), id, string(next))
		for _, a := range l.Addresses() {
			b.Do("HSET", s.keys.addr(), a, id)
		}
		b.Do("INCR", s.keys.version())
		failed, err := s.apply.Apply(ctx, b)
		switch {
		case err != nil:
			return Line{}, fmt.Errorf("edit line %s: %w", id, err)
		case failed == 1: // changed meanwhile: read again
			continue
		case failed != 0:
			return Line{}, s.takenBy(ctx, "edit line "+id, taken[failed])
		}
		return l, nil
	}
	return Line{}, fmt.Errorf("edit line %s: changed by someone else while editing; try again", id)
}

// List returns every stored line, by id (not the default line).
func (s *Store) List(ctx context.Context) ([]Line, error) {
	all, err := s.rdb.HGetAll(ctx, s.keys.all()).Result()
	if err != nil {
		return nil, fmt.Errorf("list lines: %w", err)
	}
	out := make([]Line, 0, len(all))
	for id, raw := range all {
		var l Line
		if err := json.Unmarshal([]byte(raw), &l); err != nil {
			return nil, fmt.Errorf("list lines: line %s unreadable: %w", id, err)
		}
		out = append(out, l)
	}
	slices.SortFunc(out, func(a, b Line) int { return strings.Compare(a.ID, b.ID) })
	return out, nil
}

// Get returns the stored line id.
func (s *Store) Get(ctx context.Context, id string) (Line, error) {
	raw, err := s.rdb.HGet(ctx, s.keys.all(), id).Result()
	if errors.Is(err, redis.Nil) {
		return Line{}, fmt.Errorf("line %s: %w", id, ErrNotFound)
	}
	if err != nil {
		return Line{}, fmt.Errorf("read line %s: %w", id, err)
	}
	var l Line
	if err := json.Unmarshal([]byte(raw), &l); err != nil {
		return Line{}, fmt.Errorf("line %s unreadable: %w", id, err)
	}
	return l, nil
}

// Version returns a number that changes whenever a line is added or edited.
func (s *Store) Version(ctx context.Context) (int64, error) {
	v, err := s.rdb.Get(ctx, s.keys.version()).Int64()
	if errors.Is(err, redis.Nil) {
		return 0, nil
	}
	if err != nil {
		return 0, fmt.Errorf("read lines version: %w", err)
	}
	return v, nil
}

// Directory finds the line a text was sent to. The zero value knows no line.
type Directory struct {
	byAddr map[string]string
}

// NewDirectory indexes ls by their addresses.
func NewDirectory(ls []Line) Directory {
	d := Directory{byAddr: map[string]string{}}
	for _, l := range ls {
		for _, a := range l.Addresses() {
			d.byAddr[a] = l.ID
		}
	}
	return d
}

// Find returns the line whose number is to (E.164; whatsapp says the text came by WhatsApp) or, failing
// that, whose Messaging Service is service ("" when Twilio sent none).
func (d Directory) Find(to string, whatsapp bool, service string) (string, bool) {
	addr := SMSAddress(to)
	if whatsapp {
		addr = WhatsAppAddress(to)
	}
	if id, ok := d.byAddr[addr]; ok && to != "" {
		return id, true
	}
	if service != "" {
		if id, ok := d.byAddr[ServiceAddress(service)]; ok {
			return id, true
		}
	}
	return "", false
}
