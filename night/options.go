package night

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"time"
)

// Options are the night's scenario and the volunteers' response model. Defaults gives the busy
// Christmas Eve of issue 9.
type Options struct {
	Volunteers   int // volunteers on shift all night
	Coordinators int // coordinators on call all night (paged; they answer pages like volunteers answer offers)

	People int           // people who text, at uniform random times within Over...
	Over   time.Duration // ...unless ArrivalsPerHour is set
	// ArrivalsPerHour, when above 0, replaces People and Over: people text as a Poisson process of
	// this rate for For.
	ArrivalsPerHour float64
	For             time.Duration

	Accept, Pass float64 // chances a volunteer accepts or passes an offer; the rest miss it
	AcceptAfter  Range   // how long a volunteer takes to reply ACCEPT
	PassAfter    Range   // how long a volunteer takes to reply PASS
	Chat         Range   // how long a volunteer stays in a chat before sending DONE
	ReplyLate    float64 // chance a signposted person answers a late "free to talk now" text

	OfferTimeout, Escalate, GiveUp time.Duration // the service's OFFER_TIMEOUT, ESCALATE_TIMEOUT, GIVE_UP_TIMEOUT
	FirstOffers                    int           // the service's FIRST_OFFERS
	// Rest and NightChats are the service's REST_AFTER_CHAT (0: none) and NIGHT_CHATS (0: 1000, the
	// most it takes). A volunteer resting, or at their limit, is not free.
	Rest       time.Duration
	NightChats int

	WaitOver time.Duration // the report counts people without a human within this long
	Seed     uint64        // seeds every random draw: one seed, one night
	Start    time.Time     // the virtual time the night starts
	Trace    io.Writer     // if set, gets every text of the night as a line, names instead of numbers
}

// Defaults returns the scenario of issue 9: six volunteers and a coordinator, 25 people in three
// minutes, timings of 30 s, 1 min and 2 min, starting on Christmas Eve at 22:00 in London.
func Defaults() Options {
	return Options{
		Volunteers: 6, Coordinators: 1, People: 25, Over: 3 * time.Minute, For: time.Hour,
		Accept: 0.5, Pass: 0.3,
		AcceptAfter: Range{5 * time.Second, time.Minute}, PassAfter: Range{5 * time.Second, 30 * time.Second},
		Chat: Range{2 * time.Minute, 10 * time.Minute}, ReplyLate: 0.7,
		// Issue 9's timings are a tenth of the line's defaults; so is the rest (1 minute for 10).
		OfferTimeout: 30 * time.Second, Escalate: time.Minute, GiveUp: 2 * time.Minute, FirstOffers: 2,
		Rest: time.Minute, NightChats: 3,
		WaitOver: 10 * time.Minute, Seed: 1,
		Start: time.Date(2026, 12, 24, 22, 0, 0, 0, time.UTC), // London keeps UTC in December
	}
}

// Flags registers the options on fs, each name with prefix (such as "night."), with o's values as
// defaults.
func (o *Options) Flags(fs *flag.FlagSet, prefix string) {
	fs.IntVar(&o.Volunteers, prefix+"volunteers", o.Volunteers, "volunteers on shift all night")
	fs.IntVar(&o.Coordinators, prefix+"coordinators", o.Coordinators, "coordinators on call all night")
	fs.IntVar(&o.People, prefix+"people", o.People, "people who text, at random times within -over")
	fs.DurationVar(&o.Over, prefix+"over", o.Over, "the window in which -people text")
	fs.Float64Var(&o.ArrivalsPerHour, prefix+"arrivals-per-hour", o.ArrivalsPerHour,
		"if above 0: people text at this average rate (Poisson) for -for, instead of -people/-over")
	fs.DurationVar(&o.For, prefix+"for", o.For, "how long people keep texting at -arrivals-per-hour")
	fs.Float64Var(&o.Accept, prefix+"accept", o.Accept, "chance a volunteer accepts an offer")
	fs.Float64Var(&o.Pass, prefix+"pass", o.Pass, "chance a volunteer passes an offer (the rest miss it)")
	fs.Var(&o.AcceptAfter, prefix+"accept-after", "how long a volunteer takes to accept, such as 5s-60s")
	fs.Var(&o.PassAfter, prefix+"pass-after", "how long a volunteer takes to pass, such as 5s-30s")
	fs.Var(&o.Chat, prefix+"chat", "how long a chat lasts before the volunteer sends DONE, such as 2m-10m")
	fs.Float64Var(&o.ReplyLate, prefix+"reply-late", o.ReplyLate,
		"chance a signposted person answers a late 'free to talk now' text")
	fs.DurationVar(&o.OfferTimeout, prefix+"offer-timeout", o.OfferTimeout, "the service's OFFER_TIMEOUT (30s or more)")
	fs.DurationVar(&o.Escalate, prefix+"escalate", o.Escalate, "the service's ESCALATE_TIMEOUT (1m or more)")
	fs.DurationVar(&o.GiveUp, prefix+"give-up", o.GiveUp, "the service's GIVE_UP_TIMEOUT (1m or more)")
	fs.IntVar(&o.FirstOffers, prefix+"first-offers", o.FirstOffers, "the service's FIRST_OFFERS")
	fs.DurationVar(&o.Rest, prefix+"rest", o.Rest, "the service's REST_AFTER_CHAT (0: none)")
	fs.IntVar(&o.NightChats, prefix+"night-chats", o.NightChats, "the service's NIGHT_CHATS (0: 1000, the most it takes)")
	fs.DurationVar(&o.WaitOver, prefix+"wait-over", o.WaitOver, "report how many had no human within this long")
	fs.Uint64Var(&o.Seed, prefix+"seed", o.Seed, "seed of every random draw")
}

