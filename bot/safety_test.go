package bot_test

import (
	"context"
	"strings"
	"testing"
	"time"
	"unicode/utf16"
	"unicode/utf8"

	"peerline/bot"
	"peerline/matcher"
	"peerline/phone"
	"peerline/rota"
	"peerline/twiliofake"
)

// The hardest nights: opt-out, long texts, pictures (issue 10).

// send hands the bot one inbound message as the webhook would.
func (f *fixture) send(in bot.Inbound) {
	f.t.Helper()
	if in.MessageSID == "" {
		in.MessageSID = twiliofake.NewSID("SM")
	}
	if in.Channel == "" {
		in.Channel = phone.SMS
	}
	if err := f.bots[0].Handle(context.Background(), in); err != nil {
		f.t.Fatal(err)
	}
}

func TestOptOutDoneRight(t *testing.T) {
	f := newFixture(t)
	f.volunteer("Sam", sam)
	f.text(alex, "hello")
	f.queued()
	f.text(alex, "STOP")
	f.text(alex, "hello?") // Twilio would deliver nothing to Alex now: nothing is opened or queued
	if got := f.queued(); len(got) != 0 {
		t.Fatalf("after STOP, queued %q; want nothing", got)
	}
	f.text(sam, "ACCEPT")
	f.expect("the request was withdrawn", sam+": no open request")
	f.text(alex, "START")
	f.expect("welcome back", alex+": Welcome back")
	f.text(alex, "can we talk")
	f.expect("a new request", alex+": finding", sam+": Reply ACCEPT")

	g := newFixture(t) // Twilio's reading of the text counts: QUIT opted out, YES opted in
	g.volunteer("Sam", sam)
	g.send(bot.Inbound{From: bea, Body: "quit", OptOutType: "STOP"})
	g.send(bot.Inbound{From: bea, Body: "hello?"})
	if got := g.queued(); len(got) != 0 {
		t.Fatalf("after Twilio opted Bea out, queued %q; want nothing", got)
	}
	g.send(bot.Inbound{From: bea, Body: "yes"})
	g.expect("YES opts back in", bea+": Welcome back")
}

func TestQuitAndEndAreOrdinaryWords(t *testing.T) {
	f := newFixture(t)
	f.volunteer("Sam", sam)
	f.text(alex, "quit")
	f.expect("quit opens a request", alex+": finding", sam+": Reply ACCEPT")
	f.text(sam, "ACCEPT")
	f.text(sam, "end") // an ordinary word in a chat: passed on, the chat goes on
	f.expect("relayed", alex+": Sam: end")
	f.text(sam, "STOP") // Twilio's own opt-out word: the volunteer stops texts, the chat ends
	f.expect("closed", alex+": had to leave the chat")
	f.text(sam, "START")
	f.expect("back", sam+": You're back", sam+": text ON")
}

func TestHelpFromAPersonGivesTheLineAndCrisisNumbers(t *testing.T) {
	f := newFixture(t)
	f.volunteer("Sam", sam)
	f.text(alex, "HELP")
	got := f.expect("help", alex+": peer support line", alex+": Samaritans 116 123", alex+": 85258", alex+": 999")
	if has(got, sam, "") {
		t.Fatalf("queued %q; HELP opened a request", got)
	}
	f.text(sam, "help") // a volunteer's HELP is the menu
	f.expect("menu", sam+": peerline: ACCEPT")
}

