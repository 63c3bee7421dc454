package twiliofake_test

import (
	"net/url"
	"testing"

	"github.com/twilio/twilio-go/client"

	"peerline/twiliofake"
)

// Twilio's published example: https://www.twilio.com/docs/usage/security#validating-requests
func TestSignMatchesTwilioVector(t *testing.T) {
	form := url.Values{
		"CallSid": {"CA1234567890ABCDE"}, "Caller": {"+14158675309"}, "Digits": {"1234"},
		"From": {"+14158675309"}, "To": {"+18005551212"},
	}
	got := twiliofake.Sign("12345", "https://mycompany.com/myapp.php?foo=1&bar=2", form)
	if want := "RSOYDt4T1cUTdK1PDd93/VVr8B8="; got != want {
		t.Fatalf("Sign = %q, want Twilio's %q", got, want)
	}
}

func TestSignAcceptedByTwilioGoValidator(t *testing.T) {
	tests := []struct {
		name, token, url, otherToken string
		valid                        bool
	}{
		{name: "same token accepted", token: "secret", url: "https://line.example.org/twilio/messages", otherToken: "secret", valid: true},
		{name: "other token rejected", token: "secret", url: "https://line.example.org/twilio/messages", otherToken: "wrong", valid: false},
		{name: "query kept and accepted", token: "secret", url: "https://line.example.org/twilio/messages?line=main", otherToken: "secret", valid: true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			form := twiliofake.MessageForm("AC123", "whatsapp:+447700900123", "+447700900999", "can't sleep & want a drink")
			sig := twiliofake.Sign(tc.token, tc.url, form)
			v := client.NewRequestValidator(tc.otherToken)
			if got := v.ValidateBody(tc.url, []byte(form.Encode()), sig); got != tc.valid {
				t.Fatalf("ValidateBody = %v, want %v", got, tc.valid)
			}
		})
	}
}
