package webhooks

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"net/url"

	"github.com/sirupsen/logrus"
	"github.com/twilio/twilio-go/client"
)

// maxBody is larger than any Twilio webhook form (an SMS body is at most 1600 characters).
const maxBody = 64 << 10

type formKey struct{}

// verifier checks X-Twilio-Signature with twilio-go's validator, for each accepted token.
type verifier struct {
	publicURL  string
	validators []client.RequestValidator
}

func newVerifier(publicURL string, tokens []string) verifier {
	v := verifier{publicURL: publicURL}
	for _, t := range tokens {
		if t != "" {
			v.validators = append(v.validators, client.NewRequestValidator(t))
		}
	}
	return v
}

// wrap answers 403 to a request without a valid signature and 400 to a malformed one; otherwise it
// passes the parsed form on in the request's context.
func (v verifier) wrap(log logrus.FieldLogger, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxBody))
		if err != nil {
			http.Error(w, "body too large or unreadable", http.StatusBadRequest)
			return
		}
		if !v.valid(r.URL.RequestURI(), body, r.Header.Get("X-Twilio-Signature")) {
			log.WithField("path", r.URL.Path).Warn("rejected a request without a valid Twilio signature")
			http.Error(w, "forbidden", http.StatusForbidden)
			return
		}
		form, err := url.ParseQuery(string(body))
		if err != nil {
			http.Error(w, "malformed form", http.StatusBadRequest)
			return
		}
		r.Body = io.NopCloser(bytes.NewReader(body))
		next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), formKey{}, form)))
	})
}

func (v verifier) valid(requestURI string, body []byte, sig string) bool {
	if sig == "" {
		return false
	}
	for _, val := range v.validators {
		if val.ValidateBody(v.publicURL+requestURI, body, sig) {
			return true
		}
	}
	return false
}

func formOf(r *http.Request) url.Values {
	f, _ := r.Context().Value(formKey{}).(url.Values)
	return f
}