func TestLongTextsArriveWhole(t *testing.T) {
	f := newFixture(t)
	f.volunteer("Sam", sam)
	long := strings.TrimSpace(strings.Repeat("i can't sleep and my head won't stop ", 43)) // about 1,600 characters
	if n := utf8.RuneCountInString(long); n < 1500 || n > 1600 {
		t.Fatalf("the long text has %d characters", n)
	}
	f.text(alex, long)
	f.queued()
	f.text(sam, "ACCEPT")
	got := f.queued()
	var start []string
	matched := -1
	for i, m := range got {
		if n := len(utf16.Encode([]rune(m))) - len(sam+": "); n > 1600 {
			t.Fatalf("text %d has %d characters, over Twilio's 1,600", i, n)
		}
		if strings.HasPrefix(m, sam+": ") {
			start = append(start, strings.TrimPrefix(m, sam+": "))
		}
		if strings.HasPrefix(m, alex+": ") && strings.Contains(m, "is here") {
			matched = i
		}
	}
	if len(start) < 2 || matched < len(start) {
		t.Fatalf("Sam got %d texts before Alex was told he is here (at %d); want the connect text in parts, first", len(start), matched)
	}
	if joined := strings.Join(start, " "); strings.Count(joined, "head won't stop") != 43 {
		t.Fatalf("Sam did not get every word: %d of 43", strings.Count(joined, "head won't stop"))
	}
	full := long + " " + strings.Repeat("z", 1600-utf8.RuneCountInString(long)-1) // 1,600 characters, a valid SMS
	f.text(alex, full)                                                            // relayed with the code in front: over 1,600, so sent in two parts
	got = f.queued()
	if len(got) != 2 || !strings.HasSuffix(got[0], "…") || !strings.HasPrefix(strings.TrimPrefix(got[1], sam+": "), "…") {
		t.Fatalf("relay of a long text: %d parts %.60q", len(got), got)
	}
}

func TestAPictureIsSaidNotPassedOn(t *testing.T) {
	f := newFixture(t)
	f.volunteer("Sam", sam)
	f.send(bot.Inbound{From: alex, Media: 1})
	f.expect("a request", alex+": finding")
	f.text(sam, "ACCEPT")
	f.expect("connected", sam+`: They said: "(a picture)"`)
	f.send(bot.Inbound{From: alex, Body: "this is me", Media: 2})
	f.expect("relayed", sam+": this is me (and a picture, which we don't pass on)")
}

func TestRiskWordsGetTheSafetyTextFirstAndACoordinator(t *testing.T) {
	const words = "i took all my tablets"
	t.Run("a new request is urgent: offered to everyone, the coordinator paged", func(t *testing.T) {
		f := newFixture(t)
		f.volunteer("Sam", sam)
		f.volunteer("Jo", jo)
		f.volunteer("Ash", ash) // FIRST_OFFERS is 2: an ordinary request would reach two of the three
		f.add(rota.Volunteer{Name: "Kim", Phone: kim, Coordinator: true}, true)
		f.text(alex, words)
		got := f.queued()
		if len(got) == 0 || !strings.HasPrefix(got[0], alex+": If you have taken something or you are in danger, call 999 now") {
			t.Fatalf("queued %q; the safety text must come first", got)
		}
		for _, want := range []string{alex + ": 116 123", alex + ": option 2", alex + ": 85258", alex + ": finding a peer supporter",
			sam + ": URGENT", jo + ": URGENT", ash + ": URGENT", kim + ": URGENT"} {
			to, part, _ := strings.Cut(want, ": ")
			if !has(got, to, part) {
				t.Errorf("no text to %s with %q in %q", to, part, got)
			}
		}
		if has(got, alex, "Thanks for texting") {
			t.Errorf("queued %q; the safety text replaces the usual first answer", got)
		}
		if h := f.history(); h[len(h)-1].Kind != matcher.EventRisk && h[len(h)-2].Kind != matcher.EventRisk {
			t.Errorf("history %+v has no risk event", h)
		}
	})
	t.Run("while waiting: the request jumps the queue", func(t *testing.T) {
		f := busyNight(t)
		f.text(bea, "hello")
		f.clock.add(time.Minute)
		f.text(alex, "hello")
		f.text(alex, "im going to end it all")
		f.expect("safety", alex+": If you have taken something or you are in danger", kim+": URGENT")
		f.text(sam, "DONE")
		f.expect("the urgent one first, though Bea waited longer", sam+": URGENT")
	})
	t.Run("in a chat: the words go through, the volunteer gets a private note", func(t *testing.T) {
		f := newFixture(t)
		f.volunteer("Sam", sam)
		f.add(rota.Volunteer{Name: "Kim", Phone: kim, Coordinator: true}, true)
		f.text(alex, "hello")
		f.text(sam, "ACCEPT")
		f.queued()
		f.text(alex, "I've got the pills in front of me")
		got := f.expect("note", alex+": If you have taken something or you are in danger", sam+": I've got the pills in front of me",
			sam+": Private note", kim+": Sam is with them")
		if !strings.HasPrefix(got[0], alex+": ") {
			t.Fatalf("queued %q; the safety text must come first", got)
		}
		f.text(sam, "ESCALATE")
		f.expect("escalated", kim+": Sam (v1, "+sam+") needs your help now", sam+": We've asked Kim")
	})
	t.Run("out of hours, after STOP, and the safety text never blocks support", func(t *testing.T) {
		f := newFixture(t)
		f.volunteer("Sam", sam)
		f.clock.set(time.Date(2026, 11, 27, 11, 0, 0, 0, f.rota.Location())) // a weekday morning: closed
		f.text(alex, "I want to kill myself")
		f.expect("closed", alex+": If you have taken something or you are in danger", alex+": from 17:00 today")
		f.clock.set(time.Date(2026, 12, 25, 1, 10, 0, 0, f.rota.Location()))
		f.text(bea, "STOP")
		f.text(bea, "kms")
		f.expect("after STOP the safety text is still tried", bea+": If you have taken something or you are in danger")
	})
	t.Run("ordinary recovery talk is not risk", func(t *testing.T) {
		f := newFixture(t)
		f.volunteer("Sam", sam)
		f.text(alex, "I relapsed last night and I'm killing time till my meeting")
		if got := f.queued(); has(got, alex, "If you have taken something or you are in danger") || has(got, sam, "URGENT") {
			t.Fatalf("queued %q; no risk words here", got)
		}
	})
}

