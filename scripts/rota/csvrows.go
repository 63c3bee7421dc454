package main

import (
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"

	"peerline/phone"
	"peerline/rota"
)

// volunteerColumns are the columns of volunteers.csv, in the order export writes them.
func volunteerColumns() []string {
	return []string{"id", "name", "phone", "role", "channels", "tags", "max_chats", "rest_minutes", "week_hours", "notes", "paused"}
}

// shiftColumns are the columns of shifts.csv, in the order export writes them.
func shiftColumns() []string {
	return []string{"id", "volunteer", "name", "day", "date", "start", "end", "covers", "oncall"}
}

// volunteerRow is one checked row of volunteers.csv.
type volunteerRow struct {
	line int
	id   string         // the id column, "" if empty
	v    rota.Volunteer // normalised, ID empty, Phone E.164, Active unless paused
	// abroad says why the number is of another country than the line's, "" when it is not: a new
	// volunteer with such a number needs -allow-abroad, one already on the rota does not.
	abroad string
}

// volunteerFile is a checked volunteers.csv.
type volunteerFile struct {
	name   string
	cols   map[string]bool // the columns the file has
	rows   []volunteerRow
	abroad bool // -allow-abroad: new volunteers may have mobiles of other countries
}

// shiftRow is one checked row of shifts.csv. Volunteer and CoverFor are as written: an id or an E.164
// number.
type shiftRow struct {
	line int
	id   string // the id column: the shift on the rota this row is, "" for a new shift
	s    rota.Shift
	// swapped is the other reading of a date whose day and month could be swapped (see cells.go).
	swapped string
}

// shiftFile is a checked shifts.csv.
type shiftFile struct {
	name string
	rows []shiftRow
}

// isID reports whether s is written like a volunteer id: v and a number.
func isID(s string) bool { return isIDOf("v", s) }

// isShiftID reports whether s is written like a shift id: s and a number.
func isShiftID(s string) bool { return isIDOf("s", s) }

func isIDOf(prefix, s string) bool {
	digits, ok := strings.CutPrefix(s, prefix)
	return ok && digits != "" && strings.Trim(digits, "0123456789") == ""
}

// readVolunteers reads and checks volunteers.csv, with phone numbers of region, reporting every bad
// row. Rows that are wrong are left out.
func readVolunteers(name string, in io.Reader, region string, abroad bool) (volunteerFile, problems) {
	t, ps := readTable(name, in, volunteerColumns(), []string{"name", "phone"})
	f := volunteerFile{name: name, cols: map[string]bool{}, abroad: abroad}
	for c := range t.cols {
		f.cols[c] = true
	}
	phones, ids := map[string]int{}, map[string]int{}
	for _, rec := range t.rows {
		row, ok := readVolunteerRow(t, rec, region, &ps)
		if first, dup := phones[row.v.Phone]; dup && row.v.Phone != "" {
			ps.add(name, rec.line, "phone %s is also on line %d: each number is one volunteer", row.v.Phone, first)
			ok = false
		} else if first, dup := ids[row.id]; dup && row.id != "" {
			ps.add(name, rec.line, "id %s is also on line %d", row.id, first)
			ok = false
		}
		phones[row.v.Phone], ids[row.id] = rec.line, rec.line
		if ok {
			f.rows = append(f.rows, row)
		}
	}
	return f, ps
}

func readVolunteerRow(t *table, rec record, region string, ps *problems) (volunteerRow, bool) {
	n := len(*ps)
	bad := func(format string, a ...any) { ps.add(t.file, rec.line, format, a...) }
	get := func(col string) string { return t.get(rec, col) }
	row := volunteerRow{line: rec.line, id: normID(get("id"))}
	if row.id != "" && !isID(row.id) {
		bad("id %q: want a volunteer id such as v3, or leave it empty", get("id"))
	}
	v := rota.Volunteer{Name: get("name"), Notes: get("notes")}
	var err error
	if v.Phone, err = parsePhone(get("phone"), region); err != nil {
		bad("phone %q: %v", get("phone"), err)
	} else if _, err := phone.Mobile(v.Phone, region, false); errors.Is(err, phone.ErrAbroad) {
		if _, err := phone.Mobile(v.Phone, region, true); err != nil {
			bad("phone %q: %v", get("phone"), err) // the line texts its volunteers: a landline cannot be one
		}
		row.abroad = fmt.Sprintf("phone %q: %v; for a volunteer whose mobile really is abroad, import with -allow-abroad", get("phone"), err)
	} else if err != nil {
		bad("phone %q: %v", get("phone"), err) // the line texts its volunteers: a landline cannot be one
	}
	readDetails(&v, get, bad)
	check := v
	if check.Phone == "" {
		check.Phone = "+" // its problem is reported already
	}
	if err := check.Normalize(); err != nil {
		bad("%v", err)
	}
	check.Phone = v.Phone
	row.v = check
	return row, len(*ps) == n
}

