// CSV files of the rota, for coordinators who keep it in a spreadsheet (rota export, rota import).
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
//	           (24/12/2026 in GB); see cells.go for every form and when a date is refused as ambiguous
//	start,end  22:00, 22:00:00 or 10:00 PM; an end before the start is the next day, one equal to it is
//	           refused (0 hours); 24:00 ends a day
//	covers     phone (or id) of the volunteer this one covers on that date
//	oncall     yes for a coordinator on call (default no)
//
// Yes/no cells take yes, no, y, n, true, false, 1 or 0. Lists take ; or , between items. Blank lines,
// a UTF-8 byte order mark, CRLF line ends and spaces around cells are fine.

package main

import (
	"bufio"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"slices"
	"sort"
	"strings"
)

// problem is one thing wrong in a file being imported, at a line of it.
type problem struct {
	file string
	line int
	msg  string
}

func (p problem) Error() string { return fmt.Sprintf("%s line %d: %s", p.file, p.line, p.msg) }

// problems collects everything wrong with the files of an import, to report it all at once.
type problems []problem

func (ps *problems) add(file string, line int, format string, a ...any) {
	*ps = append(*ps, problem{file: file, line: line, msg: fmt.Sprintf(format, a...)})
}

// err returns the problems by file and line, one a line, or nil if there are none.
func (ps problems) err() error {
	if len(ps) == 0 {
		return nil
	}
	sorted := slices.Clone(ps)
	sort.SliceStable(sorted, func(i, j int) bool {
		if sorted[i].file != sorted[j].file {
			return sorted[i].file < sorted[j].file
		}
		return sorted[i].line < sorted[j].line
	})
	errs := make([]error, len(sorted))
	for i, p := range sorted {
		errs[i] = p
	}
	return errors.Join(errs...)
}

// table is a CSV file read for import: its columns by name and its rows.
type table struct {
	file string
	cols map[string]int // column name -> position
	rows []record
}

// record is one data row and the line it starts on.
type record struct {
	line  int
	cells []string
}

// has reports whether the file has the column.
func (t *table) has(col string) bool {
	_, ok := t.cols[col]
	return ok
}

// get returns the row's cell in column col, spaces trimmed; "" if the file has no such column.
func (t *table) get(r record, col string) string {
	i, ok := t.cols[col]
	if !ok || i >= len(r.cells) {
		return ""
	}
	return r.cells[i]
}

// readTable reads a CSV file whose first non-blank row names its columns, each one of known. It skips
// blank rows (also rows of empty cells). A quoting error ends the reading at that row.
func readTable(file string, in io.Reader, known, required []string) (*table, problems) {
	cr := csv.NewReader(skipBOM(in))
	cr.FieldsPerRecord = -1
	t := &table{file: file}
	var ps problems
	for {
		cells, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		var pe *csv.ParseError
		if errors.As(err, &pe) {
			ps.add(file, max(pe.StartLine, 1), "%v (a quote must open and close a whole cell); rows after it were not read", pe.Err)
			break
		} else if err != nil {
			ps.add(file, 1, "read: %v", err)
			break
		}
		line, _ := cr.FieldPos(0)
		for i := range cells {
			cells[i] = unSheetSafe(strings.TrimSpace(cells[i]))
		}
		if !slices.ContainsFunc(cells, func(c string) bool { return c != "" }) {
			continue
		}
		if t.cols == nil {
			ps = append(ps, t.header(line, cells, known, required)...)
			if len(ps) > 0 {
				return t, ps
			}
			continue
		}
		ps = append(ps, t.extraCells(line, cells)...)
		t.rows = append(t.rows, record{line: line, cells: cells})
	}
	if t.cols == nil && len(ps) == 0 {
		ps.add(file, 1, "the file is empty; its first row names the columns: %s", strings.Join(known, ","))
	}
	return t, ps
}

// header reads the header row. Empty header cells are allowed (spreadsheets add them) as long as the
// rows leave those columns empty.
func (t *table) header(line int, cells, known, required []string) problems {
	var ps problems
	t.cols = map[string]int{}
	for i, c := range cells {
		name := strings.NewReplacer(" ", "_", "-", "_").Replace(strings.ToLower(c))
		switch {
		case name == "":
			continue
		case !slices.Contains(known, name):
			ps.add(t.file, line, "unknown column %q: the columns are %s (the first row must name them)", c, strings.Join(known, ", "))
		case t.has(name):
			ps.add(t.file, line, "column %q is given twice", c)
		}
		t.cols[name] = i
	}
	for _, c := range required {
		if !t.has(c) {
			ps.add(t.file, line, "no %q column: the first row must name the columns, %s and %s are required",
				c, strings.Join(required[:len(required)-1], ", "), required[len(required)-1])
		}
	}
	return ps
}

// extraCells reports values in columns the header does not name.
func (t *table) extraCells(line int, cells []string) problems {
	named := map[int]bool{}
	for _, i := range t.cols {
		named[i] = true
	}
	var ps problems
	for i, c := range cells {
		if c != "" && !named[i] {
			ps.add(t.file, line, "%q is in column %d, which has no name in the first row", c, i+1)
		}
	}
	return ps
}

// skipBOM drops the UTF-8 byte order mark some spreadsheets write at the start of a file.
func skipBOM(in io.Reader) io.Reader {
	br := bufio.NewReader(in)
	if b, err := br.Peek(3); err == nil && string(b) == "\ufeff" {
		_, _ = br.Discard(3)
	}
	return br
}

// yesNo reads a yes/no cell; an empty one is no.
func yesNo(s string) (bool, error) {
	switch strings.ToLower(s) {
	case "yes", "y", "true", "1":
		return true, nil
	case "no", "n", "false", "0", "":
		return false, nil
	}
	return false, fmt.Errorf("%q: want yes or no", s)
}

// yesNoText writes a yes/no cell.
func yesNoText(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}

// formulaStart holds the characters that make a spreadsheet read a cell as a formula.
const formulaStart = "=+-@\t\r"

// sheetSafe keeps a spreadsheet from running a cell as a formula: a cell starting with = + - or @
// (a name, a note, or a +44 number) gets a leading ', which spreadsheets show as text and import drops.
func sheetSafe(cell string) string {
	if cell != "" && strings.ContainsRune(formulaStart, rune(cell[0])) {
		return "'" + cell
	}
	return cell
}

// unSheetSafe undoes sheetSafe on a cell read back.
func unSheetSafe(cell string) string {
	if len(cell) > 1 && cell[0] == '\'' && strings.ContainsRune(formulaStart, rune(cell[1])) {
		return cell[1:]
	}
	return cell
}

// writeTable writes a header and rows as CSV, every cell safe from being run as a formula.
func writeTable(w io.Writer, header []string, rows [][]string) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(header); err != nil {
		return fmt.Errorf("write csv: %w", err)
	}
	safe := make([][]string, len(rows))
	for i, row := range rows {
		safe[i] = make([]string, len(row))
		for j, c := range row {
			safe[i][j] = sheetSafe(c)
		}
	}
	if err := cw.WriteAll(safe); err != nil {
		return fmt.Errorf("write csv: %w", err)
	}
	return nil
}
