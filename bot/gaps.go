package bot

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/redis/go-redis/v9"
	"github.com/sirupsen/logrus"

	"peerline/commit"
	"peerline/due"
	"peerline/rota"
	"peerline/templates"
)

// jobGapCheck is the daily gap alert, at GapCheckAt local time.
const jobGapCheck = "gapcheck"

// gapAhead is how far ahead the gap alert looks, and asks for cover.
const gapAhead = 48 * time.Hour

// gapsListed bounds the stretches one gap alert lists; the rest are counted.
const gapsListed = 5

// uncovered holds the start (unix ms) of the stretch in which the line is open with nobody on shift
// and ON, once the coordinator on call was paged about it.
func (k keys) uncovered() string { return k.prefix + "uncovered" }

// planGapCheck schedules the next daily gap alert (scheduling it again changes nothing).
func (bt *Bot) planGapCheck(ctx context.Context) error {
	loc, now := bt.rota.Location(), bt.now()
	l := now.In(loc)
	at := time.Date(l.Year(), l.Month(), l.Day(), 0, 0, 0, 0, loc).Add(bt.opt.GapCheckAt)
	if !at.After(now) {
		at = time.Date(l.Year(), l.Month(), l.Day()+1, 0, 0, 0, 0, loc).Add(bt.opt.GapCheckAt)
	}
	b := commit.New()
	bt.due.ScheduleNew(b, due.Item{ID: jobGapCheck + " " + at.Format("2006-01-02"), Kind: jobGapCheck, At: at})
	if _, err := bt.apply.Apply(ctx, b); err != nil {
		return fmt.Errorf("plan gap check: %w", err)
	}
	return nil
}

// gapCheck is the daily gap alert: every coordinator (and whoever is on call) gets one text listing
// the stretches of the next 48 hours with nobody on shift and with nobody on call, and the volunteers
// who could cover each stretch with nobody on shift are asked. No gaps, no text.
func (bt *Bot) gapCheck(ctx context.Context, t *turn) error {
	gaps := t.rota.Gaps(t.now, t.now.Add(gapAhead))
	if len(gaps) == 0 {
		t.action = "gap check: no gaps"
		return nil
	}
	loc := t.rota.Location()
	var shifts, oncall []string
	lists := map[string][]string{} // volunteer id -> "Thu 22:00-02:00 (C4X2)" for each ask they get
	for _, g := range rota.Joined(gaps, rota.NoShift) {
		shifts = append(shifts, stretch(g.Start, g.End, t.now, loc))
		for _, c := range askChunks(g.Start, g.End, loc) {
			if !c[0].After(t.now) {
				continue // under way: the on-call coordinator hears of it as it happens
			}
			code, vols, err := bt.newAsk(ctx, t, askGap, c[0], c[1], "")
			if err != nil {
				return err
			}
			for _, v := range vols {
				lists[v.ID] = append(lists[v.ID], stretch(c[0], c[1], t.now, loc)+" ("+code+")")
			}
		}
	}
	if err := bt.sendAsks(t, lists); err != nil {
		return err
	}
	asked := len(lists)
	for _, g := range rota.Joined(gaps, rota.NoOnCall) {
		oncall = append(oncall, stretch(g.Start, g.End, t.now, loc))
	}
	m := templates.CoordinatorGaps{Asked: asked > 0}
	m.Shifts, m.OnCall, m.More = listSome(shifts, oncall, gapsListed)
	t.action, t.fields["gaps"] = "gap alert sent", len(shifts)+len(oncall)
	return bt.tellLeads(t, m)
}

// listSome joins up to n of a and then b, and counts the rest.
func listSome(a, b []string, n int) (as, bs string, more int) {
	ka := min(len(a), n)
	kb := min(len(b), n-ka)
	return strings.Join(a[:ka], ", "), strings.Join(b[:kb], ", "), len(a) - ka + len(b) - kb
}

