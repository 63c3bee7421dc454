package main

import (
	"fmt"
	"strings"
	"time"
	"unicode"

	"peerline/rota"
)

// notFound is the error for an id that is not on the rota, pointing at the command that lists the ids.
func notFound(kind, id, list string) error {
	return fmt.Errorf("%s %s not found (see `%s %s`)", kind, id, prog, list)
}

// normID reads an id as coordinators may type it: " V3 " is v3.
func normID(s string) string { return strings.ToLower(strings.TrimSpace(s)) }

// clean replaces control characters (tabs, newlines, terminal escapes) in a stored name, so a name
// cannot break a table or the terminal.
func clean(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsControl(r) {
			return '?'
		}
		return r
	}, s)
}

// onOff shows availability as the volunteers' own ON and OFF texts.
func onOff(available bool) string {
	if available {
		return "on"
	}
	return "off"
}

// dayName is the short English name of d, such as "Fri".
func dayName(d time.Weekday) string { return d.String()[:3] }

// describe shows a shift as "Fri 20:00 to 23:00", or "Fri 22:00 to Sat 02:00" when it ends the next day.
func describe(s rota.Shift) string {
	if s.End <= s.Start {
		return fmt.Sprintf("%s %s to %s %s", dayName(s.Day), s.Start, dayName((s.Day+1)%7), s.End)
	}
	return fmt.Sprintf("%s %s to %s", dayName(s.Day), s.Start, s.End)
}

// volunteerLabel shows a volunteer as "Sam (v3)".
func volunteerLabel(r rota.Rota, id string) string {
	if v, ok := r.Volunteers[id]; ok {
		return fmt.Sprintf("%s (%s)", clean(v.Name), id)
	}
	return fmt.Sprintf("removed volunteer (%s)", id)
}
