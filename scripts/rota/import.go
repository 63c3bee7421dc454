package main

import (
	"cmp"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"peerline/rota"
)

var importCmd = command{
	name:     "import",
	synopsis: "[-volunteers FILE] [-shifts FILE] [-replace-shifts] [-dry-run]",
	summary:  "add and update volunteers and shifts from CSV files (such as a spreadsheet saves)",
	details: "Reads volunteers and/or shifts from CSV files and changes the rota in one step: anyone reading the\n" +
		"rota meanwhile sees it from before the import or after it, never half of it. Every row is checked\n" +
		"first; if any is wrong, every bad row is listed with its line number and nothing changes.\n" +
		"-dry-run shows what would change and changes nothing. Importing the same files again changes\n" +
		"nothing. Volunteers are matched by phone number: a known number updates that volunteer, a new one\n" +
		"adds a volunteer; volunteers not in the file are kept as they are. Shifts not yet on the rota are\n" +
		"added; with -replace-shifts the file is the whole list and shifts not in it are removed. Skipped\n" +
		"dates of weekly shifts (shift skip) are not in the files. Shifts may name volunteers the same\n" +
		"import adds.\n" + csvFormatHelp,
	example: "import -volunteers volunteers.csv -shifts shifts.csv -dry-run",
	setup:   importCSV,
}

// csvFormatHelp describes both files for the help of import and export.
const csvFormatHelp = `
Format: comma-separated, a header row naming the columns (any order, any case), then one row each.
volunteers.csv (name and phone required; a column left out keeps what the rota has):
  id,name,phone,role,channels,tags,max_chats,notes,paused
  v1,Sam,+44 7700 900101,volunteer,sms,alcohol; women-only,1,,no
  v2,Kim,07700 900103,coordinator,whatsapp; sms,,2,prefers nights,no
  id: ignored on import (written by export); phone: any UK or international format, the same
  number is the same volunteer; role: volunteer or coordinator; channels: sms and/or whatsapp,
  in order of preference; max_chats: 1 to 10 (default 1); notes: for coordinators; paused: yes/no.
shifts.csv (volunteer, start, end and one of day or date required):
  volunteer,name,day,date,start,end,covers,oncall
  +44 7700 900101,Sam,fri,,22:00,02:00,,no
  +44 7700 900103,Kim,,2026-12-24,20:00,24:00,+44 7700 900101,no
  volunteer and covers: phone number (or id, such as v3); name: ignored on import; day: mon to sun
  (weekly) or date: YYYY-MM-DD (once); times HH:MM, an end at or before the start is the next day;
  covers: who this volunteer stands in for on that date; oncall: yes for a coordinator on call.
Yes/no cells take yes, no, y, n, true, false, 1, 0; lists take ; or , between items. Blank lines, a
byte order mark, CRLF and spaces around cells are fine. Format phone and date columns as text in a
spreadsheet, so it keeps the + and the 0 and does not rewrite dates. Export writes numbers of the
line's country as 07700 900101; a cell starting with + = - or @ gets a leading ' so a spreadsheet
does not run it as a formula (import drops the ').`

func importCSV(fs *flag.FlagSet) action {
	vols := fs.String("volunteers", "", "CSV file of volunteers to add or update")
	shifts := fs.String("shifts", "", "CSV file of shifts to add")
	replace := fs.Bool("replace-shifts", false, "the shifts file is the whole list: remove shifts not in it")
	dry := fs.Bool("dry-run", false, "show what would change, change nothing")
	return func(ctx context.Context, t *tool, _ []string) error {
		if *vols == "" && *shifts == "" {
			return usageError{errors.New("give -volunteers FILE, -shifts FILE or both")}
		}
		if *replace && *shifts == "" {
			return usageError{errors.New("-replace-shifts needs -shifts FILE")}
		}
		f, ps, err := readImport(*vols, *shifts, t.cfg.Region)
		if err != nil {
			return err
		}
		f.replace = *replace
		if *dry {
			return dryRun(ctx, t, f, ps)
		}
		return apply(ctx, t, f, ps)
	}
}

// readImport reads and checks the files named (either may be ""), reporting bad rows as problems.
func readImport(vols, shifts, region string) (importFiles, problems, error) {
	var f importFiles
	var ps problems
	if vols != "" {
		in, err := os.Open(vols)
		if err != nil {
			return f, nil, fmt.Errorf("-volunteers: %w", err)
		}
		defer in.Close()
		v, more := readVolunteers(vols, in, region)
		f.vols, ps = &v, append(ps, more...)
	}
	if shifts != "" {
		in, err := os.Open(shifts)
		if err != nil {
			return f, nil, fmt.Errorf("-shifts: %w", err)
		}
		defer in.Close()
		s, more := readShifts(shifts, in, region)
		f.shifts, ps = &s, append(ps, more...)
	}
	return f, ps, nil
}

// refused is the error for files with bad rows: every one, one a line.
func refused(ps problems) error {
	return fmt.Errorf("nothing was imported; fix these rows and try again (-dry-run checks without changing anything):\n%w", ps.err())
}

