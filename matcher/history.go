package matcher

import (
	"context"
	"fmt"
	"sort"
	"strconv"
	"time"

	"peerline/commit"
	"peerline/phone"
)

// Kinds of event in the line's history.
const (
	EventNew        = "new"        // a person asked; the request was opened
	EventMatched    = "matched"    // a volunteer accepted it
	EventUnanswered = "unanswered" // nobody took it; the person got the fallback signpost
	EventWithdrawn  = "withdrawn"  // the person opted out before anyone accepted
	EventEnded      = "ended"      // the conversation ended
	EventEscalated  = "escalated"  // the on-call coordinator was paged about it
	EventRisk       = "risk"       // the person used risk words (which ones is never kept)
	EventClosed     = "closed"     // a person texted while the line was closed (no code; the channel)
	EventShared     = "shared"     // a volunteer SHAREd an event or services in the chat (Shared says which)
)

// historyCap is roughly how many events the history keeps (XADD MAXLEN ~): years of a busy line.
const historyCap = 1_000_000

// historyPage is how many events History reads in one round trip.
const historyPage = 1000

// Event is one step of one request, as the line's history keeps it: codes, times and a volunteer id,
// never a phone number or anything anyone wrote.
type Event struct {
	Kind      string        // EventNew, EventMatched, ...
	Code      string        // the request's code
	At        time.Time     // when it happened, by the bot's clock (millisecond precision)
	Created   time.Time     // when the request was opened; zero when not recorded (and for EventNew)
	Channel   phone.Channel // EventNew: where the person wrote from
	Volunteer string        // EventMatched, EventEnded: the volunteer's id
	Matched   time.Time     // EventEnded: when the conversation began; zero when not known
	Shared    string        // EventShared: SharedEvent or SharedServices
	// Repeat (EventNew) is how many requests the same number opened within the repeat-contact window
	// before this one: no number is kept, only the count.
	Repeat int
	// Trial marks an event of local trial mode (the phone simulator): a real line's reports leave it out.
	Trial bool
}

// record adds e to the history in b, so the event is written atomically with the change it records.
// Stream fields: event, code, at (unix ms), and when set created (unix ms), channel, volunteer,
// matched (unix ms).
func (m *Matcher) record(b *commit.Batch, e Event) {
	args := []any{"MAXLEN", "~", historyCap, "*", "event", e.Kind, "code", e.Code, "at", e.At.UnixMilli()}
	if !e.Created.IsZero() {
		args = append(args, "created", e.Created.UnixMilli())
	}
	if e.Channel != "" {
		args = append(args, "channel", string(e.Channel))
	}
	if e.Volunteer != "" {
		args = append(args, "volunteer", e.Volunteer)
	}
	if !e.Matched.IsZero() {
		args = append(args, "matched", e.Matched.UnixMilli())
	}
	if e.Shared != "" {
		args = append(args, "shared", e.Shared)
	}
	if e.Repeat > 0 {
		args = append(args, "repeat", e.Repeat)
	}
	if m.trial {
		args = append(args, "trial", 1)
	}
	b.Do("XADD", m.historyKey(), args...)
}

// What a SHARE sent, as EventShared records it.
const (
	SharedEvent    = "event"
	SharedServices = "services"
)

// SharedIn adds to b the record that a volunteer shared what (SharedEvent or SharedServices) in the chat
// of request code at time at: for the outcomes' count of what the community calendar and directory gave.
func (m *Matcher) SharedIn(b *commit.Batch, code, what string, at time.Time) {
	m.record(b, Event{Kind: EventShared, Code: code, At: at, Shared: what})
}

// Escalated adds to b the record that the on-call coordinator was paged about req at time at. Add it
// to the same batch as the page itself, so the history counts each page once.
func (m *Matcher) Escalated(b *commit.Batch, req Request, at time.Time) {
	m.record(b, Event{Kind: EventEscalated, Code: req.Code, At: at, Created: req.Created})
}

// Closed adds to b the record that a person texted on channel ch at time at while the line was closed.
func (m *Matcher) Closed(b *commit.Batch, ch phone.Channel, at time.Time) {
	m.record(b, Event{Kind: EventClosed, At: at, Channel: ch})
}

// Risk adds to b the record that the person of request code used risk words at time at: the code and
// the time only, never the words.
func (m *Matcher) Risk(b *commit.Batch, code string, at time.Time) {
	m.record(b, Event{Kind: EventRisk, Code: code, At: at})
}

// History returns the events that happened at or after from and before to, by their At time, in the
// order of At. It reads the whole history in pages of historyPage and filters on At, because At comes
// from the bot's clock and the stream's ids from Redis's.
func (m *Matcher) History(ctx context.Context, from, to time.Time) ([]Event, error) {
	var out []Event
	start := "-"
	for {
		msgs, err := m.rdb.XRangeN(ctx, m.historyKey(), start, "+", historyPage).Result()
		if err != nil {
			return nil, fmt.Errorf("read history from %s: %w", start, err)
		}
		for _, msg := range msgs {
			e := decodeEvent(msg.Values)
			if !e.At.Before(from) && e.At.Before(to) {
				out = append(out, e)
			}
		}
		if len(msgs) < historyPage {
			break
		}
		start = "(" + msgs[len(msgs)-1].ID
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].At.Before(out[j].At) })
	return out, nil
}

func decodeEvent(v map[string]any) Event {
	str := func(k string) string { s, _ := v[k].(string); return s }
	return Event{
		Kind: str("event"), Code: str("code"), At: millis(str("at")), Created: millis(str("created")),
		Channel: phone.Channel(str("channel")), Volunteer: str("volunteer"), Matched: millis(str("matched")),
		Shared: str("shared"), Repeat: repeatOf(str("repeat")), Trial: str("trial") != "",
	}
}

// millis reads unix milliseconds; empty or unreadable is the zero time.
func millis(s string) time.Time {
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil || n == 0 {
		return time.Time{}
	}
	return time.UnixMilli(n)
}

// repeatOf reads an EventNew's repeat count; an event written before it was kept reads 0.
func repeatOf(s string) int {
	n, _ := strconv.Atoi(s)
	return n
}
