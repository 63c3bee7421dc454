package main

import (
	"context"
	"flag"
	"fmt"
	"strings"
	"text/tabwriter"

	"peerline/lines"
	"peerline/templates"
)

var lineAddCmd = command{
	name:     "line add",
	synopsis: "-id ID (-number NUMBER | -messaging-service MG...) [-whatsapp NUMBER] [-name NAME] [-timezone ZONE] [-templates DIR]",
	summary:  "add a line: another community's own number, rota and wording, served by the same deployment",
	details: "Adds a line. The running service starts serving it within seconds, without a restart: texts to its\n" +
		"number go to its own rota. Then set it up like the first one, with -line ID on every command:\n" +
		"its hours (hours set -line ID), its volunteers and shifts. The default line is the one in .env\n" +
		"(LINE_ID, TWILIO_FROM_NUMBER): it needs no line add. Point the number's incoming-message webhook\n" +
		"at the same PUBLIC_URL/twilio/messages in the Twilio console.",
	example:  `line add -id tonbridge -name "Tonbridge peer line" -number "01732 000000" -timezone Europe/London`,
	required: []string{"id"},
	setup:    lineAdd,
}

var lineEditCmd = command{
	name:     "line edit",
	synopsis: "-id ID [-number NUMBER] [-messaging-service MG...] [-whatsapp NUMBER] [-name NAME] [-timezone ZONE] [-templates DIR]",
	summary:  "change a line's numbers, name, time zone or templates folder",
	details: "Changes only the flags given; an empty value (-whatsapp \"\") takes that setting away. The running\n" +
		"service follows within seconds. The default line is changed in .env instead.",
	example:  `line edit -id tonbridge -whatsapp +447700900555`,
	required: []string{"id"},
	setup:    lineEdit,
}

var lineListCmd = command{
	name:    "line list",
	summary: "every line this deployment serves, the default one first",
	details: "Lists every line with its numbers and time zone. -line ID on any other command works on that line.",
	example: "line list",
	setup:   lineList,
}

var lineShowCmd = command{
	name:     "line show",
	synopsis: "ID",
	summary:  "one line's settings",
	details:  "Shows one line's settings: numbers, time zone, templates folder, and where its webhooks point.",
	example:  "line show tonbridge",
	arg:      "the line's id (such as tonbridge)",
	setup:    lineShow,
}

// lineFlags are the settings a line add or edit may give.
type lineFlags struct {
	id, name, number, service, whatsapp, zone, templates *string
}

func addLineFlags(fs *flag.FlagSet) lineFlags {
	return lineFlags{
		id:        fs.String("id", "", "the line's id: 1-32 lowercase letters, digits or dashes; it is in every Redis key"),
		name:      fs.String("name", "", "a name for people, such as \"Tonbridge peer line\""),
		number:    fs.String("number", "", "the line's Twilio SMS number"),
		service:   fs.String("messaging-service", "", "the line's Twilio Messaging Service SID (MG...), used to send instead of -number"),
		whatsapp:  fs.String("whatsapp", "", "the line's WhatsApp sender number, if it has one"),
		zone:      fs.String("timezone", "", "the line's time zone (IANA), such as Europe/London (the default)"),
		templates: fs.String("templates", "", "a folder of the line's own wording (the deployment's TEMPLATES_DIR or the built-in wording if not set)"),
	}
}

// apply sets on l the flags that were given.
func (f lineFlags) apply(fs *flag.FlagSet, l *lines.Line) {
	given := map[string]bool{}
	fs.Visit(func(fl *flag.Flag) { given[fl.Name] = true })
	for name, p := range map[string]struct {
		from *string
		to   *string
	}{"name": {f.name, &l.Name}, "number": {f.number, &l.From}, "messaging-service": {f.service, &l.MessagingServiceSID},
		"whatsapp": {f.whatsapp, &l.WhatsAppFrom}, "timezone": {f.zone, &l.TimeZone}, "templates": {f.templates, &l.TemplatesDir}} {
		if given[name] {
			*p.to = strings.TrimSpace(*p.from)
		}
	}
}

