package templates

// The texts of the line finding its own cover: gap alerts, asks to cover, CANT and confirming a shift.

// VolunteerCoverAsk asks a volunteer to cover a stretch nobody is on.
type VolunteerCoverAsk struct {
	// When is the stretch, such as "Thu 22:00-02:00"; Code the ask's code, such as C4X2.
	When, Code string
}

// VolunteerCoverAsks asks a volunteer about several stretches nobody is on, in one text.
type VolunteerCoverAsks struct {
	// List is the stretches with their codes, such as "Thu 17:00-22:00 (C4X2), Fri 02:00-07:00 (C7KM)".
	List string
}

// VolunteerCoverYours thanks the volunteer whose COVER took the stretch.
type VolunteerCoverYours struct {
	When string // such as "Thu 22:00-02:00"
}

// VolunteerCoverTaken tells a volunteer who was asked that the stretch is covered now.
type VolunteerCoverTaken struct {
	When string
}

// VolunteerCoverEnded answers a COVER that came after the ask ended (the stretch began, or is covered).
type VolunteerCoverEnded struct {
	When string
}

// VolunteerCoverNone answers a COVER with no ask to take: no code, or one that matches nothing.
type VolunteerCoverNone struct{}

// VolunteerCoverClash answers a COVER from a volunteer already on a shift that overlaps the stretch.
type VolunteerCoverClash struct {
	When string
}

// VolunteerCoverReleased tells a volunteer that someone else took the shift they had not confirmed.
type VolunteerCoverReleased struct {
	When, Name string // Name is who covers it
}

// CoordinatorCovered tells the coordinators who took a stretch the line asked about.
type CoordinatorCovered struct {
	// Name took When; For is whose shift it was (empty for a gap in the rota).
	Name, When, For string
}

// CoordinatorGaps is the daily gap alert: the stretches in the next 48 hours with nobody on shift, and
// the nights with nobody on call.
type CoordinatorGaps struct {
	// Shifts and OnCall list stretches, such as "Thu 22:00-02:00, Fri 09:00-17:00"; More counts the
	// ones left out to keep the text short; Asked is true when volunteers were asked to cover.
	Shifts, OnCall string
	More           int
	Asked          bool
}

// VolunteerCantThanks thanks a volunteer who said they can't make a shift (CANT).
type VolunteerCantThanks struct {
	When  string
	Asked bool // others were asked to cover
	Cover bool // the shift covers someone else's: the coordinators will hand it on
}

// VolunteerCantNone answers a CANT when the volunteer has no shift to let go.
type VolunteerCantNone struct {
	Day string // the day they named, such as Friday; empty for "the next week"
}

// CoordinatorCant tells the coordinators a volunteer can't make a shift.
type CoordinatorCant struct {
	Name, When string
	Asked      bool   // others were asked to cover
	For        string // the shift covers this volunteer's, and is still on the rota
}

// VolunteerConfirmed thanks a volunteer who confirmed their shift (OK after the reminder).
type VolunteerConfirmed struct {
	Start string // such as 22:00
}

// CoordinatorUnconfirmed tells the coordinators a shift is at risk: its volunteer has not confirmed.
type CoordinatorUnconfirmed struct {
	Name, When string
	Asked      bool // others were asked to stand by
}

// CoordinatorUncovered pages the on-call coordinator: the line is open and nobody on shift is ON.
type CoordinatorUncovered struct {
	Waiting int // people waiting now
}

// Template returns "volunteer_cover_ask".
func (VolunteerCoverAsk) Template() string { return "volunteer_cover_ask" }

// Template returns "volunteer_cover_asks".
func (VolunteerCoverAsks) Template() string { return "volunteer_cover_asks" }

// Template returns "volunteer_cover_yours".
func (VolunteerCoverYours) Template() string { return "volunteer_cover_yours" }

// Template returns "volunteer_cover_taken".
func (VolunteerCoverTaken) Template() string { return "volunteer_cover_taken" }

// Template returns "volunteer_cover_ended".
func (VolunteerCoverEnded) Template() string { return "volunteer_cover_ended" }

// Template returns "volunteer_cover_none".
func (VolunteerCoverNone) Template() string { return "volunteer_cover_none" }

// Template returns "volunteer_cover_clash".
func (VolunteerCoverClash) Template() string { return "volunteer_cover_clash" }

// Template returns "volunteer_cover_released".
func (VolunteerCoverReleased) Template() string { return "volunteer_cover_released" }

// Template returns "coordinator_covered".
func (CoordinatorCovered) Template() string { return "coordinator_covered" }

// Template returns "coordinator_gaps".
func (CoordinatorGaps) Template() string { return "coordinator_gaps" }

// Template returns "volunteer_cant_thanks".
func (VolunteerCantThanks) Template() string { return "volunteer_cant_thanks" }

// Template returns "volunteer_cant_none".
func (VolunteerCantNone) Template() string { return "volunteer_cant_none" }

// Template returns "coordinator_cant".
func (CoordinatorCant) Template() string { return "coordinator_cant" }

// Template returns "volunteer_confirmed".
func (VolunteerConfirmed) Template() string { return "volunteer_confirmed" }

// Template returns "coordinator_unconfirmed".
func (CoordinatorUnconfirmed) Template() string { return "coordinator_unconfirmed" }

// Template returns "coordinator_uncovered".
func (CoordinatorUncovered) Template() string { return "coordinator_uncovered" }

// coverSamples are the samples of the cover texts, for Samples.
func coverSamples() []Message {
	const when, code = "Thu 22:00-02:00", "C4X2"
	return []Message{
		VolunteerCoverAsk{When: when, Code: code},
		VolunteerCoverAsks{List: "Wed 23:00-04:00 (C4X2), Thu 04:00-09:00 (C7KM), Thu 17:00-22:00 (CQ3T), Fri 02:00-07:00 (CHW9)"},
		VolunteerCoverYours{When: when},
		VolunteerCoverTaken{When: when},
		VolunteerCoverEnded{When: when},
		VolunteerCoverNone{},
		VolunteerCoverClash{When: when},
		VolunteerCoverReleased{When: when, Name: "Alexandra"},
		CoordinatorCovered{Name: "Alexandra", When: when, For: "Christopher"},
		CoordinatorGaps{Shifts: "Thu 17:00-22:00, Thu 02:00-09:00, Fri 17:00-22:00, Sat 09:00-17:00",
			OnCall: "Thu 17:00-09:00, Fri 17:00-09:00", More: 3, Asked: true},
		VolunteerCantThanks{When: when, Asked: true},
		VolunteerCantNone{Day: "Wednesday"},
		CoordinatorCant{Name: "Christopher", When: when, For: "Alexandra"},
		VolunteerConfirmed{Start: "22:00"},
		CoordinatorUnconfirmed{Name: "Christopher", When: when, Asked: true},
		CoordinatorUncovered{Waiting: 3},
	}
}
