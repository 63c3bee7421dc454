package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/redis/go-redis/v9"

	"peerline/rota"
)

// csvFile writes content to name in a folder of the test's and returns its path.
func (c *cli) csvFile(name, content string) string {
	c.t.Helper()
	path := filepath.Join(c.t.TempDir(), name)
	if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
		c.t.Fatal(err)
	}
	return path
}

// importArgs returns the import command line for the files given ("" for none) and extra flags.
func (c *cli) importArgs(vols, shifts string, flags ...string) []string {
	c.t.Helper()
	args := []string{"import"}
	if vols != "" {
		args = append(args, "-volunteers", c.csvFile("volunteers.csv", vols))
	}
	if shifts != "" {
		args = append(args, "-shifts", c.csvFile("shifts.csv", shifts))
	}
	return append(args, flags...)
}

// snapshot returns every Redis key of the test's line with its serialised value, so a test can prove
// that nothing at all changed.
func (c *cli) snapshot() map[string]string {
	c.t.Helper()
	opt, err := redis.ParseURL(c.env["REDIS_URL"])
	if err != nil {
		c.t.Fatal(err)
	}
	rdb := redis.NewClient(opt)
	defer rdb.Close()
	ctx := context.Background()
	out := map[string]string{}
	iter := rdb.Scan(ctx, 0, "pl:{"+c.env["LINE_ID"]+"}:*", 1000).Iterator()
	for iter.Next(ctx) {
		dump, err := rdb.Dump(ctx, iter.Val()).Result()
		if err != nil {
			c.t.Fatal(err)
		}
		out[iter.Val()] = dump
	}
	if err := iter.Err(); err != nil {
		c.t.Fatal(err)
	}
	return out
}

// givenSamAndKim adds Sam (v1, a volunteer) and Kim (v2, a coordinator) to a fresh line.
func givenSamAndKim(t *testing.T) *cli {
	t.Helper()
	c := newCLI(t)
	c.must("volunteer", "add", "-name", "Sam", "-phone", "07700 900101")
	c.must("volunteer", "add", "-name", "Kim", "-phone", "07700 900103", "-coordinator")
	return c
}

// TestImportRefusesBadRows checks that the tool changes nothing when the files have problems, in a dry
// run and not; rota's TestImportRefusesBadRows has every problem.
func TestImportRefusesBadRows(t *testing.T) {
	t.Parallel()
	const vh = "name,phone\n"
	const sh = "volunteer,day,date,start,end,covers,oncall\n"
	tests := []struct {
		name         string
		vols, shifts string
		want         []string
	}{
		{name: "a bad row of volunteers.csv", vols: vh + "Ana,07700 900111\nBo,123\n",
			want: []string{`volunteers.csv line 3: phone "123": invalid phone number`}},
		{name: "a problem only the rota shows", shifts: sh + "v9,fri,,20:00,22:00,,\n07700 900199,,2026-12-25,20:00,22:00,v1,\n",
			want: []string{"shifts.csv line 2: volunteer: no volunteer v9 on the rota (see go run ./scripts/rota volunteer list)",
				"shifts.csv line 3: volunteer: no volunteer has the number +447700900199"}},
		{name: "bad rows of both files are reported together",
			vols: vh + "Ana,07700 900111\nBo,123\n", shifts: sh + "07700 900111,fri,,20:00,25:00,,\n",
			want: []string{`volunteers.csv line 3: phone "123"`, `shifts.csv line 2: end "25:00"`}},
		{name: "a one-off shift last year, a slip: refused on its line (the tool's today is 2026-11-24)",
			shifts: sh + "v1,fri,,20:00,22:00,,\nv1,,24/12/2025,20:00,22:00,,\n",
			want:   []string{"shifts.csv line 3: date 2025-12-24 has passed (today is 2026-11-24)"}},
		{name: "a shift that puts Sam on twice, with the others, on its line",
			shifts: sh + "v1,sat,,20:00,23:00,,\nv1,sat,,22:00,02:00,,\nv1,sun,,20:00,25:00,,\n",
			want:   []string{"shifts.csv line 3: Sam (v1) is already on shift then", `shifts.csv line 4: end "25:00"`}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			c := givenSamAndKim(t)
			before := c.snapshot()
			for _, dry := range []bool{true, false} {
				var flags []string
				if dry {
					flags = []string{"-dry-run"}
				}
				r := c.run("", c.importArgs(tc.vols, tc.shifts, flags...)...)
				wantErr(t, r, false, append([]string{"nothing was imported"}, tc.want...)...)
			}
			if diff := cmp.Diff(before, c.snapshot()); diff != "" {
				t.Errorf("a refused import changed Redis (-before +after):\n%s", diff)
			}
		})
	}
}

