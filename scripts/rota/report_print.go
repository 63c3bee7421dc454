package main

import (
	"encoding/csv"
	"fmt"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"peerline/rota"
)

// printReport writes the report as tables for the terminal.
func printReport(t *tool, r rota.Rota, tl tally) error {
	days := fmt.Sprintf("%s to %s", tl.from.Format("Mon 2 Jan 2006"), tl.to.Format("Mon 2 Jan 2006"))
	if tl.from.Equal(tl.to) {
		days = tl.from.Format("Mon 2 Jan 2006")
	}
	if tl.events == 0 {
		fmt.Fprintf(t.out, "Nothing to report for %s (%s time): no requests and no conversations.\n", days,
			t.cfg.Location)
		fmt.Fprintf(t.out, "The history starts when this version of peerline first ran; other dates: %s report -from %s -to %s\n",
			prog, tl.from.AddDate(0, 0, -7).Format(dateLayout), tl.to.AddDate(0, 0, -7).Format(dateLayout))
		return nil
	}
	fmt.Fprintf(t.out, "Report for %s (%s time), counted on the day each thing happened.\n\n", days, t.cfg.Location)
	median, p90 := "-", "-"
	if d, ok := percentile(tl.waits, 0.5); ok {
		median = span(d)
	}
	if d, ok := percentile(tl.waits, 0.9); ok {
		p90 = span(d)
	}
	for _, row := range [][2]string{
		{"Requests", strconv.Itoa(tl.requests)},
		{"Matched", strconv.Itoa(tl.matched)},
		{"Time to accept, median", median},
		{"Time to accept, 90th percentile", p90},
		{"Escalated to the on-call coordinator", strconv.Itoa(tl.escalated)},
		{"Unanswered (got the fallback signpost)", strconv.Itoa(tl.unanswered)},
		{"Withdrawn (texted STOP while waiting)", strconv.Itoa(tl.withdrawn)},
		{"Risk words (requests; the words are not kept)", strconv.Itoa(tl.risk)},
	} {
		fmt.Fprintf(t.out, "%-40s %8s\n", row[0], row[1])
	}
	if err := printConversations(t, r, tl); err != nil {
		return err
	}
	return printBusyHours(t, tl)
}

// printConversations writes how many conversations each volunteer took, most first.
func printConversations(t *tool, r rota.Rota, tl tally) error {
	if len(tl.convs) == 0 {
		fmt.Fprintln(t.out, "\nNo volunteer took a conversation on these dates.")
		return nil
	}
	fmt.Fprintln(t.out, "\nConversations per volunteer:")
	tw := tabwriter.NewWriter(t.out, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "\nVOLUNTEER\tCONVERSATIONS")
	for _, id := range tl.volunteers() {
		fmt.Fprintf(tw, "%s\t%d\n", volunteerLabel(r, id), tl.convs[id])
	}
	return tw.Flush()
}

// printBusyHours writes the requests by local hour of the day, as a bar for each hour that had any.
func printBusyHours(t *tool, tl tally) error {
	busiest := 0
	for _, n := range tl.hours {
		busiest = max(busiest, n)
	}
	if busiest == 0 {
		fmt.Fprintln(t.out, "\nNo requests on these dates.")
		return nil
	}
	fmt.Fprintf(t.out, "\nRequests by hour of the day (%s time):\n", t.cfg.Location)
	tw := tabwriter.NewWriter(t.out, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "\nHOUR\tREQUESTS")
	for h, n := range tl.hours {
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
func writeCSV(t *tool, r rota.Rota, tl tally) error {
	w := csv.NewWriter(t.out)
	rows := [][]string{{"section", "key", "label", "value"},
		{"range", "from", "", tl.from.Format(dateLayout)},
		{"range", "to", "", tl.to.Format(dateLayout)},
		{"range", "timezone", "", t.cfg.Location.String()},
		{"total", "requests", "", strconv.Itoa(tl.requests)},
		{"total", "matched", "", strconv.Itoa(tl.matched)},
		{"total", "median_seconds_to_accept", "", seconds(percentile(tl.waits, 0.5))},
		{"total", "p90_seconds_to_accept", "", seconds(percentile(tl.waits, 0.9))},
		{"total", "escalated", "", strconv.Itoa(tl.escalated)},
		{"total", "unanswered", "", strconv.Itoa(tl.unanswered)},
		{"total", "withdrawn", "", strconv.Itoa(tl.withdrawn)},
		{"total", "risk_words", "", strconv.Itoa(tl.risk)},
	}
	for _, id := range tl.volunteers() {
		name := "removed volunteer"
		if v, ok := r.Volunteers[id]; ok {
			name = clean(v.Name)
		}
		rows = append(rows, []string{"volunteer", csvText(id), csvText(name), strconv.Itoa(tl.convs[id])})
	}
	for h, n := range tl.hours {
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
