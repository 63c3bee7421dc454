package rota_test

import (
	"context"
	"regexp"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"peerline/redistest"
	"peerline/rota"
)

// csvLine is a fresh line for import tests, with Sam (v1, a volunteer) and, unless it is left out,
// Kim (v2, a coordinator).
type csvLine struct {
	store *rota.Store
}

func newCSVLine(t *testing.T, kim bool) csvLine {
	t.Helper()
	rdb, line := redistest.New(t)
	l := csvLine{store: rota.NewStore(rdb, line, london(t))}
	l.add(t, "Sam", "+447700900101", false)
	if kim {
		l.add(t, "Kim", "+447700900103", true)
	}
	return l
}

func (l csvLine) add(t *testing.T, name, number string, coordinator bool) {
	t.Helper()
	v := rota.Volunteer{Name: name, Phone: number, Coordinator: coordinator}
	if _, err := l.store.AddVolunteer(context.Background(), v); err != nil {
		t.Fatal(err)
	}
}

func (l csvLine) load(t *testing.T) rota.Rota {
	t.Helper()
	r, err := l.store.Load(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// csvImport is an import of the files given as text ("" for none), as the rota tool makes it.
type csvImport struct {
	vols, shifts string
	region       string // "" is GB
	abroad       bool
	replace      bool
	today        string // ImportFiles.Today
}

// read reads the files and returns them, with every problem of reading them.
func (c csvImport) read() (rota.ImportFiles, rota.FileProblems) {
	region := c.region
	if region == "" {
		region = "GB"
	}
	f := rota.ImportFiles{Replace: c.replace, Tool: "rota", Today: c.today}
	var ps rota.FileProblems
	if c.vols != "" {
		v, more := rota.ReadVolunteersCSV("volunteers.csv", strings.NewReader(c.vols), region, c.abroad)
		f.Volunteers, ps = &v, append(ps, more...)
	}
	if c.shifts != "" {
		s, more := rota.ReadShiftsCSV("shifts.csv", strings.NewReader(c.shifts), region)
		f.Shifts, ps = &s, append(ps, more...)
	}
	return f, ps
}

// plan reads the files and plans them over r; err lists every problem, as the rota tool shows them.
func (c csvImport) plan(r rota.Rota) (rota.Plan, rota.ImportChanges, error) {
	f, ps := c.read()
	p, ch, more := rota.PlanImport(r, f)
	return p, ch, append(ps, more...).Err()
}

// apply plans the import over the line's rota and applies it; it fails the test on a problem.
func (c csvImport) apply(t *testing.T, l csvLine) rota.ImportChanges {
	t.Helper()
	var ch rota.ImportChanges
	_, err := l.store.Change(context.Background(), func(r rota.Rota) (rota.Plan, error) {
		p, changes, err := c.plan(r)
		ch = changes
		return p, err
	})
	if err != nil {
		t.Fatalf("import: %v", err)
	}
	return ch
}

// wantErrParts checks that err is there and says each of want.
func wantErrParts(t *testing.T, err error, want ...string) {
	t.Helper()
	if err == nil {
		t.Fatalf("no problem, want one saying %q", want)
	}
	for _, w := range want {
		if !strings.Contains(err.Error(), w) {
			t.Errorf("problems do not say %q:\n%v", w, err)
		}
	}
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
			want: []string{"shifts.csv line 2: volunteer: no volunteer v9 on the rota (see rota volunteer list)",
				"shifts.csv line 3: volunteer: no volunteer has the number +447700900199"}},
		{name: "on call needs a coordinator", shifts: sh + "v1,fri,,20:00,22:00,,yes\nv2,fri,,20:00,22:00,,perhaps\n",
			want: []string{"shifts.csv line 2: oncall yes: Sam is not a coordinator", `shifts.csv line 3: oncall "perhaps"`}},
		{name: "the same shift twice, by id and by number",
			shifts: sh + "v1,fri,,20:00,22:00,,\n\n+447700900101,Friday,,20:00,22:00,,no\n",
			want:   []string{"shifts.csv line 4: the same shift as line 2"}},
		{name: "no day or date column", shifts: "volunteer,start,end\nv1,20:00,22:00\n",
			want: []string{`shifts.csv line 1: no "day" or "date" column`}},
		{name: "a shift of 0 hours is a bad row, listed with the others",
			shifts: sh + "v1,fri,,20:00,20:00,,\nv1,funday,,20:00,22:00,,\n",
			want:   []string{"shifts.csv line 2: a shift of 0 hours: did you mean 00:00 to 24:00", `shifts.csv line 3: day "funday"`}},
		{name: "two rows putting one volunteer on at once name the row",
			shifts: sh + "v1,fri,,20:00,23:00,,\nv1,fri,,22:00,02:00,,\nv1,sat,,25:00,02:00,,\n",
			want:   []string{"shifts.csv line 3: Sam (v1) is already on shift then", `shifts.csv line 4: start "25:00"`}},
		{name: "bad rows of both files are reported together",
			vols: vh + "Ana,07700 900111\nBo,123\n", shifts: sh + "07700 900111,fri,,20:00,25:00,,\n",
			want: []string{`volunteers.csv line 3: phone "123"`, `shifts.csv line 2: end "25:00"`}},
	}
	l := newCSVLine(t, true)
	r := l.load(t)
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			_, _, err := csvImport{vols: tc.vols, shifts: tc.shifts}.plan(r)
			wantErrParts(t, err, tc.want...)
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
		{name: "a paused volunteer is added paused", // was TestImportAddsAPausedVolunteerPaused
			vols: "name,phone,paused\nAna,07700 900111,yes\nBo,07700 900112,no\n",
			want: []rota.Volunteer{sam, {ID: "v2", Name: "Ana", Phone: "+447700900111", Channels: []string{"sms"}},
				{ID: "v3", Name: "Bo", Phone: "+447700900112", Active: true, Channels: []string{"sms"}}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			l := newCSVLine(t, false)
			csvImport{vols: tc.vols, shifts: tc.shifts}.apply(t, l)
			r := l.load(t)
			if diff := cmp.Diff(tc.want, r.VolunteersByID()); diff != "" {
				t.Errorf("volunteers (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tc.wantShifts, r.Shifts); diff != "" {
				t.Errorf("shifts (-want +got):\n%s", diff)
			}
		})
	}
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
			l := newCSVLine(t, false)
			c := csvImport{shifts: tc.shifts, region: tc.region}
			if tc.wantErr != nil {
				_, _, err := c.plan(l.load(t))
				wantErrParts(t, err, tc.wantErr...)
				if err != nil && strings.Contains(err.Error(), "line 3:") {
					t.Errorf("line 3 was refused too; its date is in no doubt:\n%v", err)
				}
				return
			}
			c.apply(t, l)
			got := l.load(t).Shifts
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
	l := newCSVLine(t, false)
	// Ana's mobile is Polish; Zoë's is American, but she is on the rota already, so her row needs no -allow-abroad.
	l.add(t, "Zoë", "+12025550100", false)
	vols := "name,phone\nAna,+48 512 345 678\nZoë,+1 202 555 0100\n"
	_, _, err := csvImport{vols: vols}.plan(l.load(t))
	wantErrParts(t, err, `volunteers.csv line 2: phone "+48 512 345 678": `, "import with -allow-abroad")
	if strings.Contains(err.Error(), "line 3") {
		t.Errorf("Zoë, on the rota already, was refused:\n%v", err)
	}
	p, _, err := csvImport{vols: vols, abroad: true}.plan(l.load(t))
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Volunteers) != 1 || p.Volunteers[0].Phone != "+48512345678" {
		t.Errorf("with abroad, the plan adds %+v, want Ana only", p.Volunteers)
	}
}

