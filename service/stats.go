package service

import (
	"context"
	"sync/atomic"

	"github.com/redis/go-redis/v9"

	"peerline/bot"
	"peerline/webhooks"
)

// stats counts inbound messages and the Redis round trips and commands their handling cost, for
// GET /debug/stats and the benchmark. Only work done while handling a message is counted (the context
// says so), not the cron jobs' or the outbox's.
type stats struct {
	next                          webhooks.Handler
	inbound, roundTrips, commands atomic.Int64
}

// handling marks a context as handling an inbound message.
type handling struct{}

// Handle counts one inbound message and passes it on.
func (s *stats) Handle(ctx context.Context, in bot.Inbound) error {
	s.inbound.Add(1)
	return s.next.Handle(context.WithValue(ctx, handling{}, true), in)
}

// Status passes a delivery status on.
func (s *stats) Status(ctx context.Context, line, sid, status string) error {
	return s.next.Status(ctx, line, sid, status)
}

func counted(ctx context.Context) bool { return ctx.Value(handling{}) != nil }

// Stats returns the counters.
func (s *stats) Stats() map[string]int64 {
	return map[string]int64{
		"inbound_messages": s.inbound.Load(), "redis_round_trips": s.roundTrips.Load(), "redis_commands": s.commands.Load(),
	}
}

// DialHook is part of redis.Hook.
func (s *stats) DialHook(next redis.DialHook) redis.DialHook { return next }

// ProcessHook counts one command sent on its own: one round trip. A new connection's HELLO is setup,
// not work, and is not counted.
func (s *stats) ProcessHook(next redis.ProcessHook) redis.ProcessHook {
	return func(ctx context.Context, cmd redis.Cmder) error {
		if cmd.Name() == "hello" || !counted(ctx) {
			return next(ctx, cmd)
		}
		s.roundTrips.Add(1)
		s.commands.Add(1)
		return next(ctx, cmd)
	}
}

// ProcessPipelineHook counts a pipeline: one round trip for all its commands. A new connection's
// CLIENT SETINFO pipeline is setup and is not counted.
func (s *stats) ProcessPipelineHook(next redis.ProcessPipelineHook) redis.ProcessPipelineHook {
	return func(ctx context.Context, cmds []redis.Cmder) error {
		if len(cmds) > 0 && cmds[0].Name() == "client" || !counted(ctx) {
			return next(ctx, cmds)
		}
		s.roundTrips.Add(1)
		s.commands.Add(int64(len(cmds)))
		return next(ctx, cmds)
	}
}
