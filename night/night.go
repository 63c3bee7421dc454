// Package night plays a busy night against the line with a seeded model of people and volunteers,
// and reports what they lived through: who got a peer and how soon, who got the signpost while a
// volunteer was free, how many texts each phone got, and whether the hard guarantees held.
//
// The night runs on a virtual clock, event by event. At each step it runs the due work (as the
// service's cron does), delivers the texts the model's phones send at that moment, then reads what the
// line sent and lets each phone react, which schedules its later texts. One seed gives one night.
package night

import (
	"context"
	"errors"
	"fmt"
	"time"
)

// Line is the service under test, driven by the night on a virtual clock.
type Line interface {
	// Text delivers an inbound SMS from number from, signed as Twilio signs it, at virtual time at. A
	// webhook answered with an error status returns an error wrapping ErrRefused.
	Text(ctx context.Context, at time.Time, from, body string) error
	// Tick sets the virtual clock to at and runs the due work, as the service's cron does.
	Tick(ctx context.Context, at time.Time) error
	// Sent returns the texts the line sent since the last call, once everything queued so far has
	// been sent. Their order within one call carries no meaning.
	Sent(ctx context.Context) ([]Text, error)
	// Person returns the number of the person behind request code, or "" if there is no such request.
	Person(ctx context.Context, code string) (string, error)
}

// Text is one text the line sent.
type Text struct {
	To   string // the recipient's number, E.164
	Body string
}

// ErrRefused is wrapped by Line.Text when the webhook was answered with an error status.
var ErrRefused = errors.New("webhook refused")

// Member is someone on the rota during the night.
type Member struct {
	Name, Number string
	Coordinator  bool // on call all night rather than on shift
}

// Numbers are Ofcom's drama range, +44 7700 900000 to 900999: volunteers from 900101, coordinators
// from 900190, people from 900200.
const (
	maxVolunteers   = 89
	maxCoordinators = 10
	maxPeople       = 800
)

// Roster returns the volunteers and coordinators of the night, to put on the rota before Run: the
// volunteers on shift all week, the coordinators on call all week.
func (o Options) Roster() []Member {
	var out []Member
	for i := range o.Volunteers {
		out = append(out, Member{Name: fmt.Sprintf("Vol%d", i+1), Number: fmt.Sprintf("+447700900%03d", 101+i)})
	}
	for i := range o.Coordinators {
		out = append(out, Member{Name: fmt.Sprintf("Coord%d", i+1), Number: fmt.Sprintf("+447700900%03d", 190+i),
			Coordinator: true})
	}
	return out
}

func personNumber(i int) string { return fmt.Sprintf("+447700900%03d", 200+i) }

// tick is how often the service's cron runs the due work; the night also runs it at every step, so
// that work falls due to the second (see Run).
const tick = 5 * time.Second

// Run plays the night on line, whose rota must already hold opt.Roster() and whose settings must be
// opt.Env(), with the clock at opt.Start. It returns when every person has been answered and every
// chat closed, or when the night runs far past its last arrival.
//
// The due work runs at every step, not only every 5 s: a service started in-process keeps its own cron
// on the wall clock, which would otherwise do work that fell due between two sweeps at moments no seed
// decides. Due work is so done up to 5 s sooner than in production.
func Run(ctx context.Context, line Line, opt Options) (Report, error) {
	if err := opt.Validate(); err != nil {
		return Report{}, fmt.Errorf("night options: %w", err)
	}
	m, err := newModel(line, opt)
	if err != nil {
		return Report{}, err
	}
	for {
		at, ok := m.next()
		if !ok {
			break
		}
		if err := m.step(ctx, at); err != nil {
			return Report{}, fmt.Errorf("night at +%s: %w", at.Sub(opt.Start), err)
		}
	}
	return m.report(), nil
}

// next returns the time of the next step: the next text a phone sends, or the next cron tick while
// anyone is waiting or in a chat. It is false when the night is over.
func (m *model) next() (time.Time, bool) {
	if len(m.events) == 0 && m.quiet() {
		return time.Time{}, false
	}
	at := m.now.Truncate(tick).Add(tick) // times are whole seconds from a start on a whole minute
	if len(m.events) > 0 {
		if e := m.events[0].at; e.Before(at) {
			at = e
		}
	}
	if at.After(m.deadline) {
		m.overran = true
		return time.Time{}, false
	}
	return at, true
}

// step runs the due work at at, delivers the texts due then, and lets each phone react to what the
// line sent.
func (m *model) step(ctx context.Context, at time.Time) error {
	m.now = at
	if err := m.line.Tick(ctx, at); err != nil {
		return fmt.Errorf("due work: %w", err)
	}
	for len(m.events) > 0 && !m.events[0].at.After(at) {
		e := m.pop()
		if e.ok != nil && !e.ok() {
			continue
		}
		if err := m.line.Text(ctx, at, e.from, e.body); errors.Is(err, ErrRefused) {
			m.refused++
		} else if err != nil {
			return fmt.Errorf("text from a phone: %w", err)
		}
		m.trace("%s > line: %s", m.name(e.from), e.body)
		if e.sent != nil {
			e.sent()
		}
	}
	texts, err := m.line.Sent(ctx)
	if err != nil {
		return fmt.Errorf("read sent texts: %w", err)
	}
	return m.receive(ctx, texts)
}
