package community

import (
	"strings"
	"time"
)

// Found is what a word a volunteer shares names: the services of a need, open soonest first, or the
// next occurrence of an event.
type Found struct {
	Need     string
	Openings []Opening
	Event    *Occurrence
}

// Find reads word (what follows SHARE, such as "housing" or "cafe") as a need first, then as a word
// of an event's title or tags, and returns what it names, seen at now in time zone loc. A need with no
// service in the directory, or an event with no occurrence to come, is not found.
func Find(word string, events []Event, services []Service, now time.Time, loc *time.Location) (Found, bool) {
	if need, ok := ParseNeed(word); ok {
		open := Soonest(services, need, now, loc)
		return Found{Need: need, Openings: open}, len(open) > 0
	}
	var matched []Event
	for _, e := range events {
		if e.Matches(word) {
			matched = append(matched, e)
		}
	}
	if c := Coming(matched, now, loc); len(c) > 0 {
		return Found{Event: &c[0]}, true
	}
	return Found{}, false
}

// Hints returns words a volunteer could share: the needs that have a service, then the first words of
// the events' titles, up to n.
func Hints(events []Event, services []Service, n int) []string {
	var out []string
	for _, need := range Needs {
		for _, s := range services {
			if s.Need == need && !contains(out, need) {
				out = append(out, need)
			}
		}
	}
	for _, e := range events {
		for _, w := range wordsOf(e.Title) {
			if len(w) >= 4 && !contains(out, w) {
				out = append(out, w)
				break
			}
		}
	}
	if len(out) > n {
		out = out[:n]
	}
	return out
}

// NeedWords is how a need reads in a text: "money and debt" for money.
func NeedWords(need string) string {
	switch need {
	case "money":
		return "money and debt"
	case "harm-reduction":
		return "harm reduction"
	}
	return strings.ReplaceAll(need, "-", " ")
}
