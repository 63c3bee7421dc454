package rota

// CSV tables as spreadsheets write them: a header row naming the columns, then one row each. The
// rota's files (volunteers.csv and shifts.csv, see csvrows.go) are read and written through these.

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

// FileProblem is one thing wrong in a file being imported, at a line of it.
type FileProblem struct {
	File string
	Line int
	Msg  string
}

// Error writes the problem as "volunteers.csv line 3: phone "123": invalid phone number".
func (p FileProblem) Error() string { return fmt.Sprintf("%s line %d: %s", p.File, p.Line, p.Msg) }

// FileProblems collects everything wrong with the files of an import, to report it all at once.
type FileProblems []FileProblem

func (ps *FileProblems) add(file string, line int, format string, a ...any) {
	*ps = append(*ps, FileProblem{File: file, Line: line, Msg: fmt.Sprintf(format, a...)})
}

// Err returns the problems by file and line, one a line, or nil if there are none.
func (ps FileProblems) Err() error {
	if len(ps) == 0 {
		return nil
	}
	sorted := slices.Clone(ps)
	sort.SliceStable(sorted, func(i, j int) bool {
		if sorted[i].File != sorted[j].File {
			return sorted[i].File < sorted[j].File
		}
		return sorted[i].Line < sorted[j].Line
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
func readTable(file string, in io.Reader, known, required []string) (*table, FileProblems) {
	cr := csv.NewReader(skipBOM(in))
	cr.FieldsPerRecord = -1
	t := &table{file: file}
	var ps FileProblems
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
func (t *table) header(line int, cells, known, required []string) FileProblems {
	var ps FileProblems
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
func (t *table) extraCells(line int, cells []string) FileProblems {
	named := map[int]bool{}
	for _, i := range t.cols {
		named[i] = true
	}
	var ps FileProblems
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

// yesNoCell writes a yes/no cell.
func yesNoCell(b bool) string {
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

// WriteCSV writes a header and rows as CSV for a spreadsheet, every cell safe from being run as a
// formula: a cell starting with = + - or @ gets a leading ', which spreadsheets show as text and the
// rota's import drops.
func WriteCSV(w io.Writer, header []string, rows [][]string) error {
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
