package main

import (
	"context"
	"flag"
	"fmt"
	"slices"
	"strings"
	"time"

	"peerline/matcher"
	"peerline/rota"
)

// dateLayout is how -from and -to dates are written.
const dateLayout = "2006-01-02"

var reportCmd = command{
	name:     "report",
	synopsis: "[-from YYYY-MM-DD] [-to YYYY-MM-DD] [-csv]",
	summary:  "requests, matches, time to accept, conversations and busiest hours between two dates",
	details: "Counts what happened on the line from -from to -to, both days included, in the line's time\n" +
		"zone (LINE_TIMEZONE); by default the last 7 days up to today. Each thing counts on the day it\n" +
		"happened: requests (people who asked), matched (a volunteer accepted), the median and 90th\n" +
		"percentile time from asking to a volunteer accepting, escalated (the on-call coordinator was\n" +
		"paged), unanswered (nobody accepted: the person got the fallback signpost) and withdrawn (the\n" +
		"person texted STOP before anyone accepted) and risk words (requests whose person used them: the\n" +
		"line never keeps which). Then the conversations each volunteer took, and the\n" +
		"requests by hour of the day. Codes, names and counts only: never a phone number or a message.\n" +
		"The history behind it starts when this version of peerline first ran.\n" +
		"\n" +
		"With -csv it prints one table for a spreadsheet: the header section,key,label,value, then\n" +
		"  range,from,,YYYY-MM-DD   range,to,,YYYY-MM-DD   range,timezone,,Europe/London\n" +
		"  total,requests,,N        and likewise matched, escalated, unanswered, withdrawn and risk_words\n" +
		"  total,median_seconds_to_accept,,S and total,p90_seconds_to_accept,,S (empty if none matched)\n" +
		"  volunteer,ID,NAME,N      conversations each volunteer took, most first\n" +
		"  hour,HH,HH:00-HH:00,N    requests in each local hour of the day, all 24 hours\n" +
		"Filter on the section column to get each part; times are whole seconds.",
	example: "report -from 2026-12-01 -to 2026-12-31 -csv > december.csv",
	setup:   report,
}

func report(fs *flag.FlagSet) action {
	from := fs.String("from", "", "first local date, YYYY-MM-DD (default 6 days before -to)")
	to := fs.String("to", "", "last local date, YYYY-MM-DD, included (default today)")
	csv := fs.Bool("csv", false, "print CSV for a spreadsheet instead of tables")
	return func(ctx context.Context, t *tool, _ []string) error {
		start, end, err := t.dates(*from, *to)
		if err != nil {
			return err
		}
		events, err := t.match.History(ctx, start, end)
		if err != nil {
			return err
		}
		r, err := t.store.Load(ctx)
		if err != nil {
			return err
		}
		tl := count(events, t.cfg.Location)
		tl.from, tl.to, tl.events = start, end.AddDate(0, 0, -1), len(events)
		if *csv {
			return writeCSV(t, r, tl)
		}
		return printReport(t, r, tl)
	}
}

// dates reads -from and -to as local dates and returns the instants [start, end) they cover.
func (t *tool) dates(from, to string) (time.Time, time.Time, error) {
	now := t.now().In(t.cfg.Location)
	last := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, t.cfg.Location)
	var err error
	if to = strings.TrimSpace(to); to != "" {
		if last, err = time.ParseInLocation(dateLayout, to, t.cfg.Location); err != nil {
			return time.Time{}, time.Time{}, fmt.Errorf("-to %q: want a date such as 2026-12-31", to)
		}
	}
	first := last.AddDate(0, 0, -6)
	if from = strings.TrimSpace(from); from != "" {
		if first, err = time.ParseInLocation(dateLayout, from, t.cfg.Location); err != nil {
			return time.Time{}, time.Time{}, fmt.Errorf("-from %q: want a date such as 2026-12-01", from)
		}
	}
	if first.After(last) {
		return time.Time{}, time.Time{}, fmt.Errorf("-from %s is after -to %s: give the earlier date first",
			first.Format(dateLayout), last.Format(dateLayout))
	}
	return first, last.AddDate(0, 0, 1), nil
}

// tally is what a report counts.
type tally struct {
	from, to   time.Time // the first and last local dates, at midnight
	events     int       // everything recorded in the range, of any kind
	requests   int
	matched    int
	escalated  int
	unanswered int
	withdrawn  int
	risk       int // requests whose person used risk words (counted once per request)
	riskCodes  map[string]bool
	waits      []time.Duration // time to acceptance of each match, shortest first
	convs      map[string]int  // volunteer id -> conversations taken
	hours      [24]int         // requests by local hour of the day
}

// count tallies events; loc is the line's time zone, for the hours.
func count(events []matcher.Event, loc *time.Location) tally {
	tl := tally{convs: map[string]int{}, riskCodes: map[string]bool{}}
	for _, e := range events {
		switch e.Kind {
		case matcher.EventNew:
			tl.requests++
			tl.hours[e.At.In(loc).Hour()]++
		case matcher.EventMatched:
			tl.matched++
			tl.convs[e.Volunteer]++
			if !e.Created.IsZero() {
				tl.waits = append(tl.waits, max(e.At.Sub(e.Created), 0))
			}
		case matcher.EventEscalated:
			tl.escalated++
		case matcher.EventUnanswered:
			tl.unanswered++
		case matcher.EventWithdrawn:
			tl.withdrawn++
		case matcher.EventRisk:
			if !tl.riskCodes[e.Code] {
				tl.riskCodes[e.Code] = true
				tl.risk++
			}
		}
	}
	slices.Sort(tl.waits)
	return tl
}

// percentile returns the p-th percentile (0 to 1) of sorted, interpolating between the closest ranks
// as spreadsheets' PERCENTILE.INC does; ok is false when there are none.
func percentile(sorted []time.Duration, p float64) (d time.Duration, ok bool) {
	if len(sorted) == 0 {
		return 0, false
	}
	pos := p * float64(len(sorted)-1)
	lo := int(pos)
	if lo+1 >= len(sorted) {
		return sorted[lo], true
	}
	return sorted[lo] + time.Duration((pos-float64(lo))*float64(sorted[lo+1]-sorted[lo])), true
}

// volunteers returns the ids of volunteers who took conversations, most first.
func (tl tally) volunteers() []string {
	ids := make([]string, 0, len(tl.convs))
	for id := range tl.convs {
		ids = append(ids, id)
	}
	slices.SortFunc(ids, func(a, b string) int {
		if tl.convs[a] != tl.convs[b] {
			return tl.convs[b] - tl.convs[a]
		}
		if rota.IDLess(a, b) {
			return -1
		}
		return 1
	})
	return ids
}
