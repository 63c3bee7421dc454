package outbox

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"

	twilio "github.com/twilio/twilio-go"
	"github.com/twilio/twilio-go/client"
	api "github.com/twilio/twilio-go/rest/api/v2010"

	"peerline/phone"
)

// TwilioConfig holds what the Twilio sender needs. It never reads the environment by itself.
type TwilioConfig struct {
	AccountSID          string
	AuthToken           string
	From                string // SMS sender number, E.164; or use MessagingServiceSID
	MessagingServiceSID string
	WhatsAppFrom        string // WhatsApp sender number, E.164
	StatusCallback      string // URL Twilio posts delivery statuses to
	BaseURL             string // optional: a Twilio-compatible server to use instead of api.twilio.com
	Timeout             time.Duration
}

// Twilio sends messages with twilio-go's Messages API.
type Twilio struct {
	cfg TwilioConfig
	api *api.ApiService
}

// NewTwilio returns a sender for cfg.
func NewTwilio(cfg TwilioConfig) (*Twilio, error) {
	if cfg.Timeout <= 0 {
		cfg.Timeout = 10 * time.Second
	}
	// The outbox keeps many sends in flight: keep as many connections open, not net/http's default of 2
	// idle ones a host, so that each send does not open a new TLS connection to Twilio.
	transport := http.DefaultTransport.(*http.Transport).Clone()
	transport.MaxIdleConnsPerHost = 2 * DefaultInFlight
	hc := &http.Client{
		Timeout:       cfg.Timeout,
		Transport:     transport,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
	if cfg.BaseURL != "" {
		base, err := url.Parse(cfg.BaseURL)
		if err != nil || base.Host == "" || (base.Scheme != "http" && base.Scheme != "https") {
			return nil, fmt.Errorf("twilio base URL %q: want http(s)://host[:port]", cfg.BaseURL)
		}
		hc.Transport = &rewrite{base: base, next: transport}
	}
	c := &client.Client{Credentials: client.NewCredentials(cfg.AccountSID, cfg.AuthToken), HTTPClient: hc}
	c.SetAccountSid(cfg.AccountSID)
	rest := twilio.NewRestClientWithParams(twilio.ClientParams{Client: c})
	return &Twilio{cfg: cfg, api: rest.Api}, nil
}

// Send sends m, on WhatsApp when m.Channel says so, and returns the SID Twilio gave it. A message with a
// ContentSID is sent as that approved template with its ContentVariables, and its Body is not sent.
func (t *Twilio) Send(_ context.Context, m Message) (string, error) {
	p := &api.CreateMessageParams{}
	p.SetTo(phone.Address(m.To, m.Channel))
	if err := setContent(p, m); err != nil {
		return "", err
	}
	switch {
	case m.Channel == phone.WhatsApp:
		p.SetFrom(phone.Address(t.cfg.WhatsAppFrom, phone.WhatsApp))
	case t.cfg.MessagingServiceSID != "":
		p.SetMessagingServiceSid(t.cfg.MessagingServiceSID)
	default:
		p.SetFrom(t.cfg.From)
	}
	if t.cfg.StatusCallback != "" {
		p.SetStatusCallback(t.cfg.StatusCallback)
	}
	if m.ValidFor > 0 {
		p.SetValidityPeriod(int(m.ValidFor / time.Second))
	}
	res, err := t.api.CreateMessage(p)
	if err != nil {
		return "", classify(err)
	}
	if res == nil || res.Sid == nil {
		return "", nil
	}
	return *res.Sid, nil
}

// setContent puts either the approved template of m or its body into p.
func setContent(p *api.CreateMessageParams, m Message) error {
	if m.ContentSID == "" {
		p.SetBody(m.Body)
		return nil
	}
	p.SetContentSid(m.ContentSID)
	if m.ContentVariables != "" {
		var vars map[string]any
		if err := json.Unmarshal([]byte(m.ContentVariables), &vars); err != nil || vars == nil {
			// The error would quote the variables, which may be personal: say only what is wrong.
			return fmt.Errorf("template %s: content variables are not a JSON object: %w", m.ContentSID, ErrPermanent)
		}
		p.SetContentVariables(m.ContentVariables)
	}
	return nil
}

// classify turns a twilio-go error into a *SendError, which carries Twilio's status and error code but
// no phone number or text (Twilio's messages can quote the number). It is permanent unless retrying can
// help: 429 and 20429 (too many requests), 5xx and network errors are retried; every other 4xx is not.
func classify(err error) error {
	if err == nil {
		return nil
	}
	var rest *client.TwilioRestError
	if !errors.As(err, &rest) {
		// A network or decoding error: it names the URL (with the account SID) but never the form, so no
		// number or text.
		return &SendError{err: err}
	}
	retry := rest.Status == http.StatusTooManyRequests || rest.Code == 20429 || rest.Status >= 500
	return &SendError{Status: rest.Status, Code: rest.Code, Permanent: !retry}
}

// rewrite sends Twilio API requests to a Twilio-compatible server and refuses every other host.
type rewrite struct {
	base *url.URL
	next http.RoundTripper
}

func (r *rewrite) RoundTrip(req *http.Request) (*http.Response, error) {
	if req.URL.Host != "api.twilio.com" && !strings.HasSuffix(req.URL.Host, ".twilio.com") {
		return nil, fmt.Errorf("twilio transport: refusing host %q", req.URL.Host)
	}
	out := req.Clone(req.Context())
	out.URL.Scheme, out.URL.Host = r.base.Scheme, r.base.Host
	out.URL.Path = strings.TrimSuffix(r.base.Path, "/") + req.URL.Path
	out.Host = r.base.Host
	return r.next.RoundTrip(out)
}
