package main

import (
	"context"
	"fmt"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/sirupsen/logrus"

	"peerline/bot"
	"peerline/commit"
	"peerline/matcher"
	"peerline/outbox"
	"peerline/phone"
	"peerline/risk"
	"peerline/rota"
	"peerline/templates"
)

// line plays people and volunteers texting the line through the real bot, at a clock the test sets.
type line struct {
	c     *cli
	bot   *bot.Bot
	match *matcher.Matcher
	now   time.Time
	sent  int
}

const (
	alex = "+447700900001"
	bea  = "+447700900002"
	sam  = "+447700900101"
	jo   = "+447700900102"
)

func newLine(c *cli) *line { return newLineOf(c, matcher.New(c.rdb, c.env["LINE_ID"])) }

// newTrialLine is newLine in local trial mode: the history marks its events as the trial's.
// Its texts' ids are its own, so the bot does not take them for repeats of the other line's.
func newTrialLine(c *cli) *line {
	l := newLineOf(c, matcher.New(c.rdb, c.env["LINE_ID"]).Trial(true))
	l.sent = 1_000_000
	return l
}

func newLineOf(c *cli, m *matcher.Matcher) *line {
	c.t.Helper()
	tmpl, err := templates.Load("")
	if err != nil {
		c.t.Fatal(err)
	}
	words, err := risk.Load("")
	if err != nil {
		c.t.Fatal(err)
	}
	log := logrus.New()
	log.SetOutput(io.Discard)
	l := &line{c: c, match: m}
	now := func() time.Time { return l.now }
	box := outbox.New(c.rdb, c.env["LINE_ID"], nil, log, now, outbox.Options{})
	l.bot = bot.New(log, c.rdb, c.env["LINE_ID"], c.store, l.match, box, tmpl, words, now, bot.Options{})
	return l
}

// after moves the clock on by d and runs the work that is due then (offers widening, escalation, the
// signpost).
func (l *line) after(d time.Duration) {
	l.c.t.Helper()
	l.now = l.now.Add(d)
	if _, err := l.bot.RunDue(context.Background()); err != nil {
		l.c.t.Fatal(err)
	}
}

// at sets the clock to a London time such as "2026-12-20 23:10".
func (l *line) at(local string) {
	l.c.t.Helper()
	t, err := time.ParseInLocation("2006-01-02 15:04", local, l.c.store.Location())
	if err != nil {
		l.c.t.Fatal(err)
	}
	l.now = t
}

func (l *line) text(from, body string) {
	l.c.t.Helper()
	l.sent++
	in := bot.Inbound{MessageSID: fmt.Sprintf("SM%032d", l.sent), From: from, Channel: phone.SMS, Body: body}
	if err := l.bot.Handle(context.Background(), in); err != nil {
		l.c.t.Fatal(err)
	}
}

// newest returns the code of the request opened last among those waiting, so a volunteer can name it
// (a bare ACCEPT takes the oldest offer they hold, which may be one already taken).
func (l *line) newest() string {
	l.c.t.Helper()
	live, err := l.match.Live(context.Background())
	if err != nil || len(live.Waiting) == 0 {
		l.c.t.Fatalf("no request is waiting (%v)", err)
	}
	return live.Waiting[len(live.Waiting)-1].Code
}

// december plays a week of the line (Sunday 20 to Saturday 26 December 2026, London), with a request
// before it, one after it and one in summer time. In the week: six requests (three matched in time,
// one reached late after the signpost, one never reached, one withdrawn), two texts while the line
// was closed, and a request of local trial mode (three events) that the report must leave out.
func december(c *cli) {
	c.alwaysOpen()
	c.onShiftToday("Sam", sam)
	c.onShiftToday("Jo", jo)
	l := newLine(c)
	l.at("2026-12-13 22:00") // the week before
	l.text(alex, "hello")
	l.text(sam, "ACCEPT "+l.newest())
	l.text(sam, "DONE")
	l.at("2026-12-20 23:10") // Sam accepts after 2 minutes
	l.text(alex, "can't sleep")
	l.now = l.now.Add(2 * time.Minute)
	l.text(sam, "ACCEPT "+l.newest())
	l.now = l.now.Add(10 * time.Minute)
	l.text(sam, "DONE")
	l.at("2026-12-21 01:05") // Jo accepts after 6 minutes
	l.text(bea, "hello?")
	l.now = l.now.Add(6 * time.Minute)
	l.text(jo, "ACCEPT "+l.newest())
	l.text(jo, "DONE")
	l.at("2026-12-21 01:30") // both pass: never reached (the risk words count once)
	l.text(alex, "me again, I want to end it all")
	l.text(alex, "I want to end it all")
	code := l.newest()
	l.text(sam, "PASS "+code)
	l.text(jo, "PASS "+code)
	l.at("2026-12-22 23:40") // Bea texts STOP while waiting; the on-call coordinator was paged first
	l.text(bea, "are you there")
	code = l.newest()
	c.commit(func(b *commit.Batch) {
		l.match.Escalated(b, matcher.Request{Code: code, Created: l.now}, l.now.Add(time.Minute))
	})
	l.now = l.now.Add(2 * time.Minute)
	l.text(bea, "STOP")
	lateAccept(c, l)
	trial := newTrialLine(c) // make run's demo on the same line: left out of the report
	trial.at("2026-12-23 22:00")
	trial.text(dave, "hello from the simulator")
	trial.text(jo, "ACCEPT "+trial.newest())
	trial.text(jo, "DONE")
	l.at("2026-12-27 00:30") // the day after the week
	l.text(alex, "hi")
	l.at("2026-07-01 00:30")      // summer time: 23:30 UTC on 30 June
	l.text("+447700900003", "hi") // not Bea: she opted out, and nothing is opened until she texts START
}

