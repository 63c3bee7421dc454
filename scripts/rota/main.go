// Command rota is the coordinators' tool for the line's rota: volunteers, shifts (weekly, one-off,
// covers, swaps, skipped dates, on call), the line's open hours, coverage, live status, reports, and
// CSV import and export. scripts/README.md walks a coordinator through a first week.
//
// Usage:
//
//	go run ./scripts/rota [-env FILE] COMMAND [flags]
//
// The commands are (run the tool without one for the list with a line on each):
//
//	volunteer add|edit|pause|resume|remove|list|show
//	shift add|cover|swap|skip|remove|list|ask
//	hours show|set|add-date|remove-date
//	events add|edit|list|remove|export|import
//	services add|edit|list|remove|export|import
//	export volunteers|shifts, import
//	who, tonight, week, gaps, status, report
//
// Settings come from the environment, then from the -env file (.env by default; a missing file is
// fine): REDIS_URL (default redis://localhost:6379/0), LINE_ID (default main), LINE_TIMEZONE (default
// Europe/London) and DEFAULT_REGION (default GB, the country of numbers written without a +code).
//
// Run any command with -h for its flags and an example.
package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/redis/go-redis/v9"

	"peerline/lines"
	"peerline/matcher"
	"peerline/rota"
	"peerline/settings"
)

// prog is how coordinators start the tool; usage texts and hints show it so they can be copied.
const prog = "go run ./scripts/rota"

func main() {
	// go-redis logs each failed dial by itself; the tool reports a Redis that does not answer once.
	redis.SetLogger(quietLogger{})
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Args, os.Getenv, os.Stdin, os.Stdout, os.Stderr)
	stop()
	if err != nil {
		fmt.Fprintln(os.Stderr, "rota:", err)
		var usage usageError
		if errors.As(err, &usage) {
			os.Exit(2)
		}
		os.Exit(1)
	}
}

// quietLogger discards go-redis's own log lines.
type quietLogger struct{}

func (quietLogger) Printf(context.Context, string, ...any) {}

// usageError is a command line that could not be understood; the tool exits with status 2.
type usageError struct{ err error }

func (e usageError) Error() string { return e.err.Error() }
func (e usageError) Unwrap() error { return e.err }

// tool is what a command works with once the command line was understood.
type tool struct {
	rdb   redis.UniversalClient
	cfg   config
	lines *lines.Store
	store *rota.Store
	match *matcher.Matcher
	in    *bufio.Reader
	out   io.Writer
	now   func() time.Time
}

// run reads the command line, then the settings, connects to Redis and runs one command.
func run(ctx context.Context, args []string, getenv func(string) string, stdin io.Reader,
	stdout, stderr io.Writer) error {
	return runAt(ctx, time.Now, args, getenv, stdin, stdout, stderr)
}

// runAt is run with a clock, so that tests can fix "now".
func runAt(ctx context.Context, now func() time.Time, args []string, getenv func(string) string, stdin io.Reader,
	stdout, stderr io.Writer) error {
	global := flag.NewFlagSet(prog, flag.ContinueOnError)
	global.SetOutput(io.Discard)
	envFile := global.String("env", ".env", "settings file read after the environment (a missing file is fine)")
	if len(args) > 0 {
		args = args[1:]
	}
	args, line, err := cutLine(args)
	if err != nil {
		printUsage(stderr, "")
		return usageError{err}
	}
	if err := global.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			printUsage(stdout, "")
			return nil
		}
		printUsage(stderr, "")
		return usageError{err}
	}
	cmd, rest, err := pick(global.Args(), stdout, stderr)
	if cmd == nil || err != nil {
		return err
	}
	act, pos, err := cmd.parse(rest, stdout, stderr)
	if act == nil || err != nil {
		return err
	}
	t, closeRedis, err := connect(ctx, getenv, *envFile, line)
	if err != nil {
		return err
	}
	defer closeRedis()
	t.in, t.out, t.now = bufio.NewReader(stdin), stdout, now
	if t.cfg.Line == t.cfg.Default.ID {
		return act(ctx, t, pos)
	}
	// On another line than the default, every command the tool suggests must name it too, or a
	// coordinator who copies one would change the default line's rota.
	hint := strings.NewReplacer(prog+" ", prog+" -line "+t.cfg.Line+" ")
	t.out = hintWriter{w: stdout, r: hint}
	if err := act(ctx, t, pos); err != nil {
		return lineError{err: err, msg: hint.Replace(err.Error())}
	}
	return nil
}

// hintWriter adds -line to the commands the tool suggests (see runAt).
type hintWriter struct {
	w io.Writer
	r *strings.Replacer
}

func (h hintWriter) Write(p []byte) (int, error) {
	if _, err := io.WriteString(h.w, h.r.Replace(string(p))); err != nil {
		return 0, err
	}
	return len(p), nil
}

// lineError is an error whose suggested commands name the line (see runAt).
type lineError struct {
	err error
	msg string
}

func (e lineError) Error() string { return e.msg }
func (e lineError) Unwrap() error { return e.err }

// cutLine takes -line ID (or -line=ID, or --line) out of args, wherever it is, so that every command
// takes it: before the command's name or among its flags.
func cutLine(args []string) ([]string, string, error) {
	var out []string
	line := ""
	for i := 0; i < len(args); i++ {
		a := args[i]
		name, val, hasVal := strings.Cut(strings.TrimPrefix(strings.TrimPrefix(a, "-"), "-"), "=")
		if !strings.HasPrefix(a, "-") || name != "line" {
			out = append(out, a)
			continue
		}
		if !hasVal {
			if i+1 >= len(args) {
				return nil, "", errors.New("-line needs a line's id, such as -line tonbridge (see line list)")
			}
			i++
			val = args[i]
		}
		if line != "" && line != val {
			return nil, "", fmt.Errorf("-line given twice (%s and %s): give one", line, val)
		}
		line = val
	}
	return out, line, nil
}

// connect reads the settings and returns a tool whose store answers, and a func that closes Redis. line
// is the line to work on ("" for the default line).
func connect(ctx context.Context, getenv func(string) string, envFile, line string) (*tool, func(), error) {
	env, err := settings.New(getenv, envFile)
	if err != nil {
		return nil, nil, err
	}
	cfg, err := loadConfig(env)
	if err != nil {
		return nil, nil, err
	}
	rdb := cfg.Redis.NewClient()
	if err := rdb.Ping(ctx).Err(); err != nil {
		_ = rdb.Close()
		return nil, nil, fmt.Errorf("redis at REDIS_URL does not answer (is it running? `make run` starts one): %w", err)
	}
	reg := lines.NewStore(rdb, cfg.Default)
	if line != "" && line != cfg.Line {
		l, err := reg.Get(ctx, line)
		if err != nil {
			_ = rdb.Close()
			return nil, nil, fmt.Errorf("-line %s: %w: see `%s line list`, or add it with `%s line add`", line, lines.ErrNotFound, prog, prog)
		}
		loc, err := l.Location()
		if err != nil {
			_ = rdb.Close()
			return nil, nil, fmt.Errorf("-line %s: %w", line, err)
		}
		cfg.Line, cfg.Location, cfg.Region = l.ID, loc, l.Region
	}
	t := &tool{rdb: rdb, cfg: cfg, lines: reg, store: rota.NewStore(rdb, cfg.Line, cfg.Location), match: matcher.New(rdb, cfg.Line)}
	return t, func() { _ = rdb.Close() }, nil
}

// defaultLine returns the line set in the environment.
func (t *tool) defaultLine() lines.Line { return t.cfg.Default }
