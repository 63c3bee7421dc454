// Command text plays a phone texting the line: it posts a message webhook to a running peerline,
// signed exactly as Twilio signs it, so the whole story can be tried without a Twilio number.
//
//	go run ./scripts/text -from 07700900001 "can't sleep, really want a drink"
//	go run ./scripts/text -from 07700900101 ACCEPT
//
// In local trial mode (no TWILIO_ACCOUNT_SID) it sends through the phone simulator's send endpoint,
// which signs the webhook, posts it to the service and shows the text on the sender's own card (a new
// card for a number the page has none for). Otherwise, or when the service runs no simulator, it signs
// the webhook itself and posts it to the service directly.
//
// It reads PORT, PUBLIC_URL, TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN from the environment or .env, like
// the service, and signs with the same token (the local trial token when no Twilio account is set).
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"strings"
	"time"

	"peerline/phone"
	"peerline/service"
	"peerline/settings"
	"peerline/twiliofake"
)

func main() {
	if err := run(context.Background(), os.Args, os.Getenv, os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "text:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, args []string, getenv func(string) string, stdout io.Writer) error {
	fs := flag.NewFlagSet("text", flag.ContinueOnError)
	from := fs.String("from", "", "the sender's number, in any format (required)")
	whatsapp := fs.Bool("whatsapp", false, "send as a WhatsApp message")
	envFile := fs.String("env", ".env", "settings file read after the environment")
	service := fs.String("url", "", "where the service listens (default http://localhost:$PORT)")
	to := fs.String("to", "", "the line's number to text: another line's (see rota line list); default the default line's")
	fs.Usage = func() {
		fmt.Fprintln(fs.Output(), "usage: go run ./scripts/text -from NUMBER [-whatsapp] MESSAGE...\n"+
			"example: go run ./scripts/text -from 07700900001 \"can't sleep, really want a drink\"")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args[1:]); errors.Is(err, flag.ErrHelp) {
		return nil
	} else if err != nil {
		return err
	}
	env, err := settings.New(getenv, *envFile)
	if err != nil {
		return err
	}
	get := env.Get
	if *from == "" || fs.NArg() == 0 {
		fs.Usage()
		return fmt.Errorf(`need -from NUMBER, then the message (flags go first), such as: go run ./scripts/text -from 07700900001 "hello"`)
	}
	number, err := phone.Parse(*from, env.Region())
	if err != nil {
		return fmt.Errorf("-from: %w", err)
	}
	ch := phone.SMS
	if *whatsapp {
		ch = phone.WhatsApp
	}
	if *service == "" {
		*service = "http://localhost:" + get("PORT", "8080")
	}
	m := message{from: number, ch: ch, text: strings.Join(fs.Args(), " ")}
	if *to != "" {
		if m.to, err = phone.Parse(*to, env.Region()); err != nil {
			return fmt.Errorf("-to: %w", err)
		}
	}
	return send(ctx, get, strings.TrimSuffix(*service, "/"), m, stdout)
}

// message is one text from a phone to the line.
type message struct {
	from string // E.164
	to   string // the line's number, E.164; "" for the default line's
	ch   phone.Channel
	text string
}

// send delivers m to the service at base: through its phone simulator in local trial mode (no
// TWILIO_ACCOUNT_SID), else, or when the service runs no simulator, as a webhook signed here.
func send(ctx context.Context, get func(key, def string) string, base string, m message, stdout io.Writer) error {
	hc := &http.Client{Timeout: 10 * time.Second}
	if get("TWILIO_ACCOUNT_SID", "") == "" && m.to == "" { // the simulator plays the default line only
		code, body, err := viaSimulator(ctx, hc, base, m)
		if err != nil {
			return err
		}
		if code != http.StatusNotFound { // 404: the service runs no simulator, so post to it directly
			return report(stdout, code, body)
		}
	}
	token := get("TWILIO_AUTH_TOKEN", "")
	if get("TWILIO_ACCOUNT_SID", "") == "" && token == "" {
		token = "localdevtoken"
	}
	hooks := twiliofake.Webhooks{
		ServiceURL: base,
		PublicURL:  strings.TrimSuffix(get("PUBLIC_URL", "http://localhost:"+get("PORT", "8080")), "/"),
		AuthToken:  token, HTTP: hc,
	}
	line := m.to
	if line == "" && m.ch == phone.WhatsApp {
		line = get("TWILIO_WHATSAPP_FROM", "+447700900998") // local trial mode's WhatsApp number
	} else if line == "" {
		line = get("TWILIO_FROM_NUMBER", service.LocalLine)
	}
	form := twiliofake.MessageForm(get("TWILIO_ACCOUNT_SID", service.LocalAccountSID), phone.Address(m.from, m.ch),
		phone.Address(line, m.ch), m.text)
	code, body, err := hooks.Post(ctx, "/twilio/messages", form)
	if err != nil {
		return err
	}
	return report(stdout, code, body)
}

// viaSimulator asks the phone simulator at base to send m. The simulator answers
// 204 when the service took the text (the service's 200), and the service's own status and words when
// it did not.
func viaSimulator(ctx context.Context, hc *http.Client, base string, m message) (int, string, error) {
	form := url.Values{"from": {m.from}, "channel": {string(m.ch)}, "body": {m.text}}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, base+"/simulator/send", strings.NewReader(form.Encode()))
	if err != nil {
		return 0, "", err
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	res, err := hc.Do(req)
	if err != nil {
		return 0, "", fmt.Errorf("post /simulator/send: %w", err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if res.StatusCode == http.StatusNoContent {
		return http.StatusOK, string(b), err
	}
	return res.StatusCode, string(b), err
}

// report prints the service's answer, as "200 OK", and turns any other into an error.
func report(stdout io.Writer, code int, body string) error {
	fmt.Fprintf(stdout, "%d %s\n", code, http.StatusText(code))
	if code != http.StatusOK {
		return fmt.Errorf("the service answered %d: %s", code, strings.TrimSpace(body))
	}
	return nil
}
