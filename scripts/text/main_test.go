package main

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"testing"

	"github.com/twilio/twilio-go/client"
)

func TestPostsASignedMessage(t *testing.T) {
	var got url.Values
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		v := client.NewRequestValidator("localdevtoken")
		if !v.ValidateBody("https://line.example.org"+r.URL.RequestURI(), body, r.Header.Get("X-Twilio-Signature")) {
			http.Error(w, "forbidden", http.StatusForbidden)
			return
		}
		got, _ = url.ParseQuery(string(body))
	}))
	defer srv.Close()
	env := map[string]string{"PUBLIC_URL": "https://line.example.org"}
	var out bytes.Buffer
	args := []string{"text", "-env", "", "-url", srv.URL, "-from", "07700 900001", "-whatsapp", "can't", "sleep"}
	if err := run(context.Background(), args, func(k string) string { return env[k] }, &out); err != nil {
		t.Fatalf("run: %v (%s)", err, out.String())
	}
	if got.Get("From") != "whatsapp:+447700900001" || got.Get("Body") != "can't sleep" {
		t.Fatalf("service got From %q Body %q", got.Get("From"), got.Get("Body"))
	}
	if err := run(context.Background(), []string{"text", "-env", ""}, func(string) string { return "" }, &out); err == nil {
		t.Fatal("no -from and no message: want an error")
	}
}
