package main

import (
	"bufio"
	"context"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"peerline/redistest"
	"peerline/rota"
	"peerline/twiliofake"
)

// TestLocalTrialMode starts the service with no Twilio account: texts are printed, not sent, and
// webhooks must still be signed (with the local token).
func TestLocalTrialMode(t *testing.T) {
	rdb, line := redistest.New(t)
	env := map[string]string{"PORT": "0", "LISTEN_HOST": "127.0.0.1", "REDIS_URL": redistest.URL(t), "LINE_ID": line,
		"PUBLIC_URL": "http://localhost:8080"}
	ctx, cancel := context.WithCancel(context.Background())
	out, outW := io.Pipe()
	logs := &lockedBuffer{}
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, []string{"peerline", "-env", ""}, func(k string) string { return env[k] }, outW, logs)
		outW.Close()
	}()
	lines := make(chan string, 100)
	go func() {
		sc := bufio.NewScanner(out)
		for sc.Scan() {
			lines <- sc.Text()
		}
		close(lines)
	}()
	next := func(prefix string) string {
		t.Helper()
		for {
			select {
			case l, ok := <-lines:
				if !ok {
					t.Fatalf("output ended before %q; logs:\n%s", prefix, logs)
				}
				if strings.Contains(l, prefix) {
					return l
				}
			case <-time.After(10 * time.Second):
				t.Fatalf("no output line with %q; logs:\n%s", prefix, logs)
			}
		}
	}
	addr := strings.Fields(strings.TrimPrefix(next("peerline listening on "), "peerline listening on "))[0]
	if !strings.Contains(logs.String(), "local trial mode") {
		t.Errorf("the log does not say it is in local trial mode:\n%s", logs)
	}

	loc, _ := time.LoadLocation("Europe/London")
	store := rota.NewStore(rdb, line, loc)
	if _, err := store.AddVolunteer(ctx, rota.Volunteer{Name: "Sam", Phone: "+447700900101"}); err != nil {
		t.Fatal(err)
	}
	hooks := twiliofake.Webhooks{ServiceURL: addr, PublicURL: "http://localhost:8080", AuthToken: "wrongtoken"}
	form := twiliofake.MessageForm("AC0", "+447700900001", "+447700900999", "hello")
	if code, _, _ := hooks.Post(ctx, "/twilio/messages", form); code != http.StatusForbidden {
		t.Fatalf("wrongly signed request answered %d, want 403", code)
	}
	hooks.AuthToken = localToken
	if code, body, err := hooks.Post(ctx, "/twilio/messages", form); err != nil || code != http.StatusOK {
		t.Fatalf("signed request answered %d %q %v", code, body, err)
	}
	got := next("[not sent: console mode]")
	if !strings.Contains(got, "*******001") || strings.Contains(got, "+447700900001") {
		t.Errorf("console line %q should mask the number", got)
	}
	next("116 123") // nobody on shift: the fallback, printed
	cancel()
	if err := <-done; err != nil {
		t.Fatalf("run returned %v", err)
	}
}
