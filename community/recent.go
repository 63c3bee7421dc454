package community

import (
	"context"
	"sync"
	"time"
)

// RecentFor is how long Recent serves the calendar and directory it read last: a coordinator's change
// reaches the texts within it, and a busy line reads them from Redis at most once in it.
const RecentFor = time.Minute

// snapshot is the calendar and directory as last read, and when.
type snapshot struct {
	mu       sync.Mutex
	at       time.Time
	events   []Event
	services []Service
}

// Recent returns the events and services as read from Redis within RecentFor of now (by the caller's
// clock), reading them again when older, so that a text that names them adds no round trip to its
// webhook. The slices returned are shared: do not change them.
func (s *Store) Recent(ctx context.Context, now time.Time) ([]Event, []Service, error) {
	s.snap.mu.Lock()
	defer s.snap.mu.Unlock()
	if !s.snap.at.IsZero() && !now.Before(s.snap.at) && now.Sub(s.snap.at) < RecentFor {
		return s.snap.events, s.snap.services, nil
	}
	events, services, err := s.Both(ctx)
	if err != nil {
		return nil, nil, err
	}
	s.snap.at, s.snap.events, s.snap.services = now, events, services
	return events, services, nil
}