// More people who text the line.
const (
	cy   = "+447700900005"
	dee  = "+447700900004"
	dave = "+447700900006"
	eve  = "+447700900007"
)

// lateAccept plays Wednesday 23 December: Eve texts twice at noon while the line is closed; at 21:00
// Sam takes Dee at once; Cy writes a minute later, Jo passes, and Cy gets the signpost; Sam comes free
// at 21:25, asks for the next person and reaches Cy late.
func lateAccept(c *cli, l *line) {
	c.t.Helper()
	ctx := context.Background()
	if _, err := c.store.SetHours(ctx, func(h *rota.Hours) error { *h = rota.DefaultHours(); return nil }); err != nil {
		c.t.Fatal(err)
	}
	l.at("2026-12-23 12:00")
	l.text(eve, "is anyone there")
	l.text(eve, "hello?")
	c.alwaysOpen()
	l.at("2026-12-23 21:00")
	l.text(dee, "hi, rough night")
	l.text(sam, "ACCEPT "+l.newest())
	l.at("2026-12-23 21:01")
	l.text(cy, "need someone")
	code := l.newest()
	l.text(jo, "PASS "+code)
	l.after(3 * time.Minute)
	l.after(7 * time.Minute)
	l.after(10 * time.Minute) // 21:21: the signpost
	l.at("2026-12-23 21:25")
	l.text(sam, "DONE")
	l.now = l.now.Add(time.Minute)
	l.text(sam, "NEXT") // ends a rest after a chat, if the line has one, and offers Cy
	l.text(sam, "ACCEPT "+code)
	l.text(sam, "DONE")
}

func TestReport(t *testing.T) {
	t.Parallel()
	c := newCLI(t)
	december(c)
	quiet := newCLI(t)
	demo := newCLI(t) // only make run's demo has been played
	demo.alwaysOpen()
	demo.onShiftToday("Sam", sam)
	trial := newTrialLine(demo)
	trial.at("2026-12-21 23:00")
	trial.text(alex, "hello")
	trial.text(sam, "ACCEPT "+trial.newest())
	tests := []struct {
		name string
		c    *cli
		now  time.Time
		args []string
		want []string // parts the output must have, in order
	}{
		{"a week", c, c.now, []string{"-from", "2026-12-20", "-to", "2026-12-26"}, []string{
			"Report for Sun 20 Dec 2026 to Sat 26 Dec 2026 (Europe/London time)",
			"Requests 6", "Matched in time (a volunteer accepted) 3", "Reached late, after the fallback signpost 1",
			"Never reached (got the signpost, nobody after) 1", "Withdrawn (texted STOP while waiting) 1",
			"Still open (no outcome yet) 0",
			"Time to a volunteer, median (all reached) 4m 00s", "Time to a volunteer, 90th percentile 19m 18s",
			"Escalated to the on-call coordinator 1", "Risk words (requests; the words are not kept) 1",
			"Texts while the line was closed 2",
			"Left out: 3 events of local trial mode",
			"VOLUNTEER CONVERSATIONS Sam (v1) 3 Jo (v2) 1",
			"HOUR REQUESTS 01:00-02:00 2", "21:00-22:00 2", "23:00-00:00 2"}},
		{"the last 7 days up to today by default", c, time.Date(2026, 12, 26, 20, 0, 0, 0, time.UTC), nil, []string{
			"Sun 20 Dec 2026 to Sat 26 Dec 2026", "Requests 6"}},
		{"one day", c, c.now, []string{"-from", "2026-12-21", "-to", "2026-12-21"}, []string{
			"Report for Mon 21 Dec 2026 (", "Requests 2", "Matched in time (a volunteer accepted) 1", "late, after the fallback signpost 0",
			"Never reached (got the signpost, nobody after) 1", "median (all reached) 6m 00s",
			"Jo (v2) 1", "01:00-02:00 2 ############################## busiest"}},
		{"a late accept is reached late, not matched and unanswered", c, c.now, []string{"-from", "2026-12-23", "-to", "2026-12-23"}, []string{
			"Requests 2", "Matched in time (a volunteer accepted) 1", "Reached late, after the fallback signpost 1",
			"Never reached (got the signpost, nobody after) 0", "median (all reached) 12m 30s",
			"Texts while the line was closed 2", "Left out: 3 events of local trial mode", "Sam (v1) 2"}},
		{"hours are local, in summer time too", c, c.now, []string{"-from", "2026-07-01", "-to", "2026-07-01"}, []string{
			"Requests 1", "median (all reached) -", "No volunteer took a conversation", "00:00-01:00 1"}},
		{"an empty range says so", quiet, c.now, []string{"-from", "2026-11-01", "-to", "2026-11-07"}, []string{
			"Nothing to report for Sun 1 Nov 2026 to Sat 7 Nov 2026 (Europe/London time)",
			"report -from 2026-10-25 -to 2026-10-31"}},
		{"the demo alone is nothing to report, and says what it left out", demo, c.now,
			[]string{"-from", "2026-12-21", "-to", "2026-12-21"}, []string{
				"Nothing to report for Mon 21 Dec 2026", "Left out: 2 events of local trial mode"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c := *tc.c
			c.t, c.now = t, tc.now
			out := c.must(append([]string{"report"}, tc.args...)...)
			rest := strings.Join(strings.Fields(out), " ") // the wants ignore how columns are padded
			for _, w := range tc.want {
				i := strings.Index(rest, w)
				if i < 0 {
					t.Fatalf("output lacks %q (after what came before):\n%s", w, out)
				}
				rest = rest[i+len(w):]
			}
			noNumbers(t, out)
		})
	}
}

