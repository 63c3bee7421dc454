package e2e

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"peerline/phone"
)

// TestFirstAcceptWinsExactlyOnce plays many rounds in which every volunteer on shift replies ACCEPT at
// the same moment: every round must have exactly one winner, and every other volunteer must be told
// the request was taken, once: their own ACCEPT, sent at the same moment, is not answered again.
func TestFirstAcceptWinsExactlyOnce(t *testing.T) {
	rounds, n := 1000, 4
	if testing.Short() {
		rounds = 100
	}
	// A volunteer takes a request in most rounds: no rest between them, and no limit for the night.
	s := startServiceWith(t, serviceOptions{env: map[string]string{"REST_AFTER_CHAT": "0", "NIGHT_CHATS": "1000",
		"DAY_CHAT_HOURS": "24"}})
	ctx := context.Background()
	vols := make([]*testPhone, n)
	for i := range vols {
		vols[i] = s.volunteer(fmt.Sprintf("V%d", i), fmt.Sprintf("+4477009002%02d", i), true)
	}
	r0, err := s.rota.Load(ctx)
	if err != nil {
		t.Fatal(err)
	}
	byID := map[string]*testPhone{}
	for id, v := range r0.Volunteers {
		byID[id] = s.phone(v.Phone, phone.SMS)
	}
	active := "pl:{" + s.line + "}:match:active"
	for r := range rounds {
		person := s.phone(fmt.Sprintf("+4477009%05d", 10000+r), phone.SMS)
		person.Text("round " + fmt.Sprint(r))

		var wg sync.WaitGroup
		for _, v := range vols {
			wg.Go(func() {
				form := v.form("ACCEPT")
				if code, body, err := s.hooks.Post(ctx, "/twilio/messages", form); err != nil || code != http.StatusOK {
					t.Errorf("round %d: accept answered %d %q %v", r, code, body, err)
				}
			})
		}
		wg.Wait()
		winners, err := s.rdb.HGetAll(ctx, active).Result()
		if err != nil {
			t.Fatal(err)
		}
		if len(winners) != 1 {
			t.Fatalf("round %d: %d volunteers in a chat, want exactly 1: %v", r, len(winners), winners)
		}
		for id := range winners {
			byID[id].Text("DONE")
		}
		if t.Failed() {
			t.FailNow()
		}
	}
	// Every round: one "connected" for the winner; for each of the n-1 others, one "taken" when the
	// winner took it, and nothing more.
	total := rounds * (1 + n + 1 + 1 + (n - 1) + 2 + 1) // ack, offers, start, matched, taken, two closings, the feedback ask
	wctx, cancel := context.WithTimeout(ctx, time.Minute)
	defer cancel()
	sent, err := s.fake.Wait(wctx, total)
	if err != nil {
		t.Fatal(err)
	}
	var started, taken, noOffer int
	for _, m := range sent {
		switch {
		case strings.Contains(m.Body, "You're connected"):
			started++
		case strings.Contains(m.Body, "already been taken"):
			taken++
		case strings.Contains(m.Body, "no open request"):
			noOffer++
		}
	}
	s.settle()
	if len(s.fake.Sent()) != total {
		t.Errorf("%d texts sent, want %d", len(s.fake.Sent()), total)
	}
	if started != rounds || taken != rounds*(n-1) || noOffer != 0 {
		t.Fatalf("%d connected, %d taken and %d no-offer messages; want %d connected, %d taken (one each) and "+
			"no other answer to the losing accepts", started, taken, noOffer, rounds, rounds*(n-1))
	}
}
