package outcomes

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base32"
	"strconv"
	"time"

	"peerline/feedback"
	"peerline/matcher"
	"peerline/report"
)

// ResearchHeader is the header of Research's rows.
var ResearchHeader = []string{"case", "event", "when", "band", "channel", "volunteer", "minutes_to_human",
	"answer", "score", "new_case"}

// Research returns an event-level table for peer researchers, under ResearchHeader: one row per event
// of the report's requests (and per text while the line was closed), per check-in answer and per
// feedback score about them. Request codes and volunteer ids are replaced by pseudonyms, an HMAC of
// each under key, so with a fresh random key per export the rows cannot be joined to live data or to
// another export. Times are rounded down to the hour (check-ins to the day, feedback to the month),
// the time to a human is in whole minutes, and there are no words.
func Research(c report.Cases, entries []feedback.Entry, key []byte, loc *time.Location) [][]string {
	ours := map[string]report.Case{}
	for _, k := range c.Cases {
		ours[k.Code] = k
	}
	p := pseudonyms{key: key}
	var rows [][]string
	for _, e := range c.Events {
		k, ok := ours[e.Code]
		in := !e.At.Before(c.Figures.From) && e.At.Before(c.Figures.To)
		switch {
		case e.Trial:
			continue
		case e.Kind == matcher.EventClosed && in:
			rows = append(rows, []string{"", e.Kind, hour(e.At, loc), string(BandOf(e.At, loc)), string(e.Channel),
				"", "", "", "", ""})
			continue
		case !ok || e.At.Before(k.Opened):
			continue
		}
		mins := ""
		if e.Kind == matcher.EventMatched && k.Reached {
			mins = strconv.Itoa(int(e.At.Sub(k.Opened).Minutes()))
		}
		vol := ""
		if e.Volunteer != "" {
			vol = p.of("v", e.Volunteer)
		}
		rows = append(rows, []string{p.of("r", e.Code), e.Kind, hour(e.At, loc), string(BandOf(e.At, loc)),
			string(e.Channel), vol, mins, "", "", ""})
	}
	for _, e := range entries {
		if _, ok := ours[e.Code]; !ok || e.Kind == feedback.KindDebrief {
			continue
		}
		score, opened := "", ""
		if e.Score > 0 {
			score = strconv.Itoa(e.Score)
		}
		if e.New != "" {
			opened = p.of("r", e.New)
		}
		rows = append(rows, []string{p.of("r", e.Code), e.Kind, e.Day, "", "", "", "", e.Answer, score, opened})
	}
	return rows
}

// hour writes t rounded down to the local hour.
func hour(t time.Time, loc *time.Location) string { return t.In(loc).Format("2006-01-02 15:00") }

// pseudonyms are the HMAC-SHA256 of ids under one key, cut to 16 base32 letters (80 bits).
type pseudonyms struct{ key []byte }

func (p pseudonyms) of(kind, id string) string {
	mac := hmac.New(sha256.New, p.key)
	mac.Write([]byte(kind + ":" + id))
	return kind + "-" + base32.StdEncoding.EncodeToString(mac.Sum(nil))[:16]
}
