package chaos

import (
	"bufio"
	"bytes"
	"context"
	"io"
	"os"
	"os/exec"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"peerline/service"
)

const (
	testSID   = "AC22222222222222222222222222222222"
	testToken = "chaostoken123"
	publicURL = "https://peerline.chaos"
	lineNum   = "+447700900999"
)

// instance is one running service: in-process through service.RunWith, or the built binary (which a
// SIGKILL needs).
type instance struct {
	t      *testing.T
	url    string
	cancel context.CancelFunc // in-process
	done   chan error         // in-process
	cmd    *exec.Cmd          // subprocess
	logs   *lockedBuffer
}

type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// serviceEnv is the settings of every instance: offers to everyone on shift at once, no rest after a
// chat and no nightly limit, so volunteers are free again as soon as they say DONE.
func serviceEnv(redisURL, line, twilioURL string, more map[string]string) map[string]string {
	env := map[string]string{
		"PORT": "0", "LISTEN_HOST": "127.0.0.1", "PUBLIC_URL": publicURL, "REDIS_URL": redisURL,
		"TWILIO_ACCOUNT_SID": testSID, "TWILIO_AUTH_TOKEN": testToken, "TWILIO_FROM_NUMBER": lineNum,
		"TWILIO_API_BASE_URL": twilioURL, "LINE_ID": line, "LOG_FORMAT": "json", "LOG_LEVEL": "warn",
		"LOG_HASH_SECRET": "chaos-suite-log-secret", "FIRST_OFFERS": "1000", "REST_AFTER_CHAT": "0",
		"NIGHT_CHATS": "1000", "DAY_CHAT_HOURS": "24", "WEEK_CHAT_HOURS": "168", "RATE_LIMIT": "1000",
		"OUTBOX_RATE": "1000", // the fake Twilio has no per-number limit to respect
	}
	for k, v := range more {
		env[k] = v
	}
	return env
}

// startInProcess runs the service in this process; stop ends it gracefully (no kill in-process).
func startInProcess(t *testing.T, env map[string]string) *instance {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	out, outW := io.Pipe()
	in := &instance{t: t, cancel: cancel, done: make(chan error, 1), logs: &lockedBuffer{}}
	go func() {
		in.done <- service.RunWith(ctx, service.Hooks{Now: time.Now}, []string{"peerline", "-env", ""},
			func(k string) string { return env[k] }, outW, in.logs)
		outW.Close()
	}()
	in.url = listening(t, out, in.logs)
	t.Cleanup(in.stop)
	return in
}

// startBinary runs the built service as its own process.
func startBinary(t *testing.T, bin string, env map[string]string) *instance {
	t.Helper()
	in := &instance{t: t, logs: &lockedBuffer{}}
	in.cmd = exec.Command(bin, "-env", "")
	in.cmd.Env = []string{"PATH=" + os.Getenv("PATH")}
	for k, v := range env {
		in.cmd.Env = append(in.cmd.Env, k+"="+v)
	}
	out, err := in.cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	in.cmd.Stderr = in.logs
	if err := in.cmd.Start(); err != nil {
		t.Fatalf("start the service: %v", err)
	}
	in.url = listening(t, out, in.logs)
	t.Cleanup(in.stop)
	return in
}

// listening reads the service's start-up lines until it says where it listens.
func listening(t *testing.T, out io.Reader, logs *lockedBuffer) string {
	t.Helper()
	addr := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(out)
		for sc.Scan() {
			if a, ok := strings.CutPrefix(sc.Text(), "peerline listening on "); ok {
				addr <- strings.Fields(a)[0]
			}
		}
	}()
	select {
	case a := <-addr:
		return a
	case <-time.After(20 * time.Second):
		t.Fatalf("the service did not start in 20s; logs:\n%s", logs)
		return ""
	}
}

// kill ends a subprocess at once (SIGKILL): texts in hand are neither sent nor acknowledged.
func (in *instance) kill() {
	if in.cmd == nil {
		in.t.Fatal("kill needs the service as a process (the full suite)")
	}
	_ = in.cmd.Process.Signal(syscall.SIGKILL)
	_ = in.cmd.Wait()
	in.cmd = nil
}

// stop ends the instance in order (it may have been killed already).
func (in *instance) stop() {
	switch {
	case in.cancel != nil:
		in.cancel()
		if in.done != nil {
			if err := <-in.done; err != nil {
				in.t.Errorf("service returned %v", err)
			}
			in.done = nil
		}
	case in.cmd != nil:
		_ = in.cmd.Process.Signal(os.Interrupt)
		_ = in.cmd.Wait()
		in.cmd = nil
	}
	if strings.Contains(in.logs.String(), "4477009") {
		in.t.Errorf("a phone number reached the service's logs")
	}
}
