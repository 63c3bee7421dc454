package main

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"peerline/commit"
	"peerline/redistest"
	"peerline/rota"
)

// cli runs the tool as a coordinator would, against a line of its own in the test Redis.
type cli struct {
	t       *testing.T
	env     map[string]string
	envFile string
	rdb     *redis.Client
	store   *rota.Store
	app     *commit.Applier
	now     time.Time // the tool's clock: Tuesday 24 November 2026, 12:00 in London, unless a test moves it
}

func newCLI(t *testing.T) *cli {
	t.Helper()
	rdb, line := redistest.New(t)
	loc, err := time.LoadLocation("Europe/London")
	if err != nil {
		t.Fatal(err)
	}
	return &cli{
		t:       t,
		env:     map[string]string{"REDIS_URL": redistest.URL(t), "LINE_ID": line},
		envFile: filepath.Join(t.TempDir(), "missing.env"), // so no developer .env is read
		rdb:     rdb,
		now:     time.Date(2026, 11, 24, 12, 0, 0, 0, loc),
		store:   rota.NewStore(rdb, line, loc),
		app:     commit.NewApplier(rdb),
	}
}

// result is what one run of the tool printed and returned.
type result struct {
	out, errOut string
	err         error
}

// run runs the tool with args after the -env flag, with stdin as what the coordinator types.
func (c *cli) run(stdin string, args ...string) result {
	c.t.Helper()
	var out, errOut bytes.Buffer
	argv := append([]string{"rota", "-env", c.envFile}, args...)
	getenv := func(k string) string { return c.env[k] }
	now := func() time.Time { return c.now }
	err := runAt(context.Background(), now, argv, getenv, strings.NewReader(stdin), &out, &errOut)
	return result{out: out.String(), errOut: errOut.String(), err: err}
}

// must runs a command that has to succeed, such as a test's setup, and returns what it printed.
func (c *cli) must(args ...string) string {
	c.t.Helper()
	r := c.run("", args...)
	if r.err != nil {
		c.t.Fatalf("rota %s: %v\n%s", strings.Join(args, " "), r.err, r.errOut)
	}
	return r.out
}

// setOff records volunteer id as having texted OFF.
func (c *cli) setOff(id string) {
	c.t.Helper()
	b := commit.New()
	c.store.SetAvailable(b, id, false)
	if _, err := c.app.Apply(context.Background(), b); err != nil {
		c.t.Fatal(err)
	}
}

func (c *cli) load() rota.Rota {
	c.t.Helper()
	r, err := c.store.Load(context.Background())
	if err != nil {
		c.t.Fatal(err)
	}
	return r
}

// wantErr checks that r failed with an error mentioning every part of want, and whether it was a
// usage error.
func wantErr(t *testing.T, r result, usage bool, want ...string) {
	t.Helper()
	if r.err == nil {
		t.Fatalf("no error; output:\n%s", r.out)
	}
	for _, w := range want {
		if !strings.Contains(r.err.Error(), w) {
			t.Errorf("error %q does not mention %q", r.err, w)
		}
	}
	var u usageError
	if got := errors.As(r.err, &u); got != usage {
		t.Errorf("usage error = %v, want %v (error %q)", got, usage, r.err)
	}
}

func TestHelp(t *testing.T) {
	t.Parallel()
	cmds := [][]string{{}, {"volunteer"}, {"shift"}, {"hours"}}
	for _, c := range commands() {
		cmds = append(cmds, strings.Fields(c.name))
	}
	for _, cmd := range cmds {
		for _, flag := range []string{"-h", "--help"} {
			name := strings.Join(append(append([]string{"rota"}, cmd...), flag), " ")
			t.Run(name+" prints an example and succeeds", func(t *testing.T) {
				t.Parallel()
				var out, errOut bytes.Buffer
				args := append(append([]string{"rota", "-env", "missing.env"}, cmd...), flag)
				// No settings and no Redis: help must work before either is needed.
				err := run(context.Background(), args, func(string) string { return "" }, strings.NewReader(""),
					&out, &errOut)
				if err != nil {
					t.Fatalf("error %v; stderr:\n%s", err, errOut.String())
				}
				if !strings.Contains(out.String(), "Example:\n  "+prog+" ") {
					t.Errorf("help has no example:\n%s", out.String())
				}
				if errOut.Len() != 0 {
					t.Errorf("help wrote to stderr:\n%s", errOut.String())
				}
			})
		}
	}
}

func TestUsageErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		args []string
		want []string
	}{
		{"no command lists the commands", nil, []string{"no command given"}},
		{"unknown command is named", []string{"rotas"}, []string{`unknown command "rotas"`}},
		{"unknown subcommand is named", []string{"shift", "move"}, []string{`unknown command "shift move"`}},
		{"group without subcommand asks for one", []string{"volunteer"}, []string{"add, edit, pause, resume, remove, list or show"}},
		{"unknown flag is named", []string{"volunteer", "list", "-all"}, []string{"-all"}},
		{"missing flags are all reported", []string{"shift", "add", "-day", "fri"},
			[]string{"-volunteer is required", "-start is required", "-end is required"}},
		{"missing id asks for it", []string{"shift", "remove"}, []string{"give the shift's id"}},
		{"extra argument is refused", []string{"who", "now"}, []string{`unexpected "now"`}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			var out, errOut bytes.Buffer
			args := append([]string{"rota", "-env", "missing.env"}, tc.args...)
			err := run(context.Background(), args, func(string) string { return "" }, strings.NewReader(""),
				&out, &errOut)
			wantErr(t, result{out: out.String(), err: err}, true, tc.want...)
			if !strings.Contains(errOut.String(), "Usage: "+prog) {
				t.Errorf("stderr has no usage:\n%s", errOut.String())
			}
		})
	}
}

func TestSettings(t *testing.T) {
	t.Parallel()
	t.Run("every bad setting is reported at once", func(t *testing.T) {
		t.Parallel()
		env := map[string]string{"REDIS_URL": "http://localhost", "LINE_ID": "Main Line",
			"LINE_TIMEZONE": "Mars/Olympus", "DEFAULT_REGION": "Britain"}
		err := run(context.Background(), []string{"rota", "-env", "missing.env", "volunteer", "list"},
			func(k string) string { return env[k] }, strings.NewReader(""), &bytes.Buffer{}, &bytes.Buffer{})
		wantErr(t, result{err: err}, false, "REDIS_URL", "LINE_ID", "LINE_TIMEZONE", "DEFAULT_REGION")
	})
	t.Run("settings missing from the environment come from the -env file", func(t *testing.T) {
		t.Parallel()
		c := newCLI(t)
		c.must("volunteer", "add", "-name", "Sam", "-phone", "07700 900123")
		file := filepath.Join(t.TempDir(), "rota.env")
		content := "REDIS_URL=" + c.env["REDIS_URL"] + "\nLINE_ID=" + c.env["LINE_ID"] + "\n"
		if err := os.WriteFile(file, []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
		c.env, c.envFile = map[string]string{}, file
		if out := c.must("volunteer", "list"); !strings.Contains(out, "Sam") {
			t.Errorf("volunteer list with settings from %s does not show Sam:\n%s", file, out)
		}
	})
	t.Run("redis that does not answer is explained", func(t *testing.T) {
		t.Parallel()
		env := map[string]string{"REDIS_URL": "unix://" + filepath.Join(t.TempDir(), "none.sock")}
		err := run(context.Background(), []string{"rota", "-env", "missing.env", "who"},
			func(k string) string { return env[k] }, strings.NewReader(""), &bytes.Buffer{}, &bytes.Buffer{})
		wantErr(t, result{err: err}, false, "does not answer")
	})
}

func TestUsageLinesShowTheArgument(t *testing.T) {
	t.Parallel()
	for _, c := range commands() {
		if c.arg != "" && c.synopsis == "" {
			t.Errorf("%s takes %s, but its usage line does not show it", c.name, c.arg)
		}
	}
}
