package night

import (
	"math"
	"slices"
	"time"
)

// report works out the night's figures from what each phone lived through.
func (m *model) report() Report {
	r := Report{Options: m.opt, People: len(m.people), Took: m.now.Sub(m.opt.Start), Overran: m.overran,
		Unrecognised: m.unknown}
	var toHuman []time.Duration
	var texts, notices, danger []int
	for _, p := range m.people {
		texts, notices, danger = append(texts, p.texts), append(notices, p.notices), append(danger, p.danger)
		r.Seen.CodesToPeople += p.codes
		if p.firstReply.IsZero() {
			r.Violations.NoReply++
		}
		if p.firstKind == kindSignpost {
			r.Seen.SignpostedAtOnce++
		}
		if !p.connected.IsZero() {
			r.Connected++
			toHuman = append(toHuman, p.connected.Sub(p.arrived))
		}
		if p.connected.IsZero() || p.connected.Sub(p.arrived) > m.opt.WaitOver {
			r.NoHumanWithin++
			if !p.connected.IsZero() {
				r.ConnectedAfter++
			}
		}
		if p.resolved().IsZero() {
			r.StillWaiting++
		}
		if p.signposted.IsZero() {
			continue
		}
		r.Signposted++
		if p.late {
			r.SignpostedThenConnected++
		}
		c, free, idle := m.freeNeverOffered(p)
		switch {
		case len(idle) > 0:
			r.SignpostedIdle++
			r.IdleCases = append(r.IdleCases, idle...)
		case free:
			r.SignpostedFree++
			r.FreeCases = append(r.FreeCases, c)
		}
	}
	if r.People > 0 {
		r.ConnectedShare = float64(r.Connected) / float64(r.People)
		r.SignpostedShare = float64(r.Signposted) / float64(r.People)
	}
	r.ToHuman = durations(toHuman)
	r.TextsPerPerson, r.NoticesPerPerson, r.DangerPerPerson = spread(texts), spread(notices), spread(danger)
	m.volunteerFigures(&r)
	for _, vols := range m.connected {
		if len(vols) > 1 {
			r.Violations.TwoVolunteers++
		}
	}
	r.Violations.TwoChats, r.Violations.NumberInText = m.odd.TwoChats, m.odd.NumberInText
	r.Seen.Refused, r.Seen.MatchedTwice, r.Seen.SignpostedTwice = m.refused, m.odd.MatchedTwice, m.odd.SignpostedTwice
	r.Seen.ClosedNeverStarted, r.Seen.ToStranger, r.Seen.Unrecognised = m.odd.ClosedNeverStarted, m.odd.ToStranger, m.odd.Unrecognised
	r.Seen.CodeHeld, r.Seen.TryAgain = m.odd.CodeHeld, m.odd.TryAgain
	return r
}

// volunteerFigures adds the texts, offers and notes per volunteer, and the coordinators' pages.
func (m *model) volunteerFigures(r *Report) {
	var texts, notices, offers, taken []int
	for _, v := range m.vols {
		r.Seen.BusyReplies += v.busyReplies
		r.Seen.HelpNotes += v.helpNotes
		r.Pages += v.pages
		r.PagesWhileBusy += v.pagesBusy
		if !v.Coordinator {
			texts, notices = append(texts, v.texts), append(notices, v.notices)
			offers, taken = append(offers, v.offers), append(taken, v.taken)
		}
	}
	r.TextsPerVolunteer, r.NoticesPerVolunteer = spread(texts), spread(notices)
	r.OffersPerVolunteer, r.TakenPerVolunteer = spread(offers), spread(taken)
}

