package main

import (
	"errors"
	"fmt"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/nyaruka/phonenumbers"
	"github.com/sirupsen/logrus"

	"peerline/phone"
)

// localToken is the auth token of local trial mode, when no Twilio account is configured.
const localToken = "localdevtoken"

// config is every setting, read from the environment (and .env).
type config struct {
	Addr                string
	PublicURL           string
	RedisURL            string
	AccountSID          string
	AuthToken           string
	AuthTokenSecondary  string
	From                string
	MessagingServiceSID string
	WhatsAppFrom        string
	APIBaseURL          string
	Line                string
	Location            *time.Location
	Region              string
	TemplatesDir        string
	LogFormat           string
	LogLevel            logrus.Level
	LocalMode           bool
	GiveUpAfter         time.Duration
}

var (
	linePattern  = regexp.MustCompile(`^[a-z0-9-]{1,32}$`)
	tokenPattern = regexp.MustCompile(`^[A-Za-z0-9]+$`)
)

// loadConfig reads every setting and reports every missing or bad one at once.
func loadConfig(getenv func(string) string) (config, error) {
	get := func(k, def string) string {
		if v := strings.TrimSpace(getenv(k)); v != "" {
			return v
		}
		return def
	}
	var errs []error
	bad := func(k, format string, a ...any) { errs = append(errs, fmt.Errorf(k+": "+format, a...)) }

	port := get("PORT", "8080")
	c := config{
		Addr:                get("LISTEN_HOST", "") + ":" + port,
		PublicURL:           strings.TrimSuffix(get("PUBLIC_URL", "http://localhost:"+port), "/"),
		RedisURL:            get("REDIS_URL", "redis://localhost:6379/0"),
		AccountSID:          get("TWILIO_ACCOUNT_SID", ""),
		AuthToken:           get("TWILIO_AUTH_TOKEN", ""),
		AuthTokenSecondary:  get("TWILIO_AUTH_TOKEN_SECONDARY", ""),
		From:                get("TWILIO_FROM_NUMBER", ""),
		MessagingServiceSID: get("TWILIO_MESSAGING_SERVICE_SID", ""),
		WhatsAppFrom:        get("TWILIO_WHATSAPP_FROM", ""),
		APIBaseURL:          get("TWILIO_API_BASE_URL", ""),
		Line:                get("LINE_ID", "main"),
		Region:              strings.ToUpper(get("DEFAULT_REGION", "GB")),
		TemplatesDir:        get("TEMPLATES_DIR", ""),
		LogFormat:           get("LOG_FORMAT", "json"),
	}
	if u, err := url.Parse(c.PublicURL); err != nil || u.Host == "" || (u.Scheme != "http" && u.Scheme != "https") {
		bad("PUBLIC_URL", "%q is not an http(s) URL such as https://line.example.org", c.PublicURL)
	}
	if !linePattern.MatchString(c.Line) {
		bad("LINE_ID", "%q: use 1-32 lowercase letters, digits or dashes", c.Line)
	}
	loc, err := time.LoadLocation(get("LINE_TIMEZONE", "Europe/London"))
	if err != nil {
		bad("LINE_TIMEZONE", "%v (use an IANA name such as Europe/London)", err)
	}
	c.Location = loc
	if c.LogFormat != "json" && c.LogFormat != "text" {
		bad("LOG_FORMAT", "%q: use json or text", c.LogFormat)
	}
	if c.LogLevel, err = logrus.ParseLevel(get("LOG_LEVEL", "info")); err != nil {
		bad("LOG_LEVEL", "%v", err)
	}
	if c.GiveUpAfter, err = time.ParseDuration(get("GIVE_UP_TIMEOUT", "20m")); err != nil || c.GiveUpAfter < time.Minute {
		bad("GIVE_UP_TIMEOUT", "%q: use a duration of a minute or more, such as 20m", get("GIVE_UP_TIMEOUT", "20m"))
	}
	if p, err := strconv.Atoi(port); err != nil || p < 0 || p > 65535 {
		bad("PORT", "%q: use a port number such as 8080", port)
	}
	if !phonenumbers.GetSupportedRegions()[c.Region] {
		bad("DEFAULT_REGION", "%q: use a two-letter country code such as GB", c.Region)
	}
	c.LocalMode = c.AccountSID == ""
	if c.LocalMode {
		if c.AuthToken == "" {
			c.AuthToken = localToken
		}
	} else {
		checkTwilio(&c, bad)
	}
	if c.AuthToken != "" && !tokenPattern.MatchString(c.AuthToken) {
		bad("TWILIO_AUTH_TOKEN", "must be letters and digits only, as Twilio's are")
	}
	if err := errors.Join(errs...); err != nil {
		return config{}, fmt.Errorf("configuration (see .env.example):\n%w", err)
	}
	return c, nil
}

func checkTwilio(c *config, bad func(k, format string, a ...any)) {
	if !strings.HasPrefix(c.AccountSID, "AC") {
		bad("TWILIO_ACCOUNT_SID", "should start with AC (find it on the Twilio console's home page)")
	}
	if c.AuthToken == "" {
		bad("TWILIO_AUTH_TOKEN", "is required when TWILIO_ACCOUNT_SID is set")
	}
	if c.From == "" && c.MessagingServiceSID == "" {
		bad("TWILIO_FROM_NUMBER", "set it (or TWILIO_MESSAGING_SERVICE_SID) to the line's Twilio number")
	}
	for _, n := range []struct{ key, val string }{{"TWILIO_FROM_NUMBER", c.From}, {"TWILIO_WHATSAPP_FROM", c.WhatsAppFrom}} {
		if n.val == "" {
			continue
		}
		if e164, err := phone.Parse(n.val, c.Region); err != nil {
			bad(n.key, "%v", err)
		} else if n.key == "TWILIO_FROM_NUMBER" {
			c.From = e164
		} else {
			c.WhatsAppFrom = e164
		}
	}
}
