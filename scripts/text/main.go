// Command text plays a phone texting the line: it posts a message webhook to a running peerline,
// signed exactly as Twilio signs it, so the whole story can be tried without a Twilio number.
//
//	go run ./scripts/text -from 07700900001 "can't sleep, really want a drink"
//	go run ./scripts/text -from 07700900101 ACCEPT
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
	"os"
	"strings"
	"time"

	"peerline/phone"
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
	port := get("PORT", "8080")
	token := get("TWILIO_AUTH_TOKEN", "")
	if get("TWILIO_ACCOUNT_SID", "") == "" && token == "" {
		token = "localdevtoken"
	}
	if *service == "" {
		*service = "http://localhost:" + port
	}
	hooks := twiliofake.Webhooks{
		ServiceURL: strings.TrimSuffix(*service, "/"),
		PublicURL:  strings.TrimSuffix(get("PUBLIC_URL", "http://localhost:"+port), "/"),
		AuthToken:  token, HTTP: &http.Client{Timeout: 10 * time.Second},
	}
	line := phone.Address(get("TWILIO_FROM_NUMBER", "+447700900999"), ch)
	form := twiliofake.MessageForm(get("TWILIO_ACCOUNT_SID", "AC0"), phone.Address(number, ch), line, strings.Join(fs.Args(), " "))
	code, body, err := hooks.Post(ctx, "/twilio/messages", form)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "%d %s\n", code, http.StatusText(code))
	if code != http.StatusOK {
		return fmt.Errorf("the service answered %d: %s", code, strings.TrimSpace(body))
	}
	return nil
}
