// CSV files of the rota, for coordinators who keep it in a spreadsheet: ReadVolunteersCSV and
// ReadShiftsCSV check them, PlanImport makes the plan that brings the rota in line with them,
// VolunteerRecords and ShiftRecords with WriteCSV write them (the rota tool's import and export).
//
// volunteers.csv has a header row, then one volunteer a row. Columns are found by their name in the
// header (any case, any order; "max chats" and "max-chats" also name max_chats). name and phone are
// required; a column left out keeps what the rota has (a new volunteer gets the default):
//
//	id,name,phone,role,channels,tags,max_chats,rest_minutes,week_hours,notes,paused
//	v1,Sam,+44 7700 900101,volunteer,sms,alcohol; women-only,2,,,,no
//	v2,Kim,+44 7700 900103,coordinator,whatsapp; sms,,,15,12,prefers nights,no
//
//	id            ignored on import (volunteers are matched by phone); written by export
//	name          first name, as people who text see it (1 to 40 characters)
//	phone         any UK or international format; the same number is the same volunteer
//	role          volunteer (default) or coordinator
//	channels      sms, whatsapp or both, in order of preference (default sms)
//	tags          such as alcohol; women-only (letters, digits and dashes)
//	max_chats     their own limit of chats in one night, 1 to 20 (empty: the line's NIGHT_CHATS)
//	rest_minutes  their own rest after each chat, 1 to 240 (empty: the line's REST_AFTER_CHAT)
//	week_hours    their own hours of chats in 7 days, 1 to 168 (empty: the line's WEEK_CHAT_HOURS)
//	notes         for coordinators only
//	paused        yes or no (default no)
//
// shifts.csv likewise; volunteer, start, end and one of day or date are required:
//
//	id,volunteer,name,day,date,start,end,covers,oncall
//	s1,+44 7700 900101,Sam,fri,,22:00,02:00,,no
//	,+44 7700 900103,Kim,,2026-12-24,20:00,24:00,+44 7700 900101,no
//
//	id         the shift's id, written by export: a row with the id of a shift on the rota is that
//	           shift (import changes it); empty for a new shift
//	volunteer  phone number (or id, such as v3)
//	name       ignored on import; written by export for people to read
//	day        mon to sun, for a weekly shift
//	date       for a one-off shift or a cover: 2026-12-24, or as the line's region writes dates
//	           (24/12/2026 in GB); see ReadDateCell for every form and when a date is refused as ambiguous
//	start,end  22:00, 22:00:00 or 10:00 PM (see ParseClockCell); an end before the start is the next day, one equal to it is
//	           refused (0 hours); 24:00 ends a day
//	covers     phone (or id) of the volunteer this one covers on that date
//	oncall     yes for a coordinator on call (default no)
//
// Yes/no cells take yes, no, y, n, true, false, 1 or 0. Lists take ; or , between items. Blank lines,
// a UTF-8 byte order mark, CRLF line ends and spaces around cells are fine.

package rota

import (
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"

	"peerline/phone"
)

// VolunteerColumns returns the columns of volunteers.csv, in the order VolunteerRecords writes them.
func VolunteerColumns() []string {
	return []string{"id", "name", "phone", "role", "channels", "tags", "max_chats", "rest_minutes", "week_hours", "notes", "paused"}
}

// ShiftColumns returns the columns of shifts.csv, in the order ShiftRecords writes them.
func ShiftColumns() []string {
	return []string{"id", "volunteer", "name", "day", "date", "start", "end", "covers", "oncall"}
}

// VolunteerRow is one checked row of volunteers.csv.
type VolunteerRow struct {
	Line      int       // the line of the file the row starts on
	ID        string    // the id column, "" if empty (rows are matched to the rota by phone, not by id)
	Volunteer Volunteer // normalised, ID empty, Phone E.164, Active unless paused
	// abroad says why the number is of another country than the line's, "" when it is not: a new
	// volunteer with such a number needs -allow-abroad, one already on the rota does not.
	abroad string
}

// VolunteersFile is a checked volunteers.csv: ReadVolunteersCSV makes it.
type VolunteersFile struct {
	Name   string          // the file's name, as problems and notes give it
	Rows   []VolunteerRow  // the rows without problems
	cols   map[string]bool // the columns the file has
	abroad bool            // -allow-abroad: new volunteers may have mobiles of other countries
}

