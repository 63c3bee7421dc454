package templates

// Message is the data for one template; each type names its template file.
type Message interface {
	// Template returns the name of the template file without the .tmpl
	// suffix, for example "volunteer_offer".
	Template() string
}

// PersonAck is sent to a person as soon as they text the line.
type PersonAck struct{}

// PersonWaiting is sent to a person who is still waiting for a peer supporter.
type PersonWaiting struct{}

// PersonMatched tells a person that a peer supporter has joined the chat.
type PersonMatched struct {
	// Name is the peer supporter's first name as the person sees it.
	Name string
}

// PersonFallback is sent to a person when no peer supporter could take their text; it
// points them to other help.
type PersonFallback struct {
	// Service is the daytime service that opens next, from the line's directory; nil when it has none
	// (or when naming it would not fit two SMS segments).
	Service *ServiceText
}

// PersonOutOfHours is sent to a person who texts while the line is closed (see the rota's open
// hours): it points them to daytime services and says when peer supporters are back.
type PersonOutOfHours struct {
	// Opens is when the line opens next, in words, such as "17:00 today" or "17:00 on Monday".
	Opens string
	// Service is the daytime service that opens next, from the line's directory; nil when it has none.
	Service *ServiceText
	// Events are the next one or two events of the line's calendar, as far as two SMS segments allow.
	Events []EventText
}

// PersonClosedCrisis follows the safety text to a person who used risk words while the line is
// closed, instead of the daytime services: when peer supporters are back, and whether the coordinator
// on call was asked to reach them.
type PersonClosedCrisis struct {
	// Opens is when the line opens next, in words, such as "17:00 today".
	Opens string
	// Asked is true when the coordinator on call was paged about them.
	Asked bool
}

// Template returns "person_closed_crisis".
func (PersonClosedCrisis) Template() string { return "person_closed_crisis" }

// PersonRequeued tells a person their peer supporter had to leave the chat (their phone stopped texts
// from the line), without blaming anyone: they are back in the queue, or, with nobody else on, given
// the crisis numbers.
type PersonRequeued struct {
	// Queued is true when they are back in the queue for someone else.
	Queued bool
}

// Template returns "person_requeued".
func (PersonRequeued) Template() string { return "person_requeued" }

// CoordinatorVolunteerStopped tells the coordinators on call that a volunteer texted STOP during a
// chat: it ended, they are OFF, and the person is back in the queue.
type CoordinatorVolunteerStopped struct {
	// Name and ID are the volunteer's; Code is the chat's.
	Name, ID, Code string
	// New is the person's new request ("" when nobody else was on and they got the crisis numbers).
	New string
	// Urgent is true when the person had used risk words.
	Urgent bool
}

// Template returns "coordinator_volunteer_stopped".
func (CoordinatorVolunteerStopped) Template() string { return "coordinator_volunteer_stopped" }

// PersonStillLooking tells a waiting person the search goes on, when the offer is widened.
type PersonStillLooking struct{}

// PersonCoordinatorAsked tells a waiting person the on-call coordinator has been asked to help.
type PersonCoordinatorAsked struct {
	// First is true when this is the person's first answer: no peer supporter is on, so the
	// coordinator was asked at once.
	First bool
}

// PersonQueued is the first answer to a person when every peer supporter on shift is with someone:
// they are in the queue and will hear the moment one is free.
type PersonQueued struct{}

// PersonLateEnded is sent to a person who was offered a late chat and did not answer, when the peer
// supporter lets it go. It does not mention a chat, since none began.
type PersonLateEnded struct{}

// PersonOptedIn welcomes back a person who texted START after stopping texts from the line.
type PersonOptedIn struct{}

// PersonHelp tells a person who texted HELP what the line is and where help is, now.
type PersonHelp struct{}

// VolunteerBack tells a volunteer who texted START after stopping texts that they are back.
type VolunteerBack struct{}

// SlowDown answers the first text over a number's rate limit; the rest of the flood is dropped.
type SlowDown struct{}

// PersonChatEnded tells a person, kindly, that their chat has ended (the volunteer blocked them; it
// does not say so).
type PersonChatEnded struct{}

// PersonBlocked is the neutral answer, at most once a day, to a person a volunteer blocked: their texts
// do not reach volunteers for a while.
type PersonBlocked struct{}

