package bot_test

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"peerline/bot"
	"peerline/phone"
	"peerline/rota"
	"peerline/twiliofake"
)

// TestADayTheLineFindsItsOwnCover plays Wednesday 23 December: at GAP_CHECK_AT the coordinators hear
// of a gap and three volunteers are asked; two reply COVER at the same moment and one wins; Jo can't
// make tonight, and another covers; at night Lee, at their nightly limit, is not offered the next
// person, whom the coordinator on call is paged about.
func TestADayTheLineFindsItsOwnCover(t *testing.T) {
	const (
		lee  = "+447700900108"
		ashC = "+447700900109"
	)
	f := newFixture(t, func(o *bot.Options) { o.GapCheckAt = 12 * time.Hour; o.RestAfterChat = 10 * time.Minute })
	ctx := context.Background()
	loc := f.rota.Location()
	add := func(v rota.Volunteer, shifts ...rota.Shift) rota.Volunteer {
		t.Helper()
		v, err := f.rota.AddVolunteer(ctx, v)
		if err != nil {
			t.Fatal(err)
		}
		for _, s := range shifts {
			s.Volunteer = v.ID
			if _, err := f.rota.AddShift(ctx, s); err != nil {
				t.Fatal(err)
			}
		}
		return v
	}
	add(rota.Volunteer{Name: "Kim", Phone: coor, Coordinator: true},
		rota.Shift{Day: time.Wednesday, Start: 17 * 60, End: 9 * 60, OnCall: true})
	add(rota.Volunteer{Name: "Ash", Phone: ashC, Coordinator: true}, rota.Shift{Day: time.Thursday, Start: 17 * 60, End: 12 * 60})
	joV := add(rota.Volunteer{Name: "Jo", Phone: jo}, rota.Shift{Day: time.Wednesday, Start: 19 * 60, End: 23 * 60})
	add(rota.Volunteer{Name: "Lee", Phone: lee, MaxChats: 1}, rota.Shift{Day: time.Wednesday, Start: 19 * 60, End: 9 * 60})
	for _, v := range []rota.Volunteer{{Name: "Sam", Phone: sam}, {Name: "Cy", Phone: cy}, {Name: "Dee", Phone: dee}} {
		add(v)
	}
	at := func(h, m int) time.Time { return time.Date(2026, 12, 23, h, m, 0, 0, loc) }

	// 11:00: the cron plans the day's gap alert; nothing is sent before 12:00.
	f.clock.set(at(11, 0))
	if _, err := f.bots[0].PlanReminders(ctx); err != nil {
		t.Fatal(err)
	}
	f.sweep()
	if got := f.queued(); len(got) != 0 {
		t.Fatalf("texts before GAP_CHECK_AT: %q", got)
	}

	// 12:00: one text to each coordinator; the three volunteers free then are asked.
	f.clock.set(at(12, 0))
	f.sweep()
	got := f.expect("12:00",
		coor+": Nobody on shift: Wed 17:00-19:00. Nobody on call: Thu 17:00-12:00.",
		ashC+": Nobody on shift: Wed 17:00-19:00.",
		sam+": can you cover Wed 17:00-19:00? Reply COVER C", cy+": can you cover Wed 17:00-19:00?",
		dee+": can you cover Wed 17:00-19:00?")
	if len(got) != 5 {
		t.Fatalf("12:00 queued %d texts, want 5 (two coordinators, three volunteers; Jo and Lee start at 19:00 "+
			"and are not asked for a double shift): %q", len(got), got)
	}
	code := askCode.FindStringSubmatch(strings.Join(got, " "))[1]

	// 12:07: Sam and Cy reply COVER at the same moment, to two instances of the service.
	f.clock.set(at(12, 7))
	var wg sync.WaitGroup
	for i, from := range []string{sam, cy} {
		wg.Go(func() {
			in := bot.Inbound{MessageSID: twiliofake.NewSID("SM"), From: from, Channel: phone.SMS, Body: "COVER " + code}
			if err := f.bots[i].Handle(ctx, in); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	got = f.queued()
	won, lost, name := sam, cy, "Sam"
	if has(got, cy, "is yours") {
		won, lost, name = cy, sam, "Cy"
	}
	for _, w := range []string{won + ": Wed 17:00-19:00 is yours", lost + ": is covered now", dee + ": is covered now",
		coor + ": " + name + " is covering Wed 17:00-19:00", ashC + ": " + name + " is covering"} {
		to, part, _ := strings.Cut(w, ": ")
		if !has(got, to, part) {
			t.Errorf("12:07: no text to %s with %q; queued %q", to, part, got)
		}
	}
	if len(got) != 5 {
		t.Fatalf("12:07 queued %d texts, want 5 (one to each: winner, loser, Dee, two coordinators): %q", len(got), got)
	}

	// 13:00: Jo can't make tonight. Their shift is off; the loser and Dee are asked (the winner's
	// shift ends as Jo's begins, and Lee is on then).
	f.clock.set(at(13, 0))
	f.text(jo, "can't make it tonight, sorry")
	got = f.expect("Jo's CANT", jo+": You're off Wed 19:00-23:00", lost+": can you cover Wed 19:00-23:00?",
		dee+": can you cover Wed 19:00-23:00?", coor+": Jo can't make Wed 19:00-23:00")
	if has(got, won, "") || has(got, lee, "") {
		t.Fatalf("Jo's CANT asked someone for a double shift: %q", got)
	}
	jos := askCode.FindStringSubmatch(strings.Join(got, " "))[1]
	f.clock.set(at(13, 20))
	f.text(dee, "cover "+jos)
	f.expect("Dee covers", dee+": Wed 19:00-23:00 is yours", lost+": is covered now", coor+": Dee is covering Wed 19:00-23:00 for Jo")

	r, err := f.rota.Load(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		at   time.Time
		want string
	}{{at(18, 0), name}, {at(20, 0), "Lee Dee"}, {at(23, 30), "Lee"}} {
		var names []string
		for _, v := range r.OnShiftAt(c.at) {
			names = append(names, v.Name)
		}
		if strings.Join(names, " ") != c.want {
			t.Fatalf("on shift at %s: %v, want %s", c.at.Format("15:04"), names, c.want)
		}
	}
	if r.OnShift(joV.ID, at(20, 0)) {
		t.Fatal("Jo is still on shift tonight")
	}

	// 23:05: Alex texts; Lee, on shift, takes it and finishes: that was Lee's one chat for the night.
	f.clock.set(at(23, 5))
	f.sweep()
	f.queued()
	f.text(alex, "can't sleep")
	f.expect("Alex", lee+": Reply ACCEPT")
	f.text(lee, "ACCEPT")
	f.clock.set(at(23, 25))
	f.text(lee, "DONE")
	f.expect("Lee's chat ends", lee+": all the chats we ask of you tonight")

	// 23:40: Bea texts. Lee is at their limit and is not offered; the coordinator on call is paged.
	f.clock.set(at(23, 40))
	f.text(bea, "hello, anyone?")
	if got := f.queued(); has(got, lee, "Reply ACCEPT") {
		t.Fatalf("Lee, at their nightly limit, was offered Bea: %q", got)
	}
	f.clock.add(10 * time.Minute)
	f.sweep()
	f.expect("Bea waited 10 minutes", coor+": has waited 10 minutes", bea+": asked our coordinator")
	f.text(lee, "STATUS")
	f.expect("Lee's status", lee+": You're resting tonight")
}