// askLongest is the longest stretch one ask offers: about a shift's length.
const askLongest = 6 * time.Hour

// askChunks cuts [start, end) into stretches a volunteer could take as one shift: first at local noon
// (so a night stays whole), then a stretch longer than askLongest into near-equal parts of whole hours
// (19 hours from 17:00: 17:00-22:00, 22:00-03:00, 03:00-08:00, 08:00-12:00).
func askChunks(start, end time.Time, loc *time.Location) [][2]time.Time {
	var out [][2]time.Time
	for start.Before(end) {
		s := start.In(loc)
		cut := time.Date(s.Year(), s.Month(), s.Day(), 12, 0, 0, 0, loc)
		if !cut.After(start) {
			cut = time.Date(s.Year(), s.Month(), s.Day()+1, 12, 0, 0, 0, loc)
		}
		if cut.After(end) {
			cut = end
		}
		out = append(out, parts(start, cut)...)
		start = cut
	}
	return out
}

// AskChunks cuts [start, end) as the line's own asks are cut (see askChunks), for a coordinator's
// `rota shift ask`: at local noon, then into parts of at most 6 hours.
func AskChunks(start, end time.Time, loc *time.Location) [][2]time.Time {
	return askChunks(start, end, loc)
}

// parts cuts [start, end) into near-equal parts of whole hours of at most askLongest, the last taking
// what is left.
func parts(start, end time.Time) [][2]time.Time {
	n := int((end.Sub(start) + askLongest - 1) / askLongest)
	if n <= 1 {
		return [][2]time.Time{{start, end}}
	}
	step := (end.Sub(start) / time.Duration(n)).Round(time.Hour)
	var out [][2]time.Time
	for i := range n {
		to := start.Add(step)
		if i == n-1 || !to.Before(end) {
			to = end
		}
		out = append(out, [2]time.Time{start, to})
		if !to.Before(end) {
			break
		}
		start = to
	}
	return out
}

// tellLeads sends m to every active coordinator and to whoever is on call now.
func (bt *Bot) tellLeads(t *turn, m templates.Message) error {
	if err := bt.tellCoordinators(t, m, ""); err != nil {
		return err
	}
	for _, c := range t.rota.OnCallAt(t.now) {
		if !c.Coordinator && c.Active {
			if err := bt.tell(t, c, m); err != nil {
				return err
			}
		}
	}
	return nil
}

// sweepAsks ends the asks whose stretch has begun, and the gap asks whose stretch the rota now covers
// (the volunteers asked are told it is covered).
func (bt *Bot) sweepAsks(ctx context.Context) error {
	codes, err := bt.rdb.ZRangeWithScores(ctx, bt.keys.asks(), 0, -1).Result()
	if err != nil {
		return fmt.Errorf("read asks: %w", err)
	}
	for _, z := range codes {
		code := z.Member.(string)
		if err := bt.sweepAsk(ctx, code); err != nil {
			return fmt.Errorf("ask %s: %w", code, err)
		}
	}
	return nil
}

// sweepAsk ends ask code if its stretch has begun or, for a gap, is covered now.
func (bt *Bot) sweepAsk(ctx context.Context, code string) error {
	r, err := bt.currentRota(ctx)
	if err != nil {
		return err
	}
	a, asked, ok, err := bt.readAsk(ctx, code)
	if err != nil {
		return err
	}
	t := &turn{now: bt.now(), rota: r, b: commit.New(), fields: logrus.Fields{"ask": code}}
	if err := bt.readWindows(ctx, t); err != nil {
		return err
	}
	switch {
	case !ok || a.Status != askOpen:
		t.b.Do("ZREM", bt.keys.asks(), code)
		t.action = "ask tidied"
	case !a.Start.After(t.now):
		bt.endAsk(t, code)
		t.action = "ask ended: its stretch began"
	case a.Kind == askGap && len(rota.Joined(r.Gaps(a.Start, a.End), rota.NoShift)) == 0:
		bt.endAsk(t, code)
		t.action = "ask ended: the rota covers it now"
		if err := bt.tellAsked(t, asked, "", stretch(a.Start, a.End, t.now, r.Location())); err != nil {
			return err
		}
	default:
		return nil
	}
	if _, err := bt.apply.Apply(ctx, t.b); err != nil {
		return err
	}
	bt.log.WithFields(t.fields).Info(t.action) // a failed guard: another instance did it
	return nil
}

