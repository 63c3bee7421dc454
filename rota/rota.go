// Package rota keeps the line's volunteers, their weekly shifts and their availability in Redis, and
// answers "who is on shift at t". It owns every key under pl:{line}:rota:.
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
)

// Volunteer is a peer supporter (or coordinator) on the line.
type Volunteer struct {
	ID          string `json:"id"`
	Name        string `json:"name"`  // what the person in need sees
	Phone       string `json:"phone"` // E.164
	Coordinator bool   `json:"coordinator,omitempty"`
	Active      bool   `json:"active"` // false while a coordinator has paused them: never offered requests
}

// Rota is one consistent read of the whole rota, taken in a single round trip.
type Rota struct {
	Volunteers map[string]Volunteer // by id
	Shifts     []Shift              // sorted by day, start, volunteer
	Off        map[string]bool      // volunteer ids who texted OFF
	byPhone    map[string]string
	loc        *time.Location
}

// ByPhone returns the volunteer with the E.164 number, if any.
func (r Rota) ByPhone(number string) (Volunteer, bool) {
	v, ok := r.Volunteers[r.byPhone[number]]
	return v, ok
}

// OnShift reports whether volunteer id has a shift covering t.
func (r Rota) OnShift(id string, t time.Time) bool {
	for _, s := range r.Shifts {
		if s.Volunteer == id && s.Covers(t, r.loc) {
			return true
		}
	}
	return false
}

// OnShiftAt returns the volunteers with a shift covering t, sorted by id.
func (r Rota) OnShiftAt(t time.Time) []Volunteer {
	seen := map[string]bool{}
	var out []Volunteer
	for _, s := range r.Shifts {
		if seen[s.Volunteer] || !s.Covers(t, r.loc) {
			continue
		}
		if v, ok := r.Volunteers[s.Volunteer]; ok {
			seen[s.Volunteer] = true
			out = append(out, v)
		}
	}
	sort.Slice(out, func(i, j int) bool { return IDLess(out[i].ID, out[j].ID) })
	return out
}

// Available reports whether the volunteer is active and has not texted OFF.
func (r Rota) Available(id string) bool { return r.Volunteers[id].Active && !r.Off[id] }

// decode builds a Rota from the three hashes that hold it.
func decode(vols, shifts, off map[string]string, loc *time.Location) (Rota, error) {
	r := Rota{Volunteers: map[string]Volunteer{}, Off: map[string]bool{}, byPhone: map[string]string{}, loc: loc}
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
	return r, nil
}

func sortShifts(s []Shift) {
	sort.Slice(s, func(i, j int) bool {
		a, b := s[i], s[j]
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
