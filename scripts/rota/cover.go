package main

import (
	"context"
	"errors"
	"flag"
	"fmt"

	"peerline/rota"
)

var shiftSkipCmd = command{
	name:     "shift skip",
	synopsis: "ID -date YYYY-MM-DD [-undo]",
	summary:  "take one date out of a weekly shift (or put it back with -undo)",
	details: "The weekly shift does not happen on that date; every other week stays. The date is the day the\n" +
		"shift starts. -undo puts the date back.",
	example:  "shift skip s4 -date 2026-12-25",
	arg:      "the weekly shift's id (such as s4; see shift list)",
	required: []string{"date"},
	setup:    shiftSkip,
}

var shiftCoverCmd = command{
	name:     "shift cover",
	synopsis: "-volunteer ID -for ID -date YYYY-MM-DD -start HH:MM -end HH:MM [-oncall]",
	summary:  `one volunteer covers another for one stretch ("Sam covers Jo on 24 Dec 20:00-02:00"), or a night on call`,
	details: "For that stretch -volunteer is on and -for is off, whatever their own shifts say. Both take an id or\n" +
		"a first name. A cover is a shift of the one who covers: it must not overlap a shift they are on\n" +
		"already. With -oncall one coordinator takes another's time on call instead (only a coordinator\n" +
		"can); the one covered keeps their peer shifts. Remove a cover like any shift (shift remove).",
	example:  "shift cover -volunteer Sam -for Jo -date 2026-12-24 -start 20:00 -end 02:00",
	required: []string{"volunteer", "for", "date", "start", "end"},
	setup:    shiftCover,
}

var shiftSwapCmd = command{
	name:     "shift swap",
	synopsis: "-shift ID -date YYYY-MM-DD -with ID [-with-date YYYY-MM-DD]",
	summary:  "two volunteers swap one occurrence of their shifts, both at once",
	details: "The volunteer of -shift does the -with shift's occurrence on -with-date, and the volunteer of -with\n" +
		"does the -shift occurrence on -date: two covers, saved together (never one without the other).\n" +
		"-with-date defaults to -date. A date is the day the shift starts.",
	example:  "shift swap -shift s4 -date 2026-12-24 -with s7 -with-date 2026-12-31",
	required: []string{"shift", "date", "with"},
	setup:    shiftSwap,
}

func shiftSkip(fs *flag.FlagSet) action {
	date := fs.String("date", "", "the date the occurrence starts, such as 2026-12-25")
	undo := fs.Bool("undo", false, "put the date back")
	return func(ctx context.Context, t *tool, args []string) error {
		id := normID(args[0])
		d, err := rota.ParseDate(*date)
		if err != nil {
			return fmt.Errorf("-date: %w", err)
		}
		if err := t.notPast("-date", d); err != nil && !*undo {
			return err
		}
		var s rota.Shift
		_, err = t.store.Change(ctx, func(r rota.Rota) (rota.Plan, error) {
			var ok bool
			if s, ok = r.Shift(id); !ok {
				return rota.Plan{}, notFound("shift", id, "shift list")
			}
			if *undo {
				return rota.Plan{Unskip: []string{rota.SkipKey(id, d)}, Today: t.today()}, nil
			}
			return rota.Plan{Skip: []string{rota.SkipKey(id, d)}}, nil
		})
		if err != nil {
			return explain(err)
		}
		if *undo {
			fmt.Fprintf(t.out, "Shift %s (%s) happens again on %s.\n", id, describe(s), d)
		} else {
			fmt.Fprintf(t.out, "Shift %s (%s) does not happen on %s; other weeks stay.\n", id, describe(s), d)
		}
		return nil
	}
}

func shiftCover(fs *flag.FlagSet) action {
	vol := fs.String("volunteer", "", "who covers: an id such as v3 or a first name")
	covered := fs.String("for", "", "who is covered (off for the stretch): an id or a first name")
	date := fs.String("date", "", "the date the stretch starts, such as 2026-12-24")
	start := fs.String("start", "", "start time, such as 20:00")
	end := fs.String("end", "", "end time, such as 02:00 (before the start means the next day)")
	oncall := fs.Bool("oncall", false, "cover a coordinator's time on call (both must be coordinators)")
	return func(ctx context.Context, t *tool, _ []string) error {
		sh, err := parseShift("", *date, *start, *end)
		if err != nil {
			return err
		}
		if err := t.notPast("-date", sh.Date); err != nil {
			return err
		}
		r, err := t.store.Load(ctx)
		if err != nil {
			return err
		}
		by, err1 := findVolunteer(r, *vol)
		of, err2 := findVolunteer(r, *covered)
		if err := errors.Join(err1, err2); err != nil {
			return err
		}
		sh.Volunteer, sh.CoverFor, sh.OnCall = by.ID, of.ID, *oncall
		if err := coverable(r, by, of, sh); err != nil {
			return err
		}
		added, err := t.addShift(ctx, sh)
		if err != nil {
			return explain(err)
		}
		fmt.Fprintf(t.out, "Added cover %s: %s.\n", added.ID, describeFull(r, added))
		switch {
		case !r.HasShiftDuring(of.ID, added) && added.OnCall:
			fmt.Fprintf(t.out, "Note: %s is not on call then, so the cover only puts %s on call. Remove it with: %s shift remove %s\n",
				clean(of.Name), clean(by.Name), prog, added.ID)
		case !r.HasShiftDuring(of.ID, added):
			fmt.Fprintf(t.out, "Note: %s has no shift then, so the cover only puts %s on. Remove it with: %s shift remove %s\n",
				clean(of.Name), clean(by.Name), prog, added.ID)
		}
		return nil
	}
}

