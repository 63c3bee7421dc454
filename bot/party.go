package bot

import (
	"strconv"
	"time"

	"peerline/phone"
)

// keys builds the bot's Redis keys, all under the line's hash tag.
type keys struct{ prefix string }

// seen marks a MessageSid as handled.
func (k keys) seen(sid string) string { return k.prefix + "seen:" + sid }

// party is a hash per phone number: what that person or volunteer is doing now.
func (k keys) party(number string) string { return k.prefix + "party:" + number }

// rate counts the texts from number in the minute of t (a string counter, kept two minutes).
func (k keys) rate(number string, t time.Time) string {
	return k.prefix + "rate:" + number + ":" + strconv.FormatInt(t.Unix()/60, 10)
}

// blocks is a sorted set of the numbers a volunteer blocked, scored by when the block ends (unix ms).
func (k keys) blocks() string { return k.prefix + "blocks" }

// blockInfo is a hash: blocked number -> "code volunteer-id since-ms", what the coordinators see.
func (k keys) blockInfo() string { return k.prefix + "blocks:info" }

// contacts is a sorted set per number of the requests it opened, scored by when (unix ms), kept for
// the repeat-contact window.
func (k keys) contacts(number string) string { return k.prefix + "contacts:" + number }

// party is the live state of one number.
type party struct {
	Channel  phone.Channel // the channel they last wrote on
	Req      string        // a person: the code of their current request
	Conv     string        // a volunteer: the code of the chat they are in
	Peer     string        // the other side's number, while in a chat
	PeerCh   phone.Channel // the other side's channel
	PeerName string        // a person: their volunteer's display name
	PeerID   string        // a person: their volunteer's id
	Opened   time.Time     // a person: when their current request was opened; zero if not recorded
	Joined   time.Time     // both sides: when their chat began; zero if not recorded
	OptedOut bool          // a person who texted STOP (and nothing since): no check-in for them
	LastWA   time.Time     // when they last wrote on WhatsApp; zero if never (recorded)
	UsedSMS  bool          // they have written by SMS, so SMS can reach them
	LastConv string        // a volunteer: the code of the chat they were in last, for TALK
	Noted    string        // a person: the request whose later texts they were told are kept (told once)
	Late     string        // a person: the request they were signposted on, which a volunteer may still take
	LateChat bool          // both sides: a chat begun by a late accept, in which the person has not written yet
	Taken    string        // a volunteer: "code unix-ms" of the last request they were told was taken
	Ended    time.Time     // a person: when their last chat ended or they were signposted; zero if never
	// BlockNote is the local day a blocked person was last given the neutral answer, such as 2026-12-24.
	BlockNote string
	SafetyAt  time.Time // a person: when they were last sent the safety text (risk words)
	RiskAt    time.Time // a person: when they last used risk words (the time only, never the words)
	RiskCode  string    // a person: the request whose volunteer and coordinators heard of their risk words
	ClosedDay string    // a person: the local day they were last told the line is closed
	Confirm   string    // a volunteer: "shift date" of the shift their last reminder asked them to confirm
	Confirmed string    // a volunteer: "shift date" of the last shift they confirmed (OK)
	// CheckinAsk and FeedbackAsk are a person's last check-in and feedback ask (see listen.go).
	CheckinAsk, FeedbackAsk asked
	Debriefed               string // a volunteer: the chat whose debrief answer was kept
}

func decodeParty(h map[string]string) party {
	return party{
		Channel: phone.Channel(h["ch"]), Req: h["req"], Conv: h["conv"], Peer: h["peer"],
		PeerCh: phone.Channel(h["peerch"]), PeerName: h["peername"], PeerID: h["peerid"],
		Opened: millis(h["opened"]), Joined: millis(h["joined"]), OptedOut: h["optout"] != "",
		LastWA: millis(h["wa"]), UsedSMS: h["sms"] != "", LastConv: h["lastconv"],
		Noted: h["noted"], Late: h["late"], LateChat: h["latechat"] != "", Taken: h["taken"], Ended: millis(h["ended"]),
		BlockNote: h["blocknote"], SafetyAt: millis(h["safetyat"]), RiskAt: millis(h["riskat"]), RiskCode: h["riskcode"], ClosedDay: h["closedday"],
		Confirm: h["confirm"], Confirmed: h["confirmed"],
		CheckinAsk: decodeAsked(h["checkinask"]), FeedbackAsk: decodeAsked(h["fbask"]), Debriefed: h["debriefed"],
	}
}

// millis reads a time stored as unix milliseconds; missing or unreadable is the zero time.
func millis(s string) time.Time {
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil || n == 0 {
		return time.Time{}
	}
	return time.UnixMilli(n)
}

// touch records the sender's channel (and, for WhatsApp, when: a free-form WhatsApp message may follow
// only within 24 hours) and keeps their state for another retention period.
func (bt *Bot) touch(t *turn, number string) {
	k := bt.keys.party(number)
	if t.in.Channel == phone.WhatsApp {
		t.b.Do("HSET", k, "ch", string(t.in.Channel), "wa", t.now.UnixMilli())
	} else {
		t.b.Do("HSET", k, "ch", string(t.in.Channel), "sms", 1)
	}
	t.b.Do("EXPIRE", k, int(bt.opt.Retention/time.Second))
}

// joinChat records that the person and the volunteer are talking about code.
func (bt *Bot) joinChat(t *turn, code, person string, personCh phone.Channel, volPhone string, volCh phone.Channel, name, id string) {
	vk, pk := bt.keys.party(volPhone), bt.keys.party(person)
	joined := t.now.UnixMilli()
	t.b.Do("HSET", vk, "conv", code, "peer", person, "peerch", string(personCh), "joined", joined)
	t.b.Do("EXPIRE", vk, int(bt.opt.Retention/time.Second))
	t.b.Do("HSET", pk, "req", code, "peer", volPhone, "peerch", string(volCh), "peername", name, "peerid", id,
		"joined", joined)
	t.b.Do("EXPIRE", pk, int(bt.opt.Retention/time.Second))
}

// leaveChat clears chat code from both sides' state; the volunteer keeps its code for TALK.
func (bt *Bot) leaveChat(t *turn, code, person, volPhone string) {
	t.b.Do("HDEL", bt.keys.party(volPhone), "conv", "peer", "peerch", "joined", "latechat")
	t.b.Do("HSET", bt.keys.party(volPhone), "lastconv", code)
	t.b.Do("HDEL", bt.keys.party(person), "req", "peer", "peerch", "peername", "peerid", "opened", "joined",
		"latechat")
	t.b.Do("HSET", bt.keys.party(person), "ended", t.now.UnixMilli())
}
