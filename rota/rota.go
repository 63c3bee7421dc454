// Package rota keeps the line's volunteers, their shifts (weekly, one-off and covers), the on-call
// coordinators, the line's open hours and volunteers' availability in Redis, and answers "who is on at
// t" and "where are the gaps" (Rota.Gaps: open hours with nobody on shift, or nobody on call). It
// refuses what a coordinator cannot mean, such as one volunteer on two shifts at once. It owns every
// key under pl:{line}:rota:. It also reads and writes the rota as the CSV files coordinators keep in a
// spreadsheet (volunteers.csv and shifts.csv), and plans the import of them (PlanImport).
package rota

import (
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"
)

// Sentinel errors callers can check with errors.Is.
var (
	ErrNotFound = errors.New("not found")
	ErrExists   = errors.New("already exists")
	ErrInvalid  = errors.New("not valid")
	ErrChanged  = errors.New("the rota changed meanwhile")
)

// Rota is one consistent read of the whole rota, taken in a single round trip. Treat it as read-only:
// it is shared between goroutines.
type Rota struct {
	Volunteers map[string]Volunteer // by id
	Shifts     []Shift              // weekly first (by day, start), then dated (by date, start)
	Off        map[string]bool      // volunteer ids who texted OFF
	Skips      map[string]bool      // SkipKey(shift, date): occurrences of weekly shifts that do not happen
	Hours      Hours

	byPhone map[string]string
	loc     *time.Location
	version string // the version counter this rota was read at; "" for a rota not read from a store
	idx     index
}

// SkipKey names one occurrence of a weekly shift: the shift's id and the local date it starts.
func SkipKey(shift, date string) string { return shift + " " + date }

// Location returns the line's time zone.
func (r Rota) Location() *time.Location { return r.loc }

// ByPhone returns the volunteer with the E.164 number, if any.
func (r Rota) ByPhone(number string) (Volunteer, bool) {
	v, ok := r.Volunteers[r.byPhone[number]]
	return v, ok
}

// VolunteersByID returns the rota's volunteers by id number, v2 before v10.
func (r Rota) VolunteersByID() []Volunteer {
	out := make([]Volunteer, 0, len(r.Volunteers))
	for _, v := range r.Volunteers {
		out = append(out, v)
	}
	sort.Slice(out, func(i, j int) bool { return IDLess(out[i].ID, out[j].ID) })
	return out
}

// Named returns the volunteers whose name is name (any case, spaces around it ignored), by id.
func (r Rota) Named(name string) []Volunteer {
	var out []Volunteer
	for _, v := range r.VolunteersByID() {
		if strings.EqualFold(v.Name, strings.TrimSpace(name)) {
			out = append(out, v)
		}
	}
	return out
}

// Shift returns the shift with id.
func (r Rota) Shift(id string) (Shift, bool) {
	if i, ok := r.idx.byID[id]; ok {
		return r.Shifts[i], true
	}
	return Shift{}, false
}

// OnShift reports whether volunteer id is on the peer rota at t.
func (r Rota) OnShift(id string, t time.Time) bool {
	for _, v := range r.OnShiftAt(t) {
		if v.ID == id {
			return true
		}
	}
	return false
}

// OnShiftAt returns the volunteers on the peer rota at t, sorted by id: weekly shifts not skipped
// that day, one-off shifts and covers, less anyone covered by someone else at t. Like OnCallAt and
// AvailableOnShiftAt, the slice may be shared with other callers in the same minute: read it or append
// to it, never change its elements.
func (r Rota) OnShiftAt(t time.Time) []Volunteer { return r.at(t, false) }

// OnCallAt returns the coordinators on call at t, sorted by id.
func (r Rota) OnCallAt(t time.Time) []Volunteer { return r.at(t, true) }

// Open reports whether the line is open at t.
func (r Rota) Open(t time.Time) bool { return r.Hours.Open(t, r.loc) }

// Available reports whether the volunteer is active (not paused) and has not texted OFF.
func (r Rota) Available(id string) bool { return r.Volunteers[id].Active && !r.Off[id] }

func (r Rota) at(t time.Time, oncall bool) []Volunteer {
	return r.remembered(t, boolIndex(oncall), func() []Volunteer { return r.atNow(t, oncall) })
}

// AvailableOnShiftAt returns the volunteers on the peer rota at t who are available (see Available),
// sorted by id.
func (r Rota) AvailableOnShiftAt(t time.Time) []Volunteer {
	return r.remembered(t, 2, func() []Volunteer {
		var out []Volunteer
		for _, v := range r.OnShiftAt(t) {
			if v.Active && !r.Off[v.ID] {
				out = append(out, v)
			}
		}
		return out
	})
}

