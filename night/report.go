package night

import (
	"fmt"
	"io"
	"time"
)

// Report is what the people and volunteers of one night lived through.
type Report struct {
	Options Options

	People     int // who texted
	Connected  int // got a peer: "is here for you", or answered a late "free to talk now"
	Signposted int // got the signpost (Samaritans 116 123) while waiting
	// SignpostedThenConnected counts the signposted who answered a late offer (they are in Connected too).
	SignpostedThenConnected int
	ConnectedShare          float64
	SignpostedShare         float64

	// ToHuman is the time from a person's first text to a human: the "is here for you" text, or the
	// late offer they answered. Over the connected only.
	ToHuman Durations
	// NoHumanWithin counts people without a human within Options.WaitOver of their first text:
	// ConnectedAfter of them got one later, the rest never did.
	NoHumanWithin, ConnectedAfter int

	Pages          int // coordinators paged
	PagesWhileBusy int // of them, pages to a coordinator in a chat

	// Texts from the line per phone, relayed chat messages included; Notices leave those out.
	TextsPerPerson, NoticesPerPerson       Spread
	TextsPerVolunteer, NoticesPerVolunteer Spread // volunteers on shift, not coordinators
	OffersPerVolunteer                     Spread
	TakenPerVolunteer                      Spread // "already taken" notes
	DangerPerPerson                        Spread // texts saying "call 999"

	// SignpostedIdle, the key figure, counts the signposted while a volunteer (not a coordinator) was
	// free at some moment between their first text and the signpost, and was never offered their
	// request before it. Free means, by the model's own bookkeeping, on shift, not in a chat and with
	// no other offer to answer (the line is not waiting on them about someone else).
	SignpostedIdle int
	IdleCases      []Case // every free volunteer never offered, for each of SignpostedIdle
	// SignpostedFree counts the other signposted people for whom a volunteer was out of a chat at some
	// moment but answering another person's offer then (and took it, or was in a chat by the time the
	// request was offered wider): one case each in FreeCases.
	SignpostedFree int
	FreeCases      []Case

	Violations Violations
	Seen       Seen

	Unrecognised []Text        // the first texts the night did not recognise
	Took         time.Duration // virtual time from the start to the last step
	Overran      bool          // the night stopped at its deadline with someone still waiting or in a chat
	StillWaiting int           // people with neither a human nor the signpost at the end
}

// Case is a person signposted while a volunteer was free who was never offered their request; times
// are from the start of the night.
type Case struct {
	Person, Code, Volunteer  string
	Texted, Free, Signposted time.Duration
}

// Violations are the hard guarantees; each must be 0.
type Violations struct {
	TwoVolunteers int // requests connected to two or more volunteers
	TwoChats      int // a volunteer connected to a request while in a chat
	NumberInText  int // texts carrying a phone number
	NoReply       int // people who got no text at all after their first
}

// Total is the number of violations of any kind.
func (v Violations) Total() int { return v.TwoVolunteers + v.TwoChats + v.NumberInText + v.NoReply }

// Seen counts behaviour worth a look that no guarantee covers.
type Seen struct {
	CodesToPeople      int // texts to people carrying a request code
	SignpostedAtOnce   int // people whose first answer was the signpost
	Refused            int // webhooks answered with an error
	BusyReplies        int // "You're already in chat" to a volunteer who accepted in a chat
	MatchedTwice       int // a person told twice that someone is here for them
	SignpostedTwice    int
	ClosedNeverStarted int // "has closed this chat" to a person who never answered the late offer
	HelpNotes          int // "the line needs help" to a coordinator in a chat
	CodeHeld           int // a volunteer's text held back because it named a request
	TryAgain           int // "please send it again": a message the line could not act on
	ToStranger         int // texts to a number that is nobody in the night
	Unrecognised       int // texts the night did not recognise
}

// oddities are the counters the model keeps as texts come in.
type oddities struct {
	TwoChats, NumberInText, MatchedTwice, SignpostedTwice, ClosedNeverStarted, ToStranger, Unrecognised int
	CodeHeld, TryAgain                                                                                  int
}

// Durations sum up a set of times.
type Durations struct{ Median, P90, Max time.Duration }

// Spread sums up a count per phone.
type Spread struct {
	Mean float64
	Max  int
}

