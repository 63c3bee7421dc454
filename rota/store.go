package rota

import (
	"context"
	"encoding/json"
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

// GuardVersion adds to b a guard that the rota is still at version (as returned by Cached).
func (s *Store) GuardVersion(b *commit.Batch, version string) {
	b.Value(s.keys.version(), strings.TrimPrefix(version, "v"))
}

// Load reads the whole rota in one atomic round trip and caches it.
func (s *Store) Load(ctx context.Context) (Rota, error) {
	var version *redis.StringCmd
	var vols, shifts, off *redis.MapStringStringCmd
	_, err := s.rdb.TxPipelined(ctx, func(p redis.Pipeliner) error {
		version = p.Get(ctx, s.keys.version())
		vols = p.HGetAll(ctx, s.keys.volunteers())
		shifts = p.HGetAll(ctx, s.keys.shifts())
		off = p.HGetAll(ctx, s.keys.off())
		return nil
	})
	if err != nil && err != redis.Nil {
		return Rota{}, fmt.Errorf("load rota: %w", err)
	}
	r, err := decode(vols.Val(), shifts.Val(), off.Val(), s.loc)
	if err != nil {
		return Rota{}, err
	}
	s.mu.Lock()
	s.cached, s.version = r, "v"+version.Val()
	s.mu.Unlock()
	return r, nil
}

// changed adds to b the bump of the rota's version; every write to the rota goes with one.
func (s *Store) changed(b *commit.Batch) { b.Do("INCR", s.keys.version()) }

// SetAvailable adds to b the write that makes volunteer id available (on) or not.
func (s *Store) SetAvailable(b *commit.Batch, id string, on bool) {
	s.changed(b)
	if on {
		b.Do("HDEL", s.keys.off(), id)
		return
	}
	b.Do("HSET", s.keys.off(), id, "off")
}

func (s *Store) nextID(ctx context.Context, kind string) (string, error) {
	n, err := s.rdb.HIncrBy(ctx, s.keys.seq(), kind, 1).Result()
	if err != nil {
		return "", fmt.Errorf("mint %s id: %w", kind, err)
	}
	return fmt.Sprintf("%s%d", kind, n), nil
}

// AddVolunteer stores a new volunteer with an E.164 phone number and returns it with its new id.
// A number that another volunteer already has is refused with ErrExists.
func (s *Store) AddVolunteer(ctx context.Context, v Volunteer) (Volunteer, error) {
	v.Name = strings.TrimSpace(v.Name)
	if v.Name == "" || len(v.Name) > 40 {
		return Volunteer{}, fmt.Errorf("name %q: give a first name of 1 to 40 characters", v.Name)
	}
	// Check first, so a refused number does not use up an id; the guard below settles a race.
	if other, err := s.rdb.HGet(ctx, s.keys.byPhone(), v.Phone).Result(); err == nil {
		return Volunteer{}, fmt.Errorf("phone %s: %w for volunteer %s", v.Phone, ErrExists, other)
	}
	id, err := s.nextID(ctx, "v")
	if err != nil {
		return Volunteer{}, err
	}
	v.ID, v.Active = id, true
	raw, err := json.Marshal(v)
	if err != nil {
		return Volunteer{}, fmt.Errorf("encode volunteer: %w", err)
	}
	b := commit.New()
	b.Field(s.keys.byPhone(), v.Phone, "")
	b.Do("HSET", s.keys.byPhone(), v.Phone, id)
	b.Do("HSET", s.keys.volunteers(), id, string(raw))
	s.changed(b)
	failed, err := s.app.Apply(ctx, b)
	if err != nil {
		return Volunteer{}, fmt.Errorf("add volunteer: %w", err)
	}
	if failed != 0 {
		return Volunteer{}, fmt.Errorf("phone %s: %w for another volunteer", v.Phone, ErrExists)
	}
	return v, nil
}

// RemoveVolunteer removes volunteer id with all their shifts, in one atomic step.
func (s *Store) RemoveVolunteer(ctx context.Context, id string) (Volunteer, error) {
	r, err := s.Load(ctx)
	if err != nil {
		return Volunteer{}, err
	}
	v, ok := r.Volunteers[id]
	if !ok {
		return Volunteer{}, fmt.Errorf("volunteer %s: %w", id, ErrNotFound)
	}
	b := commit.New()
	b.Field(s.keys.byPhone(), v.Phone, id)
	b.Do("HDEL", s.keys.volunteers(), id)
	b.Do("HDEL", s.keys.byPhone(), v.Phone)
	b.Do("HDEL", s.keys.off(), id)
	s.changed(b)
	for _, sh := range r.Shifts {
		if sh.Volunteer == id {
			b.Do("HDEL", s.keys.shifts(), sh.ID)
		}
	}
	failed, err := s.app.Apply(ctx, b)
	if err != nil {
		return Volunteer{}, fmt.Errorf("remove volunteer %s: %w", id, err)
	}
	if failed != 0 {
		return Volunteer{}, fmt.Errorf("volunteer %s changed while removing; try again", id)
	}
	return v, nil
}

// AddShift stores a weekly shift for an existing volunteer and returns it with its new id.
func (s *Store) AddShift(ctx context.Context, sh Shift) (Shift, error) {
	if sh.End > 24*60 || sh.Start >= 24*60 {
		return Shift{}, fmt.Errorf("shift %s-%s: a shift starts before 24:00", sh.Start, sh.End)
	}
	raw, err := s.rdb.HGet(ctx, s.keys.volunteers(), sh.Volunteer).Result()
	if err == redis.Nil {
		return Shift{}, fmt.Errorf("volunteer %s: %w (see `volunteer list`)", sh.Volunteer, ErrNotFound)
	}
	if err != nil {
		return Shift{}, fmt.Errorf("read volunteer %s: %w", sh.Volunteer, err)
	}
	var v Volunteer
	if err := json.Unmarshal([]byte(raw), &v); err != nil {
		return Shift{}, fmt.Errorf("decode volunteer %s: %w", sh.Volunteer, err)
	}
	id, err := s.nextID(ctx, "s")
	if err != nil {
		return Shift{}, err
	}
	sh.ID = id
	enc, err := json.Marshal(sh)
	if err != nil {
		return Shift{}, fmt.Errorf("encode shift: %w", err)
	}
	b := commit.New()
	// The volunteer may be removed between the read and the write: then no orphan shift is stored.
	b.Field(s.keys.byPhone(), v.Phone, v.ID)
	b.Do("HSET", s.keys.shifts(), id, string(enc))
	s.changed(b)
	failed, err := s.app.Apply(ctx, b)
	if err != nil {
		return Shift{}, fmt.Errorf("add shift: %w", err)
	}
	if failed != 0 {
		return Shift{}, fmt.Errorf("volunteer %s: %w", sh.Volunteer, ErrNotFound)
	}
	return sh, nil
}

// RemoveShift removes shift id.
func (s *Store) RemoveShift(ctx context.Context, id string) error {
	var del *redis.IntCmd
	_, err := s.rdb.TxPipelined(ctx, func(p redis.Pipeliner) error {
		del = p.HDel(ctx, s.keys.shifts(), id)
		p.Incr(ctx, s.keys.version())
		return nil
	})
	n := del.Val()
	if err != nil {
		return fmt.Errorf("remove shift %s: %w", id, err)
	}
	if n == 0 {
		return fmt.Errorf("shift %s: %w (see `shift list`)", id, ErrNotFound)
	}
	return nil
}

// SetActive pauses (false) or resumes (true) volunteer id. A paused volunteer keeps their shifts but is
// never offered a request.
func (s *Store) SetActive(ctx context.Context, id string, active bool) (Volunteer, error) {
	raw, err := s.rdb.HGet(ctx, s.keys.volunteers(), id).Result()
	if err == redis.Nil {
		return Volunteer{}, fmt.Errorf("volunteer %s: %w (see `volunteer list`)", id, ErrNotFound)
	}
	if err != nil {
		return Volunteer{}, fmt.Errorf("read volunteer %s: %w", id, err)
	}
	var v Volunteer
	if err := json.Unmarshal([]byte(raw), &v); err != nil {
		return Volunteer{}, fmt.Errorf("decode volunteer %s: %w", id, err)
	}
	v.Active = active
	enc, err := json.Marshal(v)
	if err != nil {
		return Volunteer{}, fmt.Errorf("encode volunteer %s: %w", id, err)
	}
	b := commit.New()
	b.Field(s.keys.byPhone(), v.Phone, id) // not removed meanwhile
	b.Do("HSET", s.keys.volunteers(), id, string(enc))
	s.changed(b)
	failed, err := s.app.Apply(ctx, b)
	if err != nil {
		return Volunteer{}, fmt.Errorf("update volunteer %s: %w", id, err)
	}
	if failed != 0 {
		return Volunteer{}, fmt.Errorf("volunteer %s: %w (removed meanwhile)", id, ErrNotFound)
	}
	return v, nil
}
