package main

import (
	"context"
	"crypto/rand"
	"flag"
	"fmt"
	"os"
	"strings"

	"peerline/feedback"
	"peerline/outcomes"
	"peerline/rota"
)

var outcomesCmd = command{
	name:     "outcomes",
	synopsis: "[-from YYYY-MM-DD] [-to YYYY-MM-DD] [-csv FILE] [-html FILE] [-research FILE]",
	summary:  "anonymised outcomes for the community and commissioners, with a chart page and a research file",
	details: "Sums up the line from -from to -to, both days included, in the line's time zone; by default the\n" +
		"last 7 days up to today. Contacts (requests opened), how many reached a peer, the median and 90th\n" +
		"percentile time to a human, how many were signposted and how many risk-flagged, all of it again\n" +
		"for Christmas Day, other bank holidays, weekends, weekday nights (22:00-07:00) and other hours;\n" +
		"check-in answers, feedback scores (count, mean, each score), repeat contacts as far as the line\n" +
		"can tell, volunteer hours from the shifts on the rota (skips and covers applied), and events and\n" +
		"services shared. Counts and times only: never a phone number, a name or a message.\n" +
		"\n" +
		"-csv FILE writes the same figures as section,key,label,value. -html FILE writes one page with\n" +
		"charts (contacts by hour of the week, time to a human, outcome shares) that needs no network and\n" +
		"runs no script. -research FILE writes one row per event for peer researchers: pseudonymous codes\n" +
		"under a new random key each time, times rounded down to the hour, no words.",
	example: "outcomes -from 2026-12-01 -to 2026-12-31 -html december.html -csv december.csv",
	setup:   runOutcomes,
}

func runOutcomes(fs *flag.FlagSet) action {
	from := fs.String("from", "", "first local date, YYYY-MM-DD (default 6 days before -to)")
	to := fs.String("to", "", "last local date, YYYY-MM-DD, included (default today)")
	csvFile := fs.String("csv", "", "also write the figures as CSV to this file")
	htmlFile := fs.String("html", "", "also write a page with charts to this file")
	research := fs.String("research", "", "also write the anonymised event-level CSV to this file")
	return func(ctx context.Context, t *tool, _ []string) error {
		start, end, err := t.dates(*from, *to)
		if err != nil {
			return err
		}
		r, err := t.store.Load(ctx)
		if err != nil {
			return err
		}
		s, cases, entries, err := outcomes.Read(ctx, t.match, feedback.New(t.rdb, t.cfg.Line), r, start, end, t.now())
		if err != nil {
			return err
		}
		var written []string
		if *csvFile != "" {
			if err := writeFile(*csvFile, "-csv", func(f *os.File) error { return rota.WriteCSV(f, outcomes.CSVHeader, s.Rows()) }); err != nil {
				return err
			}
			written = append(written, *csvFile)
		}
		if *htmlFile != "" {
			if err := writeFile(*htmlFile, "-html", func(f *os.File) error { return s.WriteHTML(f) }); err != nil {
				return err
			}
			written = append(written, *htmlFile)
		}
		if *research != "" {
			key := make([]byte, 32)
			_, _ = rand.Read(key) // crypto/rand.Read never fails (Go 1.24)
			rows := outcomes.Research(cases, entries, key, r.Location())
			if err := writeFile(*research, "-research", func(f *os.File) error { return rota.WriteCSV(f, outcomes.ResearchHeader, rows) }); err != nil {
				return err
			}
			written = append(written, *research)
		}
		printOutcomes(t, s)
		if len(written) > 0 {
			fmt.Fprintf(t.out, "\nWritten to %s.\n", strings.Join(written, ", "))
		}
		return nil
	}
}

// writeFile creates path and writes it with write; flag names the option in errors.
func writeFile(path, flag string, write func(*os.File) error) error {
	f, err := os.Create(path)
	if err != nil {
		return fmt.Errorf("%s: %w", flag, err)
	}
	if err := write(f); err != nil {
		_ = f.Close()
		return fmt.Errorf("%s %s: %w", flag, path, err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("%s %s: %w", flag, path, err)
	}
	return nil
}

// printOutcomes writes the figures for the terminal: the CSV's rows as label and value.
func printOutcomes(t *tool, s outcomes.Summary) {
	fmt.Fprintf(t.out, "Outcomes for %s to %s (%s time). Anonymised: counts and times only.\n",
		s.From.Format("Mon 2 Jan 2006"), s.To.AddDate(0, 0, -1).Format("Mon 2 Jan 2006"), t.cfg.Location)
	section := ""
	for _, row := range s.Rows()[3:] {
		if row[0] != section {
			section = row[0]
			fmt.Fprintf(t.out, "\n%s\n", outcomeSections[section])
		}
		label := row[1]
		if row[2] != "" && row[0] != "band" {
			label += " (" + row[2] + ")"
		}
		if row[0] == "band" && strings.HasSuffix(row[1], ".contacts") {
			fmt.Fprintf(t.out, "  %s\n", row[2])
		}
		value := row[3]
		if value == "" {
			value = "-"
		}
		fmt.Fprintf(t.out, "  %-58s %s\n", label, value)
	}
}

// outcomeSections names the CSV's sections for the terminal.
var outcomeSections = map[string]string{
	"total": "All contacts (times to a human in seconds)", "outcome": "What became of them",
	"band":    "By hours: Christmas Day, other bank holidays, weekends, weekday nights, other hours",
	"checkin": "Check-in answers (1 better, 2 same, 3 struggling, or words)", "feedback": "Did talking help? (1-5)",
	"repeat": "Repeat contacts", "volunteers": "Volunteer time given (from the rota's shifts)",
	"shared": "Shared in chats (SHARE)",
}
