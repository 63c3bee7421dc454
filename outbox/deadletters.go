package outbox

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/redis/go-redis/v9"

	"peerline/phone"
)

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
			p.XAdd(ctx, &redis.XAddArgs{Stream: o.keys.classStream(classOf(m.Kind)), Values: encode(m)})
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
