package e2e

import (
	"context"
	"strings"
	"testing"
	"time"

	"peerline/community"
	"peerline/rota"
)

// communityNow is the clock of these tests: Tuesday 1 December 2026, 12:00 in London.
func communityNow(t *testing.T) func() time.Time {
	loc, err := time.LoadLocation("Europe/London")
	if err != nil {
		t.Fatal(err)
	}
	at := time.Date(2026, 12, 1, 12, 0, 0, 0, loc)
	return func() time.Time { return at }
}

// seedCommunity adds a calendar and a directory to the service's line.
func seedCommunity(t *testing.T, s *testService) {
	t.Helper()
	ctx := context.Background()
	c := community.NewStore(s.rdb, s.line)
	for _, e := range []community.Event{
		{Title: "Recovery café", Day: "sat", Start: 11 * 60, End: 13 * 60, Place: "St John's Hall, Tonbridge", Tags: []string{"family-friendly"}},
		{Title: "Recovery walk", Day: "sun", Start: 10 * 60, End: 11*60 + 30, Place: "Haysden Park gate"},
		{Title: "Sober quiz", Date: "2026-12-03", Start: 18 * 60, End: 20 * 60, Place: "Angel Centre"},
		{Title: "Carol singing", Date: "2026-12-20", Start: 18 * 60, End: 19 * 60, Place: "High Street"},
	} {
		if _, err := c.AddEvent(ctx, e); err != nil {
			t.Fatal(err)
		}
	}
	for _, v := range []community.Service{
		{Need: "housing", Name: "Housing Advice", Phone: "01732 111111", Hours: "Mon-Fri 14:00-16:00"},
		{Need: "housing", Name: "Homeless Drop-in", Phone: "01732 222222", Hours: "Sat 10:00-12:00"},
		{Need: "food", Name: "Food Bank", Phone: "01732 333333", Hours: "Wed 10:00-12:00"},
	} {
		if _, err := c.AddService(ctx, v); err != nil {
			t.Fatal(err)
		}
	}
}

// TestWhatsOnSendsTheNextThreeEvents: a person who texts WHATS ON outside a chat gets the next three
// events, and no request is opened.
func TestWhatsOnSendsTheNextThreeEvents(t *testing.T) {
	s := startServiceWith(t, serviceOptions{now: communityNow(t)})
	seedCommunity(t, s)
	sam := s.volunteer("Sam", "+447700900101", true)
	alex := s.phone("+447700900001", "")
	alex.Text("What's on?")
	got := alex.Expect("Coming up")
	for _, want := range []string{"Thu 18:00-20:00 Sober quiz", "Sat 11:00-13:00 Recovery café", "Sun 10:00-11:30 Recovery walk"} {
		if !strings.Contains(got.Body, want) {
			t.Errorf("what's on %q lacks %q", got.Body, want)
		}
	}
	if strings.Contains(got.Body, "Carol") {
		t.Errorf("what's on %q has a fourth event", got.Body)
	}
	alex.Text("EVENTS")
	alex.Expect("Sober quiz")
	sam.NeverGot("ACCEPT")
}

// TestShareInAChat: a volunteer's SHARE cafe sends the person the event, SHARE housing the housing
// services open soonest, through the line; the volunteer is told, a word that matches nothing reaches
// nobody, and no number of the volunteer or the person is in any text.
func TestShareInAChat(t *testing.T) {
	s := startServiceWith(t, serviceOptions{now: communityNow(t)})
	seedCommunity(t, s)
	sam := s.volunteer("Sam", "+447700900101", true)
	alex := s.phone("+447700900001", "")
	alex.Text("struggling tonight")
	c := code(t, sam.Expect("Reply ACCEPT").Body)
	sam.Text("ACCEPT " + c)
	alex.Expect("Sam")

	sam.Text("SHARE cafe")
	ev := alex.Expect("Recovery café")
	if !strings.Contains(ev.Body, "Sat 11:00-13:00") || !strings.Contains(ev.Body, "St John's Hall, Tonbridge") {
		t.Errorf("shared event %q lacks its time or place", ev.Body)
	}
	sam.Expect("Sent to them: Recovery café")

	sam.Text("share housing")
	svc := alex.Expect("help with housing")
	if i, j := strings.Index(svc.Body, "Housing Advice, 01732 111111, opens 14:00 today"),
		strings.Index(svc.Body, "Homeless Drop-in, 01732 222222, opens 10:00 Sat"); i < 0 || j < i {
		t.Errorf("shared services %q: want Housing Advice (opens today) then the Drop-in", svc.Body)
	}
	sam.Expect("2 housing services")

	sam.Text("SHARE bingo")
	sam.Expect(`Nothing matched "bingo"`)
	alex.NeverGot("bingo")

	for _, m := range s.fake.Sent() {
		for _, n := range []string{"+447700900001", "+447700900101", "7700900001", "7700900101"} {
			if strings.Contains(m.Body, n) {
				t.Errorf("a text reveals a phone number: %q", m.Body)
			}
		}
	}
}

// TestOutOfHoursNamesTheNextService: a person who texts while the line is closed is told which daytime
// service opens next, and the next event, within two segments.
func TestOutOfHoursNamesTheNextService(t *testing.T) {
	s := startServiceWith(t, serviceOptions{now: communityNow(t)})
	seedCommunity(t, s)
	if _, err := s.rota.SetHours(context.Background(), func(h *rota.Hours) error { *h = rota.DefaultHours(); return nil }); err != nil {
		t.Fatal(err)
	}
	alex := s.phone("+447700900001", "")
	alex.Text("hello is anyone there")
	got := alex.Expect("from 17:00 today")
	if !strings.Contains(got.Body, "Housing Advice opens 14:00 today: 01732 111111") {
		t.Errorf("out-of-hours text %q does not name the next service", got.Body)
	}
	if !strings.Contains(got.Body, "Sober quiz") {
		t.Errorf("out-of-hours text %q does not name the next event", got.Body)
	}
	// While closed, WHATS ON says when peer supporters are back, not "text us any time".
	bea := s.phone("+447700900002", "")
	bea.Text("WHATS ON")
	if got := bea.Expect("Coming up"); !strings.Contains(got.Body, "back from 17:00 today") ||
		strings.Contains(got.Body, "any time") {
		t.Errorf("what's on while closed: %q", got.Body)
	}
}
