package twiliofake_test

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/twilio/twilio-go/client"

	"peerline/twiliofake"
)

// statusService stands in for the service: it checks the signature of each request with twilio-go's
// validator against the public URL, as the real one does, and passes on the path and form it got.
type statusService struct {
	publicURL, token string
	got              chan statusRequest
}

type statusRequest struct {
	path string
	form url.Values
}

func (s statusService) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	v := client.NewRequestValidator(s.token)
	if !v.ValidateBody(s.publicURL+r.URL.RequestURI(), body, r.Header.Get("X-Twilio-Signature")) {
		http.Error(w, "forbidden", http.StatusForbidden)
		return
	}
	f, _ := url.ParseQuery(string(body))
	s.got <- statusRequest{path: r.URL.Path, form: f}
	w.WriteHeader(http.StatusNoContent)
}

func TestPostStatusIsSignedAsTwilioSignsIt(t *testing.T) {
	sent := twiliofake.Sent{SID: "SM0123456789abcdef0123456789abcdef", To: "whatsapp:+447700900001", From: "whatsapp:+447700900998"}
	tests := []struct {
		name      string
		status    string
		errorCode int
		token     string // the token the fake signs with
		wantCode  int
		wantForm  url.Values
	}{
		{
			name: "delivered accepted without an error code", status: "delivered", token: authToken, wantCode: http.StatusNoContent,
			wantForm: url.Values{"MessageSid": {sent.SID}, "SmsSid": {sent.SID}, "MessageStatus": {"delivered"}, "SmsStatus": {"delivered"},
				"AccountSid": {accountSID}, "To": {sent.To}, "From": {sent.From}, "ApiVersion": {"2010-04-01"}},
		},
		{
			name: "undelivered accepted with its error code", status: "undelivered", errorCode: 63016, token: authToken, wantCode: http.StatusNoContent,
			wantForm: url.Values{"MessageSid": {sent.SID}, "SmsSid": {sent.SID}, "MessageStatus": {"undelivered"}, "SmsStatus": {"undelivered"},
				"AccountSid": {accountSID}, "To": {sent.To}, "From": {sent.From}, "ApiVersion": {"2010-04-01"}, "ErrorCode": {"63016"}},
		},
		{name: "signed with another token refused", status: "failed", errorCode: 30003, token: "wrongtoken", wantCode: http.StatusForbidden},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			svc := statusService{publicURL: "https://line.example.org", token: authToken, got: make(chan statusRequest, 1)}
			srv := httptest.NewServer(svc)
			defer srv.Close()
			hooks := twiliofake.Webhooks{ServiceURL: srv.URL, PublicURL: svc.publicURL, AuthToken: tc.token}
			code, _, err := hooks.PostStatus(context.Background(), twiliofake.StatusOf(accountSID, sent, tc.status, tc.errorCode))
			if err != nil || code != tc.wantCode {
				t.Fatalf("PostStatus = %d, %v; want %d", code, err, tc.wantCode)
			}
			if tc.wantForm == nil {
				return
			}
			got := <-svc.got
			if got.path != "/twilio/status" {
				t.Fatalf("posted to %s, want /twilio/status", got.path)
			}
			if diff := cmp.Diff(tc.wantForm, got.form); diff != "" {
				t.Fatalf("status form (-want +got):\n%s", diff)
			}
		})
	}
}
