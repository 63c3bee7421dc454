package feedback

import "strconv"

// Summary is what the line heard over some days: check-in answers and debrief answers counted, and each
// feedback score with its words.
type Summary struct {
	From, To string         // the days covered, YYYY-MM-DD, both included
	Checkins map[string]int // answer (Better, Same, Struggling, Wrote) -> how many
	Debriefs map[string]int // DebriefOK, DebriefTalk -> how many
	Scores   [6]int         // Scores[n]: how many feedback replies scored n (1 to 5)
	Feedback []Entry        // every feedback reply, oldest first
}

// Summarize counts entries, read for the days from to to.
func Summarize(entries []Entry, from, to string) Summary {
	s := Summary{From: from, To: to, Checkins: map[string]int{}, Debriefs: map[string]int{}}
	for _, e := range entries {
		switch e.Kind {
		case KindCheckin:
			s.Checkins[e.Answer]++
		case KindDebrief:
			s.Debriefs[e.Answer]++
		case KindFeedback:
			if e.Score >= 1 && e.Score <= 5 {
				s.Scores[e.Score]++
			}
			s.Feedback = append(s.Feedback, e)
		}
	}
	return s
}

// CheckinAnswers lists the check-in answers in the order a table shows them.
var CheckinAnswers = []string{Better, Same, Struggling, Wrote}

// Rows returns the summary as one table for a spreadsheet, under the header CSVHeader: a row per count,
// then a row per feedback reply (section feedback: code, month, score, words).
func (s Summary) Rows() [][]string {
	rows := [][]string{{"range", "from", "", s.From}, {"range", "to", "", s.To}}
	for _, a := range CheckinAnswers {
		rows = append(rows, []string{"checkin", a, "", strconv.Itoa(s.Checkins[a])})
	}
	for _, a := range []string{DebriefOK, DebriefTalk} {
		rows = append(rows, []string{"debrief", a, "", strconv.Itoa(s.Debriefs[a])})
	}
	for n := 1; n <= 5; n++ {
		rows = append(rows, []string{"score", strconv.Itoa(n), "", strconv.Itoa(s.Scores[n])})
	}
	for i := range rows {
		rows[i] = append(rows[i], "") // no words
	}
	for _, e := range s.Feedback {
		rows = append(rows, []string{"feedback", e.Code, e.Day, strconv.Itoa(e.Score), e.Words})
	}
	return rows
}

// CSVHeader is the header of Rows. Count rows leave words empty; feedback rows put the request code in
// key, the month in label and the score in value.
var CSVHeader = []string{"section", "key", "label", "value", "words"}