// remembered returns answer k at t (see atMemo) from the index's memo, working it out when not held.
func (r Rota) remembered(t time.Time, k int, work func() []Volunteer) []Volunteer {
	minute := t.Unix() / 60
	if t.Unix() < 0 || r.idx.memo == nil {
		return work()
	}
	if vols, ok := r.idx.memo.get(minute, k); ok {
		return vols
	}
	vols := work()
	r.idx.memo.put(minute, k, vols)
	return vols
}

// atNow works out who is on at t (on call when oncall) from the index.
func (r Rota) atNow(t time.Time, oncall bool) []Volunteer {
	on := make([]int8, len(r.idx.order)) // 1 on, -1 covered by someone else
	r.idx.each(r, t, func(i int) {
		s := r.Shifts[i]
		if s.OnCall != oncall || r.idx.rank[i] < 0 {
			return
		}
		if on[r.idx.rank[i]] == 0 {
			on[r.idx.rank[i]] = 1
		}
		if c := r.idx.covers[i]; c >= 0 {
			on[c] = -1
		}
	})
	var out []Volunteer
	for n, state := range on {
		if state > 0 {
			out = append(out, r.Volunteers[r.idx.order[n]])
		}
	}
	return out
}

// Occurrences returns every occurrence of every shift (peer and on-call) that overlaps [from, to),
// skipped ones left out, sorted by start.
func (r Rota) Occurrences(from, to time.Time) []Occurrence {
	var out []Occurrence
	first, last := civilOf(from.In(r.loc)).add(-1), civilOf(to.In(r.loc))
	for c := first; !last.before(c); c = c.add(1) {
		date := c.String()
		for _, i := range r.idx.startingOn(c) {
			s := r.Shifts[i]
			if s.Weekly() && r.Skips[SkipKey(s.ID, date)] {
				continue
			}
			start, end := s.span(c, r.loc)
			if start.Before(to) && end.After(from) {
				out = append(out, Occurrence{Shift: s, Date: date, Start: start, End: end})
			}
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Start.Before(out[j].Start) })
	return out
}

func (c civil) before(o civil) bool {
	if c.y != o.y {
		return c.y < o.y
	}
	if c.m != o.m {
		return c.m < o.m
	}
	return c.d < o.d
}

// decode builds a Rota from the hashes that hold it.
func decode(vols, shifts, off, skips map[string]string, hours string, loc *time.Location) (Rota, error) {
	r := Rota{Volunteers: map[string]Volunteer{}, Off: map[string]bool{}, Skips: map[string]bool{},
		Hours: DefaultHours(), byPhone: map[string]string{}, loc: loc}
	for id, raw := range vols {
		var v Volunteer
		if err := json.Unmarshal([]byte(raw), &v); err != nil {
			return Rota{}, fmt.Errorf("decode volunteer %s: %w", id, err)
		}
		r.Volunteers[id] = v
		r.byPhone[v.Phone] = id
	}
	for id, raw := range shifts {
		var s Shift
		if err := json.Unmarshal([]byte(raw), &s); err != nil {
			return Rota{}, fmt.Errorf("decode shift %s: %w", id, err)
		}
		r.Shifts = append(r.Shifts, s)
	}
	sortShifts(r.Shifts)
	for id := range off {
		r.Off[id] = true
	}
	for k := range skips {
		r.Skips[k] = true
	}
	if hours != "" {
		if err := json.Unmarshal([]byte(hours), &r.Hours); err != nil {
			return Rota{}, fmt.Errorf("decode open hours: %w", err)
		}
	}
	r.idx = newIndex(r.Shifts, r.Volunteers)
	return r, nil
}

func sortShifts(s []Shift) {
	sort.Slice(s, func(i, j int) bool {
		a, b := s[i], s[j]
		if a.Date != b.Date {
			return a.Date < b.Date // weekly ("") first
		}
		if a.Day != b.Day {
			return a.Day < b.Day
		}
		if a.Start != b.Start {
			return a.Start < b.Start
		}
		return IDLess(a.ID, b.ID)
	})
}

// IDLess orders volunteer and shift ids by their number: v2 before v10.
func IDLess(a, b string) bool {
	na, errA := strconv.Atoi(strings.TrimLeft(a, "vs"))
	nb, errB := strconv.Atoi(strings.TrimLeft(b, "vs"))
	if errA == nil && errB == nil && na != nb {
		return na < nb
	}
	return a < b
}
