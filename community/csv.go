package community

import (
	"bufio"
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"reflect"
	"slices"
	"strconv"
	"strings"

	"peerline/rota"
)

// EventColumns are the columns of an events CSV file, as export writes them.
var EventColumns = []string{"id", "title", "day", "date", "start", "end", "place", "tags"}

// ServiceColumns are the columns of a services CSV file, as export writes them.
var ServiceColumns = []string{"id", "need", "name", "phone", "hours", "note"}

// RowError is a bad row of a file being imported, by its line number.
type RowError struct {
	Line int
	Msg  string
}

func (e RowError) Error() string { return fmt.Sprintf("line %d: %s", e.Line, e.Msg) }

// EventRecords returns the CSV rows of events, under EventColumns.
func EventRecords(events []Event) [][]string {
	var out [][]string
	for _, e := range events {
		out = append(out, []string{e.ID, e.Title, e.Day, e.Date, e.Start.String(), e.End.String(), e.Place, strings.Join(e.Tags, ", ")})
	}
	return out
}

// ServiceRecords returns the CSV rows of services, under ServiceColumns.
func ServiceRecords(services []Service) [][]string {
	var out [][]string
	for _, s := range services {
		out = append(out, []string{s.ID, s.Need, s.Name, s.Phone, s.Hours, s.Note})
	}
	return out
}

// ReadEvents reads an events CSV file (a header row naming the columns, in any order and case; title,
// start, end, place and one of day or date required) and checks every row. It returns every bad row.
// Dates are read as people and spreadsheets write them in region (rota.ReadDateCell: 24/12/2026 in
// GB); a date whose day and month could be swapped is refused, as the rota's import refuses it, once
// another row shows that the file may write dates the other way.
func ReadEvents(in io.Reader, region string) ([]Event, []RowError) {
	dates := dateDoubts{region: region, swapped: map[int]rota.DateCell{}}
	required := []string{"title", "start", "end", "place"}
	events, lines, bad := readRows(in, EventColumns, required, func(line int, get func(string) string) (Event, error) {
		e := Event{ID: get("id"), Title: get("title"), Day: get("day"), Place: get("place"), Tags: ParseTags(get("tags"))}
		var errs []error
		var err error
		if e.Date, err = dates.read(line, get("date")); err != nil {
			errs = append(errs, err)
		}
		if e.Start, err = rota.ParseClockCell(get("start")); err != nil {
			errs = append(errs, fmt.Errorf("start: %w", err))
		}
		if e.End, err = rota.ParseClockCell(get("end")); err != nil {
			errs = append(errs, fmt.Errorf("end: %w", err))
		}
		if len(errs) == 0 {
			errs = append(errs, e.Normalize())
		}
		return e, errors.Join(errs...)
	})
	return dates.refuse(events, lines, bad)
}

// dateDoubts reads the date cells of a file in a region, and keeps what refusing dates in doubt needs
// (see rota.DateCell.Doubt).
type dateDoubts struct {
	region  string
	swapped map[int]rota.DateCell // line -> a date that could be read with day and month swapped
	other   int                   // the first line whose date makes sense only the other way, or 0
}

// read reads the date cell on line as YYYY-MM-DD; an empty cell is "".
func (dd *dateDoubts) read(line int, cell string) (string, error) {
	if cell == "" {
		return "", nil
	}
	d := rota.ReadDateCell(cell, dd.region)
	if d.OtherOrder && dd.other == 0 {
		dd.other = line
	}
	if d.Swapped != "" {
		dd.swapped[line] = d
	}
	return d.Date, d.Err
}

// refuse returns the events (each on its line) less those whose date is in doubt, and bad with
// those added, by line.
func (dd *dateDoubts) refuse(events []Event, lines []int, bad []RowError) ([]Event, []RowError) {
	if dd.other == 0 {
		return events, bad
	}
	var kept []Event
	for i, e := range events {
		if d, ok := dd.swapped[lines[i]]; ok {
			bad = append(bad, RowError{lines[i], d.Doubt(dd.region, dd.other).Error()})
			continue
		}
		kept = append(kept, e)
	}
	slices.SortStableFunc(bad, func(a, b RowError) int { return a.Line - b.Line })
	return kept, bad
}

