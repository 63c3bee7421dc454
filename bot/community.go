package bot

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode"

	"peerline/community"
	"peerline/matcher"
	"peerline/rota"
	"peerline/templates"
)

// whatsOnWords are the texts (upper case, without punctuation and spaces) that ask for the calendar.
var whatsOnWords = map[string]bool{"WHATSON": true, "WHATISON": true, "EVENTS": true}

// isWhatsOn reports whether text asks what is on: WHATS ON, What's on?, EVENTS.
func isWhatsOn(text string) bool {
	return whatsOnWords[strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) || unicode.IsPunct(r) {
			return -1
		}
		return unicode.ToUpper(r)
	}, text)]
}

// parseShare reads a volunteer's SHARE word ("SHARE cafe", "share mental health."): SHARE then one or
// two words and no other punctuation than a hyphen or a full stop at the end. Anything else is for the
// person.
func parseShare(text string) (string, bool) {
	t := strings.TrimRight(strings.TrimSpace(text), ".!")
	if strings.ContainsFunc(t, func(r rune) bool { return unicode.IsPunct(r) && r != '-' }) {
		return "", false
	}
	f := strings.Fields(t)
	if len(f) < 2 || len(f) > 3 || !strings.EqualFold(f[0], "SHARE") {
		return "", false
	}
	return strings.Join(f[1:], " "), true
}

// whatsOn answers WHATS ON with the next three events of the line's calendar.
func (bt *Bot) whatsOn(ctx context.Context, t *turn) error {
	events, _, err := bt.comm.Recent(ctx, t.now)
	if err != nil {
		return err
	}
	var list []templates.EventText
	for i, o := range community.Coming(events, t.now, t.rota.Location()) {
		if i == 3 {
			break
		}
		list = append(list, eventText(o, t.now, t.rota.Location()))
	}
	t.action = "sent what's on: " + strconv.Itoa(len(list)) + " events"
	m := templates.PersonWhatsOn{Events: list}
	if !t.rota.Open(t.now) {
		m.Opens = opensText(t.rota, t.now) // not "text us any time" while nobody is there to answer
	}
	return bt.reply(t, bt.fitting(m, func(m templates.Message) (templates.Message, bool) {
		w := m.(templates.PersonWhatsOn)
		w.Events = w.Events[:len(w.Events)-1]
		return w, len(w.Events) > 0
	}))
}

// share passes what a volunteer's SHARE word names to the person in their chat, through the line:
// an event's details, or the services of a need that open soonest (as many as fit two segments). The
// volunteer hears it went, or that nothing matched and what to try; a word that matches nothing
// never reaches the person.
func (bt *Bot) share(ctx context.Context, t *turn, word string) error {
	p := t.party
	events, services, err := bt.comm.Recent(ctx, t.now)
	if err != nil {
		return err
	}
	loc := t.rota.Location()
	found, ok := community.Find(word, events, services, t.now, loc)
	if !ok {
		t.action = "share: nothing matched"
		return bt.reply(t, templates.VolunteerShareNone{Word: word, Try: strings.Join(community.Hints(events, services, 6), ", ")})
	}
	bt.match.Touch(t.b, p.Conv, t.now)
	if found.Event != nil {
		t.action = "shared an event"
		bt.match.SharedIn(t.b, p.Conv, matcher.SharedEvent, t.now)
		if err := bt.send(t, p.Peer, p.PeerCh, templates.PersonShareEvent{Event: eventText(*found.Event, t.now, loc)}); err != nil {
			return err
		}
		return bt.reply(t, templates.VolunteerShared{What: found.Event.Event.Title})
	}
	m := bt.fitting(templates.PersonShareServices{Need: community.NeedWords(found.Need), Services: serviceTexts(found.Openings, 3, t.now, loc)},
		func(m templates.Message) (templates.Message, bool) {
			s := m.(templates.PersonShareServices)
			s.Services = s.Services[:len(s.Services)-1]
			return s, len(s.Services) > 0
		}).(templates.PersonShareServices)
	t.action = "shared services"
	bt.match.SharedIn(t.b, p.Conv, matcher.SharedServices, t.now)
	if err := bt.send(t, p.Peer, p.PeerCh, m); err != nil {
		return err
	}
	what := m.Services[0].Name
	if n := len(m.Services); n > 1 {
		what = fmt.Sprintf("%d %s services (%s first)", n, community.NeedWords(found.Need), what)
	}
	return bt.reply(t, templates.VolunteerShared{What: what})
}

