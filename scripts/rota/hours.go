package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"slices"
	"strings"
	"time"

	"peerline/rota"
)

var hoursShowCmd = command{
	name:    "hours show",
	summary: "when the line is open, and the bank holidays and extra dates coming up",
	details: "Shows the line's open hours: weekday evenings and nights, weekends, England and Wales bank\n" +
		"holidays and extra dates (such as Christmas Eve). Outside them a person who texts is sent the\n" +
		"daytime services' details (the closed template) instead of being offered to volunteers.",
	example: "hours show",
	setup:   hoursShow,
}

var hoursSetCmd = command{
	name:     "hours set",
	synopsis: "[-weekdays HH:MM-HH:MM] [-weekends yes|no] [-bank-holidays yes|no]",
	summary:  "change the weekday hours, and whether weekends and bank holidays are open all day",
	details: "Changes only the flags given. -weekdays is when the line is open on an ordinary weekday; an end at\n" +
		"or before the start runs into the next morning (17:00-09:00), and equal times mean all day.",
	example: "hours set -weekdays 18:00-08:00",
	setup:   hoursSet,
}

var hoursAddDateCmd = command{
	synopsis: "YYYY-MM-DD",
	name:     "hours add-date",
	summary:  "open the line all day on an extra date, such as Christmas Eve",
	details:  "Opens the line all day on the date (from 00:00; the next morning follows the usual hours).",
	example:  "hours add-date 2026-12-24",
	arg:      "the date, such as 2026-12-24",
	setup:    hoursDate(true),
}

var hoursRemoveDateCmd = command{
	synopsis: "YYYY-MM-DD",
	name:     "hours remove-date",
	summary:  "take an extra date out again",
	details:  "Takes an extra date out; the day follows the usual hours again.",
	example:  "hours remove-date 2026-12-24",
	arg:      "the date, such as 2026-12-24",
	setup:    hoursDate(false),
}

func hoursShow(*flag.FlagSet) action {
	return func(ctx context.Context, t *tool, _ []string) error {
		r, err := t.store.Load(ctx)
		if err != nil {
			return err
		}
		printHours(t, r.Hours)
		now := t.now()
		state := "closed"
		if r.Open(now) {
			state = "open"
		}
		fmt.Fprintf(t.out, "\nNow (%s) the line is %s.\n", now.In(t.cfg.Location).Format("Mon 2 Jan 15:04"), state)
		fmt.Fprintln(t.out, "\nOpen all day in the next 90 days besides weekends:")
		n := 0
		for d := 0; d < 90; d++ {
			date := now.In(t.cfg.Location).AddDate(0, 0, d)
			why := r.Hours.AllDay(date.Format(rota.DateLayout))
			if why != "" && why != "weekend" {
				fmt.Fprintf(t.out, "  %s  %s\n", date.Format("Mon _2 Jan 2006"), why)
				n++
			}
		}
		if n == 0 {
			fmt.Fprintln(t.out, "  none")
		}
		return nil
	}
}

func printHours(t *tool, h rota.Hours) {
	yes := map[bool]string{true: "open all day", false: "weekday hours"}
	fmt.Fprintf(t.out, "Weekdays:       open %s to %s%s\n", h.WeekdayFrom, h.WeekdayUntil, nextMorning(h))
	fmt.Fprintf(t.out, "Weekends:       %s\n", yes[h.Weekends])
	fmt.Fprintf(t.out, "Bank holidays:  %s (England and Wales)\n", yes[h.BankHolidays])
	extra := "none"
	if len(h.Extra) > 0 {
		extra = strings.Join(h.Extra, ", ")
	}
	fmt.Fprintf(t.out, "Extra dates:    %s\n", extra)
	fmt.Fprintf(t.out, "Times are %s time.\n", t.cfg.Location)
}

func nextMorning(h rota.Hours) string {
	switch {
	case h.WeekdayFrom == h.WeekdayUntil:
		return " (all day)"
	case h.WeekdayUntil < h.WeekdayFrom:
		return " the next morning"
	}
	return ""
}

func hoursSet(fs *flag.FlagSet) action {
	weekdays := fs.String("weekdays", "", "weekday opening, such as 17:00-09:00")
	weekends := fs.String("weekends", "", "yes: open all weekend; no: weekends follow the weekday hours")
	bank := fs.String("bank-holidays", "", "yes: open all day on England and Wales bank holidays")
	return func(ctx context.Context, t *tool, _ []string) error {
		n := 0
		fs.Visit(func(*flag.Flag) { n++ })
		if n == 0 {
			return usageError{errors.New("give at least one of -weekdays, -weekends or -bank-holidays")}
		}
		h, err := t.store.SetHours(ctx, func(h *rota.Hours) error {
			if *weekdays != "" {
				from, until, ok := strings.Cut(*weekdays, "-")
				f, u, err := parseTimes(from, until)
				if !ok || err != nil {
					return fmt.Errorf("-weekdays %q: want HH:MM-HH:MM, such as 17:00-09:00", *weekdays)
				}
				h.WeekdayFrom, h.WeekdayUntil = f, u
			}
			if err := setYesNo("weekends", *weekends, &h.Weekends); err != nil {
				return err
			}
			return setYesNo("bank-holidays", *bank, &h.BankHolidays)
		})
		if err != nil {
			return err
		}
		fmt.Fprintln(t.out, "Saved. The line's hours are now:")
		printHours(t, h)
		return nil
	}
}

// setYesNo reads a yes/no flag into b; an empty flag leaves b as it is.
func setYesNo(name, value string, b *bool) error {
	switch strings.ToLower(strings.TrimSpace(value)) {
	case "":
	case "yes", "y", "true":
		*b = true
	case "no", "n", "false":
		*b = false
	default:
		return fmt.Errorf("-%s %q: want yes or no", name, value)
	}
	return nil
}

func hoursDate(add bool) func(*flag.FlagSet) action {
	return func(*flag.FlagSet) action {
		return func(ctx context.Context, t *tool, args []string) error {
			date, err := rota.ParseDate(args[0])
			if err != nil {
				return err
			}
			if err := t.notPast("date", date); err != nil && add {
				return err
			}
			_, err = t.store.SetHours(ctx, func(h *rota.Hours) error {
				has := slices.Contains(h.Extra, date)
				without := *h
				without.Extra = slices.DeleteFunc(slices.Clone(h.Extra), func(d string) bool { return d == date })
				switch why := without.AllDay(date); {
				case add && has:
					return fmt.Errorf("%s is already an extra date", date)
				case add && why != "":
					return fmt.Errorf("%s is open all day already (%s); nothing to add", date, why)
				case !add && !has:
					return fmt.Errorf("%s is not an extra date (see hours show)", date)
				case add:
					h.Extra = append(h.Extra, date)
				default:
					h.Extra = slices.DeleteFunc(h.Extra, func(d string) bool { return d == date })
				}
				return nil
			})
			if err != nil {
				return err
			}
			day, _ := time.Parse(rota.DateLayout, date)
			if add {
				fmt.Fprintf(t.out, "The line is open all day on %s.\n", day.Format("Monday 2 January 2006"))
			} else {
				fmt.Fprintf(t.out, "%s follows the usual hours again.\n", day.Format("Monday 2 January 2006"))
			}
			return nil
		}
	}
}
