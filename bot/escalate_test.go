package bot_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"peerline/bot"
	"peerline/community"
	"peerline/phone"
	"peerline/rota"
	"peerline/twiliofake"
)

const (
	ash = "+447700900103"
	kim = "+447700900104"
)

// add puts v on the rota for all of Friday: on the peer rota, or on call when oncall is set.
func (f *fixture) add(v rota.Volunteer, oncall bool) rota.Volunteer {
	f.t.Helper()
	ctx := context.Background()
	v, err := f.rota.AddVolunteer(ctx, v)
	if err != nil {
		f.t.Fatal(err)
	}
	if _, err := f.rota.AddShift(ctx, rota.Shift{Volunteer: v.ID, Day: time.Friday, Start: 0, End: 24 * 60, OnCall: oncall}); err != nil {
		f.t.Fatal(err)
	}
	return v
}

// sweep runs the due work on the second instance, as cron would, and returns how many items it did.
func (f *fixture) sweep() int {
	f.t.Helper()
	n, err := f.bots[1].RunDue(context.Background())
	if err != nil {
		f.t.Fatal(err)
	}
	return n
}

// expect checks the texts queued since the last look: each want is "number: part".
func (f *fixture) expect(step string, want ...string) []string {
	f.t.Helper()
	got := f.queued()
	for _, w := range want {
		to, part, _ := strings.Cut(w, ": ")
		if !has(got, to, part) {
			f.t.Errorf("%s: no text to %s with %q; queued %q", step, to, part, got)
		}
	}
	return got
}

func offeredTo(got []string) map[string]bool {
	out := map[string]bool{}
	for _, m := range got {
		if strings.Contains(m, "Reply ACCEPT") {
			to, _, _ := strings.Cut(m, ": ")
			out[to] = true
		}
	}
	return out
}

// TestEscalationStory plays a night where nobody takes Alex's request in time: first offers, the wider
// offer, the coordinator's page, the signpost, a late accept, the debrief and the morning check-in.
func TestEscalationStory(t *testing.T) {
	f := newFixture(t) // Friday 25 Dec 01:10
	f.volunteer("Sam", sam)
	f.volunteer("Jo", jo)
	f.volunteer("Ash", ash)
	f.add(rota.Volunteer{Name: "Kim", Phone: kim, Coordinator: true}, true)

	f.text(alex, "can't sleep, really want a drink")
	got := f.expect("first offers", alex+": finding")
	if o := offeredTo(got); len(o) != 2 || !o[sam] || !o[jo] {
		t.Fatalf("first offers went to %v, want Sam and Jo only (FirstOffers is 2)", o)
	}

	f.clock.add(3 * time.Minute)
	if n := f.sweep(); n != 1 {
		t.Fatalf("sweep at 3 minutes did %d items, want 1", n)
	}
	got = f.expect("widened", alex+": still looking", ash+": Reply ACCEPT")
	if o := offeredTo(got); len(o) != 1 {
		t.Fatalf("the wider offer went to %v, want Ash only", o)
	}

	f.clock.add(7 * time.Minute)
	f.sweep()
	f.expect("paged", kim+": has waited 10 minutes", alex+": asked our coordinator")

	f.clock.add(10 * time.Minute)
	f.sweep()
	f.expect("signposted", alex+": 116 123", alex+": see how you are")

	f.clock.add(5 * time.Minute)
	f.text(sam, "ACCEPT")
	f.expect("late accept", sam+": given other help numbers", sam+`: They said: "can't sleep, really want a drink"`,
		alex+": Sam, a peer supporter, is free to talk now",
		jo+": already been taken", ash+": already been taken", kim+": already been taken")
	f.text(alex, "yes please")
	f.expect("relayed", sam+": yes please")
	f.text(jo, "ACCEPT") // sent as Jo was told it was taken: not answered twice
	if got := f.queued(); len(got) != 0 {
		t.Fatalf("Jo's ACCEPT just after the taken note got %q; want nothing more", got)
	}
	f.clock.add(6 * time.Minute) // longer than the quiet time after a taken note
	f.text(jo, "ACCEPT")
	f.expect("nothing left", jo+": no open request")

	f.text(sam, "DONE")
	f.expect("closed", sam+": How are you? Reply OK, or TALK", alex+": closed this chat")
	f.text(sam, "TALK")
	f.expect("talk", kim+": Sam (v1, "+sam+") asked to talk after chat", sam+": We've asked Kim")
	f.text(jo, "ok")
	f.expect("ok", jo+": Thanks for letting us know")

	f.clock.set(time.Date(2026, 12, 25, 10, 0, 0, 0, f.rota.Location()))
	f.sweep()
	got = f.expect("check-in", alex+": checking in")
	if len(got) != 1 {
		t.Fatalf("at 10:00 queued %q, want only Alex's check-in", got)
	}
	if f.sweep() != 0 {
		t.Fatal("a second sweep found more work")
	}
}

