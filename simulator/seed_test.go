package simulator_test

import (
	"context"
	"testing"
	"time"

	"peerline/redistest"
	"peerline/rota"
	"peerline/simulator"
)

// TestSeedOnceEver: the demo rota is seeded on an empty line once; after a coordinator removes the demo
// people and sets their own hours, a restart seeds nothing and keeps their hours.
func TestSeedOnceEver(t *testing.T) {
	ctx := context.Background()
	rdb, line := redistest.New(t)
	loc, _ := time.LoadLocation("Europe/London")
	store := rota.NewStore(rdb, line, loc)
	now := time.Date(2026, 12, 1, 12, 0, 0, 0, time.UTC)
	if seeded, err := simulator.Seed(ctx, store, simulator.DemoPhones(), now); err != nil || !seeded {
		t.Fatalf("first Seed = %v, %v; want seeded", seeded, err)
	}
	r, err := store.Load(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if demo, err := store.DemoHours(ctx, r); err != nil || !demo {
		t.Fatalf("DemoHours after seeding = %v, %v; want true", demo, err)
	}
	for id := range r.Volunteers {
		if _, err := store.RemoveVolunteer(ctx, id); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := store.SetHours(ctx, func(h *rota.Hours) error { *h = rota.DefaultHours(); return nil }); err != nil {
		t.Fatal(err)
	}
	if seeded, err := simulator.Seed(ctx, store, simulator.DemoPhones(), now.Add(time.Hour)); err != nil || seeded {
		t.Fatalf("Seed after the demo people were removed = %v, %v; want nothing seeded", seeded, err)
	}
	r, err = store.Load(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Volunteers) != 0 || r.Hours.WeekdayFrom != rota.DefaultHours().WeekdayFrom {
		t.Fatalf("after a restart: %d volunteers, hours %+v; want none and the coordinator's hours", len(r.Volunteers), r.Hours)
	}
	if demo, err := store.DemoHours(ctx, r); err != nil || demo {
		t.Fatalf("DemoHours with the coordinator's hours = %v, %v; want false", demo, err)
	}
}
