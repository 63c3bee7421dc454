package main

import (
	"context"
	"flag"
	"fmt"
	"strings"
	"time"

	"peerline/report"
)

// dateLayout is how -from and -to dates are written.
const dateLayout = "2006-01-02"

var reportCmd = command{
	name:     "report",
	synopsis: "[-from YYYY-MM-DD] [-to YYYY-MM-DD] [-csv]",
	summary:  "requests and what became of them, time to a volunteer, conversations and busiest hours",
	details: "Counts what happened on the line from -from to -to, both days included, in the line's time\n" +
		"zone (LINE_TIMEZONE); by default the last 7 days up to today. It counts the requests opened on\n" +
		"those days (people who asked) and what became of each, followed up to a day after -to: matched\n" +
		"in time (a volunteer accepted before the signpost), reached late (the person got the fallback\n" +
		"signpost, then a volunteer who came free reached them), never reached (the signpost and nobody\n" +
		"after it), withdrawn (the person texted STOP while waiting) or still open; these add up to the\n" +
		"requests. Then the median and 90th percentile time from asking to a volunteer accepting (every\n" +
		"request reached), escalated (the on-call coordinator was paged), risk words (requests whose\n" +
		"person used them: the line never keeps which), the texts people sent while the line was closed,\n" +
		"the conversations each volunteer took, and the requests by hour of the day. Events of local trial\n" +
		"mode (make run's phone simulator) are left out and counted. Codes, ids, names and counts only:\n" +
		"never a phone number or a message. The history starts when this version of peerline first ran.\n" +
		"\n" +
		"With -csv it prints one table for a spreadsheet: the header section,key,label,value, then\n" +
		"  range,from,,YYYY-MM-DD   range,to,,YYYY-MM-DD   range,timezone,,Europe/London\n" +
		"  total,requests,,N        and likewise matched_in_time, reached_late, never_reached, withdrawn,\n" +
		"                           still_open, escalated, risk_words, closed_line_texts and\n" +
		"                           trial_events_ignored\n" +
		"  total,median_seconds_to_accept,,S and total,p90_seconds_to_accept,,S (empty if none reached)\n" +
		"  volunteer,ID,NAME,N      conversations each volunteer took, most first\n" +
		"  hour,HH,HH:00-HH:00,N    requests in each local hour of the day, all 24 hours\n" +
		"Filter on the section column to get each part; times are whole seconds.",
	example: "report -from 2026-12-01 -to 2026-12-31 -csv > december.csv",
	setup:   runReport,
}

func runReport(fs *flag.FlagSet) action {
	from := fs.String("from", "", "first local date, YYYY-MM-DD (default 6 days before -to)")
	to := fs.String("to", "", "last local date, YYYY-MM-DD, included (default today)")
	csv := fs.Bool("csv", false, "print CSV for a spreadsheet instead of tables")
	return func(ctx context.Context, t *tool, _ []string) error {
		start, end, err := t.dates(*from, *to)
		if err != nil {
			return err
		}
		f, err := report.Read(ctx, t.match, start, end, t.cfg.Location)
		if err != nil {
			return err
		}
		r, err := t.store.Load(ctx)
		if err != nil {
			return err
		}
		if *csv {
			return writeCSV(t, r, f)
		}
		return printReport(t, r, f)
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
