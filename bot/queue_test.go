package bot_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"peerline/rota"
)

// The waiting queue, as people, volunteers and coordinators live it (issue 9).

// busyNight puts Sam and Jo on shift and Kim on call, and gives Sam and Jo a chat each, so that
// nobody is free when the test starts.
func busyNight(t *testing.T) *fixture {
	f := newFixture(t)
	f.volunteer("Sam", sam)
	f.volunteer("Jo", jo)
	f.add(rota.Volunteer{Name: "Kim", Phone: kim, Coordinator: true}, true)
	for _, p := range []struct{ person, vol string }{{"+447700900011", sam}, {"+447700900012", jo}} {
		f.text(p.person, "hello")
		f.text(p.vol, "ACCEPT")
	}
	f.queued()
	return f
}

func TestEveryoneBusyQueuesThePersonWithHonestWords(t *testing.T) {
	f := busyNight(t)
	f.text(alex, "is anyone there")
	got := f.expect("queued", alex+": all with someone", alex+": You're in the queue")
	if has(got, alex, "116 123") || has(got, kim, "") {
		t.Fatalf("queued %q; with everyone busy the person is queued, not signposted, and nobody is paged yet", got)
	}
	f.text(sam, "DONE")
	f.expect("the first volunteer to finish is offered Alex at once", sam+": Chat", sam+": Reply ACCEPT")
	f.text(sam, "ACCEPT")
	f.expect("connected", alex+": Sam, a peer supporter, is here")
}

func TestSignpostAtOnceOnlyWithNobodyOnShiftOrOnCall(t *testing.T) {
	tests := []struct {
		name  string
		setup func(f *fixture)
		want  string
		not   string
	}{
		{"nobody on shift or on call: the signpost", func(*fixture) {}, "116 123", "finding"},
		{"nobody on shift, a coordinator on call: paged at once", func(f *fixture) {
			f.add(rota.Volunteer{Name: "Kim", Phone: kim, Coordinator: true}, true)
		}, "No peer supporter is on right now, so we've asked our coordinator", "116 123"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f := newFixture(t)
			tc.setup(f)
			f.text(alex, "hello")
			got := f.expect(tc.name, alex+": "+tc.want)
			if has(got, alex, tc.not) {
				t.Fatalf("queued %q", got)
			}
		})
	}
}

func TestAVolunteerWhoComesFreeIsOfferedTheNextWaiting(t *testing.T) {
	ctx := context.Background()
	tests := []struct {
		name  string
		setup func(f *fixture) rota.Volunteer // Ash, not free yet
		free  func(f *fixture, ash rota.Volunteer)
	}{
		{"ON", func(f *fixture) rota.Volunteer {
			v := f.add(rota.Volunteer{Name: "Ash", Phone: ash}, false)
			f.text(ash, "OFF")
			return v
		}, func(f *fixture, _ rota.Volunteer) { f.text(ash, "ON") }},
		{"resumed by a coordinator", func(f *fixture) rota.Volunteer {
			v := f.add(rota.Volunteer{Name: "Ash", Phone: ash}, false)
			if _, err := f.rota.SetActive(ctx, v.ID, false); err != nil {
				f.t.Fatal(err)
			}
			return v
		}, func(f *fixture, v rota.Volunteer) {
			if _, err := f.rota.SetActive(ctx, v.ID, true); err != nil {
				f.t.Fatal(err)
			}
			f.sweep()
		}},
		{"a shift starting", func(f *fixture) rota.Volunteer {
			v, err := f.rota.AddVolunteer(ctx, rota.Volunteer{Name: "Ash", Phone: ash})
			if err != nil {
				f.t.Fatal(err)
			}
			if _, err := f.rota.AddShift(ctx, rota.Shift{Volunteer: v.ID, Day: time.Friday, Start: 60 + 11, End: 6 * 60}); err != nil {
				f.t.Fatal(err)
			}
			return v
		}, func(f *fixture, _ rota.Volunteer) {
			f.clock.set(time.Date(2026, 12, 25, 1, 11, 0, 0, f.rota.Location()))
			f.sweep()
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f := busyNight(t)
			v := tc.setup(f)
			f.text(alex, "hello")
			f.clock.add(time.Second)
			f.text(bea, "hello")
			if got := f.queued(); has(got, ash, "Reply ACCEPT") {
				t.Fatalf("Ash, not free yet, was offered: %q", got)
			}
			f.clock.add(30 * time.Second)
			tc.free(f, v)
			got := f.queued()
			if n := strings.Count(strings.Join(got, "\n"), ash+": Someone is asking"); n != 1 {
				t.Fatalf("Ash got %d offers, want 1 (one at a time): %q", n, got)
			}
			f.text(ash, "ACCEPT")
			f.expect("Ash takes the person who waited longest", alex+": Ash, a peer supporter")
		})
	}
}

