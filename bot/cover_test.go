package bot_test

import (
	"context"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"peerline/bot"
	"peerline/commit"
	"peerline/due"
	"peerline/phone"
	"peerline/rota"
	"peerline/twiliofake"
)

const (
	cy   = "+447700900105"
	dee  = "+447700900106"
	coor = "+447700900107"
)

// coverRota is a week with Jo on Thursdays 22:00-02:00, Sam, Cy and Dee with no Thursday shift, and
// Kim a coordinator; the clock is Wednesday noon.
func coverRota(t *testing.T) (*fixture, map[string]rota.Volunteer) {
	f := newFixture(t)
	ctx := context.Background()
	vols := map[string]rota.Volunteer{}
	for _, v := range []rota.Volunteer{{Name: "Jo", Phone: jo}, {Name: "Sam", Phone: sam}, {Name: "Cy", Phone: cy},
		{Name: "Dee", Phone: dee}, {Name: "Kim", Phone: coor, Coordinator: true}} {
		added, err := f.rota.AddVolunteer(ctx, v)
		if err != nil {
			t.Fatal(err)
		}
		vols[v.Name] = added
	}
	if _, err := f.rota.AddShift(ctx, rota.Shift{Volunteer: vols["Jo"].ID, Day: time.Thursday, Start: 22 * 60, End: 2 * 60}); err != nil {
		t.Fatal(err)
	}
	if _, err := f.rota.AddShift(ctx, rota.Shift{Volunteer: vols["Dee"].ID, Day: time.Wednesday, Start: 17 * 60, End: 23 * 60}); err != nil {
		t.Fatal(err)
	}
	f.clock.set(time.Date(2026, 12, 23, 12, 0, 0, 0, f.rota.Location())) // Wednesday noon
	return f, vols
}

var askCode = regexp.MustCompile(`COVER (C[0-9A-Z]{3})`)

