package rota

// Dates as people and spreadsheets write them, read in a line's region (DEFAULT_REGION deciding the
// order of day and month):
//   - The year first, in four digits, is always year-month-day: 2026-12-24, 2026/12/24, 2026.12.24.
//   - A month by name is never in doubt: 24 Dec 2026, 24-Dec-26, Dec 24, 2026, Thu 24 December 2026
//     (a weekday, if given, must be the date's).
//   - Day, month and year as numbers (separated by / . or -) are read in the region's order: day first
//     in GB and most regions (24/12/2026), month first in the US and a few others (12/24/2026), year
//     first in regions such as JP and CN for a two-digit year (26/12/24), else day first.
//   - A two-digit year is 20YY. With a two-digit year, a date whose day and month could be swapped
//     (3.4.26: 3 April or 4 March) is refused, naming both readings: two-digit years are what a
//     spreadsheet set to another country writes (LibreOffice in US English writes 12/24/26).
//   - With a four-digit year the region's order is trusted (03/04/2026 is 3 April in GB), unless the
//     same file has a date that only makes sense in the other order (12/24/2026 in GB): then that date,
//     and every date of the file that could be read both ways, is refused, naming both readings.
//   - A date that makes sense only in the other order is refused, with the reading it would have.
//   - A time of 00:00 after the date (2026-12-24 00:00:00) is dropped.

import (
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode"
)

// DateOrder is the order of day and month in dates written as three numbers.
type DateOrder int

const (
	dayFirst   DateOrder = iota // 24/12/2026: GB and most of the world
	monthFirst                  // 12/24/2026
	yearFirst                   // 26/12/24 for a two-digit year; a four-digit year last is read day first
)

// monthFirstRegions and yearFirstRegions write dates in those orders; every other region writes the
// day first.
var (
	monthFirstRegions = "US AS GU MP PR UM VI PH FM MH PW"
	yearFirstRegions  = "CN JP KR KP TW HU LT MN"
)

// DateOrderOf returns the order of day and month that people of region write.
func DateOrderOf(region string) DateOrder {
	region = strings.ToUpper(strings.TrimSpace(region))
	switch {
	case len(region) == 2 && strings.Contains(monthFirstRegions, region):
		return monthFirst
	case len(region) == 2 && strings.Contains(yearFirstRegions, region):
		return yearFirst
	}
	return dayFirst
}

func (o DateOrder) String() string {
	return [...]string{"day first (24/12/2026)", "month first (12/24/2026)", "year first (26/12/24)"}[o]
}

// DateCell is how a date cell was read: the date, or why not, and whether it says something about the
// order the file writes dates in.
type DateCell struct {
	Date string // YYYY-MM-DD; "" when refused
	Err  error
	// Swapped is the other reading of a date read in the region's order whose day and month could be
	// swapped (03/04/2026 in GB: 2026-03-04 is swapped, 2026-04-03 is date); "" if none.
	Swapped string
	// OtherOrder is true when the date makes sense only in the other order: the file is probably
	// written in it.
	OtherOrder bool
}

// ReadDateCell reads a date as people and spreadsheets write it, for a line whose region writes dates
// in order (see the top of this file).
func ReadDateCell(cell string, region string) DateCell {
	order := DateOrderOf(region)
	s := PlainSpaces(cell)
	for _, midnight := range []string{" 00:00:00", " 00:00", "T00:00:00", "T00:00"} {
		s = strings.TrimSuffix(s, midnight)
	}
	if d, err := time.Parse(DateLayout, s); err == nil {
		return DateCell{Date: d.Format(DateLayout)}
	}
	if strings.IndexFunc(s, unicode.IsLetter) >= 0 {
		return readNamedDate(cell, s)
	}
	parts, ok := dateParts(s)
	if !ok {
		return DateCell{Err: fmt.Errorf("date %q: want a date such as 2026-12-24 or, %s, %s", cell,
			RegionSetting(region), example(order))}
	}
	return readNumericDate(cell, parts, order, region)
}

// Doubt returns the error for a date d read in region's order whose day and month could be swapped
// (d.Swapped), once line other of the same file has a date that makes sense only in the other order
// (OtherOrder): the file may write every date that way. It returns nil for a date in no doubt. An
// import that reads a file of dates refuses such rows with it.
func (d DateCell) Doubt(region string, other int) error {
	if d.Swapped == "" || d.Date == "" {
		return nil
	}
	return fmt.Errorf("date %s or %s? Dates are read %s %s, but line %d shows this file may write "+
		"them the other way: write it as %s (or %s)", LongDate(d.Date), LongDate(d.Swapped), DateOrderOf(region),
		RegionSetting(region), other, d.Date, d.Swapped)
}

// example shows 24 December 2026 in order.
func example(o DateOrder) string {
	return [...]string{"24/12/2026", "12/24/2026", "24/12/2026"}[o]
}

// RegionSetting names the region setting for messages: "in GB (DEFAULT_REGION)".
func RegionSetting(region string) string {
	return fmt.Sprintf("in %s (DEFAULT_REGION)", strings.ToUpper(region))
}

