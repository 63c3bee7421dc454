package main

import (
	"strings"
	"testing"

	"peerline/settings"
)

func TestLoadConfig(t *testing.T) {
	twilio := map[string]string{
		"TWILIO_ACCOUNT_SID": "AC123", "TWILIO_AUTH_TOKEN": "abc123", "TWILIO_FROM_NUMBER": "07700 900999",
		"PUBLIC_URL": "https://line.example.org/",
	}
	tests := []struct {
		name    string
		env     map[string]string
		wantErr []string // every one must be reported, together
		check   func(t *testing.T, c config)
	}{
		{name: "empty environment is local trial mode", env: map[string]string{}, check: func(t *testing.T, c config) {
			if !c.LocalMode || c.AuthToken != localToken || c.Addr != ":8080" || c.PublicURL != "http://localhost:8080" {
				t.Fatalf("got %+v", c)
			}
		}},
		{name: "twilio settings are normalised", env: twilio, check: func(t *testing.T, c config) {
			if c.LocalMode || c.From != "+447700900999" || c.PublicURL != "https://line.example.org" {
				t.Fatalf("got %+v", c)
			}
		}},
		{name: "every bad setting is reported at once", env: map[string]string{
			"TWILIO_ACCOUNT_SID": "XX1", "PUBLIC_URL": "line.example.org", "LINE_TIMEZONE": "Mars/Olympus",
			"LOG_FORMAT": "xml", "LINE_ID": "Main Line", "PORT": "abc", "DEFAULT_REGION": "XX", "GIVE_UP_TIMEOUT": "soon",
		}, wantErr: []string{"TWILIO_ACCOUNT_SID", "TWILIO_AUTH_TOKEN", "TWILIO_FROM_NUMBER", "PUBLIC_URL",
			"LINE_TIMEZONE", "LOG_FORMAT", "LINE_ID", "PORT", "DEFAULT_REGION", "GIVE_UP_TIMEOUT"}},
		{name: "bad from number is refused", env: map[string]string{
			"TWILIO_ACCOUNT_SID": "AC1", "TWILIO_AUTH_TOKEN": "abc", "TWILIO_FROM_NUMBER": "call us",
		}, wantErr: []string{"TWILIO_FROM_NUMBER"}},
		{name: "token with symbols is refused", env: map[string]string{"TWILIO_AUTH_TOKEN": "a-b"},
			wantErr: []string{"TWILIO_AUTH_TOKEN"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r, err := settings.New(func(k string) string { return tc.env[k] }, "")
			if err != nil {
				t.Fatal(err)
			}
			c, err := loadConfig(r)
			if len(tc.wantErr) == 0 {
				if err != nil {
					t.Fatal(err)
				}
				tc.check(t, c)
				return
			}
			if err == nil {
				t.Fatalf("no error, want one naming %v", tc.wantErr)
			}
			for _, k := range tc.wantErr {
				if !strings.Contains(err.Error(), k) {
					t.Errorf("error does not name %s:\n%v", k, err)
				}
			}
		})
	}
}
