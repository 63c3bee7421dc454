package bot

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/redis/go-redis/v9"

	"peerline/due"
	"peerline/matcher"
	"peerline/rota"
	"peerline/templates"
)

// An ask is the line's group text to volunteers about a stretch that needs cover: "Can you cover Thu
// 22:00-02:00? Reply COVER C4X2". The first COVER takes it, in the same commit as the shift it adds to
// the rota; the others who were asked are told it is covered, and the coordinators who took it. An ask
// ends when its stretch begins, or when it is covered some other way.
//
// Keys, under the bot's prefix: ask:CODE is a hash (the fields below), asks a sorted set of the open
// asks' codes by start (unix ms), asked:CODE the set of volunteer ids texted, askspan:START:END the code
// of the gap ask for that stretch (so one gap is asked about once).

// Kinds of ask.
const (
	askGap         = "gap"         // open hours in the next 48 hours with nobody on shift
	askCant        = "cant"        // a volunteer can't make their shift (CANT), which is now off the rota
	askStandby     = "standby"     // a volunteer has not confirmed their shift: whoever takes it covers them
	askCoordinator = "coordinator" // a coordinator asked (rota shift ask)
)

// Statuses of an ask.
const (
	askOpen  = "open"
	askTaken = "taken"
	askEnded = "ended"
)

// askKeep is how long an ask's keys outlive its stretch: a late COVER is still answered kindly.
const askKeep = 7 * 24 * time.Hour

// ask is one stretch the line asked volunteers to cover.
type ask struct {
	Code       string
	Kind       string
	Status     string
	Start, End time.Time
	For        string // the volunteer id whose shift it is (cant, standby); empty for a gap
	Taker      string // the volunteer id who took it
}

func (k keys) ask(code string) string   { return k.prefix + "ask:" + code }
func (k keys) asks() string             { return k.prefix + "asks" }
func (k keys) asked(code string) string { return k.prefix + "asked:" + code }
func (k keys) askSpan(s, e int64) string {
	return k.prefix + "askspan:" + strconv.FormatInt(s, 10) + ":" + strconv.FormatInt(e, 10)
}

func decodeAsk(code string, h map[string]string) ask {
	return ask{Code: code, Kind: h["kind"], Status: h["status"], Start: millis(h["start"]), End: millis(h["end"]),
		For: h["for"], Taker: h["taker"]}
}

// readAsk reads ask code; ok is false when there is no such ask.
func (bt *Bot) readAsk(ctx context.Context, code string) (a ask, asked map[string]bool, ok bool, err error) {
	pipe := bt.rdb.Pipeline()
	h := pipe.HGetAll(ctx, bt.keys.ask(code))
	m := pipe.SMembers(ctx, bt.keys.asked(code))
	if _, err := pipe.Exec(ctx); err != nil && !errors.Is(err, redis.Nil) {
		return ask{}, nil, false, fmt.Errorf("read ask %s: %w", code, err)
	}
	if len(h.Val()) == 0 {
		return ask{}, nil, false, nil
	}
	return decodeAsk(code, h.Val()), set(m.Val()), true, nil
}

func set(members []string) map[string]bool {
	out := make(map[string]bool, len(members))
	for _, m := range members {
		out[m] = true
	}
	return out
}

// newAskCode returns a fresh ask code such as C4X2 (the request codes' alphabet, after a C).
func newAskCode() string { return matcher.NewCodeWith('C') }

// looksLikeAskCode reports whether s (upper case, with or without #) has the shape of an ask code.
func looksLikeAskCode(s string) bool {
	s = strings.TrimPrefix(s, "#")
	return len(s) == 4 && s[0] == 'C'
}

// stretch writes start to end as a volunteer reads it: "Thu 22:00-02:00", with the date as well when it
// is a week or more away ("Thu 31 Dec 22:00-02:00"), and the end's day when it lasts a day or more
// ("Sat 09:00-Mon 09:00").
func stretch(start, end, now time.Time, loc *time.Location) string {
	s, e := start.In(loc), end.In(loc)
	day := s.Format("Mon")
	if s.Sub(now) >= 6*24*time.Hour {
		day = s.Format("Mon 2 Jan")
	}
	to := e.Format("15:04")
	if e.Sub(s) >= 24*time.Hour {
		to = e.Format("Mon 15:04")
	}
	return day + " " + s.Format("15:04") + "-" + to
}

// busyDuring reports whether volunteer id has a peer shift that overlaps [start, end).
func busyDuring(r rota.Rota, id string, start, end time.Time) bool {
	for _, o := range r.Occurrences(start, end) {
		if o.Shift.Volunteer == id && !o.Shift.OnCall && r.OnShift(id, maxTime(o.Start, start)) {
			return true
		}
	}
	return false
}

func maxTime(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}

