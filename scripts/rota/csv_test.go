package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"regexp"
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

func TestImportRefusesBadRows(t *testing.T) {
	t.Parallel()
	const vh = "name,phone\n"
	const sh = "volunteer,day,date,start,end,covers,oncall\n"
	tests := []struct {
		name         string
		vols, shifts string
		want         []string
	}{
		{name: "short number", vols: vh + "Ana,07700 900111\nBo,123\n",
			want: []string{`volunteers.csv line 3: phone "123": invalid phone number`}},
		{name: "every bad row is reported with its line",
			vols: vh + "Ana,07700 90011x\nBo,07700 900112\n\nCy,\n" + strings.Repeat("x", 41) + ",07700 900114\n",
			want: []string{`volunteers.csv line 2: phone "07700 90011x"`, "volunteers.csv line 5: phone \"\": empty",
				`volunteers.csv line 6: name "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx": give a first name`}},
		{name: "bad role, channel, tag, wellbeing limits and paused are all named",
			vols: "name,phone,role,channels,tags,max_chats,rest_minutes,week_hours,paused\n" +
				"Ana,07700 900111,boss,fax,a/b,eleven,ten,a week,maybe\n" +
				"Bo,07700 900112,,,,21,241,169,\nCy,07700 900113,,,,-1,,,\n",
			want: []string{`line 2: role "boss"`, `line 2: channels: channel "fax"`, `line 2: tags: tag "a/b"`,
				`line 2: max_chats "eleven": the most chats in one night, 1 to 20 (0 or empty: the line's NIGHT_CHATS)`,
				`line 2: rest_minutes "ten": minutes of rest after each chat, 1 to 240 (0 or empty: the line's REST_AFTER_CHAT)`,
				`line 2: week_hours "a week": the most hours of chats in 7 days, 1 to 168 (0 or empty: the line's WEEK_CHAT_HOURS)`,
				`line 2: paused "maybe": want yes or no`, `line 3: max_chats "21"`, `line 3: rest_minutes "241"`,
				`line 3: week_hours "169"`, `line 4: max_chats "-1"`}},
		{name: "a landline and a US number are not volunteers' mobiles", vols: vh + "Ana,020 7946 0000\nBo,+1 202 555 0100\n",
			want: []string{`volunteers.csv line 2: phone "020 7946 0000": `, "not a mobile",
				`volunteers.csv line 3: phone "+1 202 555 0100": `, "import with -allow-abroad"}},
		{name: "the same number twice in the file", vols: vh + "Ana,07700 900111\nBo,+44 7700 900111\n",
			want: []string{"volunteers.csv line 3: phone +447700900111 is also on line 2"}},
		{name: "a bad id", vols: "id,name,phone\nx7,Ana,07700 900111\n", want: []string{`line 2: id "x7"`}},
		{name: "unknown column", vols: "name,phone,email\nAna,07700 900111,a@example.org\n",
			want: []string{`volunteers.csv line 1: unknown column "email": the columns are id, name, phone`}},
		{name: "missing phone column", vols: "name\nAna\n", want: []string{`volunteers.csv line 1: no "phone" column`}},
		{name: "empty file", vols: "\n\n", want: []string{"volunteers.csv line 1: the file is empty"}},
		{name: "a value under no header", vols: vh + "Ana,07700 900111,oops\n",
			want: []string{`volunteers.csv line 2: "oops" is in column 3, which has no name`}},
		{name: "an unclosed quote", vols: vh + "Ana,07700 900111\n\"Bo,07700 900112\n",
			want: []string{"volunteers.csv line 3:", "a quote must open and close a whole cell"}},
		{name: "a number in scientific notation gets a hint", vols: vh + "Ana,7.7009E+09\n",
			want: []string{"line 2:", "format the column as text"}},
		{name: "an international number without its + gets a hint", vols: vh + "Ana,12025550100\n",
			want: []string{"line 2:", "if it is +12025550100, write the +"}},
		{name: "day and date, or neither", shifts: sh + "v1,fri,2026-12-25,20:00,22:00,,\nv1,,,20:00,22:00,,\n",
			want: []string{"shifts.csv line 2: give a day", "shifts.csv line 3: give a day"}},
		{name: "bad day, date and times",
			shifts: sh + "v1,funday,,20:00,22:00,,\nv1,,31/02/2026,20:00,22:00,,\nv1,fri,,25:00,13pm,,\nv1,fri,,24:00,02:00,,\n",
			want: []string{`line 2: day "funday"`, `line 3: date "31/02/2026": no such date`,
				`line 4: start "25:00"`, `line 4: end "13pm": with AM or PM the hour is 1 to 12`, "line 5: start 24:00"}},
		{name: "a weekly cover", shifts: sh + "v2,fri,,20:00,22:00,v1,\n",
			want: []string{"shifts.csv line 2: covers: a cover is for one date"}},
		{name: "cover of themselves", shifts: sh + "v1,,2026-12-25,20:00,22:00,07700 900101,\n",
			want: []string{"shifts.csv line 2: covers: a volunteer cannot cover themselves"}},
		{name: "unknown volunteers", shifts: sh + "v9,fri,,20:00,22:00,,\n07700 900199,,2026-12-25,20:00,22:00,v1,\n",
			want: []string{"shifts.csv line 2: volunteer: no volunteer v9 on the rota",
				"shifts.csv line 3: volunteer: no volunteer has the number +447700900199"}},
		{name: "on call needs a coordinator", shifts: sh + "v1,fri,,20:00,22:00,,yes\nv2,fri,,20:00,22:00,,perhaps\n",
			want: []string{"shifts.csv line 2: oncall yes: Sam is not a coordinator", `shifts.csv line 3: oncall "perhaps"`}},
		{name: "the same shift twice, by id and by number",
			shifts: sh + "v1,fri,,20:00,22:00,,\n\n+447700900101,Friday,,20:00,22:00,,no\n",
			want:   []string{"shifts.csv line 4: the same shift as line 2"}},
		{name: "no day or date column", shifts: "volunteer,start,end\nv1,20:00,22:00\n",
			want: []string{`shifts.csv line 1: no "day" or "date" column`}},
		{name: "bad rows of both files are reported together",
			vols: vh + "Ana,07700 900111\nBo,123\n", shifts: sh + "07700 900111,fri,,20:00,25:00,,\n",
			want: []string{`volunteers.csv line 3: phone "123"`, `shifts.csv line 2: end "25:00"`}},
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

func TestImportTakesWhatSpreadsheetsWrite(t *testing.T) {
	t.Parallel()
	sam := rota.Volunteer{ID: "v1", Name: "Sam", Phone: "+447700900101", Active: true, Channels: []string{"sms"}}
	tests := []struct {
		name         string
		vols, shifts string
		want         []rota.Volunteer
		wantShifts   []rota.Shift
	}{
		{name: "byte order mark, CRLF, blank lines, spaces, trailing empty columns, header in any case and order",
			vols: "\ufeff Phone , NAME ,Max Chats,Role,Channels,Tags,,\r\n\r\n,,,,,,,\r\n" +
				" 07700 900102 , Jo ,2, Coordinator ,WhatsApp; SMS, Women Only; alcohol,,\r\n",
			want: []rota.Volunteer{sam, {ID: "v2", Name: "Jo", Phone: "+447700900102", Active: true, Coordinator: true,
				Channels: []string{"whatsapp", "sms"}, Tags: []string{"alcohol", "women-only"}, MaxChats: 2}}},
		{name: "a UK number whose leading 0 or + the spreadsheet dropped",
			vols: "name,phone\nJo,7700900102\nLee,447700900104\n",
			want: []rota.Volunteer{sam, {ID: "v2", Name: "Jo", Phone: "+447700900102", Active: true, Channels: []string{"sms"}},
				{ID: "v3", Name: "Lee", Phone: "+447700900104", Active: true, Channels: []string{"sms"}}}},
		{name: "yes and no in every spelling, times as spreadsheets write them back",
			vols: "name,phone,role\nKim,07700 900103,coordinator\n",
			shifts: "volunteer,day,date,start,end,oncall\r\n07700900103,FRI,,9:00,17:00:00,Y\r\n" +
				"07700900103,,2026-12-25,22:00:00,24:00,true\r\n07700900103,sat,,10:00,11:00,0\r\n",
			want: []rota.Volunteer{sam, {ID: "v2", Name: "Kim", Phone: "+447700900103", Active: true, Coordinator: true,
				Channels: []string{"sms"}}},
			wantShifts: []rota.Shift{
				{ID: "s1", Volunteer: "v2", Day: 5, Start: 9 * 60, End: 17 * 60, OnCall: true},
				{ID: "s3", Volunteer: "v2", Day: 6, Start: 10 * 60, End: 11 * 60},
				{ID: "s2", Volunteer: "v2", Date: "2026-12-25", Start: 22 * 60, End: 24 * 60, OnCall: true}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			c := newCLI(t)
			c.must("volunteer", "add", "-name", "Sam", "-phone", "07700 900101")
			c.must(c.importArgs(tc.vols, tc.shifts)...)
			r := c.load()
			if diff := cmp.Diff(tc.want, sortedVolunteers(r)); diff != "" {
				t.Errorf("volunteers (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tc.wantShifts, r.Shifts); diff != "" {
				t.Errorf("shifts (-want +got):\n%s", diff)
			}
		})
	}
}

// lineNumbered is how every problem with a file begins.
var lineNumbered = regexp.MustCompile(`^(volunteers|shifts)\.csv line [1-9][0-9]*: `)

// fuzzProblems checks that reading never panics and that every problem names its line.
func fuzzProblems(t *testing.T, ps problems) {
	err := ps.err()
	if err == nil {
		return
	}
	for _, msg := range strings.Split(err.Error(), "\n") {
		if !lineNumbered.MatchString(msg) {
			t.Errorf("problem without a line number: %q", msg)
		}
	}
}

func FuzzReadVolunteersCSV(f *testing.F) {
	f.Add([]byte("id,name,phone,role,channels,tags,max_chats,rest_minutes,week_hours,notes,paused\n" +
		"v1,Sam,+44 7700 900101,volunteer,sms,alcohol; women-only,1,15,,,no\n"))
	f.Add([]byte("\ufeffName,Phone\r\n\r\nJo,7700900102,,\r\n\"Bo\nB\",123\n"))
	f.Add([]byte("name,phone,name\n\"unclosed,1\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		_, ps := readVolunteers("volunteers.csv", bytes.NewReader(data), "GB", false)
		fuzzProblems(t, ps)
	})
}

func FuzzReadShiftsCSV(f *testing.F) {
	f.Add([]byte("volunteer,name,day,date,start,end,covers,oncall\n+44 7700 900101,Sam,fri,,22:00,02:00,,no\n"))
	f.Add([]byte("volunteer,date,start,end,covers\nv2,2026-12-24,20:00,24:00,v1\nv3,24/12/2026,9:00:00,25:00,v3\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		_, ps := readShifts("shifts.csv", bytes.NewReader(data), "GB")
		fuzzProblems(t, ps)
	})
}

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
		{"GB: day first, seconds and AM/PM as LibreOffice writes them", "GB",
			header + "v1,24/12/2026,10:00:00 PM,11:00 pm\nv1,25/12/26,12:00:00 AM,2 AM\nv1,2026-12-26,09:00:00,10.30\n",
			[]rota.Shift{eve(22*60, 23*60), {Volunteer: "v1", Date: "2026-12-25", Start: 0, End: 2 * 60},
				{Volunteer: "v1", Date: "2026-12-26", Start: 9 * 60, End: 10*60 + 30}}, nil},
		{"GB: 03/04/2026 is 3 April", "GB", header + "v1,03/04/2026,20:00,22:00\n",
			[]rota.Shift{{Volunteer: "v1", Date: "2026-04-03", Start: 20 * 60, End: 22 * 60}}, nil},
		{"US: month first", "US", header + "v1,12/24/2026,10 PM,11 PM\nv1,03/04/2026,20:00,22:00\n",
			[]rota.Shift{{Volunteer: "v1", Date: "2026-03-04", Start: 20 * 60, End: 22 * 60}, eve(22*60, 23*60)}, nil},
		{"GB: a two-digit year that could be either is refused with both readings", "GB", header + "v1,3.4.26,20:00,22:00\n",
			nil, []string{`shifts.csv line 2: date "3.4.26" could be Fri 3 Apr 2026 or Wed 4 Mar 2026: write it as 2026-04-03 (or 2026-03-04)`}},
		{"GB: a month-first date refuses itself and the file's dates that could be either", "GB",
			header + "v1,03/04/2026,20:00,22:00\nv1,24/12/2026,20:00,22:00\nv1,12/25/2026,20:00,22:00\n",
			nil, []string{
				"shifts.csv line 2: date Fri 3 Apr 2026 or Wed 4 Mar 2026? Dates are read day first (24/12/2026) in GB " +
					"(DEFAULT_REGION), but line 4 shows this file may write them the other way: write it as 2026-04-03 (or 2026-03-04)",
				`shifts.csv line 4: date "12/25/2026": dates are read day first (24/12/2026) in GB (DEFAULT_REGION), and this is ` +
					"no date that way; read month first it is Fri 25 Dec 2026"}},
		{"US: a day-first date is refused", "US", header + "v1,24/12/2026,20:00,22:00\n",
			nil, []string{`shifts.csv line 2: date "24/12/2026": dates are read month first (12/24/2026) in US`, "write 2026-12-24"}},
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
