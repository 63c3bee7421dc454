package main

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"os"
	"slices"

	"peerline/rota"
)

var exportVolunteersCmd = command{
	name:     "export volunteers",
	synopsis: "[-o FILE]",
	summary:  "write every volunteer as CSV, for a spreadsheet or import",
	details: "Writes every volunteer, by id, as CSV (to standard output, or to -o FILE). The file can be edited\n" +
		"in a spreadsheet and read back with import; it holds phone numbers, so keep it safe.\n" + csvFormatHelp,
	example: "export volunteers -o volunteers.csv",
	setup:   exportVolunteers,
}

var exportShiftsCmd = command{
	name:     "export shifts",
	synopsis: "[-o FILE]",
	summary:  "write every shift as CSV, for a spreadsheet or import",
	details: "Writes every shift (weekly from Monday, then one-off shifts and covers by date) as CSV, with\n" +
		"its id (so import knows a row you changed is that shift) and volunteers by phone number. Skipped\n" +
		"dates of weekly shifts are not written (see shift list). Read it back with import. For another\n" +
		"line, empty the id column first: ids belong to this line.\n" + csvFormatHelp,
	example: "export shifts -o shifts.csv",
	setup:   exportShifts,
}

func exportVolunteers(fs *flag.FlagSet) action {
	file := fs.String("o", "", "write to this file instead of standard output")
	return func(ctx context.Context, t *tool, _ []string) error {
		r, err := t.store.Load(ctx)
		if err != nil {
			return err
		}
		rows := rota.VolunteerRecords(r, t.cfg.Region)
		return t.writeExport(*file, rota.VolunteerColumns(), rows, "volunteers")
	}
}

func exportShifts(fs *flag.FlagSet) action {
	file := fs.String("o", "", "write to this file instead of standard output")
	return func(ctx context.Context, t *tool, _ []string) error {
		r, err := t.store.Load(ctx)
		if err != nil {
			return err
		}
		return t.writeExport(*file, rota.ShiftColumns(), rota.ShiftRecords(r, t.cfg.Region), "shifts")
	}
}

// writeExport writes the CSV to file, or to the tool's output when file is "".
func (t *tool) writeExport(file string, header []string, rows [][]string, what string) error {
	if file == "" {
		return rota.WriteCSV(t.out, header, rows)
	}
	var buf bytes.Buffer
	if err := rota.WriteCSV(&buf, header, rows); err != nil {
		return err
	}
	if err := os.WriteFile(file, buf.Bytes(), 0o600); err != nil {
		return fmt.Errorf("-o: %w", err)
	}
	fmt.Fprintf(t.out, "Wrote %d %s to %s.\n", len(rows), what, file)
	if slices.Contains(header, "phone") {
		fmt.Fprintln(t.out, "This file holds volunteers' phone numbers: keep it off shared drives and e-mail, and delete it\n"+
			"when you are done. (In the project folder, git ignores *.csv.)")
	}
	return nil
}
