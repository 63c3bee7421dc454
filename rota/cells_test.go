package rota_test

import (
	"strings"
	"testing"
	"time"

	"peerline/rota"
)

func TestParseClockCell(t *testing.T) {
	t.Parallel()
	tests := []struct {
		cell string
		want string // HH:MM, or the start of the error after the quoted cell
	}{
		{"22:00", "22:00"},
		{"9:00", "09:00"},
		{"00:00", "00:00"},
		{"24:00", "24:00"},
		{"22:00:00", "22:00"},
		{"24:00:00", "24:00"},
		{"22.00", "22:00"},
		{" 02:30 ", "02:30"},
		{"10:00:00 PM", "22:00"},
		{"10:00 pm", "22:00"},
		{"10 PM", "22:00"},
		{"10pm", "22:00"},
		{"10.30 p.m.", "22:30"},
		{"10:00\u202fPM", "22:00"}, // a narrow no-break space, as some spreadsheets write
		{"10:00\u00a0am", "10:00"},
		{"12:00:00 AM", "00:00"},
		{"12:30 AM", "00:30"},
		{"12 PM", "12:00"},
		{"12:45 pm", "12:45"},
		{"06:00:00 AM", "06:00"},
		{"22:00:30", "times are in whole minutes"},
		{"25:00", "want a time"},
		{"24:30", "want a time"},
		{"22:60", "want a time"},
		{"13 PM", "with AM or PM the hour is 1 to 12"},
		{"0 AM", "with AM or PM the hour is 1 to 12"},
		{"22", "want a time"},
		{"2200", "want a time"},
		{"22:0", "want a time"},
		{"", "want a time"},
		{"noon", "want a time"},
		{"10:00 PMX", "want a time"},
		{"0.916666667", "want a time"},
	}
	for _, tc := range tests {
		t.Run(tc.cell, func(t *testing.T) {
			c, err := rota.ParseClockCell(tc.cell)
			got := c.String()
			if err != nil {
				got = err.Error()
				if !strings.HasPrefix(got, `"`+tc.cell+`": `) {
					t.Errorf("error %q does not start with the cell", got)
				}
			}
			if !strings.Contains(got, tc.want) {
				t.Errorf("ParseClockCell(%q) = %q, want %q", tc.cell, got, tc.want)
			}
		})
	}
}

