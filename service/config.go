package service

import (
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/sirupsen/logrus"

	"peerline/bot"
	"peerline/outbox"
	"peerline/phone"
	"peerline/rota"
	"peerline/settings"
	"peerline/templates"
)

// Local trial mode, when no Twilio account is configured: the phone simulator plays Twilio with these.
// Ofcom's drama range: no real phone has these numbers.
const (
	// LocalAccountSID is the Twilio account the phone simulator plays in local trial mode.
	LocalAccountSID = "AC00000000000000000000000000000000"
	// LocalLine is the line's SMS number in local trial mode.
	LocalLine     = "+447700900999"
	localToken    = "localdevtoken"
	localWhatsApp = "+447700900998"
)

// config is every setting of the service.
type config struct {
	Addr                string
	PublicURL           string
	Redis               settings.Redis
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
	RiskWords           string        // a coordinator's copy of the risk words list; "" for the built-in one
	HistoryFor          time.Duration // how long the report history is kept
	MetricsToken        string        // when set, GET /metrics wants it as a bearer token
	LogFormat           string
	LogLevel            logrus.Level
	LocalMode           bool
	Bot                 bot.Options // escalation timings, check-ins, reminders, WhatsApp templates
	Durability          durabilityConfig
	Outbox              outboxConfig
}

// outboxConfig is how the outbox sends: how many at once, how fast, and under which stable name.
type outboxConfig struct {
	InFlight int     // OUTBOX_IN_FLIGHT: sends in flight at once
	Rate     float64 // OUTBOX_RATE: the line's texts a second at most, all instances together
	Instance string  // INSTANCE_ID: this instance's name among the senders, the same across restarts
}

var tokenPattern = regexp.MustCompile(`^[A-Za-z0-9]+$`)

// loadConfig reads every setting and reports every missing or bad one at once.
func loadConfig(r *settings.Reader) (config, error) {
	port := r.Get("PORT", "8080")
	c := config{
		Addr:                r.Get("LISTEN_HOST", "") + ":" + port,
		PublicURL:           strings.TrimSuffix(r.Get("PUBLIC_URL", "http://localhost:"+port), "/"),
		AccountSID:          r.Get("TWILIO_ACCOUNT_SID", ""),
		AuthToken:           r.Get("TWILIO_AUTH_TOKEN", ""),
		AuthTokenSecondary:  r.Get("TWILIO_AUTH_TOKEN_SECONDARY", ""),
		From:                r.Get("TWILIO_FROM_NUMBER", ""),
		MessagingServiceSID: r.Get("TWILIO_MESSAGING_SERVICE_SID", ""),
		WhatsAppFrom:        r.Get("TWILIO_WHATSAPP_FROM", ""),
		APIBaseURL:          r.Get("TWILIO_API_BASE_URL", ""),
		Line:                r.Line(),
		Location:            r.Location(),
		Region:              r.Region(),
		TemplatesDir:        r.Get("TEMPLATES_DIR", ""),
		RiskWords:           r.Get("RISK_WORDS", ""),
		LogFormat:           r.Get("LOG_FORMAT", "json"),
		MetricsToken:        r.Get("METRICS_TOKEN", ""),
	}
	c.Redis = r.Redis()
	if p, err := strconv.Atoi(port); err != nil || p < 0 || p > 65535 {
		r.Bad("PORT", "%q: use a port number such as 8080", port)
	}
	if u, err := url.Parse(c.PublicURL); err != nil || u.Host == "" || (u.Scheme != "http" && u.Scheme != "https") {
		r.Bad("PUBLIC_URL", "%q is not an http(s) URL such as https://line.example.org", c.PublicURL)
	}
	if c.MetricsToken != "" && len(c.MetricsToken) < 16 {
		r.Bad("METRICS_TOKEN", "use at least 16 characters (a long random string), or leave it empty for an open /metrics")
	}
	if c.LogFormat != "json" && c.LogFormat != "text" {
		r.Bad("LOG_FORMAT", "%q: use json or text", c.LogFormat)
	}
	var err error
	if c.LogLevel, err = logrus.ParseLevel(r.Get("LOG_LEVEL", "info")); err != nil {
		r.Bad("LOG_LEVEL", "%v", err)
	}
	c.Bot = loadBotOptions(r)
	c.Durability = loadDurability(r)
	c.Outbox = loadOutbox(r)
	days := count(r, "HISTORY_DAYS", "400", 1, 3650, "days the report history is kept")
	c.HistoryFor = time.Duration(days) * 24 * time.Hour
	c.Bot.HistoryFor = c.HistoryFor // check-in, feedback and debrief answers are kept as long
	if secret := r.Get("LOG_HASH_SECRET", ""); secret != "" {
		if len(secret) < 16 {
			r.Bad("LOG_HASH_SECRET", "use at least 16 characters (a long random string)")
		}
		c.Bot.LogKey = []byte(secret)
	}
	c.LocalMode = c.AccountSID == ""
	if c.LocalMode && c.AuthToken == "" {
		c.AuthToken = localToken
	}
	if !c.LocalMode {
		checkTwilio(&c, r)
	}
	if c.AuthToken != "" && !tokenPattern.MatchString(c.AuthToken) {
		r.Bad("TWILIO_AUTH_TOKEN", "must be letters and digits only, as Twilio's are")
	}
	if err := r.Err(); err != nil {
		return config{}, err
	}
	return c, nil
}