// ShiftRow is one checked row of shifts.csv.
type ShiftRow struct {
	Line int    // the line of the file the row starts on
	ID   string // the id column: the shift on the rota this row is, "" for a new shift
	// Shift is the row's shift, without an id. Volunteer and CoverFor are as written (an id or an E.164
	// number) in a row read from the file, and as the plan names them in ImportChanges.
	Shift Shift
	// swapped is the other reading of a date whose day and month could be swapped (see ReadDateCell).
	swapped string
}

// ShiftsFile is a checked shifts.csv: ReadShiftsCSV makes it.
type ShiftsFile struct {
	Name string     // the file's name, as problems and notes give it
	Rows []ShiftRow // the rows without problems
}

// IsVolunteerID reports whether s is written like a volunteer id: v and a number.
func IsVolunteerID(s string) bool { return isIDOf("v", s) }

// isShiftID reports whether s is written like a shift id: s and a number.
func isShiftID(s string) bool { return isIDOf("s", s) }

func isIDOf(prefix, s string) bool {
	digits, ok := strings.CutPrefix(s, prefix)
	return ok && digits != "" && strings.Trim(digits, "0123456789") == ""
}

// ReadVolunteersCSV reads and checks volunteers.csv (see the top of this file), named name in problems,
// with phone numbers of region, reporting every bad row. Rows that are wrong are left out. With abroad,
// new volunteers may have mobiles of other countries than region's.
func ReadVolunteersCSV(name string, in io.Reader, region string, abroad bool) (VolunteersFile, FileProblems) {
	t, ps := readTable(name, in, VolunteerColumns(), []string{"name", "phone"})
	f := VolunteersFile{Name: name, cols: map[string]bool{}, abroad: abroad}
	for c := range t.cols {
		f.cols[c] = true
	}
	phones, ids := map[string]int{}, map[string]int{}
	for _, rec := range t.rows {
		row, ok := readVolunteerRow(t, rec, region, &ps)
		if first, dup := phones[row.Volunteer.Phone]; dup && row.Volunteer.Phone != "" {
			ps.add(name, rec.line, "phone %s is also on line %d: each number is one volunteer", row.Volunteer.Phone, first)
			ok = false
		} else if first, dup := ids[row.ID]; dup && row.ID != "" {
			ps.add(name, rec.line, "id %s is also on line %d", row.ID, first)
			ok = false
		}
		phones[row.Volunteer.Phone], ids[row.ID] = rec.line, rec.line
		if ok {
			f.Rows = append(f.Rows, row)
		}
	}
	return f, ps
}

func readVolunteerRow(t *table, rec record, region string, ps *FileProblems) (VolunteerRow, bool) {
	n := len(*ps)
	bad := func(format string, a ...any) { ps.add(t.file, rec.line, format, a...) }
	get := func(col string) string { return t.get(rec, col) }
	row := VolunteerRow{Line: rec.line, ID: normID(get("id"))}
	if row.ID != "" && !IsVolunteerID(row.ID) {
		bad("id %q: want a volunteer id such as v3, or leave it empty", get("id"))
	}
	v := Volunteer{Name: get("name"), Notes: get("notes")}
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
	row.Volunteer = check
	return row, len(*ps) == n
}

