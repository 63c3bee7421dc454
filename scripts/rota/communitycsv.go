package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"peerline/community"
	"peerline/rota"
)

var eventsExportCmd = command{
	name:     "events export",
	synopsis: "[-o FILE]",
	summary:  "write the calendar as CSV, for a spreadsheet or events import",
	details:  "Writes every event, by id, as CSV (to standard output, or to -o FILE).\n" + eventsCSVHelp,
	example:  "events export -o events.csv",
	setup: exportCommunity(func(ctx context.Context, c *community.Store) ([]string, [][]string, error) {
		e, err := c.Events(ctx)
		return community.EventColumns, community.EventRecords(e), err
	}, "events"),
}

var eventsImportCmd = command{
	name:     "events import",
	synopsis: "FILE [-replace] [-dry-run]",
	summary:  "add and change events from a CSV file",
	details: "Reads events from a CSV file and changes the calendar in one step. Every row is checked first; if\n" +
		"any is wrong, every bad row is listed with its line number and nothing changes. A row with an id\n" +
		"changes that event; a row without one adds an event, unless the very same one is there (so\n" +
		"importing a file twice changes nothing). Events not in the file are kept; with -replace they are\n" +
		"removed. -dry-run shows what would change and changes nothing.\n" + eventsCSVHelp,
	example: "events import events.csv -dry-run",
	arg:     "the CSV file",
	setup:   importEvents,
}

var servicesExportCmd = command{
	name:     "services export",
	synopsis: "[-o FILE]",
	summary:  "write the directory as CSV, for a spreadsheet or services import",
	details:  "Writes every service, by id, as CSV (to standard output, or to -o FILE).\n" + servicesCSVHelp,
	example:  "services export -o services.csv",
	setup: exportCommunity(func(ctx context.Context, c *community.Store) ([]string, [][]string, error) {
		s, err := c.Services(ctx)
		return community.ServiceColumns, community.ServiceRecords(s), err
	}, "services"),
}

var servicesImportCmd = command{
	name:     "services import",
	synopsis: "FILE [-replace] [-dry-run]",
	summary:  "add and change services from a CSV file",
	details: "Reads services from a CSV file and changes the directory in one step, as events import does for\n" +
		"the calendar: every bad row listed with its line number and nothing changed; rows with an id\n" +
		"change that service, rows without one add one; -replace removes services not in the file;\n" +
		"-dry-run changes nothing.\n" + servicesCSVHelp,
	example: "services import services.csv -dry-run",
	arg:     "the CSV file",
	setup:   importServices,
}

const eventsCSVHelp = `
Format: a header row naming the columns (any order, any case), then one event a row:
  id,title,day,date,start,end,place,tags
  e1,Recovery cafe,sat,,11:00,13:00,"St John's Hall, Tonbridge",family-friendly
  ,Carol singing,,2026-12-20,18:00,19:00,High Street,
  id: empty for a new event; day (mon to sun, weekly) or date (once): 2026-12-20, or day/month/year
  such as 20/12/2026 (month first where DEFAULT_REGION writes so, as in the US; a date that could be
  read two ways is refused); start and end HH:MM the same day (or 18:00:00, 6 PM); tags:
  comma-separated, in quotes when more than one.`

const servicesCSVHelp = `
Format: a header row naming the columns (any order, any case), then one service a row:
  id,need,name,phone,hours,note
  sv1,housing,West Kent Housing Advice,01732 123456,Mon-Fri 09:00-17:00,drop-in
  ,food,Tonbridge Food Bank,01732 654321,Wed 10:00-12:00; Sat 10:00-12:00,
  id: empty for a new service; need: ` + "housing, mental-health, money, family, work, harm-reduction or food" + `;
  hours: as services add -hours.`

