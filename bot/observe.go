package bot

import "time"

// Kinds of inbound message an Observer hears of: a small fixed set, so that metrics labelled by kind
// stay few.
const (
	KindNewRequest = "new_request"     // a person's text that opened a request
	KindRelay      = "relay"           // a text in a chat, passed to the other side
	KindCommand    = "command"         // a volunteer's or coordinator's text that was not relayed (ACCEPT, DONE, ...)
	KindRisk       = "risk"            // a person's text with risk words, whatever else it did
	KindPerson     = "person"          // a person's other texts: while waiting, HELP, thanks, STOP, line closed, flooding
	KindDuplicate  = "duplicate"       // a repeated delivery of a message already handled
	KindStatus     = "status_callback" // a delivery status from Twilio
)

// Escalation steps an Observer hears of.
const (
	StepWiden    = "widen"    // a request's first tier ended: everyone free is offered it
	StepPage     = "page"     // an on-call coordinator was paged about a request
	StepGiveUp   = "giveup"   // nobody took a request in time (or everyone passed): the person got the signpost
	StepSignpost = "signpost" // nobody on shift or on call when the person texted: the signpost at once
)

// Observer hears what the bot did, for the service's metrics: kinds, steps and durations only, never
// a number, a code or a text. It hears of a change only once it is committed. Its methods must be
// quick and safe for concurrent use. It has four methods, one per thing the bot alone knows; splitting
// it would only make the wiring longer.
type Observer interface {
	Handled(kind string)                     // an inbound message was acted on (or ignored as a repeat)
	Escalated(step string)                   // a request took an escalation step
	Connected(waited time.Duration)          // a volunteer's ACCEPT claimed a waiting request this long after the person's first text
	DueLate(kind string, late time.Duration) // due work of kind was claimed this long after it was due
}

// Observe makes o hear what bt does from now on, and returns bt. Call it before bt handles anything.
func (bt *Bot) Observe(o Observer) *Bot {
	bt.obs = o
	return bt
}

type noObserver struct{}

func (noObserver) Handled(string)                {}
func (noObserver) Escalated(string)              {}
func (noObserver) Connected(time.Duration)       {}
func (noObserver) DueLate(string, time.Duration) {}

// observed tells the observer what a committed turn did; handled is set for an inbound message's turn.
func (bt *Bot) observed(t *turn, handled bool) {
	if handled {
		kind := t.kind
		switch {
		case t.risky:
			kind = KindRisk
		case kind != "":
		case t.fields["volunteer"] != nil:
			kind = KindCommand
		default:
			kind = KindPerson
		}
		bt.obs.Handled(kind)
	}
	for _, s := range t.steps {
		bt.obs.Escalated(s)
	}
	if t.connected {
		bt.obs.Connected(t.waited)
	}
}
