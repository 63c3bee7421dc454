package rota

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/redis/go-redis/v9"

	"peerline/commit"
)

// Store reads and changes one line's rota in Redis. It keeps the last rota it decoded and reloads it
// only when the rota's version counter has moved, so reading the rota on every message costs one GET.
type Store struct {
	rdb  redis.UniversalClient
	keys keys
	loc  *time.Location
	app  *commit.Applier

	mu      sync.Mutex
	cached  Rota
	version string // of cached; "" before the first load
}

// NewStore returns the rota of line, whose shifts are in time zone loc.
func NewStore(rdb redis.UniversalClient, line string, loc *time.Location) *Store {
	return &Store{rdb: rdb, keys: newKeys(line), loc: loc, app: commit.NewApplier(rdb)}
}

// Durable makes every change of the rota wait for d before it is reported done (see
// commit.Durability), and returns s.
func (s *Store) Durable(d commit.Durability) *Store {
	s.app = s.app.Durable(d)
	return s
}

// Location returns the line's time zone.
func (s *Store) Location() *time.Location { return s.loc }

// Pending is a rota read queued on a pipeline; call Result after the pipeline ran.
type Pending struct {
	s       *Store
	version *redis.StringCmd
}

// Queue queues a read of the rota's version on pipe.
func (s *Store) Queue(ctx context.Context, pipe redis.Pipeliner) *Pending {
	return &Pending{s: s, version: pipe.Get(ctx, s.keys.version())}
}

// Result returns the rota: the cached copy if the version read is the cached one, else a fresh load (one
// more round trip).
func (p *Pending) Result(ctx context.Context) (Rota, error) {
	v, err := p.version.Result()
	if err != nil && err != redis.Nil {
		return Rota{}, fmt.Errorf("read rota version: %w", err)
	}
	p.s.mu.Lock()
	cached, ok := p.s.cached, p.s.version == "v"+v
	p.s.mu.Unlock()
	if ok {
		return cached, nil
	}
	return p.s.Load(ctx)
}

// Cached returns the rota as last read and its version, without asking Redis; ok is false before the
// first read. A decision made from it must be committed with GuardVersion.
func (s *Store) Cached() (r Rota, version string, ok bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.cached, s.version, s.version != ""
}

// VersionKey returns the Redis key of the rota's version counter, for a script that checks in the same
// step that the rota read is still current (the version as Cached returns it, less its "v").
func (s *Store) VersionKey() string { return s.keys.version() }

// GuardVersion adds to b a guard that the rota is still at version (as returned by Cached).
func (s *Store) GuardVersion(b *commit.Batch, version string) {
	b.Value(s.keys.version(), strings.TrimPrefix(version, "v"))
}

// Load reads the whole rota in one atomic round trip and caches it.
func (s *Store) Load(ctx context.Context) (Rota, error) {
	r, _, err := s.load(ctx)
	return r, err
}

func (s *Store) load(ctx context.Context) (Rota, string, error) {
	var version, hours *redis.StringCmd
	var vols, shifts, off, skips *redis.MapStringStringCmd
	_, err := s.rdb.TxPipelined(ctx, func(p redis.Pipeliner) error {
		version = p.Get(ctx, s.keys.version())
		vols = p.HGetAll(ctx, s.keys.volunteers())
		shifts = p.HGetAll(ctx, s.keys.shifts())
		off = p.HGetAll(ctx, s.keys.off())
		skips = p.HGetAll(ctx, s.keys.skips())
		hours = p.Get(ctx, s.keys.hours())
		return nil
	})
	if err != nil && err != redis.Nil {
		return Rota{}, "", fmt.Errorf("load rota: %w", err)
	}
	r, err := decode(vols.Val(), shifts.Val(), off.Val(), skips.Val(), hours.Val(), s.loc)
	if err != nil {
		return Rota{}, "", err
	}
	r.version = version.Val()
	s.mu.Lock()
	s.cached, s.version = r, "v"+version.Val()
	s.mu.Unlock()
	return r, version.Val(), nil
}

// SetAvailable adds to b the write that makes volunteer id available (on) or not.
func (s *Store) SetAvailable(b *commit.Batch, id string, on bool) {
	b.Do("INCR", s.keys.version())
	if on {
		b.Do("HDEL", s.keys.off(), id)
		return
	}
	b.Do("HSET", s.keys.off(), id, "off")
}

// wrap adds context to a failure, but leaves the rota's refusal of a plan as it is: its message is
// written for the coordinator who will read it.
func wrap(err error, format string, a ...any) error {
	if IsRefusal(err) {
		return err
	}
	return fmt.Errorf(format+": %w", append(a, err)...)
}