// TestRiskWordsAlwaysReachSomeone: after a newcomer's trial, risk words reach a volunteer or a
// coordinator in every state, once per request however often they come.
func TestRiskWordsAlwaysReachSomeone(t *testing.T) {
	kimOnCall := func(f *fixture) { f.add(rota.Volunteer{Name: "Kim", Phone: kim, Coordinator: true}, true) }
	t.Run("over the rate limit in a chat: passed on, with the note", func(t *testing.T) {
		f := newFixture(t, func(o *bot.Options) { o.RateLimit = 3 })
		f.volunteer("Sam", sam)
		kimOnCall(f)
		f.text(alex, "hello")
		f.text(sam, "ACCEPT")
		for range 4 {
			f.text(alex, "flood")
		}
		f.queued()
		f.text(alex, "I want to kill myself")
		f.expect("not dropped", alex+": If you have taken something or you are in danger", sam+": I want to kill myself", sam+": Private note",
			kim+": Sam is with them")
	})
	t.Run("three times in a chat: everyone hears once", func(t *testing.T) {
		f := newFixture(t)
		f.volunteer("Sam", sam)
		kimOnCall(f)
		f.text(alex, "hello")
		f.text(sam, "ACCEPT")
		f.queued()
		for range 3 {
			f.text(alex, "kms")
		}
		all := strings.Join(f.queued(), "\n")
		for _, who := range []string{alex + ": If you have taken something or you are in danger", sam + ": Private note", kim + ": peerline URGENT"} {
			if n := strings.Count(all, who); n != 1 {
				t.Errorf("%q %d times, want once:\n%s", who, n, all)
			}
		}
		if n := strings.Count(all, sam+": "+"R"); n < 3 {
			t.Errorf("Sam got %d of the three texts", n)
		}
	})
	t.Run("after STOP: the coordinator is told", func(t *testing.T) {
		f := newFixture(t)
		f.volunteer("Sam", sam)
		kimOnCall(f)
		f.text(alex, "STOP")
		f.text(alex, "I've taken an overdose")
		f.expect("told", alex+": If you have taken something or you are in danger", kim+": stopped texts from the line")
	})
	t.Run("a blocked person: the coordinator is told of the block, then of the words", func(t *testing.T) {
		f := newFixture(t)
		f.volunteer("Sam", sam)
		kimOnCall(f)
		f.text(alex, "hello")
		f.text(sam, "ACCEPT")
		code := f.codeOf(alex)
		f.text(sam, "BLOCK")
		f.expect("the block", kim+": Sam ended chat "+code+" with BLOCK")
		f.text(alex, "I've got the pills in front of me")
		f.expect("the words", alex+": If you have taken something or you are in danger", kim+": rota blocks lift "+code)
	})
	t.Run("out of hours with a coordinator on call: an urgent request for them", func(t *testing.T) {
		f := newFixture(t)
		f.volunteer("Sam", sam)
		kimOnCall(f)                                                         // on call on Fridays
		f.clock.set(time.Date(2026, 11, 27, 11, 0, 0, 0, f.rota.Location())) // Friday morning: closed
		f.text(alex, "I've taken an overdose")
		got := f.expect("paged", alex+": If you have taken something or you are in danger", kim+": URGENT", alex+": from 17:00 today")
		if has(got, sam, "") {
			t.Fatalf("queued %q; nobody on shift is offered it out of hours", got)
		}
		f.text(bea, "hello")
		f.text(bea, "are you there")
		if n := strings.Count(strings.Join(f.queued(), "\n"), bea+": "); n != 1 {
			t.Fatalf("Bea was told %d times the line is closed, want once a day", n)
		}
	})
	t.Run("a coordinator's plain ACCEPT takes the urgent page first", func(t *testing.T) {
		f := newFixture(t)
		kimOnCall(f)
		f.text(alex, "hello") // nobody on shift: Kim is paged
		f.text(bea, "I want to end it all")
		f.text(kim, "ACCEPT")
		f.expect("urgent first", kim+": URGENT: they may be in danger", bea+": Kim, a peer supporter")
	})
	t.Run("ESCALATE says what is true", func(t *testing.T) {
		f := newFixture(t)
		kimOnCall(f)
		f.text(alex, "hello")
		f.text(kim, "ACCEPT")
		f.text(kim, "ESCALATE")
		f.expect("self", kim+": You're the coordinator on call")
		g := newFixture(t)
		g.volunteer("Sam", sam)
		kimOnCall(g)
		g.text(alex, "hello")
		g.text(sam, "ACCEPT")
		g.text(sam, "DONE")
		g.queued()
		g.text(sam, "ESCALATE")
		got := g.expect("after the chat", kim+": needs your help now, after chat")
		if has(got, sam, "Stay with them") {
			t.Fatalf("queued %q; the chat has ended", got)
		}
	})
}

