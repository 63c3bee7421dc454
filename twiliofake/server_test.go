package twiliofake_test

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"peerline/twiliofake"
)

const (
	accountSID = "AC00000000000000000000000000000001"
	authToken  = "faketoken"
)

// post sends form to the fake's Messages API as twilio-go would, and returns the status and the
// decoded JSON answer.
func post(t *testing.T, srv *httptest.Server, form url.Values) (int, map[string]any) {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, srv.URL+"/2010-04-01/Accounts/"+accountSID+"/Messages.json", strings.NewReader(form.Encode()))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.SetBasicAuth(accountSID, authToken)
	res, err := srv.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	var body map[string]any
	if err := json.NewDecoder(res.Body).Decode(&body); err != nil {
		t.Fatalf("answer is not JSON: %v", err)
	}
	return res.StatusCode, body
}

func TestMessagesAcceptsBodyOrTemplate(t *testing.T) {
	base := func(extra ...string) url.Values {
		f := url.Values{"To": {"whatsapp:+447700900001"}, "From": {"whatsapp:+447700900998"}}
		for i := 0; i+1 < len(extra); i += 2 {
			f.Set(extra[i], extra[i+1])
		}
		return f
	}
	tests := []struct {
		name     string
		form     url.Values
		wantCode int // HTTP status
		wantErr  int // Twilio error code, when refused
		wantSent twiliofake.Sent
	}{
		{
			name: "template without body sent", form: base("ContentSid", "HX0123", "ContentVariables", `{"1":"R7K2"}`), wantCode: 201,
			wantSent: twiliofake.Sent{To: "whatsapp:+447700900001", From: "whatsapp:+447700900998", ContentSID: "HX0123", ContentVariables: `{"1":"R7K2"}`},
		},
		{
			name: "body sent", form: base("Body", "hello"), wantCode: 201,
			wantSent: twiliofake.Sent{To: "whatsapp:+447700900001", From: "whatsapp:+447700900998", Body: "hello"},
		},
		{name: "neither body nor template refused", form: base(), wantCode: 400, wantErr: 21619},
		{name: "variables that are not a JSON object refused", form: base("ContentSid", "HX0123", "ContentVariables", `R7K2`), wantCode: 400, wantErr: 21656},
		{name: "no sender refused", form: url.Values{"To": {"+447700900001"}, "Body": {"hi"}}, wantCode: 400, wantErr: 21603},
		{name: "no recipient refused", form: url.Values{"From": {"+447700900998"}, "Body": {"hi"}}, wantCode: 400, wantErr: 21604},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			fake := twiliofake.NewServer(accountSID, authToken)
			srv := httptest.NewServer(fake)
			defer srv.Close()
			code, body := post(t, srv, tc.form)
			if code != tc.wantCode {
				t.Fatalf("status %d, want %d (%v)", code, tc.wantCode, body)
			}
			sent := fake.Sent()
			if tc.wantErr != 0 {
				if body["code"] != float64(tc.wantErr) || len(sent) != 0 {
					t.Fatalf("answer %v and sent %v, want error %d and nothing sent", body, sent, tc.wantErr)
				}
				return
			}
			if len(sent) != 1 || body["sid"] != sent[0].SID || !strings.HasPrefix(sent[0].SID, "SM") {
				t.Fatalf("answer %v, sent %+v; want one message whose SID is answered", body, sent)
			}
			sent[0].SID = ""
			if diff := cmp.Diff(tc.wantSent, sent[0]); diff != "" {
				t.Fatalf("recorded (-want +got):\n%s", diff)
			}
		})
	}
}
