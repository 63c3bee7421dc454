package night

import (
	"strings"
	"unicode"
)

// The phrases the night recognises the line's texts by, each from one template of
// templates/templates, matched regardless of case. When the wording changes, change them here
// (phrases_test.go checks each is still in its template).
const (
	// To volunteers and coordinators.
	phraseOffer     = "reply ACCEPT"                      // volunteer_offer (and coordinator_page)
	phrasePage      = "nobody has taken it"               // coordinator_page
	phraseStart     = "You're connected to"               // volunteer_start
	phraseLateStart = "was given other help numbers"      // volunteer_late_start
	phraseTaken     = "already been taken"                // volunteer_taken
	phraseBusy      = "in chat"                           // volunteer_busy ("You're already in chat R7K2")
	phraseClosed    = "is closed"                         // volunteer_closed, volunteer_person_left
	phrasePassed    = "you've passed on"                  // volunteer_passed
	phraseNoOffer   = "no open request for you to accept" // volunteer_no_offer
	phraseMovedOn   = "has moved on"                      // volunteer_moved_on
	phraseHelp      = "the line needs help"               // coordinator_busy
	phraseCodeHeld  = "wasn't passed on"                  // volunteer_code_held
	phraseTryAgain  = "please send it again"              // volunteer_try_again

	// To people.
	phraseSignpost     = "couldn't find a peer supporter for you right now" // person_fallback, with the Samaritans' number
	samaritans         = "116 123"
	phraseAck          = "We're finding a peer supporter" // person_ack
	phraseQueued       = "all with someone"               // person_queued
	phraseWaiting      = "we've got that"                 // person_waiting
	phraseLateEnded    = "whenever you need us"           // person_late_ended
	phrasePersonAgain  = "please text again"              // person_try_again
	phraseStillLooking = "still looking"                  // person_still_looking
	phraseAsked        = "asked our coordinator"          // person_coordinator_asked
	phraseMatched      = "is here for you"                // person_matched
	phraseLateOffer    = "is free to talk now"            // person_late_offer
	phrasePersonClosed = "has closed this chat"           // person_closed
	phraseDanger       = "call 999"                       // person_ack and other texts to people waiting

	codeAlphabet = "34679ACDEFGHJKMNPQRTUVWXY" // request codes are R and three of these
)

// What the model's phones say. None is a command word, a request code or a number.
const (
	firstWords     = "hi, I can't sleep and I really want a drink tonight"
	volunteerWords = "I'm here with you. How are you doing right now?"
	personWords    = "thanks, it helps to have someone to talk to"
	lateWords      = "yes please, I'm still here"
)

// Words returns everything the model's people and volunteers write, so a test can check that none of
// it reached a log.
func Words() []string { return []string{firstWords, volunteerWords, personWords, lateWords} }

// kind is what a text from the line says. Within one step a phone reads its texts in this order.
type kind int

const (
	kindUnknown kind = iota
	// to volunteers and coordinators
	kindClosed
	kindTaken
	kindPassed
	kindNoOffer
	kindBusy
	kindStart
	kindLateStart
	kindOffer
	kindPage
	kindMovedOn
	kindHelp
	kindCodeHeld
	kindTryAgain
	kindFromPerson // a person's text relayed: "R7K2: ..."
	// to people
	kindAck
	kindQueued
	kindStillLooking
	kindWaiting
	kindAsked
	kindSignpost
	kindLateOffer
	kindMatched
	kindFromVolunteer // a volunteer's text relayed: "Vol1: ..."
	kindPersonClosed
	kindLateEnded
)

// phrase recognises one kind of text.
type phrase struct {
	kind     kind
	text     string
	template string // the template file it comes from, for the test; "" if none has it yet
}

