package rota_test

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"peerline/rota"
)

func TestWriteCSVKeepsCellsFromBeingFormulas(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, cell, written string
	}{
		{"a number of another country is text", "+1 202-555-0100", "'+1 202-555-0100"},
		{"a formula is text", "=HYPERLINK(\"x\")", "\"'=HYPERLINK(\"\"x\"\")\""},
		{"a minus is text", "-x", "'-x"},
		{"an at is text", "@sum", "'@sum"},
		{"a plain cell is as it is", "Sam", "Sam"},
		{"a quote before a letter stays", "'tis", "'tis"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			var buf bytes.Buffer
			if err := rota.WriteCSV(&buf, []string{"name", "phone"}, [][]string{{tc.cell, "07700 900101"}}); err != nil {
				t.Fatal(err)
			}
			want := "name,phone\n" + tc.written + ",07700 900101\n"
			if got := buf.String(); got != want {
				t.Errorf("WriteCSV wrote %q, want %q", got, want)
			}
			f, ps := rota.ReadVolunteersCSV("volunteers.csv", &buf, "GB", false)
			if tc.cell == "Sam" && (ps.Err() != nil || f.Rows[0].Volunteer.Name != "Sam") {
				t.Errorf("read back: %+v, %v", f.Rows, ps.Err())
			}
		})
	}
}

// TestRecordsReadBack writes a rota with every kind of volunteer and shift as the CSV files and reads
// them back: the plan of importing them changes nothing.
func TestRecordsReadBack(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	l := givenWeek(t)
	l.add(t, "Zoë", "+12025550100", false)
	if _, err := l.store.UpdateVolunteer(ctx, "v2", func(v *rota.Volunteer) error {
		v.Channels, v.Tags, v.Rest, v.WeekHours = []string{"whatsapp", "sms"}, []string{"alcohol", "women-only"}, 15, 12
		v.Notes = "prefers nights, \"quiet\" ones\ncall first"
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if _, err := l.store.AddShift(ctx, rota.Shift{Volunteer: "v3", Day: 3, Start: 0, End: 24 * 60}); err != nil {
		t.Fatal(err)
	}
	if _, err := l.store.AddShift(ctx, rota.Shift{Volunteer: "v2", Date: "2026-12-31", Start: 12 * 60, End: 14 * 60, CoverFor: "v1"}); err != nil {
		t.Fatal(err)
	}
	r := l.load(t)
	var vols, shifts bytes.Buffer
	if err := rota.WriteCSV(&vols, rota.VolunteerColumns(), rota.VolunteerRecords(r, "GB")); err != nil {
		t.Fatal(err)
	}
	if err := rota.WriteCSV(&shifts, rota.ShiftColumns(), rota.ShiftRecords(r, "GB")); err != nil {
		t.Fatal(err)
	}
	wantShifts := "id,volunteer,name,day,date,start,end,covers,oncall\n" +
		"s2,07700 900103,Kim,mon,,18:00,09:00,,yes\n" +
		"s4,'+1 202-555-0100,Zoë,wed,,00:00,24:00,,no\n" +
		"s1,07700 900101,Sam,fri,,22:00,02:00,,no\n" +
		"s3,07700 900101,Sam,,2026-12-24,20:00,24:00,,no\n" +
		"s5,07700 900103,Kim,,2026-12-31,12:00,14:00,07700 900101,no\n"
	if diff := cmp.Diff(wantShifts, shifts.String()); diff != "" {
		t.Errorf("shifts.csv (-want +got):\n%s", diff)
	}
	if !strings.Contains(vols.String(), "v3,Zoë,'+1 202-555-0100,volunteer,sms,,,,,,no\n") {
		t.Errorf("volunteers.csv does not have Zoë's row as text:\n%s", vols.String())
	}
	// After every dated shift has passed, the file still reads back as it was: a row the rota has is
	// not refused for its past date.
	p, ch, err := csvImport{vols: vols.String(), shifts: shifts.String(), today: "2027-01-01"}.plan(r)
	if err != nil {
		t.Fatal(err)
	}
	if !p.Empty() || ch.Unchanged != 3 || ch.Present != 5 || len(ch.Notes) != 0 {
		t.Errorf("importing the files written changes %+v: %d volunteers and %d shifts as they were, notes %q",
			p, ch.Unchanged, ch.Present, ch.Notes)
	}
}
