package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"

	"peerline/rota"
)

var importCmd = command{
	name:     "import",
	synopsis: "[-volunteers FILE] [-shifts FILE] [-replace-shifts] [-dry-run]",
	summary:  "add and update volunteers and shifts from CSV files (such as a spreadsheet saves)",
	details: "Reads volunteers and/or shifts from CSV files and changes the rota in one step: anyone reading the\n" +
		"rota meanwhile sees it from before the import or after it, never half of it. Every row is checked\n" +
		"first; if any is wrong, every bad row is listed with its line number and nothing changes.\n" +
		"-dry-run shows what would change and changes nothing. Importing the same files again changes\n" +
		"nothing. Volunteers are matched by phone number: a known number updates that volunteer, a new one\n" +
		"adds a volunteer; volunteers not in the file are kept as they are. Shifts are matched by their id\n" +
		"(export writes it): a row with the id of a shift on the rota is that shift, and its changes are\n" +
		"made to it (it gets a new id); a row without an id is a new shift, unless the rota has the very\n" +
		"same one. Shifts on the rota that are not in the file are listed and kept; with -replace-shifts\n" +
		"the file is the whole list and they are removed. Skipped dates of weekly shifts (shift skip) are\n" +
		"not in the files. Shifts may name volunteers the same import adds.\n" + csvFormatHelp,
	example: "import -volunteers volunteers.csv -shifts shifts.csv -dry-run",
	setup:   importCSV,
}

// csvFormatHelp describes both files for the help of import and export.
const csvFormatHelp = `
Format: comma-separated, a header row naming the columns (any order, any case), then one row each.
volunteers.csv (name and phone required; a column left out keeps what the rota has):
  id,name,phone,role,channels,tags,max_chats,rest_minutes,week_hours,notes,paused
  v1,Sam,+44 7700 900101,volunteer,sms,alcohol; women-only,2,,,,no
  v2,Kim,07700 900103,coordinator,whatsapp; sms,,,15,12,prefers nights,no
  id: ignored on import (written by export); phone: any UK or international format, the same
  number is the same volunteer; role: volunteer or coordinator; channels: sms and/or whatsapp,
  in order of preference; their own wellbeing limits, empty for the line's: max_chats (chats in
  one night, 1 to 20), rest_minutes (after each chat, 1 to 240), week_hours (hours of chats in 7
  days, 1 to 168); notes: for coordinators; paused: yes/no.
shifts.csv (volunteer, start, end and one of day or date required):
  id,volunteer,name,day,date,start,end,covers,oncall
  s1,+44 7700 900101,Sam,fri,,22:00,02:00,,no
  ,+44 7700 900103,Kim,,2026-12-24,20:00,24:00,+44 7700 900101,no
  id: the shift's id as export writes it, empty for a new shift; volunteer and covers: phone number
  (or id, such as v3); name: ignored on import; day: mon to sun (weekly) or date (once): 2026-12-24,
  or day/month/year such as 24/12/2026 (month first where DEFAULT_REGION writes so, as in the US;
  a date that could be read two ways is refused); times 22:00, 22:00:00 or 10:00 PM, an end before
  the start is the next day, an end equal to the start is refused (00:00 to 24:00 is all day);
  covers: who this volunteer stands in for on that date; oncall: yes for a coordinator on call.
Yes/no cells take yes, no, y, n, true, false, 1, 0; lists take ; or , between items. Blank lines, a
byte order mark, CRLF and spaces around cells are fine. A landline is refused, as is a new
volunteer's mobile of another country unless -allow-abroad. Format the phone column as text in a
spreadsheet, so it keeps the + and the 0. Export writes numbers of the line's country as
07700 900101; a cell starting with + = - or @ gets a leading ' so a spreadsheet does not run it
as a formula (import drops the ').`