// mayCover returns the volunteers to ask about [start, end): active, not coordinators (they hear of
// gaps anyway), not the volunteer whose shift it is, and not on a shift then, nor on one that ends as
// it begins or begins as it ends (that would be a double shift).
func mayCover(r rota.Rota, start, end time.Time, not string) []rota.Volunteer {
	var out []rota.Volunteer
	for _, id := range sortedIDs(r) {
		v := r.Volunteers[id]
		if !v.Active || v.Coordinator || v.ID == not || busyDuring(r, v.ID, start.Add(-time.Minute), end.Add(time.Minute)) {
			continue
		}
		out = append(out, v)
	}
	return out
}

// sortedIDs returns the rota's volunteer ids in order.
func sortedIDs(r rota.Rota) []string {
	return slices.SortedFunc(maps.Keys(r.Volunteers), rotaIDOrder)
}

// sortedKeys returns the members of s in the rota's id order.
func sortedKeys(s map[string]bool) []string { return slices.SortedFunc(maps.Keys(s), rotaIDOrder) }

func rotaIDOrder(a, b string) int {
	switch {
	case rota.IDLess(a, b):
		return -1
	case rota.IDLess(b, a):
		return 1
	}
	return 0
}

// openAsk adds to the turn an ask about [start, end) of kind, for the shift of volunteer forID (empty
// for a gap), texted to everyone who may cover it. It returns the ask's code and how many were asked;
// with nobody to ask, no ask is made. A gap ask names its stretch, so the same gap is asked about once.
func (bt *Bot) openAsk(ctx context.Context, t *turn, kind string, start, end time.Time, forID string) (string, int, error) {
	code, vols, err := bt.newAsk(ctx, t, kind, start, end, forID)
	if err != nil || code == "" {
		return "", 0, err
	}
	when := stretch(start, end, t.now, t.rota.Location())
	for _, v := range vols {
		if err := bt.tell(t, v, templates.VolunteerCoverAsk{When: when, Code: code}); err != nil {
			return "", 0, err
		}
	}
	return code, len(vols), nil
}

// newAsk adds to the turn an ask as openAsk does, but sends nothing: it returns the ask's code and the
// volunteers to text about it ("" and none when there is nobody to ask, or the gap was asked about).
func (bt *Bot) newAsk(ctx context.Context, t *turn, kind string, start, end time.Time, forID string) (string, []rota.Volunteer, error) {
	vols := mayCover(t.rota, start, end, forID)
	if len(vols) == 0 {
		return "", nil, nil
	}
	code := newAskCode()
	if kind == askGap {
		span := bt.keys.askSpan(start.UnixMilli(), end.UnixMilli())
		n, err := bt.rdb.Exists(ctx, span).Result()
		if err != nil {
			return "", nil, fmt.Errorf("read ask span: %w", err)
		}
		if n > 0 {
			return "", nil, nil
		}
		t.b.Absent(span)
		t.b.Do("SET", span, code, "PXAT", end.Add(askKeep).UnixMilli())
	}
	k := bt.keys.ask(code)
	t.b.Absent(k)
	t.b.Do("HSET", k, "kind", kind, "status", askOpen, "start", start.UnixMilli(), "end", end.UnixMilli(),
		"for", forID, "created", t.now.UnixMilli())
	t.b.Do("PEXPIREAT", k, end.Add(askKeep).UnixMilli())
	t.b.Do("ZADD", bt.keys.asks(), start.UnixMilli(), code)
	ids := make([]any, 0, len(vols))
	for _, v := range vols {
		ids = append(ids, v.ID)
	}
	t.b.Do("SADD", bt.keys.asked(code), ids...)
	t.b.Do("PEXPIREAT", bt.keys.asked(code), end.Add(askKeep).UnixMilli())
	t.fields["ask"] = code
	return code, vols, nil
}

