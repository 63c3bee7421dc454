package bot

import (
	"context"
	"time"

	"peerline/matcher"
	"peerline/rota"
)

// A volunteer's wellbeing comes before the queue: the line offers nobody more than their chats for the
// night, or anything in the rest after a chat, or beyond their hours of chats in a day or a week (Shout,
// the UK text line, keeps its volunteers to 4 hours in 24 and 16 in 7 days). Coordinators on call are
// paged whatever their load: they are the line's last resort, and they can say PASS.

// limits returns v's limits: their own where set, else the line's.
func (bt *Bot) limits(v rota.Volunteer) matcher.Limits { return limitsOf(bt.opt, v) }

func limitsOf(opt Options, v rota.Volunteer) matcher.Limits {
	l := matcher.Limits{Night: opt.NightChats, Rest: opt.RestAfterChat, Day: opt.DayChatTime, Week: opt.WeekChatTime}
	if v.MaxChats > 0 {
		l.Night = v.MaxChats
	}
	if v.Rest > 0 {
		l.Rest = time.Duration(v.Rest) * time.Minute
	}
	if v.WeekHours > 0 {
		l.Week = time.Duration(v.WeekHours) * time.Hour
	}
	return l
}

// nightOf returns when the night that now falls in began: the last local noon.
func nightOf(now time.Time, loc *time.Location) time.Time {
	l := now.In(loc)
	noon := time.Date(l.Year(), l.Month(), l.Day(), 12, 0, 0, 0, loc)
	if noon.After(now) {
		noon = time.Date(l.Year(), l.Month(), l.Day()-1, 12, 0, 0, 0, loc)
	}
	return noon
}

// room is whether a volunteer may be offered a chat now, and if not, why.
type room struct {
	ok    bool
	why   string    // "night", "rest", "day" or "week"
	until time.Time // the end of a rest
	load  matcher.Workload
}

// rooms reads whether each of vols may be offered a chat now.
func (bt *Bot) rooms(ctx context.Context, vols []rota.Volunteer, now time.Time) (map[string]room, error) {
	return roomsOf(ctx, bt.match, bt.opt, vols, now, bt.rota.Location())
}

func roomsOf(ctx context.Context, m *matcher.Matcher, opt Options, vols []rota.Volunteer, now time.Time,
	loc *time.Location) (map[string]room, error) {
	ids := make([]string, len(vols))
	for i, v := range vols {
		ids[i] = v.ID
	}
	loads, err := m.Workloads(ctx, ids, now, nightOf(now, loc))
	if err != nil {
		return nil, err
	}
	out := make(map[string]room, len(vols))
	for _, v := range vols {
		w := loads[v.ID]
		ok, why, until := w.Within(limitsOf(opt, v), now)
		out[v.ID] = room{ok: ok, why: why, until: until, load: w}
	}
	return out, nil
}

// Resting returns, for those of vols whose limits keep new offers from them now, how long: "until
// 23:10" (the rest after a chat), "tonight", "today" or "this week" (a limit reached). opt holds the
// line's limits (zero fields take the defaults).
func Resting(ctx context.Context, m *matcher.Matcher, opt Options, vols []rota.Volunteer, now time.Time,
	loc *time.Location) (map[string]string, error) {
	opt.defaults()
	rs, err := roomsOf(ctx, m, opt, vols, now, loc)
	if err != nil {
		return nil, err
	}
	out := map[string]string{}
	for id, r := range rs {
		if !r.ok {
			out[id] = resting(r, loc)
		}
	}
	return out, nil
}

// withRoom returns those of vols who may be offered a chat now.
func (bt *Bot) withRoom(ctx context.Context, vols []rota.Volunteer, now time.Time) ([]rota.Volunteer, error) {
	if len(vols) == 0 {
		return nil, nil
	}
	rs, err := bt.rooms(ctx, vols, now)
	if err != nil {
		return nil, err
	}
	var out []rota.Volunteer
	for _, v := range vols {
		if rs[v.ID].ok {
			out = append(out, v)
		}
	}
	return out, nil
}

// eligible returns the volunteers who may be offered a request at once in turn t: on shift, available,
// in no chat (matcher.Eligible), and within their wellbeing limits. Urgent requests keep to the limits
// too: a volunteer told to rest is not woken for one, since the coordinators on call are paged for every
// urgent request anyway.
func (bt *Bot) eligible(ctx context.Context, t *turn) ([]rota.Volunteer, error) {
	return bt.withRoom(ctx, matcher.Eligible(t.rota, t.match, t.now), t.now)
}

// resting says for how long r keeps offers away: "until 23:10", "tonight", "today" or "this week";
// empty when offers may come.
func resting(r room, loc *time.Location) string {
	switch r.why {
	case "rest":
		return "until " + r.until.In(loc).Format("15:04")
	case "night":
		return "tonight"
	case "day":
		return "today"
	case "week":
		return "this week"
	}
	return ""
}