// TestWhenTheFirstOffersAllPassTheQueueMovesOn: a request nobody holds any more goes at once to whoever
// is free and has not passed; when everyone on shift has passed, the coordinator is paged at once.
func TestWhenTheFirstOffersAllPassTheQueueMovesOn(t *testing.T) {
	f := newFixture(t)
	f.volunteer("Sam", sam)
	f.volunteer("Jo", jo)
	f.volunteer("Ash", ash)
	f.add(rota.Volunteer{Name: "Kim", Phone: kim, Coordinator: true}, true)
	f.text(alex, "hello")
	f.queued()
	f.text(sam, "PASS")
	f.text(jo, "PASS")
	got := f.expect("offered to Ash at once", ash+": Reply ACCEPT")
	if has(got, alex, "") {
		t.Fatalf("queued %q; the person hears nothing new while the queue moves on", got)
	}
	f.text(ash, "PASS")
	f.expect("paged at once", kim+": has waited less than a minute", alex+": asked our coordinator")
	f.clock.add(3 * time.Minute)
	f.sweep() // the wider offer's time: nothing to say, a coordinator is being asked already
	if got := f.queued(); len(got) != 0 {
		t.Fatalf("queued %q after the page; the person must not hear 'still looking' after it", got)
	}
	f.text(jo, "ON")
	f.queued()
	f.text(jo, "ACCEPT") // Jo passed, but is back: a plain ACCEPT has no offer to take ...
	f.expect("no offer", jo+": no open request")
	code := f.code()
	f.text(jo, "ACCEPT "+code) // ... naming the request takes it, as Kim's page suggests
	got = f.expect("named accept", jo+": You're connected", alex+": Jo, a peer supporter", kim+": already been taken")
	if has(got, sam, "taken") || has(got, ash, "taken") {
		t.Fatalf("queued %q; those who passed are not told it was taken", got)
	}
}

// code returns the code of Alex's current request.
func (f *fixture) code() string { return f.codeOf(alex) }

// TestAPassWaitsForABusyVolunteer: with everyone free passing, a request waits in the queue for a
// volunteer who is in a chat, who is offered it the moment they finish; it is not signposted at once.
func TestAPassWaitsForABusyVolunteer(t *testing.T) {
	f := newFixture(t)
	f.volunteer("Sam", sam)
	f.volunteer("Jo", jo)
	f.text(alex, "hello")
	f.text(sam, "ACCEPT")
	f.expect("taken at once", jo+": already been taken")
	f.text(bea, "hello too")
	f.expect("offered", jo+": Reply ACCEPT")
	f.text(jo, "PASS") // about Bea's request, not Alex's old one
	got := f.expect("passed on Bea's", jo+": you've passed")
	if has(got, bea, "116 123") {
		t.Fatalf("queued %q; Bea is signposted while Sam, on shift, may still take her request", got)
	}
	f.text(sam, "DONE")
	f.expect("Sam is offered Bea's request as he finishes", sam+": Chat", sam+": Reply ACCEPT")
	f.text(sam, "ACCEPT")
	f.expect("connected", bea+": Sam, a peer supporter")
}

func TestCoordinatorStatusAndTalk(t *testing.T) {
	f := newFixture(t)
	f.add(rota.Volunteer{Name: "Kim", Phone: kim, Coordinator: true}, true)
	f.text(kim, "STATUS")
	f.expect("status", kim+": You're on call now")
	f.text(kim, "TALK") // the only coordinator on call asks to talk: nobody else to page
	got := f.expect("talk", kim+": No coordinator is on call right now")
	if len(got) != 1 {
		t.Fatalf("queued %q; Kim must not be paged about herself", got)
	}
}