// freeNeverOffered returns, for a signposted person, the first volunteer (not a coordinator) who was
// free at some moment from the person's first text to the signpost and was never offered their
// request before the signpost, with that moment; and the cases where a volunteer was idle then: free
// and holding no unanswered offer of a request still waiting.
func (m *model) freeNeverOffered(p *person) (c Case, free bool, idle []Case) {
	for _, v := range m.vols {
		if v.Coordinator {
			continue
		}
		if at, ok := v.firstOffer[p.code]; ok && !at.After(p.signposted) {
			continue
		}
		busy := m.chats(v)
		// Free while waiting: before the signpost; one freed at the very moment came too late.
		until := p.signposted.Add(-time.Nanosecond)
		if at, ok := uncovered(busy, p.arrived, until); ok && !free {
			free, c = true, Case{Person: m.name(p.number), Code: p.code, Volunteer: v.Name,
				Texted: p.arrived.Sub(m.opt.Start), Free: at.Sub(m.opt.Start), Signposted: p.signposted.Sub(m.opt.Start)}
		}
		if at, ok := uncovered(append(busy, m.holds(v)...), p.arrived, until); ok {
			idle = append(idle, Case{Person: m.name(p.number), Code: p.code, Volunteer: v.Name,
				Texted: p.arrived.Sub(m.opt.Start), Free: at.Sub(m.opt.Start), Signposted: p.signposted.Sub(m.opt.Start)})
		}
	}
	return c, free, idle
}

// chats returns the stretches the volunteer was not free for a chat: in one (one still open lasting
// past the night), resting after one, and from the end of their last chat for the night on. Nothing
// happens as a rest ends: the service's next cron sweep offers them the next person, so a rest lasts
// to the next tick.
func (m *model) chats(v *volunteer) []span {
	out := slices.Clone(v.busy)
	for i := range out {
		if m.opt.Rest > 0 {
			end := out[i].to.Add(m.opt.Rest)
			if up := end.Truncate(tick); !up.Equal(end) {
				end = up.Add(tick)
			}
			out[i].to = end
		}
	}
	if n := m.opt.nightChats(); len(v.busy) >= n {
		out = append(out, span{v.busy[n-1].to, m.now.Add(time.Second)})
	}
	if v.chat != "" {
		out = append(out, span{v.chatFrom, m.now.Add(time.Second)})
	}
	return out
}

// holds returns the stretches the volunteer held an unanswered offer of a request still waiting: a
// hold ends with their answer, the "already taken" note, or the request's person no longer waiting.
func (m *model) holds(v *volunteer) []span {
	end := func(code string, to time.Time) time.Time {
		if i, ok := m.codes[code]; ok && i >= 0 {
			if r := m.people[i].resolved(); !r.IsZero() && (to.IsZero() || r.Before(to)) {
				return r
			}
		}
		if to.IsZero() {
			return m.now.Add(time.Second)
		}
		return to
	}
	var out []span
	for _, h := range v.held {
		out = append(out, span{h.from, end(h.code, h.to)})
	}
	for code, from := range v.holding {
		out = append(out, span{from, end(code, time.Time{})})
	}
	return out
}

// uncovered returns the first moment from a to b, both included, that lies in none of the spans.
func uncovered(spans []span, a, b time.Time) (time.Time, bool) {
	spans = slices.Clone(spans)
	slices.SortFunc(spans, func(x, y span) int { return x.from.Compare(y.from) })
	cur := a // every moment from a to before cur is covered
	for _, s := range spans {
		if s.to.Compare(cur) <= 0 {
			continue
		}
		if s.from.After(cur) {
			return cur, true
		}
		cur = s.to
		if cur.After(b) {
			return time.Time{}, false
		}
	}
	return cur, !cur.After(b)
}

// durations returns the median, 90th percentile (nearest rank) and maximum of ds.
func durations(ds []time.Duration) Durations {
	if len(ds) == 0 {
		return Durations{}
	}
	ds = slices.Clone(ds)
	slices.Sort(ds)
	rank := func(q float64) time.Duration { return ds[max(0, int(math.Ceil(q*float64(len(ds))))-1)] }
	return Durations{Median: rank(0.5), P90: rank(0.9), Max: ds[len(ds)-1]}
}

func spread(ns []int) Spread {
	if len(ns) == 0 {
		return Spread{}
	}
	sum := 0
	for _, n := range ns {
		sum += n
	}
	return Spread{Mean: float64(sum) / float64(len(ns)), Max: slices.Max(ns)}
}
