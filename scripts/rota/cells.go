package main

// Time and date cells of shifts.csv, read the way spreadsheets write them back (rota.ParseClockCell
// and rota.ReadDateCell, shared with the other imports).
//
// Times: 22:00, 9:00, 22:00:00 (seconds must be 00: shifts are whole minutes), 22.00, and the 12-hour
// clock: 10 PM, 10pm, 10:00 pm, 10:00:00 PM, 10.00 p.m. (12 AM is 00:00, 12 PM is noon). 24:00 and
// 24:00:00 end a day.
//
// Dates: see rota.ReadDateCell.

import (
	"peerline/rota"
)

// readTimeCell reads a time of day as people and spreadsheets write it (see the top of this file and
// rota.ParseClockCell).
func readTimeCell(cell string) (rota.Clock, error) { return rota.ParseClockCell(cell) }

// plainSpaces trims s and turns every kind of space into a plain one (see rota.PlainSpaces).
func plainSpaces(s string) string { return rota.PlainSpaces(s) }

// dateRead is how a date cell was read (rota.DateCell).
type dateRead = rota.DateCell

// readDateCell reads a date as people and spreadsheets write it (see rota.ReadDateCell).
func readDateCell(cell, region string) dateRead { return rota.ReadDateCell(cell, region) }

// long writes a date as people read it (see rota.LongDate).
func long(date string) string { return rota.LongDate(date) }