// VolunteerBlocked tells a volunteer who texted BLOCK that the chat has ended and for how long the
// person is kept from volunteers; it also asks how they are.
type VolunteerBlocked struct {
	// Code is the chat's code.
	Code string
	// Days is how long the block lasts, in days.
	Days int
}

// CoordinatorRepeat tells the on-call coordinator that one number has asked for support many times in a
// short while.
type CoordinatorRepeat struct {
	// Code is the latest request's code.
	Code string
	// Count is how many requests, Hours within how many hours.
	Count, Hours int
}

// PersonChatIdle tells a person their chat has closed because nobody has written for a while.
type PersonChatIdle struct {
	// Name is the peer supporter's first name.
	Name string
}

// VolunteerChatIdle tells a volunteer their chat closed because nobody wrote for a while; it also asks
// how they are.
type VolunteerChatIdle struct {
	// Code is the chat's code.
	Code string
}

// MediaNote stands in a passed-on text for the pictures or files that came with it, which the line
// never passes on.
type MediaNote struct {
	// WithText is true when the sender also wrote something.
	WithText bool
}

// PersonWelcome answers a person who only says thanks or goodbye soon after their chat ended or they
// got the signpost; no new request is opened.
type PersonWelcome struct{}

// PersonTryAgain is sent to a person when the line could not act on their text (things kept changing
// at the same moment); they are asked to send it again.
type PersonTryAgain struct{}

// VolunteerOfferLate offers a volunteer a request whose person was given other help numbers because
// nobody was free in time; they may still take it.
type VolunteerOfferLate struct {
	// Code is the short code of the request.
	Code string
	// Urgent is true when the person used words that may mean they are in danger.
	Urgent bool
	// Waited is how long ago the person first texted, in words, such as "20 minutes".
	Waited string
}

// VolunteerNextNone tells a volunteer who asked for the next request (NEXT) that nobody is waiting
// whom they may take.
type VolunteerNextNone struct {
	// Passed is the code of a request still waiting that the volunteer passed on, or "".
	Passed string
}

// VolunteerNextOff tells a volunteer who asked for the next request that they are not on shift, or
// OFF, so nothing is offered to them.
type VolunteerNextOff struct {
	// Off is true when the volunteer is OFF (or paused); false when they are not on shift or on call.
	Off bool
	// Done is set when they have had all the chats their limits allow for now: "tonight", "today" or
	// "this week".
	Done string
}

// VolunteerMovedOn tells a volunteer who accepted a request late that its person has moved on: they
// are talking with another peer supporter.
type VolunteerMovedOn struct {
	// Code is the short code of the request.
	Code string
}

// VolunteerCodeHeld tells a volunteer in a chat that their message was not passed on, because it has
// a request code in it.
type VolunteerCodeHeld struct{}

// VolunteerTryAgain tells a volunteer that their text could not be acted on (things kept changing at
// the same moment) and asks them to send it again.
type VolunteerTryAgain struct{}

// CoordinatorBusy tells an on-call coordinator who is in a chat that the line needs help; they are
// not paged, since they cannot take another chat.
type CoordinatorBusy struct {
	// Waiting is how many people are waiting.
	Waiting int
	// Waited is how long the person who has waited longest has waited, in words.
	Waited string
}

// PersonCheckin checks in with a person the morning after they talked to a peer supporter or got the
// signpost, and asks how they are: 1 (better), 2 (about the same), 3 (struggling), or words.
type PersonCheckin struct {
	// Events are the next one or two events of the line's calendar, as far as two SMS segments allow.
	Events []EventText
}

// PersonCheckinThanks thanks a person who answered the check-in 1 or 2, and tells them their answer
// helps shape the line.
type PersonCheckinThanks struct {
	// Better is true when they replied 1.
	Better bool
}

// Template returns "person_checkin_thanks".
func (PersonCheckinThanks) Template() string { return "person_checkin_thanks" }

// CheckinNote follows a person's words to the volunteer who takes their request, when they opened it
// by answering the morning check-in.
type CheckinNote struct {
	// Struggling is true when they replied 3.
	Struggling bool
}

// Template returns "checkin_note".
func (CheckinNote) Template() string { return "checkin_note" }

