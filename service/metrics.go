package service

import "peerline/metrics"

// Sources lists what the metrics read of every line served now: its queue and its outbox.
func (f *fleet) Sources() []metrics.Source {
	runs := f.each()
	out := make([]metrics.Source, 0, len(runs))
	for _, r := range runs {
		out = append(out, metrics.Source{Line: r.line.ID, Queue: r.match, Outbox: r.box})
	}
	return out
}
