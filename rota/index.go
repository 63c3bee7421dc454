package rota

import (
	"slices"
	"sort"
	"sync"
	"time"
)

// index finds the shifts that may cover an instant without looking at every shift: weekly shifts by
// day of the week, dated shifts by date. A cheap wall-clock test then narrows them down before the
// exact test on instants.
type index struct {
	weekly [7][]int         // positions in Rota.Shifts
	dated  map[string][]int // by date
	order  []string         // volunteer ids, sorted by IDLess
	rank   []int            // by shift position: the shift's volunteer's place in order, or -1
	covers []int            // by shift position: the covered volunteer's place in order, or -1
	byID   map[string]int   // shift id -> position
	// memo keeps the last answers of "who is on" (see Rota.at); a new index starts a new one.
	memo *atMemo
}

// atMemo remembers who is on shift and on call during one minute. Shifts, covers and clock changes all
// fall on whole minutes, so within a minute the answer cannot change: a new request asks it several
// times (for the answer to the person, and for dispatch), and every message in that minute can share it.
type atMemo struct {
	mu     sync.Mutex
	minute int64 // unix minutes of the answers held
	held   [3]bool
	vols   [3][]Volunteer // [0] on shift, [1] on call, [2] on shift and available
}

// get returns the answer held for minute, if any. The slice is shared by every caller in that minute
// (copying a hundred volunteers for each of the several asks of every message cost more than the
// asks): callers read it and may append to it (it is clipped, so append copies), but must not change
// its elements.
func (m *atMemo) get(minute int64, k int) ([]Volunteer, bool) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.minute != minute || !m.held[k] {
		return nil, false
	}
	return slices.Clip(m.vols[k]), true
}

// put keeps the answer for minute.
func (m *atMemo) put(minute int64, k int, vols []Volunteer) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.minute != minute {
		m.minute, m.held = minute, [3]bool{}
	}
	m.held[k], m.vols[k] = true, slices.Clone(vols)
}

func boolIndex(b bool) int {
	if b {
		return 1
	}
	return 0
}

func newIndex(shifts []Shift, vols map[string]Volunteer) index {
	x := index{dated: map[string][]int{}, byID: map[string]int{}, memo: &atMemo{minute: -1}}
	place := map[string]int{}
	for id := range vols {
		x.order = append(x.order, id)
	}
	sort.Slice(x.order, func(i, j int) bool { return IDLess(x.order[i], x.order[j]) })
	for i, id := range x.order {
		place[id] = i
	}
	find := func(id string) int {
		if n, ok := place[id]; ok {
			return n
		}
		return -1
	}
	for i, s := range shifts {
		x.byID[s.ID] = i
		x.rank = append(x.rank, find(s.Volunteer))
		x.covers = append(x.covers, find(s.CoverFor))
		if s.Weekly() {
			x.weekly[s.Day] = append(x.weekly[s.Day], i)
		} else {
			x.dated[s.Date] = append(x.dated[s.Date], i)
		}
	}
	return x
}

// startingOn returns the positions of the shifts with an occurrence starting on local date c.
func (x index) startingOn(c civil) []int {
	w, d := x.weekly[c.weekday()], x.dated[c.String()]
	if len(d) == 0 {
		return w
	}
	return append(append([]int(nil), w...), d...)
}

// dstSlack is how far a wall-clock reading can be from the instant it names across a clock change.
const dstSlack = 60

// each calls f with the position of every shift that has an occurrence covering t, skipped
// occurrences left out.
// Away from a clock change the wall clock alone decides; near one, every candidate is tested on
// instants.
func (x index) each(r Rota, t time.Time, f func(int)) {
	local := t.In(r.loc)
	today := civilOf(local)
	m := Clock(local.Hour()*60 + local.Minute())
	steady := steadyClock(today, r.loc)
	for back := 0; back <= 1; back++ {
		c := today.add(-back)
		date := ""
		for _, i := range x.startingOn(c) {
			s := r.Shifts[i]
			if !wallCovers(s, back, m, steady) {
				continue
			}
			if s.Weekly() && len(r.Skips) > 0 {
				if date == "" {
					date = c.String()
				}
				if r.Skips[SkipKey(s.ID, date)] {
					continue
				}
			}
			if !steady {
				if start, end := s.span(c, r.loc); t.Before(start) || !t.Before(end) {
					continue
				}
			}
			f(i)
		}
	}
}

// wallCovers tests shift s's occurrence that started back days before today against wall-clock time
// m. When steady (no clock change near), the answer is exact; otherwise it only rules shifts out, with
// an hour's slack either way.
func wallCovers(s Shift, back int, m Clock, steady bool) bool {
	slack := Clock(0)
	if !steady {
		slack = dstSlack
	}
	crosses := s.End <= s.Start
	if back == 1 {
		return crosses && m < s.End+slack
	}
	return m+slack >= s.Start && (crosses || m < s.End+slack)
}

// steadyClock reports whether the UTC offset is the same at the midnights from the day before today
// to the day after tomorrow, so that no shift touching today straddles a clock change.
func steadyClock(today civil, loc *time.Location) bool {
	_, off := time.Date(today.y, today.m, today.d-1, 0, 0, 0, 0, loc).Zone()
	for n := 0; n <= 2; n++ {
		if _, o := time.Date(today.y, today.m, today.d+n, 0, 0, 0, 0, loc).Zone(); o != off {
			return false
		}
	}
	return true
}
