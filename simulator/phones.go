package simulator

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"time"

	"peerline/phone"
	"peerline/rota"
)

// Roster is where the simulator reads who volunteers on the line; *rota.Store is one.
type Roster interface {
	Load(ctx context.Context) (rota.Rota, error)
}

// The roles a phone can have on the page.
const (
	rolePerson      = "person"      // someone who texts the line for support
	roleVolunteer   = "volunteer"   // a peer volunteer on the rota
	roleCoordinator = "coordinator" // a coordinator on the rota
	roleOther       = "other"       // a number met during this run, neither a demo person nor on the rota
)

// rosterWait is how long the page waits for the rota before it is shown the phones last read.
const rosterWait = 2 * time.Second

// phones answers the page with the phones it shows, in order: the demo's people who text the line,
// the rota's volunteers and coordinators, then every other number that texted the line or was texted
// by it in this run. The page asks when it opens, every few seconds, and when a text comes for a
// number it has no card for.
func (s *Simulator) phones(w http.ResponseWriter, r *http.Request) {
	list := s.phoneList(r.Context())
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	_ = json.NewEncoder(w).Encode(list)
}

// phoneList reads the rota (when there is a roster) and returns the phones the page shows.
func (s *Simulator) phoneList(ctx context.Context) []Phone {
	crew, haveRoster := s.readRoster(ctx)
	s.mu.Lock()
	met := slices.Clone(s.met)
	s.mu.Unlock()
	return merge(s.cfg.Phones, crew, haveRoster, met)
}

// merge lists each number once: the demo's people (and, without a roster, all its phones), the
// rota's people, then the numbers met. What the rota says of a number wins over the demo's list.
func merge(demo, crew []Phone, haveRoster bool, met []Phone) []Phone {
	onRota := make(map[string]bool, len(crew))
	for _, p := range crew {
		onRota[p.Number] = true
	}
	var list []Phone
	shown := map[string]bool{}
	add := func(p Phone) {
		if !shown[p.Number] {
			shown[p.Number] = true
			list = append(list, p)
		}
	}
	for _, p := range demo {
		if !haveRoster || (p.Role == rolePerson && !onRota[p.Number]) {
			add(p)
		}
	}
	for _, group := range [][]Phone{crew, met} {
		for _, p := range group {
			add(p)
		}
	}
	return list
}

// readRoster returns the rota's people and whether the simulator has them. When a read fails it
// returns the people last read, and says so once on the console (the error names no phone number).
func (s *Simulator) readRoster(ctx context.Context) ([]Phone, bool) {
	if s.cfg.Roster == nil {
		return nil, false
	}
	ctx, cancel := context.WithTimeout(ctx, rosterWait)
	defer cancel()
	r, err := s.cfg.Roster.Load(ctx)
	s.mu.Lock()
	defer s.mu.Unlock()
	if err != nil {
		if !s.rotaErr && s.console != nil {
			fmt.Fprintf(s.console, "[simulator] could not read the rota, so the page shows the phones it last read: %v\n", err)
		}
		s.rotaErr = true
		return s.crew, s.crew != nil
	}
	s.rotaErr = false
	s.crew = crewOf(r)
	return s.crew, true
}

// crewOf returns a phone for each person on the rota: volunteers, then coordinators, each in the
// order of their ids (v1, v2, ..., v10), on the channel the line reaches them on.
func crewOf(r rota.Rota) []Phone {
	ids := make([]string, 0, len(r.Volunteers))
	for id := range r.Volunteers {
		ids = append(ids, id)
	}
	slices.SortFunc(ids, func(a, b string) int {
		ca, cb := r.Volunteers[a].Coordinator, r.Volunteers[b].Coordinator
		switch {
		case ca != cb && cb:
			return -1
		case ca != cb:
			return 1
		case rota.IDLess(a, b):
			return -1
		case rota.IDLess(b, a):
			return 1
		}
		return 0
	})
	crew := make([]Phone, 0, len(ids))
	for _, id := range ids {
		v := r.Volunteers[id]
		role := roleVolunteer
		if v.Coordinator {
			role = roleCoordinator
		}
		crew = append(crew, Phone{Name: v.Name, Number: v.Phone, Channel: phone.Channel(v.Reach()), Role: role})
	}
	return crew
}

// known returns what the simulator knows of number without reading the rota: the rota as last read,
// the demo's phones, the numbers met.
func (s *Simulator) known(number string) (Phone, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.knownLocked(number)
}

func (s *Simulator) knownLocked(number string) (Phone, bool) {
	for _, group := range [][]Phone{s.crew, s.cfg.Phones, s.met} {
		if i := slices.IndexFunc(group, func(p Phone) bool { return p.Number == number }); i >= 0 {
			return group[i], true
		}
	}
	return Phone{}, false
}

// meet notes a number seen in a text the first time, so the page keeps a card for it for the rest of
// the run (as the rota or the demo knew it then, or as another number). The caller holds s.mu.
func (s *Simulator) meet(number string, ch phone.Channel) {
	if number == "" || slices.ContainsFunc(s.met, func(p Phone) bool { return p.Number == number }) {
		return
	}
	p, ok := s.knownLocked(number)
	if !ok {
		p = Phone{Name: number, Number: number, Channel: ch, Role: roleOther}
	}
	s.met = append(s.met, p)
}