// instancePattern is what an INSTANCE_ID may hold: it names a consumer in Redis and shows in logs.
var instancePattern = regexp.MustCompile(`^[A-Za-z0-9._-]{1,64}$`)

// loadOutbox reads the outbox's settings.
func loadOutbox(r *settings.Reader) outboxConfig {
	o := outboxConfig{
		InFlight: count(r, "OUTBOX_IN_FLIGHT", strconv.Itoa(outbox.DefaultInFlight), 1, 90,
			"texts sent at once (Twilio allows an account 100 requests at once)"),
		Instance: r.Get("INSTANCE_ID", outbox.DefaultInstance()),
	}
	v := r.Get("OUTBOX_RATE", strconv.Itoa(outbox.DefaultRate))
	if n, err := strconv.ParseFloat(v, 64); err != nil || n < 0.1 || n > 10_000 {
		r.Bad("OUTBOX_RATE", "%q: texts a second, 0.1 to 10000, such as 10 (Twilio's rate for one UK number)", v)
	} else {
		o.Rate = n
	}
	if !instancePattern.MatchString(o.Instance) {
		r.Bad("INSTANCE_ID", "%q: letters, digits, '.', '_' and '-', at most 64; unique to each instance running", o.Instance)
	}
	return o
}

func checkTwilio(c *config, r *settings.Reader) {
	if !strings.HasPrefix(c.AccountSID, "AC") {
		r.Bad("TWILIO_ACCOUNT_SID", "should start with AC (find it on the Twilio console's home page)")
	}
	if c.AuthToken == "" {
		r.Bad("TWILIO_AUTH_TOKEN", "is required when TWILIO_ACCOUNT_SID is set")
	}
	if c.From == "" && c.MessagingServiceSID == "" {
		r.Bad("TWILIO_FROM_NUMBER", "set it (or TWILIO_MESSAGING_SERVICE_SID) to the line's Twilio number")
	}
	for _, n := range []struct {
		key string
		val *string
	}{{"TWILIO_FROM_NUMBER", &c.From}, {"TWILIO_WHATSAPP_FROM", &c.WhatsAppFrom}} {
		if *n.val == "" {
			continue
		}
		e164, err := phone.Parse(*n.val, c.Region)
		if err != nil {
			r.Bad(n.key, "%v", err)
			continue
		}
		*n.val = e164
	}
}

