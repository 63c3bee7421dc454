// Package phone turns the many ways people write a phone number into one E.164 form, and knows which
// channel (SMS or WhatsApp) an address belongs to.
package phone

import (
	"errors"
	"fmt"
	"strings"

	"github.com/nyaruka/phonenumbers"
)

// Channel is how a message travels.
type Channel string

// The channels peerline speaks.
const (
	SMS      Channel = "sms"
	WhatsApp Channel = "whatsapp"
)

// ErrInvalid is wrapped by every error about a number that cannot be used.
var ErrInvalid = errors.New("invalid phone number")

const whatsappPrefix = "whatsapp:"

// dramaMobiles is the UK mobile range Ofcom keeps for fiction (07700 900000 to 07700 900999). No real
// phone has one, so examples and tests use them; they are accepted although the numbering plan has no
// such numbers in use.
const dramaMobiles = "+447700900"

func isDrama(e164 string) bool {
	return len(e164) == len(dramaMobiles)+3 && strings.HasPrefix(e164, dramaMobiles)
}

func regionName(num *phonenumbers.PhoneNumber) string {
	if r := phonenumbers.GetRegionCodeForNumber(num); r != "" && r != "ZZ" {
		return r
	}
	return fmt.Sprintf("country code +%d", num.GetCountryCode())
}

// Parse normalises raw, written in any national or international format, to E.164 ("+447700900123").
// Numbers without a country code are read as numbers of region (for example "GB").
func Parse(raw, region string) (string, error) {
	raw = strings.TrimSpace(raw)
	if raw == "" {
		return "", fmt.Errorf("%w: empty", ErrInvalid)
	}
	if len(raw) > 40 {
		return "", fmt.Errorf("%w: too long", ErrInvalid)
	}
	if i := strings.IndexFunc(raw, notPhoneRune); i >= 0 {
		return "", fmt.Errorf("%w: unexpected character %q (use digits, spaces and an optional leading +)", ErrInvalid, raw[i])
	}
	num, err := phonenumbers.Parse(raw, region)
	if err != nil {
		return "", fmt.Errorf("%w: %v", ErrInvalid, err)
	}
	if num.GetItalianLeadingZero() && !phonenumbers.IsValidNumber(num) {
		return "", fmt.Errorf("%w: too few digits (a UK mobile has 11, such as 07700 900123)", ErrInvalid)
	}
	e164 := phonenumbers.Format(num, phonenumbers.E164)
	if !phonenumbers.IsValidNumber(num) && !isDrama(e164) {
		why := "no such number"
		switch phonenumbers.IsPossibleNumberWithReason(num) {
		case phonenumbers.TOO_SHORT:
			why = "wrong number of digits (too few)"
		case phonenumbers.TOO_LONG:
			why = "wrong number of digits (too many)"
		}
		return "", fmt.Errorf("%w: %s for %s (check the digits and the country code)", ErrInvalid, why, regionName(num))
	}
	// A number whose E.164 form reads back differently (a national trunk 0 kept after a country code,
	// for example) is ambiguous: refuse it rather than store one of its readings.
	back, err := phonenumbers.Parse(e164, region)
	if err != nil || phonenumbers.Format(back, phonenumbers.E164) != e164 {
		return "", fmt.Errorf("%w: ambiguous digits after the country code", ErrInvalid)
	}
	if len(e164) > 16 || len(e164) < 8 {
		return "", fmt.Errorf("%w: %d digits with the country code; a phone number has 7 to 15", ErrInvalid, len(e164)-1)
	}
	return e164, nil
}

// notPhoneRune reports runes that have no place in a written phone number.
func notPhoneRune(r rune) bool {
	return !strings.ContainsRune("0123456789+ ()-./", r)
}

// ParseAddress splits a Twilio address such as "whatsapp:+447700900123" or "+447700900123" into its
// E.164 number and channel. Twilio writes numbers in E.164 already, so an address of that exact shape is
// taken as it is (the full parser costs more than the rest of a webhook); anything else is parsed.
func ParseAddress(addr, region string) (string, Channel, error) {
	ch := SMS
	if rest, ok := strings.CutPrefix(addr, whatsappPrefix); ok {
		addr, ch = rest, WhatsApp
	}
	if isE164(addr) {
		return addr, ch, nil
	}
	n, err := Parse(addr, region)
	return n, ch, err
}

// isE164 reports whether s is "+" and 7 to 15 digits, the first not 0.
func isE164(s string) bool {
	if len(s) < 8 || len(s) > 16 || s[0] != '+' || s[1] == '0' {
		return false
	}
	for i := 1; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// Address returns the Twilio address of number on channel.
func Address(number string, ch Channel) string {
	if ch == WhatsApp {
		return whatsappPrefix + number
	}
	return number
}

// Masked returns number with all but its last three digits hidden, for screens a coordinator reads.
func Masked(number string) string {
	if len(number) <= 3 {
		return "***"
	}
	return strings.Repeat("*", len(number)-3) + number[len(number)-3:]
}
