package rota

import (
	"errors"
	"fmt"
	"slices"
	"strings"
)

// Plan is a set of changes to the rota that are applied together: another reader sees the rota from
// before the whole plan or after it, never a part. A swap, an import and a single edit are all plans.
type Plan struct {
	// Volunteers to add (ID empty) or to replace (ID set). Active is as given: set it for a volunteer
	// who should get offers.
	Volunteers []Volunteer
	// RemoveVolunteers are ids to remove, with their shifts and any cover of them.
	RemoveVolunteers []string
	// Shifts to add. Volunteer and CoverFor are ids or, for a volunteer the same plan adds, their E.164
	// phone number.
	Shifts []Shift
	// RemoveShifts are shift ids to remove.
	RemoveShifts []string
	// Skip and Unskip name occurrences of weekly shifts, as SkipKey(shift, date).
	Skip, Unskip []string
	// Hours, if set, replaces the line's open hours.
	Hours *Hours
	// Today, if set, is the line's local date (YYYY-MM-DD) as the plan is made: one-off shifts and
	// covers that ended before it are past, and a new shift may overlap them.
	Today string
}

// Empty reports whether the plan changes nothing.
func (p Plan) Empty() bool {
	return len(p.Volunteers)+len(p.RemoveVolunteers)+len(p.Shifts)+len(p.RemoveShifts)+len(p.Skip)+
		len(p.Unskip) == 0 && p.Hours == nil
}

// Check validates p against r as Store.Change does before applying it, fills in defaults, and reports
// every problem at once. Errors wrap ErrInvalid, ErrExists or ErrNotFound. A dry run can call it to
// be sure the plan would be accepted.
func (r Rota) Check(p *Plan) error {
	var errs []error
	bad := func(kind error, format string, a ...any) {
		errs = append(errs, problem(kind, format, a...))
	}
	removing := map[string]bool{}
	for _, id := range p.RemoveVolunteers {
		if _, ok := r.Volunteers[id]; !ok {
			bad(ErrNotFound, "volunteer %s not found", id)
		}
		removing[id] = true
	}
	phones := map[string]string{} // new owner of each number the plan sets
	for i := range p.Volunteers {
		v := &p.Volunteers[i]
		who := v.ID
		if who == "" {
			who = fmt.Sprintf("new volunteer %q", strings.TrimSpace(v.Name))
		} else if _, ok := r.Volunteers[v.ID]; !ok {
			bad(ErrNotFound, "volunteer %s not found", v.ID)
			continue
		}
		if err := v.Normalize(); err != nil {
			bad(ErrInvalid, "%s", err) // names the field and value already
			continue
		}
		if oncall := r.onCallShifts(v.ID, p.RemoveShifts); v.ID != "" && !v.Coordinator && len(oncall) > 0 {
			bad(ErrInvalid, "%s is on call in shifts %s; remove those first, then they can stop being a coordinator",
				v.ID, strings.Join(oncall, ", "))
		}
		if owner, ok := r.byPhone[v.Phone]; ok && owner != v.ID && !removing[owner] {
			bad(ErrExists, "phone %s already belongs to %s (%s)", v.Phone, r.Volunteers[owner].Name, owner)
		} else if other, ok := phones[v.Phone]; ok {
			bad(ErrExists, "phone %s is given twice (%s and %s)", v.Phone, other, who)
		}
		phones[v.Phone] = who
	}
	for _, id := range p.RemoveShifts {
		if _, ok := r.Shift(id); !ok {
			bad(ErrNotFound, "shift %s not found", id)
		}
	}
	st := r.shiftCheckOf(p, removing)
	for i := range p.Shifts {
		desc := describeShift(p.Shifts[i])
		for _, e := range r.checkShift(p, i, st) {
			errs = append(errs, problem(e.kind, "shift %s: %s", desc, e.msg))
		}
	}
	for _, k := range p.Skip {
		errs = append(errs, r.checkSkip(k)...)
	}
	for _, k := range p.Unskip {
		errs = append(errs, r.checkUnskip(p, k, st)...)
	}
	if p.Hours != nil {
		if err := p.Hours.normalize(); err != nil {
			bad(ErrInvalid, "open hours: %s", err)
		}
	}
	return errors.Join(errs...)
}