// ReadServices reads a services CSV file (need, name, phone and hours required) and checks every row.
func ReadServices(in io.Reader) ([]Service, []RowError) {
	services, _, bad := readRows(in, ServiceColumns, []string{"need", "name", "phone", "hours"}, func(_ int, get func(string) string) (Service, error) {
		s := Service{ID: get("id"), Need: get("need"), Name: get("name"), Phone: get("phone"), Hours: get("hours"), Note: get("note")}
		return s, s.Normalize()
	})
	return services, bad
}

// readRows reads a CSV file with a header row; read makes an entry of the row on a line. It returns
// the entries with the line of each, and the bad rows.
func readRows[T any](in io.Reader, known, required []string, read func(line int, get func(string) string) (T, error)) ([]T, []int, []RowError) {
	br := bufio.NewReader(in)
	if b, err := br.Peek(3); err == nil && string(b) == "\ufeff" {
		_, _ = br.Discard(3)
	}
	r := csv.NewReader(br)
	r.FieldsPerRecord, r.TrimLeadingSpace = -1, true
	var bad []RowError
	var out []T
	var lines []int
	col := map[string]int{}
	for {
		cells, err := r.Read()
		if err == io.EOF {
			break
		}
		line, _ := r.FieldPos(0)
		if err != nil {
			return nil, nil, append(bad, RowError{line, "not CSV: " + err.Error()})
		}
		if blank(cells) {
			continue
		}
		if len(col) == 0 {
			if errs := header(cells, known, required, col); len(errs) > 0 {
				return nil, nil, []RowError{{line, strings.Join(errs, "; ")}}
			}
			continue
		}
		get := func(c string) string {
			if i, ok := col[c]; ok && i < len(cells) {
				return strings.TrimPrefix(strings.TrimSpace(cells[i]), "'")
			}
			return ""
		}
		v, err := read(line, get)
		if err != nil {
			bad = append(bad, RowError{line, strings.ReplaceAll(err.Error(), "\n", "; ")})
			continue
		}
		out, lines = append(out, v), append(lines, line)
	}
	if len(col) == 0 {
		return nil, nil, []RowError{{1, "no header row: the file is empty"}}
	}
	return out, lines, bad
}

func blank(cells []string) bool {
	for _, c := range cells {
		if strings.TrimSpace(c) != "" {
			return false
		}
	}
	return true
}

// header reads the header row into col, and says what is wrong with it.
func header(cells, known, required []string, col map[string]int) []string {
	var errs []string
	for i, c := range cells {
		name := strings.ReplaceAll(strings.ToLower(strings.TrimSpace(c)), " ", "_")
		if !contains(known, name) {
			errs = append(errs, fmt.Sprintf("unknown column %q (the columns are %s)", c, strings.Join(known, ",")))
			continue
		}
		col[name] = i
	}
	for _, r := range required {
		if _, ok := col[r]; !ok {
			errs = append(errs, "no "+r+" column")
		}
	}
	return errs
}

// Plan is what an import changes: entries added, entries changed (by id), entries removed (with
// replace), and how many rows were the same as what is stored.
type Plan[T any] struct {
	Add, Change []T
	Remove      []string
	Same        int
}

// Empty reports whether the plan changes nothing.
func (p Plan[T]) Empty() bool { return len(p.Add)+len(p.Change)+len(p.Remove) == 0 }

// PlanEvents works out what importing rows changes in current: a row with the id of a stored event
// changes it; a row without an id adds one unless the very same event is stored; with replace, stored
// events no row names are removed. A row with an id that is not stored is a problem (line numbers
// follow rows' order: lines gives each row's line).
func PlanEvents(current, rows []Event, replace bool) (Plan[Event], error) {
	return plan(current, rows, replace, func(e Event) string { return e.ID }, func(e *Event) { e.ID = "" })
}

