package main

import (
	"time"

	"github.com/redis/go-redis/v9"

	"peerline/settings"
)

// config is the tool's settings, read from the environment and the -env file.
type config struct {
	Redis    *redis.Options
	Line     string
	Location *time.Location
	Region   string
	Limits   settings.Wellbeing // the line's wellbeing limits, for who is resting
}

// loadConfig reads every setting and reports every bad one at once.
func loadConfig(r *settings.Reader) (config, error) {
	c := config{Redis: r.Redis(), Line: r.Line(), Location: r.Location(), Region: r.Region(), Limits: r.Wellbeing()}
	return c, r.Err()
}