func TestNextOffersTheMostUrgentWaiting(t *testing.T) {
	f := busyNight(t)
	f.text(alex, "hello")
	f.clock.add(time.Minute)
	f.text(bea, "hello")
	f.queued()
	f.text(sam, "NEXT") // in a chat: told to stay with them
	f.expect("busy", sam+": You're in chat")
	f.text(sam, "DONE")
	got := f.expect("offered Alex, the longest waiting", sam+": Reply ACCEPT")
	f.text(sam, "NEXT") // holds Alex's offer already: reminded of it
	again := f.expect("reminded", sam+": Reply ACCEPT")
	if code(got, sam) != code(again, sam) {
		t.Fatalf("NEXT offered %q, want Alex's offer again (%q)", again, got)
	}
	f.text(sam, "PASS")
	f.expect("passed Alex: offered Bea", sam+": you've passed", sam+": Reply ACCEPT")
	f.text(sam, "ACCEPT")
	f.expect("connected", bea+": Sam, a peer supporter")
	f.text(jo, "DONE")
	f.expect("Jo is offered Alex", jo+": Reply ACCEPT")
	f.text(jo, "ACCEPT")
	f.text(jo, "DONE")
	f.queued()
	f.text(jo, "NEXT")
	f.expect("nobody waiting", jo+": Nobody is waiting right now")
}

// code returns the request code in the first text to number in msgs.
func code(msgs []string, number string) string {
	for _, m := range msgs {
		if rest, ok := strings.CutPrefix(m, number+": "); ok {
			if i := strings.Index(rest, "(R"); i >= 0 {
				return rest[i+1 : i+5]
			}
		}
	}
	return ""
}

