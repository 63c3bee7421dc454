package main

import (
	"cmp"
	"fmt"
	"io"
	"strings"

	"peerline/rota"
)

// printNothing says that the rota already agrees with the files.
func printNothing(w io.Writer, r rota.Rota, f rota.ImportFiles, ch rota.ImportChanges) {
	fmt.Fprintln(w, "Nothing to change: the rota already has everything in the files.")
	printNotInFile(w, r, f, ch, nil)
	printCounts(w, f, ch, nil)
}

// printCounts writes one line per file: what its rows did. applied is the plan as applied, nil in a
// dry run.
func printCounts(w io.Writer, f rota.ImportFiles, ch rota.ImportChanges, applied *rota.Plan) {
	if f.Volunteers != nil {
		fmt.Fprintf(w, "%s: %d added, %d updated, %d already as in the file; %s\n", f.Volunteers.Name,
			len(ch.Added), len(ch.Updated), ch.Unchanged, untouchedText(ch.Untouched))
	}
	if f.Shifts != nil {
		fmt.Fprintf(w, "%s: %d added, %d changed, %d already on the rota, %d in the rota but not in the file (%s)\n",
			f.Shifts.Name, len(ch.AddShifts), len(ch.ChangedShifts), ch.Present, len(ch.NotInFile),
			notInFileFate(f.Replace, applied))
	}
	for _, n := range ch.Notes {
		fmt.Fprintln(w, "Note: "+n)
	}
}

// notInFileFate says what the import does with shifts on the rota that the file does not have.
func notInFileFate(replace bool, applied *rota.Plan) string {
	switch {
	case !replace:
		return "kept; -replace-shifts would remove them"
	case applied == nil:
		return "would be removed: -replace-shifts"
	}
	return "removed: -replace-shifts"
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

// printChanges lists every change: + added, ~ changed, - removed. applied is the plan as applied, with
// the new ids, or nil in a dry run.
func printChanges(w io.Writer, r rota.Rota, f rota.ImportFiles, ch rota.ImportChanges, applied *rota.Plan) {
	ids := map[string]string{} // phone -> new id
	if applied != nil {
		for _, v := range applied.Volunteers {
			ids[v.Phone] = v.ID
		}
	}
	for _, row := range ch.Added {
		as := ""
		if id := ids[row.Volunteer.Phone]; id != "" {
			as = " as " + id
		}
		fmt.Fprintf(w, "  + volunteer %s, %s%s (%s line %d)\n", clean(row.Volunteer.Name), row.Volunteer.Phone, as, f.Volunteers.Name, row.Line)
	}
	for _, u := range ch.Updated {
		fmt.Fprintf(w, "  ~ volunteer %s (%s line %d): %s\n", volunteerLabel(r, u.After.ID), f.Volunteers.Name, u.Line,
			strings.Join(u.Changes, "; "))
	}
	newID := shiftIDs(ch, applied)
	for _, row := range ch.AddShifts {
		fmt.Fprintf(w, "  + shift %s%s (%s line %d)\n", newID(row.Line, ": "), shiftText(r, ch, ids, row.Shift),
			f.Shifts.Name, row.Line)
	}
	for _, c := range ch.ChangedShifts {
		fmt.Fprintf(w, "  ~ shift %s (%s line %d): %s -> %s\n", c.Old.ID, f.Shifts.Name, c.Line,
			shiftText(r, ch, ids, c.Old), shiftText(r, ch, ids, c.New))
		if id := newID(c.Line, ""); id != "" {
			fmt.Fprintf(w, "    now %s: a changed shift gets a new id, so export again before you edit it again\n", id)
			for _, d := range c.Skips {
				fmt.Fprintf(w, "    it was skipped on %s; that went with the old times: %s shift skip %s -date %s skips it again\n",
					d, prog, id, d)
			}
			continue
		}
		fmt.Fprintln(w, "    it gets a new id: export again after the import, before you edit it again")
		if len(c.Skips) > 0 {
			fmt.Fprintf(w, "    it is skipped on %s; that goes with the old times (skip it again after the import)\n",
				strings.Join(c.Skips, ", "))
		}
	}
	printNotInFile(w, r, f, ch, applied)
	printCounts(w, f, ch, applied)
}

// shiftIDs returns a func that gives the id the applied plan gave the shift of the row on a line (with
// suffix), or "" in a dry run.
func shiftIDs(ch rota.ImportChanges, applied *rota.Plan) func(line int, suffix string) string {
	return func(line int, suffix string) string {
		i, ok := ch.Planned[line]
		if applied == nil || !ok || i >= len(applied.Shifts) {
			return ""
		}
		return applied.Shifts[i].ID + suffix
	}
}

// printNotInFile lists the shifts on the rota that are not in the shifts file, and what the import
// does with them.
func printNotInFile(w io.Writer, r rota.Rota, f rota.ImportFiles, ch rota.ImportChanges, applied *rota.Plan) {
	if f.Shifts == nil || len(ch.NotInFile) == 0 {
		return
	}
	fmt.Fprintf(w, "In the rota but not in %s (%d): %s\n", f.Shifts.Name, len(ch.NotInFile),
		notInFileFate(f.Replace, applied))
	mark := " "
	if f.Replace {
		mark = "-"
	}
	for _, s := range ch.NotInFile {
		fmt.Fprintf(w, "  %s shift %s: %s\n", mark, s.ID, shiftText(r, ch, nil, s))
	}
}

// shiftText shows a shift of the plan, whose volunteers may be new: named by their number, and by
// their new id (in ids, by number) once the plan is applied.
func shiftText(r rota.Rota, ch rota.ImportChanges, ids map[string]string, s rota.Shift) string {
	label := func(ref string) string {
		for _, row := range ch.Added {
			if row.Volunteer.Phone == ref {
				return fmt.Sprintf("%s (%s)", clean(row.Volunteer.Name), cmp.Or(ids[ref], "new, "+ref))
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