func dryRun(ctx context.Context, t *tool, f importFiles, ps problems) error {
	r, err := t.store.Load(ctx)
	if err != nil {
		return err
	}
	p, ch, more := buildImport(r, f)
	if ps = append(ps, more...); len(ps) > 0 {
		return refused(ps)
	}
	if p.Empty() {
		printNothing(t.out, f, ch)
		return nil
	}
	if err := r.Check(&p); err != nil {
		return fmt.Errorf("the rota would refuse the import:\n%w", err)
	}
	fmt.Fprintln(t.out, "Dry run: nothing was changed. The import would:")
	printChanges(t.out, r, f, ch, nil)
	fmt.Fprintln(t.out, "Run it again without -dry-run to make these changes.")
	return nil
}

func apply(ctx context.Context, t *tool, f importFiles, ps problems) error {
	var r rota.Rota
	var ch importChanges
	done, err := t.store.Change(ctx, func(now rota.Rota) (rota.Plan, error) {
		p, changes, more := buildImport(now, f)
		r, ch = now, changes
		if all := append(ps[:len(ps):len(ps)], more...); len(all) > 0 {
			return rota.Plan{}, refused(all)
		}
		return p, nil
	})
	if err != nil {
		if errors.Is(err, rota.ErrInvalid) || errors.Is(err, rota.ErrExists) || errors.Is(err, rota.ErrNotFound) {
			return fmt.Errorf("the rota refused the import, so nothing was changed:\n%w", err)
		}
		return explain(err)
	}
	if done.Empty() {
		printNothing(t.out, f, ch)
		return nil
	}
	fmt.Fprintln(t.out, "Imported. The rota changed in one step:")
	printChanges(t.out, r, f, ch, done.Volunteers)
	return nil
}

// printNothing says that the rota already agrees with the files.
func printNothing(w io.Writer, f importFiles, ch importChanges) {
	fmt.Fprintln(w, "Nothing to change: the rota already has everything in the files.")
	printCounts(w, f, ch)
}

// printCounts writes one line per file: how many rows changed nothing.
func printCounts(w io.Writer, f importFiles, ch importChanges) {
	if f.vols != nil {
		fmt.Fprintf(w, "%s: %d added, %d updated, %d already as in the file; %s\n", f.vols.name,
			len(ch.added), len(ch.updated), ch.unchanged, untouchedText(ch.untouched))
	}
	if f.shifts != nil {
		removed := ""
		if f.replace {
			removed = fmt.Sprintf(", %d removed (-replace-shifts)", len(ch.removeShifts))
		}
		fmt.Fprintf(w, "%s: %d added, %d already on the rota%s\n", f.shifts.name, len(ch.addShifts), ch.present, removed)
	}
	for _, n := range ch.notes {
		fmt.Fprintln(w, "Note: "+n)
	}
}

func untouchedText(n int) string {
	switch n {
	case 0:
		return "no other volunteers on the rota"
	case 1:
		return "1 volunteer on the rota but not in the file is kept as they are"
	}
	return fmt.Sprintf("%d volunteers on the rota but not in the file are kept as they are", n)
}

// printChanges lists every change: + added, ~ updated, - removed. applied, if given, are the
// volunteers as applied, with their new ids.
func printChanges(w io.Writer, r rota.Rota, f importFiles, ch importChanges, applied []rota.Volunteer) {
	ids := map[string]string{} // phone -> new id
	for _, v := range applied {
		ids[v.Phone] = v.ID
	}
	for _, row := range ch.added {
		as := ""
		if id := ids[row.v.Phone]; id != "" {
			as = " as " + id
		}
		fmt.Fprintf(w, "  + volunteer %s, %s%s (%s line %d)\n", clean(row.v.Name), row.v.Phone, as, f.vols.name, row.line)
	}
	for _, u := range ch.updated {
		fmt.Fprintf(w, "  ~ volunteer %s (%s line %d): %s\n", volunteerLabel(r, u.after.ID), f.vols.name, u.line,
			strings.Join(u.changes, "; "))
	}
	for _, row := range ch.addShifts {
		fmt.Fprintf(w, "  + shift %s (%s line %d)\n", shiftText(r, ch, ids, row.s), f.shifts.name, row.line)
	}
	for _, s := range ch.removeShifts {
		fmt.Fprintf(w, "  - shift %s: %s (not in %s; -replace-shifts)\n", s.ID, shiftText(r, ch, ids, s), f.shifts.name)
	}
	printCounts(w, f, ch)
}

// shiftText shows a shift of the plan, whose volunteers may be new: named by their number, and by
// their new id (in ids, by number) once the plan is applied.
func shiftText(r rota.Rota, ch importChanges, ids map[string]string, s rota.Shift) string {
	label := func(ref string) string {
		for _, row := range ch.added {
			if row.v.Phone == ref {
				return fmt.Sprintf("%s (%s)", clean(row.v.Name), cmp.Or(ids[ref], "new, "+ref))
			}
		}
		return volunteerLabel(r, ref)
	}
	out := label(s.Volunteer) + ", "
	if s.Weekly() {
		out += "every " + describe(s)
	} else {
		out += when(s) + " " + s.Start.String() + " to " + endText(s)
	}
	if s.CoverFor != "" {
		out += ", covers " + label(s.CoverFor)
	}
	if s.OnCall {
		out += ", on call"
	}
	return out
}