// PersonFeedbackAsk asks a person, once, in its own text after their chat ended, whether talking
// helped: a score from 1 to 5 and anything they would change.
type PersonFeedbackAsk struct{}

// Template returns "person_feedback_ask".
func (PersonFeedbackAsk) Template() string { return "person_feedback_ask" }

// PersonFeedbackThanks thanks a person for their feedback, and tells them their words shape the line.
type PersonFeedbackThanks struct{}

// Template returns "person_feedback_thanks".
func (PersonFeedbackThanks) Template() string { return "person_feedback_thanks" }

// PersonLateOffer tells a person who got the signpost that a peer supporter is free after all.
type PersonLateOffer struct {
	// Name is the peer supporter's first name as the person sees it.
	Name string
}

// VolunteerLateStart tells a volunteer who accepted late that the person was signposted and has been
// asked whether they still want to talk.
type VolunteerLateStart struct {
	// Code is the short code of the request.
	Code string
	// Body is what the person wrote before the signpost.
	Body string
}

// VolunteerDebriefOK thanks a volunteer who replied OK after a chat.
type VolunteerDebriefOK struct{}

// VolunteerTalkAsked tells a volunteer who replied TALK who will get in touch.
type VolunteerTalkAsked struct {
	// Name is the on-call coordinator's first name, or "" when nobody is on call.
	Name string
}

// CoordinatorPage asks the on-call coordinator to help with a request nobody has taken.
type CoordinatorPage struct {
	// Code is the short code of the request.
	Code string
	// Waited is how long the person has waited, in words, such as "10 minutes".
	Waited string
	// Urgent is true when the person used words that may mean they are in danger: the page comes at
	// once.
	Urgent bool
}

// CoordinatorTalk asks the on-call coordinator to get in touch with a volunteer after a chat.
type CoordinatorTalk struct {
	// Name and ID are the volunteer's.
	Name, ID string
	// Phone is the volunteer's number, for the coordinator to call.
	Phone string
	// Code is the short code of the chat.
	Code string
}

// VolunteerReminder reminds a volunteer of their coming shift.
type VolunteerReminder struct {
	// Start and End are the shift's local times, such as 22:00 and 02:00.
	Start, End string
}

// VolunteerShiftStart tells a volunteer their shift starts now.
type VolunteerShiftStart struct {
	// End is the shift's local end time, such as 02:00.
	End string
}

// PersonClosed tells a person that their peer supporter has ended the chat.
type PersonClosed struct {
	// Name is the peer supporter's first name as the person sees it.
	Name string
}

// RelayToPerson carries a volunteer's message to the person in the chat.
type RelayToPerson struct {
	// Name is the peer supporter's first name as the person sees it.
	Name string
	// Body is the text the volunteer sent.
	Body string
}

// RelayToVolunteer carries a person's message to the volunteer in the chat.
type RelayToVolunteer struct {
	// Code is the short code that stands for the person.
	Code string
	// Body is the text the person sent.
	Body string
}

// PersonSafety is the urgent safety text a person gets at once, before any other, when their text has
// risk words (see package risk).
type PersonSafety struct {
	// Finding is true when the line is finding them a peer supporter now (a new request).
	Finding bool
}

// VolunteerRiskNote is a private note to a volunteer in a chat whose person used risk words.
type VolunteerRiskNote struct {
	// Code is the chat's code.
	Code string
	// OnCall is true when the volunteer is the coordinator on call (nobody to ESCALATE to).
	OnCall bool
}

// CoordinatorRisk tells an on-call coordinator that a person used risk words: in a chat with a
// volunteer, or while the coordinator could not be paged (they are in a chat).
type CoordinatorRisk struct {
	// Code is the request's code ("" when a person who stopped texts has none).
	Code string
	// Name is the volunteer with them, or "" when nobody is yet.
	Name string
	// Stopped is true when the person had stopped texts from the line (STOP): they cannot be texted.
	Stopped bool
	// Blocked is true when a volunteer had blocked the person (in chat Code).
	Blocked bool
}

// CoordinatorStopped tells the coordinators on call that a person at risk (who used risk words in
// their request, or within a day before it) texted STOP while waiting or in a chat.
type CoordinatorStopped struct {
	// Code is the request's code.
	Code string
	// Name is the volunteer they were talking to, or "" while they waited.
	Name string
}

