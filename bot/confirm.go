package bot

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/redis/go-redis/v9"

	"peerline/due"
	"peerline/rota"
	"peerline/templates"
)

// jobConfirm checks, a while before a shift, that its volunteer confirmed it (OK to the reminder).
const jobConfirm = "confirm"

// standby is the code of the standby ask about the shift occurrence named "shift date".
func (k keys) standby(occurrence string) string { return k.prefix + "standby:" + occurrence }

// askToConfirm adds to the turn what the reminder of a shift sets going: the volunteer's party notes
// which shift to confirm, and a check runs ConfirmBy before the shift starts (or half way to the
// start, when that is later).
func (bt *Bot) askToConfirm(t *turn, v rota.Volunteer, it due.Item, start time.Time) {
	occ := it.Fields["shift"] + " " + start.In(t.rota.Location()).Format("2006-01-02")
	t.b.Do("HSET", bt.keys.party(v.Phone), "confirm", occ)
	t.b.Do("EXPIRE", bt.keys.party(v.Phone), int(bt.opt.Retention/time.Second))
	at := start.Add(-bt.opt.ConfirmBy)
	if half := t.now.Add(start.Sub(t.now) / 2); at.Before(half) {
		at = half
	}
	bt.due.Schedule(t.b, due.Item{ID: jobConfirm + " " + occ, Kind: jobConfirm, At: at, Fields: it.Fields})
}

// confirmShift answers OK after a shift reminder: the shift is confirmed, and a standby ask about it
// ends (those asked are told it is covered).
func (bt *Bot) confirmShift(ctx context.Context, t *turn, v rota.Volunteer) error {
	occ := t.party.Confirm
	t.b.Field(bt.keys.party(t.in.From), "confirm", occ)
	t.b.Do("HSET", bt.keys.party(t.in.From), "confirmed", occ)
	t.action = "shift confirmed"
	start := ""
	if o, ok := bt.occurrence(t.rota, occ); ok {
		start = o.Start.In(t.rota.Location()).Format("15:04")
	}
	if err := bt.endStandby(ctx, t, occ); err != nil {
		return err
	}
	return bt.reply(t, templates.VolunteerConfirmed{Start: start})
}

// endStandby ends the open standby ask about occurrence occ, if there is one, and tells those asked.
func (bt *Bot) endStandby(ctx context.Context, t *turn, occ string) error {
	code, err := bt.rdb.Get(ctx, bt.keys.standby(occ)).Result()
	if errors.Is(err, redis.Nil) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("read standby ask: %w", err)
	}
	a, asked, ok, err := bt.readAsk(ctx, code)
	if err != nil || !ok || a.Status != askOpen {
		return err
	}
	bt.endAsk(t, code)
	t.action += "; standby ask ended"
	return bt.tellAsked(t, asked, "", stretch(a.Start, a.End, t.now, t.rota.Location()))
}

// endAsk adds to the turn the end of open ask code.
func (bt *Bot) endAsk(t *turn, code string) {
	t.b.Field(bt.keys.ask(code), "status", askOpen)
	t.b.Do("HSET", bt.keys.ask(code), "status", askEnded)
	t.b.Do("ZREM", bt.keys.asks(), code)
}

// occurrence finds the occurrence named "shift date" on rota r.
func (bt *Bot) occurrence(r rota.Rota, occ string) (rota.Occurrence, bool) {
	var id, date string
	if _, err := fmt.Sscan(occ, &id, &date); err != nil {
		return rota.Occurrence{}, false
	}
	day, err := time.ParseInLocation("2006-01-02", date, r.Location())
	if err != nil {
		return rota.Occurrence{}, false
	}
	for _, o := range r.Occurrences(day, day.Add(48*time.Hour)) {
		if o.Shift.ID == id && o.Date == date {
			return o, true
		}
	}
	return rota.Occurrence{}, false
}

// checkConfirmed is the due check before a shift: when its volunteer, still on it, has not confirmed,
// the coordinators are told and others are asked to stand by. The volunteer stays on the shift until
// someone takes it.
func (bt *Bot) checkConfirmed(ctx context.Context, t *turn, it due.Item) error {
	id := it.Fields["volunteer"]
	t.fields["volunteer"], t.fields["shift"] = id, it.Fields["shift"]
	start, end := millis(it.Fields["start"]), millis(it.Fields["end"])
	v, ok := t.rota.Volunteers[id]
	if !ok || !v.Active || !t.rota.OnShift(id, start) {
		t.action = "confirm check dropped: no longer on that shift"
		return nil
	}
	occ := it.Fields["shift"] + " " + start.In(t.rota.Location()).Format("2006-01-02")
	confirmed, err := bt.rdb.HGet(ctx, bt.keys.party(v.Phone), "confirmed").Result()
	if err != nil && !errors.Is(err, redis.Nil) {
		return fmt.Errorf("read confirmation: %w", err)
	}
	t.b.Field(bt.keys.party(v.Phone), "confirmed", confirmed)
	if confirmed == occ {
		t.action = "shift confirmed in time"
		return nil
	}
	code, asked, err := bt.openAsk(ctx, t, askStandby, start, end, id)
	if err != nil {
		return err
	}
	if code != "" {
		t.b.Do("SET", bt.keys.standby(occ), code, "PXAT", end.Add(askKeep).UnixMilli())
	}
	t.action = "shift not confirmed: coordinators told"
	when := stretch(start, end, t.now, t.rota.Location())
	return bt.tellCoordinators(t, templates.CoordinatorUnconfirmed{Name: v.Name, When: when, Asked: asked > 0}, "")
}
