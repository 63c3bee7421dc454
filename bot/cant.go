package bot

import (
	"context"
	"strings"
	"time"
	"unicode"

	"peerline/rota"
	"peerline/templates"
)

// cantAhead is how far ahead CANT looks for the volunteer's shift.
const cantAhead = 8 * 24 * time.Hour

// cantWhen is the day a CANT names: a weekday, today or tomorrow; any is true when it names none.
type cantWhen struct {
	any      bool
	day      time.Weekday
	relative int // with relative > 0, the date that many days from today, less one (1: today, 2: tomorrow)
}

// cantFiller are the words a "can't make it" text may have besides CANT and a day: any other word makes
// it something else ("can't sleep" is not a shift let go).
var cantFiller = map[string]bool{"MAKE": true, "IT": true, "DO": true, "COME": true, "IN": true, "MY": true,
	"SHIFT": true, "ON": true, "THIS": true, "THE": true, "NEXT": true, "SORRY": true, "SO": true, "IM": true,
	"I": true, "AFRAID": true, "PLEASE": true, "X": true, "XX": true}

// parseCant reads a volunteer's "can't make it" text: CANT, CAN'T, CANNOT or SKIP, optionally with a day
// ("CANT FRI", "skip tomorrow", "can't make it tonight, sorry", "sorry I can't do my shift on Friday").
// ok is false for anything else.
func parseCant(text string) (w cantWhen, ok bool) {
	t := strings.NewReplacer("'", "", "\u2019", "").Replace(strings.ToUpper(text))
	fields := strings.FieldsFunc(t, func(r rune) bool { return unicode.IsSpace(r) || unicode.IsPunct(r) })
	cant, days := false, 0
	w.any = true
	for _, f := range fields {
		switch {
		case f == "CANT" || f == "CANNOT" || f == "SKIP":
			cant = true
		case f == "TONIGHT" || f == "TODAY":
			w, days = cantWhen{relative: 1}, days+1
		case f == "TOMORROW" || f == "TMRW" || f == "TMW":
			w, days = cantWhen{relative: 2}, days+1
		case cantFiller[f]:
		default:
			d, err := rota.ParseDay(f)
			if err != nil || len(f) < 3 {
				return cantWhen{}, false
			}
			w, days = cantWhen{day: d}, days+1
		}
	}
	if !cant || days > 1 {
		return cantWhen{}, false
	}
	return w, true
}

// matches reports whether occurrence o, starting on local date date, is the one w names.
func (w cantWhen) matches(start, now time.Time, loc *time.Location) bool {
	s, n := start.In(loc), now.In(loc)
	switch {
	case w.any:
		return true
	case w.relative > 0:
		want := time.Date(n.Year(), n.Month(), n.Day()+w.relative-1, 12, 0, 0, 0, loc)
		return s.Year() == want.Year() && s.YearDay() == want.YearDay()
	}
	return s.Weekday() == w.day
}

// name is the day w names, for the text that says no shift was found.
func (w cantWhen) name() string {
	switch {
	case w.any:
		return ""
	case w.relative == 1:
		return "today"
	case w.relative == 2:
		return "tomorrow"
	}
	return w.day.String()
}

// cant lets v off their next shift (or their next on the day they named): a weekly shift is skipped
// for that date, a dated one removed, in the turn's commit. They are thanked, others are asked to
// cover, and the coordinators are told. A shift already under way counts: they can't go on. A cover of
// someone else's shift stays on the rota: the one it covers was told they are free, so the
// coordinators decide who takes it on.
func (bt *Bot) cant(ctx context.Context, t *turn, v rota.Volunteer, w cantWhen) error {
	loc := t.rota.Location()
	o, ok := bt.nextShift(t, v, w)
	if !ok {
		t.action = "cant: no shift found"
		return bt.reply(t, templates.VolunteerCantNone{Day: w.name()})
	}
	when := stretch(o.Start, o.End, t.now, loc)
	t.fields["shift"] = o.Shift.ID
	if f, ok := t.rota.Volunteers[o.Shift.CoverFor]; ok { // handing on a cover is the coordinators' call
		t.action = "cant: a cover, left to the coordinators"
		if err := bt.reply(t, templates.VolunteerCantThanks{When: when, Cover: true}); err != nil {
			return err
		}
		return bt.tellCoordinators(t, templates.CoordinatorCant{Name: v.Name, When: when, For: f.Name}, v.ID)
	}
	var p rota.Plan
	if o.Shift.Weekly() {
		p.Skip = []string{rota.SkipKey(o.Shift.ID, o.Date)}
	} else {
		p.RemoveShifts = []string{o.Shift.ID}
	}
	if err := bt.rota.Stage(ctx, t.b, t.rota, &p); err != nil {
		return err
	}
	asked := 0
	if !o.Shift.OnCall && o.Start.After(t.now) {
		var err error
		if _, asked, err = bt.openAsk(ctx, t, askCant, o.Start, o.End, v.ID); err != nil {
			return err
		}
	}
	t.action = "cant: shift let go"
	if err := bt.reply(t, templates.VolunteerCantThanks{When: when, Asked: asked > 0}); err != nil {
		return err
	}
	return bt.tellCoordinators(t, templates.CoordinatorCant{Name: v.Name, When: when, Asked: asked > 0}, v.ID)
}

// nextShift finds v's next shift that w names, within cantAhead: one they are on (not covered by
// someone else), that has not ended.
func (bt *Bot) nextShift(t *turn, v rota.Volunteer, w cantWhen) (rota.Occurrence, bool) {
	loc := t.rota.Location()
	for _, o := range t.rota.Occurrences(t.now, t.now.Add(cantAhead)) {
		if o.Shift.Volunteer != v.ID || !w.matches(o.Start, t.now, loc) {
			continue
		}
		at := maxTime(o.Start, t.now)
		on := t.rota.OnShift(v.ID, at)
		if o.Shift.OnCall {
			on = false
			for _, c := range t.rota.OnCallAt(at) {
				on = on || c.ID == v.ID
			}
		}
		if on {
			return o, true
		}
	}
	return rota.Occurrence{}, false
}