// CoordinatorBlocked tells the coordinators on call that a volunteer blocked a person.
type CoordinatorBlocked struct {
	// Code is the chat's code; Name the volunteer's; Days how long the block lasts.
	Code, Name string
	Days       int
}

// CoordinatorEscalate asks the on-call coordinator to help a volunteer now (ESCALATE in a chat).
type CoordinatorEscalate struct {
	// Code is the chat's code.
	Code string
	// Name, ID and Phone are the volunteer's, so the coordinator can call them.
	Name, ID, Phone string
	// InChat is true when the volunteer is in that chat now (false: it has ended).
	InChat bool
}

// VolunteerEscalated tells a volunteer who texted ESCALATE whether a coordinator was reached.
type VolunteerEscalated struct {
	// Name is the coordinator's first name, or "" when nobody is on call.
	Name string
	// InChat is true when the volunteer is in a chat now.
	InChat bool
	// Self is true when the volunteer is the only coordinator on call.
	Self bool
}

// VolunteerOffer offers a volunteer a new request for support.
type VolunteerOffer struct {
	// Code is the short code that stands for the person asking for support.
	Code string
	// Urgent is true when the person used words that may mean they are in danger.
	Urgent bool
	// Earlier is true when they used such words not in this request but in an earlier one, within a day.
	Earlier bool
}

// VolunteerStart tells a volunteer that they are now connected to a person,
// and what the person said first.
type VolunteerStart struct {
	// Code is the short code that stands for the person.
	Code string
	// Body is the first text the person sent.
	Body string
	// Urgent is true when the person used words that may mean they are in danger.
	Urgent bool
	// Earlier is true when they used such words not in this request but in an earlier one, within a day.
	Earlier bool
	// Share is a need the person's words name (such as housing), for a tip to SHARE the line's services
	// for it; empty for none.
	Share string
}

// VolunteerTaken tells a volunteer that the request they tried to accept has
// already been taken by someone else.
type VolunteerTaken struct {
	// Code is the short code of the request.
	Code string
}

// VolunteerNoOffer tells a volunteer that there is no open request to accept, or to pass on.
type VolunteerNoOffer struct {
	// Pass is true when they sent PASS.
	Pass bool
}

// VolunteerPassed confirms that a volunteer has passed on a request.
type VolunteerPassed struct {
	// Code is the short code of the request.
	Code string
}

// VolunteerClosed confirms to a volunteer that their chat is closed.
type VolunteerClosed struct {
	// Code is the short code of the chat.
	Code string
	// Rest is the rest before the next offer, such as "10 minutes"; empty for none. Last is true when
	// the chat was their last for the night (Night chats).
	Rest  string
	Last  bool
	Night int
}

// VolunteerBusy tells a volunteer who is already in a chat that they must
// end it before taking another.
type VolunteerBusy struct {
	// Code is the short code of the chat the volunteer is in.
	Code string
}

// VolunteerOn confirms that a volunteer is now available for requests.
type VolunteerOn struct{}

// VolunteerOff confirms that a volunteer is no longer available for requests.
type VolunteerOff struct {
	// Passed reports whether they held offers, which now go to others.
	Passed bool
}

// VolunteerStatus answers a volunteer's STATUS command.
type VolunteerStatus struct {
	// Available reports whether the volunteer is ON.
	Available bool
	// OnShift reports whether the volunteer is on shift now.
	OnShift bool
	// OnCall reports whether the volunteer is on call now, as a coordinator.
	OnCall bool
	// Code is the short code of the volunteer's current chat, or "" if the
	// volunteer is not in a chat.
	Code string
	// Offers is the number of open requests offered to the volunteer.
	Offers int
	// Resting says how long no offers come, for their wellbeing: "until 23:10" (a rest after a chat),
	// "tonight", "today" or "this week" (their limit is reached); empty when offers may come.
	Resting string
}

// VolunteerMenu lists the commands a volunteer can send.
type VolunteerMenu struct{}

// VolunteerPersonLeft tells a volunteer that the person in their chat has
// stopped messages from the line, so the chat is closed.
type VolunteerPersonLeft struct {
	// Code is the short code of the chat.
	Code string
}