// checkTemplates loads a line's own templates folder, so a wrong one is refused here and not when the
// service tries to serve the line.
func checkTemplates(l lines.Line) error {
	if l.TemplatesDir == "" {
		return nil
	}
	if _, err := templates.Load(l.TemplatesDir); err != nil {
		return fmt.Errorf("-templates %s: %w (the service reads this folder: give a path it can read)", l.TemplatesDir, err)
	}
	return nil
}

func lineAdd(fs *flag.FlagSet) action {
	f := addLineFlags(fs)
	return func(ctx context.Context, t *tool, _ []string) error {
		l := lines.Line{ID: *f.id}
		f.apply(fs, &l)
		l, err := l.Check(t.cfg.DefaultRegion)
		if err != nil {
			return err
		}
		if err := checkTemplates(l); err != nil {
			return err
		}
		if err := t.lines.Add(ctx, l); err != nil {
			return err
		}
		fmt.Fprintf(t.out, "Added line %s. The running service serves it within seconds.\n", l.ID)
		printLine(t, l)
		fmt.Fprintf(t.out, "\nNext: set its hours and rota with -line %s, such as:\n  %s hours set -line %s -weekdays 18:00-08:00\n"+
			"  %s volunteer add -line %s -name ... -phone ...\n", l.ID, prog, l.ID, prog, l.ID)
		return nil
	}
}

func lineEdit(fs *flag.FlagSet) action {
	f := addLineFlags(fs)
	return func(ctx context.Context, t *tool, _ []string) error {
		var templatesErr error
		l, err := t.lines.Edit(ctx, *f.id, t.cfg.DefaultRegion, func(l *lines.Line) {
			f.apply(fs, l)
			templatesErr = checkTemplates(*l)
		})
		if templatesErr != nil {
			return templatesErr
		}
		if err != nil {
			return err
		}
		fmt.Fprintf(t.out, "Changed line %s. The running service follows within seconds.\n", l.ID)
		printLine(t, l)
		return nil
	}
}

func lineList(*flag.FlagSet) action {
	return func(ctx context.Context, t *tool, _ []string) error {
		stored, err := t.lines.List(ctx)
		if err != nil {
			return err
		}
		tw := tabwriter.NewWriter(t.out, 0, 0, 2, ' ', 0)
		fmt.Fprintln(tw, "ID\tNAME\tSMS\tWHATSAPP\tTIME ZONE\tTEMPLATES")
		for _, l := range append([]lines.Line{t.defaultLine()}, stored...) {
			name := l.Name
			if l.Default {
				name = "(default, from .env)"
			}
			sms := l.From
			if l.MessagingServiceSID != "" {
				sms = strings.TrimSpace(sms + " " + l.MessagingServiceSID)
			}
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\n", l.ID, dash(name), dash(sms), dash(l.WhatsAppFrom), l.TimeZone,
				dash(l.TemplatesDir))
		}
		return tw.Flush()
	}
}

func lineShow(*flag.FlagSet) action {
	return func(ctx context.Context, t *tool, args []string) error {
		l := t.defaultLine()
		if args[0] != l.ID {
			var err error
			if l, err = t.lines.Get(ctx, args[0]); err != nil {
				return fmt.Errorf("%w (see %s line list)", err, prog)
			}
		}
		printLine(t, l)
		return nil
	}
}

func printLine(t *tool, l lines.Line) {
	tw := tabwriter.NewWriter(t.out, 0, 0, 2, ' ', 0)
	fmt.Fprintf(tw, "  id\t%s\n  name\t%s\n  SMS number\t%s\n  Messaging Service\t%s\n  WhatsApp\t%s\n  time zone\t%s\n  templates\t%s\n",
		l.ID, dash(l.Name), dash(l.From), dash(l.MessagingServiceSID), dash(l.WhatsAppFrom), l.TimeZone, dash(l.TemplatesDir))
	if l.Default {
		fmt.Fprintf(tw, "  \t(the default line, set in .env: change it there)\n")
	}
	_ = tw.Flush()
}

func dash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}