// cover takes an ask for v (COVER CODE, or COVER when v was asked about exactly one open stretch): the
// first COVER adds the shift to the rota in the same commit as the ask's new status, so two at the same
// moment cannot both take it.
func (bt *Bot) cover(ctx context.Context, t *turn, v rota.Volunteer, code string) error {
	if code == "" {
		var err error
		if code, err = bt.onlyAsk(ctx, v.ID); err != nil {
			return err
		}
	}
	a, asked, ok, err := bt.readAsk(ctx, code)
	if err != nil {
		return err
	}
	if !ok {
		t.action = "cover: no such ask"
		return bt.reply(t, templates.VolunteerCoverNone{})
	}
	t.fields["ask"] = code
	when := stretch(a.Start, a.End, t.now, t.rota.Location())
	switch {
	case a.Status == askTaken && a.Taker == v.ID:
		t.action = "cover: already theirs"
		return bt.reply(t, templates.VolunteerCoverYours{When: when})
	case a.Status == askTaken && asked[v.ID]:
		t.action = "cover after it was taken: they were told"
		return nil
	case a.Status != askOpen || !a.Start.After(t.now):
		t.action = "cover: the ask has ended"
		return bt.reply(t, templates.VolunteerCoverEnded{When: when})
	}
	loc := t.rota.Location()
	s, e := a.Start.In(loc), a.End.In(loc)
	sh := rota.Shift{Volunteer: v.ID, Date: s.Format("2006-01-02"), Start: clockOf(s), End: clockOf(e)}
	if a.Kind == askStandby {
		sh.CoverFor = a.For
	}
	if busyDuring(t.rota, v.ID, a.Start, a.End) {
		t.action = "cover refused: on a shift then already"
		return bt.reply(t, templates.VolunteerCoverClash{When: when})
	}
	p := rota.Plan{Shifts: []rota.Shift{sh}}
	if err := bt.rota.Stage(ctx, t.b, t.rota, &p); err != nil {
		if rota.IsRefusal(err) {
			t.action = "cover refused by the rota"
			bt.log.WithError(err).WithField("ask", code).Warn("a COVER the rota refused")
			return bt.reply(t, templates.VolunteerCoverClash{When: when})
		}
		return err
	}
	k := bt.keys.ask(code)
	t.b.Field(k, "status", askOpen)
	t.b.Do("HSET", k, "status", askTaken, "taker", v.ID)
	t.b.Do("ZREM", bt.keys.asks(), code)
	t.action, t.fields["shift"] = "cover taken: shift added", p.Shifts[0].ID
	if err := bt.reply(t, templates.VolunteerCoverYours{When: when}); err != nil {
		return err
	}
	if err := bt.tellAsked(t, asked, v.ID, when); err != nil {
		return err
	}
	forName := ""
	if o, ok := t.rota.Volunteers[a.For]; ok {
		forName = o.Name
		if a.Kind == askStandby {
			if err := bt.tell(t, o, templates.VolunteerCoverReleased{When: when, Name: v.Name}); err != nil {
				return err
			}
		}
	}
	return bt.tellCoordinators(t, templates.CoordinatorCovered{Name: v.Name, When: when, For: forName}, v.ID)
}

// tellAsked tells everyone asked, but taker, that the stretch is covered.
func (bt *Bot) tellAsked(t *turn, asked map[string]bool, taker, when string) error {
	for _, id := range sortedKeys(asked) {
		o, ok := t.rota.Volunteers[id]
		if !ok || id == taker {
			continue
		}
		if err := bt.tell(t, o, templates.VolunteerCoverTaken{When: when}); err != nil {
			return err
		}
	}
	return nil
}

// tellCoordinators sends m to every active coordinator but not.
func (bt *Bot) tellCoordinators(t *turn, m templates.Message, not string) error {
	for _, id := range sortedIDs(t.rota) {
		c := t.rota.Volunteers[id]
		if !c.Coordinator || !c.Active || c.ID == not {
			continue
		}
		if err := bt.tell(t, c, m); err != nil {
			return err
		}
	}
	return nil
}

// onlyAsk returns the code of the one open ask volunteer id was texted, or "" when there is none or
// more than one.
func (bt *Bot) onlyAsk(ctx context.Context, id string) (string, error) {
	codes, err := bt.rdb.ZRange(ctx, bt.keys.asks(), 0, -1).Result()
	if err != nil {
		return "", fmt.Errorf("read asks: %w", err)
	}
	found := ""
	for _, c := range codes {
		in, err := bt.rdb.SIsMember(ctx, bt.keys.asked(c), id).Result()
		if err != nil {
			return "", fmt.Errorf("read ask %s: %w", c, err)
		}
		if in && found != "" {
			return "", nil
		}
		if in {
			found = c
		}
	}
	return found, nil
}

// clockOf is t's local time of day as a rota clock.
func clockOf(t time.Time) rota.Clock { return rota.Clock(t.Hour()*60 + t.Minute()) }

// MayCover returns the volunteers the line asks to cover [start, end) on rota r (see mayCover).
func MayCover(r rota.Rota, start, end time.Time) []rota.Volunteer { return mayCover(r, start, end, "") }

// JobAsk is the due work a coordinator's `rota shift ask` schedules: ask the volunteers who could cover
// the stretch from the item's "start" to its "end" (unix ms).
const JobAsk = "ask"

// AskItem is the due item that asks for cover of [start, end) now.
func AskItem(start, end, now time.Time) due.Item {
	return due.Item{ID: fmt.Sprintf("%s %d %d", JobAsk, start.UnixMilli(), end.UnixMilli()), Kind: JobAsk, At: now,
		Fields: map[string]string{"start": fmt.Sprint(start.UnixMilli()), "end": fmt.Sprint(end.UnixMilli())}}
}

// coordinatorAsk asks the volunteers who could cover a stretch a coordinator named.
func (bt *Bot) coordinatorAsk(ctx context.Context, t *turn, it due.Item) error {
	start, end := millis(it.Fields["start"]), millis(it.Fields["end"])
	if !start.After(t.now) || !end.After(start) {
		t.action = "ask dropped: its stretch has begun"
		return nil
	}
	_, n, err := bt.openAsk(ctx, t, askCoordinator, start, end, "")
	t.action, t.fields["asked"] = "coordinator's ask sent", n
	return err
}