func TestCantAsksOthersAndTheFirstCoverWins(t *testing.T) {
	f, vols := coverRota(t)
	ctx := context.Background()
	f.text(jo, "can't make it thursday")
	got := f.expect("Jo's CANT",
		jo+": You're off Thu 22:00-02:00 and we're asking others",
		sam+": can you cover Thu 22:00-02:00? Reply COVER C",
		cy+": can you cover Thu 22:00-02:00?",
		dee+": can you cover Thu 22:00-02:00?",
		coor+": Jo can't make Thu 22:00-02:00")
	if len(got) != 5 {
		t.Fatalf("Jo's CANT queued %d texts, want 5 (Jo, three asked, the coordinator): %q", len(got), got)
	}
	m := askCode.FindStringSubmatch(got[1] + got[2] + got[3])
	if m == nil {
		t.Fatalf("no ask code in %q", got)
	}
	r, err := f.rota.Load(ctx)
	if err != nil {
		t.Fatal(err)
	}
	thu := time.Date(2026, 12, 24, 23, 0, 0, 0, f.rota.Location())
	if r.OnShift(vols["Jo"].ID, thu) {
		t.Fatal("Jo is still on shift on Thursday night after CANT")
	}

	var wg sync.WaitGroup // Sam and Cy reply at the same moment, to the two instances
	for i, from := range []string{sam, cy} {
		wg.Go(func() {
			in := bot.Inbound{MessageSID: twiliofake.NewSID("SM"), From: from, Channel: phone.SMS, Body: "cover " + m[1]}
			if err := f.bots[i].Handle(ctx, in); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	got = f.queued()
	won, lost := sam, cy
	if has(got, cy, "is yours") {
		won, lost = cy, sam
	}
	name := map[string]string{sam: "Sam", cy: "Cy"}[won]
	for _, w := range []string{won + ": is yours", lost + ": is covered now", dee + ": is covered now",
		coor + ": " + name + " is covering Thu 22:00-02:00"} {
		to, part, _ := strings.Cut(w, ": ")
		if !has(got, to, part) {
			t.Errorf("no text to %s with %q; queued %q", to, part, got)
		}
	}
	if len(got) != 4 {
		t.Errorf("the race queued %d texts, want 4 (one each: winner, loser, Dee, coordinator): %q", len(got), got)
	}
	r, err = f.rota.Load(ctx)
	if err != nil {
		t.Fatal(err)
	}
	on := r.OnShiftAt(thu)
	if len(on) != 1 || on[0].Phone != won {
		t.Fatalf("on shift Thursday 23:00: %v, want only the winner", on)
	}
	f.text(lost, "COVER "+m[1])
	if got := f.queued(); len(got) != 0 {
		t.Fatalf("the loser's second COVER got %q; they were told it was covered", got)
	}
	f.text(dee, "cover")
	f.expect("Dee's COVER with no code, no ask open", dee+": Reply COVER and the code")
}

func TestCantFindsTheRightShift(t *testing.T) {
	tests := []struct {
		text, want string
	}{
		{"CANT", "You're off Wed 17:00-23:00"},
		{"skip", "You're off Wed 17:00-23:00"},
		{"CAN'T TONIGHT", "You're off Wed 17:00-23:00"},
		{"cant tomorrow", "couldn't find a shift of yours on tomorrow"},
		{"Cant weds", "You're off Wed 17:00-23:00"},
		{"CANT FRI", "couldn't find a shift of yours on Friday"},
	}
	for _, tc := range tests {
		t.Run(tc.text, func(t *testing.T) {
			f, _ := coverRota(t)
			f.text(dee, tc.text)
			f.expect(tc.text, dee+": "+tc.want)
		})
	}
}

func TestAShiftNotConfirmedAsksOthersToStandBy(t *testing.T) {
	f, vols := coverRota(t)
	ctx := context.Background()
	f.clock.set(time.Date(2026, 12, 24, 20, 55, 0, 0, f.rota.Location())) // Thursday, Jo's shift at 22:00
	if _, err := f.bots[0].PlanReminders(ctx); err != nil {
		t.Fatal(err)
	}
	f.clock.add(10 * time.Minute)
	f.sweep()
	f.expect("the reminder", jo+": Reply OK to confirm, or CANT")
	f.clock.add(30 * time.Minute) // 21:35: Jo has not replied
	f.sweep()
	got := f.expect("no confirmation by 21:35", coor+": Jo hasn't confirmed Thu 22:00-02:00", sam+": can you cover",
		cy+": can you cover", dee+": can you cover")
	m := askCode.FindStringSubmatch(strings.Join(got, " "))
	if m == nil {
		t.Fatalf("no ask code in %q", got)
	}
	r, err := f.rota.Load(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if !r.OnShift(vols["Jo"].ID, f.clock.now().Add(time.Hour)) {
		t.Fatal("Jo should stay on the shift until someone takes it")
	}
	f.text(cy, "COVER "+m[1])
	f.expect("Cy covers", cy+": is yours", jo+": Cy is covering your shift", coor+": Cy is covering Thu 22:00-02:00 for Jo",
		sam+": is covered now")
	r, err = f.rota.Load(ctx)
	if err != nil {
		t.Fatal(err)
	}
	at := f.clock.now().Add(time.Hour)
	if r.OnShift(vols["Jo"].ID, at) || !r.OnShift(vols["Cy"].ID, at) {
		t.Fatalf("at 22:30 on shift: %v; want Cy instead of Jo", r.OnShiftAt(at))
	}
}

func TestOKConfirmsAShiftAndEndsTheStandby(t *testing.T) {
	f, _ := coverRota(t)
	ctx := context.Background()
	f.clock.set(time.Date(2026, 12, 24, 20, 55, 0, 0, f.rota.Location()))
	if _, err := f.bots[0].PlanReminders(ctx); err != nil {
		t.Fatal(err)
	}
	f.clock.add(10 * time.Minute)
	f.sweep()
	f.queued()
	f.text(jo, "ok")
	f.expect("Jo confirms", jo+": see you at 22:00")
	f.clock.add(30 * time.Minute)
	f.sweep()
	if got := f.queued(); len(got) != 0 {
		t.Fatalf("a confirmed shift sent %q at the check", got)
	}
	f.text(jo, "ok")
	f.expect("a second OK is the debrief's", jo+": ")
}

func TestTheDailyGapAlertAsksForCoverOnce(t *testing.T) {
	f, vols := coverRota(t)
	ctx := context.Background()
	f.clock.set(f.clock.now().Add(-time.Hour)) // Wednesday 11:00
	if _, err := f.bots[0].PlanReminders(ctx); err != nil {
		t.Fatal(err)
	}
	if f.sweep(); len(f.queued()) != 0 {
		t.Fatal("texts before GAP_CHECK_AT")
	}
	f.clock.add(time.Hour)
	f.sweep()
	got := f.expect("the gap alert at 12:00",
		// Friday is Christmas Day, a bank holiday: open all day.
		coor+": Nobody on shift: Wed 23:00-09:00, Thu 17:00-22:00, Fri 02:00-12:00. Nobody on call: Wed 17:00-09:00, Thu 17:00-12:00.",
		// Each stretch in parts of a shift's length; nobody is asked for a double shift (Dee's ends at
		// 23:00, Jo's begins at 22:00 on Thursday and ends at 02:00); four asks to a text at most.
		sam+": can you cover any of these? Wed 23:00-04:00 (C", sam+": Thu 04:00-09:00 (C", sam+": Thu 17:00-22:00 (C",
		sam+": Fri 02:00-07:00 (C", sam+": can you cover any of these? Fri 07:00-12:00 (C",
		jo+": can you cover any of these? Wed 23:00-04:00 (C", dee+": can you cover any of these? Thu 04:00-09:00 (C")
	if len(got) != 7 {
		t.Fatalf("the gap alert queued %d texts, want 7 (the coordinator; Sam and Cy two each, Jo and Dee one): %q", len(got), got)
	}
	if has(got, jo, "Thu 17:00-22:00") || has(got, dee, "Wed 23:00-04:00") || has(got, jo, "Fri 02:00-07:00") {
		t.Fatalf("a volunteer was asked for a double shift: %q", got)
	}
	fri := askCode.FindStringSubmatch("COVER " + friCode(got))
	if _, err := f.bots[0].PlanReminders(ctx); err != nil { // a second alert is tomorrow's
		t.Fatal(err)
	}
	f.sweep()
	if got := f.queued(); len(got) != 0 {
		t.Fatalf("a second sweep sent %q", got)
	}

	// A coordinator fills Thursday's early evening: the ask about it ends, and those asked hear so.
	if _, err := f.rota.AddShift(ctx, rota.Shift{Volunteer: vols["Kim"].ID, Date: "2026-12-24", Start: 17 * 60, End: 22 * 60}); err != nil {
		t.Fatal(err)
	}
	f.sweep()
	got = f.expect("the rota covers Thursday", sam+": Thu 17:00-22:00 is covered now", dee+": Thu 17:00-22:00 is covered now")
	if len(got) != 3 {
		t.Fatalf("queued %q, want the three asked told once", got)
	}

	// Wednesday 23:30: the line is open and nobody is on shift: the coordinator is paged once.
	f.clock.set(time.Date(2026, 12, 23, 23, 30, 0, 0, f.rota.Location()))
	f.sweep()
	f.expect("uncovered", coor+": the line is open and nobody on shift is available now")
	f.clock.add(5 * time.Minute)
	f.sweep()
	if got := f.queued(); len(got) != 0 {
		t.Fatalf("a second page about the same stretch: %q", got)
	}
	f.text(sam, "COVER") // several asks are open
	f.expect("COVER with no code", sam+": we couldn't tell which shift you mean")
	f.text(sam, "cover "+strings.ToLower(fri[1]))
	f.expect("COVER with Friday's code", sam+": Fri 07:00-12:00 is yours", coor+": Sam is covering Fri 07:00-12:00")
}

// friCode finds the code of the Friday 07:00-12:00 ask in the gap alert's texts.
func friCode(got []string) string {
	for _, m := range got {
		if _, rest, ok := strings.Cut(m, "Fri 07:00-12:00 ("); ok {
			return rest[:4]
		}
	}
	return ""
}

func TestACoordinatorsAskReachesTheVolunteersFreeThen(t *testing.T) {
	f, vols := coverRota(t) // Wednesday noon; Jo on Thursdays 22:00-02:00, Dee on Wednesdays 17:00-23:00
	ctx := context.Background()
	start := time.Date(2026, 12, 24, 18, 0, 0, 0, f.rota.Location())
	b := commit.New()
	due.New(f.rdb, f.line()).Schedule(b, bot.AskItem(start, start.Add(4*time.Hour), f.clock.now()))
	if _, err := commit.NewApplier(f.rdb).Apply(ctx, b); err != nil {
		t.Fatal(err)
	}
	f.sweep()
	got := f.expect("the ask", sam+": can you cover Thu 18:00-22:00?", cy+": can you cover", dee+": can you cover")
	if has(got, jo, "") || has(got, coor, "") || len(got) != 3 {
		t.Fatalf("queued %q: not Jo (a double shift), not the coordinator", got)
	}
	f.text(dee, "COVER")
	f.expect("Dee's COVER", dee+": Thu 18:00-22:00 is yours", coor+": Dee is covering Thu 18:00-22:00")
	r, err := f.rota.Load(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if !r.OnShift(vols["Dee"].ID, start.Add(time.Hour)) {
		t.Fatal("Dee is not on the rota for the stretch she took")
	}
}

func TestCoverInsideAChatIsActedOnNotRelayed(t *testing.T) {
	f, _ := coverRota(t)
	f.clock.set(time.Date(2026, 12, 23, 18, 0, 0, 0, f.rota.Location())) // Wednesday 18:00: Dee is on
	f.text(alex, "hello")
	f.text(dee, "ACCEPT")
	f.text(jo, "CANT THU")
	got := f.expect("Jo's CANT", dee+": can you cover Thu 22:00-02:00?")
	code := askCode.FindStringSubmatch(strings.Join(got, " "))[1]
	f.text(dee, "COVER "+code)
	got = f.expect("Dee's COVER in her chat", dee+": Thu 22:00-02:00 is yours")
	if has(got, alex, "") {
		t.Fatalf("Dee's COVER reached Alex: %q", got)
	}
	f.text(dee, "cant")
	f.expect("'cant' in a chat is for the person", alex+": Dee: cant")
}
