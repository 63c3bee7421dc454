package outbox

import (
	"context"
	"crypto/sha256"
	"encoding/binary"
	"errors"
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
// (relays, the connect texts) or a volunteer's number (coordinator_talk). A dead letter of one of these
// kinds keeps no text and cannot be retried. It is the default of Options.Quoting; extend it there, as
// append(outbox.QuotingKinds(), "new_kind").
func QuotingKinds() []string {
	return []string{"relay_to_person", "relay_to_volunteer", "volunteer_start", "volunteer_late_start",
		"coordinator_talk"}
}

// Dead letter hash fields, besides the stream entry fields of the message (to, ch, body, kind, ...).
const (
	deadMsg    = "msg"    // the stream id of the message that failed, so storing it twice is harmless
	deadAt     = "at"     // unix ms of the failure
	deadStatus = "status" // Twilio's HTTP status
	deadCode   = "code"   // Twilio's error code
	deadRetry  = "retry"  // "1" when the text was kept
)

// buryScript stores one dead letter and indexes it.
//
// KEYS[1] the dead letter's hash, KEYS[2] the index (a sorted set of ids by time).
// ARGV[1] the message's stream id, ARGV[2] the dead letter's id, ARGV[3] now (unix ms), ARGV[4] how
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
func (o *Outbox) bury(ctx context.Context, m Message, status, code int) (string, error) {
	now := o.now()
	kept, retry := m, "1"
	if o.quoting[m.Kind] {
		kept.Body, kept.ContentVariables, retry = "", "", "0"
	}
	if kept.Body == "" && kept.ContentSID == "" {
		retry = "0"
	}
	args := []any{m.ID, "", now.UnixMilli(), o.opt.DeadFor.Milliseconds()}
	args = append(args, encode(kept)...)
	args = append(args, deadAt, now.UnixMilli(), deadStatus, status, deadCode, code, deadRetry, retry)
	for try := range idTries {
		id := deadID(m.ID, try)
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

// buried returns the id and error code of the dead letter kept for the message with stream id msg;
// ok is false when there is none.
func (o *Outbox) buried(ctx context.Context, msg string) (id string, code int, ok bool, err error) {
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

// DeadLetters returns the line's dead letters, newest first.
func (o *Outbox) DeadLetters(ctx context.Context) ([]DeadLetter, error) {
	ids, err := o.rdb.ZRevRange(ctx, o.keys.dead(), 0, -1).Result()
	if err != nil {
		return nil, fmt.Errorf("list dead letters: %w", err)
	}
	hashes, err := o.deadHashes(ctx, ids)
	if err != nil {
		return nil, err
	}
	var out []DeadLetter
	var gone []any
	for i, h := range hashes {
		if len(h) == 0 { // expired: drop it from the index too
			gone = append(gone, ids[i])
			continue
		}
		out = append(out, decodeDead(ids[i], h))
	}
	if len(gone) > 0 {
		_ = o.rdb.ZRem(ctx, o.keys.dead(), gone...).Err() // harmless if it fails: tried again next time
	}
	return out, nil
}

// deadHashes reads the hashes of the dead letters ids in one round trip; an expired one is empty.
func (o *Outbox) deadHashes(ctx context.Context, ids []string) ([]map[string]string, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	cmds := make([]*redis.MapStringStringCmd, len(ids))
	_, err := o.rdb.Pipelined(ctx, func(p redis.Pipeliner) error {
		for i, id := range ids {
			cmds[i] = p.HGetAll(ctx, o.keys.deadLetter(id))
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("read dead letters: %w", err)
	}
	out := make([]map[string]string, len(ids))
	for i, c := range cmds {
		out[i] = c.Val()
	}
	return out, nil
}

// decodeDead turns the hash h of dead letter id into a DeadLetter.
func decodeDead(id string, h map[string]string) DeadLetter {
	num := func(k string) int { n, _ := strconv.Atoi(h[k]); return n }
	at, _ := strconv.ParseInt(h[deadAt], 10, 64)
	return DeadLetter{
		ID: id, At: time.UnixMilli(at), Kind: h[fieldKind], Status: num(deadStatus), Code: num(deadCode),
		Channel: phone.Channel(h[fieldChannel]), Ref: h[fieldRef], Retryable: h[deadRetry] == "1",
		MaskedTo: phone.Masked(h[fieldTo]), to: h[fieldTo],
	}
}

// Retry queues the message of dead letter id again, as a new outbox entry that the workers send within
// seconds, and removes the dead letter. It fails with ErrNotFound for an id that is not (or no longer)
// kept, and with ErrNotRetryable for a message whose text was not kept.
func (o *Outbox) Retry(ctx context.Context, id string) error {
	if !validID(id) {
		return fmt.Errorf("retry dead letter %q: %w", id, ErrNotFound)
	}
	key := o.keys.deadLetter(id)
	err := o.rdb.Watch(ctx, func(tx *redis.Tx) error {
		h, err := tx.HGetAll(ctx, key).Result()
		switch {
		case err != nil:
			return err
		case len(h) == 0:
			return ErrNotFound
		case h[deadRetry] != "1":
			return ErrNotRetryable
		}
		values := make(map[string]any, len(h))
		for k, v := range h {
			values[k] = v
		}
		m := decode(redis.XMessage{Values: values})
		_, err = tx.TxPipelined(ctx, func(p redis.Pipeliner) error {
			p.XAdd(ctx, &redis.XAddArgs{Stream: o.keys.stream(), Values: encode(m)})
			p.Del(ctx, key)
			p.ZRem(ctx, o.keys.dead(), id)
			return nil
		})
		return err
	}, key)
	if errors.Is(err, redis.TxFailedErr) {
		err = errors.New("it was retried or cleared at the same moment")
	}
	if err != nil {
		return fmt.Errorf("retry dead letter %s: %w", id, err)
	}
	return nil
}

// Clear removes dead letter id; ErrNotFound when it is not (or no longer) kept.
func (o *Outbox) Clear(ctx context.Context, id string) error {
	if !validID(id) {
		return fmt.Errorf("clear dead letter %q: %w", id, ErrNotFound)
	}
	var del *redis.IntCmd
	_, err := o.rdb.TxPipelined(ctx, func(p redis.Pipeliner) error {
		del = p.Del(ctx, o.keys.deadLetter(id))
		p.ZRem(ctx, o.keys.dead(), id)
		return nil
	})
	if err != nil {
		return fmt.Errorf("clear dead letter %s: %w", id, err)
	}
	if del.Val() == 0 {
		return fmt.Errorf("clear dead letter %s: %w", id, ErrNotFound)
	}
	return nil
}

// ClearAll removes every dead letter of the line and returns how many it removed. One that fails at
// the same moment is kept.
func (o *Outbox) ClearAll(ctx context.Context) (int, error) {
	ids, err := o.rdb.ZRange(ctx, o.keys.dead(), 0, -1).Result()
	if err != nil {
		return 0, fmt.Errorf("clear dead letters: %w", err)
	}
	hashes, err := o.deadHashes(ctx, ids)
	if err != nil {
		return 0, err
	}
	n := 0
	for _, h := range hashes {
		if len(h) > 0 {
			n++
		}
	}
	if err := o.remove(ctx, ids); err != nil {
		return 0, fmt.Errorf("clear dead letters: %w", err)
	}
	return n, nil
}

// ForgetNumber removes every dead letter to number (E.164, such as "+447700900123"), for a person's
// erasure, and returns how many it removed.
func (o *Outbox) ForgetNumber(ctx context.Context, number string) (removed int, err error) {
	if number == "" {
		return 0, nil
	}
	ids, err := o.rdb.ZRange(ctx, o.keys.dead(), 0, -1).Result()
	if err != nil {
		return 0, fmt.Errorf("forget number in dead letters: %w", err)
	}
	hashes, err := o.deadHashes(ctx, ids)
	if err != nil {
		return 0, err
	}
	var theirs []string
	for i, h := range hashes {
		if h[fieldTo] == number {
			theirs = append(theirs, ids[i])
		}
	}
	if err := o.remove(ctx, theirs); err != nil {
		return 0, fmt.Errorf("forget number in dead letters: %w", err)
	}
	return len(theirs), nil
}

// remove deletes the dead letters ids and their index entries in one MULTI.
func (o *Outbox) remove(ctx context.Context, ids []string) error {
	if len(ids) == 0 {
		return nil
	}
	keys := make([]string, len(ids))
	members := make([]any, len(ids))
	for i, id := range ids {
		keys[i], members[i] = o.keys.deadLetter(id), id
	}
	_, err := o.rdb.TxPipelined(ctx, func(p redis.Pipeliner) error {
		p.Del(ctx, keys...)
		p.ZRem(ctx, o.keys.dead(), members...)
		return nil
	})
	return err
}
