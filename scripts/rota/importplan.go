package main

import (
	"fmt"
	"slices"
	"strings"

	"peerline/rota"
)

// importFiles are the checked files of one import; either may be nil.
type importFiles struct {
	vols    *volunteerFile
	shifts  *shiftFile
	replace bool // the shifts file is the whole list of shifts
}

// importChanges is what an import changes, for the summary.
type importChanges struct {
	added     []volunteerRow
	updated   []volunteerUpdate
	unchanged int // volunteers in the file already as it says
	untouched int // volunteers on the rota who are not in the file
	notes     []string

	addShifts     []shiftRow    // Volunteer and CoverFor as the plan gives them: ids, or numbers of new volunteers
	changedShifts []shiftChange // shifts of the rota that a row with their id changes
	present       int           // shifts in the file already on the rota
	notInFile     []rota.Shift  // shifts on the rota that no row is: removed with -replace-shifts, else kept
	planned       map[int]int   // line of a row that adds or changes a shift -> index of it in the plan's Shifts
}

// shiftChange is a shift of the rota that a row of the file, by its id, changes.
type shiftChange struct {
	line     int
	old, new rota.Shift // new as the plan gives it (see addShifts), without its id
	skips    []string   // dates the old shift was skipped on, which the change drops
}

// volunteerUpdate is a volunteer the file changes.
type volunteerUpdate struct {
	line    int
	after   rota.Volunteer
	changes []string
}

// buildImport works out the plan that makes rota r agree with the files, and what it changes.
func buildImport(r rota.Rota, f importFiles) (rota.Plan, importChanges, problems) {
	var p rota.Plan
	ch := importChanges{planned: map[int]int{}}
	var ps problems
	planned := planVolunteers(r, f.vols, &p, &ch, &ps)
	if f.shifts != nil {
		x := resolver{r: r, planned: planned, fileIDs: map[string]string{}}
		if f.vols != nil {
			for _, row := range f.vols.rows {
				if row.id != "" {
					x.fileIDs[row.id] = row.v.Phone
				}
			}
		}
		planShifts(r, *f.shifts, f.replace, x, &p, &ch, &ps)
	}
	return p, ch, ps
}

// planVolunteers adds to p the volunteers of f that are new or changed, and returns every volunteer of
// f as the plan leaves them, by phone number (with their id unless they are new).
func planVolunteers(r rota.Rota, f *volunteerFile, p *rota.Plan, ch *importChanges, ps *problems) map[string]rota.Volunteer {
	planned := map[string]rota.Volunteer{}
	if f == nil {
		return planned
	}
	for _, row := range f.rows {
		old, ok := r.ByPhone(row.v.Phone)
		if rota.FullName(row.v.Name) && (!ok || old.Name != row.v.Name) {
			ch.notes = append(ch.notes, fmt.Sprintf("%s line %d: people who text see the name %q; the line gives first "+
				"names only, for privacy, unless it is a double first name", f.name, row.line, clean(row.v.Name)))
		}
		if !ok && row.abroad != "" && !f.abroad {
			ps.add(f.name, row.line, "%s", row.abroad)
			continue
		}
		if !ok {
			if v, taken := r.Volunteers[row.id]; taken {
				ch.notes = append(ch.notes, fmt.Sprintf("%s line %d: %s is %s on this rota, who has another number; "+
					"rows are matched by phone, so this adds a new volunteer (to change a number: %s volunteer edit %s -phone NUMBER)",
					f.name, row.line, row.id, clean(v.Name), prog, row.id))
			}
			p.Volunteers = append(p.Volunteers, row.v)
			ch.added = append(ch.added, row)
			planned[row.v.Phone] = row.v
			continue
		}
		base := old
		_ = base.Normalize() // compare with the record as the rota would store it now
		next := merge(base, row.v, f.cols)
		planned[next.Phone] = next
		if diff := volunteerDiff(base, next); len(diff) > 0 {
			p.Volunteers = append(p.Volunteers, next)
			ch.updated = append(ch.updated, volunteerUpdate{line: row.line, after: next, changes: diff})
		} else {
			ch.unchanged++
		}
	}
	ch.untouched = len(r.Volunteers) - ch.unchanged - len(ch.updated)
	return planned
}

