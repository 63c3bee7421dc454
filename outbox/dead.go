package outbox

import (
	"context"
	"crypto/sha256"
	"encoding/binary"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/redis/go-redis/v9"

	"peerline/phone"
)

// DeadLetter is a message Twilio refused for good, as a coordinator may see it: never its text, and
// the recipient's number masked.
type DeadLetter struct {
	ID        string    // short id, such as "k7m2qx", for Retry and Clear
	At        time.Time // when the send failed
	Kind      string    // the template that made the message (Message.Kind)
	Status    int       // Twilio's HTTP status; 0 when the line refused the message itself
	Code      int       // Twilio's error code, such as 21610 (see CodeMeaning); 0 when none
	Channel   phone.Channel
	Ref       string // the bot's reference, such as "offer R7K2 v3"; never a number or any text
	Retryable bool   // its text was kept (it quoted nobody), so Retry can send it again
	MaskedTo  string // the recipient's number, all but its last three digits hidden

	to string // the full number, for Retry and ForgetNumber only
}

// Meaning returns the error code with its meaning in plain words, such as "21610 opted out".
func (d DeadLetter) Meaning() string { return CodeMeaning(d.Code) }

// QuotingKinds returns the message kinds whose text quotes someone: a person's or a volunteer's words
// (relays, the connect texts) or a volunteer's number (coordinator_talk, coordinator_escalate). A dead
// letter of one of these kinds keeps no text and cannot be retried. It is the default of
// Options.Quoting; extend it there, as append(outbox.QuotingKinds(), "new_kind").
func QuotingKinds() []string {
	return []string{"relay_to_person", "relay_to_volunteer", "volunteer_start", "volunteer_late_start",
		"coordinator_talk", "coordinator_escalate"}
}

// Dead letter hash fields, besides the stream entry fields of the message (to, ch, body, kind, ...).
const (
	deadMsg    = "msg"    // the message that failed, as deadMsg names it, so storing it twice is harmless
	deadAt     = "at"     // unix ms of the failure
	deadStatus = "status" // Twilio's HTTP status
	deadCode   = "code"   // Twilio's error code
	deadRetry  = "retry"  // "1" when the text was kept
)

// buryScript stores one dead letter and indexes it.
//
// KEYS[1] the dead letter's hash, KEYS[2] the index (a sorted set of ids by time).
// ARGV[1] the message's name (its stream id, see Outbox.deadMsg), ARGV[2] the dead letter's id, ARGV[3] now (unix ms), ARGV[4] how
// long to keep it (ms), ARGV[5...] the hash's field/value pairs.
// Returns {1, n} when it is stored (or was already, for this message), {0, 0} when another message
// holds this id (the caller picks the next one); n is the index's size after dropping ids older than
// ARGV[4].
var buryScript = redis.NewScript(`
local held = redis.call('HGET', KEYS[1], 'msg')
if held then
  if held ~= ARGV[1] then return {0, 0} end
  return {1, redis.call('ZCARD', KEYS[2])}
end
redis.call('HSET', KEYS[1], 'msg', ARGV[1], unpack(ARGV, 5))
redis.call('PEXPIRE', KEYS[1], ARGV[4])
redis.call('ZADD', KEYS[2], ARGV[3], ARGV[2])
redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', '(' .. (tonumber(ARGV[3]) - tonumber(ARGV[4])))
redis.call('PEXPIRE', KEYS[2], ARGV[4])
return {1, redis.call('ZCARD', KEYS[2])}
`)

// idAlphabet spells dead letter ids: no 0/o, 1/i/l, so a coordinator can type what they read.
const idAlphabet = "abcdefghjkmnpqrstuvwxyz23456789"

// idTries is how many ids bury tries for one message before giving up (a clash is one in ~10^6).
const idTries = 8

// deadID returns the try'th candidate id of the dead letter of the message with stream id msg: six
// characters from a hash, the same every time, so that storing one message twice stores it once.
func deadID(msg string, try int) string {
	sum := sha256.Sum256([]byte(msg + "#" + strconv.Itoa(try)))
	n := binary.BigEndian.Uint64(sum[:8])
	b := make([]byte, 6)
	for i := range b {
		b[i] = idAlphabet[n%uint64(len(idAlphabet))]
		n /= uint64(len(idAlphabet))
	}
	return string(b)
}

// validID reports whether id can be a dead letter id.
func validID(id string) bool {
	if len(id) != 6 {
		return false
	}
	for _, r := range id {
		if !strings.ContainsRune(idAlphabet, r) {
			return false
		}
	}
	return true
}

// bury keeps m, which failed for good with Twilio's status and code, as a dead letter and returns its
// id. A message of a quoting kind is kept without its text.
func (o *Outbox) bury(ctx context.Context, stream string, m Message, status, code int) (string, error) {
	msg := o.deadMsg(stream, m.ID)
	now := o.now()
	kept, retry := m, "1"
	if o.quoting[m.Kind] {
		kept.Body, kept.ContentVariables, retry = "", "", "0"
	}
	if kept.Body == "" && kept.ContentSID == "" {
		retry = "0"
	}
	args := []any{msg, "", now.UnixMilli(), o.opt.DeadFor.Milliseconds()}
	args = append(args, encode(kept)...)
	args = append(args, deadAt, now.UnixMilli(), deadStatus, status, deadCode, code, deadRetry, retry)
	for try := range idTries {
		id := deadID(msg, try)
		args[1] = id
		res, err := buryScript.Run(ctx, o.rdb, []string{o.keys.deadLetter(id), o.keys.dead()}, args...).Int64Slice()
		if err != nil {
			return "", fmt.Errorf("keep dead letter: %w", err)
		}
		if res[0] == 1 {
			o.trim(ctx, res[1])
			return id, nil
		}
	}
	return "", fmt.Errorf("keep dead letter: no free id after %d tries", idTries)
}

// trim removes the oldest dead letters when the index holds n, more than DeadMax.
func (o *Outbox) trim(ctx context.Context, n int64) {
	excess := n - int64(o.opt.DeadMax)
	if excess <= 0 {
		return
	}
	ids, err := o.rdb.ZRange(ctx, o.keys.dead(), 0, excess-1).Result()
	if err == nil {
		err = o.remove(ctx, ids)
	}
	if err != nil {
		o.log.WithError(err).Warn("trim dead letters; they expire by themselves")
	}
}

// deadMsg names the message with stream id id of stream in its dead letter: the id alone in the urgent
// class's stream (as older versions, with their one stream, named it), and "class/id" in the others,
// since two streams can hold the same id.
func (o *Outbox) deadMsg(stream, id string) string {
	if c := o.streams[stream]; c != urgent {
		return c.String() + "/" + id
	}
	return id
}

// buried returns the id and error code of the dead letter kept for the message with stream id of
// stream; ok is false when there is none.
func (o *Outbox) buried(ctx context.Context, stream, of string) (id string, code int, ok bool, err error) {
	msg := o.deadMsg(stream, of)
	for try := range idTries {
		id := deadID(msg, try)
		v, err := o.rdb.HMGet(ctx, o.keys.deadLetter(id), deadMsg, deadCode).Result()
		if err != nil {
			return "", 0, false, fmt.Errorf("look up dead letter: %w", err)
		}
		held, _ := v[0].(string)
		if held == "" {
			return "", 0, false, nil
		}
		if held == msg {
			c, _ := v[1].(string)
			code, _ = strconv.Atoi(c)
			return id, code, true, nil
		}
	}
	return "", 0, false, nil
}