// watchUncovered pages the coordinator on call (every coordinator, with nobody on call), once per
// stretch, when the line is open and nobody on shift is ON. The stretch ends when someone is. A
// coordinator in a chat is not paged: the line's pages about waiting requests reach them.
func (bt *Bot) watchUncovered(ctx context.Context) error {
	r, err := bt.currentRota(ctx)
	if err != nil {
		return err
	}
	now := bt.now()
	uncovered := r.Open(now)
	for _, v := range r.OnShiftAt(now) {
		uncovered = uncovered && !r.Available(v.ID)
	}
	paged, err := bt.rdb.Get(ctx, bt.keys.uncovered()).Result()
	if err != nil && !errors.Is(err, redis.Nil) {
		return fmt.Errorf("read uncovered: %w", err)
	}
	switch {
	case !uncovered && paged != "":
		return bt.rdb.Del(ctx, bt.keys.uncovered()).Err()
	case !uncovered || paged != "":
		return nil
	}
	live, err := bt.match.Live(ctx)
	if err != nil {
		return err
	}
	t := &turn{now: now, rota: r, b: commit.New(), fields: logrus.Fields{}}
	if err := bt.readWindows(ctx, t); err != nil {
		return err
	}
	t.b.Absent(bt.keys.uncovered())
	t.b.Do("SET", bt.keys.uncovered(), now.UnixMilli())
	m := templates.CoordinatorUncovered{Waiting: len(live.Waiting)}
	oncall := available(r, r.OnCallAt(now))
	chatting := map[string]bool{}
	for _, c := range live.Chats {
		chatting[c.Volunteer] = true
	}
	for _, c := range oncall {
		if chatting[c.ID] {
			continue // in a chat: the pages about waiting requests tell them what they need
		}
		if err := bt.tell(t, c, m); err != nil {
			return err
		}
	}
	if len(oncall) == 0 {
		if err := bt.tellCoordinators(t, m, ""); err != nil {
			return err
		}
	}
	failed, err := bt.apply.Apply(ctx, t.b)
	if err != nil || failed != 0 {
		return err // a failed guard: another instance paged
	}
	bt.log.WithField("oncall", len(oncall)).Info("line open with nobody on shift and ON: coordinator paged")
	return nil
}

// asksPerText bounds the stretches one text asks about, to keep it within two SMS segments.
const asksPerText = 4

// sendAsks texts each volunteer the asks they get: one ask as "can you cover Thu 22:00-02:00?", more
// as a list, a few to a text.
func (bt *Bot) sendAsks(t *turn, lists map[string][]string) error {
	for _, id := range sortedKeys(setOf(lists)) {
		v, items := t.rota.Volunteers[id], lists[id]
		if len(items) == 1 {
			when, code, _ := strings.Cut(strings.TrimSuffix(items[0], ")"), " (")
			if err := bt.tell(t, v, templates.VolunteerCoverAsk{When: when, Code: code}); err != nil {
				return err
			}
			continue
		}
		for len(items) > 0 {
			n := min(len(items), asksPerText)
			if err := bt.tell(t, v, templates.VolunteerCoverAsks{List: strings.Join(items[:n], ", ")}); err != nil {
				return err
			}
			items = items[n:]
		}
	}
	return nil
}

func setOf[V any](m map[string]V) map[string]bool {
	out := make(map[string]bool, len(m))
	for k := range m {
		out[k] = true
	}
	return out
}
