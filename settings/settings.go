// Package settings reads peerline's settings from the environment and then a .env file, and collects
// every problem so a program can report them all at once. The service and the scripts share it, so a
// setting means the same thing, with the same default and the same check, everywhere.
package settings

import (
	"errors"
	"fmt"
	"io/fs"
	"net"
	"net/url"
	"regexp"
	"strings"
	"time"
	_ "time/tzdata" // LINE_TIMEZONE never depends on the host's zone files (a slim container has none)

	"github.com/joho/godotenv"
	"github.com/nyaruka/phonenumbers"
	"github.com/redis/go-redis/v9"
)

// Reader reads settings and remembers what was wrong with them.
type Reader struct {
	getenv func(string) string
	file   map[string]string
	errs   []error
}

// New returns a Reader over getenv, falling back to the values in file. A missing file (or "") is fine;
// one that exists but cannot be read is an error.
func New(getenv func(string) string, file string) (*Reader, error) {
	r := &Reader{getenv: getenv}
	if file != "" {
		vals, err := godotenv.Read(file)
		if err != nil && !errors.Is(err, fs.ErrNotExist) {
			return nil, fmt.Errorf("-env %s: %w", file, err)
		}
		r.file = vals
	}
	return r, nil
}

// Get returns the setting key, or def when it is unset or blank.
func (r *Reader) Get(key, def string) string {
	if v := strings.TrimSpace(r.getenv(key)); v != "" {
		return v
	}
	if v := strings.TrimSpace(r.file[key]); v != "" {
		return v
	}
	return def
}

// Bad records a problem with setting key.
func (r *Reader) Bad(key, format string, a ...any) {
	r.errs = append(r.errs, fmt.Errorf("%s: %s", key, fmt.Sprintf(format, a...)))
}

// Err returns every problem recorded, or nil.
func (r *Reader) Err() error {
	if err := errors.Join(r.errs...); err != nil {
		return fmt.Errorf("settings (see .env.example):\n%w", err)
	}
	return nil
}

var linePattern = regexp.MustCompile(`^[a-z0-9-]{1,32}$`)

// Line returns LINE_ID, the line's name in every Redis key (default "main").
func (r *Reader) Line() string {
	line := r.Get("LINE_ID", "main")
	if !linePattern.MatchString(line) {
		r.Bad("LINE_ID", "%q: use 1-32 lowercase letters, digits or dashes", line)
	}
	return line
}

// Location returns LINE_TIMEZONE, the zone shifts are in (default Europe/London).
func (r *Reader) Location() *time.Location {
	loc, err := time.LoadLocation(r.Get("LINE_TIMEZONE", "Europe/London"))
	if err != nil {
		r.Bad("LINE_TIMEZONE", "%v (use an IANA name such as Europe/London)", err)
		return time.UTC
	}
	return loc
}

// Region returns DEFAULT_REGION, the country of numbers written without a country code (default GB).
func (r *Reader) Region() string {
	region := strings.ToUpper(r.Get("DEFAULT_REGION", "GB"))
	if !phonenumbers.GetSupportedRegions()[region] {
		r.Bad("DEFAULT_REGION", "%q: use a two-letter country code such as GB", region)
	}
	return region
}

// Redis is where Redis is: one server, or a Redis Cluster.
type Redis struct {
	single  *redis.Options
	cluster *redis.ClusterOptions
}

// Cluster reports whether r is a Redis Cluster.
func (r Redis) Cluster() bool { return r.cluster != nil }

// NewClient returns a new client: a cluster client for a cluster, else a single-node one.
func (r Redis) NewClient() redis.UniversalClient {
	if r.cluster != nil {
		opt := *r.cluster
		return redis.NewClusterClient(&opt)
	}
	opt := *r.single
	return redis.NewClient(&opt)
}

// WithPool returns r with at least n connections in its pool (per node, for a cluster).
func (r Redis) WithPool(n int) Redis {
	if r.cluster != nil {
		opt := *r.cluster
		opt.PoolSize = max(opt.PoolSize, n)
		return Redis{cluster: &opt}
	}
	opt := *r.single
	opt.PoolSize = max(opt.PoolSize, n)
	return Redis{single: &opt}
}

// Redis reads where Redis is. REDIS_CLUSTER_ADDRS (host:port,host:port,...) names a Redis Cluster by
// some of its nodes; so does a REDIS_URL with addr= parameters (redis://h1:7000?addr=h2:7001) or with
// cluster=yes (a managed cluster's one configuration endpoint). Otherwise REDIS_URL (default
// redis://localhost:6379/0) is one server.
func (r *Reader) Redis() Redis {
	u := r.Get("REDIS_URL", "redis://localhost:6379/0")
	if addrs := r.Get("REDIS_CLUSTER_ADDRS", ""); addrs != "" {
		opt := &redis.ClusterOptions{}
		if parsed, err := redis.ParseURL(u); err == nil && r.Get("REDIS_URL", "") != "" {
			opt.Username, opt.Password, opt.TLSConfig = parsed.Username, parsed.Password, parsed.TLSConfig
		}
		for _, a := range strings.Split(addrs, ",") {
			if a = strings.TrimSpace(a); a != "" {
				if _, _, err := net.SplitHostPort(a); err != nil {
					r.Bad("REDIS_CLUSTER_ADDRS", "%q: write host:port,host:port (%v)", a, err)
				}
				opt.Addrs = append(opt.Addrs, a)
			}
		}
		return Redis{cluster: opt}
	}
	if parsed, err := url.Parse(u); err == nil && (parsed.Query().Has("addr") || parsed.Query().Has("cluster")) {
		q := parsed.Query()
		yes := q.Get("cluster")
		q.Del("cluster")
		parsed.RawQuery = q.Encode()
		opt, err := redis.ParseClusterURL(parsed.String())
		if err != nil || (yes != "" && yes != "yes" && yes != "true" && yes != "1") {
			r.Bad("REDIS_URL", "%q: a cluster URL looks like redis://host1:7000?addr=host2:7001&addr=host3:7002 "+
				"or redis://config-endpoint:6379?cluster=yes (%v)", u, err)
			return Redis{cluster: &redis.ClusterOptions{}}
		}
		return Redis{cluster: opt}
	}
	opt, err := redis.ParseURL(u)
	if err != nil {
		r.Bad("REDIS_URL", "%v (use a URL such as redis://localhost:6379/0)", err)
		return Redis{single: &redis.Options{}}
	}
	return Redis{single: opt}
}
