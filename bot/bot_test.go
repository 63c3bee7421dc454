package bot_test

import (
	"context"
	"io"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
	"github.com/sirupsen/logrus"

	"peerline/bot"
	"peerline/matcher"
	"peerline/outbox"
	"peerline/phone"
	"peerline/redistest"
	"peerline/risk"
	"peerline/rota"
	"peerline/templates"
	"peerline/twiliofake"
)

// clock is a time the test moves by hand: no test sleeps.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) now() time.Time  { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) set(t time.Time) { c.mu.Lock(); defer c.mu.Unlock(); c.t = t }
func (c *clock) add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

type fixture struct {
	t     testing.TB
	rdb   *redis.Client
	box   *outbox.Outbox
	rota  *rota.Store
	clock *clock
	bots  []*bot.Bot      // two instances of the service on one Redis
	seen  map[string]bool // outbox entries already looked at, by stream and id
}

func newFixture(t testing.TB, opts ...func(*bot.Options)) *fixture {
	rdb, line := redistest.New(t)
	loc, _ := time.LoadLocation("Europe/London")
	tmpl, err := templates.Load("")
	if err != nil {
		t.Fatal(err)
	}
	words, err := risk.Load("")
	if err != nil {
		t.Fatal(err)
	}
	log := logrus.New()
	log.SetOutput(io.Discard)
	f := &fixture{t: t, rdb: rdb, clock: &clock{t: time.Date(2026, 12, 25, 1, 10, 0, 0, loc)}}
	f.box = outbox.New(rdb, line, nil, log, f.clock.now, outbox.Options{})
	f.rota = rota.NewStore(rdb, line, loc)
	opt := bot.Options{RestAfterChat: -1} // the queue's tests offer a volunteer the next person at once; wellbeing_test.go sets a rest
	for _, o := range opts {
		o(&opt)
	}
	for range 2 {
		f.bots = append(f.bots, bot.New(log, rdb, line, rota.NewStore(rdb, line, loc), matcher.New(rdb, line), f.box,
			tmpl, words, f.clock.now, opt))
	}
	return f
}

func (f *fixture) volunteer(name, number string) {
	f.t.Helper()
	ctx := context.Background()
	v, err := f.rota.AddVolunteer(ctx, rota.Volunteer{Name: name, Phone: number})
	if err != nil {
		f.t.Fatal(err)
	}
	if _, err := f.rota.AddShift(ctx, rota.Shift{Volunteer: v.ID, Day: time.Friday, Start: 0, End: 24 * 60}); err != nil {
		f.t.Fatal(err)
	}
}

func (f *fixture) text(from, body string) {
	f.t.Helper()
	in := bot.Inbound{MessageSID: twiliofake.NewSID("SM"), From: from, Channel: phone.SMS, Body: body}
	if err := f.bots[0].Handle(context.Background(), in); err != nil {
		f.t.Fatal(err)
	}
}

// queued returns the texts queued since the last call, as "number: body".
func (f *fixture) queued() []string {
	f.t.Helper()
	var out []string
	for _, v := range f.entries() {
		out = append(out, v["to"].(string)+": "+v["body"].(string))
	}
	return out
}

// entries returns the outbox entries queued since the last look, with all their fields, in the order
// they were queued (each priority class has a stream of its own; see outbox.ClassOf).
func (f *fixture) entries() []map[string]any {
	f.t.Helper()
	msgs, err := bot.QueuedEntries(context.Background(), f.rdb, f.box)
	if err != nil {
		f.t.Fatal(err)
	}
	if f.seen == nil {
		f.seen = map[string]bool{}
	}
	var out []map[string]any
	for _, m := range msgs {
		if k := m.Stream + " " + m.ID; !f.seen[k] {
			f.seen[k] = true
			out = append(out, m.Values)
		}
	}
	return out
}

// line returns the fixture's line id.
func (f *fixture) line() string {
	stream := f.box.Stream() // pl:{line}:outbox
	return stream[strings.Index(stream, "{")+1 : strings.Index(stream, "}")]
}

// partyKey is the bot's state key of number in the fixture's line.
func (f *fixture) partyKey(number string) string {
	stream := f.box.Stream() // pl:{line}:outbox
	return stream[:strings.Index(stream, "}")+1] + ":bot:party:" + number
}

