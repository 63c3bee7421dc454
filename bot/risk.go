package bot

import (
	"context"
	"slices"
	"time"

	"peerline/matcher"
	"peerline/rota"
	"peerline/templates"
)

// Risk tells whether a text has risk words: suicide, self-harm, overdose, method words (package risk).
type Risk interface {
	Match(text string) bool
}

// safetyAgain is how long after a safety text another one is held back: a person in distress who
// writes three times in a minute gets it once, not three times.
const safetyAgain = 15 * time.Minute

// riskMemory is how long the line remembers that a person used risk words (the time only): a new
// request from them within it is urgent, and their volunteer is told. It is within RETENTION (at least
// 24 hours), since it is kept in the person's state.
const riskMemory = 24 * time.Hour

// riskedLately reports whether person p used risk words within riskMemory of now.
func riskedLately(p party, now time.Time) bool {
	return !p.RiskAt.IsZero() && now.Sub(p.RiskAt) < riskMemory
}

// safety queues the urgent safety text to the sender when their text had risk words (t.risky), or when
// a new request of theirs is urgent for risk words they used earlier (t.earlier), before
// any other text of the turn: 999, Samaritans, NHS 111, Shout. finding says a peer supporter is being
// found for them now. It reports whether it sent it (not when one went in the last safetyAgain).
func (bt *Bot) safety(t *turn, finding bool) (bool, error) {
	if !t.risky && !t.earlier {
		return false, nil
	}
	t.fields["risk"] = true
	if t.risky {
		t.b.Do("HSET", bt.keys.party(t.in.From), "riskat", t.now.UnixMilli())
	} else {
		t.fields["risk"] = "earlier"
	}
	if code, _ := t.fields["request"].(string); code != "" {
		bt.match.Risk(t.b, code, t.now)
	}
	if !t.party.SafetyAt.IsZero() && t.now.Sub(t.party.SafetyAt) < safetyAgain && !finding {
		return false, nil
	}
	t.b.Do("HSET", bt.keys.party(t.in.From), "safetyat", t.now.UnixMilli())
	return true, bt.reply(t, templates.PersonSafety{Finding: finding})
}

// alertOnce marks that the volunteer and coordinators of request code heard of the sender's risk
// words, and reports whether they had not yet: they hear once per request, however often the words come.
func (bt *Bot) alertOnce(t *turn, code string) bool {
	if t.party.RiskCode == code {
		return false
	}
	t.b.Do("HSET", bt.keys.party(t.in.From), "riskcode", code)
	return true
}

// urgent handles risk words from a person whose request req is waiting: the safety text first, then
// the request moves to the head of the queue and its first tier ends, everyone free who has not passed
// on it is offered it at once (as urgent), and the coordinators on call are paged or told.
func (bt *Bot) urgent(ctx context.Context, t *turn, req matcher.Request) error {
	t.fields["request"] = req.Code
	if _, err := bt.safety(t, false); err != nil {
		return err
	}
	if req.Status != matcher.Open {
		return nil
	}
	t.action = "risk words from a waiting person: request made urgent"
	if !req.Urgent {
		bt.match.MarkUrgent(t.b, req)
		req.Urgent = true
	}
	if t.match.Active == nil || t.party.Req != "" { // the sender's read left the line's chats out
		busy, err := bt.match.Busy(ctx)
		if err != nil {
			return err
		}
		t.match.Active = busy
	}
	free, err := bt.eligible(ctx, t)
	if err != nil {
		return err
	}
	var fresh []rota.Volunteer
	for _, v := range free {
		if !req.Holders[v.ID] && !req.PassedBy[v.ID] {
			fresh = append(fresh, v)
		}
	}
	bt.match.Offer(t.b, req, fresh, t.now)
	for _, v := range fresh {
		if err := bt.offer(t, v, req); err != nil {
			return err
		}
	}
	t.dispatch = true
	if !bt.alertOnce(t, req.Code) {
		return nil
	}
	return bt.alertCoordinators(ctx, t, req, rota.Volunteer{})
}

// stoppedAtRisk tells the coordinators on call, but for the volunteer with id with (who was told, or
// who is the one who stopped), that someone in a chat or request texted STOP (m).
func (bt *Bot) stoppedAtRisk(t *turn, m templates.Message, with string) error {
	t.action += "; coordinators told"
	for _, c := range available(t.rota, t.rota.OnCallAt(t.now)) {
		if c.ID == with {
			continue
		}
		if err := bt.tell(t, c, m); err != nil {
			return err
		}
	}
	return nil
}

// alertCoordinators tells every coordinator on call, at once, that the person of req used risk words:
// while it is still waiting, each one who is in no chat is paged (offered it, urgent: their plain
// ACCEPT takes it before any other offer they hold); any other is told. with is the volunteer with the
// person, if any, who is not told about their own chat.
func (bt *Bot) alertCoordinators(ctx context.Context, t *turn, req matcher.Request, with rota.Volunteer) error {
	oncall := available(t.rota, t.rota.OnCallAt(t.now))
	paged := map[string]bool{}
	if req.Status == matcher.Open {
		free, _, err := bt.freeCoordinators(ctx, t, oncall, req)
		if err != nil {
			return err
		}
		if len(free) > 0 {
			bt.match.Page(t.b, req, free, t.now)
		}
		for _, c := range oncall { // deciding on another page: offered this one too
			if t.match.Active[c.ID] == "" && !req.OfferedTo[c.ID] && !req.PassedBy[c.ID] && !slices.ContainsFunc(free, func(f rota.Volunteer) bool { return f.ID == c.ID }) {
				bt.match.Offer(t.b, req, []rota.Volunteer{c}, t.now)
				free = append(free, c)
			}
		}
		for _, c := range free {
			paged[c.ID] = true
			m := templates.CoordinatorPage{Code: req.Code, Waited: waitedText(t.now.Sub(req.Created)), Urgent: true}
			if err := bt.toStaff(t, c, m, 0, offerRef(req.Code, c.ID)); err != nil {
				return err
			}
		}
	}
	for _, c := range oncall {
		if paged[c.ID] || c.ID == with.ID {
			continue
		}
		if err := bt.tell(t, c, templates.CoordinatorRisk{Code: req.Code, Name: with.Name}); err != nil {
			return err
		}
	}
	t.fields["coordinators"] = len(oncall)
	return nil
}