func importCSV(fs *flag.FlagSet) action {
	vols := fs.String("volunteers", "", "CSV file of volunteers to add or update")
	shifts := fs.String("shifts", "", "CSV file of shifts to add or change")
	replace := fs.Bool("replace-shifts", false, "the shifts file is the whole list: remove shifts not in it")
	dry := fs.Bool("dry-run", false, "show what would change, change nothing")
	abroad := fs.Bool("allow-abroad", false, "accept mobiles of other countries than DEFAULT_REGION (Twilio must be allowed to text them)")
	return func(ctx context.Context, t *tool, _ []string) error {
		if *vols == "" && *shifts == "" {
			return usageError{errors.New("give -volunteers FILE, -shifts FILE or both")}
		}
		if *replace && *shifts == "" {
			return usageError{errors.New("-replace-shifts needs -shifts FILE")}
		}
		f, ps, err := readImport(*vols, *shifts, t.cfg.Region, *abroad)
		f.Today = t.now().In(t.cfg.Location).Format(rota.DateLayout)
		if err != nil {
			return err
		}
		f.Replace = *replace
		if *dry {
			return dryRun(ctx, t, f, ps)
		}
		return apply(ctx, t, f, ps)
	}
}

// readImport reads and checks the files named (either may be ""), reporting bad rows as problems.
func readImport(vols, shifts, region string, abroad bool) (rota.ImportFiles, rota.FileProblems, error) {
	f := rota.ImportFiles{Tool: prog}
	var ps rota.FileProblems
	if vols != "" {
		in, err := os.Open(vols)
		if err != nil {
			return f, nil, fmt.Errorf("-volunteers: %w", err)
		}
		defer in.Close()
		v, more := rota.ReadVolunteersCSV(vols, in, region, abroad)
		f.Volunteers, ps = &v, append(ps, more...)
	}
	if shifts != "" {
		in, err := os.Open(shifts)
		if err != nil {
			return f, nil, fmt.Errorf("-shifts: %w", err)
		}
		defer in.Close()
		s, more := rota.ReadShiftsCSV(shifts, in, region)
		f.Shifts, ps = &s, append(ps, more...)
	}
	return f, ps, nil
}

// refused is the error for files with bad rows: every one, one a line.
func refused(ps rota.FileProblems) error {
	return fmt.Errorf("nothing was imported; fix these rows and try again (-dry-run checks without changing anything):\n%w", ps.Err())
}

func dryRun(ctx context.Context, t *tool, f rota.ImportFiles, ps rota.FileProblems) error {
	r, err := t.store.Load(ctx)
	if err != nil {
		return err
	}
	p, ch, more := rota.PlanImport(r, f)
	if ps = append(ps, more...); len(ps) > 0 {
		return refused(ps)
	}
	if p.Empty() {
		printNothing(t.out, r, f, ch)
		return nil
	}
	if err := r.Check(&p); err != nil {
		return fmt.Errorf("the rota would refuse the import:\n%w", err)
	}
	fmt.Fprintln(t.out, "Dry run: nothing was changed. The import would:")
	printChanges(t.out, r, f, ch, nil)
	fmt.Fprintln(t.out, "Run it again without -dry-run to make these changes.")
	return nil
}

func apply(ctx context.Context, t *tool, f rota.ImportFiles, ps rota.FileProblems) error {
	var r rota.Rota
	var ch rota.ImportChanges
	done, err := t.store.Change(ctx, func(now rota.Rota) (rota.Plan, error) {
		p, changes, more := rota.PlanImport(now, f)
		r, ch = now, changes
		if all := append(ps[:len(ps):len(ps)], more...); len(all) > 0 {
			return rota.Plan{}, refused(all)
		}
		return p, nil
	})
	if err != nil {
		if errors.Is(err, rota.ErrInvalid) || errors.Is(err, rota.ErrExists) || errors.Is(err, rota.ErrNotFound) {
			return fmt.Errorf("the rota refused the import, so nothing was changed:\n%w", err)
		}
		return explain(err)
	}
	if done.Empty() {
		printNothing(t.out, r, f, ch)
		return nil
	}
	fmt.Fprintln(t.out, "Imported. The rota changed in one step:")
	printChanges(t.out, r, f, ch, &done)
	return nil
}
