package night

import (
	"cmp"
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"time"
)

// model is the night's phones: what each has lived through so far, and the texts they will send.
type model struct {
	opt      Options
	line     Line
	now      time.Time
	deadline time.Time // the night stops here even if someone is still waiting
	overran  bool

	vols     []*volunteer // volunteers, then coordinators, in roster order
	people   []*person
	byNumber map[string]any // number -> *volunteer or *person
	names    []string       // volunteers' and coordinators' names, as relayed texts start with them
	codes    map[string]int // request code -> index of its person, -1 when unknown

	connected map[string]map[int]bool // request code -> the volunteers connected to it

	events []event // sorted by time, then by the order they were scheduled in
	seq    int

	refused int      // webhooks answered with an error
	odd     oddities // what the service did that the model did not expect
	unknown []Text   // the first texts the model did not recognise
}

// event is a text a phone will send, unless ok says by then it no longer would.
type event struct {
	at   time.Time
	seq  int
	from string
	body string
	ok   func() bool // is the text still to be sent (nil: always)
	sent func()      // bookkeeping once it is (may be nil)
}

func newModel(line Line, opt Options) (*model, error) {
	m := &model{opt: opt, line: line, now: opt.Start, byNumber: map[string]any{}, codes: map[string]int{},
		connected: map[string]map[int]bool{}}
	for i, mem := range opt.Roster() {
		v := &volunteer{Member: mem, index: i, rng: rand.New(rand.NewPCG(opt.Seed, uint64(1000+i))),
			firstOffer: map[string]time.Time{}, pending: map[string]bool{}, holding: map[string]time.Time{}}
		m.vols = append(m.vols, v)
		m.byNumber[mem.Number] = v
		m.names = append(m.names, mem.Name)
	}
	at, err := opt.arrivals(rand.New(rand.NewPCG(opt.Seed, 0)))
	if err != nil {
		return nil, err
	}
	for i, off := range at {
		p := &person{index: i, number: personNumber(i), arrived: opt.Start.Add(off),
			rng: rand.New(rand.NewPCG(opt.Seed, uint64(2000+i)))}
		m.people = append(m.people, p)
		m.byNumber[p.number] = p
		m.schedule(p.arrived, p.number, firstWords, nil, func() { p.texted = true })
	}
	last := opt.Start
	if len(at) > 0 {
		last = opt.Start.Add(at[len(at)-1])
	}
	m.deadline = last.Add(opt.GiveUp + opt.AcceptAfter.Max + opt.Chat.Max + 10*time.Minute)
	return m, nil
}

// schedule adds a text from number at time at.
func (m *model) schedule(at time.Time, from, body string, ok func() bool, sent func()) {
	m.seq++
	e := event{at: at, seq: m.seq, from: from, body: body, ok: ok, sent: sent}
	i, _ := slices.BinarySearchFunc(m.events, e, func(a, b event) int {
		return cmp.Or(a.at.Compare(b.at), cmp.Compare(a.seq, b.seq))
	})
	m.events = slices.Insert(m.events, i, e)
}

func (m *model) pop() event {
	e := m.events[0]
	m.events = m.events[1:]
	return e
}

// quiet reports whether nobody is waiting for an answer and no chat is open.
func (m *model) quiet() bool {
	for _, p := range m.people {
		if p.texted && p.connected.IsZero() && p.signposted.IsZero() {
			return false
		}
	}
	for _, v := range m.vols {
		if v.chat != "" {
			return false
		}
	}
	return true
}

// receive lets each phone react to the texts the line sent at this step. The texts are taken in an
// order that does not depend on the order they were sent in, nor on the random request codes: by
// recipient, then by what they say, then by whose request they are about.
func (m *model) receive(ctx context.Context, texts []Text) error {
	type item struct {
		Text
		to    int
		kind  kind
		code  string
		whose int
	}
	items := make([]item, 0, len(texts))
	for _, t := range texts {
		it := item{Text: t, to: m.order(t.To), code: findCode(t.Body)}
		it.kind = m.classify(t.To, t.Body)
		whose, err := m.whose(ctx, it.code)
		if err != nil {
			return err
		}
		it.whose = whose
		items = append(items, it)
	}
	slices.SortFunc(items, func(a, b item) int {
		return cmp.Or(cmp.Compare(a.to, b.to), cmp.Compare(a.kind, b.kind), cmp.Compare(a.whose, b.whose),
			strings.Compare(a.Body, b.Body))
	})
	for _, it := range items {
		m.trace("line > %s: %s", m.name(it.To), it.Body)
		m.checkText(it.Text, it.kind)
		switch r := m.byNumber[it.To].(type) {
		case *volunteer:
			m.toVolunteer(r, it.kind, it.code, it.Text)
		case *person:
			m.toPerson(r, it.kind, it.Text)
		default:
			m.odd.ToStranger++
		}
	}
	return nil
}

// order places a recipient: volunteers and coordinators first, then people, then anyone else.
func (m *model) order(number string) int {
	switch r := m.byNumber[number].(type) {
	case *volunteer:
		return r.index
	case *person:
		return len(m.vols) + r.index
	}
	return len(m.vols) + len(m.people)
}

// classify names what a text says, by who it went to.
func (m *model) classify(to, body string) kind {
	switch m.byNumber[to].(type) {
	case *volunteer:
		return classifyVolunteer(body)
	case *person:
		return classifyPerson(body, m.names)
	}
	return kindUnknown
}

// whose returns the index of the person behind request code (-1 if none), asking the line once per code.
func (m *model) whose(ctx context.Context, code string) (int, error) {
	if code == "" {
		return -1, nil
	}
	if i, ok := m.codes[code]; ok {
		return i, nil
	}
	number, err := m.line.Person(ctx, code)
	if err != nil {
		return 0, fmt.Errorf("whose request is %s: %w", code, err)
	}
	i := -1
	if p, ok := m.byNumber[number].(*person); ok {
		i = p.index
		if p.code == "" {
			p.code = code
		}
	}
	m.codes[code] = i
	return i, nil
}

// checkText counts what no text may ever carry, and keeps a few texts the model did not recognise.
func (m *model) checkText(t Text, k kind) {
	if hasPhoneNumber(t.Body) {
		m.odd.NumberInText++
	}
	if k == kindUnknown {
		m.odd.Unrecognised++
		if len(m.unknown) < 10 {
			m.unknown = append(m.unknown, t)
		}
	}
}

// name names a number's phone for the trace: a volunteer's name, P1 for the first person, or "someone".
func (m *model) name(number string) string {
	switch r := m.byNumber[number].(type) {
	case *volunteer:
		return r.Name
	case *person:
		return fmt.Sprintf("P%d", r.index+1)
	}
	return "someone"
}

// trace writes one line of the night's trace, if one is wanted.
func (m *model) trace(format string, a ...any) {
	if m.opt.Trace != nil {
		fmt.Fprintf(m.opt.Trace, "+%-7s "+format+"\n", append([]any{m.now.Sub(m.opt.Start)}, a...)...)
	}
}

// after returns the time a delay drawn from r after now.
func (m *model) after(r Range, rng *rand.Rand) time.Time { return m.now.Add(r.draw(rng)) }
