package main

import (
	"context"
	"flag"
	"fmt"
	"strings"
	"text/tabwriter"

	"peerline/community"
)

var servicesAddCmd = command{
	name:     "services add",
	synopsis: "-need NEED -name NAME -phone NUMBER -hours HOURS [-note NOTE]",
	summary:  "add a daytime service to the line's directory",
	details: "Adds a local service people can be pointed to. A volunteer in a chat texts SHARE and the need\n" +
		"(SHARE housing) and the person gets the services of that need that open soonest; the out-of-hours\n" +
		"text and the signpost name the service that opens next. Needs: " + strings.Join(community.Needs, ", ") + ".\n" +
		"-hours are the opening hours, such as \"Mon-Fri 09:00-17:00; Sat 10:00-12:00\": clauses split by ;,\n" +
		"each days (mon, mon-fri, mon,wed, daily, or bh for bank holidays) then times (09:00-12:00,13:00-17:00),\n" +
		"or 24/7. England and Wales bank holidays are closed unless a clause names bh. -phone is the\n" +
		"service's own public number, which people are sent.",
	example:  `services add -need housing -name "West Kent Housing Advice" -phone "01732 123456" -hours "Mon-Fri 09:00-17:00" -note "drop-in"`,
	required: []string{"need", "name", "phone", "hours"},
	setup:    servicesAdd,
}

var servicesEditCmd = command{
	name:     "services edit",
	synopsis: "ID [-need NEED] [-name NAME] [-phone NUMBER] [-hours HOURS] [-note NOTE]",
	summary:  "change a service of the directory",
	details:  "Changes only the flags given; -note \"\" takes the note away.",
	example:  `services edit sv4 -hours "Mon-Thu 09:00-17:00"`,
	arg:      "the service's id (such as sv4)",
	setup:    servicesEdit,
}

var servicesListCmd = command{
	name:     "services list",
	synopsis: "[-need NEED]",
	summary:  "list the directory, each service open now or when it opens next",
	details:  "Lists the services by need, open now or opening soonest first.",
	example:  "services list -need housing",
	setup:    servicesList,
}

var servicesRemoveCmd = command{
	name:     "services remove",
	synopsis: "ID",
	summary:  "take a service out of the directory",
	details:  "Takes the service out at once.",
	example:  "services remove sv4",
	arg:      "the service's id (such as sv4)",
	setup: func(*flag.FlagSet) action {
		return func(ctx context.Context, t *tool, args []string) error {
			if err := t.community().RemoveService(ctx, args[0]); err != nil {
				return missing(err, "service", "services list")
			}
			fmt.Fprintf(t.out, "Removed service %s.\n", args[0])
			return nil
		}
	},
}

// serviceFlags sets on s the flags given.
func serviceFlags(fs *flag.FlagSet) func(s *community.Service) {
	fs.String("need", "", "the need it meets: "+strings.Join(community.Needs, ", "))
	fs.String("name", "", "its name, as people should read it")
	fs.String("phone", "", "its own public phone number")
	fs.String("hours", "", `opening hours, such as "Mon-Fri 09:00-17:00; Sat 10:00-12:00"`)
	fs.String("note", "", "a few words people should know, such as \"drop-in, no appointment\"")
	return func(s *community.Service) {
		fs.Visit(func(fl *flag.Flag) {
			v := fl.Value.String()
			switch fl.Name {
			case "need":
				s.Need = v
			case "name":
				s.Name = v
			case "phone":
				s.Phone = v
			case "hours":
				s.Hours = v
			case "note":
				s.Note = v
			}
		})
	}
}

func servicesAdd(fs *flag.FlagSet) action {
	set := serviceFlags(fs)
	return func(ctx context.Context, t *tool, _ []string) error {
		var s community.Service
		set(&s)
		s, err := t.community().AddService(ctx, s)
		if err != nil {
			return err
		}
		fmt.Fprintf(t.out, "Added service %s: %s.\n", s.ID, t.serviceLine(s))
		return nil
	}
}

func servicesEdit(fs *flag.FlagSet) action {
	set := serviceFlags(fs)
	return func(ctx context.Context, t *tool, args []string) error {
		services, err := t.community().Services(ctx)
		if err != nil {
			return err
		}
		for _, s := range services {
			if s.ID != args[0] {
				continue
			}
			set(&s)
			if s, err = t.community().PutService(ctx, s); err != nil {
				return missing(err, "service", "services list")
			}
			fmt.Fprintf(t.out, "Changed service %s: %s.\n", s.ID, t.serviceLine(s))
			return nil
		}
		return missing(fmt.Errorf("%s: %w", args[0], community.ErrNotFound), "service", "services list")
	}
}

func servicesList(fs *flag.FlagSet) action {
	needFlag := fs.String("need", "", "only the services of this need")
	return func(ctx context.Context, t *tool, _ []string) error {
		need := ""
		if *needFlag != "" {
			n, ok := community.ParseNeed(*needFlag)
			if !ok {
				return usageError{fmt.Errorf("-need %q: want one of %s", *needFlag, strings.Join(community.Needs, ", "))}
			}
			need = n
		}
		services, err := t.community().Services(ctx)
		if err != nil {
			return err
		}
		if len(services) == 0 {
			fmt.Fprintf(t.out, "No services yet: add one with %s %s\n", prog, servicesAddCmd.example)
			return nil
		}
		tw := tabwriter.NewWriter(t.out, 0, 0, 2, ' ', 0)
		fmt.Fprintln(tw, "ID\tNEED\tNAME\tPHONE\tHOURS\tNOW\tNOTE")
		for _, want := range community.Needs {
			if need != "" && want != need {
				continue
			}
			open := community.Soonest(services, want, t.now(), t.cfg.Location)
			shown := map[string]bool{}
			for _, o := range open {
				shown[o.Service.ID] = true
				fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\n", o.Service.ID, want, o.Service.Name, o.Service.Phone,
					o.Service.Hours, t.opening(o), o.Service.Note)
			}
			for _, s := range services {
				if s.Need == want && !shown[s.ID] {
					fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\n", s.ID, want, s.Name, s.Phone, s.Hours, "not in 2 weeks", s.Note)
				}
			}
		}
		tw.Flush()
		fmt.Fprintf(t.out, "Times are %s time; bank holidays are closed unless the hours name bh.\n", t.cfg.Location)
		return nil
	}
}

// opening says when o is open, seen from now.
func (t *tool) opening(o community.Opening) string {
	loc := t.cfg.Location
	if o.Service.Always() {
		return "open 24/7"
	}
	if o.OpenNow(t.now()) {
		return "open till " + o.Until.In(loc).Format("15:04")
	}
	return "opens " + o.From.In(loc).Format("Mon 2 Jan 15:04")
}

func (t *tool) serviceLine(s community.Service) string {
	line := fmt.Sprintf("%s (%s), %s, %s", s.Name, community.NeedWords(s.Need), s.Phone, s.Hours)
	if open := community.Soonest([]community.Service{s}, "", t.now(), t.cfg.Location); len(open) > 0 {
		line += "; " + t.opening(open[0])
	}
	return line
}