// shiftCheckOf is what checking plan p's shifts needs, removing the volunteers in removing.
func (r Rota) shiftCheckOf(p *Plan, removing map[string]bool) shiftCheck {
	existing := map[Shift]string{} // each shift on the rota (id cleared) that stays -> its id
	dropping := map[string]bool{}
	for _, id := range p.RemoveShifts {
		dropping[id] = true
	}
	for _, o := range r.Shifts {
		if !dropping[o.ID] {
			existing[o.key()] = o.ID
		}
	}
	return shiftCheck{removing: removing, existing: existing, dropping: dropping, overlap: r.overlapCheck(p)}
}

// ShiftProblems checks each shift of plan p as Check does (its times, its volunteer, repeats, and
// overlaps with the rota and with the plan's other shifts) without changing p, and returns what is
// wrong with each by its index in p.Shifts, each message without the shift's description: an import
// names the row instead.
func (r Rota) ShiftProblems(p Plan) map[int][]string {
	removing := map[string]bool{}
	for _, id := range p.RemoveVolunteers {
		removing[id] = true
	}
	p.Shifts = slices.Clone(p.Shifts)
	st := r.shiftCheckOf(&p, removing)
	out := map[int][]string{}
	for i := range p.Shifts {
		for _, e := range r.checkShift(&p, i, st) {
			out[i] = append(out[i], e.msg)
		}
	}
	return out
}

// volunteer finds who a plan's shift names: an id on the rota, or a phone the plan adds.
func (r Rota) volunteer(p *Plan, ref string) (Volunteer, bool) {
	if v, ok := r.Volunteers[ref]; ok {
		for _, w := range p.Volunteers {
			if w.ID == v.ID {
				return w, true // as the plan leaves them
			}
		}
		return v, true
	}
	for _, w := range p.Volunteers {
		if w.ID == "" && w.Phone == ref {
			return w, true
		}
	}
	return Volunteer{}, false
}

// shiftCheck is what checking a plan's shifts needs beside the rota and the plan.
type shiftCheck struct {
	removing map[string]bool  // volunteer ids the plan removes
	existing map[Shift]string // each shift on the rota (id cleared) that stays -> its id
	dropping map[string]bool  // shift ids the plan removes
	overlap  overlapCheck
}

// stays reports whether shift o of the rota is still there after the plan.
func (st shiftCheck) stays(o Shift) bool {
	return !st.dropping[o.ID] && !st.removing[o.Volunteer] && !st.removing[o.CoverFor]
}

// overlapCheck returns how the plan's shifts are checked for overlaps: with the rota's skips as the
// plan leaves them, and dated shifts that ended before the plan's Today left out.
func (r Rota) overlapCheck(p *Plan) overlapCheck {
	skip, unskip := map[string]bool{}, map[string]bool{}
	for _, k := range p.Skip {
		skip[k] = true
	}
	for _, k := range p.Unskip {
		unskip[k] = true
	}
	oc := overlapCheck{skipped: func(id, date string) bool {
		k := SkipKey(id, date)
		return id != "" && (skip[k] || r.Skips[k] && !unskip[k])
	}}
	if c, ok := parseCivil(p.Today); ok {
		oc.since = dayNumber(c) * 24 * 60
	}
	return oc
}

func (r Rota) checkShift(p *Plan, i int, st shiftCheck) []*planError {
	s := p.Shifts[i]
	removing, existing := st.removing, st.existing
	var errs []*planError
	bad := func(kind error, format string, a ...any) {
		errs = append(errs, &planError{kind: kind, msg: fmt.Sprintf(format, a...)})
	}
	if err := s.Normalize(); err != nil {
		bad(ErrInvalid, "%s", err)
	}
	v, ok := r.volunteer(p, s.Volunteer)
	if !ok || removing[s.Volunteer] {
		bad(ErrNotFound, "volunteer %s not found", s.Volunteer)
	} else if s.OnCall && !v.Coordinator {
		bad(ErrInvalid, "%s (%s) is not a coordinator; only coordinators go on call", v.Name, s.Volunteer)
	}
	if s.CoverFor != "" {
		if _, ok := r.volunteer(p, s.CoverFor); !ok || removing[s.CoverFor] {
			bad(ErrNotFound, "covered volunteer %s not found", s.CoverFor)
		}
		if s.Weekly() {
			bad(ErrInvalid, "a cover is for one date")
		}
		if s.CoverFor == s.Volunteer {
			bad(ErrInvalid, "a volunteer cannot cover themselves")
		}
	}
	switch id, ok := existing[s.key()]; {
	case ok && id != "":
		bad(ErrExists, "the same shift is already on the rota as %s", id)
	case ok:
		bad(ErrExists, "given twice")
	default:
		existing[s.key()] = "" // a later copy in the plan is a repeat
	}
	p.Shifts[i] = s
	if len(errs) == 0 {
		if msg := r.overlapping(p, i, st, v); msg != "" {
			bad(ErrInvalid, "%s", msg)
		}
	}
	return errs
}