func has(msgs []string, to, part string) bool {
	for _, m := range msgs {
		if strings.HasPrefix(m, to+": ") && strings.Contains(m, part) {
			return true
		}
	}
	return false
}

const (
	alex = "+447700900001"
	bea  = "+447700900002"
	sam  = "+447700900101"
	jo   = "+447700900102"
)

func TestGiveUpSignpostsExactlyOnceAfterTheTimeout(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	f.volunteer("Sam", sam)
	f.text(alex, "can't sleep")
	if got := f.queued(); !has(got, alex, "finding") || !has(got, sam, "Reply ACCEPT") {
		t.Fatalf("queued %q", got)
	}

	f.clock.add(19 * time.Minute)
	if n, err := f.bots[0].RunDue(ctx); err != nil || n != 2 {
		t.Fatalf("RunDue at 19 minutes = %d, %v; want 2 (the widening and the page, with nobody to page)", n, err)
	}
	if got := f.queued(); len(got) != 1 || !has(got, alex, "still looking") {
		t.Fatalf("queued %q, want only Alex told we're still looking", got)
	}
	f.clock.add(time.Minute)
	var wg sync.WaitGroup
	given := make([]int, len(f.bots))
	for i, b := range f.bots { // two instances sweep at the same moment
		wg.Go(func() {
			n, err := b.RunDue(ctx)
			if err != nil {
				t.Error(err)
			}
			given[i] = n
		})
	}
	wg.Wait()
	if given[0]+given[1] != 1 {
		t.Fatalf("two sweeps did %v items, want exactly 1 in all", given)
	}
	got := f.queued()
	if len(got) != 1 || !has(got, alex, "116 123") {
		t.Fatalf("queued %q, want only Alex's signpost", got)
	}
	f.clock.add(2 * time.Hour) // too late for a late accept
	f.text(sam, "ACCEPT")
	if got := f.queued(); !has(got, sam, "no open request") {
		t.Fatalf("an ACCEPT two hours after the signpost got %q", got)
	}
	f.text(alex, "still here")
	if got := f.queued(); !has(got, alex, "finding") {
		t.Fatalf("Alex's next text should open a new request, got %q", got)
	}
}

func TestGoingOffReleasesOffers(t *testing.T) {
	f := newFixture(t)
	f.volunteer("Sam", sam)
	f.volunteer("Jo", jo)
	f.text(alex, "hello")
	f.queued()
	f.text(sam, "PASS")
	if got := f.queued(); !has(got, sam, "passed") || has(got, alex, "116 123") {
		t.Fatalf("after Sam's PASS: %q", got)
	}
	f.text(jo, "OFF") // Jo holds the last offer: going off lets it go, so Alex is signposted at once
	got := f.queued()
	if !has(got, jo, "You're OFF") || !has(got, alex, "116 123") {
		t.Fatalf("after Jo's OFF: %q", got)
	}
	f.text(jo, "STATUS")
	if got := f.queued(); !has(got, jo, "Offers to answer: 0") {
		t.Fatalf("Jo's status %q should show no offers", got)
	}
}

func TestRepliesGoBackOnTheChannelLastUsed(t *testing.T) {
	f := newFixture(t)
	f.volunteer("Sam", sam)
	wa := bot.Inbound{MessageSID: twiliofake.NewSID("SM"), From: alex, Channel: phone.WhatsApp, Body: "hello"}
	if err := f.bots[0].Handle(context.Background(), wa); err != nil {
		t.Fatal(err)
	}
	f.text(sam, "ACCEPT")
	f.text(alex, "now by SMS") // Alex switches to SMS mid-chat
	f.queued()
	f.text(sam, "got you")
	msgs := f.entries()
	last := msgs[len(msgs)-1]
	if last["to"] != alex || last["ch"] != string(phone.SMS) || !strings.Contains(last["body"].(string), "got you") {
		t.Fatalf("Sam's reply went %v, want to Alex by SMS", last)
	}
}