// TestImportReadsDatesAndTimesAsTheRegionWritesThem checks that the line's DEFAULT_REGION reaches the
// import; rota's test of the same name has every form of date and time.
func TestImportReadsDatesAndTimesAsTheRegionWritesThem(t *testing.T) {
	t.Parallel()
	const header = "volunteer,date,start,end\n"
	eve := func(start, end rota.Clock) rota.Shift {
		return rota.Shift{Volunteer: "v1", Date: "2026-12-24", Start: start, End: end}
	}
	tests := []struct {
		name, region, shifts string
		want                 []rota.Shift // sorted by date and start; nil when refused
		wantErr              []string
	}{
		{"US: month first", "US", header + "v1,12/24/2026,10 PM,11 PM\nv1,03/04/2027,20:00,22:00\n",
			[]rota.Shift{eve(22*60, 23*60), {Volunteer: "v1", Date: "2027-03-04", Start: 20 * 60, End: 22 * 60}}, nil},
		{"GB: a month-first date refuses itself and the file's dates that could be either", "GB",
			header + "v1,03/04/2026,20:00,22:00\nv1,24/12/2026,20:00,22:00\nv1,12/25/2026,20:00,22:00\n",
			nil, []string{
				"shifts.csv line 2: date Fri 3 Apr 2026 or Wed 4 Mar 2026? Dates are read day first (24/12/2026) in GB " +
					"(DEFAULT_REGION), but line 4 shows this file may write them the other way: write it as 2026-04-03 (or 2026-03-04)",
				`shifts.csv line 4: date "12/25/2026": dates are read day first (24/12/2026) in GB (DEFAULT_REGION), and this is ` +
					"no date that way; read month first it is Fri 25 Dec 2026"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			c := newCLI(t)
			c.env["DEFAULT_REGION"] = tc.region
			c.must("volunteer", "add", "-name", "Sam", "-phone", "+447700900101", "-allow-abroad")
			r := c.run("", c.importArgs("", tc.shifts)...)
			if tc.wantErr != nil {
				wantErr(t, r, false, tc.wantErr...)
				if strings.Contains(r.err.Error(), "line 3:") {
					t.Errorf("line 3 was refused too; its date is in no doubt:\n%v", r.err)
				}
				return
			}
			if r.err != nil {
				t.Fatal(r.err)
			}
			got := sortedShifts(c.load(), "")
			for i := range got {
				got[i].ID = ""
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("shifts (-want +got):\n%s", diff)
			}
		})
	}
}

func TestImportTakesAMobileAbroadOnlyWhenAllowed(t *testing.T) {
	t.Parallel()
	c := newCLI(t)
	vols := "name,phone\nAna,+48 512 345 678\n" // a Polish mobile
	if r := c.run("", c.importArgs(vols, "")...); r.err == nil || !strings.Contains(r.err.Error(), "-allow-abroad") {
		t.Fatalf("import of a Polish mobile on a GB line: err %v, want a refusal naming -allow-abroad", r.err)
	}
	c.must(c.importArgs(vols, "", "-allow-abroad")...)
	if v, ok := c.load().ByPhone("+48512345678"); !ok || v.Name != "Ana" {
		t.Fatalf("Ana was not imported with -allow-abroad: %+v", v)
	}
}
