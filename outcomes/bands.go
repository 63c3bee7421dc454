package outcomes

import (
	"time"

	"peerline/rota"
)

// Band is a kind of hours a contact came in, by the local time its request was opened.
type Band string

// The bands, each contact in exactly one, the first that fits: Christmas Day, another England and Wales
// bank holiday (substitute days included), a weekend, a weekday night (22:00 to 06:59), other hours.
const (
	Christmas   Band = "christmas_day"
	BankHoliday Band = "bank_holiday"
	Weekend     Band = "weekend"
	Night       Band = "weekday_night"
	Other       Band = "other_hours"
)

// Bands lists the bands in the order tables show them.
var Bands = []Band{Christmas, BankHoliday, Weekend, Night, Other}

// Label names band b for people.
func (b Band) Label() string {
	switch b {
	case Christmas:
		return "Christmas Day"
	case BankHoliday:
		return "Other bank holidays"
	case Weekend:
		return "Weekends"
	case Night:
		return "Weekday nights (22:00-07:00)"
	}
	return "Other hours (weekdays 07:00-22:00)"
}

// BandOf returns the band of instant t in time zone loc.
func BandOf(t time.Time, loc *time.Location) Band {
	local := t.In(loc)
	if local.Month() == time.December && local.Day() == 25 {
		return Christmas
	}
	if _, ok := rota.BankHoliday(local.Format(rota.DateLayout)); ok {
		return BankHoliday
	}
	if wd := local.Weekday(); wd == time.Saturday || wd == time.Sunday {
		return Weekend
	}
	if h := local.Hour(); h >= 22 || h < 7 {
		return Night
	}
	return Other
}
