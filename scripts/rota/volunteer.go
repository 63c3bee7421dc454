package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"strings"
	"text/tabwriter"

	"peerline/phone"
	"peerline/rota"
)

var volunteerAddCmd = command{
	name:     "volunteer add",
	synopsis: "-name NAME -phone NUMBER [-full-name-ok] [-allow-abroad] [-coordinator] [-channels LIST] [-tags LIST] [-max-chats N] [-rest MINUTES] [-week-hours N] [-notes TEXT]",
	summary:  "add a volunteer; prints their new id",
	details: "Adds a volunteer and prints their new id (v1, v2, ...), which the shift commands use.\n" +
		"The phone number may be written in any UK or international format; it is kept as +447700900123.\n" +
		"It must be a mobile (the line texts volunteers: a landline is refused) of the line's country\n" +
		"(DEFAULT_REGION); -allow-abroad takes a mobile of another country, which Twilio must be allowed\n" +
		"to text. People who text see the name, so give a first name only, for privacy: a name such as\n" +
		"\"Sam Smith\" is refused (\"Sam B\" is fine); -full-name-ok takes it, for a double first name.\n" +
		"Each number can belong to one volunteer only. A first name another volunteer has is\n" +
		"taken, with a note: commands then need the id instead. Offers go by SMS, one at a time: a\n" +
		"volunteer on shift who is free is offered the next person waiting. With -channels \"whatsapp, sms\"\n" +
		"offers, reminders and pages go by WhatsApp instead, within 24 hours of their last WhatsApp message\n" +
		"(then by the approved template, or SMS). Tags (what they can help with) steer offers: a person who\n" +
		"asks for what a tag says (a woman asking for a woman: women-only) is offered first to volunteers\n" +
		"with it. -max-chats, -rest and -week-hours are the volunteer's own wellbeing limits (0, the\n" +
		"default, takes the line's); nobody has more than one chat at a time.",
	example:  `volunteer add -name Sam -phone "07700 900123" -tags "alcohol, women-only"`,
	required: []string{"name", "phone"},
	setup:    volunteerAdd,
}

var volunteerListCmd = command{
	name:    "volunteer list",
	summary: "every volunteer with their phone, role, status, tags and number of shifts",
	details: "Lists every volunteer, sorted by id. STATUS is off for volunteers who texted OFF to the line\n" +
		"(they get no offers until they text ON) and paused for those a coordinator paused.",
	example: "volunteer list",
	setup:   volunteerList,
}

func volunteerAdd(fs *flag.FlagSet) action {
	name := fs.String("name", "", "first name, as people who text will see it (1 to 40 characters)")
	number := fs.String("phone", "", `mobile number in any UK or international format, such as "07700 900123"`)
	abroad := fs.Bool("allow-abroad", false, "take a mobile number of another country than DEFAULT_REGION")
	coordinator := fs.Bool("coordinator", false, "the volunteer is also a coordinator (can go on call)")
	fullOK := fs.Bool("full-name-ok", false, `take a -name of more than one word, such as a double first name ("Mary Ann")`)
	details := detailFlags(fs)
	return func(ctx context.Context, t *tool, _ []string) error {
		v := rota.Volunteer{Name: *name, Coordinator: *coordinator}
		errs := []error{firstNameOnly(*name, *fullOK)}
		e164, err := t.mobile(*number, *abroad)
		errs = append(errs, err)
		v.Phone = e164
		errs = append(errs, details.apply(fs, &v))
		if err := errors.Join(errs...); err != nil {
			return err
		}
		v, err = t.store.AddVolunteer(ctx, v)
		if errors.Is(err, rota.ErrExists) {
			return phoneTaken(ctx, t, e164, err)
		}
		if err != nil {
			return err
		}
		role := ""
		if v.Coordinator {
			role = ", coordinator"
		}
		fmt.Fprintf(t.out, "Added %s as %s (%s%s).\n", clean(v.Name), v.ID, v.Phone, role)
		nameNote(t, v)
		if err := sameNameNote(ctx, t, v); err != nil {
			return err
		}
		fmt.Fprintf(t.out, "Give them a shift with: %s shift add -volunteer %s -day fri -start 22:00 -end 02:00\n",
			prog, v.ID)
		return nil
	}
}

// firstNameOnly refuses a -name that looks like a full name (see rota.FullName), unless ok: people who
// text see it ("Sam Smith, a peer supporter, is here"), and the line gives first names only, for privacy.
func firstNameOnly(name string, ok bool) error {
	if ok || !rota.FullName(name) {
		return nil
	}
	first := strings.Fields(name)[0]
	return fmt.Errorf("-name %q: people who text see this name, so give a first name only, for privacy, such as %q "+
		"or %q; for a double first name, add -full-name-ok", clean(name), clean(first), clean(first+" "+
		string([]rune(strings.Fields(name)[1])[:1])))
}