func TestCoordinatorsArePagedOnlyWhenFreeAndInTurn(t *testing.T) {
	f := newFixture(t)
	f.volunteer("Sam", sam)
	f.add(rota.Volunteer{Name: "Kim", Phone: kim, Coordinator: true}, true)
	const lee = "+447700900105"
	f.add(rota.Volunteer{Name: "Lee", Phone: lee, Coordinator: true}, true)
	f.text(alex, "hello")
	f.text(sam, "ACCEPT") // Sam is busy with Alex
	f.text(bea, "hello")
	f.text(kim, "ACCEPT "+f.codeOf(bea)) // Kim, on call and free, takes Bea
	f.queued()
	const cleo = "+447700900003"
	f.text(cleo, "hello")
	f.expect("queued", cleo+": all with someone")
	f.clock.add(10 * time.Minute)
	f.sweep()
	got := f.expect("Lee, free, is paged; not Kim, in a chat", lee+": has waited 10 minutes", cleo+": asked our coordinator")
	if has(got, kim, "") {
		t.Fatalf("queued %q; Kim, in a chat, was paged", got)
	}
	f.text(lee, "PASS")
	got = f.expect("Lee passed", lee+": you've passed")
	if has(got, cleo, "116 123") {
		t.Fatalf("queued %q; Cleo is signposted while Sam and Kim may still finish in time", got)
	}
	f.text(kim, "DONE")
	f.queued()
	f.clock.add(3 * time.Minute)
	f.sweep()
	f.expect("Kim, free now, is paged in turn", kim+": has waited 13 minutes")

	k := newFixture(t) // a coordinator deciding on one page is not paged about another until they answer
	k.add(rota.Volunteer{Name: "Kim", Phone: kim, Coordinator: true}, true)
	k.text(alex, "hello")
	k.text(bea, "hello")
	got = k.expect("Kim paged about Alex only", kim+": nobody has taken it", bea+": finding")
	if n := strings.Count(strings.Join(got, "\n"), kim+": peerline:"); n != 1 {
		t.Fatalf("Kim got %d pages at once, want 1: %q", n, got)
	}
	k.text(kim, "PASS")
	k.queued()
	k.clock.add(3 * time.Minute)
	k.sweep()
	k.expect("Kim paged about Bea once she answered", kim+": nobody has taken it", bea+": asked our coordinator")

	h := newFixture(t) // the only coordinator on call is in a chat: told the line needs help, once
	h.add(rota.Volunteer{Name: "Kim", Phone: kim, Coordinator: true}, true)
	h.text(alex, "hello")
	h.text(kim, "ACCEPT")
	for _, p := range []string{bea, cleo} {
		h.text(p, "hello")
	}
	got = h.expect("told", kim+": the line needs help", bea+": all with someone", cleo+": all with someone")
	if n := strings.Count(strings.Join(got, "\n"), kim+": peerline: the line needs help"); n != 1 {
		t.Fatalf("Kim was told %d times in one chat, want once: %q", n, got)
	}
	h.clock.add(10 * time.Minute)
	h.sweep()
	if got := h.queued(); has(got, bea, "asked our coordinator") || has(got, kim, "") {
		t.Fatalf("queued %q; with the coordinator in a chat, nobody is told a coordinator was asked", got)
	}

	g := newFixture(t) // two coordinators free: paged one at a time
	g.add(rota.Volunteer{Name: "Kim", Phone: kim, Coordinator: true}, true)
	g.add(rota.Volunteer{Name: "Lee", Phone: lee, Coordinator: true}, true)
	g.text(alex, "hello")
	got = g.expect("Kim paged first", kim+": nobody has taken it")
	if has(got, lee, "") {
		t.Fatalf("queued %q; Lee was paged at the same time as Kim", got)
	}
	g.clock.add(3 * time.Minute)
	g.sweep()
	g.expect("Lee paged next, as Kim did not answer", lee+": nobody has taken it")
}

// codeOf returns the code of number's current request.
func (f *fixture) codeOf(number string) string { return f.partyField(number, "req") }

// lateCodeOf returns the code of number's request after the signpost (kept for a late taker).
func (f *fixture) lateCodeOf(number string) string { return f.partyField(number, "late") }

// partyField reads one field of number's state.
func (f *fixture) partyField(number, field string) string {
	f.t.Helper()
	v, err := f.rdb.HGet(context.Background(), f.partyKey(number), field).Result()
	if err != nil {
		f.t.Fatal(err)
	}
	return v
}

