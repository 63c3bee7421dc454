package main

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// ev writes one go test -json line: action, package, test, output.
func ev(action, pkg, test, output string) string {
	b, err := json.Marshal(event{Action: action, Package: pkg, Test: test, Output: output})
	if err != nil {
		panic(err)
	}
	return string(b) + "\n"
}

// testLines are the events of one test that writes lines and ends with result (pass, fail or skip).
func testLines(pkg, test, result string, lines ...string) string {
	s := ev("run", pkg, test, "") + ev("output", pkg, test, "=== RUN   "+test+"\n")
	for _, l := range lines {
		s += ev("output", pkg, test, l+"\n")
	}
	s += ev("output", pkg, test, "--- "+strings.ToUpper(result)+": "+test+" (0.01s)\n")
	return s + ev(result, pkg, test, "")
}

func TestSummarize(t *testing.T) {
	const ok = `{"Action":"start","Package":"peerline/bot"}` + "\n"
	tests := []struct {
		name       string
		in         string
		want       string
		wantFailed bool
	}{
		{
			name: "passing packages print their ok lines and no skips",
			in: ok + testLines("peerline/bot", "TestA", "pass", "    a_test.go:3: chatter") +
				ev("output", "peerline/bot", "", "PASS\n") + ev("output", "peerline/bot", "", "ok  \tpeerline/bot\t0.5s\n") +
				ev("pass", "peerline/bot", "", "") +
				ev("output", "peerline", "", "?   \tpeerline\t[no test files]\n") + ev("skip", "peerline", "", ""),
			want: "ok  \tpeerline/bot\t0.5s\n?   \tpeerline\t[no test files]\nskipped: none\n",
		},
		{
			name: "skipped tests are listed with their reasons, a subtest's and a multi-line one too",
			in: testLines("peerline/e2e", "TestSimulatorInABrowser", "skip",
				"    browser_test.go:40: no Chromium: apt-get install chromium") +
				ev("run", "peerline/rota", "TestTable", "") +
				testLines("peerline/rota", "TestTable/one", "skip", "    t_test.go:9: first line", "        second line") +
				testLines("peerline/rota", "TestTable/two", "skip") +
				ev("pass", "peerline/rota", "TestTable", "") +
				ev("output", "peerline/rota", "", "ok  \tpeerline/rota\t1s\n") + ev("pass", "peerline/rota", "", "") +
				ev("output", "peerline/e2e", "", "ok  \tpeerline/e2e\t9s\n") + ev("pass", "peerline/e2e", "", ""),
			want: "ok  \tpeerline/rota\t1s\n" +
				"ok  \tpeerline/e2e\t9s\n" +
				"skipped: TestSimulatorInABrowser (e2e): no Chromium: apt-get install chromium\n" +
				"skipped: TestTable/one (rota): first line second line\n" +
				"skipped: TestTable/two (rota): (no reason given)\n",
		},
		{
			name: "a failing subtest is printed in full under its parent, as go test prints it",
			in: ev("run", "peerline/bot", "TestStory", "") + ev("output", "peerline/bot", "TestStory", "=== RUN   TestStory\n") +
				testLines("peerline/bot", "TestStory/sms", "fail", "    story_test.go:56: never got it", "        it got: nothing") +
				testLines("peerline/bot", "TestStory/whatsapp", "pass") +
				ev("output", "peerline/bot", "TestStory", "--- FAIL: TestStory (2.00s)\n") + ev("fail", "peerline/bot", "TestStory", "") +
				ev("output", "peerline/bot", "", "FAIL\n") + ev("output", "peerline/bot", "", "FAIL\tpeerline/bot\t2.1s\n") +
				ev("fail", "peerline/bot", "", ""),
			want: "--- FAIL: TestStory (2.00s)\n" +
				"    --- FAIL: TestStory/sms (0.01s)\n" +
				"        story_test.go:56: never got it\n" +
				"            it got: nothing\n" +
				"FAIL\nFAIL\tpeerline/bot\t2.1s\n" +
				"failed: TestStory (bot)\nfailed: TestStory/sms (bot)\nskipped: none\n",
			wantFailed: true,
		},
		{
			name: "a build failure prints the compiler's errors and fails",
			in: `{"ImportPath":"peerline/bot [peerline/bot.test]","Action":"build-output","Output":"# peerline/bot\n"}` + "\n" +
				`{"ImportPath":"peerline/bot [peerline/bot.test]","Action":"build-output","Output":"bot/x.go:3:1: undefined: y\n"}` + "\n" +
				`{"ImportPath":"peerline/bot [peerline/bot.test]","Action":"build-fail"}` + "\n" +
				ev("output", "peerline/bot", "", "FAIL\tpeerline/bot [build failed]\n") +
				`{"Action":"fail","Package":"peerline/bot","FailedBuild":"peerline/bot [peerline/bot.test]"}` + "\n",
			want: "# peerline/bot\nbot/x.go:3:1: undefined: y\nFAIL\tpeerline/bot [build failed]\n" +
				"failed: bot [build failed]\nskipped: none\n",
			wantFailed: true,
		},
		{
			name: "a panic fails the package, and the tests it cut short are printed as not finished",
			in: ev("run", "peerline/due", "TestWaits", "") + ev("output", "peerline/due", "TestWaits", "=== PAUSE TestWaits\n") +
				ev("run", "peerline/due", "TestPanics", "") +
				ev("output", "peerline/due", "TestPanics", "panic: boom\n") +
				ev("output", "peerline/due", "TestPanics", "goroutine 7 [running]:\n") +
				ev("output", "peerline/due", "", "FAIL\tpeerline/due\t0.1s\n") + ev("fail", "peerline/due", "", ""),
			want: "--- FAIL: TestWaits (did not finish)\n" +
				"--- FAIL: TestPanics (did not finish)\npanic: boom\ngoroutine 7 [running]:\n" +
				"FAIL\tpeerline/due\t0.1s\n" +
				"failed: TestWaits (due)\nfailed: TestPanics (due)\nskipped: none\n",
			wantFailed: true,
		},
		{
			name: "a package whose results stop midway fails",
			in:   testLines("peerline/bot", "TestA", "pass") + ev("run", "peerline/bot", "TestB", ""),
			want: "--- FAIL: TestB (did not finish)\nFAIL\tpeerline/bot [did not finish]\n" +
				"failed: TestB (bot)\nskipped: none\n",
			wantFailed: true,
		},
		{
			name: "lines that are not JSON are passed on",
			in: "go: downloading example.com/x v1.0.0\n" + ev("output", "peerline/bot", "", "ok  \tpeerline/bot\t0.5s\n") +
				ev("pass", "peerline/bot", "", ""),
			want: "go: downloading example.com/x v1.0.0\nok  \tpeerline/bot\t0.5s\nskipped: none\n",
		},
		{
			name:       "no test results at all is a failure",
			in:         "",
			want:       "testsummary: no test results on stdin\nskipped: none\n",
			wantFailed: true,
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var out strings.Builder
			failed, err := summarize(strings.NewReader(tc.in), &out)
			if err != nil {
				t.Fatal(err)
			}
			if failed != tc.wantFailed {
				t.Errorf("failed = %v, want %v", failed, tc.wantFailed)
			}
			if diff := cmp.Diff(tc.want, out.String()); diff != "" {
				t.Errorf("output (-want +got):\n%s", diff)
			}
		})
	}
}
