// Package redistest connects tests to the throwaway redis-server that `make test` starts.
//
// Tests never touch a Redis they did not start: the address comes only from PEERLINE_TEST_REDIS_URL,
// which the Makefile sets to a unix socket of a server it started for this run. Each test gets its own
// line name, so every key it writes lives under its own prefix and tests can run in parallel.
package redistest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"os"
	"testing"

	"github.com/redis/go-redis/v9"
)

// EnvURL names the environment variable holding the test Redis URL.
const EnvURL = "PEERLINE_TEST_REDIS_URL"

// URL returns the test Redis URL, failing the test with a clear message when it is not set. Reading the
// environment here, outside any main, is deliberate: this is the test harness's one input, set by
// `make test` for every package's tests, and no production code imports this package.
func URL(t testing.TB) string {
	t.Helper()
	u := os.Getenv(EnvURL)
	if u == "" {
		t.Fatalf("%s is not set: run `make test`, which starts a throwaway redis-server for the tests", EnvURL)
	}
	return u
}

// New returns a client for the test Redis and a line name unique to this test. The client is closed and
// the line's keys are removed when the test ends.
func New(t testing.TB) (*redis.Client, string) {
	t.Helper()
	opt, err := redis.ParseURL(URL(t))
	if err != nil {
		t.Fatalf("parse %s: %v", EnvURL, err)
	}
	rdb := redis.NewClient(opt)
	line := Line(t)
	t.Cleanup(func() {
		ctx := context.Background()
		iter := rdb.Scan(ctx, 0, "pl:{"+line+"}:*", 1000).Iterator()
		for iter.Next(ctx) {
			rdb.Del(ctx, iter.Val())
		}
		_ = rdb.Close()
	})
	if err := rdb.Ping(context.Background()).Err(); err != nil {
		t.Fatalf("ping test redis: %v", err)
	}
	return rdb, line
}

// Line returns a fresh line name for one test.
func Line(t testing.TB) string {
	b := make([]byte, 6)
	if _, err := rand.Read(b); err != nil {
		t.Fatalf("random line: %v", err)
	}
	return "t" + hex.EncodeToString(b)
}
