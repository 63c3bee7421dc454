package rota

import (
	"fmt"
	"slices"
	"strings"
)

// ImportFiles are the checked files of one import; either may be nil.
type ImportFiles struct {
	Volunteers *VolunteersFile
	Shifts     *ShiftsFile
	Replace    bool // the shifts file is the whole list of shifts: shifts on the rota not in it are removed
	// Tool is how coordinators start the rota tool ("go run ./scripts/rota"), for the commands that
	// notes and problems point to.
	Tool string
	// Today is the line's date today (YYYY-MM-DD): a row that adds or changes a one-off shift or cover
	// before it is refused, as the rota tool refuses one (most likely a slip, such as last year); a
	// row the rota has already is not. "" refuses none.
	Today string
}

// ImportChanges is what an import changes, for a summary.
type ImportChanges struct {
	Added     []VolunteerRow    // volunteers the plan adds, as their rows give them
	Updated   []VolunteerUpdate // volunteers of the rota the file changes
	Unchanged int               // volunteers in the file already as it says
	Untouched int               // volunteers on the rota who are not in the file
	Notes     []string          // what the coordinator should know, such as a full name; each names its file and line

	AddShifts     []ShiftRow    // shifts the plan adds; Volunteer and CoverFor as the plan gives them: ids, or numbers of new volunteers
	ChangedShifts []ShiftChange // shifts of the rota that a row with their id changes
	Present       int           // shifts in the file already on the rota
	NotInFile     []Shift       // shifts on the rota that no row is: removed with Replace, else kept
	Planned       map[int]int   // line of a row that adds or changes a shift -> index of it in the plan's Shifts
}

// ShiftChange is a shift of the rota that a row of the file, by its id, changes.
type ShiftChange struct {
	Line     int
	Old, New Shift    // New as the plan gives it (see ImportChanges.AddShifts), without its id
	Skips    []string // dates the old shift was skipped on, which the change drops
}

// VolunteerUpdate is a volunteer the file changes.
type VolunteerUpdate struct {
	Line    int
	After   Volunteer // the volunteer as the plan leaves them
	Changes []string  // each field that changes, as "tags (none) -> alcohol"
}

// PlanImport works out the plan that makes rota r agree with the files, what it changes, and every
// problem with the files that only the rota shows (such as a shift of a volunteer nobody has). A
// volunteers row is the rota's volunteer with its phone number, changed in the columns the file has,
// or a new volunteer; shifts are matched as planShifts says. The plan is empty when the rota already
// agrees; it is not checked (see Rota.Check).
func PlanImport(r Rota, f ImportFiles) (Plan, ImportChanges, FileProblems) {
	var p Plan
	ch := ImportChanges{Planned: map[int]int{}}
	var ps FileProblems
	planned := planVolunteers(r, f, &p, &ch, &ps)
	if f.Shifts != nil {
		x := resolver{r: r, planned: planned, fileIDs: map[string]string{}, tool: f.Tool}
		if f.Volunteers != nil {
			for _, row := range f.Volunteers.Rows {
				if row.ID != "" {
					x.fileIDs[row.ID] = row.Volunteer.Phone
				}
			}
		}
		planShifts(r, *f.Shifts, f.Replace, x, &p, &ch, &ps)
		// The rota's own rules for each shift the file adds or changes (no 0 hours, no two shifts of one
		// volunteer at once...), on the row that asks for it, with the file's other problems.
		problems := r.ShiftProblems(p)
		for line, i := range ch.Planned {
			for _, msg := range problems[i] {
				ps.add(f.Shifts.Name, line, "%s", msg)
			}
			if s := p.Shifts[i]; !s.Weekly() && f.Today != "" && s.Date < f.Today {
				ps.add(f.Shifts.Name, line, "date %s has passed (today is %s); give a date from today on", s.Date, f.Today)
			}
		}
	}
	return p, ch, ps
}

