// Package community keeps a line's links to its local community: a calendar of events (weekly or on a
// date, such as a recovery caf\u00e9) and a directory of daytime services by need (housing, money and
// debt...), with their opening hours. It works out, in the line's time zone, an event's next
// occurrence and when a service is next open, and owns its Redis keys.
package community

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strconv"

	"github.com/redis/go-redis/v9"

	"peerline/rota"
)

// ErrNotFound is returned for an event or service id that is not in the line's calendar or directory.
var ErrNotFound = errors.New("not found")

// Store keeps one line's calendar and directory in Redis.
type Store struct {
	rdb  redis.UniversalClient
	keys keys
	snap snapshot // see Recent
}

// NewStore returns the store of line's calendar and directory.
func NewStore(rdb redis.UniversalClient, line string) *Store {
	return &Store{rdb: rdb, keys: newKeys(line)}
}

// AddEvent checks e, gives it a new id (e1, e2...) and stores it.
func (s *Store) AddEvent(ctx context.Context, e Event) (Event, error) {
	if err := e.Normalize(); err != nil {
		return Event{}, err
	}
	id, err := s.rdb.Incr(ctx, s.keys.seq()).Result()
	if err != nil {
		return Event{}, fmt.Errorf("add event: %w", err)
	}
	e.ID = "e" + strconv.FormatInt(id, 10)
	return e, s.put(ctx, s.keys.events(), e.ID, e)
}

// PutEvent checks e and stores it under its id, which must exist.
func (s *Store) PutEvent(ctx context.Context, e Event) (Event, error) {
	if err := e.Normalize(); err != nil {
		return Event{}, err
	}
	if err := s.exists(ctx, s.keys.events(), e.ID); err != nil {
		return Event{}, err
	}
	return e, s.put(ctx, s.keys.events(), e.ID, e)
}

// Events returns the line's events, by id.
func (s *Store) Events(ctx context.Context) ([]Event, error) {
	return all[Event](ctx, s.rdb, s.keys.events(), func(e Event) string { return e.ID })
}

// RemoveEvent takes event id out of the calendar.
func (s *Store) RemoveEvent(ctx context.Context, id string) error {
	return s.remove(ctx, s.keys.events(), id)
}

// AddService checks v, gives it a new id (s1, s2...) and stores it.
func (s *Store) AddService(ctx context.Context, v Service) (Service, error) {
	if err := v.Normalize(); err != nil {
		return Service{}, err
	}
	id, err := s.rdb.Incr(ctx, s.keys.seq()).Result()
	if err != nil {
		return Service{}, fmt.Errorf("add service: %w", err)
	}
	v.ID = "sv" + strconv.FormatInt(id, 10) // not "s": shifts are s1, s2 ...
	return v, s.put(ctx, s.keys.services(), v.ID, v)
}

// PutService checks v and stores it under its id, which must exist.
func (s *Store) PutService(ctx context.Context, v Service) (Service, error) {
	if err := v.Normalize(); err != nil {
		return Service{}, err
	}
	if err := s.exists(ctx, s.keys.services(), v.ID); err != nil {
		return Service{}, err
	}
	return v, s.put(ctx, s.keys.services(), v.ID, v)
}

// Services returns the line's services, by id.
func (s *Store) Services(ctx context.Context) ([]Service, error) {
	return all[Service](ctx, s.rdb, s.keys.services(), func(v Service) string { return v.ID })
}

// RemoveService takes service id out of the directory.
func (s *Store) RemoveService(ctx context.Context, id string) error {
	return s.remove(ctx, s.keys.services(), id)
}

// Both reads the events and the services in one round trip.
func (s *Store) Both(ctx context.Context) ([]Event, []Service, error) {
	pipe := s.rdb.Pipeline()
	ev := pipe.HGetAll(ctx, s.keys.events())
	sv := pipe.HGetAll(ctx, s.keys.services())
	if _, err := pipe.Exec(ctx); err != nil {
		return nil, nil, fmt.Errorf("read calendar and directory: %w", err)
	}
	events, err := decodeAll[Event](ev.Val(), func(e Event) string { return e.ID })
	if err != nil {
		return nil, nil, err
	}
	services, err := decodeAll[Service](sv.Val(), func(v Service) string { return v.ID })
	return events, services, err
}

func (s *Store) put(ctx context.Context, key, id string, v any) error {
	b, err := json.Marshal(v)
	if err != nil {
		return err
	}
	if err := s.rdb.HSet(ctx, key, id, b).Err(); err != nil {
		return fmt.Errorf("store %s: %w", id, err)
	}
	return nil
}

func (s *Store) exists(ctx context.Context, key, id string) error {
	ok, err := s.rdb.HExists(ctx, key, id).Result()
	switch {
	case err != nil:
		return fmt.Errorf("read %s: %w", id, err)
	case !ok:
		return fmt.Errorf("%s: %w", id, ErrNotFound)
	}
	return nil
}

func (s *Store) remove(ctx context.Context, key, id string) error {
	n, err := s.rdb.HDel(ctx, key, id).Result()
	switch {
	case err != nil:
		return fmt.Errorf("remove %s: %w", id, err)
	case n == 0:
		return fmt.Errorf("%s: %w", id, ErrNotFound)
	}
	return nil
}

func all[T any](ctx context.Context, rdb redis.UniversalClient, key string, id func(T) string) ([]T, error) {
	m, err := rdb.HGetAll(ctx, key).Result()
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", key, err)
	}
	return decodeAll(m, id)
}

func decodeAll[T any](m map[string]string, id func(T) string) ([]T, error) {
	out := make([]T, 0, len(m))
	for k, v := range m {
		var x T
		if err := json.Unmarshal([]byte(v), &x); err != nil {
			return nil, fmt.Errorf("decode %s: %w", k, err)
		}
		out = append(out, x)
	}
	slices.SortFunc(out, func(a, b T) int {
		switch {
		case rota.IDLess(id(a), id(b)):
			return -1
		case rota.IDLess(id(b), id(a)):
			return 1
		}
		return 0
	})
	return out, nil
}

type redisPipe = redis.Pipeliner

func jsonOf(v any) ([]byte, error) { return json.Marshal(v) }