// coverable refuses a cover by volunteer by of volunteer of that cannot do what the coordinator
// means: a night on call covered by someone who is not a coordinator, or a plain cover of someone who
// is only on call then (that needs -oncall).
func coverable(r rota.Rota, by, of rota.Volunteer, sh rota.Shift) error {
	if sh.OnCall && !by.Coordinator {
		return fmt.Errorf("%s is not a coordinator, and only a coordinator can cover a time on call; ask another "+
			"coordinator, or make %s one first: %s volunteer edit %s -coordinator=true",
			volunteerLabel(r, by.ID), clean(by.Name), prog, by.ID)
	}
	onCall := sh
	onCall.OnCall = true
	if !sh.OnCall && !r.HasShiftDuring(of.ID, sh) && r.HasShiftDuring(of.ID, onCall) {
		return fmt.Errorf("%s is on call then, not on shift: to hand over their time on call, add -oncall: "+
			"%s shift cover -oncall -volunteer %s -for %s -date %s -start %s -end %s",
			volunteerLabel(r, of.ID), prog, by.ID, of.ID, sh.Date, sh.Start, sh.End)
	}
	return nil
}

func shiftSwap(fs *flag.FlagSet) action {
	first := fs.String("shift", "", "one shift's id, such as s4")
	date := fs.String("date", "", "the date its occurrence starts")
	second := fs.String("with", "", "the other shift's id, such as s7")
	withDate := fs.String("with-date", "", "the date the other occurrence starts (default -date)")
	return func(ctx context.Context, t *tool, _ []string) error {
		d1, err1 := rota.ParseDate(*date)
		if *withDate == "" {
			*withDate = *date
		}
		d2, err2 := rota.ParseDate(*withDate)
		if err := errors.Join(flagErr("date", err1), flagErr("with-date", err2)); err != nil {
			return err
		}
		if err := errors.Join(t.notPast("-date", d1), t.notPast("-with-date", d2)); err != nil {
			return err
		}
		var covers []rota.Shift
		var r rota.Rota
		_, err := t.store.Change(ctx, func(now rota.Rota) (rota.Plan, error) {
			r = now
			a, err := occurrence(r, normID(*first), d1)
			if err != nil {
				return rota.Plan{}, err
			}
			b, err := occurrence(r, normID(*second), d2)
			if err != nil {
				return rota.Plan{}, err
			}
			if a.Volunteer == b.Volunteer {
				return rota.Plan{}, fmt.Errorf("both shifts are %s's; a swap is between two volunteers", volunteerLabel(r, a.Volunteer))
			}
			covers = []rota.Shift{coverOf(a, b.Volunteer, d1), coverOf(b, a.Volunteer, d2)}
			return rota.Plan{Shifts: covers, Today: t.today()}, nil
		})
		if err != nil {
			return explain(err)
		}
		fmt.Fprintf(t.out, "Swapped, both saved together:\n  %s\n  %s\n", describeFull(r, covers[0]), describeFull(r, covers[1]))
		return nil
	}
}

// occurrence finds shift id and checks it has an occurrence starting on date.
func occurrence(r rota.Rota, id, date string) (rota.Shift, error) {
	s, ok := r.Shift(id)
	if !ok {
		return rota.Shift{}, notFound("shift", id, "shift list")
	}
	if s.CoverFor != "" || s.OnCall {
		return rota.Shift{}, fmt.Errorf("shift %s is a cover or on-call shift; swap peer shifts only", id)
	}
	if s.Weekly() && s.Day.String() != weekdayOf(date) {
		return rota.Shift{}, fmt.Errorf("shift %s is on %ss, and %s is a %s", id, s.Day, date, weekdayOf(date))
	}
	if !s.Weekly() && s.Date != date {
		return rota.Shift{}, fmt.Errorf("shift %s is on %s, not %s", id, s.Date, date)
	}
	if r.Skips[rota.SkipKey(id, date)] {
		return rota.Shift{}, fmt.Errorf("shift %s is skipped on %s", id, date)
	}
	return s, nil
}

// coverOf is a cover of s's occurrence on date by volunteer by.
func coverOf(s rota.Shift, by, date string) rota.Shift {
	return rota.Shift{Volunteer: by, CoverFor: s.Volunteer, Date: date, Start: s.Start, End: s.End}
}
