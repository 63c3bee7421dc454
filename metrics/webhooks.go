package metrics

import (
	"net/http"
	"strings"
)

// Webhooks wraps the service's HTTP handler and counts the Twilio webhooks that never reached a line:
// refused (400, 403), to no line's number (404) or failed (5xx). The bot counts the others, by line.
func (m *Metrics) Webhooks(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodPost || !strings.HasPrefix(r.URL.Path, "/twilio/") {
			next.ServeHTTP(w, r)
			return
		}
		rec := &statusRecorder{ResponseWriter: w, status: http.StatusOK}
		next.ServeHTTP(rec, r)
		switch {
		case rec.status == http.StatusNotFound:
			m.inbound.WithLabelValues("", KindUnknownLine).Inc()
		case rec.status == http.StatusBadRequest || rec.status == http.StatusForbidden:
			m.inbound.WithLabelValues("", KindRejected).Inc()
		case rec.status >= 500:
			m.inbound.WithLabelValues("", KindFailed).Inc()
		}
	})
}

// statusRecorder remembers the status a handler answered.
type statusRecorder struct {
	http.ResponseWriter
	status int
}

func (s *statusRecorder) WriteHeader(code int) {
	s.status = code
	s.ResponseWriter.WriteHeader(code)
}
