package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"strconv"
	"strings"
	"text/tabwriter"

	"peerline/feedback"
	"peerline/rota"
)

var feedbackCmd = command{
	name:     "feedback",
	synopsis: "[-from YYYY-MM-DD] [-to YYYY-MM-DD] [-csv FILE]",
	summary:  "what people and volunteers told the line: check-in answers, feedback scores and words, debriefs",
	details: "Lists what the line heard from -from to -to, both days included, in the line's time zone; by\n" +
		"default the last 7 days up to today. Check-in answers: how many replied 1 (better), 2 (about the\n" +
		"same), 3 (struggling: a request was opened) or in words (a request was opened). Volunteers'\n" +
		"debriefs after a chat: how many replied OK and how many TALK. Feedback after a chat: how many gave\n" +
		"each score from 1 to 5, then each reply with its request code, month, score and words. Feedback is\n" +
		"dated by month only, so a month that overlaps the days is listed whole. No phone number is ever\n" +
		"kept: anything in the words that looked like one, or like an email, was replaced before it was\n" +
		"stored. Answers are kept for HISTORY_DAYS.\n" +
		"\n" +
		"With -csv FILE it also writes one table for a spreadsheet: section,key,label,value,words, with\n" +
		"  range,from,,YYYY-MM-DD and range,to,,YYYY-MM-DD\n" +
		"  checkin,better|same|struggling|wrote,,N   debrief,ok|talk,,N   score,1..5,,N\n" +
		"  feedback,CODE,YYYY-MM,SCORE,WORDS          one row per reply",
	example: "feedback -from 2026-12-01 -to 2026-12-31 -csv december-feedback.csv",
	setup:   runFeedback,
}

func runFeedback(fs *flag.FlagSet) action {
	from := fs.String("from", "", "first local date, YYYY-MM-DD (default 6 days before -to)")
	to := fs.String("to", "", "last local date, YYYY-MM-DD, included (default today)")
	file := fs.String("csv", "", "also write the summary as CSV to this file")
	return func(ctx context.Context, t *tool, _ []string) error {
		start, end, err := t.dates(*from, *to)
		if err != nil {
			return err
		}
		first, last := start.Format(dateLayout), end.AddDate(0, 0, -1).Format(dateLayout)
		entries, err := feedback.New(t.rdb, t.cfg.Line).List(ctx, first, last)
		if err != nil {
			return err
		}
		s := feedback.Summarize(entries, first, last)
		if *file != "" {
			if err := writeFeedbackCSV(*file, s); err != nil {
				return err
			}
		}
		printFeedback(t, s)
		if *file != "" {
			fmt.Fprintf(t.out, "\nWritten to %s.\n", *file)
		}
		return nil
	}
}

// checkinLabels names the check-in answers for the terminal.
var checkinLabels = map[string]string{
	feedback.Better: "1: better", feedback.Same: "2: about the same",
	feedback.Struggling: "3: struggling (a request was opened)", feedback.Wrote: "wrote (a request was opened)",
}

// printFeedback writes s as tables for the terminal.
func printFeedback(t *tool, s feedback.Summary) {
	fmt.Fprintf(t.out, "Feedback for %s to %s (%s time). No phone numbers are kept.\n\nCheck-in answers\n",
		s.From, s.To, t.cfg.Location)
	for _, a := range feedback.CheckinAnswers {
		fmt.Fprintf(t.out, "  %-44s %6d\n", checkinLabels[a], s.Checkins[a])
	}
	fmt.Fprintf(t.out, "Volunteers' debriefs after a chat\n  %-44s %6d\n  %-44s %6d\n",
		"OK", s.Debriefs[feedback.DebriefOK], "TALK (asked a coordinator to get in touch)", s.Debriefs[feedback.DebriefTalk])
	fmt.Fprintf(t.out, "Did talking help? Scores (1 not really, 5 a lot)\n")
	for n := 1; n <= 5; n++ {
		fmt.Fprintf(t.out, "  %-44d %6d\n", n, s.Scores[n])
	}
	if len(s.Feedback) == 0 {
		fmt.Fprintln(t.out, "\nNo feedback replies in these months.")
		return
	}
	fmt.Fprintln(t.out, "\nFeedback replies (dated by month)")
	w := tabwriter.NewWriter(t.out, 0, 0, 2, ' ', 0)
	fmt.Fprintln(w, "MONTH\tREQUEST\tSCORE\tWORDS")
	for _, e := range s.Feedback {
		words := e.Words
		if words == "" {
			words = "-"
		}
		fmt.Fprintf(w, "%s\t%s\t%s\t%s\n", e.Day, e.Code, strconv.Itoa(e.Score), strings.ReplaceAll(words, "\t", " "))
	}
	_ = w.Flush()
}

// writeFeedbackCSV writes s as CSV to path, every cell safe from being run as a formula.
func writeFeedbackCSV(path string, s feedback.Summary) error {
	f, err := os.Create(path)
	if err != nil {
		return fmt.Errorf("-csv: %w", err)
	}
	if err := rota.WriteCSV(f, feedback.CSVHeader, s.Rows()); err != nil {
		_ = f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("-csv %s: %w", path, err)
	}
	return nil
}
