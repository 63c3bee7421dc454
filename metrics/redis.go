package metrics

import (
	"context"
	"errors"
	"strings"

	"github.com/redis/go-redis/v9"
)

// RedisHook returns a go-redis hook that counts failed commands by name. A missing key (redis.Nil) is
// not a failure, nor are the answers the service expects and handles: NOSCRIPT (go-redis then loads
// the script), BUSYGROUP (the outbox's group exists already) and a context cancelled at shutdown; nor
// are the commands of a new connection's setup (HELLO, CLIENT SETINFO), which go-redis lets fail on an
// older Redis.
func (m *Metrics) RedisHook() redis.Hook { return redisHook{m: m} }

type redisHook struct{ m *Metrics }

// DialHook is part of redis.Hook.
func (h redisHook) DialHook(next redis.DialHook) redis.DialHook { return next }

// ProcessHook counts a single command that failed.
func (h redisHook) ProcessHook(next redis.ProcessHook) redis.ProcessHook {
	return func(ctx context.Context, cmd redis.Cmder) error {
		err := next(ctx, cmd)
		h.count(cmd, err)
		return err
	}
}

// ProcessPipelineHook counts each command of a pipeline that failed.
func (h redisHook) ProcessPipelineHook(next redis.ProcessPipelineHook) redis.ProcessPipelineHook {
	return func(ctx context.Context, cmds []redis.Cmder) error {
		err := next(ctx, cmds)
		for _, cmd := range cmds {
			h.count(cmd, cmd.Err())
		}
		return err
	}
}

func (h redisHook) count(cmd redis.Cmder, err error) {
	if name := cmd.Name(); name == "hello" || name == "client" {
		return
	}
	if err == nil || errors.Is(err, redis.Nil) || errors.Is(err, context.Canceled) {
		return
	}
	if msg := err.Error(); strings.HasPrefix(msg, "NOSCRIPT") || strings.HasPrefix(msg, "BUSYGROUP") {
		return
	}
	h.m.redisErrors.WithLabelValues(strings.ToLower(cmd.Name())).Inc()
}