// CoordinatorStatus gives a coordinator a snapshot of the line.
type CoordinatorStatus struct {
	// OnShift is the number of volunteers on shift.
	OnShift int
	// Available is the number of volunteers who are ON and not resting (free or in a chat).
	Available int
	// Chats is the number of open chats.
	Chats int
	// Waiting is the number of people waiting for a peer supporter.
	Waiting int
	// Longest is how long the person who has waited longest has waited, in words ("" if nobody waits).
	Longest string
	// Late is how many people were signposted within the last hour, still offered to anyone free.
	Late int
	// Free, Off and InChat name the volunteers on shift who are free, OFF, or in a chat, such as
	// "Sam, Jo" ("" for nobody).
	Free, Off, InChat string
	// Resting names the volunteers who are ON but kept from offers by their wellbeing limits, each with
	// how long, such as "Ash (tonight), Sam (until 23:10)" ("" for nobody).
	Resting string
}

// Template returns "person_ack".
func (PersonAck) Template() string { return "person_ack" }

// Template returns "person_waiting".
func (PersonWaiting) Template() string { return "person_waiting" }

// Template returns "person_matched".
func (PersonMatched) Template() string { return "person_matched" }

// Template returns "person_fallback".
func (PersonFallback) Template() string { return "person_fallback" }

// Template returns "person_out_of_hours".
func (PersonOutOfHours) Template() string { return "person_out_of_hours" }

// Template returns "person_still_looking".
func (PersonStillLooking) Template() string { return "person_still_looking" }

// Template returns "person_coordinator_asked".
func (PersonCoordinatorAsked) Template() string { return "person_coordinator_asked" }

// Template returns "person_checkin".
func (PersonCheckin) Template() string { return "person_checkin" }

// Template returns "person_late_offer".
func (PersonLateOffer) Template() string { return "person_late_offer" }

// Template returns "volunteer_late_start".
func (VolunteerLateStart) Template() string { return "volunteer_late_start" }

// Template returns "volunteer_debrief_ok".
func (VolunteerDebriefOK) Template() string { return "volunteer_debrief_ok" }

// Template returns "volunteer_talk_asked".
func (VolunteerTalkAsked) Template() string { return "volunteer_talk_asked" }

// Template returns "coordinator_page".
func (CoordinatorPage) Template() string { return "coordinator_page" }

// Template returns "coordinator_talk".
func (CoordinatorTalk) Template() string { return "coordinator_talk" }

// Template returns "volunteer_reminder".
func (VolunteerReminder) Template() string { return "volunteer_reminder" }

// Template returns "volunteer_shift_start".
func (VolunteerShiftStart) Template() string { return "volunteer_shift_start" }

// Template returns "person_closed".
func (PersonClosed) Template() string { return "person_closed" }

// Template returns "relay_to_person".
func (RelayToPerson) Template() string { return "relay_to_person" }

// Template returns "relay_to_volunteer".
func (RelayToVolunteer) Template() string { return "relay_to_volunteer" }

// Template returns "volunteer_offer".
func (VolunteerOffer) Template() string { return "volunteer_offer" }

// Template returns "person_safety".
func (PersonSafety) Template() string { return "person_safety" }

// Template returns "volunteer_risk_note".
func (VolunteerRiskNote) Template() string { return "volunteer_risk_note" }

// Template returns "coordinator_risk".
func (CoordinatorRisk) Template() string { return "coordinator_risk" }

// Template returns "coordinator_stopped".
func (CoordinatorStopped) Template() string { return "coordinator_stopped" }

// Template returns "coordinator_blocked".
func (CoordinatorBlocked) Template() string { return "coordinator_blocked" }

// Template returns "coordinator_escalate".
func (CoordinatorEscalate) Template() string { return "coordinator_escalate" }

// Template returns "volunteer_escalated".
func (VolunteerEscalated) Template() string { return "volunteer_escalated" }

// Template returns "volunteer_start".
func (VolunteerStart) Template() string { return "volunteer_start" }

// Template returns "volunteer_taken".
func (VolunteerTaken) Template() string { return "volunteer_taken" }

// Template returns "volunteer_no_offer".
func (VolunteerNoOffer) Template() string { return "volunteer_no_offer" }

// Template returns "volunteer_passed".
func (VolunteerPassed) Template() string { return "volunteer_passed" }

// Template returns "volunteer_closed".
func (VolunteerClosed) Template() string { return "volunteer_closed" }

