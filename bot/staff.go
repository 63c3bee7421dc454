package bot

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"peerline/outbox"
	"peerline/phone"
	"peerline/rota"
	"peerline/templates"
)

// Volunteers and coordinators are texted on the channel their rota entry prefers. WhatsApp lets a
// business write freely only within 24 hours of the person's last message to it; after that the line
// sends the approved template for the text (WHATSAPP_TEMPLATES) or, with none, an SMS, which reaches
// every volunteer's mobile.

// staffWA is a hash of volunteer number -> when they last wrote on WhatsApp (unix ms).
func (k keys) staffWA() string { return k.prefix + "staffwa" }

// windows reads when each volunteer last wrote on WhatsApp.
func (bt *Bot) windows(ctx context.Context) (map[string]time.Time, error) {
	h, err := bt.rdb.HGetAll(ctx, bt.keys.staffWA()).Result()
	if err != nil {
		return nil, fmt.Errorf("read volunteers' WhatsApp windows: %w", err)
	}
	return decodeWindows(h), nil
}

func decodeWindows(h map[string]string) map[string]time.Time {
	out := make(map[string]time.Time, len(h))
	for number, ms := range h {
		if n, err := strconv.ParseInt(ms, 10, 64); err == nil {
			out[number] = time.UnixMilli(n)
		}
	}
	return out
}

// tell queues m to volunteer v on the channel they prefer (see toStaff).
func (bt *Bot) tell(t *turn, v rota.Volunteer, m templates.Message) error {
	return bt.toStaff(t, v, m, 0, "")
}

// toStaff queues m to volunteer v, dropped if not sent within valid (0: no limit), with ref for its
// status callbacks: by SMS, or on WhatsApp for a volunteer who prefers it, within 24 hours of their
// last WhatsApp message; after that by the approved template, or by SMS when there is none.
func (bt *Bot) toStaff(t *turn, v rota.Volunteer, m templates.Message, valid time.Duration, ref string) error {
	if v.Reach() != rota.WhatsApp {
		return bt.queue(t, v.Phone, phone.SMS, m, valid, ref)
	}
	if last, ok := t.staffWA[v.Phone]; ok && t.now.Sub(last) <= whatsAppWindow {
		return bt.queue(t, v.Phone, phone.WhatsApp, m, valid, ref)
	}
	sid := bt.opt.WhatsAppTemplates[m.Template()]
	if sid == "" {
		return bt.queue(t, v.Phone, phone.SMS, m, valid, ref)
	}
	body, err := bt.tmpl.Render(m)
	if err != nil {
		return fmt.Errorf("render %s: %w", m.Template(), err)
	}
	vars, err := contentVariables(m)
	if err != nil {
		return err
	}
	bt.out.Queue(t.b, outbox.Message{To: v.Phone, Channel: phone.WhatsApp, Body: body, Kind: m.Template(),
		ContentSID: sid, ContentVariables: vars, ValidFor: valid, Ref: ref})
	return nil
}

// readWindows fills in t.staffWA when anyone on t's rota prefers WhatsApp.
func (bt *Bot) readWindows(ctx context.Context, t *turn) error {
	if !anyWhatsApp(t.rota) {
		return nil
	}
	w, err := bt.windows(ctx)
	t.staffWA = w
	return err
}