func TestFirstOffersAreFairAndFollowWhatThePersonAsks(t *testing.T) {
	f := newFixture(t)
	f.volunteer("Sam", sam)
	f.volunteer("Jo", jo)
	f.add(rota.Volunteer{Name: "Ash", Phone: ash, Tags: []string{"women-only"}}, false)
	f.text(alex, "hello")
	if o := offeredTo(f.queued()); !o[sam] || !o[jo] || len(o) != 2 {
		t.Fatalf("first request offered to %v, want Sam and Jo (lowest ids, nobody offered yet)", o)
	}
	f.clock.add(time.Minute)
	f.text(sam, "ACCEPT")
	f.text(sam, "DONE")
	f.queued()
	f.clock.add(time.Minute)
	f.text(bea, "hello too")
	if o := offeredTo(f.queued()); !o[ash] || !o[jo] || len(o) != 2 {
		t.Fatalf("second request offered to %v, want Ash (never offered) and Jo (offered before Sam took one)", o)
	}
	g := newFixture(t)
	g.volunteer("Sam", sam)
	g.volunteer("Jo", jo)
	g.add(rota.Volunteer{Name: "Ash", Phone: ash, Tags: []string{"women-only"}}, false)
	const cleo = "+447700900003"
	g.text(cleo, "could I talk to a woman please")
	if o := offeredTo(g.queued()); !o[ash] || len(o) != 1 {
		t.Fatalf("a request for a woman offered to %v, want Ash only (tagged women-only)", o)
	}
}

func TestCheckinIsSkippedForAPersonWhoOptedOut(t *testing.T) {
	f := newFixture(t)
	f.text(alex, "anyone?") // nobody on shift: signpost at once, check-in at 10:00
	f.expect("signpost", alex+": see how you are")
	f.text(alex, "STOP")
	f.clock.set(time.Date(2026, 12, 25, 10, 0, 0, 0, f.rota.Location()))
	if n := f.sweep(); n != 1 {
		t.Fatalf("sweep did %d items, want the check-in, skipped", n)
	}
	if got := f.queued(); len(got) != 0 {
		t.Fatalf("queued %q for a person who opted out", got)
	}
}

func TestWhatsAppCheckinAfter24HoursUsesTheApprovedTemplate(t *testing.T) {
	tests := []struct {
		name     string
		template string // configured ContentSid for person_checkin
		usedSMS  bool
		want     string // "template", "sms" or "none"
	}{
		{"template configured", "HX0123456789abcdef0123456789abcdef", false, "template"},
		{"no template, the person used SMS before", "", true, "sms"},
		{"no template, WhatsApp only", "", false, "none"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f := newFixture(t, func(o *bot.Options) {
				o.WhatsAppTemplates = map[string]string{}
				if tc.template != "" {
					o.WhatsAppTemplates["person_checkin"] = tc.template
				}
			})
			if tc.usedSMS {
				f.text(bea, "STATUS") // any text by SMS; as a person it opens a request: nobody on shift
				f.clock.add(time.Minute)
			}
			wa := bot.Inbound{MessageSID: twiliofake.NewSID("SM"), From: bea, Channel: phone.WhatsApp, Body: "anyone?"}
			if err := f.bots[0].Handle(context.Background(), wa); err != nil {
				t.Fatal(err)
			}
			f.queued()
			f.clock.add(48 * time.Hour) // the check-in was due on the 25th at 10:00; this sweep is late
			f.sweep()
			msgs := f.entries()
			switch tc.want {
			case "template":
				if len(msgs) != 1 || msgs[0]["csid"] != tc.template || msgs[0]["ch"] != "whatsapp" {
					t.Fatalf("queued %v, want the check-in as WhatsApp template %s", msgs, tc.template)
				}
			case "sms":
				if len(msgs) != 1 || msgs[0]["ch"] != "sms" || msgs[0]["csid"] != nil {
					t.Fatalf("queued %v, want the check-in by SMS", msgs)
				}
			default:
				if len(msgs) != 0 {
					t.Fatalf("queued %v, want nothing", msgs)
				}
			}
		})
	}
}

