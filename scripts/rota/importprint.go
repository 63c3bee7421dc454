package main

import (
	"cmp"
	"fmt"
	"io"
	"strings"

	"peerline/rota"
)

// printNothing says that the rota already agrees with the files.
func printNothing(w io.Writer, r rota.Rota, f importFiles, ch importChanges) {
	fmt.Fprintln(w, "Nothing to change: the rota already has everything in the files.")
	printNotInFile(w, r, f, ch, nil)
	printCounts(w, f, ch, nil)
}

// printCounts writes one line per file: what its rows did. applied is the plan as applied, nil in a
// dry run.
func printCounts(w io.Writer, f importFiles, ch importChanges, applied *rota.Plan) {
	if f.vols != nil {
		fmt.Fprintf(w, "%s: %d added, %d updated, %d already as in the file; %s\n", f.vols.name,
			len(ch.added), len(ch.updated), ch.unchanged, untouchedText(ch.untouched))
	}
	if f.shifts != nil {
		fmt.Fprintf(w, "%s: %d added, %d changed, %d already on the rota, %d in the rota but not in the file (%s)\n",
			f.shifts.name, len(ch.addShifts), len(ch.changedShifts), ch.present, len(ch.notInFile),
			notInFileFate(f.replace, applied))
	}
	for _, n := range ch.notes {
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
func printChanges(w io.Writer, r rota.Rota, f importFiles, ch importChanges, applied *rota.Plan) {
	ids := map[string]string{} // phone -> new id
	if applied != nil {
		for _, v := range applied.Volunteers {
			ids[v.Phone] = v.ID
		}
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
	newID := shiftIDs(ch, applied)
	for _, row := range ch.addShifts {
		fmt.Fprintf(w, "  + shift %s%s (%s line %d)\n", newID(row.line, ": "), shiftText(r, ch, ids, row.s),
			f.shifts.name, row.line)
	}
	for _, c := range ch.changedShifts {
		fmt.Fprintf(w, "  ~ shift %s (%s line %d): %s -> %s\n", c.old.ID, f.shifts.name, c.line,
			shiftText(r, ch, ids, c.old), shiftText(r, ch, ids, c.new))
		if id := newID(c.line, ""); id != "" {
			fmt.Fprintf(w, "    now %s: a changed shift gets a new id, so export again before you edit it again\n", id)
			for _, d := range c.skips {
				fmt.Fprintf(w, "    it was skipped on %s; that went with the old times: %s shift skip %s -date %s skips it again\n",
					d, prog, id, d)
			}
			continue
		}
		fmt.Fprintln(w, "    it gets a new id: export again after the import, before you edit it again")
		if len(c.skips) > 0 {
			fmt.Fprintf(w, "    it is skipped on %s; that goes with the old times (skip it again after the import)\n",
				strings.Join(c.skips, ", "))
		}
	}
	printNotInFile(w, r, f, ch, applied)
	printCounts(w, f, ch, applied)
}

// shiftIDs returns a func that gives the id the applied plan gave the shift of the row on a line (with
// suffix), or "" in a dry run.
func shiftIDs(ch importChanges, applied *rota.Plan) func(line int, suffix string) string {
	return func(line int, suffix string) string {
		i, ok := ch.planned[line]
		if applied == nil || !ok || i >= len(applied.Shifts) {
			return ""
		}
		return applied.Shifts[i].ID + suffix
	}
}

// printNotInFile lists the shifts on the rota that are not in the shifts file, and what the import
// does with them.
func printNotInFile(w io.Writer, r rota.Rota, f importFiles, ch importChanges, applied *rota.Plan) {
	if f.shifts == nil || len(ch.notInFile) == 0 {
		return
	}
	fmt.Fprintf(w, "In the rota but not in %s (%d): %s\n", f.shifts.name, len(ch.notInFile),
		notInFileFate(f.replace, applied))
	mark := " "
	if f.replace {
		mark = "-"
	}
	for _, s := range ch.notInFile {
		fmt.Fprintf(w, "  %s shift %s: %s\n", mark, s.ID, shiftText(r, ch, nil, s))
	}
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