// volunteerPhrases are tried in order on a text to a volunteer or coordinator.
func volunteerPhrases() []phrase {
	return []phrase{
		{kindPage, phrasePage, "coordinator_page"}, {kindOffer, phraseOffer, "volunteer_offer"},
		{kindLateStart, phraseLateStart, "volunteer_late_start"}, {kindStart, phraseStart, "volunteer_start"},
		{kindTaken, phraseTaken, "volunteer_taken"}, {kindBusy, phraseBusy, "volunteer_busy"},
		{kindClosed, phraseClosed, "volunteer_closed"}, {kindClosed, phraseClosed, "volunteer_person_left"},
		{kindPassed, phrasePassed, "volunteer_passed"}, {kindNoOffer, phraseNoOffer, "volunteer_no_offer"},
		{kindMovedOn, phraseMovedOn, "volunteer_moved_on"}, {kindHelp, phraseHelp, "coordinator_busy"},
		{kindCodeHeld, phraseCodeHeld, "volunteer_code_held"}, {kindTryAgain, phraseTryAgain, "volunteer_try_again"},
	}
}

// personPhrases are tried in order on a text to a person.
func personPhrases() []phrase {
	return []phrase{
		{kindSignpost, phraseSignpost, "person_fallback"}, {kindMatched, phraseMatched, "person_matched"},
		{kindLateOffer, phraseLateOffer, "person_late_offer"}, {kindPersonClosed, phrasePersonClosed, "person_closed"},
		{kindLateEnded, phraseLateEnded, "person_late_ended"}, {kindTryAgain, phrasePersonAgain, "person_try_again"},
		{kindAck, phraseAck, "person_ack"}, {kindQueued, phraseQueued, "person_queued"},
		{kindWaiting, phraseWaiting, "person_waiting"}, {kindStillLooking, phraseStillLooking, "person_still_looking"},
		{kindAsked, phraseAsked, "person_coordinator_asked"},
	}
}

// classifyVolunteer names a text to a volunteer or coordinator.
func classifyVolunteer(body string) kind {
	if c := findCode(body); c != "" && strings.HasPrefix(body, c+":") {
		return kindFromPerson
	}
	return match(body, volunteerPhrases())
}

// classifyPerson names a text to a person; names are the volunteers' and coordinators'.
func classifyPerson(body string, names []string) kind {
	for _, n := range names {
		if strings.HasPrefix(body, n+": ") {
			return kindFromVolunteer
		}
	}
	k := match(body, personPhrases())
	if k == kindSignpost && !strings.Contains(body, samaritans) {
		return kindUnknown
	}
	return k
}

func match(body string, phrases []phrase) kind {
	body = strings.ToLower(body)
	for _, p := range phrases {
		if strings.Contains(body, strings.ToLower(p.text)) {
			return p.kind
		}
	}
	return kindUnknown
}

// findCode returns the first request code in body (R and three characters of the code alphabet, as
// a word of its own), or "".
func findCode(body string) string {
	for _, f := range strings.FieldsFunc(body, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) }) {
		if len(f) == 4 && f[0] == 'R' && strings.Trim(f[1:], codeAlphabet) == "" {
			return f
		}
	}
	return ""
}

// hasPhoneNumber reports whether body holds something like a phone number: a + or a 0 followed by
// at least nine more digits, single spaces between them allowed.
func hasPhoneNumber(body string) bool {
	for i := 0; i < len(body); i++ {
		if body[i] != '+' && body[i] != '0' || i > 0 && isDigit(body[i-1]) {
			continue
		}
		if digitsFrom(strings.TrimPrefix(body[i+1:], " ")) >= 9 {
			return true
		}
	}
	return false
}

// digitsFrom counts the digits at the start of s, single spaces between them allowed.
func digitsFrom(s string) int {
	n := 0
	for i := 0; i < len(s); i++ {
		switch {
		case isDigit(s[i]):
			n++
		case s[i] == ' ' && n > 0 && i+1 < len(s) && isDigit(s[i+1]):
		default:
			return n
		}
	}
	return n
}

func isDigit(b byte) bool { return '0' <= b && b <= '9' }