func exportCommunity(read func(context.Context, *community.Store) ([]string, [][]string, error), what string) func(*flag.FlagSet) action {
	return func(fs *flag.FlagSet) action {
		file := fs.String("o", "", "write to this file instead of standard output")
		return func(ctx context.Context, t *tool, _ []string) error {
			header, rows, err := read(ctx, t.community())
			if err != nil {
				return err
			}
			if *file == "" {
				return rota.WriteCSV(t.out, header, rows)
			}
			var buf bytes.Buffer
			if err := rota.WriteCSV(&buf, header, rows); err != nil {
				return err
			}
			if err := os.WriteFile(*file, buf.Bytes(), 0o644); err != nil {
				return fmt.Errorf("-o: %w", err)
			}
			fmt.Fprintf(t.out, "Wrote %d %s to %s.\n", len(rows), what, *file)
			return nil
		}
	}
}

func importEvents(fs *flag.FlagSet) action {
	replace := fs.Bool("replace", false, "the file is the whole calendar: remove events not in it")
	dry := fs.Bool("dry-run", false, "show what would change, change nothing")
	return func(ctx context.Context, t *tool, args []string) error {
		c := t.community()
		rows, err := readCommunityFile(args[0], func(in io.Reader) ([]community.Event, []community.RowError) {
			return community.ReadEvents(in, t.cfg.Region)
		})
		if err != nil {
			return err
		}
		current, err := c.Events(ctx)
		if err != nil {
			return err
		}
		p, err := community.PlanEvents(current, rows, *replace)
		if err != nil {
			return fmt.Errorf("%s: nothing was imported: %w", args[0], err)
		}
		printPlan(t.out, "event", len(p.Add), len(p.Change), p.Remove, p.Same, *dry, func(w io.Writer) {
			for _, e := range p.Add {
				fmt.Fprintf(w, "  add     %s, %s, at %s\n", e.Title, eventWhen(e), e.Place)
			}
			for _, e := range p.Change {
				fmt.Fprintf(w, "  change  %s: %s, %s, at %s\n", e.ID, e.Title, eventWhen(e), e.Place)
			}
		})
		if *dry || p.Empty() {
			return nil
		}
		return c.ApplyEvents(ctx, p)
	}
}

func importServices(fs *flag.FlagSet) action {
	replace := fs.Bool("replace", false, "the file is the whole directory: remove services not in it")
	dry := fs.Bool("dry-run", false, "show what would change, change nothing")
	return func(ctx context.Context, t *tool, args []string) error {
		c := t.community()
		rows, err := readCommunityFile(args[0], community.ReadServices)
		if err != nil {
			return err
		}
		current, err := c.Services(ctx)
		if err != nil {
			return err
		}
		p, err := community.PlanServices(current, rows, *replace)
		if err != nil {
			return fmt.Errorf("%s: nothing was imported: %w", args[0], err)
		}
		printPlan(t.out, "service", len(p.Add), len(p.Change), p.Remove, p.Same, *dry, func(w io.Writer) {
			for _, s := range p.Add {
				fmt.Fprintf(w, "  add     %s (%s), %s\n", s.Name, s.Need, s.Hours)
			}
			for _, s := range p.Change {
				fmt.Fprintf(w, "  change  %s: %s (%s), %s\n", s.ID, s.Name, s.Need, s.Hours)
			}
		})
		if *dry || p.Empty() {
			return nil
		}
		return c.ApplyServices(ctx, p)
	}
}

// readCommunityFile opens file and reads its rows; bad rows make an error listing each by line.
func readCommunityFile[T any](file string, read func(io.Reader) ([]T, []community.RowError)) ([]T, error) {
	in, err := os.Open(file)
	if err != nil {
		return nil, err
	}
	defer in.Close()
	rows, bad := read(in)
	if len(bad) == 0 {
		return rows, nil
	}
	var lines []string
	for _, b := range bad {
		lines = append(lines, file+" "+b.Error())
	}
	return nil, errors.New("nothing was imported; fix these rows and try again (-dry-run checks without changing anything):\n" +
		strings.Join(lines, "\n"))
}

func printPlan(w io.Writer, what string, add, change int, remove []string, same int, dry bool, details func(io.Writer)) {
	verb := "Imported"
	if dry {
		verb = "Dry run, nothing changed; would import"
	}
	fmt.Fprintf(w, "%s: %d %s(s) added, %d changed, %d removed, %d the same.\n", verb, add, what, change, len(remove), same)
	details(w)
	for _, id := range remove {
		fmt.Fprintf(w, "  remove  %s\n", id)
	}
}