// Validate reports every option out of range at once.
func (o Options) Validate() error {
	var errs []error
	bad := func(format string, a ...any) { errs = append(errs, fmt.Errorf(format, a...)) }
	if o.Volunteers < 0 || o.Volunteers > maxVolunteers {
		bad("volunteers %d: 0 to %d", o.Volunteers, maxVolunteers)
	}
	if o.Coordinators < 0 || o.Coordinators > maxCoordinators {
		bad("coordinators %d: 0 to %d", o.Coordinators, maxCoordinators)
	}
	if o.ArrivalsPerHour < 0 || o.ArrivalsPerHour > 0 && o.For <= 0 {
		bad("arrivals-per-hour %g for %s: a rate of 0 or more, for a positive duration", o.ArrivalsPerHour, o.For)
	}
	if o.ArrivalsPerHour == 0 && (o.People < 0 || o.People > maxPeople || o.Over <= 0) {
		bad("people %d over %s: 0 to %d people over a positive duration", o.People, o.Over, maxPeople)
	}
	if o.Accept < 0 || o.Pass < 0 || o.Accept+o.Pass > 1 || o.ReplyLate < 0 || o.ReplyLate > 1 {
		bad("accept %g, pass %g, reply-late %g: chances from 0 to 1, accept+pass at most 1", o.Accept, o.Pass, o.ReplyLate)
	}
	for name, r := range map[string]Range{"accept-after": o.AcceptAfter, "pass-after": o.PassAfter, "chat": o.Chat} {
		if r.Min < time.Second || r.Max < r.Min {
			bad("%s %s: from at least 1s to no less than that", name, r)
		}
	}
	if o.OfferTimeout < 30*time.Second || o.Escalate < time.Minute || o.GiveUp < time.Minute ||
		o.OfferTimeout >= o.Escalate || o.Escalate >= o.GiveUp {
		bad("offer-timeout %s, escalate %s, give-up %s: at least 30s, 1m and 1m, increasing", o.OfferTimeout, o.Escalate, o.GiveUp)
	}
	if o.FirstOffers < 1 || o.FirstOffers > 1000 {
		bad("first-offers %d: 1 to 1000", o.FirstOffers)
	}
	if o.Rest != 0 && o.Rest < time.Minute || o.NightChats < 0 || o.NightChats > 1000 {
		bad("rest %s, night-chats %d: a rest of 0 or at least 1m, and 0 to 1000 chats", o.Rest, o.NightChats)
	}
	slices.SortFunc(errs, func(a, b error) int { return strings.Compare(a.Error(), b.Error()) }) // maps have no order
	return errors.Join(errs...)
}

// Env returns the service settings the scenario needs.
func (o Options) Env() map[string]string {
	return map[string]string{
		"OFFER_TIMEOUT": o.OfferTimeout.String(), "ESCALATE_TIMEOUT": o.Escalate.String(),
		"GIVE_UP_TIMEOUT": o.GiveUp.String(), "FIRST_OFFERS": fmt.Sprint(o.FirstOffers),
		"REST_AFTER_CHAT": o.Rest.String(), "NIGHT_CHATS": fmt.Sprint(o.nightChats()),
	}
}

// nightChats is the service's NIGHT_CHATS.
func (o Options) nightChats() int {
	if o.NightChats == 0 {
		return 1000
	}
	return o.NightChats
}

// arrivals draws when each person first texts, as offsets from the start, in whole seconds, sorted.
// A Poisson process of ArrivalsPerHour for For, or People uniform within Over.
func (o Options) arrivals(r *rand.Rand) ([]time.Duration, error) {
	var out []time.Duration
	if o.ArrivalsPerHour > 0 {
		mean := float64(time.Hour) / o.ArrivalsPerHour
		for t := time.Duration(r.ExpFloat64() * mean); t < o.For; t += time.Duration(r.ExpFloat64() * mean) {
			out = append(out, t.Truncate(time.Second))
		}
	} else {
		for range o.People {
			out = append(out, time.Duration(r.Int64N(int64(o.Over))).Truncate(time.Second))
		}
	}
	if len(out) > maxPeople {
		return nil, fmt.Errorf("%d people would text, more than the %d numbers the night has", len(out), maxPeople)
	}
	slices.Sort(out)
	return out, nil
}

// Range is a span of durations a draw is uniform in, written "5s-60s" on the command line.
type Range struct{ Min, Max time.Duration }

// String writes r as a flag takes it.
func (r Range) String() string {
	return r.Min.String() + "-" + r.Max.String()
}

// Set reads "5s-60s", or a single duration for a fixed one.
func (r *Range) Set(s string) error {
	lo, hi, found := strings.Cut(s, "-")
	if !found {
		hi = lo
	}
	min, err1 := time.ParseDuration(strings.TrimSpace(lo))
	max, err2 := time.ParseDuration(strings.TrimSpace(hi))
	if err := errors.Join(err1, err2); err != nil {
		return fmt.Errorf("range %q: write two durations such as 5s-60s: %w", s, err)
	}
	r.Min, r.Max = min, max
	return nil
}

// draw returns a uniform duration in r, in whole seconds.
func (r Range) draw(rng *rand.Rand) time.Duration {
	lo, hi := int64(r.Min/time.Second), int64(math.Ceil(float64(r.Max)/float64(time.Second)))
	if hi <= lo {
		return time.Duration(lo) * time.Second
	}
	return time.Duration(lo+rng.Int64N(hi-lo+1)) * time.Second
}
