package bot

import (
	"context"
	"encoding/json"
	"fmt"
	"reflect"
	"time"

	"peerline/due"
	"peerline/outbox"
	"peerline/phone"
	"peerline/templates"
)

// checkin asks a person how they are, the morning after: not if they opted out, nor if they are back
// talking or waiting already.
func (bt *Bot) checkin(ctx context.Context, t *turn, it due.Item) error {
	person, ch := it.Fields["person"], phone.Channel(it.Fields["channel"])
	t.fields["request"] = it.Fields["code"]
	h, err := bt.rdb.HGetAll(ctx, bt.keys.party(person)).Result()
	if err != nil {
		return fmt.Errorf("read party: %w", err)
	}
	p := decodeParty(h)
	k := bt.keys.party(person)
	t.b.Field(k, "optout", h["optout"])
	t.b.Field(k, "req", p.Req)
	switch {
	case p.OptedOut:
		t.action = "check-in skipped: the person opted out"
		return nil
	case p.Req != "":
		t.action = "check-in skipped: the person is back in touch"
		return nil
	}
	t.action = "check-in sent"
	t.b.Do("HSET", k, "checkinask", asked{Code: it.Fields["code"], At: t.now}.encode())
	t.b.Do("EXPIRE", k, int(bt.opt.Retention/time.Second))
	_, events, err := bt.daytime(ctx, t.rota, t.now)
	if err != nil {
		return err
	}
	m := bt.fitting(templates.PersonCheckin{Events: events}, func(m templates.Message) (templates.Message, bool) {
		c := m.(templates.PersonCheckin)
		if len(c.Events) == 0 {
			return m, false
		}
		c.Events = c.Events[:len(c.Events)-1]
		return c, true
	})
	return bt.sendToPerson(t, person, ch, p, m)
}

// whatsAppWindow is how long after a person's last WhatsApp message a free-form message may be sent.
const whatsAppWindow = 24 * time.Hour

// sendToPerson queues m to a person outside a live exchange (such as a check-in). On WhatsApp, more
// than 24 hours after their last message, it uses the approved template configured for m's kind; with
// none, it says so in the log and sends by SMS if the person has used SMS, or not at all.
func (bt *Bot) sendToPerson(t *turn, number string, ch phone.Channel, p party, m templates.Message) error {
	if ch != phone.WhatsApp || t.now.Sub(p.LastWA) <= whatsAppWindow {
		return bt.send(t, number, ch, m)
	}
	if sid := bt.opt.WhatsAppTemplates[m.Template()]; sid != "" {
		body, err := bt.tmpl.Render(m)
		if err != nil {
			return fmt.Errorf("render %s: %w", m.Template(), err)
		}
		vars, err := contentVariables(m)
		if err != nil {
			return err
		}
		bt.out.Queue(t.b, outbox.Message{To: number, Channel: ch, Body: body, Kind: m.Template(),
			ContentSID: sid, ContentVariables: vars})
		t.action += " (WhatsApp template)"
		return nil
	}
	log := bt.log.WithFields(t.fields).WithField("kind", m.Template())
	if p.UsedSMS {
		log.Warn("no approved WhatsApp template for this message and the 24-hour window has closed: sent by SMS")
		return bt.send(t, number, phone.SMS, m)
	}
	log.Warn("no approved WhatsApp template for this message and the 24-hour window has closed: not sent (the person never used SMS)")
	t.action += " (not sent: no WhatsApp template)"
	return nil
}

// contentVariables gives a WhatsApp template its variables: the message's fields in order, as
// {"1": ..., "2": ...}. Lists (such as the check-in's events) are left out: an approved template's text
// is fixed, and a list is no single variable.
func contentVariables(m templates.Message) (string, error) {
	vars := map[string]string{}
	v := reflect.Indirect(reflect.ValueOf(m))
	for i := range v.NumField() {
		if v.Field(i).Kind() == reflect.Slice {
			continue
		}
		vars[fmt.Sprint(i+1)] = fmt.Sprint(v.Field(i).Interface())
	}
	raw, err := json.Marshal(vars)
	if err != nil {
		return "", fmt.Errorf("content variables of %s: %w", m.Template(), err)
	}
	return string(raw), nil
}
