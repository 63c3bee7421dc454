package rota

import (
	"cmp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/nyaruka/phonenumbers"
)

// VolunteerRecords returns a row of volunteers.csv (under VolunteerColumns) for each volunteer of r, by
// id, with phone numbers written as people of region write them (see sheetPhone).
func VolunteerRecords(r Rota, region string) [][]string {
	var rows [][]string
	for _, v := range r.VolunteersByID() {
		rows = append(rows, []string{v.ID, v.Name, sheetPhone(v.Phone, region), v.Role(), cellList(v.Channels),
			cellList(v.Tags), limitCell(v.MaxChats), limitCell(v.Rest), limitCell(v.WeekHours), v.Notes, yesNoCell(!v.Active)})
	}
	return rows
}

// limitCell writes a volunteer's own wellbeing limit: the number, or "" for the line's.
func limitCell(n int) string {
	if n == 0 {
		return ""
	}
	return strconv.Itoa(n)
}

// cellList writes a list cell: "sms; whatsapp", or "" for none.
func cellList(items []string) string {
	if len(items) == 0 {
		return ""
	}
	return listText(items)
}

// ShiftRecords returns a row of shifts.csv (under ShiftColumns) for each shift of r: weekly ones from
// Monday, then dated ones, each by start, end and volunteer, so the same rota always gives the same
// file. Volunteers are named by phone number, written as people of region write them.
func ShiftRecords(r Rota, region string) [][]string {
	number := func(id string) string {
		if v, ok := r.Volunteers[id]; ok {
			return sheetPhone(v.Phone, region)
		}
		return id
	}
	var rows [][]string
	for _, s := range exportOrder(r.Shifts, number) {
		day := ""
		if s.Weekly() {
			day = dayCell(s.Day)
		}
		cover := ""
		if s.CoverFor != "" {
			cover = number(s.CoverFor)
		}
		rows = append(rows, []string{s.ID, number(s.Volunteer), r.Volunteers[s.Volunteer].Name, day, s.Date,
			s.Start.String(), s.End.String(), cover, yesNoCell(s.OnCall)})
	}
	return rows
}

// exportOrder sorts shifts by what they are, ids aside.
func exportOrder(shifts []Shift, number func(string) string) []Shift {
	out := slices.Clone(shifts)
	monFirst := func(d time.Weekday) int { return (int(d) + 6) % 7 }
	slices.SortStableFunc(out, func(a, b Shift) int {
		if a.Weekly() != b.Weekly() {
			if a.Weekly() {
				return -1
			}
			return 1
		}
		return cmp.Or(
			cmp.Compare(a.Date, b.Date),
			cmp.Compare(monFirst(a.Day), monFirst(b.Day)),
			cmp.Compare(a.Start, b.Start),
			cmp.Compare(a.End, b.End),
			cmp.Compare(number(a.Volunteer), number(b.Volunteer)),
			cmp.Compare(number(a.CoverFor), number(b.CoverFor)),
			cmp.Compare(yesNoCell(a.OnCall), yesNoCell(b.OnCall)),
		)
	})
	return out
}

// dayCell writes a day of the week as shifts.csv has it: "fri".
func dayCell(d time.Weekday) string { return strings.ToLower(d.String()[:3]) }

// sheetPhone writes an E.164 number as people write it: "07700 900123" for a number of the line's
// region, "+1 202-555-0100" for others (which WriteCSV marks as text). The spaces keep a spreadsheet
// from taking the number for a figure and dropping its leading 0.
func sheetPhone(e164, region string) string {
	num, err := phonenumbers.Parse(e164, "")
	if err != nil {
		return e164
	}
	if phonenumbers.GetRegionCodeForCountryCode(int(num.GetCountryCode())) == region {
		return phonenumbers.Format(num, phonenumbers.NATIONAL)
	}
	return phonenumbers.Format(num, phonenumbers.INTERNATIONAL)
}
