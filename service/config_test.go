package service

import (
	"os"
	"strings"
	"testing"
	"time"

	"peerline/settings"
)

func TestLoadConfig(t *testing.T) {
	twilio := map[string]string{
		"TWILIO_ACCOUNT_SID": "AC123", "TWILIO_AUTH_TOKEN": "abc123", "TWILIO_FROM_NUMBER": "07700 900999",
		"PUBLIC_URL": "https://line.example.org/",
	}
	tests := []struct {
		name    string
		env     map[string]string
		wantErr []string // every one must be reported, together
		check   func(t *testing.T, c config)
	}{
		{name: "empty environment is local trial mode", env: map[string]string{}, check: func(t *testing.T, c config) {
			if !c.LocalMode || c.AuthToken != localToken || c.Addr != ":8080" || c.PublicURL != "http://localhost:8080" {
				t.Fatalf("got %+v", c)
			}
		}},
		{name: "twilio settings are normalised", env: twilio, check: func(t *testing.T, c config) {
			if c.LocalMode || c.From != "+447700900999" || c.PublicURL != "https://line.example.org" {
				t.Fatalf("got %+v", c)
			}
		}},
		{name: "every bad setting is reported at once", env: map[string]string{
			"TWILIO_ACCOUNT_SID": "XX1", "PUBLIC_URL": "line.example.org", "LINE_TIMEZONE": "Mars/Olympus",
			"LOG_FORMAT": "xml", "LINE_ID": "Main Line", "PORT": "abc", "DEFAULT_REGION": "XX", "GIVE_UP_TIMEOUT": "soon",
		}, wantErr: []string{"TWILIO_ACCOUNT_SID", "TWILIO_AUTH_TOKEN", "TWILIO_FROM_NUMBER", "PUBLIC_URL",
			"LINE_TIMEZONE", "LOG_FORMAT", "LINE_ID", "PORT", "DEFAULT_REGION", "GIVE_UP_TIMEOUT"}},
		{name: "escalation defaults", env: map[string]string{}, check: func(t *testing.T, c config) {
			o := c.Bot
			if o.OfferTimeout != 3*time.Minute || o.EscalateAfter != 10*time.Minute || o.GiveUpAfter != 20*time.Minute ||
				o.FirstOffers != 2 || o.CheckinAt != 10*time.Hour || o.ReminderBefore != time.Hour || len(o.WhatsAppTemplates) != 0 ||
				o.ConfirmBy != 30*time.Minute || o.GapCheckAt != 12*time.Hour {
				t.Fatalf("got %+v", o)
			}
		}},
		{name: "escalation settings are read", env: map[string]string{"OFFER_TIMEOUT": "2m", "ESCALATE_TIMEOUT": "5m",
			"GIVE_UP_TIMEOUT": "15m", "FIRST_OFFERS": "3", "CHECKIN_AT": "09:30", "REMINDER_BEFORE": "30m",
			"CONFIRM_BY": "15m", "GAP_CHECK_AT": "18:30",
			"WHATSAPP_TEMPLATES": "person_checkin=HX11, person_late_offer=HX22"}, check: func(t *testing.T, c config) {
			o := c.Bot
			if o.OfferTimeout != 2*time.Minute || o.EscalateAfter != 5*time.Minute || o.GiveUpAfter != 15*time.Minute ||
				o.FirstOffers != 3 || o.CheckinAt != 9*time.Hour+30*time.Minute || o.ReminderBefore != 30*time.Minute ||
				o.ConfirmBy != 15*time.Minute || o.GapCheckAt != 18*time.Hour+30*time.Minute ||
				o.WhatsAppTemplates["person_checkin"] != "HX11" || o.WhatsAppTemplates["person_late_offer"] != "HX22" {
				t.Fatalf("got %+v", o)
			}
		}},
		{name: "bad escalation settings are all reported", env: map[string]string{"OFFER_TIMEOUT": "12m",
			"FIRST_OFFERS": "none", "CHECKIN_AT": "10am", "REMINDER_BEFORE": "-1h", "WHATSAPP_TEMPLATES": "checkin=HX1,person_checkin=abc",
			"GAP_CHECK_AT": "noon", "CONFIRM_BY": "30s"},
			wantErr: []string{"OFFER_TIMEOUT", "must increase in that order", "FIRST_OFFERS", "CHECKIN_AT", "REMINDER_BEFORE", "GAP_CHECK_AT",
				"CONFIRM_BY",
				`"checkin=HX1"`, `"person_checkin=abc"`}},
		{name: "wellbeing limits", env: map[string]string{"NIGHT_CHATS": "4", "REST_AFTER_CHAT": "15m", "DAY_CHAT_HOURS": "5",
			"WEEK_CHAT_HOURS": "20"}, check: func(t *testing.T, c config) {
			o := c.Bot
			if o.NightChats != 4 || o.RestAfterChat != 15*time.Minute || o.DayChatTime != 5*time.Hour || o.WeekChatTime != 20*time.Hour {
				t.Fatalf("got %+v", o)
			}
		}},
		{name: "no rest", env: map[string]string{"REST_AFTER_CHAT": "0"}, check: func(t *testing.T, c config) {
			if c.Bot.RestAfterChat >= 0 || c.Bot.NightChats != 3 || c.Bot.WeekChatTime != 16*time.Hour {
				t.Fatalf("got %+v", c.Bot)
			}
		}},
		{name: "bad wellbeing limits", env: map[string]string{"NIGHT_CHATS": "0", "REST_AFTER_CHAT": "soon", "DAY_CHAT_HOURS": "25",
			"WEEK_CHAT_HOURS": "-1"}, wantErr: []string{"NIGHT_CHATS", "REST_AFTER_CHAT", "DAY_CHAT_HOURS", "WEEK_CHAT_HOURS"}},
		{name: "the shift's OK is asked for before it is due", env: map[string]string{"REMINDER_BEFORE": "30m", "CONFIRM_BY": "45m"},
			wantErr: []string{"CONFIRM_BY", "less than REMINDER_BEFORE"}},
		{name: "safety and privacy settings are read", env: map[string]string{"RATE_LIMIT": "30", "BLOCK_FOR": "72h",
			"REPEAT_CONTACT": "4/24h", "CHAT_IDLE": "90m", "RETENTION": "48h", "HISTORY_DAYS": "90",
			"LOG_HASH_SECRET": "a-long-random-secret", "RISK_WORDS": "/etc/peerline/risk.txt"}, check: func(t *testing.T, c config) {
			o := c.Bot
			if o.RateLimit != 30 || o.BlockFor != 72*time.Hour || o.RepeatContacts != 4 || o.RepeatWithin != 24*time.Hour ||
				o.ChatIdle != 90*time.Minute || o.Retention != 48*time.Hour || c.HistoryFor != 90*24*time.Hour ||
				string(o.LogKey) != "a-long-random-secret" || c.RiskWords != "/etc/peerline/risk.txt" {
				t.Fatalf("got %+v", c)
			}
		}},
		{name: "bad safety and privacy settings are all reported", env: map[string]string{"RATE_LIMIT": "1",
			"BLOCK_FOR": "forever", "REPEAT_CONTACT": "5", "CHAT_IDLE": "1m", "RETENTION": "1h", "HISTORY_DAYS": "0",
			"LOG_HASH_SECRET": "short"},
			wantErr: []string{"RATE_LIMIT", "BLOCK_FOR", "REPEAT_CONTACT", "CHAT_IDLE", "RETENTION", "HISTORY_DAYS", "LOG_HASH_SECRET"}},
		{name: "outbox defaults", env: map[string]string{}, check: func(t *testing.T, c config) {
			host, _ := os.Hostname()
			if want := (outboxConfig{InFlight: 32, Rate: 10, Instance: host}); c.Outbox != want || host == "" {
				t.Fatalf("got %+v, want %+v", c.Outbox, want)
			}
		}},
		{name: "outbox settings are read", env: map[string]string{"OUTBOX_IN_FLIGHT": "8", "OUTBOX_RATE": "2.5",
			"INSTANCE_ID": "peerline-2"}, check: func(t *testing.T, c config) {
			if want := (outboxConfig{InFlight: 8, Rate: 2.5, Instance: "peerline-2"}); c.Outbox != want {
				t.Fatalf("got %+v, want %+v", c.Outbox, want)
			}
		}},
		{name: "bad outbox settings are all reported", env: map[string]string{"OUTBOX_IN_FLIGHT": "500", "OUTBOX_RATE": "fast",
			"INSTANCE_ID": "my instance"}, wantErr: []string{"OUTBOX_IN_FLIGHT", "OUTBOX_RATE", "INSTANCE_ID"}},
		{name: "a rate of zero is refused", env: map[string]string{"OUTBOX_RATE": "0"}, wantErr: []string{"OUTBOX_RATE"}},
		{name: "bad from number is refused", env: map[string]string{
			"TWILIO_ACCOUNT_SID": "AC1", "TWILIO_AUTH_TOKEN": "abc", "TWILIO_FROM_NUMBER": "call us",
		}, wantErr: []string{"TWILIO_FROM_NUMBER"}},
		{name: "a metrics token is read", env: map[string]string{"METRICS_TOKEN": "0123456789abcdef"},
			check: func(t *testing.T, c config) {
				if c.MetricsToken != "0123456789abcdef" {
					t.Fatalf("METRICS_TOKEN read as %q", c.MetricsToken)
				}
			}},
		{name: "a short metrics token is refused", env: map[string]string{"METRICS_TOKEN": "secret"},
			wantErr: []string{"METRICS_TOKEN"}},
		{name: "token with symbols is refused", env: map[string]string{"TWILIO_AUTH_TOKEN": "a-b"},
			wantErr: []string{"TWILIO_AUTH_TOKEN"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r, err := settings.New(func(k string) string { return tc.env[k] }, "")
			if err != nil {
				t.Fatal(err)
			}
			c, err := loadConfig(r)
			if len(tc.wantErr) == 0 {
				if err != nil {
					t.Fatal(err)
				}
				tc.check(t, c)
				return
			}
			if err == nil {
				t.Fatalf("no error, want one naming %v", tc.wantErr)
			}
			for _, k := range tc.wantErr {
				if !strings.Contains(err.Error(), k) {
					t.Errorf("error does not name %s:\n%v", k, err)
				}
			}
		})
	}
}
