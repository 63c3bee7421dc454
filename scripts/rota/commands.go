package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"peerline/rota"
	"strings"
	"text/tabwriter"
)

// action runs a command whose flags were parsed, with its positional arguments.
type action func(ctx context.Context, t *tool, args []string) error

// command is one thing the tool does, with everything its help text needs.
type command struct {
	name     string // as typed, such as "volunteer add"
	synopsis string // what follows the name in the usage line
	summary  string // one line for the list of commands
	details  string // a paragraph for the command's own help
	example  string // an example command line, after prog
	arg      string // the positional argument wanted, such as "the volunteer's id (such as v3)"; "" for none
	required []string
	setup    func(fs *flag.FlagSet) action
}

// commands lists every command in the order the usage text shows them.
func commands() []command {
	return []command{volunteerAddCmd, volunteerEditCmd, volunteerPauseCmd, volunteerResumeCmd,
		volunteerRemoveCmd, volunteerListCmd, volunteerShowCmd,
		shiftAddCmd, shiftCoverCmd, shiftSwapCmd, shiftSkipCmd, shiftRemoveCmd, shiftListCmd, shiftAskCmd,
		hoursShowCmd, hoursSetCmd, hoursAddDateCmd, hoursRemoveDateCmd,
		exportVolunteersCmd, exportShiftsCmd, importCmd,
		deadListCmd, deadRetryCmd, deadClearCmd, blocksListCmd, blocksLiftCmd, forgetCmd,
		whoCmd, tonightCmd, weekCmd, gapsCmd, statusCmd, reportCmd, feedbackCmd, outcomesCmd,
		lineAddCmd, lineEditCmd, lineListCmd, lineShowCmd,
		eventsAddCmd, eventsEditCmd, eventsListCmd, eventsRemoveCmd, eventsExportCmd, eventsImportCmd,
		servicesAddCmd, servicesEditCmd, servicesListCmd, servicesRemoveCmd, servicesExportCmd, servicesImportCmd}
}

// pick finds the command named by the first words of args and returns it with the words after its
// name. It answers "help" itself and returns a nil command then.
func pick(args []string, stdout, stderr io.Writer) (*command, []string, error) {
	if len(args) == 0 {
		printUsage(stderr, "")
		return nil, nil, usageError{errors.New("no command given; choose one from the list above")}
	}
	if args[0] == "help" {
		return nil, nil, help(args[1:], stdout, stderr)
	}
	cmds := commands()
	for i := range cmds {
		words := strings.Fields(cmds[i].name)
		if len(args) >= len(words) && strings.Join(args[:len(words)], " ") == cmds[i].name {
			return &cmds[i], args[len(words):], nil
		}
	}
	group := args[0]
	if !isGroup(group) {
		printUsage(stderr, "")
		return nil, nil, usageError{fmt.Errorf("unknown command %q", group)}
	}
	if len(args) > 1 && (args[1] == "-h" || args[1] == "-help" || args[1] == "--help") {
		printUsage(stdout, group)
		return nil, nil, nil
	}
	printUsage(stderr, group)
	if len(args) == 1 {
		return nil, nil, usageError{fmt.Errorf("%s needs one of %s", group, oneOf(subcommands(group)))}
	}
	return nil, nil, usageError{fmt.Errorf("unknown command %q", group+" "+args[1])}
}

// help answers "help" and "help COMMAND...".
func help(args []string, stdout, stderr io.Writer) error {
	want := strings.Join(args, " ")
	if want == "" || isGroup(want) {
		printUsage(stdout, want)
		return nil
	}
	for _, c := range commands() {
		if c.name == want {
			fs := flag.NewFlagSet(prog+" "+c.name, flag.ContinueOnError)
			c.setup(fs)
			c.printHelp(stdout, fs)
			return nil
		}
	}
	printUsage(stderr, "")
	return usageError{fmt.Errorf("no help for %q: it is not a command", want)}
}

// isGroup reports whether word starts the names of several commands, such as "volunteer".
func isGroup(word string) bool { return len(subcommands(word)) > 0 }

// subcommands returns the words that follow group in command names: "add", "list", ...
func subcommands(group string) []string {
	var out []string
	for _, c := range commands() {
		if rest, ok := strings.CutPrefix(c.name, group+" "); ok {
			out = append(out, rest)
		}
	}
	return out
}

// oneOf lists words as "a, b or c".
func oneOf(words []string) string {
	if len(words) < 2 {
		return strings.Join(words, "")
	}
	return strings.Join(words[:len(words)-1], ", ") + " or " + words[len(words)-1]
}