func TestCommandsInAChatAreActedOnNotRelayed(t *testing.T) {
	f := newFixture(t)
	f.volunteer("Sam", sam)
	f.volunteer("Jo", jo)
	f.text(alex, "hello")
	f.text(sam, "ACCEPT")
	f.text(bea, "hello")
	f.text(jo, "ACCEPT "+f.codeOf(bea))
	const cleo = "+447700900003"
	f.text(cleo, "hello")
	f.text(sam, "DONE")
	f.text(sam, "ACCEPT "+f.codeOf(cleo)) // Sam in a chat with Cleo
	f.text(jo, "DONE")
	f.text(alex, "hello again") // Alex waits again; Jo is offered it
	f.queued()
	other := f.codeOf(alex)
	tests := []struct{ text, reply string }{
		{"STATUS", "You're ON"},
		{"MENU", "peerline: ACCEPT"},
		{"ACCEPT", "You're in chat"},
		{"PASS " + other, "nothing for you to pass on"}, // Sam holds no offer of it
		{"I'm still here, " + other + " sorry wrong code", "wasn't passed on"},
	}
	for _, tc := range tests {
		f.text(sam, tc.text)
		got := f.expect(tc.text, sam+": "+tc.reply)
		if has(got, cleo, "") {
			t.Fatalf("%q in a chat reached the person: %q", tc.text, got)
		}
	}
	f.text(sam, "yes") // a word people say to each other goes through
	f.expect("relayed", cleo+": Sam: yes")
}

func TestALateAcceptWhenThePersonHasMovedOn(t *testing.T) {
	t.Run("they texted again: the volunteer takes the new request", func(t *testing.T) {
		f := newFixture(t)
		f.volunteer("Sam", sam)
		f.text(alex, "hello")
		old := f.codeOf(alex)
		f.text(sam, "PASS")
		f.expect("signposted", alex+": 116 123")
		f.volunteer("Jo", jo)
		f.text(jo, "OFF")
		f.text(alex, "still need someone")
		f.expect("new request", alex+": finding")
		f.text(sam, "ACCEPT "+old)
		f.expect("joined", sam+": You're connected", alex+": Sam, a peer supporter, is here")
	})
	t.Run("they are talking to someone else", func(t *testing.T) {
		f := newFixture(t)
		f.volunteer("Sam", sam)
		f.text(alex, "hello")
		old := f.codeOf(alex)
		f.text(sam, "PASS")
		f.volunteer("Jo", jo)
		f.text(alex, "still need someone")
		f.text(jo, "ACCEPT")
		f.queued()
		f.text(sam, "ACCEPT "+old)
		got := f.expect("moved on", sam+": has moved on")
		if has(got, alex, "") {
			t.Fatalf("queued %q; Alex, talking to Jo, hears nothing", got)
		}
	})
}

func TestALateChatNeverAnsweredEndsWithoutMentioningAChat(t *testing.T) {
	f := newFixture(t)
	f.volunteer("Sam", sam)
	f.text(alex, "hello")
	f.text(sam, "PASS")
	f.clock.add(5 * time.Minute)
	f.text(sam, "ACCEPT "+f.lateCodeOf(alex))
	f.expect("late offer", alex+": free to talk now")
	f.text(sam, "DONE")
	got := f.expect("let go", alex+": text again any time")
	if has(got, alex, "closed this chat") {
		t.Fatalf("queued %q; a chat that never started is not 'closed'", got)
	}
}

func TestCoordinatorStatusShowsTheQueue(t *testing.T) {
	f := busyNight(t)
	f.text(alex, "hello")
	f.clock.add(4 * time.Minute)
	f.text(bea, "hello")
	f.queued()
	f.text(kim, "STATUS")
	f.expect("status", kim+": Line now: 2 waiting, longest 4 minutes", kim+": Free: Kim (on call). In a chat: Sam, Jo")
}

func TestThanksAfterAChatOpensNoRequest(t *testing.T) {
	f := newFixture(t)
	f.volunteer("Sam", sam)
	f.text(alex, "hello")
	f.text(sam, "ACCEPT")
	f.text(sam, "DONE")
	f.queued()
	f.text(alex, "thank you so much x")
	got := f.expect("welcome", alex+": You're welcome")
	if has(got, sam, "Reply ACCEPT") {
		t.Fatalf("queued %q; a thank-you opened a request", got)
	}
	f.text(alex, "actually can we talk again")
	f.expect("a new request", alex+": finding", sam+": Reply ACCEPT")
}