// readDetails reads the optional columns of a volunteer's row into v.
func readDetails(v *rota.Volunteer, get func(string) string, bad func(string, ...any)) {
	var err error
	switch strings.ToLower(get("role")) {
	case "", "volunteer":
	case "coordinator":
		v.Coordinator = true
	default:
		bad("role %q: want volunteer or coordinator", get("role"))
	}
	if v.Channels, err = rota.NormalizeChannels(splitList(get("channels"))); err != nil {
		bad("channels: %v", err)
	}
	if v.Tags, err = rota.NormalizeTags(splitList(get("tags"))); err != nil {
		bad("tags: %v", err)
	}
	for _, l := range wellbeingColumns(v) {
		if c := get(l.col); c != "" {
			if *l.to, err = strconv.Atoi(c); err != nil || *l.to < 0 || *l.to > l.most {
				bad("%s %q: %s, 1 to %d (0 or empty: the line's %s)", l.col, c, l.what, l.most, l.setting)
			}
		}
	}
	paused, err := yesNo(get("paused"))
	if err != nil {
		bad("paused %v", err)
	}
	v.Active = !paused
}

// wellbeingLimit is a column of a volunteer's own wellbeing limit: 0 (or empty) takes the line's.
type wellbeingLimit struct {
	col, what, setting string
	most               int
	to                 *int
}

// wellbeingColumns are the columns of v's own wellbeing limits, each pointing at its field of v.
func wellbeingColumns(v *rota.Volunteer) []wellbeingLimit {
	return []wellbeingLimit{
		{"max_chats", "the most chats in one night", "NIGHT_CHATS", 20, &v.MaxChats},
		{"rest_minutes", "minutes of rest after each chat", "REST_AFTER_CHAT", 240, &v.Rest},
		{"week_hours", "the most hours of chats in 7 days", "WEEK_CHAT_HOURS", 7 * 24, &v.WeekHours},
	}
}

// readShifts reads and checks shifts.csv, with phone numbers of region, reporting every bad row. Rows
// that are wrong are left out. Duplicates are found later, once volunteers are known.
func readShifts(name string, in io.Reader, region string) (shiftFile, problems) {
	t, ps := readTable(name, in, shiftColumns(), []string{"volunteer", "start", "end"})
	if t.cols != nil && len(ps) == 0 && !t.has("day") && !t.has("date") {
		ps.add(name, 1, `no "day" or "date" column: a weekly shift has a day, a one-off shift a date`)
	}
	f := shiftFile{name: name}
	ids := map[string]int{}
	otherOrder := 0 // the first line whose date makes sense only in the other order of day and month
	for _, rec := range t.rows {
		row, ok, other := readShiftRow(t, rec, region, &ps)
		if first, dup := ids[row.id]; dup && row.id != "" {
			ps.add(name, rec.line, "id %s is also on line %d: each shift is on one row (leave the id empty for a new shift)",
				row.id, first)
			ok = false
		}
		ids[row.id] = rec.line
		if other && otherOrder == 0 {
			otherOrder = rec.line
		}
		if ok {
			f.rows = append(f.rows, row)
		}
	}
	if otherOrder > 0 {
		f.rows = refuseSwappable(f, otherOrder, region, &ps)
	}
	return f, ps
}