// changeTries is how often Change reads the rota again when it changed under a plan.
const changeTries = 5

// Change reads the rota, asks plan what to change, checks the plan and applies it in one atomic step,
// provided the rota did not change meanwhile; if it did, it starts again with the new rota. It returns
// the plan as applied, with the new ids filled in. A plan that changes nothing is not applied.
func (s *Store) Change(ctx context.Context, plan func(Rota) (Plan, error)) (Plan, error) {
	return s.ChangeWith(ctx, plan, func(Rota, Plan, *commit.Batch) (commit.Guard, error) { return 0, nil })
}

// hsetChunk bounds the fields one HSET or HDEL carries, within what a Lua call can unpack.
const hsetChunk = 500

// write adds to b every write of checked plan p over r, minting ids for what it adds.
func (s *Store) write(ctx context.Context, b *commit.Batch, r Rota, p *Plan) error {
	if err := s.mint(ctx, p); err != nil {
		return err
	}
	var vols, phones, shifts, skips []any
	var delPhones, delVols, delShifts, delSkips, delOff []any
	for _, v := range p.Volunteers {
		if old, ok := r.Volunteers[v.ID]; ok && old.Phone != v.Phone {
			delPhones = append(delPhones, old.Phone)
		}
		raw, err := json.Marshal(v)
		if err != nil {
			return fmt.Errorf("encode volunteer %s: %w", v.ID, err)
		}
		vols = append(vols, v.ID, string(raw))
		phones = append(phones, v.Phone, v.ID)
	}
	gone := map[string]bool{}
	for _, id := range p.RemoveVolunteers {
		delVols = append(delVols, id)
		delOff = append(delOff, id)
		delPhones = append(delPhones, r.Volunteers[id].Phone)
		gone[id] = true
	}
	dropShift := map[string]bool{}
	for _, id := range p.RemoveShifts {
		dropShift[id] = true
	}
	for id := range gone {
		for _, sh := range r.Leaving(id) {
			dropShift[sh.ID] = true
		}
	}
	for id := range dropShift {
		delShifts = append(delShifts, id)
		for k := range r.Skips {
			if strings.HasPrefix(k, id+" ") {
				delSkips = append(delSkips, k)
			}
		}
	}
	for _, sh := range p.Shifts {
		raw, err := json.Marshal(sh)
		if err != nil {
			return fmt.Errorf("encode shift: %w", err)
		}
		shifts = append(shifts, sh.ID, string(raw))
	}
	for _, k := range p.Skip {
		skips = append(skips, k, "")
	}
	for _, k := range p.Unskip {
		delSkips = append(delSkips, k)
	}
	// Deletes first, so a volunteer's new number is not removed with their old one's entry.
	chunked(b, "HDEL", s.keys.byPhone(), delPhones, 1)
	chunked(b, "HDEL", s.keys.volunteers(), delVols, 1)
	chunked(b, "HDEL", s.keys.off(), delOff, 1)
	chunked(b, "HDEL", s.keys.shifts(), delShifts, 1)
	chunked(b, "HDEL", s.keys.skips(), delSkips, 1)
	chunked(b, "HSET", s.keys.volunteers(), vols, 2)
	chunked(b, "HSET", s.keys.byPhone(), phones, 2)
	chunked(b, "HSET", s.keys.shifts(), shifts, 2)
	chunked(b, "HSET", s.keys.skips(), skips, 2)
	if p.Hours != nil {
		raw, err := json.Marshal(p.Hours)
		if err != nil {
			return fmt.Errorf("encode open hours: %w", err)
		}
		b.Do("SET", s.keys.hours(), string(raw))
	}
	b.Do("INCR", s.keys.version())
	return nil
}

// chunked adds cmd key args... to b in pieces of at most hsetChunk items of width values each.
func chunked(b *commit.Batch, cmd, key string, args []any, width int) {
	for len(args) > 0 {
		n := min(len(args), hsetChunk*width)
		b.Do(cmd, key, args[:n]...)
		args = args[n:]
	}
}

