package e2e

import (
	"context"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"peerline/due"
	"peerline/phone"
	"peerline/rota"
	"peerline/twiliofake"
)

// testClock is a clock the test moves; every instance in a test shares it.
type testClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *testClock) now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *testClock) add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// sweepAll runs the due work on every instance at the same moment, as their cron jobs would.
func sweepAll(t *testing.T, services ...*testService) {
	t.Helper()
	var wg sync.WaitGroup
	for _, s := range services {
		wg.Go(func() {
			if _, err := s.svc.Bot().RunDue(context.Background()); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
}

// count returns how many texts reached number with part in them.
func (s *testService) count(number, part string) int {
	s.settle()
	n := 0
	for _, m := range s.fake.Sent() {
		if strings.HasSuffix(m.To, number) && strings.Contains(m.Body, part) {
			n++
		}
	}
	return n
}

func TestUndeliveredOfferCountsAsAPass(t *testing.T) {
	s := startService(t)
	sam := s.volunteer("Sam", "+447700900101", true)
	alex := s.phone("+447700900001", phone.SMS)
	alex.Text("hello")
	offer := sam.Expect("Reply ACCEPT")
	s.waitSent(offer.SID)
	for _, status := range []string{"undelivered", "failed"} { // Twilio may report both: one pass
		code, body, err := s.hooks.PostStatus(context.Background(), twiliofake.StatusOf(testSID, offer, status, 30003))
		if err != nil || code != http.StatusNoContent {
			t.Fatalf("status callback answered %d %q, %v", code, body, err)
		}
	}
	alex.Expect("116 123")
	if n := s.count("+447700900001", "116 123"); n != 1 {
		t.Fatalf("Alex got the signpost %d times, want once", n)
	}
}

// waitSent waits until the outbox has recorded that the message sid was sent (Twilio answers before
// the outbox records it; a real status callback comes long after).
func (s *testService) waitSent(sid string) {
	s.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	for {
		if _, ok, err := s.svc.Outbox().Ref(ctx, sid); err != nil || ok {
			if err != nil {
				s.t.Fatal(err)
			}
			return
		}
		select {
		case <-ctx.Done():
			s.t.Fatalf("the outbox never recorded message %s as sent", sid)
		case <-time.After(time.Millisecond): // polls a condition; it does not stand in for one
		}
	}
}

// TestEscalationAcrossTwoInstancesAndAKilledSweep runs two instances of the service on one Redis with
// one clock. One instance claims the first escalation step and dies; the step is done by the other once
// the claim's lease runs out. Every later step is swept by both at once and done exactly once.
func TestEscalationAcrossTwoInstancesAndAKilledSweep(t *testing.T) {
	loc, _ := time.LoadLocation("Europe/London")
	clock := &testClock{t: time.Date(2026, 12, 25, 1, 10, 0, 0, loc)}
	env := map[string]string{"FIRST_OFFERS": "1"}
	a := startServiceWith(t, serviceOptions{now: clock.now, env: env})
	b := startServiceWith(t, serviceOptions{like: a, now: clock.now, env: env})
	sam := a.volunteer("Sam", "+447700900101", true)
	jo := a.volunteer("Jo", "+447700900102", true)
	ctx := context.Background()
	kim, err := a.rota.AddVolunteer(ctx, rota.Volunteer{Name: "Kim", Phone: "+447700900103", Coordinator: true})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := a.rota.AddShift(ctx, rota.Shift{Volunteer: kim.ID, Day: time.Friday, Start: 0, End: 24 * 60, OnCall: true}); err != nil {
		t.Fatal(err)
	}
	alex := a.phone("+447700900001", phone.SMS)

	alex.Text("can't sleep")
	alex.Expect("finding")
	sam.Expect("Reply ACCEPT")

	clock.add(3 * time.Minute)
	dead := due.New(a.rdb, a.line) // an instance claims the widening, then dies before doing it
	if got, err := dead.Claim(ctx, clock.now(), 100, time.Minute); err != nil || len(got) != 1 {
		t.Fatalf("the dying instance claimed %d items, %v; want the widening", len(got), err)
	}
	sweepAll(t, a, b)
	jo.NeverGot("Reply ACCEPT") // the claim's lease holds
	clock.add(time.Minute)
	sweepAll(t, a, b)
	jo.Expect("Reply ACCEPT")
	alex.Expect("still looking")

	clock.add(6 * time.Minute) // 10 minutes since Alex texted
	sweepAll(t, a, b)
	alex.Expect("asked our coordinator")
	clock.add(10 * time.Minute)
	sweepAll(t, a, b)
	sweepAll(t, a, b)
	alex.Expect("116 123")
	for who, part := range map[string]string{"+447700900103": "has waited 10 minutes", "+447700900102": "Reply ACCEPT",
		"+447700900001": "116 123"} {
		if n := a.count(who, part); n != 1 {
			t.Errorf("%s got %q %d times, want once", who, part, n)
		}
	}
}

// TestRefusedSendsCountAtOnce: an offer Twilio refuses for good when it is sent counts as that
// volunteer's pass at once, so the person is not kept waiting for the timed steps; 21610 (opted out)
// also records the opt-out, and the failure is in the dead letters without the text.
func TestRefusedSendsCountAtOnce(t *testing.T) {
	for _, tc := range []struct {
		name string
		code int
	}{{"not a mobile", 21614}, {"bad number", 21211}, {"opted out", 21610}, {"cannot route", 21612}, {"region", 21408}} {
		t.Run(tc.name, func(t *testing.T) {
			s := startService(t)
			jo := s.volunteer("Jo", "+447700900102", true)
			s.fake.FailTo(jo.number, twiliofake.Failure{Status: http.StatusBadRequest, Code: tc.code})
			alex := s.phone("+447700900001", phone.SMS)
			alex.Text("hello")
			alex.Expect("finding")
			alex.Expect("116 123") // Jo, the only volunteer, never got it: everyone on shift has passed
			dead, err := s.svc.Outbox().DeadLetters(context.Background())
			if err != nil || len(dead) != 1 || dead[0].Code != tc.code || dead[0].Kind != "volunteer_offer" {
				t.Fatalf("dead letters %+v, %v; want the one offer with code %d", dead, err, tc.code)
			}
			if tc.code == 21610 {
				r, err := s.rota.Load(context.Background())
				if err != nil {
					t.Fatal(err)
				}
				if v, _ := r.ByPhone(jo.number); r.Available(v.ID) {
					t.Fatal("Jo opted out at Twilio but is still ON")
				}
			}
		})
	}
}
