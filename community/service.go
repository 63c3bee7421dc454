package community

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"
)

// Needs are the needs a service meets, in the order coordinators see them.
var Needs = []string{"housing", "mental-health", "money", "family", "work", "harm-reduction", "food"}

// needWords maps what a coordinator or volunteer may write to a need.
var needWords = map[string]string{
	"housing": "housing", "house": "housing", "homeless": "housing", "homelessness": "housing", "evicted": "housing",
	"mental-health": "mental-health", "mental": "mental-health", "mentalhealth": "mental-health", "mh": "mental-health",
	"money": "money", "debt": "money", "debts": "money", "benefits": "money", "money-and-debt": "money",
	"family": "family", "families": "family", "children": "family",
	"work": "work", "job": "work", "jobs": "work", "employment": "work",
	"harm-reduction": "harm-reduction", "harm": "harm-reduction", "needle": "harm-reduction", "needles": "harm-reduction",
	"needle-exchange": "harm-reduction", "naloxone": "harm-reduction",
	"food": "food", "foodbank": "food", "food-bank": "food",
}

// ParseNeed reads a need as written ("Mental health", "debt", "needle exchange").
func ParseNeed(s string) (string, bool) {
	n, ok := needWords[strings.Join(wordsOf(s), "-")]
	return n, ok
}

// Service is one entry of the line's directory of daytime services.
type Service struct {
	ID    string `json:"id"`
	Need  string `json:"need"`
	Name  string `json:"name"`
	Phone string `json:"phone"` // as the service publishes it, such as 01622 123456
	Hours string `json:"hours"` // as written, such as "Mon-Fri 09:00-17:00; Sat 10:00-12:00"
	Note  string `json:"note,omitempty"`
}

// checkPhone checks that a service's number, which people are sent as it is written, looks like one:
// digits with spaces, dashes, brackets or a leading +, 3 digits (such as 111) to 15. Which country's
// plan it follows is not checked: a directory holds freephone, short and local numbers alike.
func checkPhone(p string) error {
	if p == "" {
		return errors.New("give the service's phone number")
	}
	digits := 0
	for i, r := range p {
		switch {
		case r >= '0' && r <= '9':
			digits++
		case r == ' ' || r == '-' || r == '(' || r == ')' || r == '+' && i == 0:
		default:
			return fmt.Errorf("phone %q: write the number people should call, digits and spaces only (such as 01732 123456, 0800 107 0160 or 111)", p)
		}
	}
	if digits < 3 || digits > 15 {
		return fmt.Errorf("phone %q: %d digits; a number to call has 3 (such as 111) to 15", p, digits)
	}
	return nil
}

// Always reports whether s is open day and night, every day ("24/7"): people are told so, not that
// it is open "till 00:00".
func (s Service) Always() bool { return strings.EqualFold(strings.TrimSpace(plain(s.Hours)), "24/7") }

// Normalize checks s and writes its need in its usual form, reporting every problem at once.
func (s *Service) Normalize() error {
	var errs []error
	s.Name, s.Phone, s.Hours, s.Note = plain(s.Name), plain(s.Phone), plain(s.Hours), plain(s.Note)
	if n, ok := ParseNeed(s.Need); ok {
		s.Need = n
	} else {
		errs = append(errs, fmt.Errorf("need %q: want one of %s", s.Need, strings.Join(Needs, ", ")))
	}
	if s.Name == "" {
		errs = append(errs, errors.New("give a name"))
	}
	if err := checkPhone(s.Phone); err != nil {
		errs = append(errs, err)
	}
	if _, err := ParseHours(s.Hours); err != nil {
		errs = append(errs, err)
	}
	return errors.Join(errs...)
}

// Opening is when a service is next open, seen from some moment.
type Opening struct {
	Service Service
	From    time.Time // not after the moment when it is open then
	Until   time.Time
}

// OpenNow reports whether the opening had begun at now.
func (o Opening) OpenNow(now time.Time) bool { return !o.From.After(now) }

// Soonest returns the services of need (all of them when need is "") that open within two weeks,
// those open now first, then by when they open, seen at now in time zone loc.
func Soonest(services []Service, need string, now time.Time, loc *time.Location) []Opening {
	var out []Opening
	for _, s := range services {
		if need != "" && s.Need != need {
			continue
		}
		sch, err := ParseHours(s.Hours)
		if err != nil {
			continue
		}
		if from, until, ok := sch.Next(now, loc); ok {
			out = append(out, Opening{Service: s, From: from, Until: until})
		}
	}
	slices.SortStableFunc(out, func(a, b Opening) int {
		fa, fb := a.From, b.From
		if a.OpenNow(now) {
			fa = now
		}
		if b.OpenNow(now) {
			fb = now
		}
		return fa.Compare(fb)
	})
	return out
}

// Coming returns the events under way or still to come, soonest first, seen at now in time zone loc.
func Coming(events []Event, now time.Time, loc *time.Location) []Occurrence {
	var out []Occurrence
	for _, e := range events {
		if start, end, ok := e.Next(now, loc); ok {
			out = append(out, Occurrence{Event: e, Start: start, End: end})
		}
	}
	slices.SortStableFunc(out, func(a, b Occurrence) int { return a.Start.Compare(b.Start) })
	return out
}

// Occurrence is one time an event happens.
type Occurrence struct {
	Event      Event
	Start, End time.Time
}

// DayWords names the local day of at as seen at now: "today", "tomorrow", a weekday within the week
// ("Sat"), or a date further off ("Sat 12 Dec").
func DayWords(now, at time.Time, loc *time.Location) string {
	a, b := now.In(loc), at.In(loc)
	days := int(time.Date(b.Year(), b.Month(), b.Day(), 12, 0, 0, 0, time.UTC).Sub(
		time.Date(a.Year(), a.Month(), a.Day(), 12, 0, 0, 0, time.UTC)).Hours() / 24)
	switch {
	case days == 0:
		return "today"
	case days == 1:
		return "tomorrow"
	case days < 7:
		return b.Format("Mon")
	}
	return b.Format("Mon 2 Jan")
}
