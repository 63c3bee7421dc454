package rota

import (
	"context"
	"fmt"
)

// The demo rota of local trial mode is seeded once per line, ever: a coordinator who removes the demo
// people and sets their own hours must not find them back after a restart.

// demo is a string set (to the time) when the demo rota was first seeded on the line.
func (k keys) demo() string { return k.prefix + "demo" }

// ClaimDemo reports whether the demo rota may be seeded now: only the first time it is asked on this
// line, and only while the rota has no volunteer. Asking marks the line, so it answers true once.
func (s *Store) ClaimDemo(ctx context.Context, now string) (bool, error) {
	r, err := s.Load(ctx)
	if err != nil {
		return false, err
	}
	if len(r.Volunteers) > 0 {
		return false, nil
	}
	first, err := s.rdb.SetNX(ctx, s.keys.demo(), now, 0).Result()
	if err != nil {
		return false, fmt.Errorf("mark the demo rota: %w", err)
	}
	return first, nil
}

// DemoHours reports whether the line still has the demo's hours (open day and night, every day) after
// the demo was seeded: a coordinator's real line needs hours of its own (hours set).
func (s *Store) DemoHours(ctx context.Context, r Rota) (bool, error) {
	n, err := s.rdb.Exists(ctx, s.keys.demo()).Result()
	if err != nil {
		return false, fmt.Errorf("read the demo mark: %w", err)
	}
	h := r.Hours
	return n == 1 && h.WeekdayFrom == h.WeekdayUntil && h.Weekends, nil
}
