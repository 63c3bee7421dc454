// Package feedback keeps what people and volunteers tell the line about how it went, so the people it
// serves help shape it (co-production): answers to the morning check-in, scores and words after a chat,
// and volunteers' debrief answers. It never keeps a phone number: an entry holds a request code, a day
// (a month for feedback), the answer, and for feedback the person's words with anything that looks like
// a number or an email taken out. Entries are dated by Redis's clock only to be trimmed after the
// history keeping time (HISTORY_DAYS).
package feedback

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"github.com/redis/go-redis/v9"

	"peerline/commit"
)

// Kinds of entry.
const (
	KindCheckin  = "checkin"  // a person's answer to the morning check-in
	KindFeedback = "feedback" // a person's score and words after a chat
	KindDebrief  = "debrief"  // a volunteer's answer to "how are you?" after a chat
)

// Check-in answers.
const (
	Better     = "better"     // replied 1
	Same       = "same"       // replied 2
	Struggling = "struggling" // replied 3: a request was opened
	Wrote      = "wrote"      // replied in words: a request was opened, as for any text
)

// Debrief answers.
const (
	DebriefOK   = "ok"
	DebriefTalk = "talk"
)

// entryCap is roughly how many entries the stream keeps (XADD MAXLEN ~), besides the trim by age.
const entryCap = 200_000

// page is how many entries List reads in one round trip.
const page = 1000

// Entry is one answer.
type Entry struct {
	Kind string // KindCheckin, KindFeedback or KindDebrief
	Code string // the request (chat) it is about
	// Day is the local day it was given (YYYY-MM-DD); for feedback only the month (YYYY-MM), so the words
	// cannot be put next to a chat's exact time.
	Day    string
	Answer string // check-in and debrief: one of the answers above
	Score  int    // feedback: 1 to 5
	Words  string // feedback: what they wrote after the score, cleaned (see Clean); may be empty
	New    string // a check-in answer that opened a request: its code; "" when none was opened
}

// Store keeps one line's entries.
type Store struct {
	rdb   redis.UniversalClient
	key   string
	keep  time.Duration
	trial bool // entries are of local trial mode (the phone simulator)
}

// Trial marks the entries s records as local trial mode's (the phone simulator), which List leaves
// out, as the reports leave out the trial's history; it returns s.
func (s *Store) Trial(on bool) *Store {
	s.trial = on
	return s
}

// New returns the store of line; entries are kept 400 days unless Keep says otherwise.
func New(rdb redis.UniversalClient, line string) *Store {
	return &Store{rdb: rdb, key: "pl:{" + line + "}:feedback", keep: 400 * 24 * time.Hour}
}

// Keep sets how long entries are kept (HISTORY_DAYS); zero or less keeps the default.
func (s *Store) Keep(d time.Duration) *Store {
	if d > 0 {
		s.keep = d
	}
	return s
}

// Record adds e to b, so the answer is kept atomically with the reply that thanks for it. Stream
// fields: kind, code, day, and when set answer, score, words, new.
func (s *Store) Record(b *commit.Batch, e Entry) {
	args := []any{"MAXLEN", "~", entryCap, "*", "kind", e.Kind, "code", e.Code, "day", e.Day}
	if e.Answer != "" {
		args = append(args, "answer", e.Answer)
	}
	if e.Score > 0 {
		args = append(args, "score", e.Score)
	}
	if e.Words != "" {
		args = append(args, "words", e.Words)
	}
	if e.New != "" {
		args = append(args, "new", e.New)
	}
	if s.trial {
		args = append(args, "trial", 1)
	}
	b.Do("XADD", s.key, args...)
}

// List returns the entries dated from the local day from to the local day to, both included
// (YYYY-MM-DD), oldest first. Feedback, dated by month only, is listed when its month overlaps them.
// Entries of local trial mode are left out.
func (s *Store) List(ctx context.Context, from, to string) ([]Entry, error) {
	var out []Entry
	start := "-"
	for {
		msgs, err := s.rdb.XRangeN(ctx, s.key, start, "+", page).Result()
		if err != nil {
			return nil, fmt.Errorf("read feedback: %w", err)
		}
		for _, m := range msgs {
			if e := decode(m.Values); within(e, from, to) && m.Values["trial"] == nil {
				out = append(out, e)
			}
		}
		if len(msgs) < page {
			return out, nil
		}
		start = "(" + msgs[len(msgs)-1].ID
	}
}

// within reports whether e is dated in [from, to], days as YYYY-MM-DD; a month is compared by month.
func within(e Entry, from, to string) bool {
	if len(e.Day) == len("2006-01") {
		return e.Day >= from[:7] && e.Day <= to[:7]
	}
	return e.Day >= from && e.Day <= to
}

func decode(v map[string]any) Entry {
	str := func(k string) string { s, _ := v[k].(string); return s }
	score, _ := strconv.Atoi(str("score"))
	return Entry{Kind: str("kind"), Code: str("code"), Day: str("day"), Answer: str("answer"), Score: score,
		Words: str("words"), New: str("new")}
}

// Trim removes the entries older than the keeping time, by Redis's own clock, which dates the stream.
func (s *Store) Trim(ctx context.Context) error {
	now, err := s.rdb.Time(ctx).Result()
	if err != nil {
		return fmt.Errorf("read Redis's clock: %w", err)
	}
	if err := s.rdb.XTrimMinID(ctx, s.key, fmt.Sprintf("%d-0", now.Add(-s.keep).UnixMilli())).Err(); err != nil {
		return fmt.Errorf("trim feedback: %w", err)
	}
	return nil
}