// refuseSwappable refuses the rows of f whose date could be read with day and month either way, once
// line other showed that the file may write dates in the other order than region's, and returns the
// rows left.
func refuseSwappable(f shiftFile, other int, region string, ps *problems) []shiftRow {
	var kept []shiftRow
	for _, row := range f.rows {
		if row.swapped == "" {
			kept = append(kept, row)
			continue
		}
		ps.add(f.name, row.line, "date %s or %s? Dates are read %s %s, but line %d shows this file may write "+
			"them the other way: write it as %s (or %s)", long(row.s.Date), long(row.swapped), rota.DateOrderOf(region),
			rota.RegionSetting(region), other, row.s.Date, row.swapped)
	}
	return kept
}

// readShiftRow reads one row of shifts.csv; other is true when its date makes sense only in the
// other order of day and month than region's.
func readShiftRow(t *table, rec record, region string, ps *problems) (row shiftRow, ok, other bool) {
	n := len(*ps)
	bad := func(format string, a ...any) { ps.add(t.file, rec.line, format, a...) }
	get := func(col string) string { return t.get(rec, col) }
	row = shiftRow{line: rec.line, id: normID(get("id"))}
	if row.id != "" && !isShiftID(row.id) {
		bad("id %q: want a shift id such as s12 (export writes it), or leave it empty for a new shift", get("id"))
	}
	var s rota.Shift
	var err error
	if s.Volunteer, err = parseRef(get("volunteer"), region); err != nil {
		bad("volunteer %q: %v", get("volunteer"), err)
	}
	if c := get("covers"); c != "" {
		if s.CoverFor, err = parseRef(c, region); err != nil {
			bad("covers %q: %v", c, err)
		}
	}
	d := readWhen(&s, get, bad, region)
	if s.OnCall, err = yesNo(get("oncall")); err != nil {
		bad("oncall %v", err)
	}
	if s.CoverFor != "" && get("day") != "" {
		bad("covers: a cover is for one date; give a date instead of a day")
	}
	if s.CoverFor != "" && s.CoverFor == s.Volunteer {
		bad("covers: a volunteer cannot cover themselves")
	}
	row.s, row.swapped = s, d.Swapped
	return row, len(*ps) == n, d.OtherOrder
}

// readWhen reads the day or date, start and end of a shift's row into s, with dates in the order of
// region, and returns how the date was read.
func readWhen(s *rota.Shift, get func(string) string, bad func(string, ...any), region string) dateRead {
	var err error
	var d dateRead
	day, date := get("day"), get("date")
	switch {
	case (day == "") == (date == ""):
		bad("give a day (weekly shift) or a date (one-off shift), one of them")
	case day != "":
		if s.Day, err = rota.ParseDay(day); err != nil {
			bad("%v", err)
		}
	default:
		if d = readDateCell(date, region); d.Err != nil {
			bad("%v", d.Err)
		}
		s.Date = d.Date
	}
	if s.Start, err = readTimeCell(get("start")); err != nil {
		bad("start %v", err)
	} else if s.Start >= 24*60 {
		bad("start 24:00: a shift starts by 23:59; use 00:00 the next day")
	}
	if s.End, err = readTimeCell(get("end")); err != nil {
		bad("end %v", err)
	}
	return d
}

// parseRef reads who a shift names: an id (v3) or a phone number, returned as E.164.
func parseRef(s, region string) (string, error) {
	if id := normID(s); isID(id) {
		return id, nil
	}
	if s == "" {
		return "", fmt.Errorf("give the volunteer's phone number (or id, such as v3)")
	}
	return parsePhone(s, region)
}

// parsePhone reads a phone number as a spreadsheet may have left it, with a hint when a spreadsheet
// probably changed it.
func parsePhone(s, region string) (string, error) {
	if s == "" {
		return "", fmt.Errorf("empty; give a mobile number such as 07700 900123")
	}
	e164, err := phone.Parse(s, region)
	if err == nil {
		return e164, nil
	}
	if strings.ContainsAny(s, "eE") && strings.Contains(s, ".") {
		return "", fmt.Errorf("the spreadsheet turned it into a number like 7.7E+09: format the column as text and type the number again")
	}
	if !strings.HasPrefix(s, "+") {
		if intl, err2 := phone.Parse("+"+s, region); err2 == nil {
			return "", fmt.Errorf("%w; if it is %s, write the + (a spreadsheet drops it unless the column is text)", err, intl)
		}
	}
	return "", err
}
