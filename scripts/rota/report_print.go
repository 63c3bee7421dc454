package main

import (
	"encoding/csv"
	"fmt"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"peerline/report"
	"peerline/rota"
)

// printReport writes the report as tables for the terminal.
func printReport(t *tool, r rota.Rota, f report.Figures) error {
	from, to := f.From, f.To.AddDate(0, 0, -1)
	days := fmt.Sprintf("%s to %s", from.Format("Mon 2 Jan 2006"), to.Format("Mon 2 Jan 2006"))
	if from.Equal(to) {
		days = from.Format("Mon 2 Jan 2006")
	}
	if f.Requests == 0 && f.Closed == 0 {
		fmt.Fprintf(t.out, "Nothing to report for %s (%s time): no requests and no texts while the line was closed.\n",
			days, t.cfg.Location)
		printLeftOut(t, f)
		fmt.Fprintf(t.out, "The history starts when this version of peerline first ran; other dates: %s report -from %s -to %s\n",
			prog, from.AddDate(0, 0, -7).Format(dateLayout), to.AddDate(0, 0, -7).Format(dateLayout))
		return nil
	}
	fmt.Fprintf(t.out, "Report for %s (%s time):\nthe requests opened on these days, and what became of each.\n\n",
		days, t.cfg.Location)
	median, p90 := "-", "-"
	if d, ok := report.Percentile(f.Waits, 0.5); ok {
		median = span(d)
	}
	if d, ok := report.Percentile(f.Waits, 0.9); ok {
		p90 = span(d)
	}
	for _, row := range [][2]string{
		{"Requests", strconv.Itoa(f.Requests)},
		{"  Matched in time (a volunteer accepted)", strconv.Itoa(f.MatchedInTime)},
		{"  Reached late, after the fallback signpost", strconv.Itoa(f.ReachedLate)},
		{"  Never reached (got the signpost, nobody after)", strconv.Itoa(f.NeverReached)},
		{"  Withdrawn (texted STOP while waiting)", strconv.Itoa(f.Withdrawn)},
		{"  Still open (no outcome yet)", strconv.Itoa(f.StillOpen)},
		{"Time to a volunteer, median (all reached)", median},
		{"Time to a volunteer, 90th percentile", p90},
		{"Escalated to the on-call coordinator", strconv.Itoa(f.Escalated)},
		{"Risk words (requests; the words are not kept)", strconv.Itoa(f.Risk)},
		{"Texts while the line was closed", strconv.Itoa(f.Closed)},
	} {
		fmt.Fprintf(t.out, "%-48s %8s\n", row[0], row[1])
	}
	printLeftOut(t, f)
	if err := printConversations(t, r, f); err != nil {
		return err
	}
	return printBusyHours(t, f)
}

// printLeftOut says which events of the dates the report left out, if any.
func printLeftOut(t *tool, f report.Figures) {
	if f.TrialIgnored > 0 {
		fmt.Fprintf(t.out, "Left out: %d events of local trial mode (make run's phone simulator and its demo people).\n",
			f.TrialIgnored)
	}
	if f.Earlier > 0 {
		fmt.Fprintf(t.out, "Left out: %d events of requests opened before these days (they count in those days' report).\n",
			f.Earlier)
	}
}

// printConversations writes how many conversations each volunteer took, most first.
func printConversations(t *tool, r rota.Rota, f report.Figures) error {
	if len(f.Conversations) == 0 {
		fmt.Fprintln(t.out, "\nNo volunteer took a conversation on these dates.")
		return nil
	}
	fmt.Fprintln(t.out, "\nConversations per volunteer:")
	tw := tabwriter.NewWriter(t.out, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "\nVOLUNTEER\tCONVERSATIONS")
	for _, id := range f.Volunteers() {
		fmt.Fprintf(tw, "%s\t%d\n", volunteerLabel(r, id), f.Conversations[id])
	}
	return tw.Flush()
}

// printBusyHours writes the requests by local hour of the day, as a bar for each hour that had any.
func printBusyHours(t *tool, f report.Figures) error {
	busiest := 0
	for _, n := range f.Hours {
		busiest = max(busiest, n)
	}
	if busiest == 0 {
		fmt.Fprintln(t.out, "\nNo requests on these dates.")
		return nil
	}
	fmt.Fprintf(t.out, "\nRequests by hour of the day (%s time):\n", t.cfg.Location)
	tw := tabwriter.NewWriter(t.out, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "\nHOUR\tREQUESTS")
	for h, n := range f.Hours {
		if n == 0 {
			continue
		}
		bar := strings.Repeat("#", max(1, n*30/busiest))
		if n == busiest {
			bar += "  busiest"
		}
		fmt.Fprintf(tw, "%s\t%d %s\n", hourLabel(h), n, bar)
	}
	return tw.Flush()
}

// hourLabel shows hour h of the day as "23:00-00:00".
func hourLabel(h int) string { return fmt.Sprintf("%02d:00-%02d:00", h, (h+1)%24) }

// writeCSV writes the report as one table, section,key,label,value (the layout is in reportCmd).
func writeCSV(t *tool, r rota.Rota, f report.Figures) error {
	w := csv.NewWriter(t.out)
	total := func(key string, n int) []string { return []string{"total", key, "", strconv.Itoa(n)} }
	rows := [][]string{{"section", "key", "label", "value"},
		{"range", "from", "", f.From.Format(dateLayout)},
		{"range", "to", "", f.To.AddDate(0, 0, -1).Format(dateLayout)},
		{"range", "timezone", "", t.cfg.Location.String()},
		total("requests", f.Requests),
		total("matched_in_time", f.MatchedInTime),
		total("reached_late", f.ReachedLate),
		total("never_reached", f.NeverReached),
		total("withdrawn", f.Withdrawn),
		total("still_open", f.StillOpen),
		{"total", "median_seconds_to_accept", "", seconds(report.Percentile(f.Waits, 0.5))},
		{"total", "p90_seconds_to_accept", "", seconds(report.Percentile(f.Waits, 0.9))},
		total("escalated", f.Escalated),
		total("risk_words", f.Risk),
		total("closed_line_texts", f.Closed),
		total("trial_events_ignored", f.TrialIgnored),
	}
	for _, id := range f.Volunteers() {
		name := "removed volunteer"
		if v, ok := r.Volunteers[id]; ok {
			name = clean(v.Name)
		}
		rows = append(rows, []string{"volunteer", csvText(id), csvText(name), strconv.Itoa(f.Conversations[id])})
	}
	for h, n := range f.Hours {
		rows = append(rows, []string{"hour", fmt.Sprintf("%02d", h), hourLabel(h), strconv.Itoa(n)})
	}
	if err := w.WriteAll(rows); err != nil {
		return fmt.Errorf("write csv: %w", err)
	}
	return nil
}

// seconds shows a duration in whole seconds, or "" when there is none.
func seconds(d time.Duration, ok bool) string {
	if !ok {
		return ""
	}
	return strconv.FormatInt(int64(d.Round(time.Second)/time.Second), 10)
}

// csvText keeps a name from being read as a formula by a spreadsheet (=, +, -, @ at the start).
func csvText(s string) string {
	if s != "" && strings.ContainsRune("=+-@", rune(s[0])) {
		return "'" + s
	}
	return s
}