// dateParts splits a date of three numbers with the same separator (/ . or -) twice.
func dateParts(s string) ([3]string, bool) {
	var out [3]string
	sep := strings.IndexAny(s, "/.-")
	if sep < 0 {
		return out, false
	}
	parts := strings.Split(s, s[sep:sep+1])
	if len(parts) != 3 {
		return out, false
	}
	for i, p := range parts {
		if p == "" || len(p) > 4 || strings.Trim(p, "0123456789") != "" {
			return out, false
		}
		out[i] = p
	}
	return out, true
}

// readNumericDate reads a date of three numbers (see the top of this file).
func readNumericDate(cell string, p [3]string, order DateOrder, region string) DateCell {
	n := func(i int) int { v, _ := strconv.Atoi(p[i]); return v }
	noDate := DateCell{Err: fmt.Errorf("date %q: no such date (is the day or the month wrong?)", cell)}
	switch {
	case len(p[0]) == 4:
		if d, ok := civilDate(n(0), n(1), n(2)); ok {
			return DateCell{Date: d}
		}
		return noDate
	case len(p[0]) > 2 || len(p[1]) > 2 || len(p[2]) == 3 || len(p[2]) == 1:
		return DateCell{Err: fmt.Errorf("date %q: want a date such as 2026-12-24 or, %s, %s", cell,
			RegionSetting(region), example(order))}
	}
	short := len(p[2]) == 2
	year := func(i int) int {
		if len(p[i]) == 2 {
			return 2000 + n(i)
		}
		return n(i)
	}
	dm, dmOK := civilDate(year(2), n(1), n(0)) // day first
	md, mdOK := civilDate(year(2), n(0), n(1)) // month first
	mine, mineOK, other, otherOK := dm, dmOK, md, mdOK
	switch {
	case order == monthFirst:
		mine, mineOK, other, otherOK = md, mdOK, dm, dmOK
	case order == yearFirst && short:
		mine, mineOK = civilDate(2000+n(0), n(1), n(2))
		other, otherOK = dm, dmOK
	}
	switch {
	case mineOK && (!otherOK || other == mine):
		return DateCell{Date: mine}
	case mineOK && short:
		return DateCell{Err: fmt.Errorf("date %q could be %s or %s: write it as %s (or %s)", cell, LongDate(mine),
			LongDate(other), mine, other)}
	case mineOK:
		return DateCell{Date: mine, Swapped: other}
	case otherOK:
		return DateCell{OtherOrder: true, Err: fmt.Errorf("date %q: dates are read %s %s, and this is no date "+
			"that way; read %s it is %s, as a spreadsheet set to another country writes it: write %s",
			cell, order, RegionSetting(region), otherName(order, short), LongDate(other), other)}
	}
	return noDate
}

// otherName names the order a date was read in when not the region's.
func otherName(o DateOrder, short bool) string {
	if o == monthFirst || o == yearFirst && short {
		return "day first"
	}
	return "month first"
}

// civilDate returns y-m-d as YYYY-MM-DD if it is a real date.
func civilDate(y, m, d int) (string, bool) {
	t := time.Date(y, time.Month(m), d, 12, 0, 0, 0, time.UTC)
	if t.Year() != y || int(t.Month()) != m || t.Day() != d || y < 1000 {
		return "", false
	}
	return t.Format(DateLayout), true
}

// LongDate writes a YYYY-MM-DD date for people: "Thu 24 Dec 2026".
func LongDate(date string) string {
	t, err := time.Parse(DateLayout, date)
	if err != nil {
		return date
	}
	return t.Format("Mon 2 Jan 2006")
}

// readNamedDate reads a date whose month is a name: 24 Dec 2026, Dec 24, 2026, Thu 24-Dec-26.
func readNamedDate(cell, s string) DateCell {
	bad := DateCell{Err: fmt.Errorf("date %q: want a date such as 2026-12-24 or 24 Dec 2026", cell)}
	words := strings.FieldsFunc(strings.ToLower(s), func(r rune) bool { return strings.ContainsRune(" ,/.-", r) })
	var month time.Month
	var weekday string
	var nums []string
	for _, w := range words {
		switch {
		case strings.Trim(w, "0123456789") == "":
			nums = append(nums, w)
		case month == 0 && monthNamed(w) != 0:
			month = monthNamed(w)
		case weekday == "" && len(nums) == 0 && month == 0:
			weekday = w
		default:
			return bad
		}
	}
	if month == 0 || len(nums) != 2 || len(nums[0]) > 2 || (len(nums[1]) != 2 && len(nums[1]) != 4) {
		return bad
	}
	day, _ := strconv.Atoi(nums[0])
	year, _ := strconv.Atoi(nums[1])
	if len(nums[1]) == 2 {
		year += 2000
	}
	date, ok := civilDate(year, int(month), day)
	if !ok {
		return DateCell{Err: fmt.Errorf("date %q: no such date", cell)}
	}
	if weekday != "" {
		wd, err := ParseDay(weekday)
		t, _ := time.Parse(DateLayout, date)
		if err != nil || wd != t.Weekday() {
			return DateCell{Err: fmt.Errorf("date %q: %s is a %s", cell, LongDate(date), t.Weekday())}
		}
	}
	return DateCell{Date: date}
}

// monthNamed returns the month w names (jan, sept, december...), or 0.
func monthNamed(w string) time.Month {
	if len(w) < 3 {
		return 0
	}
	for m := time.January; m <= time.December; m++ {
		name := strings.ToLower(m.String())
		if strings.HasPrefix(name, w) || w == "sept" && m == time.September {
			return m
		}
	}
	return 0
}