// Template returns "volunteer_busy".
func (VolunteerBusy) Template() string { return "volunteer_busy" }

// Template returns "volunteer_on".
func (VolunteerOn) Template() string { return "volunteer_on" }

// Template returns "volunteer_off".
func (VolunteerOff) Template() string { return "volunteer_off" }

// Template returns "volunteer_status".
func (VolunteerStatus) Template() string { return "volunteer_status" }

// Template returns "volunteer_menu".
func (VolunteerMenu) Template() string { return "volunteer_menu" }

// Template returns "volunteer_person_left".
func (VolunteerPersonLeft) Template() string { return "volunteer_person_left" }

// Template returns "coordinator_status".
func (CoordinatorStatus) Template() string { return "coordinator_status" }

// Template returns "person_queued".
func (PersonQueued) Template() string { return "person_queued" }

// Template returns "person_late_ended".
func (PersonLateEnded) Template() string { return "person_late_ended" }

// Template returns "person_opted_in".
func (PersonOptedIn) Template() string { return "person_opted_in" }

// Template returns "person_help".
func (PersonHelp) Template() string { return "person_help" }

// Template returns "volunteer_back".
func (VolunteerBack) Template() string { return "volunteer_back" }

// Template returns "slow_down".
func (SlowDown) Template() string { return "slow_down" }

// Template returns "person_chat_ended".
func (PersonChatEnded) Template() string { return "person_chat_ended" }

// Template returns "person_blocked".
func (PersonBlocked) Template() string { return "person_blocked" }

// Template returns "volunteer_blocked".
func (VolunteerBlocked) Template() string { return "volunteer_blocked" }

// Template returns "coordinator_repeat".
func (CoordinatorRepeat) Template() string { return "coordinator_repeat" }

// Template returns "person_chat_idle".
func (PersonChatIdle) Template() string { return "person_chat_idle" }

// Template returns "volunteer_chat_idle".
func (VolunteerChatIdle) Template() string { return "volunteer_chat_idle" }

// Template returns "media_note".
func (MediaNote) Template() string { return "media_note" }

// Template returns "person_welcome".
func (PersonWelcome) Template() string { return "person_welcome" }

// Template returns "person_try_again".
func (PersonTryAgain) Template() string { return "person_try_again" }

// Template returns "volunteer_offer_late".
func (VolunteerOfferLate) Template() string { return "volunteer_offer_late" }

// Template returns "volunteer_next_none".
func (VolunteerNextNone) Template() string { return "volunteer_next_none" }

// Template returns "volunteer_next_off".
func (VolunteerNextOff) Template() string { return "volunteer_next_off" }

// Template returns "volunteer_moved_on".
func (VolunteerMovedOn) Template() string { return "volunteer_moved_on" }

// Template returns "volunteer_code_held".
func (VolunteerCodeHeld) Template() string { return "volunteer_code_held" }

// Template returns "volunteer_try_again".
func (VolunteerTryAgain) Template() string { return "volunteer_try_again" }

// Template returns "coordinator_busy".
func (CoordinatorBusy) Template() string { return "coordinator_busy" }

// Sample values used by Samples.
const (
	sampleName       = "Sam"
	sampleCode       = "R7K2"
	samplePersonBody = "can't sleep, really want a drink. been 40 days and i don't want to throw it away"
	sampleVolBody    = "I'm glad you texted. I've been there too. What's keeping you up tonight?"
)