// merge returns old with the columns the file has taken from row.
func merge(old, row rota.Volunteer, cols map[string]bool) rota.Volunteer {
	v := old
	v.Name = row.Name
	if cols["role"] {
		v.Coordinator = row.Coordinator
	}
	if cols["channels"] {
		v.Channels = row.Channels
	}
	if cols["tags"] {
		v.Tags = row.Tags
	}
	if cols["max_chats"] {
		v.MaxChats = row.MaxChats
	}
	if cols["rest_minutes"] {
		v.Rest = row.Rest
	}
	if cols["week_hours"] {
		v.WeekHours = row.WeekHours
	}
	if cols["notes"] {
		v.Notes = row.Notes
	}
	if cols["paused"] {
		v.Active = row.Active
	}
	return v
}

// volunteerDiff describes what differs between a and b, field by field.
func volunteerDiff(a, b rota.Volunteer) []string {
	var out []string
	diff := func(field, from, to string) {
		if from != to {
			out = append(out, fmt.Sprintf("%s %s -> %s", field, from, to))
		}
	}
	diff("name", fmt.Sprintf("%q", a.Name), fmt.Sprintf("%q", b.Name))
	diff("role", role(a), role(b))
	diff("channels", listText(a.Channels), listText(b.Channels))
	diff("tags", listText(a.Tags), listText(b.Tags))
	diff("max_chats", limitText(a.MaxChats), limitText(b.MaxChats))
	diff("rest_minutes", limitText(a.Rest), limitText(b.Rest))
	diff("week_hours", limitText(a.WeekHours), limitText(b.WeekHours))
	if a.Notes != b.Notes {
		out = append(out, "notes changed")
	}
	diff("paused", yesNoText(!a.Active), yesNoText(!b.Active))
	return out
}

// limitText shows a volunteer's own wellbeing limit: the number, or "(the line's)" for 0.
func limitText(n int) string {
	if n == 0 {
		return "(the line's)"
	}
	return fmt.Sprint(n)
}

// listText shows a list as a CSV cell holds it: "alcohol; women-only", or "(none)".
func listText(items []string) string {
	if len(items) == 0 {
		return "(none)"
	}
	return strings.Join(items, "; ")
}

// resolver finds the volunteer a row of shifts.csv names.
type resolver struct {
	r       rota.Rota
	planned map[string]rota.Volunteer // volunteers.csv as the plan leaves it, by phone
	fileIDs map[string]string         // volunteers.csv's id column -> phone
}

// find returns how the plan names the volunteer ref is (their id, or the number of a volunteer the plan
// adds) and the volunteer as the plan leaves them. An id means the volunteers file's row of that id
// if there is one, else the rota's volunteer.
func (x resolver) find(ref string) (string, rota.Volunteer, error) {
	if isID(ref) {
		number, ok := x.fileIDs[ref]
		if !ok {
			v, ok := x.r.Volunteers[ref]
			if !ok {
				return "", rota.Volunteer{}, fmt.Errorf("no volunteer %s on the rota (see %s volunteer list); give their phone number", ref, prog)
			}
			number = v.Phone
		}
		ref = number
	}
	if v, ok := x.planned[ref]; ok {
		if v.ID == "" {
			return v.Phone, v, nil
		}
		return v.ID, v, nil
	}
	if v, ok := x.r.ByPhone(ref); ok {
		return v.ID, v, nil
	}
	return "", rota.Volunteer{}, fmt.Errorf("no volunteer has the number %s: add them to the volunteers file (or with volunteer add)", ref)
}