// planVolunteers adds to p the volunteers of the volunteers file that are new or changed, and returns
// every volunteer of the file as the plan leaves them, by phone number (with their id unless they are
// new).
func planVolunteers(r Rota, files ImportFiles, p *Plan, ch *ImportChanges, ps *FileProblems) map[string]Volunteer {
	planned := map[string]Volunteer{}
	f := files.Volunteers
	if f == nil {
		return planned
	}
	for _, row := range f.Rows {
		old, ok := r.ByPhone(row.Volunteer.Phone)
		if FullName(row.Volunteer.Name) && (!ok || old.Name != row.Volunteer.Name) {
			ch.Notes = append(ch.Notes, fmt.Sprintf("%s line %d: people who text see the name %q; the line gives first "+
				"names only, for privacy, unless it is a double first name", f.Name, row.Line, Printable(row.Volunteer.Name)))
		}
		if !ok && row.abroad != "" && !f.abroad {
			ps.add(f.Name, row.Line, "%s", row.abroad)
			continue
		}
		if !ok {
			if v, taken := r.Volunteers[row.ID]; taken {
				ch.Notes = append(ch.Notes, fmt.Sprintf("%s line %d: %s is %s on this rota, who has another number; "+
					"rows are matched by phone, so this adds a new volunteer (to change a number: %s volunteer edit %s -phone NUMBER)",
					f.Name, row.Line, row.ID, Printable(v.Name), files.Tool, row.ID))
			}
			p.Volunteers = append(p.Volunteers, row.Volunteer)
			ch.Added = append(ch.Added, row)
			planned[row.Volunteer.Phone] = row.Volunteer
			continue
		}
		base := old
		_ = base.Normalize() // compare with the record as the rota would store it now
		next := merge(base, row.Volunteer, f.cols)
		planned[next.Phone] = next
		if diff := volunteerDiff(base, next); len(diff) > 0 {
			p.Volunteers = append(p.Volunteers, next)
			ch.Updated = append(ch.Updated, VolunteerUpdate{Line: row.Line, After: next, Changes: diff})
		} else {
			ch.Unchanged++
		}
	}
	ch.Untouched = len(r.Volunteers) - ch.Unchanged - len(ch.Updated)
	return planned
}

