package outbox

import (
	"strconv"
	"strings"
	"time"

	"github.com/redis/go-redis/v9"

	"peerline/phone"
)

// keys builds every Redis key of one line's outbox. All of them carry the line as a hash tag, so the
// streams and the sent records live in one Redis Cluster slot and one MULTI (or the commit that queues a
// message) can touch any of them.
type keys struct {
	line string
}

// stream is the Redis stream of the urgent class: pl:{line}:outbox. It is the one stream older versions
// queued every message in, so messages they left are drained after an upgrade, as urgent ones.
func (k keys) stream() string { return "pl:{" + k.line + "}:outbox" }

// classStream is the Redis stream of the messages of class c: pl:{line}:outbox for urgent (see stream),
// pl:{line}:outbox:relay and pl:{line}:outbox:routine for the others.
func (k keys) classStream(c class) string {
	if c == urgent {
		return k.stream()
	}
	return k.stream() + ":" + c.String()
}

// sent is the record of what a sent message was about, by its Twilio Message SID:
// pl:{line}:outbox:sent:<SID>, a string holding the message's Ref, kept for RefTTL.
func (k keys) sent(sid string) string { return k.stream() + ":sent:" + sid }

// dead is the index of one line's dead letters: pl:{line}:outbox:dead, a sorted set of dead letter ids
// scored by when the message failed (unix ms). It holds ids and times only; it expires DeadFor after the
// last failure, and ids older than DeadFor are removed whenever a dead letter is added.
func (k keys) dead() string { return k.stream() + ":dead" }

// deadLetter is one dead letter: pl:{line}:outbox:dead:<id>, a hash of the fields dead* below, which
// expires DeadFor after the failure.
func (k keys) deadLetter(id string) string { return k.dead() + ":" + id }

// pace is when the line's next text may start, on Redis's clock, shared by every instance that sends
// the line's texts: pl:{line}:outbox:pace, a string of unix microseconds (see pace.go). It expires once
// that time has passed.
func (k keys) pace() string { return k.stream() + ":pace" }

// Stream entry fields. The optional ones are left out when empty.
const (
	fieldTo        = "to"
	fieldChannel   = "ch"
	fieldBody      = "body"
	fieldKind      = "kind"
	fieldValid     = "valid" // seconds; 0 for no limit
	fieldContent   = "csid"  // optional: Twilio Content SID of an approved template
	fieldVariables = "cvars" // optional: the template's variables, a JSON object
	fieldRef       = "ref"   // optional: the bot's reference for status callbacks
)

// encode returns the stream entry fields of m, as XADD takes them.
func encode(m Message) []any {
	f := []any{
		fieldTo, m.To, fieldChannel, string(m.Channel), fieldBody, m.Body, fieldKind, m.Kind,
		fieldValid, strconv.Itoa(int(m.ValidFor / time.Second)),
	}
	for _, opt := range []struct{ name, value string }{
		{fieldContent, m.ContentSID}, {fieldVariables, m.ContentVariables}, {fieldRef, m.Ref},
	} {
		if opt.value != "" {
			f = append(f, opt.name, opt.value)
		}
	}
	return f
}

// decode turns a stream entry back into a Message; Queued comes from the entry id.
func decode(x redis.XMessage) Message {
	str := func(k string) string { s, _ := x.Values[k].(string); return s }
	valid, _ := strconv.Atoi(str(fieldValid))
	m := Message{
		ID: x.ID, To: str(fieldTo), Channel: phone.Channel(str(fieldChannel)), Body: str(fieldBody),
		Kind: str(fieldKind), ValidFor: time.Duration(valid) * time.Second,
		ContentSID: str(fieldContent), ContentVariables: str(fieldVariables), Ref: str(fieldRef),
	}
	if ms, _, ok := strings.Cut(x.ID, "-"); ok {
		if n, err := strconv.ParseInt(ms, 10, 64); err == nil {
			m.Queued = time.UnixMilli(n)
		}
	}
	return m
}