func TestShiftRemindersArePlannedOnceAndSentIfStillOn(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	loc := f.rota.Location()
	f.clock.set(time.Date(2026, 12, 24, 18, 30, 0, 0, loc)) // Thursday 18:30
	samV, err := f.rota.AddVolunteer(ctx, rota.Volunteer{Name: "Sam", Phone: sam})
	if err != nil {
		t.Fatal(err)
	}
	joV, err := f.rota.AddVolunteer(ctx, rota.Volunteer{Name: "Jo", Phone: jo})
	if err != nil {
		t.Fatal(err)
	}
	ashV, err := f.rota.AddVolunteer(ctx, rota.Volunteer{Name: "Ash", Phone: ash})
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range []rota.Shift{
		{Volunteer: samV.ID, Day: time.Thursday, Start: 20 * 60, End: 2 * 60},
		{Volunteer: joV.ID, Day: time.Thursday, Start: 20 * 60, End: 23 * 60},
		{Volunteer: ashV.ID, Date: "2026-12-24", Start: 20 * 60, End: 23 * 60, CoverFor: joV.ID}, // Ash covers Jo
		{Volunteer: samV.ID, Day: time.Friday, Start: 2 * 60, End: 4 * 60},                       // carries on from Thursday's: no reminder
	} {
		if _, err := f.rota.AddShift(ctx, s); err != nil {
			t.Fatal(err)
		}
	}
	for i, want := range []int{6, 0} { // three occurrences starting soon, two reminders each; planning again adds none
		n, err := f.bots[i].PlanReminders(ctx)
		if err != nil || n != want {
			t.Fatalf("PlanReminders run %d = %d, %v; want %d", i+1, n, err, want)
		}
	}
	f.clock.set(time.Date(2026, 12, 24, 19, 0, 0, 0, loc))
	f.sweep()
	got := f.expect("reminders", sam+": your shift starts at 20:00 (until 02:00)", ash+": starts at 20:00 (until 23:00)")
	if has(got, jo, "") || len(got) != 2 {
		t.Fatalf("queued %q; Jo is covered and gets no reminder", got)
	}
	f.clock.set(time.Date(2026, 12, 24, 20, 0, 0, 0, loc))
	f.sweep()
	f.expect("shift start", sam+": your shift starts now, until 02:00")
	f.clock.set(time.Date(2026, 12, 25, 0, 45, 0, 0, loc))
	if n, err := f.bots[0].PlanReminders(ctx); err != nil || n != 2 {
		t.Fatalf("PlanReminders at 00:45 = %d, %v; want Friday 02:00's two", n, err)
	}
	f.clock.set(time.Date(2026, 12, 25, 2, 0, 0, 0, loc))
	f.sweep()
	if got := f.queued(); len(got) != 0 {
		t.Fatalf("queued %q for a shift that carries on from Thursday's", got)
	}
}

// TestCheckinTimeFollowsTheLocalClockOverAClockChange: signposted late on the night the clocks go back,
// the person is checked in at 10:00 on the new local time; and at 10:00 the next morning when it was
// too close to 10:00.
func TestCheckinTimeFollowsTheLocalClockOverAClockChange(t *testing.T) {
	loc, _ := time.LoadLocation("Europe/London")
	tests := []struct {
		name    string
		at, due time.Time
	}{
		{"the night the clocks go back", time.Date(2026, 10, 24, 23, 30, 0, 0, loc), time.Date(2026, 10, 25, 10, 0, 0, 0, loc)},
		{"the night the clocks go forward", time.Date(2026, 3, 29, 0, 30, 0, 0, loc), time.Date(2026, 3, 29, 10, 0, 0, 0, loc)},
		{"too close to 10:00: the next day", time.Date(2026, 11, 24, 7, 0, 0, 0, loc), time.Date(2026, 11, 25, 10, 0, 0, 0, loc)},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f := newFixture(t)
			f.clock.set(tc.at)
			if err := f.rotaAlwaysOpen(); err != nil {
				t.Fatal(err)
			}
			f.text(alex, "anyone?") // nobody on shift: signposted at once
			f.expect("signposted", alex+": 116 123")
			f.clock.set(tc.due.Add(-time.Second))
			if n := f.sweep(); n != 0 {
				t.Fatalf("check-in ran a second early (%d items)", n)
			}
			f.clock.set(tc.due)
			f.sweep()
			f.expect("check-in", alex+": checking in")
			if got := tc.due.UTC().Hour(); got != map[bool]int{true: 9, false: 10}[tc.due.Month() == time.March] {
				t.Fatalf("10:00 local is %02d:00 UTC", got)
			}
		})
	}
}

