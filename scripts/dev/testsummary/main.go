// Command testsummary reads `go test -json` on stdin and prints what `go test` prints without -json
// (each failing test's output, build errors, and each package's ok or FAIL line), then a list of the
// tests that failed and of every skipped test with its reason (its t.Skip message). It exits 1 when a
// test, a package or a build failed, when a test never finished, or when stdin held no test results.
//
//	scripts/dev/redis.sh test go test -race -count=1 -json ./... | testsummary
package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"os"
	"regexp"
	"slices"
	"strings"
)

func main() {
	failed, err := summarize(os.Stdin, os.Stdout)
	if err != nil {
		fmt.Fprintln(os.Stderr, "testsummary:", err)
		os.Exit(1)
	}
	if failed {
		os.Exit(1)
	}
}

// event is one line of `go test -json` (cmd/test2json), with the build events of `go test` itself.
type event struct {
	Action      string
	Package     string
	Test        string
	Output      string
	ImportPath  string // build-output and build-fail events name the package this way
	FailedBuild string
}

// test is one test's state and output, framing lines (=== RUN and the like) left out.
type test struct {
	name   string
	result string // "" while running, then pass, fail or skip
	lines  []string
}

// pkg is what one package's events have said so far.
type pkg struct {
	tests map[string]*test
	order []*test  // in the order they started
	lines []string // the package's own output, such as "ok  \tpeerline/bot\t1.2s"
}

// summary follows every package in the stream.
type summary struct {
	w        io.Writer
	pkgs     map[string]*pkg
	ended    int
	failures []string // "TestX (bot)", or "bot [build failed]"
	skips    []string // "TestX (e2e): reason"
	failed   bool
}

// summarize copies the test results in r to w as described in the package comment and says whether
// anything failed.
func summarize(r io.Reader, w io.Writer) (failed bool, err error) {
	s := &summary{w: w, pkgs: map[string]*pkg{}}
	in := bufio.NewReader(r)
	for {
		line, err := in.ReadString('\n')
		if line != "" {
			s.line(line)
		}
		if err == io.EOF {
			break
		}
		if err != nil {
			return true, fmt.Errorf("read the test results: %w", err)
		}
	}
	s.finish()
	return s.failed, nil
}

// line takes one line of input: a JSON event, or anything else, which is passed on as it is.
func (s *summary) line(line string) {
	var e event
	if !strings.HasPrefix(line, "{") || json.Unmarshal([]byte(line), &e) != nil {
		fmt.Fprint(s.w, strings.TrimSuffix(line, "\n")+"\n")
		return
	}
	switch {
	case e.Action == "build-output":
		fmt.Fprint(s.w, e.Output)
	case e.Action == "build-fail":
		s.failed = true
	case e.Package == "":
	case e.Test == "":
		s.packageEvent(e)
	default:
		s.testEvent(e)
	}
}

func (s *summary) pkg(name string) *pkg {
	p := s.pkgs[name]
	if p == nil {
		p = &pkg{tests: map[string]*test{}}
		s.pkgs[name] = p
	}
	return p
}

func (s *summary) testEvent(e event) {
	p := s.pkg(e.Package)
	t := p.tests[e.Test]
	if t == nil {
		t = &test{name: e.Test}
		p.tests[e.Test] = t
		p.order = append(p.order, t)
	}
	switch e.Action {
	case "output":
		if !framing(e.Output) {
			t.lines = append(t.lines, e.Output)
		}
	case "pass", "fail", "skip":
		t.result = e.Action
	}
	if e.Action == "skip" {
		s.skips = append(s.skips, fmt.Sprintf("%s (%s): %s", e.Test, short(e.Package), skipReason(t.lines)))
	}
}

// framing says whether a line of a test's output only marks which test runs (go test -v prints them).
func framing(line string) bool {
	for _, p := range []string{"=== RUN", "=== PAUSE", "=== CONT", "=== NAME"} {
		if strings.HasPrefix(line, p) {
			return true
		}
	}
	return false
}

func (s *summary) packageEvent(e event) {
	p := s.pkg(e.Package)
	switch e.Action {
	case "output":
		p.lines = append(p.lines, e.Output)
	case "pass", "skip":
		s.print(e.Package, p, false)
	case "fail":
		if e.FailedBuild != "" {
			s.failures = append(s.failures, short(e.Package)+" [build failed]")
		}
		s.print(e.Package, p, true)
	}
}

// print writes a package's results once it has ended, as go test does without -json: a failed
// package's failing and unfinished tests and all its own output, or a passing package's ok line.
func (s *summary) print(name string, p *pkg, failed bool) {
	s.ended++
	delete(s.pkgs, name)
	for _, t := range p.order {
		if t.result == "fail" || t.result == "" {
			failed = true
			s.failures = append(s.failures, fmt.Sprintf("%s (%s)", t.name, short(name)))
			s.printTest(t)
		}
	}
	for _, l := range p.lines {
		if failed || strings.HasPrefix(l, "ok ") || strings.HasPrefix(l, "? ") {
			fmt.Fprint(s.w, l)
		}
	}
	if failed {
		s.failed = true
	}
}

// printTest writes a failing test's result line first, then its output, indented by its depth as
// go test indents subtests.
func (s *summary) printTest(t *test) {
	indent := strings.Repeat("    ", strings.Count(t.name, "/"))
	var rest []string
	head := indent + "--- FAIL: " + t.name + " (did not finish)\n"
	for _, l := range t.lines {
		if strings.HasPrefix(l, "--- FAIL: ") {
			head = indent + l
			continue
		}
		rest = append(rest, l)
	}
	fmt.Fprint(s.w, head)
	for _, l := range rest {
		fmt.Fprint(s.w, indent+l)
	}
}

// finish prints the packages that never ended (a test binary killed midway), the failures and the
// skips.
func (s *summary) finish() {
	for _, name := range slices.Sorted(maps.Keys(s.pkgs)) {
		p := s.pkgs[name]
		p.lines = append(p.lines, fmt.Sprintf("FAIL\t%s [did not finish]\n", name))
		s.print(name, p, true)
	}
	if s.ended == 0 {
		fmt.Fprintln(s.w, "testsummary: no test results on stdin")
		s.failed = true
	}
	for _, f := range s.failures {
		fmt.Fprintln(s.w, "failed:", f)
	}
	if len(s.skips) == 0 {
		fmt.Fprintln(s.w, "skipped: none")
	}
	for _, sk := range s.skips {
		fmt.Fprintln(s.w, "skipped:", sk)
	}
}

// logLine matches the start of a t.Log or t.Skip line: its file and line.
var logLine = regexp.MustCompile(`^\s*[^\s:]+\.go:\d+: `)

// skipReason finds a skipped test's message: the last line its t.Skip (or t.Log) wrote, with any
// lines that continue it, joined with spaces.
func skipReason(lines []string) string {
	start := -1
	for i, l := range lines {
		if logLine.MatchString(l) {
			start = i
		}
	}
	if start < 0 {
		return "(no reason given)"
	}
	parts := []string{logLine.ReplaceAllString(lines[start], "")}
	for _, l := range lines[start+1:] {
		if strings.HasPrefix(l, "--- ") {
			break
		}
		parts = append(parts, l)
	}
	for i, p := range parts {
		parts[i] = strings.TrimSpace(p)
	}
	return strings.Join(parts, " ")
}

// short names a package without its module's name: peerline/scripts/rota is scripts/rota.
func short(pkg string) string {
	if _, rest, ok := strings.Cut(pkg, "/"); ok {
		return rest
	}
	return pkg
}
