package service

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/redis/go-redis/v9"
	"github.com/sirupsen/logrus"

	"peerline/commit"
)

// Durability modes (REDIS_DURABILITY): what the service makes sure of before it answers a webhook.
const (
	durAuto    = "auto"    // choose from what the server says of itself (the default)
	durAlways  = "always"  // the server fsyncs its AOF on every write (appendfsync always): no wait needed
	durReplica = "replica" // WAIT REDIS_WAIT_REPLICAS REDIS_WAIT_TIMEOUT after every commit
	durAOF     = "aof"     // WAITAOF 1 0 REDIS_WAIT_TIMEOUT after every commit (Redis 7.2 or newer)
	durNone    = "none"    // wait for nothing: the server's own persistence is all there is
)

// durabilityConfig is the REDIS_DURABILITY settings.
type durabilityConfig struct {
	Mode     string
	Replicas int
	Timeout  time.Duration
}

// server is what a Redis says of its own durability.
type server struct {
	Version     string
	AppendOnly  string // "yes", "no", or "" when unknown
	AppendFsync string // "always", "everysec", "no", or "" when unknown (INFO does not say; CONFIG may be refused)
	ConfigOK    bool   // CONFIG GET answered
	Role        string
	Replicas    int // connected replicas
}

// atLeast reports whether the server's version is major.minor or newer.
func (s server) atLeast(major, minor int) bool {
	parts := strings.SplitN(s.Version, ".", 3)
	if len(parts) < 2 {
		return false
	}
	ma, _ := strconv.Atoi(parts[0])
	mi, _ := strconv.Atoi(parts[1])
	return ma > major || ma == major && mi >= minor
}

// probe asks the server: CONFIG GET where allowed (managed Redis often refuses it), INFO otherwise.
func probe(ctx context.Context, rdb redis.UniversalClient) (server, error) {
	var s server
	info, err := rdb.Info(ctx, "server", "persistence", "replication").Result()
	if err != nil {
		return s, fmt.Errorf("redis INFO: %w", err)
	}
	fields := map[string]string{}
	for _, line := range strings.Split(info, "\n") {
		if k, v, ok := strings.Cut(strings.TrimSpace(line), ":"); ok {
			fields[k] = v
		}
	}
	s.Version, s.Role = fields["redis_version"], fields["role"]
	s.Replicas, _ = strconv.Atoi(fields["connected_slaves"])
	switch fields["aof_enabled"] {
	case "1":
		s.AppendOnly = "yes"
	case "0":
		s.AppendOnly = "no"
	}
	if cfg, err := rdb.ConfigGet(ctx, "append*").Result(); err == nil && cfg["appendonly"] != "" {
		s.ConfigOK, s.AppendOnly, s.AppendFsync = true, cfg["appendonly"], cfg["appendfsync"]
	}
	return s, nil
}

// choose turns the setting and what the server says into what every commit waits for, and the warnings
// to log at start-up. It fails only when the setting asks for what this server can never do.
func choose(c durabilityConfig, s server, syncKey string) (commit.Durability, []string, error) {
	replica := commit.Durability{Replicas: c.Replicas, Timeout: c.Timeout, SyncKey: syncKey}
	aof := commit.Durability{AOF: true, Timeout: c.Timeout, SyncKey: syncKey}
	fsyncAlways := s.AppendOnly == "yes" && s.AppendFsync == "always"
	var warn []string
	switch c.Mode {
	case durNone:
		if !fsyncAlways {
			warn = append(warn, "REDIS_DURABILITY=none and "+s.describe()+": a crash or power cut of the Redis host can "+
				"lose texts the line already answered. "+advice)
		}
		return commit.Durability{}, warn, nil
	case durAlways:
		if !fsyncAlways {
			warn = append(warn, "REDIS_DURABILITY=always, but "+s.describe()+" (not verified as appendonly yes, appendfsync "+
				"always). "+advice)
		}
		return commit.Durability{}, warn, nil
	case durAOF:
		if !s.atLeast(7, 2) {
			return commit.Durability{}, nil, fmt.Errorf("REDIS_DURABILITY=aof needs WAITAOF, Redis 7.2 or newer; this one is %s "+
				"(use replica with a replica, or appendfsync always and REDIS_DURABILITY=always)", s.Version)
		}
		if s.AppendOnly == "no" {
			return commit.Durability{}, nil, fmt.Errorf("REDIS_DURABILITY=aof, but the server has appendonly no: WAITAOF would always fail")
		}
		return aof, nil, nil
	case durReplica:
		if s.Replicas < c.Replicas {
			warn = append(warn, fmt.Sprintf("REDIS_DURABILITY=replica waits for %d replicas but %d are connected now: "+
				"until they are, every webhook answers 500 and nothing is acknowledged", c.Replicas, s.Replicas))
		}
		return replica, warn, nil
	}
	// auto
	switch {
	case fsyncAlways:
		return commit.Durability{}, nil, nil
	case s.AppendOnly == "yes" && s.atLeast(7, 2):
		return aof, nil, nil
	case s.Replicas >= c.Replicas:
		return replica, nil, nil
	}
	warn = append(warn, "Redis durability: "+s.describe()+", and no way to wait for a write to be safe: a crash or "+
		"power cut of the Redis host can lose texts the line already answered. "+advice)
	return commit.Durability{}, warn, nil
}