// Samples returns one sample of every Message type (used by tests and by
// Load's check). The samples use realistic data: the name "Sam", the code
// "R7K2" and message bodies of a realistic length. Each call returns a new
// slice, in a fixed order.
func Samples() []Message {
	return append([]Message{
		PersonAck{},
		PersonWaiting{},
		PersonMatched{Name: sampleName},
		PersonFallback{Service: &ServiceText{Name: "West Kent Housing Advice", Phone: "01732 123456", Opens: "opens 09:00 tomorrow"}},
		PersonOutOfHours{Opens: "17:00 on Wednesday", Service: &ServiceText{Name: "West Kent Housing Advice",
			Phone: "01732 123456", Opens: "opens 09:00 tomorrow"}, Events: []EventText{{When: "Sat 11:00-13:00",
			Title: "Recovery cafe", Place: "St John's Hall"}}},
		PersonClosedCrisis{Opens: "17:00 on Wednesday", Asked: true},
		PersonRequeued{},
		CoordinatorVolunteerStopped{Name: "Alexandra", ID: "v12", Code: sampleCode, New: "R9KX", Urgent: true},
		PersonClosed{Name: sampleName},
		RelayToPerson{Name: sampleName, Body: sampleVolBody},
		RelayToVolunteer{Code: sampleCode, Body: samplePersonBody},
		VolunteerOffer{Code: sampleCode, Urgent: true, Earlier: true},
		VolunteerStart{Code: sampleCode, Body: samplePersonBody, Urgent: true, Earlier: true},
		VolunteerTaken{Code: sampleCode},
		VolunteerNoOffer{Pass: true},
		VolunteerPassed{Code: sampleCode},
		VolunteerClosed{Code: sampleCode, Last: true, Night: 3},
		VolunteerBusy{Code: sampleCode},
		VolunteerOn{},
		VolunteerOff{Passed: true},
		VolunteerStatus{Available: true, OnShift: true, Code: sampleCode, Offers: 1, Resting: "until 23:10"},
		VolunteerMenu{},
		VolunteerPersonLeft{Code: sampleCode},
		CoordinatorStopped{Code: sampleCode, Name: sampleName},
		CoordinatorStatus{OnShift: 4, Available: 2, Chats: 2, Waiting: 3, Longest: "12 minutes", Late: 2,
			Free: "Sam", Off: "Alexandra", InChat: "Jo, Ashley (v4), Kim (on call)", Resting: "Ashley (v9, tonight)"},
		PersonStillLooking{},
		PersonCoordinatorAsked{First: true},
		PersonQueued{},
		PersonLateEnded{},
		PersonTryAgain{},
		PersonWelcome{},
		MediaNote{WithText: true},
		SlowDown{},
		PersonChatEnded{},
		PersonBlocked{},
		VolunteerBlocked{Code: sampleCode, Days: 7},
		CoordinatorRepeat{Code: sampleCode, Count: 5, Hours: 48},
		PersonChatIdle{Name: sampleName},
		VolunteerChatIdle{Code: sampleCode},
		PersonOptedIn{},
		PersonHelp{},
		VolunteerBack{},
		PersonSafety{Finding: true},
		VolunteerRiskNote{Code: sampleCode},
		CoordinatorRisk{Code: sampleCode, Name: sampleName},
		CoordinatorBlocked{Code: sampleCode, Name: sampleName, Days: 7},
		CoordinatorEscalate{Code: sampleCode, Name: sampleName, ID: "v12", Phone: "07700 900123", InChat: true},
		VolunteerEscalated{Name: "Kim", InChat: true},
		VolunteerOfferLate{Code: sampleCode, Waited: "25 minutes", Urgent: true},
		VolunteerNextNone{Passed: sampleCode},
		VolunteerNextOff{Done: "this week"},
		VolunteerMovedOn{Code: sampleCode},
		VolunteerCodeHeld{},
		VolunteerTryAgain{},
		CoordinatorBusy{Waiting: 3, Waited: "12 minutes"},
		PersonCheckin{Events: []EventText{{When: "Sat 11:00-13:00", Title: "Recovery cafe", Place: "St John's Hall"}}},
		PersonCheckinThanks{Better: true},
		CheckinNote{Struggling: true},
		PersonFeedbackAsk{},
		PersonFeedbackThanks{},
		PersonLateOffer{Name: sampleName},
		VolunteerLateStart{Code: sampleCode, Body: samplePersonBody},
		VolunteerDebriefOK{},
		VolunteerTalkAsked{}, // the longer of its two wordings
		CoordinatorPage{Code: sampleCode, Waited: "10 minutes", Urgent: true},
		CoordinatorTalk{Name: sampleName, ID: "v12", Phone: "07700 900123", Code: sampleCode},
		VolunteerReminder{Start: "22:00", End: "02:00"},
		VolunteerShiftStart{End: "02:00"},
	}, append(coverSamples(), communitySamples()...)...)
}

// Known reports whether name (such as "person_checkin") is the name of one of the bot's templates.
func Known(name string) bool {
	for _, m := range Samples() {
		if m.Template() == name {
			return true
		}
	}
	return false
}
