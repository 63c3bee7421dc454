package templates

// EventText is one event of the line's calendar as a text names it.
type EventText struct {
	When  string // such as "Sat 11:00-13:00" or "today 18:00-19:00"
	Title string
	Place string
}

// ServiceText is one daytime service as a text names it.
type ServiceText struct {
	Name  string
	Phone string // the service's own public number
	Opens string // such as "open now till 17:00" or "opens 09:00 tomorrow"
	Note  string // may be empty
}

// PersonWhatsOn answers a person who texts WHATS ON (or EVENTS) outside a chat: the next events of the
// line's local calendar, or that there are none.
type PersonWhatsOn struct {
	Events []EventText
	// Opens is when peer supporters are back, such as "18:00 today", while the line is closed; "" while
	// it is open.
	Opens string
}

// Template returns "person_whats_on".
func (PersonWhatsOn) Template() string { return "person_whats_on" }

// PersonShareEvent passes a person the details of an event their peer supporter shared (SHARE cafe).
type PersonShareEvent struct {
	Event EventText
}

// Template returns "person_share_event".
func (PersonShareEvent) Template() string { return "person_share_event" }

// PersonShareServices passes a person the services of a need their peer supporter shared (SHARE
// housing), open soonest first.
type PersonShareServices struct {
	Need     string // in words, such as "money and debt"
	Services []ServiceText
}

// Template returns "person_share_services".
func (PersonShareServices) Template() string { return "person_share_services" }

// VolunteerShared tells a volunteer in a chat that what they shared went to the person.
type VolunteerShared struct {
	What string // such as "Recovery cafe" or "2 housing services"
}

// Template returns "volunteer_shared".
func (VolunteerShared) Template() string { return "volunteer_shared" }

// VolunteerShareNone tells a volunteer in a chat that their SHARE word matched nothing, and what they
// could try; nothing went to the person.
type VolunteerShareNone struct {
	Word string
	Try  string // such as "housing, food, cafe"; empty when the calendar and directory are empty
}

// Template returns "volunteer_share_none".
func (VolunteerShareNone) Template() string { return "volunteer_share_none" }

// communitySamples are the samples of the calendar and directory texts.
func communitySamples() []Message {
	cafe := EventText{When: "Sat 11:00-13:00", Title: "Recovery cafe", Place: "St John's Hall, Tonbridge"}
	walk := EventText{When: "Sun 10:00-11:30", Title: "Recovery walk", Place: "Haysden Country Park gate"}
	quiz := EventText{When: "Mon 12 Dec 18:00-20:00", Title: "Sober quiz night", Place: "The Angel Centre, Tonbridge"}
	housing := ServiceText{Name: "West Kent Housing Advice", Phone: "01732 123456", Opens: "opens 09:00 tomorrow",
		Note: "drop-in, no appointment"}
	return []Message{
		PersonWhatsOn{Events: []EventText{cafe, walk, quiz}},
		PersonShareEvent{Event: cafe},
		PersonShareServices{Need: "money and debt", Services: []ServiceText{housing,
			{Name: "Citizens Advice Tonbridge", Phone: "0800 144 8848", Opens: "opens 10:00 Sat"}}},
		VolunteerShared{What: "Recovery cafe"},
		VolunteerShareNone{Word: "bingo", Try: "housing, money, food, recovery, walk"},
	}
}