// planShifts plans the shifts of f over rota r, matching rows to the rota's shifts in three passes:
//  1. A row the same in every column as a shift on the rota is that shift, whatever its id says (so a
//     file of another line, whose ids mean other shifts, still changes nothing where it agrees).
//  2. A row with the id of a shift on the rota that no row is yet is that shift, changed: the old shift
//     is removed and the row's added, in the same plan.
//  3. Any other row is a new shift (a note says so when its id was not on the rota).
//
// Shifts on the rota that no row is are listed, and with replace removed.
func planShifts(r rota.Rota, f shiftFile, replace bool, x resolver, p *rota.Plan, ch *importChanges, ps *problems) {
	byKey := map[rota.Shift]string{} // each shift of the rota, by sameKey -> its id
	for _, s := range r.Shifts {
		byKey[sameKey(s)] = s.ID
	}
	claimed := map[string]bool{} // ids of rota shifts that a row is
	seen := map[rota.Shift]int{} // sameKey of each row -> its line
	var rest []shiftRow          // rows not on the rota as they are, with their volunteers as the plan names them
	for _, row := range f.rows {
		s, ok := resolveShift(row, x, f.name, ps)
		if !ok {
			continue
		}
		if first, dup := seen[sameKey(s)]; dup {
			ps.add(f.name, row.line, "the same shift as line %d", first)
			continue
		}
		seen[sameKey(s)] = row.line
		if id, there := byKey[sameKey(s)]; there {
			claimed[id] = true
			ch.present++
			continue
		}
		row.s = s
		rest = append(rest, row)
	}
	for _, row := range rest {
		old, there := r.Shift(row.id)
		switch {
		case there && !claimed[row.id]:
			claimed[row.id] = true
			changeShift(r, old, row, p, ch)
			continue
		case there:
			ch.notes = append(ch.notes, fmt.Sprintf("%s line %d: shift %s is another row of the file, as it is on the rota, "+
				"so this row is read as a new shift", f.name, row.line, row.id))
		case row.id != "":
			ch.notes = append(ch.notes, fmt.Sprintf("%s line %d: there is no shift %s on the rota (removed since the "+
				"file was exported, or a file of another line), so the row is read as a new shift", f.name, row.line, row.id))
		}
		ch.planned[row.line] = len(p.Shifts)
		p.Shifts = append(p.Shifts, row.s)
		ch.addShifts = append(ch.addShifts, row)
	}
	for _, s := range r.Shifts {
		if !claimed[s.ID] {
			ch.notInFile = append(ch.notInFile, s)
			if replace {
				p.RemoveShifts = append(p.RemoveShifts, s.ID)
			}
		}
	}
}

// changeShift plans the change of the rota's shift old into the row's: old is removed and the row's
// shift added (a new id), and old's skipped dates go with it.
func changeShift(r rota.Rota, old rota.Shift, row shiftRow, p *rota.Plan, ch *importChanges) {
	var skips []string
	for k := range r.Skips {
		if id, date, _ := strings.Cut(k, " "); id == old.ID {
			skips = append(skips, date)
		}
	}
	slices.Sort(skips)
	p.RemoveShifts = append(p.RemoveShifts, old.ID)
	ch.planned[row.line] = len(p.Shifts)
	p.Shifts = append(p.Shifts, row.s)
	ch.changedShifts = append(ch.changedShifts, shiftChange{line: row.line, old: old, new: row.s, skips: skips})
}

// sameKey is what makes two shifts the same: everything but the id, with an end of 00:00 written as
// 24:00 (both end at midnight).
func sameKey(s rota.Shift) rota.Shift {
	s.ID = ""
	if s.End == 0 {
		s.End = 24 * 60
	}
	return s
}

// resolveShift names the row's volunteers as the plan does and checks what needs them.
func resolveShift(row shiftRow, x resolver, file string, ps *problems) (rota.Shift, bool) {
	s, n := row.s, len(*ps)
	ref, v, err := x.find(s.Volunteer)
	if err != nil {
		ps.add(file, row.line, "volunteer: %v", err)
	}
	s.Volunteer = ref
	if s.CoverFor != "" {
		if s.CoverFor, _, err = x.find(s.CoverFor); err != nil {
			ps.add(file, row.line, "covers: %v", err)
		}
	}
	if len(*ps) > n {
		return s, false
	}
	if s.CoverFor == s.Volunteer {
		ps.add(file, row.line, "covers: a volunteer cannot cover themselves")
	}
	if s.OnCall && !v.Coordinator {
		ps.add(file, row.line, "oncall yes: %s is not a coordinator (make them one in the volunteers file, "+
			"or with volunteer edit -coordinator=true)", clean(v.Name))
	}
	return s, len(*ps) == n
}
