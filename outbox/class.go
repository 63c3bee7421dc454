package outbox

import (
	"context"
	"fmt"

	"github.com/redis/go-redis/v9"
)

// class is a message's priority class: the workers always take the highest class that has a message
// waiting, so a flood of check-ins never holds up an acknowledgement. Each class is a stream of its own.
type class int

const (
	urgent  class = iota // safety texts, acknowledgements, offers, pages, signposts, answers to commands
	relay                // the words of a chat, passed between a person and a volunteer
	routine              // check-ins, shift reminders, gap alerts, cover asks
)

// classes lists every class, highest first: the order in which the workers look for a message.
var classes = []class{urgent, relay, routine}

// Class names, as Depth reports them and the README documents them.
const (
	ClassUrgent  = "urgent"
	ClassRelay   = "relay"
	ClassRoutine = "routine"
)

// String returns the class's name: "urgent", "relay" or "routine".
func (c class) String() string {
	switch c {
	case relay:
		return ClassRelay
	case routine:
		return ClassRoutine
	}
	return ClassUrgent
}

// lowerKinds gives the class of every kind (Message.Kind, the template's name) that is not urgent. A
// kind not listed is urgent: a new template nobody classed is never starved behind check-ins.
var lowerKinds = map[string]class{
	"relay_to_person":    relay,
	"relay_to_volunteer": relay,

	"person_checkin":        routine, // the morning check-in
	"volunteer_reminder":    routine, // a shift starts in an hour: reply OK
	"volunteer_shift_start": routine, // your shift starts now, reply ON
	"coordinator_gaps":      routine, // the daily gap alert
	"volunteer_cover_ask":   routine, // can you cover Thu 22:00-02:00?
	"volunteer_cover_asks":  routine, // the same, for several stretches
	"volunteer_cover_taken": routine, // to the others asked: it is covered now
}

// classOf returns the class of a message of kind.
func classOf(kind string) class {
	if c, ok := lowerKinds[kind]; ok {
		return c
	}
	return urgent
}

// ClassOf returns the name of the priority class a message of kind is sent in: ClassUrgent,
// ClassRelay or ClassRoutine. An unknown kind is urgent.
func ClassOf(kind string) string { return classOf(kind).String() }

// Depth returns how many messages are queued and not yet sent (or dropped, or kept as dead letters), by
// class name: ClassUrgent, ClassRelay and ClassRoutine, each present, 0 when none wait. Messages being
// sent at that moment count until Twilio accepted them. It reads the streams' lengths in one round trip.
func (o *Outbox) Depth(ctx context.Context) (map[string]int64, error) {
	cmds := make([]*redis.IntCmd, len(classes))
	_, err := o.rdb.Pipelined(ctx, func(p redis.Pipeliner) error {
		for i, c := range classes {
			cmds[i] = p.XLen(ctx, o.keys.classStream(c))
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("outbox depth: %w", err)
	}
	out := make(map[string]int64, len(classes))
	for i, c := range classes {
		out[c.String()] = cmds[i].Val()
	}
	return out, nil
}