// TestTheLineRemembersRiskWordsForADay: after a newcomer's trial, a person who used risk words and then
// texted STOP and START is still urgent when they ask again within a day: the coordinator is paged and
// the volunteer is told. STOP from a person at risk, waiting or in a chat, reaches the coordinator.
func TestTheLineRemembersRiskWordsForADay(t *testing.T) {
	setup := func(t *testing.T) *fixture {
		f := newFixture(t)
		f.volunteer("Sam", sam)
		f.add(rota.Volunteer{Name: "Kim", Phone: kim, Coordinator: true}, true)
		return f
	}
	t.Run("STOP in an urgent chat: the coordinator hears", func(t *testing.T) {
		f := setup(t)
		f.text(alex, "I've taken an overdose")
		f.text(sam, "ACCEPT")
		code := f.codeOf(alex)
		f.queued()
		f.text(alex, "STOP")
		f.expect("stopped", sam+": has stopped messages", kim+": "+code+", who used words that may mean they are at risk, has stopped texts from the line and left the chat with Sam")
	})
	t.Run("STOP while an urgent request waits: the coordinator hears", func(t *testing.T) {
		f := setup(t)
		f.text(alex, "I've taken an overdose")
		code := f.codeOf(alex)
		f.queued()
		f.text(alex, "STOP")
		f.expect("stopped", kim+": "+code+", who used words that may mean they are at risk, has stopped texts")
	})
	t.Run("STOP from an ordinary chat: nobody else is told", func(t *testing.T) {
		f := setup(t)
		f.text(alex, "hello")
		f.text(sam, "ACCEPT")
		f.queued()
		f.text(alex, "STOP")
		if got := f.queued(); has(got, kim, "") {
			t.Fatalf("queued %q; the coordinator need not hear of an ordinary STOP", got)
		}
	})
	for _, tc := range []struct {
		name   string
		after  time.Duration
		urgent bool
	}{
		{"a new request within the day is urgent", 23 * time.Hour, true},
		{"a new request after a day is ordinary", 25 * time.Hour, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := setup(t)
			if err := f.rotaAlwaysOpen(); err != nil {
				t.Fatal(err)
			}
			for _, s := range []rota.Shift{{Volunteer: "v1", Day: time.Saturday, End: 24 * 60},
				{Volunteer: "v2", Day: time.Saturday, End: 24 * 60, OnCall: true}} { // Sam and Kim, the next day too
				if _, err := f.rota.AddShift(context.Background(), s); err != nil {
					t.Fatal(err)
				}
			}
			f.text(alex, "I've taken an overdose")
			f.text(sam, "ACCEPT")
			f.text(alex, "STOP")
			f.text(alex, "START")
			f.clock.add(tc.after)
			f.queued()
			f.text(alex, "please help me")
			got := f.queued()
			if tc.urgent != has(got, kim, "URGENT") || tc.urgent != has(got, sam, "in the last day they used words") ||
				tc.urgent != has(got, alex, "116 123") {
				t.Fatalf("urgent %v, queued %q", tc.urgent, got)
			}
			f.text(sam, "ACCEPT")
			if got := f.queued(); tc.urgent != has(got, sam, "URGENT: in the last day they used words") {
				t.Fatalf("urgent %v, connect text %q", tc.urgent, got)
			}
		})
	}
}

