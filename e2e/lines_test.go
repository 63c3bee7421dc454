package e2e

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"peerline/lines"
	"peerline/phone"
	"peerline/redistest"
	"peerline/rota"
)

// aLine is one line of a deployment in these tests: its id, number, rota and a volunteer on shift.
type aLine struct {
	id, number string
	rota       *rota.Store
	volunteer  *testPhone
}

// addLine adds a line to s's register (as `rota line add` does), open day and night, with one volunteer
// on shift all week.
func addLine(t *testing.T, s *testService, id, number, volunteer string) aLine {
	t.Helper()
	ctx := context.Background()
	l, err := lines.Line{ID: id, From: number, TimeZone: "Europe/London"}.Check("GB")
	if err != nil {
		t.Fatal(err)
	}
	if err := lines.NewStore(s.rdb, lines.Line{ID: s.line}).Add(ctx, l); err != nil {
		t.Fatal(err)
	}
	return lineWithVolunteer(t, s, id, number, volunteer)
}

func lineWithVolunteer(t *testing.T, s *testService, id, number, volunteer string) aLine {
	t.Helper()
	ctx := context.Background()
	loc, _ := time.LoadLocation("Europe/London")
	r := rota.NewStore(s.rdb, id, loc)
	if _, err := r.SetHours(ctx, func(h *rota.Hours) error { *h = rota.AlwaysOpen(); return nil }); err != nil {
		t.Fatal(err)
	}
	v, err := r.AddVolunteer(ctx, rota.Volunteer{Name: "Vol " + id, Phone: volunteer})
	if err != nil {
		t.Fatal(err)
	}
	for d := time.Sunday; d <= time.Saturday; d++ {
		if _, err := r.AddShift(ctx, rota.Shift{Volunteer: v.ID, Day: d, Start: 0, End: 24 * 60}); err != nil {
			t.Fatal(err)
		}
	}
	vp := s.phone(volunteer, phone.SMS)
	vp.line = number
	return aLine{id: id, number: number, rota: r, volunteer: vp}
}

// story plays one line's night: a person texts the line's number, hears back from it, the line's own
// volunteer is offered the request and accepts, they talk through the line, and the volunteer ends
// the chat. Every text comes from that line's number.
func story(t *testing.T, s *testService, l aLine, person string) {
	t.Helper()
	p := s.phone(person, phone.SMS)
	p.line = l.number
	p.Text("can't sleep, thinking about using")
	p.Expect("")
	offer := l.volunteer.Expect("ACCEPT")
	l.volunteer.Text("ACCEPT " + code(t, offer.Body))
	p.Expect("")
	p.Text("thanks for being there")
	l.volunteer.Expect("thanks for being there")
	l.volunteer.Text("I'm here, how's tonight going?")
	p.Expect("how's tonight going?")
	l.volunteer.Text("DONE")
}

func TestLineAddedWithoutRestart(t *testing.T) {
	s := startServiceWith(t, serviceOptions{env: noRest})
	main := lineWithVolunteer(t, s, s.line, lineNumber, "+447700900111")
	newNumber := "+447700900801"
	person := s.phone("+447700900011", phone.SMS)
	person.line = newNumber
	person.post(person.form("hello?"), http.StatusNotFound) // no line has this number yet: 4xx, nothing kept

	other := addLine(t, s, redistest.Line(t), newNumber, "+447700900112")
	story(t, s, other, "+447700900012") // the running service serves it at once
	story(t, s, main, "+447700900013")  // and the default line as before

	for _, m := range s.fake.Sent() {
		if m.To == main.volunteer.addr() && strings.Contains(m.Body, "ACCEPT") && m.From != lineNumber {
			t.Errorf("the default line's volunteer was offered another line's request: %q", m.Body)
		}
		if m.To == other.volunteer.addr() && m.From != newNumber {
			t.Errorf("the new line's volunteer got a text from %s, not from their line's number", m.From)
		}
	}

	// Editing the line's number moves it: the old number is no line's, the new one is.
	moved := "+447700900802"
	if _, err := lines.NewStore(s.rdb, lines.Line{ID: s.line}).Edit(context.Background(), other.id, "GB",
		func(l *lines.Line) { l.From = moved }); err != nil {
		t.Fatal(err)
	}
	// The service follows within seconds (its 5 s check); a test makes it look now.
	if _, err := s.svc.LineBot(context.Background(), other.id); err != nil {
		t.Fatal(err)
	}
	person.post(person.form("still there?"), http.StatusNotFound)
	other.number, other.volunteer.line = moved, moved
	story(t, s, other, "+447700900014")
}

// TestThreeLinesOnACluster plays the story of three lines, one deployment, on a 3-master Redis Cluster
// where each line's hash slot is on another master; then one master dies and the other two lines carry
// on. `make test-cluster` runs it alone; `make test` runs it with the rest.
func TestThreeLinesOnACluster(t *testing.T) {
	c := redistest.StartCluster(t, 3)
	// One line id per master: a line's keys all carry its id as their hash tag.
	ids := make([]string, len(c.Nodes))
	for n := 0; n < 1000 && slicesHasEmpty(ids); n++ {
		id := redistest.Line(t)
		node := c.NodeOf(t, "pl:{"+id+"}:x")
		for i := range c.Nodes {
			if c.Nodes[i] == node && ids[i] == "" {
				ids[i] = id
			}
		}
	}
	if slicesHasEmpty(ids) {
		t.Fatalf("found no line id for every master: %q", ids)
	}
	s := startServiceWith(t, serviceOptions{cluster: c, line: ids[0], env: noRest})
	ls := []aLine{lineWithVolunteer(t, s, ids[0], lineNumber, "+447700900121"),
		addLine(t, s, ids[1], "+447700900811", "+447700900122"),
		addLine(t, s, ids[2], "+447700900812", "+447700900123")}
	for i, l := range ls {
		story(t, s, l, "+44770090002"+string(rune('1'+i)))
	}
	for i, l := range ls {
		for _, m := range s.fake.Sent() {
			if m.To == l.volunteer.addr() && m.From != l.number {
				t.Errorf("line %d's volunteer got a text from another line's number", i)
			}
		}
	}

	// The master of the third line dies. The first two lines carry on.
	c.NodeOf(t, "pl:{"+ids[2]+"}:x").Kill(t)
	story(t, s, ls[0], "+447700900031")
	story(t, s, ls[1], "+447700900032")
	// A text to the dead master's line is not acknowledged (Twilio retries a 5xx), so it is not lost.
	p := s.phone("+447700900033", phone.SMS)
	p.line = ls[2].number
	code, _, err := s.hooks.Post(context.Background(), "/twilio/messages", p.form("anyone?"))
	if err != nil || code < 500 {
		t.Fatalf("a text to the line whose Redis is down got %d, %v; want a 5xx so that Twilio retries", code, err)
	}
}

// noRest lets a volunteer take the next chat at once, so one volunteer can play several stories.
var noRest = map[string]string{"REST_AFTER_CHAT": "0"}

func slicesHasEmpty(ids []string) bool {
	for _, id := range ids {
		if id == "" {
			return true
		}
	}
	return false
}