// overlapping says why plan shift i would put its volunteer v on twice (on shift, or on call), or ""
// when it would not: another shift of theirs on the rota or earlier in the plan is on at the same time.
// A cover counts as a shift of the one who covers.
func (r Rota) overlapping(p *Plan, i int, st shiftCheck, v Volunteer) string {
	s := p.Shifts[i]
	name := fmt.Sprintf("%s (%s)", v.Name, s.Volunteer)
	for _, o := range r.Shifts {
		if o.Volunteer == s.Volunteer && o.OnCall == s.OnCall && st.stays(o) && st.overlap.clash(s, o) {
			return overlapProblem(s, o, name)
		}
	}
	for _, o := range p.Shifts[:i] {
		if o.Volunteer == s.Volunteer && o.OnCall == s.OnCall && st.overlap.clash(s, o) {
			o.ID = ""
			return overlapProblem(s, o, name)
		}
	}
	return ""
}

// checkUnskip refuses to put back an occurrence of a weekly shift that would overlap a one-off shift
// or cover its volunteer has on that date meanwhile.
func (r Rota) checkUnskip(p *Plan, k string, st shiftCheck) []error {
	id, date, _ := strings.Cut(k, " ")
	s, ok := r.Shift(id)
	if !ok || !s.Weekly() || !st.stays(s) {
		return nil
	}
	occ := s
	occ.ID, occ.Date = "", date
	if _, ok := parseCivil(date); !ok {
		return nil
	}
	for _, o := range r.Shifts {
		if !o.Weekly() && o.Volunteer == s.Volunteer && o.OnCall == s.OnCall && st.stays(o) && st.overlap.clash(occ, o) {
			return []error{problem(ErrInvalid, "shift %s on %s: %s", id, date,
				overlapProblem(occ, o, fmt.Sprintf("%s (%s)", r.Volunteers[s.Volunteer].Name, s.Volunteer)))}
		}
	}
	return nil
}

func (r Rota) checkSkip(k string) []error {
	id, date, _ := strings.Cut(k, " ")
	s, ok := r.Shift(id)
	if !ok {
		return []error{problem(ErrNotFound, "shift %s not found", id)}
	}
	c, ok := parseCivil(date)
	switch {
	case !ok:
		return []error{problem(ErrInvalid, "date %q: want YYYY-MM-DD", date)}
	case !s.Weekly():
		return []error{problem(ErrInvalid, "shift %s is a one-off shift; remove it instead", id)}
	case c.weekday() != s.Day:
		return []error{problem(ErrInvalid, "shift %s is on %ss, and %s is a %s", id, s.Day, date, c.weekday())}
	}
	return nil
}

// describeShift shows a shift for an error message: "v3 Fri 22:00-02:00" or "v3 2026-12-24 20:00-02:00".
func describeShift(s Shift) string {
	when := s.Day.String()[:3]
	if !s.Weekly() {
		when = s.Date
	}
	return fmt.Sprintf("%s %s %s-%s", s.Volunteer, when, s.Start, s.End)
}

// planError is one thing wrong with a plan: its message says it all, and its kind (ErrInvalid,
// ErrExists or ErrNotFound) is there for errors.Is.
type planError struct {
	kind error
	msg  string
}

func (e *planError) Error() string { return e.msg }
func (e *planError) Unwrap() error { return e.kind }

func problem(kind error, format string, a ...any) error {
	return &planError{kind: kind, msg: fmt.Sprintf(format, a...)}
}

// IsRefusal reports whether err is the rota refusing a plan (rather than Redis failing), so that the
// message can go to a coordinator as it is.
func IsRefusal(err error) bool {
	var pe *planError
	return errors.As(err, &pe)
}

// onCallShifts returns the ids of volunteer id's on-call shifts, less those in dropping.
func (r Rota) onCallShifts(id string, dropping []string) []string {
	var out []string
	for _, s := range r.Shifts {
		if s.Volunteer == id && s.OnCall && !slices.Contains(dropping, s.ID) {
			out = append(out, s.ID)
		}
	}
	return out
}
