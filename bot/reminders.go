package bot

import (
	"context"
	"fmt"
	"time"

	"peerline/commit"
	"peerline/due"
	"peerline/rota"
	"peerline/templates"
)

// planAhead is how far past the reminder time PlanReminders looks; the job runs more often than this.
const planAhead = 30 * time.Minute

// PlanReminders is the cron job that schedules shift reminders: for each shift starting soon, one
// ReminderBefore its start and one as it starts. It also schedules the next daily gap alert. Planning the same shift again changes nothing, so every
// instance may run it. It returns how many reminders it scheduled.
func (bt *Bot) PlanReminders(ctx context.Context) (int, error) {
	if err := bt.planGapCheck(ctx); err != nil {
		return 0, err
	}
	r, err := bt.currentRota(ctx)
	if err != nil {
		return 0, err
	}
	now := bt.now()
	n := 0
	for _, o := range r.Occurrences(now, now.Add(bt.opt.ReminderBefore+planAhead+time.Minute)) {
		if o.Shift.OnCall {
			continue // coordinators on call are not asked to text ON
		}
		for _, it := range reminderItems(o, bt.opt.ReminderBefore) {
			b := commit.New()
			if !it.At.After(now) {
				// A shift added less than REMINDER_BEFORE ahead still gets its reminder (and so its ask
				// to confirm), at once, unless it starts within lateReminder or was reminded already.
				if it.Kind != jobRemind || o.Start.Sub(now) < lateReminder {
					continue
				}
				it.At = now
				b.Absent(bt.keys.reminded(o.Shift.ID + " " + o.Date))
			}
			bt.due.ScheduleNew(b, it)
			failed, err := bt.apply.Apply(ctx, b)
			if err != nil {
				return n, fmt.Errorf("plan reminders: %w", err)
			}
			if failed == 0 {
				n++
			}
		}
	}
	return n, nil
}

// lateReminder is how long before its start a shift added late must still be for its reminder to go.
const lateReminder = 10 * time.Minute

// reminded marks an occurrence ("shift date") whose reminder went, until the shift ends, so one
// scheduled late (at once) goes once.
func (k keys) reminded(occurrence string) string { return k.prefix + "reminded:" + occurrence }

// reminderItems are the two reminders of occurrence o.
func reminderItems(o rota.Occurrence, before time.Duration) []due.Item {
	fields := map[string]string{"volunteer": o.Shift.Volunteer, "shift": o.Shift.ID,
		"start": fmt.Sprint(o.Start.UnixMilli()), "end": fmt.Sprint(o.End.UnixMilli())}
	id := o.Shift.ID + " " + o.Date
	return []due.Item{
		{ID: jobRemind + " " + id, Kind: jobRemind, At: o.Start.Add(-before), Fields: fields},
		{ID: jobOnNow + " " + id, Kind: jobOnNow, At: o.Start, Fields: fields},
	}
}

// remind texts a volunteer about their shift, if they are still on it then (not covered, skipped,
// removed or paused meanwhile) and it does not simply carry on from an earlier shift of theirs.
func (bt *Bot) remind(t *turn, it due.Item) error {
	id := it.Fields["volunteer"]
	t.fields["volunteer"], t.fields["shift"] = id, it.Fields["shift"]
	start, end := millis(it.Fields["start"]), millis(it.Fields["end"])
	v, ok := t.rota.Volunteers[id]
	switch {
	case !ok || !v.Active || !t.rota.OnShift(id, start):
		t.action = "reminder dropped: no longer on that shift"
		return nil
	case t.rota.OnShift(id, start.Add(-time.Minute)):
		t.action = "reminder dropped: the shift carries on from an earlier one"
		return nil
	}
	loc := t.rota.Location()
	if it.Kind == jobRemind {
		t.action = "shift reminder sent"
		t.b.Do("SET", bt.keys.reminded(it.Fields["shift"]+" "+start.In(loc).Format("2006-01-02")), "1",
			"PXAT", end.UnixMilli())
		bt.askToConfirm(t, v, it, start)
		return bt.tell(t, v, templates.VolunteerReminder{
			Start: start.In(loc).Format("15:04"), End: end.In(loc).Format("15:04")})
	}
	t.action = "shift start sent"
	return bt.tell(t, v, templates.VolunteerShiftStart{End: end.In(loc).Format("15:04")})
}
