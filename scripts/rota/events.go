package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"strings"
	"text/tabwriter"

	"peerline/community"
	"peerline/rota"
)

var eventsAddCmd = command{
	name:     "events add",
	synopsis: "-title TITLE (-day DAY | -date YYYY-MM-DD) -start HH:MM -end HH:MM -place PLACE [-tags LIST]",
	summary:  "add an event to the line's local calendar (weekly or on a date)",
	details: "Adds an event people can be told about: WHATS ON answers with the next three, the out-of-hours\n" +
		"text names the next ones as far as two texts allow, and a volunteer in a chat can SHARE it by a\n" +
		"word of its title or tags. -day makes it weekly; -date makes it happen once. Times are the line's.",
	example:  `events add -title "Recovery cafe" -day sat -start 11:00 -end 13:00 -place "St John's Hall, Tonbridge" -tags family-friendly`,
	required: []string{"title", "start", "end", "place"},
	setup:    eventsAdd,
}

var eventsEditCmd = command{
	name:     "events edit",
	synopsis: "ID [-title TITLE] [-day DAY | -date YYYY-MM-DD] [-start HH:MM] [-end HH:MM] [-place PLACE] [-tags LIST]",
	summary:  "change an event of the calendar",
	details:  "Changes only the flags given. A -day makes a dated event weekly, a -date a weekly one dated.",
	example:  "events edit e3 -start 11:30",
	arg:      "the event's id (such as e3)",
	setup:    eventsEdit,
}

var eventsListCmd = command{
	name:    "events list",
	summary: "list the calendar, each event with when it next happens",
	details: "Lists every event by id with its next time, soonest first; a dated event that is over says so.",
	example: "events list",
	setup:   eventsList,
}

var eventsRemoveCmd = command{
	name:     "events remove",
	synopsis: "ID",
	summary:  "take an event out of the calendar",
	details:  "Takes the event out at once.",
	example:  "events remove e3",
	arg:      "the event's id (such as e3)",
	setup: func(*flag.FlagSet) action {
		return func(ctx context.Context, t *tool, args []string) error {
			if err := t.community().RemoveEvent(ctx, args[0]); err != nil {
				return missing(err, "event", "events list")
			}
			fmt.Fprintf(t.out, "Removed event %s.\n", args[0])
			return nil
		}
	},
}

func (t *tool) community() *community.Store { return community.NewStore(t.rdb, t.cfg.Line) }

// notFound words a missing id for the coordinator.
func missing(err error, what, list string) error {
	if errors.Is(err, community.ErrNotFound) {
		return fmt.Errorf("%w: no such %s on this line (see %s %s)", err, what, prog, list)
	}
	return err
}

// eventFlags are the flags of events add and edit.
type eventFlags struct{ title, day, date, start, end, place, tags *string }

func newEventFlags(fs *flag.FlagSet) eventFlags {
	return eventFlags{
		title: fs.String("title", "", "what it is called, such as \"Recovery cafe\""),
		day:   fs.String("day", "", "weekly on this day: mon to sun"),
		date:  fs.String("date", "", "once, on this date: YYYY-MM-DD"),
		start: fs.String("start", "", "start time, HH:MM"),
		end:   fs.String("end", "", "end time, HH:MM (the same day)"),
		place: fs.String("place", "", "where, as people should read it"),
		tags:  fs.String("tags", "", "comma-separated words SHARE can find it by, such as family-friendly"),
	}
}

// apply sets on e the flags given (all of them for a new event).
func (f eventFlags) apply(fs *flag.FlagSet, e *community.Event) error {
	var errs []error
	fs.Visit(func(fl *flag.Flag) {
		v := fl.Value.String()
		var err error
		switch fl.Name {
		case "title":
			e.Title = v
		case "day":
			e.Day, e.Date = v, ""
		case "date":
			e.Date, e.Day = v, ""
		case "start":
			e.Start, err = rota.ParseClock(v)
		case "end":
			e.End, err = rota.ParseClock(v)
		case "place":
			e.Place = v
		case "tags":
			e.Tags = community.ParseTags(v)
		}
		if err != nil {
			errs = append(errs, fmt.Errorf("-%s: %w", fl.Name, err))
		}
	})
	if *f.day != "" && *f.date != "" {
		errs = append(errs, errors.New("give -day (weekly) or -date (once), not both"))
	}
	return errors.Join(errs...)
}

// notPast refuses an event's -date before today, most likely a slip (such as last year).
func (f eventFlags) notPast(t *tool) error {
	if *f.date == "" {
		return nil
	}
	return t.notPast("-date", strings.TrimSpace(*f.date))
}

func eventsAdd(fs *flag.FlagSet) action {
	f := newEventFlags(fs)
	return func(ctx context.Context, t *tool, _ []string) error {
		var e community.Event
		if err := errors.Join(f.apply(fs, &e), f.notPast(t)); err != nil {
			return usageError{err}
		}
		e, err := t.community().AddEvent(ctx, e)
		if err != nil {
			return err
		}
		fmt.Fprintf(t.out, "Added event %s: %s.\n", e.ID, t.eventLine(e))
		return nil
	}
}

func eventsEdit(fs *flag.FlagSet) action {
	f := newEventFlags(fs)
	return func(ctx context.Context, t *tool, args []string) error {
		events, err := t.community().Events(ctx)
		if err != nil {
			return err
		}
		for _, e := range events {
			if e.ID != args[0] {
				continue
			}
			if err := errors.Join(f.apply(fs, &e), f.notPast(t)); err != nil {
				return usageError{err}
			}
			if e, err = t.community().PutEvent(ctx, e); err != nil {
				return missing(err, "event", "events list")
			}
			fmt.Fprintf(t.out, "Changed event %s: %s.\n", e.ID, t.eventLine(e))
			return nil
		}
		return missing(fmt.Errorf("%s: %w", args[0], community.ErrNotFound), "event", "events list")
	}
}

func eventsList(*flag.FlagSet) action {
	return func(ctx context.Context, t *tool, _ []string) error {
		events, err := t.community().Events(ctx)
		if err != nil {
			return err
		}
		if len(events) == 0 {
			fmt.Fprintf(t.out, "No events yet: add one with %s %s\n", prog, eventsAddCmd.example)
			return nil
		}
		tw := tabwriter.NewWriter(t.out, 0, 0, 2, ' ', 0)
		fmt.Fprintln(tw, "ID\tWHEN\tNEXT\tTITLE\tPLACE\tTAGS")
		loc := t.cfg.Location
		for _, e := range events {
			next := "over"
			if start, _, ok := e.Next(t.now(), loc); ok {
				next = start.In(loc).Format("Mon 2 Jan 15:04")
			}
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\n", e.ID, eventWhen(e), next, e.Title, e.Place, strings.Join(e.Tags, ", "))
		}
		tw.Flush()
		fmt.Fprintf(t.out, "Times are %s time.\n", loc)
		return nil
	}
}

// eventWhen says when e happens: "sat 11:00-13:00" or "2026-12-20 18:00-19:00".
func eventWhen(e community.Event) string {
	d := e.Day
	if !e.Weekly() {
		d = e.Date
	}
	return fmt.Sprintf("%s %s-%s", d, e.Start, e.End)
}

func (t *tool) eventLine(e community.Event) string {
	s := fmt.Sprintf("%s, %s, at %s", e.Title, eventWhen(e), e.Place)
	if start, _, ok := e.Next(t.now(), t.cfg.Location); ok {
		s += "; next " + start.In(t.cfg.Location).Format("Mon 2 Jan 15:04")
	}
	return s
}
