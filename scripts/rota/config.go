package main

import (
	"errors"
	"fmt"
	"io/fs"
	"regexp"
	"strings"
	"time"

	"github.com/joho/godotenv"
	"github.com/redis/go-redis/v9"
)

// config is the tool's settings, read from the environment and the -env file.
type config struct {
	Redis    *redis.Options
	Line     string
	Location *time.Location
	Region   string
}

var (
	linePattern   = regexp.MustCompile(`^[a-z0-9-]{1,32}$`) // as the service checks LINE_ID
	regionPattern = regexp.MustCompile(`^[A-Z]{2}$`)
)

// loadConfig reads every setting and reports every bad one at once.
func loadConfig(getenv func(string) string) (config, error) {
	get := func(k, def string) string {
		if v := strings.TrimSpace(getenv(k)); v != "" {
			return v
		}
		return def
	}
	var errs []error
	bad := func(k, format string, a ...any) { errs = append(errs, fmt.Errorf(k+": "+format, a...)) }

	c := config{Line: get("LINE_ID", "main"), Region: strings.ToUpper(get("DEFAULT_REGION", "GB"))}
	opt, err := redis.ParseURL(get("REDIS_URL", "redis://localhost:6379/0"))
	if err != nil {
		bad("REDIS_URL", "%v (use a URL such as redis://localhost:6379/0)", err)
	}
	c.Redis = opt
	if !linePattern.MatchString(c.Line) {
		bad("LINE_ID", "%q: use 1-32 lowercase letters, digits or dashes", c.Line)
	}
	loc, err := time.LoadLocation(get("LINE_TIMEZONE", "Europe/London"))
	if err != nil {
		bad("LINE_TIMEZONE", "%v (use an IANA name such as Europe/London)", err)
	}
	c.Location = loc
	if !regionPattern.MatchString(c.Region) {
		bad("DEFAULT_REGION", "%q: use a two-letter country code such as GB", c.Region)
	}
	if err := errors.Join(errs...); err != nil {
		return config{}, fmt.Errorf("settings (see .env.example):\n%w", err)
	}
	return c, nil
}

// withDotEnv returns getenv, falling back to the values in file. A missing file is fine; one that
// exists but cannot be read or parsed is an error.
func withDotEnv(getenv func(string) string, file string) (func(string) string, error) {
	vals, err := godotenv.Read(file)
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("-env %s: %w", file, err)
	}
	return func(k string) string {
		if v := getenv(k); v != "" {
			return v
		}
		return vals[k]
	}, nil
}