func TestReadDateCell(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, cell, region string
		want               string // YYYY-MM-DD, or parts of the error
		swapped            string // the other reading kept for the file's check
		otherOrder         bool
	}{
		{"ISO always", "2026-12-24", "US", "2026-12-24", "", false},
		{"ISO with slashes", "2026/12/24", "GB", "2026-12-24", "", false},
		{"ISO with a midnight time", "2026-12-24 00:00:00", "GB", "2026-12-24", "", false},
		{"ISO without leading zeros", "2026-1-5", "GB", "2026-01-05", "", false},
		{"day first in GB", "24/12/2026", "GB", "2026-12-24", "", false},
		{"day first, two-digit year", "24/12/26", "GB", "2026-12-24", "", false},
		{"day first with dots", "24.12.2026", "DE", "2026-12-24", "", false},
		{"day first with dashes", "24-12-2026", "GB", "2026-12-24", "", false},
		{"a four-digit year is trusted: 3 April in GB", "03/04/2026", "GB", "2026-04-03", "2026-03-04", false},
		{"the same day either way is no doubt", "04/04/2026", "GB", "2026-04-04", "", false},
		{"month first in the US", "12/24/2026", "US", "2026-12-24", "", false},
		{"month first in the US, two-digit year", "12/24/26", "us", "2026-12-24", "", false},
		{"4 March in the US", "03/04/2026", "US", "2026-03-04", "2026-04-03", false},
		{"year first in JP", "26/12/24", "JP", "2026-12-24", "", false},
		{"a month by name", "24 Dec 2026", "US", "2026-12-24", "", false},
		{"a month by name, Excel style", "24-Dec-26", "GB", "2026-12-24", "", false},
		{"a month by name first", "December 24, 2026", "GB", "2026-12-24", "", false},
		{"with its weekday", "Thu 24 Dec 2026", "GB", "2026-12-24", "", false},
		{"sept", "3 Sept 2026", "GB", "2026-09-03", "", false},
		{"two-digit year that could be swapped",
			"3.4.26", "GB", `date "3.4.26" could be Fri 3 Apr 2026 or Wed 4 Mar 2026: write it as 2026-04-03 (or 2026-03-04)`, "", false},
		{"the same in the US", "3/4/26", "US", "could be Wed 4 Mar 2026 or Fri 3 Apr 2026", "", false},
		{"year first, two-digit, could be day first", "12/11/10", "JP", "could be Sat 10 Nov 2012 or Fri 12 Nov 2010", "", false},
		{"month first in GB", "12/24/2026", "GB",
			`date "12/24/2026": dates are read day first (24/12/2026) in GB (DEFAULT_REGION), and this is no date that way; ` +
				"read month first it is Thu 24 Dec 2026, as a spreadsheet set to another country writes it: write 2026-12-24", "", true},
		{"day first in the US", "24/12/2026", "US", "read day first it is Thu 24 Dec 2026", "", true},
		{"day first in the US, two-digit year", "24/12/26", "US", "read day first it is Thu 24 Dec 2026", "", true},
		{"no such date", "31/02/2026", "GB", `date "31/02/2026": no such date`, "", false},
		{"no such date by name", "31 Feb 2026", "GB", "no such date", "", false},
		{"the wrong weekday", "Fri 24 Dec 2026", "GB", "Thu 24 Dec 2026 is a Thursday", "", false},
		{"two months", "Dec Jan 2026", "GB", "want a date such as", "", false},
		{"a three-digit year", "24/12/202", "GB", "want a date such as 2026-12-24 or, in GB (DEFAULT_REGION), 24/12/2026", "", false},
		{"mixed separators", "24/12-2026", "GB", "want a date such as", "", false},
		{"a spreadsheet's serial number", "46380", "GB", "want a date such as", "", false},
		{"empty", "", "GB", "want a date such as", "", false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			d := rota.ReadDateCell(tc.cell, tc.region)
			got := d.Date
			if d.Err != nil {
				got = d.Err.Error()
			}
			if !strings.Contains(got, tc.want) {
				t.Errorf("ReadDateCell(%q, %s) = %q, want %q", tc.cell, tc.region, got, tc.want)
			}
			if d.Swapped != tc.swapped || d.OtherOrder != tc.otherOrder {
				t.Errorf("ReadDateCell(%q, %s): swapped %q, other order %v; want %q, %v", tc.cell, tc.region,
					d.Swapped, d.OtherOrder, tc.swapped, tc.otherOrder)
			}
		})
	}
}

func FuzzParseClockCell(f *testing.F) {
	for _, s := range []string{"22:00", "9:00", "22:00:00", "10:00:00 PM", "10 pm", "12.30a.m.", "24:00", "25:61"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, cell string) {
		c, err := rota.ParseClockCell(cell)
		if err != nil {
			if !strings.Contains(err.Error(), "want a time") {
				t.Errorf("error %q does not say what to write", err)
			}
			return
		}
		if c < 0 || c > 24*60 {
			t.Fatalf("ParseClockCell(%q) = %d minutes, out of a day", cell, c)
		}
		again, err := rota.ParseClockCell(c.String())
		if err != nil || again != c {
			t.Errorf("ParseClockCell(%q) = %s, which reads back as %s (%v)", cell, c, again, err)
		}
	})
}

func FuzzReadDateCell(f *testing.F) {
	for _, s := range []string{"2026-12-24", "24/12/2026", "24/12/26", "3.4.26", "12/24/2026", "Thu 24 Dec 2026",
		"December 24, 2026", "2026-12-24 00:00:00", "99/99/99"} {
		f.Add(s, uint8(0))
	}
	regions := []string{"GB", "US", "JP", "DE", ""}
	f.Fuzz(func(t *testing.T, cell string, region uint8) {
		d := rota.ReadDateCell(cell, regions[int(region)%len(regions)])
		if (d.Err == nil) == (d.Date == "") {
			t.Fatalf("ReadDateCell(%q): date %q and error %v, want exactly one", cell, d.Date, d.Err)
		}
		if d.Err != nil {
			if !strings.Contains(d.Err.Error(), "date ") {
				t.Errorf("error %q does not name the date", d.Err)
			}
			return
		}
		if _, err := time.Parse(rota.DateLayout, d.Date); err != nil {
			t.Fatalf("ReadDateCell(%q) = %q, not a date: %v", cell, d.Date, err)
		}
		if again := rota.ReadDateCell(d.Date, "US"); again.Date != d.Date {
			t.Errorf("ReadDateCell(%q) = %q, which reads back as %q (%v)", cell, d.Date, again.Date, again.Err)
		}
	})
}
