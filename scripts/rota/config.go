package main

import (
	"time"

	"peerline/lines"
	"peerline/service"
	"peerline/settings"
)

// config is the tool's settings, read from the environment and the -env file.
type config struct {
	Redis    settings.Redis
	Line     string             // the line the command works on: -line, or the default line
	Location *time.Location     // that line's time zone
	Region   string             // the country of that line's numbers written without a +code
	Limits   settings.Wellbeing // the deployment's wellbeing limits, for who is resting

	Default       lines.Line // the default line, from the environment
	DefaultRegion string     // DEFAULT_REGION
}

// loadConfig reads every setting and reports every bad one at once.
func loadConfig(r *settings.Reader) (config, error) {
	c := config{Redis: r.Redis(), Line: r.Line(), Location: r.Location(), Region: r.Region(), Limits: r.Wellbeing()}
	c.DefaultRegion = c.Region
	c.Default = lines.Line{ID: c.Line, From: r.Get("TWILIO_FROM_NUMBER", ""), WhatsAppFrom: r.Get("TWILIO_WHATSAPP_FROM", ""),
		MessagingServiceSID: r.Get("TWILIO_MESSAGING_SERVICE_SID", ""), TimeZone: c.Location.String(), Region: c.Region,
		TemplatesDir: r.Get("TEMPLATES_DIR", ""), Default: true}
	if r.Get("TWILIO_ACCOUNT_SID", "") == "" && c.Default.From == "" {
		c.Default.From = service.LocalLine // local trial mode: the phone simulator's line number
	}
	if checked, err := c.Default.Check(c.Region); err == nil {
		c.Default = checked
	}
	return c, r.Err()
}