// fitting returns m if it renders within two SMS segments, else what shorter (m) gives, step by step,
// until it fits or shorter says it can go no shorter (the shortest is then returned all the same).
func (bt *Bot) fitting(m templates.Message, shorter func(templates.Message) (templates.Message, bool)) templates.Message {
	for {
		body, err := bt.tmpl.Render(m)
		if err != nil || templates.Segments(body) <= 2 {
			return m
		}
		next, ok := shorter(m)
		if !ok {
			return m
		}
		m = next
	}
}

// worthNaming leaves out of open the services about to close: a person told of one would find it shut.
func worthNaming(open []community.Opening, now time.Time) []community.Opening {
	var out []community.Opening
	for _, o := range open {
		if o.Service.Always() || !o.OpenNow(now) || o.Until.Sub(now) >= closingSoon {
			out = append(out, o)
		}
	}
	return out
}

// closingSoon is how near its closing a service open now is passed over in the out-of-hours text.
const closingSoon = 30 * time.Minute

// daytime reads the daytime service that opens next (nil with none) and the next two events.
func (bt *Bot) daytime(ctx context.Context, r rota.Rota, now time.Time) (*templates.ServiceText, []templates.EventText, error) {
	events, services, err := bt.comm.Recent(ctx, now)
	if err != nil {
		return nil, nil, err
	}
	var svc *templates.ServiceText
	if s := serviceTexts(worthNaming(community.Soonest(services, "", now, r.Location()), now), 1, now, r.Location()); len(s) > 0 {
		svc = &s[0]
	}
	var list []templates.EventText
	for i, o := range community.Coming(events, now, r.Location()) {
		if i == 2 {
			break
		}
		list = append(list, eventText(o, now, r.Location()))
	}
	return svc, list, nil
}

// outOfHours is the closed text with the next daytime service and as many of the next two events as
// two segments allow (and without the service if even that does not fit).
func (bt *Bot) outOfHours(ctx context.Context, t *turn) (templates.Message, error) {
	svc, events, err := bt.daytime(ctx, t.rota, t.now)
	if err != nil {
		return nil, err
	}
	m := templates.PersonOutOfHours{Opens: opensText(t.rota, t.now), Service: svc, Events: events}
	return bt.fitting(m, func(m templates.Message) (templates.Message, bool) {
		o := m.(templates.PersonOutOfHours)
		switch {
		case len(o.Events) > 0:
			o.Events = o.Events[:len(o.Events)-1]
		case o.Service != nil:
			o.Service = nil
		default:
			return o, false
		}
		return o, true
	}), nil
}

// signpost is the fallback text with the daytime service that opens next, when it fits.
func (bt *Bot) signpost(ctx context.Context, t *turn) (templates.Message, error) {
	svc, _, err := bt.daytime(ctx, t.rota, t.now)
	if err != nil {
		return nil, err
	}
	return bt.fitting(templates.PersonFallback{Service: svc}, func(templates.Message) (templates.Message, bool) {
		return templates.PersonFallback{}, true
	}), nil
}

// eventText is how a text names occurrence o, seen at now.
func eventText(o community.Occurrence, now time.Time, loc *time.Location) templates.EventText {
	when := community.DayWords(now, o.Start, loc) + " " + o.Start.In(loc).Format("15:04") + "-" + o.End.In(loc).Format("15:04")
	return templates.EventText{When: when, Title: o.Event.Title, Place: o.Event.Place}
}

// serviceTexts names up to n of open, seen at now.
func serviceTexts(open []community.Opening, n int, now time.Time, loc *time.Location) []templates.ServiceText {
	var out []templates.ServiceText
	for i, o := range open {
		if i == n {
			break
		}
		opens := "opens " + o.From.In(loc).Format("15:04") + " " + community.DayWords(now, o.From, loc)
		switch {
		case o.Service.Always():
			opens = "open 24/7"
		case o.OpenNow(now):
			opens = "open now till " + o.Until.In(loc).Format("15:04")
		}
		out = append(out, templates.ServiceText{Name: o.Service.Name, Phone: o.Service.Phone, Opens: opens, Note: o.Service.Note})
	}
	return out
}