// readDetails reads the optional columns of a volunteer's row into v.
func readDetails(v *Volunteer, get func(string) string, bad func(string, ...any)) {
	var err error
	switch strings.ToLower(get("role")) {
	case "", "volunteer":
	case "coordinator":
		v.Coordinator = true
	default:
		bad("role %q: want volunteer or coordinator", get("role"))
	}
	if v.Channels, err = NormalizeChannels(SplitList(get("channels"))); err != nil {
		bad("channels: %v", err)
	}
	if v.Tags, err = NormalizeTags(SplitList(get("tags"))); err != nil {
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
func wellbeingColumns(v *Volunteer) []wellbeingLimit {
	return []wellbeingLimit{
		{"max_chats", "the most chats in one night", "NIGHT_CHATS", 20, &v.MaxChats},
		{"rest_minutes", "minutes of rest after each chat", "REST_AFTER_CHAT", 240, &v.Rest},
		{"week_hours", "the most hours of chats in 7 days", "WEEK_CHAT_HOURS", 7 * 24, &v.WeekHours},
	}
}

// ReadShiftsCSV reads and checks shifts.csv (see the top of this file), named name in problems, with
// phone numbers and dates of region, reporting every bad row. Rows that are wrong are left out.
// Duplicates are found by PlanImport, once volunteers are known.
func ReadShiftsCSV(name string, in io.Reader, region string) (ShiftsFile, FileProblems) {
	t, ps := readTable(name, in, ShiftColumns(), []string{"volunteer", "start", "end"})
	if t.cols != nil && len(ps) == 0 && !t.has("day") && !t.has("date") {
		ps.add(name, 1, `no "day" or "date" column: a weekly shift has a day, a one-off shift a date`)
	}
	f := ShiftsFile{Name: name}
	ids := map[string]int{}
	otherOrder := 0 // the first line whose date makes sense only in the other order of day and month
	for _, rec := range t.rows {
		row, ok, other := readShiftRow(t, rec, region, &ps)
		if first, dup := ids[row.ID]; dup && row.ID != "" {
			ps.add(name, rec.line, "id %s is also on line %d: each shift is on one row (leave the id empty for a new shift)",
				row.ID, first)
			ok = false
		}
		ids[row.ID] = rec.line
		if other && otherOrder == 0 {
			otherOrder = rec.line
		}
		if ok {
			f.Rows = append(f.Rows, row)
		}
	}
	if otherOrder > 0 {
		f.Rows = refuseSwappable(f, otherOrder, region, &ps)
	}
	return f, ps
}

// refuseSwappable refuses the rows of f whose date could be read with day and month either way, once
// line other showed that the file may write dates in the other order than region's, and returns the
// rows left.
func refuseSwappable(f ShiftsFile, other int, region string, ps *FileProblems) []ShiftRow {
	var kept []ShiftRow
	for _, row := range f.Rows {
		if row.swapped == "" {
			kept = append(kept, row)
			continue
		}
		d := DateCell{Date: row.Shift.Date, Swapped: row.swapped}
		ps.add(f.Name, row.Line, "%v", d.Doubt(region, other))
	}
	return kept
}

// readShiftRow reads one row of shifts.csv; other is true when its date makes sense only in the
// other order of day and month than region's.
func readShiftRow(t *table, rec record, region string, ps *FileProblems) (row ShiftRow, ok, other bool) {
	n := len(*ps)
	bad := func(format string, a ...any) { ps.add(t.file, rec.line, format, a...) }
	get := func(col string) string { return t.get(rec, col) }
	row = ShiftRow{Line: rec.line, ID: normID(get("id"))}
	if row.ID != "" && !isShiftID(row.ID) {
		bad("id %q: want a shift id such as s12 (export writes it), or leave it empty for a new shift", get("id"))
	}
	var s Shift
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
	row.Shift, row.swapped = s, d.Swapped
	return row, len(*ps) == n, d.OtherOrder
}

// readWhen reads the day or date, start and end of a shift's row into s, with dates in the order of
// region, and returns how the date was read.
func readWhen(s *Shift, get func(string) string, bad func(string, ...any), region string) DateCell {
	var err error
	var d DateCell
	day, date := get("day"), get("date")
	switch {
	case (day == "") == (date == ""):
		bad("give a day (weekly shift) or a date (one-off shift), one of them")
	case day != "":
		if s.Day, err = ParseDay(day); err != nil {
			bad("%v", err)
		}
	default:
		if d = ReadDateCell(date, region); d.Err != nil {
			bad("%v", d.Err)
		}
		s.Date = d.Date
	}
	if s.Start, err = ParseClockCell(get("start")); err != nil {
		bad("start %v", err)
	} else if s.Start >= 24*60 {
		bad("start 24:00: a shift starts by 23:59; use 00:00 the next day")
	}
	if s.End, err = ParseClockCell(get("end")); err != nil {
		bad("end %v", err)
	}
	return d
}

// parseRef reads who a shift names: an id (v3) or a phone number, returned as E.164.
func parseRef(s, region string) (string, error) {
	if id := normID(s); IsVolunteerID(id) {
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

// normID reads an id as coordinators may type it: " V3 " is v3.
func normID(s string) string { return strings.ToLower(strings.TrimSpace(s)) }

// SplitList reads a list as coordinators type it in a cell or a flag: "a, b; c" is a, b, c.
func SplitList(s string) []string {
	return strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ';' })
}