// loadBotOptions reads the escalation timings, check-in and reminder times and WhatsApp templates.
func loadBotOptions(r *settings.Reader) bot.Options {
	o := bot.Options{
		OfferTimeout:   duration(r, "OFFER_TIMEOUT", "3m", time.Minute/2),
		EscalateAfter:  duration(r, "ESCALATE_TIMEOUT", "10m", time.Minute),
		GiveUpAfter:    duration(r, "GIVE_UP_TIMEOUT", "20m", time.Minute),
		ReminderBefore: duration(r, "REMINDER_BEFORE", "1h", time.Minute),
		ConfirmBy:      duration(r, "CONFIRM_BY", "30m", time.Minute),
		BlockFor:       duration(r, "BLOCK_FOR", "168h", time.Hour),
		ChatIdle:       duration(r, "CHAT_IDLE", "2h", 10*time.Minute),
		Retention:      duration(r, "RETENTION", "168h", 24*time.Hour),
	}
	o.RateLimit = count(r, "RATE_LIMIT", "20", 2, 1_000_000, "texts a minute from one person before the rest are dropped")
	w := r.Wellbeing()
	o.NightChats, o.RestAfterChat, o.DayChatTime, o.WeekChatTime = w.NightChats, w.Rest, w.Day, w.Week
	repeat := r.Get("REPEAT_CONTACT", "5/48h")
	n, within, ok := strings.Cut(repeat, "/")
	d, err := time.ParseDuration(within)
	if c, cerr := strconv.Atoi(n); !ok || err != nil || cerr != nil || c < 2 || d < time.Hour {
		r.Bad("REPEAT_CONTACT", "%q: requests from one number within a time that the coordinator hears of, such as 5/48h", repeat)
	} else {
		o.RepeatContacts, o.RepeatWithin = c, d
	}
	if o.OfferTimeout > 0 && o.EscalateAfter > 0 && o.GiveUpAfter > 0 &&
		(o.OfferTimeout >= o.EscalateAfter || o.EscalateAfter >= o.GiveUpAfter) {
		r.Bad("OFFER_TIMEOUT", "%s, ESCALATE_TIMEOUT %s and GIVE_UP_TIMEOUT %s must increase in that order "+
			"(each step comes after the one before)", o.OfferTimeout, o.EscalateAfter, o.GiveUpAfter)
	}
	first := r.Get("FIRST_OFFERS", "2")
	if n, err := strconv.Atoi(first); err != nil || n < 1 || n > 1000 {
		r.Bad("FIRST_OFFERS", "%q: how many volunteers get a request first, 1 to 1000", first)
	} else {
		o.FirstOffers = n
	}
	if o.ConfirmBy > 0 && o.ReminderBefore > 0 && o.ConfirmBy >= o.ReminderBefore {
		r.Bad("CONFIRM_BY", "%s must be less than REMINDER_BEFORE %s: the reminder asks for the OK before then",
			o.ConfirmBy, o.ReminderBefore)
	}
	o.CheckinAt = clock(r, "CHECKIN_AT", "10:00", "the check-in's local time, such as 10:00")
	o.GapCheckAt = clock(r, "GAP_CHECK_AT", "12:00", "the local time of the daily gap alert, such as 12:00")
	o.WhatsAppTemplates = map[string]string{}
	for _, pair := range strings.FieldsFunc(r.Get("WHATSAPP_TEMPLATES", ""), func(c rune) bool { return c == ',' || c == ' ' }) {
		name, sid, ok := strings.Cut(pair, "=")
		if !ok || !strings.HasPrefix(sid, "HX") || !templates.Known(name) {
			r.Bad("WHATSAPP_TEMPLATES", "%q: write template=ContentSid pairs, such as person_checkin=HX0123..., "+
				"with a template name from templates/templates", pair)
			continue
		}
		o.WhatsAppTemplates[name] = sid
	}
	return o
}

// clock reads a local time of day setting (such as 10:00) as the time after midnight; what says what it
// is, for the message.
func clock(r *settings.Reader, name, def, what string) time.Duration {
	at := r.Get(name, def)
	c, err := rota.ParseClock(at)
	if err != nil || c >= 24*60 {
		r.Bad(name, "%q: %s", at, what)
		return 0
	}
	return time.Duration(c) * time.Minute
}

// count reads a whole-number setting from least to most; what says what it counts, for the message.
func count(r *settings.Reader, name, def string, least, most int, what string) int {
	v := r.Get(name, def)
	n, err := strconv.Atoi(v)
	if err != nil || n < least || n > most {
		r.Bad(name, "%q: %s, %d to %d", v, what, least, most)
		return 0
	}
	return n
}

// duration reads a duration setting of at least least.
func duration(r *settings.Reader, name, def string, least time.Duration) time.Duration {
	v := r.Get(name, def)
	d, err := time.ParseDuration(v)
	if err != nil || d < least {
		r.Bad(name, "%q: use a duration of %s or more, such as %s", v, least, def)
		return 0
	}
	return d
}
