package main

import (
	"context"
	"fmt"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

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
func clean(s string) string { return rota.Printable(s) }

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

// loadVolunteer reads the rota and finds the volunteer a command's argument names, by id or first name.
func (t *tool) loadVolunteer(ctx context.Context, ref string) (rota.Rota, rota.Volunteer, error) {
	r, err := t.store.Load(ctx)
	if err != nil {
		return rota.Rota{}, rota.Volunteer{}, err
	}
	v, err := findVolunteer(r, ref)
	return r, v, err
}

// findVolunteer finds a volunteer by id (v3) or by a first name only one volunteer has.
func findVolunteer(r rota.Rota, ref string) (rota.Volunteer, error) {
	id := normID(ref)
	if v, ok := r.Volunteers[id]; ok {
		return v, nil
	}
	found := r.Named(ref)
	switch len(found) {
	case 1:
		return found[0], nil
	case 0:
		if rota.IsVolunteerID(id) {
			return rota.Volunteer{}, notFound("volunteer", id, "volunteer list")
		}
		return rota.Volunteer{}, fmt.Errorf("no volunteer is called %q (see `%s volunteer list`)", strings.TrimSpace(ref), prog)
	}
	var ids []string
	for _, v := range found {
		ids = append(ids, v.ID)
	}
	return rota.Volunteer{}, fmt.Errorf("%d volunteers are called %q (%s): give the id instead", len(found), ref, strings.Join(ids, ", "))
}

// weekdayOf names the day of the week of a YYYY-MM-DD date.
func weekdayOf(date string) string {
	d, err := time.Parse(rota.DateLayout, date)
	if err != nil {
		return "?"
	}
	return d.Weekday().String()
}

// when shows when a shift happens: "every Fri" or "Thu 2026-12-24".
func when(s rota.Shift) string {
	if s.Weekly() {
		return "every " + dayName(s.Day)
	}
	return weekdayOf(s.Date)[:3] + " " + s.Date
}

// endText shows a shift's end, "02:00 +1 day" when it ends the next day.
func endText(s rota.Shift) string {
	if s.End <= s.Start {
		return s.End.String() + " +1 day"
	}
	return s.End.String()
}

// kind says what sort of shift s is.
func kind(r rota.Rota, s rota.Shift) string {
	switch {
	case s.CoverFor != "" && s.OnCall:
		return "covers " + volunteerLabel(r, s.CoverFor) + " on call"
	case s.CoverFor != "":
		return "covers " + volunteerLabel(r, s.CoverFor)
	case s.OnCall:
		return "on call"
	case s.Weekly():
		return "weekly"
	}
	return "one-off"
}

// describeFull shows a shift in a sentence: "Sam (v1), every Fri 22:00 to Sat 02:00, on call".
func describeFull(r rota.Rota, s rota.Shift) string {
	out := volunteerLabel(r, s.Volunteer) + ", "
	if s.Weekly() {
		out += "every " + describe(s)
	} else {
		out += when(s) + " " + s.Start.String() + " to " + endText(s)
	}
	if k := kind(r, s); k != "weekly" {
		out += ", " + k
	}
	return out + crossNote(s)
}

// spanText shows an occurrence as "Thu 24 Dec 20:00 to Fri 02:00".
func spanText(o rota.Occurrence, loc *time.Location) string {
	start, end := o.Start.In(loc), o.End.In(loc)
	if start.YearDay() == end.YearDay() || end.Sub(start) <= 0 {
		return start.Format("Mon 2 Jan 15:04") + " to " + end.Format("15:04")
	}
	return start.Format("Mon 2 Jan 15:04") + " to " + end.Format("Mon 15:04")
}

// crossNote marks a shift that lasts a whole day.
func crossNote(s rota.Shift) string {
	if s.End == s.Start {
		return " (24 hours)"
	}
	return ""
}

// nameNote points out a name written all in small letters: people in need read it as it is.
func nameNote(t *tool, v rota.Volunteer) {
	first, _ := utf8.DecodeRuneInString(v.Name)
	if unicode.IsLower(first) {
		fixed := string(unicode.ToUpper(first)) + v.Name[utf8.RuneLen(first):]
		fmt.Fprintf(t.out, "Note: people who text will see %q. To change it: %s volunteer edit %s -name %q\n",
			clean(v.Name), prog, v.ID, clean(fixed))
	}
}