// PlanServices is PlanEvents for services.
func PlanServices(current, rows []Service, replace bool) (Plan[Service], error) {
	return plan(current, rows, replace, func(s Service) string { return s.ID }, func(s *Service) { s.ID = "" })
}

func plan[T any](current, rows []T, replace bool, id func(T) string, noID func(*T)) (Plan[T], error) {
	var p Plan[T]
	byID := map[string]T{}
	for _, c := range current {
		byID[id(c)] = c
	}
	named := map[string]bool{}
	var unknown []string
	for _, r := range rows {
		if rid := id(r); rid != "" {
			c, ok := byID[rid]
			switch {
			case !ok:
				unknown = append(unknown, rid)
			case reflect.DeepEqual(c, r):
				p.Same++
			default:
				p.Change = append(p.Change, r)
			}
			named[rid] = true
			continue
		}
		same := false
		for _, c := range current {
			noID(&c)
			if reflect.DeepEqual(c, r) {
				same = true
				named[id(c)] = true
			}
		}
		if same {
			p.Same++
			continue
		}
		p.Add = append(p.Add, r)
	}
	if len(unknown) > 0 {
		return p, fmt.Errorf("ids %s are not stored on this line: empty the id column of new rows", strings.Join(unknown, ", "))
	}
	if replace {
		for _, c := range current {
			if !named[id(c)] && !sameAsRow(c, rows, noID) {
				p.Remove = append(p.Remove, id(c))
			}
		}
	}
	return p, nil
}

// sameAsRow reports whether stored entry c is the same as a row without an id.
func sameAsRow[T any](c T, rows []T, noID func(*T)) bool {
	noID(&c)
	for _, r := range rows {
		if reflect.DeepEqual(c, r) {
			return true
		}
	}
	return false
}

// ApplyEvents makes plan p in one MULTI/EXEC: readers see the calendar from before or after it.
func (s *Store) ApplyEvents(ctx context.Context, p Plan[Event]) error {
	return s.apply(ctx, s.keys.events(), "e", len(p.Add), func(i int, id string) (string, any) {
		if i < len(p.Add) {
			e := p.Add[i]
			e.ID = id
			return id, e
		}
		return p.Change[i-len(p.Add)].ID, p.Change[i-len(p.Add)]
	}, len(p.Add)+len(p.Change), p.Remove)
}

// ApplyServices makes plan p in one MULTI/EXEC.
func (s *Store) ApplyServices(ctx context.Context, p Plan[Service]) error {
	return s.apply(ctx, s.keys.services(), "s", len(p.Add), func(i int, id string) (string, any) {
		if i < len(p.Add) {
			v := p.Add[i]
			v.ID = id
			return id, v
		}
		return p.Change[i-len(p.Add)].ID, p.Change[i-len(p.Add)]
	}, len(p.Add)+len(p.Change), p.Remove)
}

// apply mints ids for the added entries, then writes n entries (entry(i, new id)) and removes remove,
// together.
func (s *Store) apply(ctx context.Context, key, prefix string, added int, entry func(i int, id string) (string, any), n int, remove []string) error {
	last := int64(0)
	if added > 0 {
		var err error
		if last, err = s.rdb.IncrBy(ctx, s.keys.seq(), int64(added)).Result(); err != nil {
			return fmt.Errorf("import: %w", err)
		}
	}
	args := []any{}
	for i := range n {
		id := ""
		if i < added {
			id = prefix + strconv.FormatInt(last-int64(added)+1+int64(i), 10)
		}
		k, v := entry(i, id)
		b, err := jsonOf(v)
		if err != nil {
			return err
		}
		args = append(args, k, b)
	}
	_, err := s.rdb.TxPipelined(ctx, func(pipe redisPipe) error {
		if len(args) > 0 {
			pipe.HSet(ctx, key, args...)
		}
		if len(remove) > 0 {
			pipe.HDel(ctx, key, remove...)
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("import: %w", err)
	}
	return nil
}