// mobile reads a volunteer's -phone: a mobile number of the line's region, or of another country when
// abroad is true.
func (t *tool) mobile(raw string, abroad bool) (string, error) {
	e164, err := phone.Mobile(raw, t.cfg.Region, abroad)
	switch {
	case errors.Is(err, phone.ErrAbroad):
		return "", fmt.Errorf("-phone %q: %w; if their mobile really is abroad, add -allow-abroad (Twilio must be "+
			"allowed to text that country)", raw, err)
	case err != nil:
		return "", fmt.Errorf("-phone %q: %w", raw, err)
	}
	return e164, nil
}

// sameNameNote points out other volunteers with v's first name: a command given that name cannot tell
// them apart, so it needs the id.
func sameNameNote(ctx context.Context, t *tool, v rota.Volunteer) error {
	r, err := t.store.Load(ctx)
	if err != nil {
		return err
	}
	var others, ids []string
	for _, o := range r.VolunteersByID() {
		if o.ID != v.ID && strings.EqualFold(firstName(o.Name), firstName(v.Name)) {
			others = append(others, volunteerLabel(r, o.ID))
			ids = append(ids, o.ID)
		}
	}
	if len(others) == 0 {
		return nil
	}
	fmt.Fprintf(t.out, "Note: %s also %s the first name %s. Commands that take a name then need the id instead: %s.\n",
		andList(others), map[bool]string{true: "has", false: "have"}[len(others) == 1], clean(firstName(v.Name)),
		oneOf(append(ids, v.ID)))
	return nil
}

// andList lists words as "a, b and c".
func andList(words []string) string {
	if len(words) < 2 {
		return strings.Join(words, "")
	}
	return strings.Join(words[:len(words)-1], ", ") + " and " + words[len(words)-1]
}

// firstName is the first word of a volunteer's name.
func firstName(name string) string {
	if f := strings.Fields(name); len(f) > 0 {
		return f[0]
	}
	return name
}

// phoneTaken explains which volunteer already has number; err is the store's answer, used when the
// owner cannot be found.
func phoneTaken(ctx context.Context, t *tool, number string, err error) error {
	r, loadErr := t.store.Load(ctx)
	if loadErr != nil {
		return err
	}
	if v, ok := r.ByPhone(number); ok {
		return fmt.Errorf("%s already belongs to %s (%s); each number can belong to one volunteer only",
			number, clean(v.Name), v.ID)
	}
	return err
}

func volunteerList(*flag.FlagSet) action {
	return func(ctx context.Context, t *tool, _ []string) error {
		r, err := t.store.Load(ctx)
		if err != nil {
			return err
		}
		if len(r.Volunteers) == 0 {
			fmt.Fprintf(t.out, "No volunteers yet. Add one with:\n  %s %s\n", prog, volunteerAddCmd.example)
			return nil
		}
		shifts := map[string]int{}
		for _, s := range r.Shifts {
			shifts[s.Volunteer]++
		}
		tw := tabwriter.NewWriter(t.out, 0, 0, 2, ' ', 0)
		fmt.Fprintln(tw, "ID\tNAME\tPHONE\tROLE\tSTATUS\tCHANNELS\tTAGS\tMAX CHATS\tSHIFTS")
		for _, v := range r.VolunteersByID() {
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%d\n", v.ID, clean(v.Name), v.Phone, v.Role(),
				status(r, v), strings.Join(v.Channels, ","), orDash(strings.Join(v.Tags, ",")), own(v.MaxChats, ""), shifts[v.ID])
		}
		if err := tw.Flush(); err != nil {
			return err
		}
		fmt.Fprintln(t.out, "\nSTATUS: on or off is what they last texted; paused volunteers get no offers (see volunteer resume).\n"+
			"MAX CHATS: the most in one night (the line's: NIGHT_CHATS).")
		return nil
	}
}

// status is "paused", or the volunteer's own last ON or OFF.
func status(r rota.Rota, v rota.Volunteer) string {
	if !v.Active {
		return "paused"
	}
	return onOff(!r.Off[v.ID])
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

// confirm asks question and reports whether the answer was yes. No answer (end of input) is no.
func (t *tool) confirm(question string) bool {
	fmt.Fprint(t.out, question)
	answer, err := t.in.ReadString('\n')
	if err != nil {
		fmt.Fprintln(t.out) // the answer had no newline of its own
	}
	switch strings.ToLower(strings.TrimSpace(answer)) {
	case "y", "yes":
		return true
	}
	return false
}
