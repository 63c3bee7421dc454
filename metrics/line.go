package metrics

import (
	"time"

	"peerline/bot"
)

// Line is one line's share of the metrics: the bot's Observer for that line, and the decorator of its
// Twilio sender (see Sender).
type Line struct {
	m  *Metrics
	id string
}

// Line returns the metrics of line id, with every kind and step it counts set at zero, so rates and
// alerts see a series from the start.
func (m *Metrics) Line(id string) *Line {
	for _, k := range []string{bot.KindNewRequest, bot.KindRelay, bot.KindCommand, bot.KindRisk, bot.KindPerson,
		bot.KindDuplicate, bot.KindStatus} {
		m.inbound.WithLabelValues(id, k)
	}
	for _, s := range []string{bot.StepWiden, bot.StepPage, bot.StepGiveUp, bot.StepSignpost} {
		m.escalations.WithLabelValues(id, s)
	}
	m.timeToHuman.WithLabelValues(id)
	m.sendSeconds.WithLabelValues(id)
	return &Line{m: m, id: id}
}

// Handled counts one inbound message of kind.
func (l *Line) Handled(kind string) { l.m.inbound.WithLabelValues(l.id, kind).Inc() }

// Escalated counts one escalation step.
func (l *Line) Escalated(step string) { l.m.escalations.WithLabelValues(l.id, step).Inc() }

// Connected observes the time a person waited for a volunteer.
func (l *Line) Connected(waited time.Duration) {
	l.m.timeToHuman.WithLabelValues(l.id).Observe(waited.Seconds())
}

// DueLate observes how late due work of kind was claimed.
func (l *Line) DueLate(kind string, late time.Duration) {
	l.m.dueLateness.WithLabelValues(l.id, kind).Observe(max(late, 0).Seconds())
}