func TestVolunteerWhoStopsMidChatClosesIt(t *testing.T) {
	f := newFixture(t)
	f.volunteer("Sam", sam)
	f.text(alex, "hello")
	f.text(sam, "ACCEPT")
	f.queued()
	f.text(sam, "STOP")
	got := f.queued()
	if len(got) != 1 || !has(got, alex, "had to leave the chat, and nobody else is on") {
		t.Fatalf("after Sam's STOP: %q, want only Alex's text that Sam had to leave (Twilio no longer delivers to Sam)", got)
	}
	f.text(bea, "hi")
	if got := f.queued(); has(got, sam, "Reply ACCEPT") || !has(got, bea, "116 123") {
		t.Fatalf("Sam, opted out, must be OFF and not offered: %q", got)
	}
}

func TestClosedLineSendsDaytimeServicesAndOpensNoRequest(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	f.volunteer("Sam", sam) // on shift on Fridays, all day
	tests := []struct {
		name, at string
		want     string // part of the reply to Alex
		offered  bool
	}{
		{"weekday morning: back this evening", "2026-11-27 11:00", "from 17:00 today", false},
		{"weekday evening: open", "2026-11-27 17:00", "finding", true},
		{"bank holiday daytime: open", "2026-12-25 11:00", "finding", true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			at, err := time.ParseInLocation("2006-01-02 15:04", tc.at, f.rota.Location())
			if err != nil {
				t.Fatal(err)
			}
			f.clock.set(at)
			f.text(alex, "anyone there?")
			got := f.queued()
			if !has(got, alex, tc.want) || has(got, sam, "Reply ACCEPT") != tc.offered {
				t.Fatalf("queued %q; want Alex told %q and an offer to Sam: %v", got, tc.want, tc.offered)
			}
			f.text(alex, "STOP")  // withdraw, so the next case starts afresh ...
			f.text(alex, "START") // ... and back, or nothing is sent to Alex
			f.queued()
		})
	}
	if _, err := f.rota.SetHours(ctx, func(h *rota.Hours) error { h.Weekends = false; return nil }); err != nil {
		t.Fatal(err)
	}
	f.clock.set(time.Date(2026, 11, 28, 11, 0, 0, 0, f.rota.Location())) // Saturday, weekends now closed
	f.text(alex, "hello")
	if got := f.queued(); !has(got, alex, "from 17:00 today") {
		t.Fatalf("queued %q; weekends follow weekday hours now", got)
	}
	closed := 0
	for _, e := range f.history() {
		if e.Kind == matcher.EventClosed {
			closed++
		}
	}
	if closed != 2 {
		t.Fatalf("the history has %d texts while the line was closed, want 2", closed)
	}
}

// TestAVolunteersStopMidChatRequeuesThePerson: after a newcomer's trial, a volunteer's STOP in a chat
// does not tell the person the volunteer chose to close it: they hear their peer supporter had to
// leave, are back in the queue (urgent if they were), and the coordinator on call hears.
func TestAVolunteersStopMidChatRequeuesThePerson(t *testing.T) {
	for _, tc := range []struct {
		name, first string
		urgent      bool
	}{
		{"an ordinary chat", "hello", false},
		{"a chat that began with risk words", "I want to kill myself", true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := newFixture(t)
			f.volunteer("Sam", sam)
			f.volunteer("Jo", jo)
			f.add(rota.Volunteer{Name: "Kim", Phone: kim, Coordinator: true}, true)
			f.text(alex, tc.first)
			f.text(sam, "ACCEPT")
			chat := f.codeOf(alex)
			f.queued()
			f.text(sam, "STOP")
			again := f.codeOf(alex)
			if again == "" || again == chat {
				t.Fatalf("Alex's request after Sam's STOP is %q (the chat was %q); want a new one", again, chat)
			}
			got := f.expect("requeued", alex+": Sorry, your peer supporter had to leave the chat. We're finding someone else",
				kim+": Sam (v1) texted STOP during chat "+chat+", so it ended and they are OFF. The person is back in the queue as "+again,
				jo+": ("+again+")")
			if has(got, alex, "closed this chat") || has(got, sam, "") {
				t.Fatalf("queued %q; no 'Sam has closed this chat', and nothing to Sam", got)
			}
			if tc.urgent != has(got, jo, "URGENT: someone may be in danger ("+again+"): in the last day") ||
				tc.urgent != has(got, kim, "urgent: they used words") {
				t.Fatalf("urgent %v; queued %q", tc.urgent, got)
			}
			f.text(jo, "ACCEPT")
			f.expect("Jo connected", jo+": Their last peer supporter had to leave the chat", alex+": Jo, a peer supporter, is here")
		})
	}
}