// TestACrisisWhileClosedGetsNoRoutineText: after a newcomer's trial, risk words while the line is
// closed get the safety text and a short crisis follow-up, never the daytime services ("your GP..."),
// and the person hears only what is true after the coordinator on call passes.
func TestACrisisWhileClosedGetsNoRoutineText(t *testing.T) {
	for _, tc := range []struct {
		name   string
		oncall bool
	}{{"nobody on call", false}, {"a coordinator on call", true}} {
		t.Run(tc.name, func(t *testing.T) {
			f := newFixture(t)
			f.volunteer("Sam", sam)
			if tc.oncall {
				f.add(rota.Volunteer{Name: "Kim", Phone: kim, Coordinator: true}, true)
			}
			f.clock.set(time.Date(2026, 11, 27, 11, 0, 0, 0, f.rota.Location())) // Friday morning: closed
			f.text(alex, "I've taken an overdose")
			got := f.expect("crisis", alex+": call 999", alex+": back from 17:00 today", alex+": call 999 or Samaritans on 116 123 now")
			if has(got, alex, "GP") {
				t.Errorf("queued %q; no routine daytime services after the safety text", got)
			}
			if tc.oncall != has(got, alex, "asked our coordinator on call") {
				t.Errorf("queued %q; the person is told of the coordinator only when one was asked", got)
			}
			if !tc.oncall {
				return
			}
			f.text(kim, "PASS")
			f.queued()
			f.clock.add(5 * time.Minute) // the wider offer's time: nothing new to say
			f.sweep()
			if got := f.queued(); has(got, alex, "still looking") {
				t.Fatalf("queued %q; they were never told anyone was looking", got)
			}
			f.clock.add(20 * time.Minute)
			f.sweep()
			f.expect("the signpost", alex+": Sorry, we couldn't find a peer supporter")
		})
	}
}

// TestAWaitingPersonInCrisisIsAnswered: after a newcomer's trial, a waiting person who writes again
// with risk words is told once that their words are kept, and gets the safety text at most once in
// safetyAgain (15 minutes), however often they write.
func TestAWaitingPersonInCrisisIsAnswered(t *testing.T) {
	for _, tc := range []struct {
		name       string
		first      string
		wantSafety int // safety texts for the three texts after the first
	}{
		{"first words ordinary, then risk words three times", "hello", 1},
		{"risk words from the start, then three times more", "I've taken an overdose", 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := busyNight(t)
			f.text(alex, tc.first)
			f.queued()
			for range 3 {
				f.text(alex, "i want to kill myself")
			}
			all := strings.Join(f.queued(), "\n")
			if n := strings.Count(all, alex+": Thank you, we've got that"); n != 1 {
				t.Errorf("told %d times that the words are kept, want once:\n%s", n, all)
			}
			if n := strings.Count(all, alex+": If you have taken something"); n != tc.wantSafety {
				t.Errorf("%d safety texts, want %d:\n%s", n, tc.wantSafety, all)
			}
			if strings.Index(all, alex+": If you have taken something") > strings.Index(all, alex+": Thank you, we've got that") {
				t.Errorf("the safety text must come first:\n%s", all)
			}
		})
	}
}
