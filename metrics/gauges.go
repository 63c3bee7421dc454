package metrics

import (
	"context"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"peerline/matcher"
)

// Queue reads a line's waiting requests.
type Queue interface {
	Backlog(ctx context.Context, giveUpBefore time.Time) (matcher.Backlog, error)
}

// Depther reads how many texts wait in a line's outbox, by priority class.
type Depther interface {
	Depth(ctx context.Context) (map[string]int64, error)
}

// Source is what a scrape reads of one line.
type Source struct {
	Line   string
	Queue  Queue
	Outbox Depther
}

// Lines lists the lines served now.
type Lines interface {
	Sources() []Source
}

// scrapeTimeout bounds the Redis reads of one scrape.
const scrapeTimeout = 3 * time.Second

var (
	waitingDesc = prometheus.NewDesc(NameWaiting, "Requests waiting in the queue for a volunteer.",
		[]string{"line"}, nil)
	pastGiveUpDesc = prometheus.NewDesc(NamePastGiveUp,
		"Requests still waiting in the queue past their give-up time (GIVE_UP_TIMEOUT): the due-work sweep is not keeping up.",
		[]string{"line"}, nil)
	oldestDesc = prometheus.NewDesc(NameOldestWait, "Seconds the longest-waiting request in the queue has waited (0 when none waits).",
		[]string{"line"}, nil)
	depthDesc = prometheus.NewDesc(NameOutboxDepth, "Texts waiting in the outbox to be sent, by priority class.",
		[]string{"line", "class"}, nil)
)

// gauges reads the queue and outbox gauges of every line from Redis at scrape time. A line whose reads
// fail gives no gauges in that scrape and counts a read error.
type gauges struct {
	m     *Metrics
	lines Lines
}

// Describe is part of prometheus.Collector.
func (g *gauges) Describe(ch chan<- *prometheus.Desc) {
	for _, d := range []*prometheus.Desc{waitingDesc, pastGiveUpDesc, oldestDesc, depthDesc} {
		ch <- d
	}
}

// Collect is part of prometheus.Collector.
func (g *gauges) Collect(ch chan<- prometheus.Metric) {
	ctx, cancel := context.WithTimeout(context.Background(), scrapeTimeout)
	defer cancel()
	now := g.m.cfg.Now()
	for _, s := range g.lines.Sources() {
		if b, err := s.Queue.Backlog(ctx, now.Add(-g.m.cfg.GiveUp)); err != nil {
			g.m.readErrors.WithLabelValues(s.Line).Inc()
		} else {
			oldest := 0.0
			if !b.Oldest.IsZero() {
				oldest = max(now.Sub(b.Oldest).Seconds(), 0)
			}
			ch <- prometheus.MustNewConstMetric(waitingDesc, prometheus.GaugeValue, float64(b.Count), s.Line)
			ch <- prometheus.MustNewConstMetric(pastGiveUpDesc, prometheus.GaugeValue, float64(b.Over), s.Line)
			ch <- prometheus.MustNewConstMetric(oldestDesc, prometheus.GaugeValue, oldest, s.Line)
		}
		depth, err := s.Outbox.Depth(ctx)
		if err != nil {
			g.m.readErrors.WithLabelValues(s.Line).Inc()
			continue
		}
		for class, n := range depth {
			ch <- prometheus.MustNewConstMetric(depthDesc, prometheus.GaugeValue, float64(n), s.Line, class)
		}
	}
}