// mint gives ids to the volunteers and shifts p adds, and points p's shifts at volunteers' ids.
func (s *Store) mint(ctx context.Context, p *Plan) error {
	newVols := 0
	for _, v := range p.Volunteers {
		if v.ID == "" {
			newVols++
		}
	}
	var vseq, sseq *redis.IntCmd
	_, err := s.rdb.Pipelined(ctx, func(pipe redis.Pipeliner) error {
		vseq = pipe.HIncrBy(ctx, s.keys.seq(), "v", int64(newVols))
		sseq = pipe.HIncrBy(ctx, s.keys.seq(), "s", int64(len(p.Shifts)))
		return nil
	})
	if err != nil {
		return fmt.Errorf("mint ids: %w", err)
	}
	next := vseq.Val() - int64(newVols)
	byPhone := map[string]string{}
	for i, v := range p.Volunteers {
		if v.ID == "" {
			next++
			p.Volunteers[i].ID = fmt.Sprintf("v%d", next)
			byPhone[v.Phone] = p.Volunteers[i].ID
		}
	}
	next = sseq.Val() - int64(len(p.Shifts))
	for i := range p.Shifts {
		next++
		sh := &p.Shifts[i]
		sh.ID = fmt.Sprintf("s%d", next)
		if id, ok := byPhone[sh.Volunteer]; ok {
			sh.Volunteer = id
		}
		if id, ok := byPhone[sh.CoverFor]; ok {
			sh.CoverFor = id
		}
	}
	return nil
}

// AddVolunteer stores a new, active volunteer with an E.164 phone number and returns it with its new
// id.
// A number that another volunteer already has is refused with ErrExists.
func (s *Store) AddVolunteer(ctx context.Context, v Volunteer) (Volunteer, error) {
	v.ID, v.Active = "", true
	p, err := s.Change(ctx, func(Rota) (Plan, error) { return Plan{Volunteers: []Volunteer{v}}, nil })
	if err != nil {
		return Volunteer{}, wrap(err, "add volunteer")
	}
	return p.Volunteers[0], nil
}

// UpdateVolunteer changes volunteer id with edit, which may refuse with an error.
func (s *Store) UpdateVolunteer(ctx context.Context, id string, edit func(*Volunteer) error) (Volunteer, error) {
	p, err := s.Change(ctx, func(r Rota) (Plan, error) {
		v, ok := r.Volunteers[id]
		if !ok {
			return Plan{}, problem(ErrNotFound, "volunteer %s not found", id)
		}
		if err := edit(&v); err != nil {
			return Plan{}, err
		}
		v.ID = id
		return Plan{Volunteers: []Volunteer{v}}, nil
	})
	if err != nil {
		return Volunteer{}, wrap(err, "change volunteer %s", id)
	}
	return p.Volunteers[0], nil
}

// SetActive pauses (false) or resumes (true) volunteer id. A paused volunteer keeps their shifts but is
// never offered a request.
func (s *Store) SetActive(ctx context.Context, id string, active bool) (Volunteer, error) {
	return s.UpdateVolunteer(ctx, id, func(v *Volunteer) error { v.Active = active; return nil })
}

// RemoveVolunteer removes volunteer id with the shifts that go with them (Rota.Leaving: their own
// shifts, the covers they do and the covers of them), in one atomic step.
func (s *Store) RemoveVolunteer(ctx context.Context, id string) (Volunteer, error) {
	var gone Volunteer
	_, err := s.Change(ctx, func(r Rota) (Plan, error) {
		v, ok := r.Volunteers[id]
		if !ok {
			return Plan{}, problem(ErrNotFound, "volunteer %s not found", id)
		}
		gone = v
		return Plan{RemoveVolunteers: []string{id}}, nil
	})
	if err != nil {
		return Volunteer{}, wrap(err, "remove volunteer")
	}
	return gone, nil
}

// AddShift stores a shift (weekly, one-off, cover or on-call) for an existing volunteer and returns it
// with its new id. The same shift twice is refused with ErrExists.
func (s *Store) AddShift(ctx context.Context, sh Shift) (Shift, error) {
	sh.ID = ""
	p, err := s.Change(ctx, func(Rota) (Plan, error) { return Plan{Shifts: []Shift{sh}}, nil })
	if err != nil {
		return Shift{}, wrap(err, "add shift")
	}
	return p.Shifts[0], nil
}

// RemoveShift removes shift id.
func (s *Store) RemoveShift(ctx context.Context, id string) error {
	_, err := s.Change(ctx, func(Rota) (Plan, error) { return Plan{RemoveShifts: []string{id}}, nil })
	if err != nil {
		return wrap(err, "remove shift")
	}
	return nil
}

// SetHours changes the line's open hours with edit and returns them as stored.
func (s *Store) SetHours(ctx context.Context, edit func(*Hours) error) (Hours, error) {
	p, err := s.Change(ctx, func(r Rota) (Plan, error) {
		h := r.Hours
		h.Extra = append([]string(nil), h.Extra...)
		if err := edit(&h); err != nil {
			return Plan{}, err
		}
		return Plan{Hours: &h}, nil
	})
	if err != nil {
		return Hours{}, wrap(err, "change open hours")
	}
	return *p.Hours, nil
}

// IsChanged reports whether err says the rota kept changing under a plan.
func IsChanged(err error) bool { return errors.Is(err, ErrChanged) }
