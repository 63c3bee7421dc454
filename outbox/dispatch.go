package outbox

import (
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/redis/go-redis/v9"
)

// entry is a message this instance read from its class's stream and has not finished: held, waiting for
// its turn, or in flight.
type entry struct {
	c      class
	stream string
	x      redis.XMessage
	to     string    // the recipient: one message in flight to each at a time, so their texts keep order
	after  time.Time // not before this: a message put aside after failed tries
	rounds int       // rounds of Options.Attempts tries that failed already
	check  bool      // taken over after a stop: it may already be a dead letter (see finishBuried)
}

// dispatch is what one instance read and has not finished. Its methods are safe for concurrent use.
type dispatch struct {
	mu   sync.Mutex
	held []*entry        // read, not in flight; by class, then by stream id (the order queued)
	mine map[string]bool // stream and id of every entry held or in flight, and of those Reclaim handles
	busy map[string]int  // recipients with a message in flight
}

func newDispatch() *dispatch {
	return &dispatch{mine: map[string]bool{}, busy: map[string]int{}}
}

func key(stream, id string) string { return stream + " " + id }

// hold adds e unless it is already held or in flight; it reports whether it did.
func (d *dispatch) hold(e *entry) bool {
	d.mu.Lock()
	defer d.mu.Unlock()
	k := key(e.stream, e.x.ID)
	if d.mine[k] {
		return false
	}
	d.mine[k] = true
	d.insert(e)
	return true
}

// insert puts e in held in order. d.mu is held.
func (d *dispatch) insert(e *entry) {
	i, _ := slices.BinarySearchFunc(d.held, e, func(a, b *entry) int {
		if a.c != b.c {
			return int(a.c) - int(b.c)
		}
		return compareIDs(a.x.ID, b.x.ID)
	})
	d.held = slices.Insert(d.held, i, e)
}

// pick removes and returns the first held message of class c that may go now: not put aside until
// later, and to a recipient with nothing in flight. It is then in flight. nil when none may.
func (d *dispatch) pick(c class, now time.Time) *entry {
	d.mu.Lock()
	defer d.mu.Unlock()
	blocked := map[string]bool{}
	for i, e := range d.held {
		if e.c != c {
			continue
		}
		if d.busy[e.to] > 0 || blocked[e.to] || e.after.After(now) {
			blocked[e.to] = true // a later text to them waits for this one, so they keep their order
			continue
		}
		d.held = slices.Delete(d.held, i, i+1)
		d.busy[e.to]++
		return e
	}
	return nil
}

// finish ends e's flight. A message left for later (again is true) is held again, to go at after.
func (d *dispatch) finish(e *entry, again bool, after time.Time) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.busy[e.to]--; d.busy[e.to] <= 0 {
		delete(d.busy, e.to)
	}
	if again {
		e.after, e.check = after, false
		e.rounds++
		d.insert(e)
	} else {
		delete(d.mine, key(e.stream, e.x.ID))
	}
}

// claim marks the message id of stream as handled here (by Reclaim), unless it is held or in flight
// already; it reports whether it did. release undoes it.
func (d *dispatch) claim(stream, id string) bool {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.mine[key(stream, id)] {
		return false
	}
	d.mine[key(stream, id)] = true
	return true
}

func (d *dispatch) release(stream, id string) {
	d.mu.Lock()
	defer d.mu.Unlock()
	delete(d.mine, key(stream, id))
}

// waitFor returns how long a read for new messages may block: long when nothing is held, until the
// first message put aside may go, and briefly when a held message waits for its recipient's text in
// flight (a send's end does not interrupt a read).
func (d *dispatch) waitFor(block time.Duration, now time.Time) time.Duration {
	d.mu.Lock()
	defer d.mu.Unlock()
	for _, e := range d.held {
		switch {
		case !e.after.After(now):
			block = min(block, 20*time.Millisecond)
		default:
			block = min(block, e.after.Sub(now))
		}
	}
	return max(block, time.Millisecond)
}

// compareIDs orders two stream ids ("ms-seq") as Redis does.
func compareIDs(a, b string) int {
	am, as, _ := strings.Cut(a, "-")
	bm, bs, _ := strings.Cut(b, "-")
	if c := compareNumbers(am, bm); c != 0 {
		return c
	}
	return compareNumbers(as, bs)
}

func compareNumbers(a, b string) int {
	if len(a) != len(b) {
		return len(a) - len(b)
	}
	return strings.Compare(a, b)
}
