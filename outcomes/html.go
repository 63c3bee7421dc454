package outcomes

import (
	_ "embed"
	"fmt"
	"html/template"
	"io"
	"math"
	"strconv"
	"strings"
	"time"
)

//go:embed page.html.tmpl
var pageSource string

var page = template.Must(template.New("page").Parse(pageSource))

// row is a line of a table on the page.
type row struct{ Label, Value string }

// bandRow is a band's line on the page.
type bandRow struct {
	Label             string
	Contacts, Reached int
	Median            string
}

// WriteHTML writes the summary as one self-contained page: inline CSS and SVG charts drawn here, no
// script and nothing fetched from elsewhere. It shows counts and times only.
func (s Summary) WriteHTML(w io.Writer) error {
	mean, scored := s.FeedbackMean()
	feedbackMean := "-"
	if scored > 0 {
		feedbackMean = strconv.FormatFloat(mean, 'f', 1, 64) + " of 5 (" + strconv.Itoa(scored) + " replies)"
	}
	med, p90 := "-", "-"
	if d, ok := s.All.Median(); ok {
		med = Span(d)
	}
	if d, ok := s.All.P90(); ok {
		p90 = Span(d)
	}
	n := strconv.Itoa
	data := struct {
		Range, Zone              string
		Table                    []row
		Bands                    []bandRow
		Outcomes, Heatmap, Waits template.HTML
	}{
		Range: s.From.Format("2 Jan 2006") + " to " + s.To.AddDate(0, 0, -1).Format("2 Jan 2006"),
		Zone:  s.From.Location().String(),
		Table: []row{
			{"Contacts (requests opened)", n(s.All.Contacts)}, {"Reached a peer", n(s.All.Reached)},
			{"Time to a human, median", med}, {"Time to a human, 90th percentile", p90},
			{"Signposted", n(s.All.Signposted)}, {"Risk-flagged", n(s.All.Risk)},
			{"Texts while the line was closed", n(s.Closed)},
			{"Check-ins: better", n(s.Checkins["better"])}, {"Check-ins: about the same", n(s.Checkins["same"])},
			{"Check-ins: struggling", n(s.Checkins["struggling"])}, {"Did talking help?", feedbackMean},
			{"Came back after a check-in", n(s.ReturnedByCheckin)},
			{"Volunteer hours on shift", hours(s.PeerTime)}, {"Coordinator hours on call", hours(s.OnCallTime)},
		},
		Outcomes: outcomeBars(s), Heatmap: heatmap(s.HourOfWeek), Waits: histogram(s.All.Waits),
	}
	for _, b := range Bands {
		t := s.Bands[b]
		m := "-"
		if d, ok := t.Median(); ok {
			m = Span(d)
		}
		data.Bands = append(data.Bands, bandRow{Label: b.Label(), Contacts: t.Contacts, Reached: t.Reached, Median: m})
	}
	if err := page.Execute(w, data); err != nil {
		return fmt.Errorf("write outcomes page: %w", err)
	}
	return nil
}

// Span writes d for people: "45s", "3m 20s", "1h 05m".
func Span(d time.Duration) string {
	d = d.Round(time.Second)
	switch {
	case d < time.Minute:
		return fmt.Sprintf("%ds", int(d.Seconds()))
	case d < time.Hour:
		return fmt.Sprintf("%dm %02ds", int(d.Minutes()), int(d.Seconds())%60)
	}
	return fmt.Sprintf("%dh %02dm", int(d.Hours()), int(d.Minutes())%60)
}

// days are the heatmap's rows, Monday first.
var days = []string{"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"}

