package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"peerline/rota"
)

var volunteerEditCmd = command{
	name:     "volunteer edit",
	synopsis: "ID|NAME [-name NAME [-full-name-ok]] [-phone NUMBER] [-allow-abroad] [-coordinator=true|false] [-channels LIST] [-tags LIST] [-max-chats N] [-rest MINUTES] [-week-hours N] [-notes TEXT]",
	summary:  "change a volunteer's details; only the flags given change",
	details: "Changes what the flags give and keeps everything else. -tags and -channels replace the whole\n" +
		"list (give -tags \"\" to clear the tags). A new number must be a mobile of the line's country\n" +
		"(or, with -allow-abroad, of another) and must not belong to another volunteer.",
	example: `volunteer edit v3 -tags "alcohol, opioids" -max-chats 2`,
	arg:     "the volunteer's id (such as v3) or first name",
	setup:   volunteerEdit,
}

var volunteerPauseCmd = command{
	synopsis: "ID|NAME",
	name:     "volunteer pause",
	summary:  "stop offering requests to a volunteer, keeping their shifts",
	details: "Pauses a volunteer: they keep their shifts but get no offers until resumed. Use it for a break,\n" +
		"holiday or illness. A conversation they are in carries on.",
	example: "volunteer pause v3",
	arg:     "the volunteer's id (such as v3) or first name",
	setup:   volunteerActive(false),
}

var volunteerResumeCmd = command{
	synopsis: "ID|NAME",
	name:     "volunteer resume",
	summary:  "offer requests to a paused volunteer again",
	details:  "Resumes a paused volunteer: on their shifts they get offers again (unless they texted OFF).",
	example:  "volunteer resume v3",
	arg:      "the volunteer's id (such as v3) or first name",
	setup:    volunteerActive(true),
}

var volunteerShowCmd = command{
	synopsis: "ID|NAME",
	name:     "volunteer show",
	summary:  "everything about one volunteer, with their shifts and the coming week",
	details: "Shows one volunteer's details, their shifts, and their shifts over the next 7 days with covers\n" +
		"and skipped dates taken into account.",
	example: "volunteer show v3",
	arg:     "the volunteer's id (such as v3) or first name",
	setup:   volunteerShow,
}

// details are the optional volunteer flags that add and edit share.
type details struct {
	channels, tags, notes    *string
	maxChats, rest, weekHour *int
}

func detailFlags(fs *flag.FlagSet) details {
	return details{
		channels: fs.String("channels", "sms", `how they can be reached, the preferred first: "sms", or "whatsapp, sms" for WhatsApp within 24 hours of their last WhatsApp message`),
		tags:     fs.String("tags", "", `what they can help with, comma-separated, such as "alcohol, women-only, polish-speaking"`),
		maxChats: fs.Int("max-chats", 0, "the most chats in one night, 1 to 20 (0: the line's NIGHT_CHATS); never more than one at a time"),
		rest:     fs.Int("rest", 0, "minutes of rest after each chat before new offers, 1 to 240 (0: the line's REST_AFTER_CHAT)"),
		weekHour: fs.Int("week-hours", 0, "the most hours of chats in 7 days, 1 to 168 (0: the line's WEEK_CHAT_HOURS)"),
		notes:    fs.String("notes", "", "notes for coordinators (never sent to anyone)"),
	}
}

// limit is a wellbeing flag: its name, where it goes, the largest value taken, and what it is.
type limit struct {
	name string
	flag *int
	to   *int
	most int
}

// apply copies the flags given on the command line (all of them for a new volunteer) into v.
func (d details) apply(fs *flag.FlagSet, v *rota.Volunteer) error {
	given := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { given[f.Name] = true })
	var errs []error
	if given["channels"] || v.ID == "" {
		chans, err := rota.NormalizeChannels(rota.SplitList(*d.channels))
		errs = append(errs, flagErr("channels", err))
		v.Channels = chans
	}
	if given["tags"] || v.ID == "" {
		tags, err := rota.NormalizeTags(rota.SplitList(*d.tags))
		errs = append(errs, flagErr("tags", err))
		v.Tags = tags
	}
	for _, l := range []limit{{"max-chats", d.maxChats, &v.MaxChats, 20}, {"rest", d.rest, &v.Rest, 240},
		{"week-hours", d.weekHour, &v.WeekHours, 7 * 24}} {
		if !given[l.name] && v.ID != "" {
			continue
		}
		*l.to = *l.flag
		if *l.flag < 0 || *l.flag > l.most {
			errs = append(errs, fmt.Errorf("-%s %d: give 1 to %d, or 0 for the line's", l.name, *l.flag, l.most))
		}
	}
	if given["notes"] || v.ID == "" {
		v.Notes = *d.notes
	}
	return errors.Join(errs...)
}

func flagErr(name string, err error) error {
	if err == nil {
		return nil
	}
	return fmt.Errorf("-%s: %w", name, err)
}

