package bot

import (
	"crypto/rand"
	"time"

	"peerline/commit"
)

// Options tune the bot; zero values take the defaults.
type Options struct {
	OfferValidity  time.Duration // an offer not delivered by then is dropped (default 10 minutes)
	FirstOffers    int           // how many volunteers a request is offered to first (default 2)
	OfferTimeout   time.Duration // then, with nobody accepting, it goes to everyone on shift (default 3 minutes)
	EscalateAfter  time.Duration // then the on-call coordinator is paged (default 10 minutes)
	GiveUpAfter    time.Duration // then the person gets the fallback signpost (default 20 minutes)
	LateAccept     time.Duration // a volunteer may still take a request this long after the give-up (default 1 hour)
	CheckinAt      time.Duration // the check-in's time of day, after local midnight (default 10:00)
	ReminderBefore time.Duration // how long before a shift its volunteer is reminded (default 1 hour)
	// ConfirmBy is how long before a shift its volunteer must have confirmed it (OK to the reminder);
	// then others are asked to stand by (default 30 minutes).
	ConfirmBy time.Duration
	// GapCheckAt is the local time of day of the daily gap alert, after midnight (default 12:00).
	GapCheckAt time.Duration
	// A volunteer's wellbeing limits, unless the rota sets their own: the most chats in one night (noon
	// to noon; default 3), the rest after each chat before new offers (default 10 minutes; negative:
	// none), and the most time in chats in 24 hours (default 4 hours) and in 7 days (default 16 hours).
	NightChats                int
	RestAfterChat             time.Duration
	DayChatTime, WeekChatTime time.Duration
	Lease                     time.Duration // how long a worker holds a due item before another may take it (default 1 minute)
	Retention                 time.Duration // how long a quiet party's state is kept (default 7 days)
	RateLimit                 int           // texts a minute one number may send before the rest are dropped (default 20)
	BlockFor                  time.Duration // how long a person a volunteer blocked is kept from volunteers (default 7 days)
	RepeatContacts            int           // requests from one number within RepeatWithin that the coordinator hears of (default 5)
	RepeatWithin              time.Duration // (default 48 hours)
	ChatIdle                  time.Duration // a chat with no text for this long closes itself (default 2 hours)
	HistoryFor                time.Duration // how long check-in, feedback and debrief answers are kept (default 400 days)
	// LogKey keys the hash of a number that log lines carry ("who"), so one person's events can be
	// followed without the number. Empty: a random key for this process only.
	LogKey []byte
	// WhatsAppTemplates maps a template name (such as person_checkin) to the ContentSid of the approved
	// WhatsApp template to send instead, when the person's last WhatsApp message is over 24 hours old.
	WhatsAppTemplates map[string]string
	// Durability is what every commit waits for before the bot reports a message handled (see
	// commit.Durability); the zero value waits for nothing.
	Durability commit.Durability
}

func (o *Options) defaults() {
	set := func(d *time.Duration, def time.Duration) {
		if *d <= 0 {
			*d = def
		}
	}
	set(&o.OfferValidity, 10*time.Minute)
	set(&o.OfferTimeout, 3*time.Minute)
	set(&o.EscalateAfter, 10*time.Minute)
	set(&o.GiveUpAfter, 20*time.Minute)
	set(&o.LateAccept, time.Hour)
	set(&o.CheckinAt, 10*time.Hour)
	set(&o.ReminderBefore, time.Hour)
	set(&o.ConfirmBy, 30*time.Minute)
	set(&o.GapCheckAt, 12*time.Hour)
	if o.RestAfterChat == 0 {
		o.RestAfterChat = 10 * time.Minute
	}
	set(&o.DayChatTime, 4*time.Hour)
	set(&o.WeekChatTime, 16*time.Hour)
	if o.NightChats <= 0 {
		o.NightChats = 3
	}
	set(&o.Lease, time.Minute)
	set(&o.Retention, 7*24*time.Hour)
	set(&o.BlockFor, 7*24*time.Hour)
	set(&o.RepeatWithin, 48*time.Hour)
	set(&o.ChatIdle, 2*time.Hour)
	set(&o.HistoryFor, 400*24*time.Hour)
	if o.FirstOffers <= 0 {
		o.FirstOffers = 2
	}
	if len(o.LogKey) == 0 {
		o.LogKey = make([]byte, 32)
		_, _ = rand.Read(o.LogKey)
	}
	if o.RateLimit <= 0 {
		o.RateLimit = 20
	}
	if o.RepeatContacts <= 0 {
		o.RepeatContacts = 5
	}
}