// parse reads the command's flags and positional arguments. It returns a nil action (and nil error)
// when help was asked for and printed.
func (c *command) parse(args []string, stdout, stderr io.Writer) (action, []string, error) {
	fs := flag.NewFlagSet(prog+" "+c.name, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	act := c.setup(fs)
	pos, err := parseArgs(fs, args)
	if errors.Is(err, flag.ErrHelp) {
		c.printHelp(stdout, fs)
		return nil, nil, nil
	}
	if err == nil {
		err = c.check(fs, pos)
	}
	if err != nil {
		c.printHelp(stderr, fs)
		return nil, nil, usageError{err}
	}
	return func(ctx context.Context, t *tool, pos []string) error {
		datesAsWritten(fs, t.cfg.Region)
		return act(ctx, t, pos)
	}, pos, nil
}

// dateFlags are the flags that take a date.
var dateFlags = map[string]bool{"date": true, "from": true, "to": true, "with-date": true}

// datesAsWritten lets every date flag take a date as the line's region writes it, as the imports do
// (24/12/2026 or Thu 24 Dec 2026 in GB): each is rewritten as YYYY-MM-DD before the command reads it. A
// value read no way, or two ways (03/04/26), is left as it was, for the command to refuse with its
// own words (it wants YYYY-MM-DD).
func datesAsWritten(fs *flag.FlagSet, region string) {
	fs.Visit(func(f *flag.Flag) {
		if !dateFlags[f.Name] {
			return
		}
		if d := rota.ReadDateCell(f.Value.String(), region); d.Date != "" {
			_ = f.Value.Set(d.Date)
		}
	})
}

// check reports every missing flag and a wrong number of positional arguments at once.
func (c *command) check(fs *flag.FlagSet, pos []string) error {
	var errs []error
	if c.arg == "" && len(pos) > 0 {
		errs = append(errs, fmt.Errorf("unexpected %q: %s takes only flags, each value after its name, such as: %s %s",
			pos[0], c.name, prog, c.example))
	}
	for _, name := range c.required {
		if strings.TrimSpace(fs.Lookup(name).Value.String()) == "" {
			errs = append(errs, fmt.Errorf("-%s is required", name))
		}
	}
	switch {
	case c.arg != "" && len(pos) == 0:
		errs = append(errs, fmt.Errorf("give %s", c.arg))
	case c.arg != "" && len(pos) > 1:
		errs = append(errs, fmt.Errorf("unexpected %q: give only %s", pos[1], c.arg))
	}
	return errors.Join(errs...)
}

// parseArgs parses flags written before or after positional arguments ("remove v3 -yes") and returns
// the positional ones. Everything after "--" is positional.
func parseArgs(fs *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		rest := fs.Args()
		if len(rest) == 0 {
			return pos, nil
		}
		if n := len(args) - len(rest); n > 0 && args[n-1] == "--" {
			return append(pos, rest...), nil
		}
		pos = append(pos, rest[0])
		args = rest[1:]
	}
}

// printHelp writes the command's usage line, what it does, its flags and an example.
func (c *command) printHelp(w io.Writer, fs *flag.FlagSet) {
	fmt.Fprintf(w, "Usage: %s\n\n%s\n", strings.TrimSpace(prog+" "+c.name+" "+c.synopsis), c.details)
	hasFlags := false
	fs.VisitAll(func(*flag.Flag) { hasFlags = true })
	if hasFlags {
		fmt.Fprintln(w, "\nFlags:")
		fs.SetOutput(w)
		fs.PrintDefaults()
		fs.SetOutput(io.Discard)
	}
	fmt.Fprintf(w, "\nExample:\n  %s %s\n", prog, c.example)
}

// printUsage writes the top-level usage, or only the commands of group ("volunteer" or "shift").
func printUsage(w io.Writer, group string) {
	if group != "" {
		fmt.Fprintf(w, "Usage: %s [-env FILE] %s %s [flags]\n\nCommands:\n", prog, group,
			strings.Join(subcommands(group), "|"))
	} else {
		fmt.Fprintf(w, "Usage: %s [-env FILE] COMMAND [flags]\n\n", prog)
		fmt.Fprintln(w, "Keeps the line's rota: volunteers, shifts, open hours and who is on; shows coverage, status and reports.")
		fmt.Fprintln(w, "A first week, step by step: scripts/README.md")
		fmt.Fprintln(w, "\nCommands:")
	}
	tw := tabwriter.NewWriter(w, 0, 0, 3, ' ', 0)
	example := ""
	for _, c := range commands() {
		if group == "" || strings.HasPrefix(c.name, group+" ") {
			fmt.Fprintf(tw, "  %s\t%s\n", c.name, c.summary)
			if example == "" {
				example = c.example
			}
		}
	}
	tw.Flush()
	if group == "" {
		fmt.Fprint(w, settingsHelp)
	}
	fmt.Fprintf(w, "\nExample:\n  %s %s\n\n", prog, example)
	fmt.Fprintf(w, "Run a command with -h for its flags and an example, such as: %s shift add -h\n", prog)
}

const settingsHelp = `
Global flags (before or after the command's name):
  -env FILE        settings file read after the environment (default .env; a missing file is fine)
  -line ID         the line to work on, one added with line add (default: the default line, LINE_ID)

Settings (from the environment, then the -env file):
  REDIS_URL        where the rota is kept (default redis://localhost:6379/0); a Redis Cluster:
                   REDIS_CLUSTER_ADDRS=host:port,host:port or REDIS_URL=redis://h1:7000?addr=h2:7001
  LINE_ID          the default line's id (default main)
  LINE_TIMEZONE    the default line's time zone, of shifts and of -at times (default Europe/London)
  DEFAULT_REGION   the country of phone numbers written without a +code (default GB)
`