func volunteerEdit(fs *flag.FlagSet) action {
	name := fs.String("name", "", "new first name, as people who text will see it")
	number := fs.String("phone", "", "new mobile number in any UK or international format")
	abroad := fs.Bool("allow-abroad", false, "take a -phone of another country than DEFAULT_REGION")
	coordinator := fs.Bool("coordinator", false, "-coordinator=true makes them a coordinator, -coordinator=false a volunteer")
	fullOK := fs.Bool("full-name-ok", false, `take a -name of more than one word, such as a double first name ("Mary Ann")`)
	details := detailFlags(fs)
	return func(ctx context.Context, t *tool, args []string) error {
		given := map[string]bool{}
		fs.Visit(func(f *flag.Flag) { given[f.Name] = true })
		if len(given) == 0 {
			return usageError{errors.New("give at least one flag to change, such as -tags or -phone")}
		}
		if given["name"] {
			if err := firstNameOnly(*name, *fullOK); err != nil {
				return err
			}
		}
		_, found, err := t.loadVolunteer(ctx, args[0])
		if err != nil {
			return err
		}
		id := found.ID
		var e164 string
		if given["phone"] {
			var err error
			if e164, err = t.mobile(*number, *abroad); err != nil {
				return err
			}
		}
		v, err := t.store.UpdateVolunteer(ctx, id, func(v *rota.Volunteer) error {
			if given["name"] {
				v.Name = *name
			}
			if given["phone"] {
				v.Phone = e164
			}
			if given["coordinator"] {
				v.Coordinator = *coordinator
			}
			return details.apply(fs, v)
		})
		switch {
		case errors.Is(err, rota.ErrNotFound):
			return notFound("volunteer", id, "volunteer list")
		case errors.Is(err, rota.ErrExists):
			return phoneTaken(ctx, t, e164, err)
		case err != nil:
			return err
		}
		fmt.Fprintf(t.out, "Changed %s (%s).\n", clean(v.Name), v.ID)
		if given["name"] {
			nameNote(t, v)
			if err := sameNameNote(ctx, t, v); err != nil {
				return err
			}
		}
		return printVolunteer(t, v)
	}
}

func volunteerActive(active bool) func(*flag.FlagSet) action {
	return func(*flag.FlagSet) action {
		return func(ctx context.Context, t *tool, args []string) error {
			_, v, err := t.loadVolunteer(ctx, args[0])
			if err != nil {
				return err
			}
			id := v.ID
			v, err = t.store.SetActive(ctx, id, active)
			if errors.Is(err, rota.ErrNotFound) {
				return notFound("volunteer", id, "volunteer list")
			} else if err != nil {
				return err
			}
			if active {
				fmt.Fprintf(t.out, "Resumed %s (%s): on their shifts they get offers again.\n", clean(v.Name), v.ID)
			} else {
				fmt.Fprintf(t.out, "Paused %s (%s): they keep their shifts but get no offers until `%s volunteer resume %s`.\n",
					clean(v.Name), v.ID, prog, v.ID)
			}
			return nil
		}
	}
}

// printVolunteer writes a volunteer's details, one per line.
func printVolunteer(t *tool, v rota.Volunteer) error {
	tw := tabwriter.NewWriter(t.out, 0, 0, 2, ' ', 0)
	notes := orDash(clean(v.Notes))
	fmt.Fprintf(tw, "  name\t%s\n  phone\t%s\n  role\t%s\n  channels\t%s\n  tags\t%s\n  max chats\t%s\n  rest\t%s\n"+
		"  week hours\t%s\n  notes\t%s\n",
		clean(v.Name), v.Phone, v.Role(), strings.Join(v.Channels, ", "), orDash(strings.Join(v.Tags, ", ")),
		own(v.MaxChats, " a night"), own(v.Rest, " minutes after a chat"), own(v.WeekHours, " hours in 7 days"), notes)
	return tw.Flush()
}

// own shows a volunteer's own wellbeing limit, such as "3 a night", or "the line's" for 0.
func own(n int, unit string) string {
	if n == 0 {
		return "the line's"
	}
	return strconv.Itoa(n) + unit
}

func volunteerShow(*flag.FlagSet) action {
	return func(ctx context.Context, t *tool, args []string) error {
		r, v, err := t.loadVolunteer(ctx, args[0])
		if err != nil {
			return err
		}
		id := v.ID
		fmt.Fprintf(t.out, "%s (%s), %s\n", clean(v.Name), v.ID, status(r, v))
		if err := printVolunteer(t, v); err != nil {
			return err
		}
		fmt.Fprintln(t.out, "\nShifts:")
		n := 0
		for _, s := range sortedShifts(r, id) {
			n++
			fmt.Fprintf(t.out, "  %s  %s\n", s.ID, describeFull(r, s))
		}
		if n == 0 {
			fmt.Fprintln(t.out, "  none")
		}
		from := t.now()
		fmt.Fprintln(t.out, "\nThe next 7 days:")
		return printComing(t, r, id, from, from.Add(7*24*time.Hour))
	}
}

// printComing lists volunteer id's occurrences between from and to, with covers.
func printComing(t *tool, r rota.Rota, id string, from, to time.Time) error {
	n := 0
	for _, o := range r.Occurrences(from, to) {
		s := o.Shift
		if s.Volunteer != id && s.CoverFor != id {
			continue
		}
		n++
		line := spanText(o, t.cfg.Location)
		switch {
		case s.CoverFor == id:
			line += ": covered by " + volunteerLabel(r, s.Volunteer)
		case s.CoverFor != "":
			line += ": covering " + volunteerLabel(r, s.CoverFor)
		}
		if s.OnCall {
			line += map[bool]string{true: " on call", false: ": on call"}[s.CoverFor != ""]
		}
		fmt.Fprintf(t.out, "  %s\n", line)
	}
	if n == 0 {
		fmt.Fprintln(t.out, "  nothing")
	}
	return nil
}