// rotaAlwaysOpen opens the line day and night, so a test's time of day does not close it.
func (f *fixture) rotaAlwaysOpen() error {
	_, err := f.rota.SetHours(context.Background(), func(h *rota.Hours) error { *h = rota.AlwaysOpen(); return nil })
	return err
}

// TestAShiftAddedLateStillGetsItsReminderOnce: a shift added less than REMINDER_BEFORE before it
// starts gets its reminder (and its ask to confirm) at once, and only once however often the
// reminders are planned; one starting within ten minutes gets none.
func TestAShiftAddedLateStillGetsItsReminderOnce(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	loc := f.rota.Location()
	f.clock.set(time.Date(2026, 12, 24, 19, 35, 0, 0, loc)) // 25 minutes before 20:00
	samV, err := f.rota.AddVolunteer(ctx, rota.Volunteer{Name: "Sam", Phone: sam})
	if err != nil {
		t.Fatal(err)
	}
	joV, err := f.rota.AddVolunteer(ctx, rota.Volunteer{Name: "Jo", Phone: jo})
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range []rota.Shift{
		{Volunteer: samV.ID, Date: "2026-12-24", Start: 20 * 60, End: 23 * 60},
		{Volunteer: joV.ID, Date: "2026-12-24", Start: 19*60 + 40, End: 23 * 60}, // in five minutes: too late
	} {
		if _, err := f.rota.AddShift(ctx, s); err != nil {
			t.Fatal(err)
		}
	}
	if n, err := f.bots[0].PlanReminders(ctx); err != nil || n != 3 { // Sam's reminder now, both "starts now"
		t.Fatalf("PlanReminders = %d, %v; want 3", n, err)
	}
	f.sweep()
	got := f.expect("late reminder", sam+": your shift starts at 20:00 (until 23:00)")
	if has(got, jo, "") {
		t.Fatalf("queued %q: Jo's shift starts in five minutes, too late for a reminder", got)
	}
	f.clock.set(time.Date(2026, 12, 24, 19, 45, 0, 0, loc))
	if n, err := f.bots[1].PlanReminders(ctx); err != nil || n != 0 {
		t.Fatalf("planning again = %d, %v; want 0: Sam was reminded already", n, err)
	}
	f.sweep()
	if got := f.queued(); has(got, sam, "starts at") {
		t.Fatalf("Sam was reminded twice: %q", got)
	}
}

// TestTheCheckinNamesTheNextEvent: the morning check-in adds the line's next event, as far as two SMS
// segments allow.
func TestTheCheckinNamesTheNextEvent(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	loc := f.rota.Location()
	f.clock.set(time.Date(2026, 11, 24, 23, 30, 0, 0, loc)) // Tuesday night
	if err := f.rotaAlwaysOpen(); err != nil {
		t.Fatal(err)
	}
	if _, err := community.NewStore(f.rdb, f.line()).AddEvent(ctx, community.Event{Title: "Recovery cafe", Day: "sat",
		Start: 11 * 60, End: 13 * 60, Place: "St John's Hall"}); err != nil {
		t.Fatal(err)
	}
	f.text(alex, "anyone?") // nobody on shift: signposted, a check-in booked for 10:00
	f.expect("signposted", alex+": 116 123")
	f.clock.set(time.Date(2026, 11, 25, 10, 0, 0, 0, loc))
	f.sweep()
	f.expect("check-in with the next event", alex+": checking in", alex+": Recovery cafe, St John's Hall")
}

// TestTheConnectTextHintsAtANeed: a person whose words name a need ("evicted") is connected with a tip
// to the volunteer to SHARE the line's services for it; words that name none add no tip.
func TestTheConnectTextHintsAtANeed(t *testing.T) {
	f := newFixture(t)
	if err := f.rotaAlwaysOpen(); err != nil {
		t.Fatal(err)
	}
	f.volunteer("Sam", sam)
	f.text(alex, "I'm going to be evicted on Friday and I want to drink")
	f.text(sam, "ACCEPT")
	f.expect("connected", sam+": Tip: SHARE housing")
	f.text(sam, "DONE")
	f.queued()
	f.text(ash, "can't sleep tonight")
	f.text(sam, "NEXT")
	f.text(sam, "ACCEPT")
	if got := f.expect("connected again", sam+": You're connected"); has(got, sam, "Tip: SHARE") {
		t.Fatalf("a tip for words that name no need: %q", got)
	}
}