// heatmap draws contacts by day and hour: 7 rows of 24 cells, shaded by count.
func heatmap(counts [7][24]int) template.HTML {
	most := 0
	for _, d := range counts {
		for _, c := range d {
			most = max(most, c)
		}
	}
	const cell, left, top = 14, 30, 16
	var b strings.Builder
	fmt.Fprintf(&b, `<svg viewBox="0 0 %d %d" role="img" aria-label="Contacts by hour of the week">`, left+24*cell, top+7*cell+2)
	for h := 0; h < 24; h += 6 {
		fmt.Fprintf(&b, `<text x="%d" y="11">%02d:00</text>`, left+h*cell, h)
	}
	for d, row := range counts {
		fmt.Fprintf(&b, `<text x="0" y="%d">%s</text>`, top+d*cell+11, days[d])
		for h, c := range row {
			shade := 0.0
			if most > 0 {
				shade = float64(c) / float64(most)
			}
			fmt.Fprintf(&b, `<rect x="%d" y="%d" width="%d" height="%d" fill="rgb(%d,%d,%d)" stroke="#fff"><title>%s %02d:00 %d</title></rect>`,
				left+h*cell, top+d*cell, cell, cell, mix(238, 20, shade), mix(242, 70, shade), mix(248, 140, shade), days[d], h, c)
		}
	}
	b.WriteString(`</svg>`)
	return template.HTML(b.String()) //nolint:gosec // numbers and fixed labels drawn here
}

// mix goes from a (at 0) to b (at 1).
func mix(a, b int, f float64) int { return int(math.Round(float64(a) + (float64(b)-float64(a))*f)) }

// waitBins are the histogram's bins, in minutes: a wait w falls in the first bin with w < upper.
var waitBins = []struct {
	label string
	upper time.Duration
}{{"<1m", time.Minute}, {"1-2m", 2 * time.Minute}, {"2-5m", 5 * time.Minute}, {"5-10m", 10 * time.Minute},
	{"10-15m", 15 * time.Minute}, {"15-30m", 30 * time.Minute}, {"30-60m", time.Hour}, {"1h+", math.MaxInt64}}

// histogram draws the waits in waitBins.
func histogram(waits []time.Duration) template.HTML {
	counts := make([]int, len(waitBins))
	for _, w := range waits {
		for i, bin := range waitBins {
			if w < bin.upper {
				counts[i]++
				break
			}
		}
	}
	most := 1
	for _, c := range counts {
		most = max(most, c)
	}
	const barW, height, base = 40, 100, 120
	var b strings.Builder
	fmt.Fprintf(&b, `<svg viewBox="0 0 %d 140" role="img" aria-label="Time to a human">`, len(waitBins)*barW)
	for i, c := range counts {
		h := c * height / most
		x := i * barW
		fmt.Fprintf(&b, `<rect x="%d" y="%d" width="%d" height="%d" fill="#2f6f9f"><title>%s: %d</title></rect>`,
			x+4, base-h, barW-8, h, waitBins[i].label, c)
		fmt.Fprintf(&b, `<text x="%d" y="%d" text-anchor="middle">%d</text>`, x+barW/2, base-h-3, c)
		fmt.Fprintf(&b, `<text x="%d" y="135" text-anchor="middle">%s</text>`, x+barW/2, waitBins[i].label)
	}
	b.WriteString(`</svg>`)
	return template.HTML(b.String()) //nolint:gosec // numbers and fixed labels drawn here
}

// outcomeBars draws each outcome's share of the contacts as a horizontal bar.
func outcomeBars(s Summary) template.HTML {
	parts := []struct {
		label string
		n     int
		color string
	}{{"Matched in time", s.MatchedInTime, "#2f7f4f"}, {"Reached late", s.ReachedLate, "#7fa84f"},
		{"Signposted, not reached", s.NeverReached, "#c98a2b"}, {"Withdrawn", s.Withdrawn, "#8a8a9a"},
		{"Still open", s.StillOpen, "#b0b8c8"}}
	total := max(s.All.Contacts, 1)
	const width, rowH, labelW = 360, 24, 150
	var b strings.Builder
	fmt.Fprintf(&b, `<svg viewBox="0 0 %d %d" role="img" aria-label="Outcome shares">`, width, len(parts)*rowH)
	for i, p := range parts {
		share := float64(p.n) / float64(total)
		y := i * rowH
		fmt.Fprintf(&b, `<text x="0" y="%d">%s</text>`, y+15, p.label)
		fmt.Fprintf(&b, `<rect x="%d" y="%d" width="%.1f" height="16" fill="%s"><title>%s: %d</title></rect>`,
			labelW, y+3, share*(width-labelW-45), p.color, p.label, p.n)
		fmt.Fprintf(&b, `<text x="%.1f" y="%d">%.0f%%</text>`, labelW+share*(width-labelW-45)+4, y+15, share*100)
	}
	b.WriteString(`</svg>`)
	return template.HTML(b.String()) //nolint:gosec // numbers and fixed labels drawn here
}
