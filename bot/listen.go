package bot

import (
	"context"
	"strconv"
	"strings"
	"time"

	"peerline/feedback"
	"peerline/phone"
	"peerline/templates"
)

// The line listens as well as answers: the morning check-in asks how a person is (1 better, 2 about the
// same, 3 struggling, or words), and after a chat ends the person is asked once whether talking helped
// (a score from 1 to 5 and anything they would change). Answers are kept by package feedback, never
// with the number. Only a reply within the window after the ask counts; any other text is handled as
// every text is.

// checkinWindow is how long after the check-in a bare 1, 2 or 3 is taken as its answer.
const checkinWindow = 12 * time.Hour

// feedbackWindow is how long after the feedback ask a score is taken as its answer.
const feedbackWindow = 24 * time.Hour

// asked is an ask the line sent a person and may hear an answer to: "code unix-ms" in their state
// (fields checkinask and fbask).
type asked struct {
	Code string
	At   time.Time
}

func decodeAsked(s string) asked {
	code, ms, _ := strings.Cut(s, " ")
	return asked{Code: code, At: millis(ms)}
}

func (a asked) encode() string { return a.Code + " " + strconv.FormatInt(a.At.UnixMilli(), 10) }

// open reports whether a is answered by a reply at now, within window.
func (a asked) open(now time.Time, window time.Duration) bool {
	return a.Code != "" && !a.At.IsZero() && now.Sub(a.At) < window
}

// listening returns which ask a text from a person with no request or chat answers: "checkin",
// "feedback", or "" for none. When both are open, the later ask is the one answered.
func listening(p party, now time.Time) string {
	ck, fb := p.CheckinAsk.open(now, checkinWindow), p.FeedbackAsk.open(now, feedbackWindow)
	switch {
	case ck && (!fb || !p.CheckinAsk.At.Before(p.FeedbackAsk.At)):
		return feedback.KindCheckin
	case fb:
		return feedback.KindFeedback
	}
	return ""
}

// answer handles a text that may answer the check-in or the feedback ask (see listening). What is not
// an answer goes on as any text does (afterChat).
func (bt *Bot) answer(ctx context.Context, t *turn) error {
	if listening(t.party, t.now) == feedback.KindCheckin {
		return bt.checkinAnswer(ctx, t)
	}
	score, words, ok := feedback.ParseFeedback(t.in.Body)
	if !ok || t.risky || t.in.Media > 0 { // risk words go the safety path, as any text
		return bt.afterChat(ctx, t)
	}
	k, a := bt.keys.party(t.in.From), t.party.FeedbackAsk
	t.b.Field(k, "fbask", a.encode())
	t.b.Do("HDEL", k, "fbask")
	bt.fb.Record(t.b, feedback.Entry{Kind: feedback.KindFeedback, Code: a.Code, Score: score, Words: words,
		Day: t.now.In(t.rota.Location()).Format("2006-01")})
	t.action, t.fields["request"] = "feedback kept", a.Code
	return bt.reply(t, templates.PersonFeedbackThanks{})
}

// checkinAnswer handles a reply to the check-in: 1 or 2 is thanked and kept; 3, or words, is kept and
// opens a request as any text does, with a note for the volunteer that it answers the check-in.
func (bt *Bot) checkinAnswer(ctx context.Context, t *turn) error {
	k, a := bt.keys.party(t.in.From), t.party.CheckinAsk
	t.b.Field(k, "checkinask", a.encode())
	t.b.Do("HDEL", k, "checkinask")
	e := feedback.Entry{Kind: feedback.KindCheckin, Code: a.Code, Day: t.now.In(t.rota.Location()).Format("2006-01-02")}
	answer, ok := feedback.ParseCheckin(t.in.Body)
	if ok && answer != feedback.Struggling && !t.risky {
		e.Answer = answer
		bt.fb.Record(t.b, e)
		t.action, t.fields["checkin"] = "check-in answered", answer
		return bt.reply(t, templates.PersonCheckinThanks{Better: answer == feedback.Better})
	}
	if !ok {
		answer = feedback.Wrote
	}
	t.checkin, e.Answer = answer, answer
	if err := bt.newRequest(ctx, t); err != nil {
		return err
	}
	e.New, _ = t.fields["request"].(string)
	bt.fb.Record(t.b, e)
	t.fields["checkin"] = answer
	t.action += " (a reply to the check-in)"
	return nil
}

// afterChat handles a person's text when they have no request or chat: soon after one ended, a text
// that only says thanks is answered kindly; anything else opens a request.
func (bt *Bot) afterChat(ctx context.Context, t *turn) error {
	p := t.party
	if !t.risky && !p.Ended.IsZero() && t.now.Sub(p.Ended) < thanksWindow && isThanks(t.in.Body) {
		t.action = "person said thanks after their chat or signpost: no new request"
		return bt.reply(t, templates.PersonWelcome{})
	}
	return bt.newRequest(ctx, t)
}

// checkinWords adds the check-in note to what a person wrote when their text answers the check-in: a
// bare 3 becomes the note alone.
func (bt *Bot) checkinWords(t *turn, words string) (string, error) {
	if t.checkin == "" {
		return words, nil
	}
	m := templates.CheckinNote{Struggling: t.checkin == feedback.Struggling}
	note, err := bt.tmpl.Render(m)
	if err != nil {
		return "", err
	}
	if m.Struggling && t.in.Media == 0 {
		return note, nil
	}
	return words + " " + note, nil
}

// askFeedback asks the person of chat code, in its own text, whether talking helped, unless they used
// risk words in it or within riskMemory (riskAt, riskCode: their state's riskat and riskcode).
func (bt *Bot) askFeedback(t *turn, code, person string, ch phone.Channel, riskAt, riskCode string) error {
	if riskCode == code || riskedLately(party{RiskAt: millis(riskAt)}, t.now) {
		t.action += "; no feedback ask (risk words)"
		return nil
	}
	k := bt.keys.party(person)
	t.b.Do("HSET", k, "fbask", asked{Code: code, At: t.now}.encode())
	return bt.send(t, person, ch, templates.PersonFeedbackAsk{})
}

// personRisk reads whether the person with number used risk words, and in which request they were
// heard: their state's riskat and riskcode.
func (bt *Bot) personRisk(ctx context.Context, number string) (riskAt, riskCode string, err error) {
	v, err := bt.rdb.HMGet(ctx, bt.keys.party(number), "riskat", "riskcode").Result()
	if err != nil {
		return "", "", err
	}
	riskAt, _ = v[0].(string)
	riskCode, _ = v[1].(string)
	return riskAt, riskCode, nil
}

// debrief keeps a volunteer's answer to "how are you?" after their last chat, once per chat.
func (bt *Bot) debrief(t *turn, answer string) {
	p := t.party
	if p.LastConv == "" || p.Debriefed == p.LastConv {
		return
	}
	t.b.Do("HSET", bt.keys.party(t.in.From), "debriefed", p.LastConv)
	bt.fb.Record(t.b, feedback.Entry{Kind: feedback.KindDebrief, Code: p.LastConv, Answer: answer,
		Day: t.now.In(t.rota.Location()).Format("2006-01-02")})
}