// Print writes the report as plain lines.
func (r Report) Print(w io.Writer) {
	o := r.Options
	fmt.Fprintf(w, "night: %d volunteers on shift, %d coordinators on call; %s; accept %.2f, pass %.2f (after %s, %s), chats %s, reply-late %.2f\n",
		o.Volunteers, o.Coordinators, arrivalsText(o), o.Accept, o.Pass, o.AcceptAfter, o.PassAfter, o.Chat, o.ReplyLate)
	fmt.Fprintf(w, "timings: OFFER_TIMEOUT %s, ESCALATE_TIMEOUT %s, GIVE_UP_TIMEOUT %s, FIRST_OFFERS %d; seed %d\n",
		o.OfferTimeout, o.Escalate, o.GiveUp, o.FirstOffers, o.Seed)
	row := func(name, format string, a ...any) {
		fmt.Fprintf(w, "  %-48s "+format+"\n", append([]any{name}, a...)...)
	}
	row("people", "%d", r.People)
	row("connected to a peer", "%d (%.0f%%)", r.Connected, 100*r.ConnectedShare)
	row("signposted while waiting", "%d (%.0f%%), later connected after all: %d", r.Signposted, 100*r.SignpostedShare,
		r.SignpostedThenConnected)
	row("time to a human (connected)", "median %s, p90 %s, max %s", sec(r.ToHuman.Median), sec(r.ToHuman.P90), sec(r.ToHuman.Max))
	row(fmt.Sprintf("no human within %s", sec(o.WaitOver)), "%d (got one later: %d, never: %d)", r.NoHumanWithin,
		r.ConnectedAfter, r.NoHumanWithin-r.ConnectedAfter)
	row("pages to coordinators", "%d (to one in a chat: %d)", r.Pages, r.PagesWhileBusy)
	row("texts per person", "mean %.1f, max %d (not counting chat: mean %.1f, max %d)", r.TextsPerPerson.Mean,
		r.TextsPerPerson.Max, r.NoticesPerPerson.Mean, r.NoticesPerPerson.Max)
	row(`"call 999" texts per person`, "mean %.1f, max %d", r.DangerPerPerson.Mean, r.DangerPerPerson.Max)
	row("texts per volunteer", "mean %.1f, max %d (not counting chat: mean %.1f, max %d)", r.TextsPerVolunteer.Mean,
		r.TextsPerVolunteer.Max, r.NoticesPerVolunteer.Mean, r.NoticesPerVolunteer.Max)
	row("offers per volunteer", "mean %.1f, max %d", r.OffersPerVolunteer.Mean, r.OffersPerVolunteer.Max)
	row(`"already taken" notes per volunteer`, "mean %.1f, max %d", r.TakenPerVolunteer.Mean, r.TakenPerVolunteer.Max)
	row("SIGNPOSTED WHILE A FREE VOLUNTEER WAS NEVER OFFERED", "%d (must be 0; free: on shift, not in a chat, no other offer to answer)", r.SignpostedIdle)
	printCases(w, r.IdleCases, "was free")
	row("signposted, a volunteer busy with another offer", "%d (out of a chat, but deciding on someone else's offer then)", r.SignpostedFree)
	printCases(w, r.FreeCases, "was answering another offer")
	v := r.Violations
	row("hard guarantees broken (must be 0)", "%d: request with two volunteers %d, volunteer in two chats %d, phone number in a text %d, person with no reply %d",
		v.Total(), v.TwoVolunteers, v.TwoChats, v.NumberInText, v.NoReply)
	s := r.Seen
	row("also seen", "signposted as their first answer %d, request codes in texts to people %d, webhooks refused %d,",
		s.SignpostedAtOnce, s.CodesToPeople, s.Refused)
	row("", "'already in chat' replies %d, told twice a peer is here %d, signposted twice %d,", s.BusyReplies,
		s.MatchedTwice, s.SignpostedTwice)
	row("", "'closed' a chat that never started %d, texts to numbers not in the night %d,", s.ClosedNeverStarted, s.ToStranger)
	row("", "'the line needs help' to a coordinator in a chat %d, texts held back for a code %d, 'send it again' %d",
		s.HelpNotes, s.CodeHeld, s.TryAgain)
	row("virtual time played", "%s%s", sec(r.Took), map[bool]string{true: fmt.Sprintf(" (stopped at the deadline, %d still waiting)", r.StillWaiting)}[r.Overran])
	if s.Unrecognised > 0 {
		row("texts not recognised (update night/phrases.go?)", "%d, such as:", s.Unrecognised)
		for _, t := range r.Unrecognised {
			fmt.Fprintf(w, "    %q\n", t.Body)
		}
	}
}

// printCases writes up to five cases, each with what the volunteer was doing.
func printCases(w io.Writer, cases []Case, doing string) {
	for i, c := range cases {
		if i == 5 {
			fmt.Fprintf(w, "    and %d more\n", len(cases)-i)
			break
		}
		fmt.Fprintf(w, "    %s (%s) texted at +%s, %s %s at +%s and was never offered it, signposted at +%s\n",
			c.Person, c.Code, sec(c.Texted), c.Volunteer, doing, sec(c.Free), sec(c.Signposted))
	}
}

func arrivalsText(o Options) string {
	if o.ArrivalsPerHour > 0 {
		return fmt.Sprintf("%g people an hour for %s", o.ArrivalsPerHour, o.For)
	}
	return fmt.Sprintf("%d people over %s", o.People, o.Over)
}

// sec rounds d to the second for printing.
func sec(d time.Duration) time.Duration { return d.Round(time.Second) }