// advice says what to change when nothing makes acknowledged writes durable.
const advice = "Set appendonly yes and appendfsync always on the server (REDIS_DURABILITY=always), or give it a " +
	"replica (REDIS_DURABILITY=replica waits for it), or use Redis 7.2+ with appendonly yes (REDIS_DURABILITY=aof)."

// describe says what is known of the server's persistence, for the start-up warning.
func (s server) describe() string {
	fsync := s.AppendFsync
	if !s.ConfigOK {
		fsync = "unknown (CONFIG GET refused)"
	}
	ao := s.AppendOnly
	if ao == "" {
		ao = "unknown"
	}
	return fmt.Sprintf("Redis %s has appendonly %s, appendfsync %s, %d replicas", s.Version, ao, fsync, s.Replicas)
}

// durability probes the server and chooses what every commit waits for, logging the choice and any warning.
func durability(ctx context.Context, c durabilityConfig, rdb redis.UniversalClient, line string, log logrus.FieldLogger) (commit.Durability, error) {
	s, err := probe(ctx, rdb)
	if err != nil {
		return commit.Durability{}, err
	}
	d, warn, err := choose(c, s, "pl:{"+line+"}:durable")
	if err != nil {
		return commit.Durability{}, err
	}
	entry := log.WithFields(logrus.Fields{"component": "durability", "mode": c.Mode, "redis_version": s.Version,
		"appendonly": s.AppendOnly, "appendfsync": s.AppendFsync, "replicas": s.Replicas, "wait": d.String()})
	for _, w := range warn {
		entry.Warn(w)
	}
	if len(warn) == 0 {
		entry.Info("webhooks are answered once their writes are durable")
	}
	return d, nil
}

// loadDurability reads REDIS_DURABILITY, REDIS_WAIT_REPLICAS and REDIS_WAIT_TIMEOUT.
func loadDurability(r interface {
	Get(key, def string) string
	Bad(key, format string, a ...any)
}) durabilityConfig {
	c := durabilityConfig{Mode: strings.ToLower(r.Get("REDIS_DURABILITY", durAuto))}
	switch c.Mode {
	case durAuto, durAlways, durReplica, durAOF, durNone:
	default:
		r.Bad("REDIS_DURABILITY", "%q: use auto, always, replica, aof or none", c.Mode)
	}
	n, err := strconv.Atoi(r.Get("REDIS_WAIT_REPLICAS", "1"))
	if err != nil || n < 1 || n > 10 {
		r.Bad("REDIS_WAIT_REPLICAS", "how many replicas must hold a write before a webhook is answered, 1 to 10")
	}
	c.Replicas = n
	to := r.Get("REDIS_WAIT_TIMEOUT", "2s")
	d, err := time.ParseDuration(to)
	if err != nil || d < 10*time.Millisecond || d > 10*time.Second {
		r.Bad("REDIS_WAIT_TIMEOUT", "%q: how long a commit waits to be durable, 10ms to 10s, such as 2s", to)
	}
	c.Timeout = d
	return c
}
