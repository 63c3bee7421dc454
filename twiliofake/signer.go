package twiliofake

import (
	"context"
	"crypto/hmac"
	"crypto/sha1"
	"encoding/base64"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"sort"
	"strings"
)

// Sign returns the X-Twilio-Signature Twilio sends with a form POST to fullURL: base64 of the HMAC-SHA1,
// keyed by the auth token, of the URL followed by every parameter name and value, sorted by name.
func Sign(authToken, fullURL string, form url.Values) string {
	names := make([]string, 0, len(form))
	for k := range form {
		names = append(names, k)
	}
	sort.Strings(names)
	var b strings.Builder
	b.WriteString(fullURL)
	for _, k := range names {
		for _, v := range form[k] {
			b.WriteString(k)
			b.WriteString(v)
		}
	}
	mac := hmac.New(sha1.New, []byte(authToken))
	mac.Write([]byte(b.String()))
	return base64.StdEncoding.EncodeToString(mac.Sum(nil))
}

// Webhooks posts signed webhook requests to a service, as Twilio would.
type Webhooks struct {
	ServiceURL string // where to send, such as http://127.0.0.1:8080
	PublicURL  string // the URL the service was told it is reached at (PUBLIC_URL); the signature covers it
	AuthToken  string
	HTTP       *http.Client
}

// Post sends form to path, signed, and returns the status code and body.
func (w Webhooks) Post(ctx context.Context, path string, form url.Values) (int, string, error) {
	body := form.Encode()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, w.ServiceURL+path, strings.NewReader(body))
	if err != nil {
		return 0, "", err
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("X-Twilio-Signature", Sign(w.AuthToken, w.PublicURL+path, form))
	hc := w.HTTP
	if hc == nil {
		hc = http.DefaultClient
	}
	res, err := hc.Do(req)
	if err != nil {
		return 0, "", fmt.Errorf("post %s: %w", path, err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	return res.StatusCode, string(b), err
}

// MessageForm returns the form Twilio posts for an incoming message from one address to another
// (addresses as Twilio writes them: "+447700900123" or "whatsapp:+447700900123").
func MessageForm(accountSID, from, to, body string) url.Values {
	sid := NewSID("SM")
	f := url.Values{
		"MessageSid": {sid}, "SmsMessageSid": {sid}, "SmsSid": {sid}, "AccountSid": {accountSID},
		"From": {from}, "To": {to}, "Body": {body}, "NumMedia": {"0"}, "NumSegments": {"1"},
		"SmsStatus": {"received"}, "ApiVersion": {"2010-04-01"},
	}
	if strings.HasPrefix(from, "whatsapp:") {
		f.Set("ProfileName", "Friend")
		f.Set("WaId", strings.TrimPrefix(from, "whatsapp:+"))
	}
	return f
}