func TestImportKeepsWhatTheFileLeavesOut(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	l := newCSVLine(t, true)
	if _, err := l.store.UpdateVolunteer(ctx, "v2", func(v *rota.Volunteer) error {
		v.Tags, v.MaxChats, v.Notes = []string{"alcohol"}, 3, "nights"
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if _, err := l.store.AddShift(ctx, rota.Shift{Volunteer: "v1", Day: 5, Start: 22 * 60, End: 2 * 60}); err != nil {
		t.Fatal(err)
	}
	if _, err := l.store.Change(ctx, func(rota.Rota) (rota.Plan, error) {
		return rota.Plan{Skip: []string{rota.SkipKey("s1", "2026-12-25")}}, nil
	}); err != nil {
		t.Fatal(err)
	}
	before := l.load(t)
	ch := csvImport{vols: "name,phone\nKimberly,07700 900103\n", shifts: "volunteer,day,start,end\nv2,sat,10:00,12:00\n"}.apply(t, l)
	if len(ch.Updated) != 1 || !cmp.Equal(ch.Updated[0].Changes, []string{`name "Kim" -> "Kimberly"`}) {
		t.Errorf("updated %+v, want Kim's name only", ch.Updated)
	}
	if ch.Untouched != 1 || len(ch.NotInFile) != 1 {
		t.Errorf("%d volunteers and %d shifts not in the files, want Sam and his shift", ch.Untouched, len(ch.NotInFile))
	}
	after := l.load(t)
	kim := before.Volunteers["v2"]
	kim.Name = "Kimberly"
	if diff := cmp.Diff(kim, after.Volunteers["v2"]); diff != "" {
		t.Errorf("Kim (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(before.Volunteers["v1"], after.Volunteers["v1"]); diff != "" {
		t.Errorf("Sam, not in the file, changed (-before +after):\n%s", diff)
	}
	if len(after.Shifts) != 2 || !after.Skips[rota.SkipKey("s1", "2026-12-25")] {
		t.Errorf("shifts %v and skips %v, want Sam's kept with its skip and Kim's added", after.Shifts, after.Skips)
	}
}

func TestImportMatchesShiftsByIDThenByWhatTheyAre(t *testing.T) {
	t.Parallel()
	const header = "id,volunteer,day,date,start,end,oncall\n"
	sat := rota.Shift{Volunteer: "v1", Day: 6, Start: 10 * 60, End: 12 * 60}
	tests := []struct {
		name     string
		shifts   string
		add      []rota.Shift // shifts the plan adds
		changed  []string     // ids of the rota's shifts the plan changes
		present  int          // rows already on the rota
		wantNote string       // in a note, or in the problems when the plan is refused
	}{
		{name: "a row without an id is a new shift", shifts: header + ",v1,sat,,10:00,12:00,\n", add: []rota.Shift{sat}},
		{name: "a row without an id that the rota has is that shift", shifts: header + ",v1,fri,,22:00,02:00,\n", present: 1},
		{name: "an end of 00:00 is the same as 24:00", shifts: header + ",v1,,2026-12-24,20:00,00:00,\n", present: 1},
		{name: "an id not on the rota is a new shift, with a note", shifts: header + "s99,v1,sat,,10:00,12:00,\n",
			add: []rota.Shift{sat}, wantNote: "shifts.csv line 2: there is no shift s99 on the rota"},
		{name: "a row the same as another shift is that one, whatever its id (a file of another line)",
			shifts: header + "s1,v2,mon,,18:00,09:00,yes\ns2,v1,fri,,22:00,02:00,\n", present: 2},
		{name: "a row with the id of a shift on the rota changes it",
			shifts: header + "s1,v1,fri,,21:00,02:00,\n", changed: []string{"s1"},
			add: []rota.Shift{{Volunteer: "v1", Day: 5, Start: 21 * 60, End: 2 * 60}}},
		{name: "an id that is no shift id is refused",
			shifts: header + "s1,v1,fri,,22:00,02:00,\ns1x,v1,sat,,10:00,12:00,\n", wantNote: `shifts.csv line 3: id "s1x"`},
		{name: "an id of a shift another row already is, is a new shift, with a note",
			shifts: header + "s2,v1,fri,,22:00,02:00,\ns1,v1,sat,,10:00,12:00,\n", add: []rota.Shift{sat}, present: 1,
			wantNote: "shifts.csv line 3: shift s1 is another row of the file, as it is on the rota, so this row is read as a new shift"},
		{name: "an id twice is refused",
			shifts: header + "s1,v1,fri,,22:00,02:00,\ns1,v1,sat,,10:00,12:00,\n", wantNote: "shifts.csv line 3: id s1 is also on line 2"},
	}
	l := givenWeek(t)
	r := l.load(t)
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			p, ch, err := csvImport{shifts: tc.shifts}.plan(r)
			if err != nil {
				if tc.wantNote == "" || !strings.Contains(err.Error(), tc.wantNote) {
					t.Fatalf("problems:\n%v\nwant none or %q", err, tc.wantNote)
				}
				return
			}
			var added []rota.Shift
			for _, row := range ch.AddShifts {
				added = append(added, row.Shift)
			}
			for _, c := range ch.ChangedShifts {
				added = append(added, c.New)
			}
			var changed []string
			for _, c := range ch.ChangedShifts {
				changed = append(changed, c.Old.ID)
			}
			if diff := cmp.Diff(tc.add, added); diff != "" {
				t.Errorf("shifts added (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tc.add, p.Shifts); diff != "" {
				t.Errorf("the plan's shifts (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tc.changed, changed); diff != "" {
				t.Errorf("shifts changed (-want +got):\n%s", diff)
			}
			if ch.Present != tc.present {
				t.Errorf("%d rows already on the rota, want %d", ch.Present, tc.present)
			}
			if notes := strings.Join(ch.Notes, "\n"); !strings.Contains(notes, tc.wantNote) {
				t.Errorf("notes %q do not say %q", notes, tc.wantNote)
			}
		})
	}
}

// givenWeek is Sam and Kim with three shifts: s1 Sam Fri 22:00-02:00, s2 Kim on call Mon 18:00-09:00,
// s3 Sam on Christmas Eve 20:00-24:00.
func givenWeek(t *testing.T) csvLine {
	t.Helper()
	l := newCSVLine(t, true)
	for _, s := range []rota.Shift{
		{Volunteer: "v1", Day: 5, Start: 22 * 60, End: 2 * 60},
		{Volunteer: "v2", Day: 1, Start: 18 * 60, End: 9 * 60, OnCall: true},
		{Volunteer: "v1", Date: "2026-12-24", Start: 20 * 60, End: 24 * 60},
	} {
		if _, err := l.store.AddShift(context.Background(), s); err != nil {
			t.Fatal(err)
		}
	}
	return l
}

// lineNumbered is how every problem with a file begins.
var lineNumbered = regexp.MustCompile(`^(volunteers|shifts)\.csv line [1-9][0-9]*: `)

// fuzzProblems checks that reading never panics and that every problem names its line.
func fuzzProblems(t *testing.T, ps rota.FileProblems) {
	err := ps.Err()
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
		_, ps := rota.ReadVolunteersCSV("volunteers.csv", strings.NewReader(string(data)), "GB", false)
		fuzzProblems(t, ps)
	})
}

func FuzzReadShiftsCSV(f *testing.F) {
	f.Add([]byte("volunteer,name,day,date,start,end,covers,oncall\n+44 7700 900101,Sam,fri,,22:00,02:00,,no\n"))
	f.Add([]byte("volunteer,date,start,end,covers\nv2,2026-12-24,20:00,24:00,v1\nv3,24/12/2026,9:00:00,25:00,v3\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		_, ps := rota.ReadShiftsCSV("shifts.csv", strings.NewReader(string(data)), "GB")
		fuzzProblems(t, ps)
	})
}