// merge returns old with the columns the file has taken from row.
func merge(old, row Volunteer, cols map[string]bool) Volunteer {
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
func volunteerDiff(a, b Volunteer) []string {
	var out []string
	diff := func(field, from, to string) {
		if from != to {
			out = append(out, fmt.Sprintf("%s %s -> %s", field, from, to))
		}
	}
	diff("name", fmt.Sprintf("%q", a.Name), fmt.Sprintf("%q", b.Name))
	diff("role", a.Role(), b.Role())
	diff("channels", listText(a.Channels), listText(b.Channels))
	diff("tags", listText(a.Tags), listText(b.Tags))
	diff("max_chats", limitText(a.MaxChats), limitText(b.MaxChats))
	diff("rest_minutes", limitText(a.Rest), limitText(b.Rest))
	diff("week_hours", limitText(a.WeekHours), limitText(b.WeekHours))
	if a.Notes != b.Notes {
		out = append(out, "notes changed")
	}
	diff("paused", yesNoCell(!a.Active), yesNoCell(!b.Active))
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
	r       Rota
	planned map[string]Volunteer // volunteers.csv as the plan leaves it, by phone
	fileIDs map[string]string    // volunteers.csv's id column -> phone
	tool    string               // ImportFiles.Tool
}

// find returns how the plan names the volunteer ref is (their id, or the number of a volunteer the plan
// adds) and the volunteer as the plan leaves them. An id means the volunteers file's row of that id
// if there is one, else the rota's volunteer.
func (x resolver) find(ref string) (string, Volunteer, error) {
	if IsVolunteerID(ref) {
		number, ok := x.fileIDs[ref]
		if !ok {
			v, ok := x.r.Volunteers[ref]
			if !ok {
				return "", Volunteer{}, fmt.Errorf("no volunteer %s on the rota (see %s volunteer list); give their phone number", ref, x.tool)
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
	return "", Volunteer{}, fmt.Errorf("no volunteer has the number %s: add them to the volunteers file (or with volunteer add)", ref)
}

// planShifts plans the shifts of f over rota r, matching rows to the rota's shifts in three passes:
//  1. A row the same in every column as a shift on the rota is that shift, whatever its id says (so a
//     file of another line, whose ids mean other shifts, still changes nothing where it agrees).
//  2. A row with the id of a shift on the rota that no row is yet is that shift, changed: the old shift
//     is removed and the row's added, in the same plan.
//  3. Any other row is a new shift (a note says so when its id was not on the rota).
//
// Shifts on the rota that no row is are listed, and with replace removed.
func planShifts(r Rota, f ShiftsFile, replace bool, x resolver, p *Plan, ch *ImportChanges, ps *FileProblems) {
	byKey := map[Shift]string{} // each shift of the rota, by sameKey -> its id
	for _, s := range r.Shifts {
		byKey[sameKey(s)] = s.ID
	}
	claimed := map[string]bool{} // ids of rota shifts that a row is
	seen := map[Shift]int{}      // sameKey of each row -> its line
	var rest []ShiftRow          // rows not on the rota as they are, with their volunteers as the plan names them
	for _, row := range f.Rows {
		s, ok := resolveShift(row, x, f.Name, ps)
		if !ok {
			continue
		}
		if first, dup := seen[sameKey(s)]; dup {
			ps.add(f.Name, row.Line, "the same shift as line %d", first)
			continue
		}
		seen[sameKey(s)] = row.Line
		if id, there := byKey[sameKey(s)]; there {
			claimed[id] = true
			ch.Present++
			continue
		}
		row.Shift = s
		rest = append(rest, row)
	}
	for _, row := range rest {
		old, there := r.Shift(row.ID)
		switch {
		case there && !claimed[row.ID]:
			claimed[row.ID] = true
			changeShift(r, old, row, p, ch)
			continue
		case there:
			ch.Notes = append(ch.Notes, fmt.Sprintf("%s line %d: shift %s is another row of the file, as it is on the rota, "+
				"so this row is read as a new shift", f.Name, row.Line, row.ID))
		case row.ID != "":
			ch.Notes = append(ch.Notes, fmt.Sprintf("%s line %d: there is no shift %s on the rota (removed since the "+
				"file was exported, or a file of another line), so the row is read as a new shift", f.Name, row.Line, row.ID))
		}
		ch.Planned[row.Line] = len(p.Shifts)
		p.Shifts = append(p.Shifts, row.Shift)
		ch.AddShifts = append(ch.AddShifts, row)
	}
	for _, s := range r.Shifts {
		if !claimed[s.ID] {
			ch.NotInFile = append(ch.NotInFile, s)
			if replace {
				p.RemoveShifts = append(p.RemoveShifts, s.ID)
			}
		}
	}
}

// changeShift plans the change of the rota's shift old into the row's: old is removed and the row's
// shift added (a new id), and old's skipped dates go with it.
func changeShift(r Rota, old Shift, row ShiftRow, p *Plan, ch *ImportChanges) {
	var skips []string
	for k := range r.Skips {
		if id, date, _ := strings.Cut(k, " "); id == old.ID {
			skips = append(skips, date)
		}
	}
	slices.Sort(skips)
	p.RemoveShifts = append(p.RemoveShifts, old.ID)
	ch.Planned[row.Line] = len(p.Shifts)
	p.Shifts = append(p.Shifts, row.Shift)
	ch.ChangedShifts = append(ch.ChangedShifts, ShiftChange{Line: row.Line, Old: old, New: row.Shift, Skips: skips})
}

// sameKey is what makes two shifts the same: everything but the id, with an end of 00:00 written as
// 24:00 (both end at midnight).
func sameKey(s Shift) Shift {
	s.ID = ""
	if s.End == 0 {
		s.End = 24 * 60
	}
	return s
}

// resolveShift names the row's volunteers as the plan does and checks what needs them.
func resolveShift(row ShiftRow, x resolver, file string, ps *FileProblems) (Shift, bool) {
	s, n := row.Shift, len(*ps)
	ref, v, err := x.find(s.Volunteer)
	if err != nil {
		ps.add(file, row.Line, "volunteer: %v", err)
	}
	s.Volunteer = ref
	if s.CoverFor != "" {
		if s.CoverFor, _, err = x.find(s.CoverFor); err != nil {
			ps.add(file, row.Line, "covers: %v", err)
		}
	}
	if len(*ps) > n {
		return s, false
	}
	if s.CoverFor == s.Volunteer {
		ps.add(file, row.Line, "covers: a volunteer cannot cover themselves")
	}
	if s.OnCall && !v.Coordinator {
		ps.add(file, row.Line, "oncall yes: %s is not a coordinator (make them one in the volunteers file, "+
			"or with volunteer edit -coordinator=true)", Printable(v.Name))
	}
	return s, len(*ps) == n
}
