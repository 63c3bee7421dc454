package rota

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"unicode"
)

// timeCell is a time of day: hours, optional minutes and seconds after : or ., optional am/pm.
var timeCell = regexp.MustCompile(`^(\d{1,2})(?:[:.](\d{2})(?:[:.](\d{2}))?)?\s*(?:([ap])\.?\s?m\.?)?$`)

// ParseClockCell reads a time of day as people and spreadsheets write it: 22:00, 9:00, 22:00:00 (seconds
// must be 00: the rota is in whole minutes), 22.00, and the 12-hour clock: 10 PM, 10pm, 10:00 pm,
// 10:00:00 PM, 10.00 p.m. (12 AM is 00:00, 12 PM is noon). 24:00 ends a day.
func ParseClockCell(cell string) (Clock, error) {
	bad := func(why string) (Clock, error) {
		return 0, fmt.Errorf("%q: %swant a time such as 22:00, 22:00:00 or 10:00 PM", cell, why)
	}
	m := timeCell.FindStringSubmatch(strings.ToLower(PlainSpaces(cell)))
	if m == nil {
		return bad("")
	}
	h, _ := strconv.Atoi(m[1])
	mins, _ := strconv.Atoi(m[2])
	switch {
	case m[3] != "" && m[3] != "00":
		return bad("times are in whole minutes; ")
	case m[4] == "" && m[2] == "":
		return bad("")
	case mins > 59:
		return bad("")
	case m[4] != "":
		if h < 1 || h > 12 {
			return bad("with AM or PM the hour is 1 to 12; ")
		}
		h %= 12
		if m[4] == "p" {
			h += 12
		}
	case h > 24 || h == 24 && mins != 0:
		return bad("")
	}
	return Clock(h*60 + mins), nil
}

// PlainSpaces trims s and turns every kind of space (no-break, narrow no-break before AM/PM, as some
// spreadsheets write) into a plain one.
func PlainSpaces(s string) string {
	return strings.TrimSpace(strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) {
			return ' '
		}
		return r
	}, s))
}
