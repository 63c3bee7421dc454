package rota

import (
	"context"
	"errors"
	"fmt"

	"peerline/commit"
)

// ErrPreempted is returned by ChangeWith when the caller's own guard failed: someone else got there
// first (such as another volunteer taking the same cover), and nothing was written.
var ErrPreempted = errors.New("someone else got there first")

// ChangeWith is Change, with more in the same atomic step: with adds the caller's guards and writes to
// the batch (it sees the plan as it will be written, new ids filled in) and returns the guard whose
// failure means the change must not happen at all (such as "the ask is still open"); ChangeWith then
// returns ErrPreempted and nothing is written. When the rota changed meanwhile, it reads and plans again,
// as Change does.
func (s *Store) ChangeWith(ctx context.Context, plan func(Rota) (Plan, error),
	with func(r Rota, p Plan, b *commit.Batch) (commit.Guard, error)) (Plan, error) {
	for range changeTries {
		r, version, err := s.load(ctx)
		if err != nil {
			return Plan{}, err
		}
		p, err := plan(r)
		if err != nil || p.Empty() {
			return p, err
		}
		if err := r.Check(&p); err != nil {
			return Plan{}, err
		}
		b := commit.New()
		changed := b.Value(s.keys.version(), version)
		if err := s.write(ctx, b, r, &p); err != nil {
			return Plan{}, err
		}
		mine, err := with(r, p, b)
		if err != nil {
			return Plan{}, err
		}
		failed, err := s.app.Apply(ctx, b)
		switch {
		case err != nil:
			return Plan{}, fmt.Errorf("change rota: %w", err)
		case failed == 0:
			return p, nil
		case failed != changed && failed == mine:
			return Plan{}, ErrPreempted
		case failed != changed:
			return Plan{}, fmt.Errorf("change rota: a guard of the caller's failed: %w", ErrPreempted)
		}
	}
	return Plan{}, fmt.Errorf("change rota: %w %d times; try again", ErrChanged, changeTries)
}

// Stage checks plan p against r, the rota as read, and adds its writes to b, guarded on the rota
// being still as read: the caller's commit then changes the rota together with its own writes, or
// not at all (the version guard fails and the caller decides again on a fresh read). It fills in the
// plan's new ids. r must come from this store.
func (s *Store) Stage(ctx context.Context, b *commit.Batch, r Rota, p *Plan) error {
	if err := r.Check(p); err != nil {
		return err
	}
	b.Value(s.keys.version(), r.version)
	return s.write(ctx, b, r, p)
}
