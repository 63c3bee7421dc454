package main

import (
	"bytes"
	"cmp"
	"context"
	"flag"
	"fmt"
	"os"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/nyaruka/phonenumbers"

	"peerline/rota"
)

var exportVolunteersCmd = command{
	name:     "export volunteers",
	synopsis: "[-o FILE]",
	summary:  "write every volunteer as CSV, for a spreadsheet or import",
	details: "Writes every volunteer, by id, as CSV (to standard output, or to -o FILE). The file can be edited\n" +
		"in a spreadsheet and read back with import; it holds phone numbers, so keep it safe.\n" + csvFormatHelp,
	example: "export volunteers -o volunteers.csv",
	setup:   exportVolunteers,
}

var exportShiftsCmd = command{
	name:     "export shifts",
	synopsis: "[-o FILE]",
	summary:  "write every shift as CSV, for a spreadsheet or import",
	details: "Writes every shift (weekly from Monday, then one-off shifts and covers by date) as CSV, with\n" +
		"its id (so import knows a row you changed is that shift) and volunteers by phone number. Skipped\n" +
		"dates of weekly shifts are not written (see shift list). Read it back with import. For another\n" +
		"line, empty the id column first: ids belong to this line.\n" + csvFormatHelp,
	example: "export shifts -o shifts.csv",
	setup:   exportShifts,
}

func exportVolunteers(fs *flag.FlagSet) action {
	file := fs.String("o", "", "write to this file instead of standard output")
	return func(ctx context.Context, t *tool, _ []string) error {
		r, err := t.store.Load(ctx)
		if err != nil {
			return err
		}
		rows := volunteerRecords(r, t.cfg.Region)
		return t.writeExport(*file, volunteerColumns(), rows, "volunteers")
	}
}

func exportShifts(fs *flag.FlagSet) action {
	file := fs.String("o", "", "write to this file instead of standard output")
	return func(ctx context.Context, t *tool, _ []string) error {
		r, err := t.store.Load(ctx)
		if err != nil {
			return err
		}
		return t.writeExport(*file, shiftColumns(), shiftRecords(r, t.cfg.Region), "shifts")
	}
}

// writeExport writes the CSV to file, or to the tool's output when file is "".
func (t *tool) writeExport(file string, header []string, rows [][]string, what string) error {
	if file == "" {
		return writeTable(t.out, header, rows)
	}
	var buf bytes.Buffer
	if err := writeTable(&buf, header, rows); err != nil {
		return err
	}
	if err := os.WriteFile(file, buf.Bytes(), 0o600); err != nil {
		return fmt.Errorf("-o: %w", err)
	}
	fmt.Fprintf(t.out, "Wrote %d %s to %s.\n", len(rows), what, file)
	if slices.Contains(header, "phone") {
		fmt.Fprintln(t.out, "This file holds volunteers' phone numbers: keep it off shared drives and e-mail, and delete it\n"+
			"when you are done. (In the project folder, git ignores *.csv.)")
	}
	return nil
}

// volunteerRecords returns a row of volunteers.csv for each volunteer, by id.
func volunteerRecords(r rota.Rota, region string) [][]string {
	var rows [][]string
	for _, v := range sortedVolunteers(r) {
		rows = append(rows, []string{v.ID, v.Name, sheetPhone(v.Phone, region), role(v), cellList(v.Channels),
			cellList(v.Tags), limitCell(v.MaxChats), limitCell(v.Rest), limitCell(v.WeekHours), v.Notes, yesNoText(!v.Active)})
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

// shiftRecords returns a row of shifts.csv for each shift: weekly ones from Monday, then dated ones,
// each by start, end and volunteer, so the same rota always gives the same file.
func shiftRecords(r rota.Rota, region string) [][]string {
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
			s.Start.String(), s.End.String(), cover, yesNoText(s.OnCall)})
	}
	return rows
}

// exportOrder sorts shifts by what they are, ids aside.
func exportOrder(shifts []rota.Shift, number func(string) string) []rota.Shift {
	out := slices.Clone(shifts)
	monFirst := func(d time.Weekday) int { return (int(d) + 6) % 7 }
	slices.SortStableFunc(out, func(a, b rota.Shift) int {
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
			cmp.Compare(yesNoText(a.OnCall), yesNoText(b.OnCall)),
		)
	})
	return out
}

// dayCell writes a day of the week as shifts.csv has it: "fri".
func dayCell(d time.Weekday) string { return strings.ToLower(d.String()[:3]) }

// sheetPhone writes an E.164 number as people write it: "07700 900123" for a number of the line's
// region, "+1 202-555-0100" for others (which writeTable marks as text). The spaces keep a spreadsheet
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
