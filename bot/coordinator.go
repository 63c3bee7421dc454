package bot

import (
	"context"
	"strings"

	"peerline/feedback"
	"peerline/rota"
	"peerline/templates"
)

// status tells a volunteer their state; a coordinator also gets the line's: the queue (how many wait
// and the longest wait) and who on shift is free, in a chat or OFF.
func (bt *Bot) status(ctx context.Context, t *turn, v rota.Volunteer) error {
	t.action = "status sent"
	rs, err := bt.rooms(ctx, []rota.Volunteer{v}, t.now)
	if err != nil {
		return err
	}
	err = bt.reply(t, templates.VolunteerStatus{
		Available: t.rota.Available(v.ID), OnShift: t.rota.OnShift(v.ID, t.now), OnCall: onCall(t, v.ID),
		Code: t.party.Conv, Offers: len(t.match.Offers), Resting: resting(rs[v.ID], t.rota.Location()),
	})
	if err != nil || !v.Coordinator {
		return err
	}
	live, err := bt.match.Live(ctx)
	if err != nil {
		return err
	}
	busy := map[string]bool{}
	for _, c := range live.Chats {
		busy[c.Volunteer] = true
	}
	var free, off, inChat, rest []string
	on := t.rota.OnShiftAt(t.now)
	var all []rota.Volunteer
	seen, names := map[string]bool{}, map[string]int{}
	for _, o := range append(on, t.rota.OnCallAt(t.now)...) {
		if !seen[o.ID] {
			seen[o.ID] = true
			all = append(all, o)
			names[o.Name]++
		}
	}
	rooms, err := bt.rooms(ctx, on, t.now)
	if err != nil {
		return err
	}
	for _, o := range all {
		var notes []string
		if names[o.Name] > 1 { // two of the same first name: told apart by id
			notes = append(notes, o.ID)
		}
		onShift := t.rota.OnShift(o.ID, t.now)
		if !onShift {
			notes = append(notes, "on call")
		}
		r, isOn := rooms[o.ID]
		switch {
		case busy[o.ID]:
			inChat = append(inChat, labelled(o.Name, notes))
		case !t.rota.Available(o.ID):
			off = append(off, labelled(o.Name, notes))
		case onShift && isOn && !r.ok: // kept from offers by their wellbeing limits (coordinators on call are paged anyway)
			rest = append(rest, labelled(o.Name, append(notes, resting(r, t.rota.Location()))))
		default:
			free = append(free, labelled(o.Name, notes))
		}
	}
	m := templates.CoordinatorStatus{OnShift: len(on), Available: len(free) + len(inChat), Chats: len(live.Chats),
		Waiting: len(live.Waiting), Late: live.Late, Free: strings.Join(free, ", "), Off: strings.Join(off, ", "),
		InChat: strings.Join(inChat, ", "), Resting: strings.Join(rest, ", ")}
	if longest, ok := live.Longest(t.now); ok {
		m.Longest = waitedText(longest)
	}
	return bt.reply(t, m)
}

// labelled is name with notes in brackets, such as "Ash (v4, on call)".
func labelled(name string, notes []string) string {
	if len(notes) == 0 {
		return name
	}
	return name + " (" + strings.Join(notes, ", ") + ")"
}

// escalate pages the coordinators on call for a volunteer who needs help now (ESCALATE), with the
// chat's code (or their last chat's) and the volunteer's name and number, and tells the volunteer.
func (bt *Bot) escalate(t *turn, v rota.Volunteer) error {
	code, inChat := t.party.Conv, t.party.Conv != ""
	if !inChat {
		code = t.party.LastConv
	}
	t.action, t.fields["request"] = "volunteer escalated", code
	var oncall []rota.Volunteer
	for _, c := range t.rota.OnCallAt(t.now) {
		if c.ID != v.ID {
			oncall = append(oncall, c)
		}
	}
	for _, c := range oncall {
		m := templates.CoordinatorEscalate{Code: code, Name: v.Name, ID: v.ID, Phone: v.Phone, InChat: inChat}
		if err := bt.tell(t, c, m); err != nil {
			return err
		}
	}
	if len(oncall) == 0 {
		t.action += "; nobody else on call"
		return bt.reply(t, templates.VolunteerEscalated{Self: onCall(t, v.ID), InChat: inChat})
	}
	return bt.reply(t, templates.VolunteerEscalated{Name: oncall[0].Name, InChat: inChat})
}

// askToTalk pages the on-call coordinator for a volunteer who replied TALK after a chat.
func (bt *Bot) askToTalk(t *turn, v rota.Volunteer) error {
	t.action = "debrief: asked to talk"
	bt.debrief(t, feedback.DebriefTalk)
	var oncall []rota.Volunteer
	for _, c := range t.rota.OnCallAt(t.now) {
		if c.ID != v.ID { // a coordinator on call who asks to talk needs someone else
			oncall = append(oncall, c)
		}
	}
	if len(oncall) == 0 {
		t.action += "; nobody on call"
		return bt.reply(t, templates.VolunteerTalkAsked{})
	}
	for _, c := range oncall {
		m := templates.CoordinatorTalk{Name: v.Name, ID: v.ID, Phone: v.Phone, Code: t.party.LastConv}
		if err := bt.tell(t, c, m); err != nil {
			return err
		}
	}
	return bt.reply(t, templates.VolunteerTalkAsked{Name: oncall[0].Name})
}