func TestReportCSV(t *testing.T) {
	t.Parallel()
	c := newCLI(t)
	december(c)
	rename := func(v *rota.Volunteer) error { v.Name = "=Jo"; return nil }
	if _, err := c.store.UpdateVolunteer(context.Background(), "v2", rename); err != nil {
		t.Fatal(err)
	}
	got := c.must("report", "-from", "2026-12-20", "-to", "2026-12-26", "-csv")
	want := `section,key,label,value
range,from,,2026-12-20
range,to,,2026-12-26
range,timezone,,Europe/London
total,requests,,6
total,matched_in_time,,3
total,reached_late,,1
total,never_reached,,1
total,withdrawn,,1
total,still_open,,0
total,median_seconds_to_accept,,240
total,p90_seconds_to_accept,,1158
total,escalated,,1
total,risk_words,,1
total,closed_line_texts,,2
total,trial_events_ignored,,3
volunteer,v1,Sam,3
volunteer,v2,'=Jo,1
`
	for h := range 24 {
		n := map[int]int{1: 2, 21: 2, 23: 2}[h]
		want += fmt.Sprintf("hour,%02d,%02d:00-%02d:00,%d\n", h, h, (h+1)%24, n)
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("csv (-want +got):\n%s", diff)
	}
	empty := c.must("report", "-from", "2026-11-01", "-to", "2026-11-01", "-csv")
	if !strings.Contains(empty, "total,requests,,0\n") || !strings.Contains(empty, "total,median_seconds_to_accept,,\n") {
		t.Errorf("an empty range's csv should count zero and leave the times empty:\n%s", empty)
	}
}

func TestReportRefusesBadDates(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		args []string
		want []string
	}{
		{"from after to", []string{"-from", "2026-12-26", "-to", "2026-12-20"}, []string{"-from 2026-12-26 is after -to 2026-12-20"}},
		{"a date only the other order reads", []string{"-to", "12/26/26"}, []string{`-to "12/26/26"`, "2026-12-31"}},
		{"a date that does not exist", []string{"-from", "2026-02-30"}, []string{`-from "2026-02-30"`}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			wantErr(t, newCLI(t).run("", append([]string{"report"}, tc.args...)...), false, tc.want...)
		})
	}
}

// TestDateFlagsTakeDatesAsTheRegionWritesThem: every date flag reads 24/12/2026 and Thu 24 Dec 2026 in
// GB, as the imports do.
func TestDateFlagsTakeDatesAsTheRegionWritesThem(t *testing.T) {
	t.Parallel()
	c := newCLI(t) // Tuesday 24 November 2026
	for _, args := range [][]string{
		{"report", "-from", "20/12/2026", "-to", "Sat 26 Dec 2026", "-csv"},
		{"tonight", "-date", "24/12/2026"},
	} {
		if r := c.run("", args...); r.err != nil {
			t.Errorf("%s: %v", strings.Join(args, " "), r.err)
		}
	}
	if out := c.must("report", "-from", "20/12/2026", "-to", "26/12/2026", "-csv"); !strings.Contains(out, "range,from,,2026-12-20") {
		t.Errorf("report -from 20/12/2026 read another day:\n%s", out)
	}
}
