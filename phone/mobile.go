package phone

import (
	"errors"
	"fmt"

	"github.com/nyaruka/phonenumbers"
)

// Sentinel errors of Mobile, beside ErrInvalid. The errors that wrap them say the reason in a plain
// sentence.
var (
	ErrNotMobile = errors.New("not a mobile number")
	ErrAbroad    = errors.New("a number of another country")
)

// kinds names the number types that are not mobiles, as a coordinator would say them.
var kinds = map[phonenumbers.PhoneNumberType]string{
	phonenumbers.FIXED_LINE:      "a landline",
	phonenumbers.TOLL_FREE:       "a freephone number",
	phonenumbers.PREMIUM_RATE:    "a premium-rate number",
	phonenumbers.SHARED_COST:     "a shared-cost number",
	phonenumbers.VOIP:            "an internet (VoIP) number",
	phonenumbers.PERSONAL_NUMBER: "a personal (forwarding) number",
	phonenumbers.PAGER:           "a pager number",
	phonenumbers.UAN:             "a company number",
	phonenumbers.VOICEMAIL:       "a voicemail number",
}

// refusal is a number Mobile will not take: msg says why, kind is there for errors.Is.
type refusal struct {
	kind error
	msg  string
}

func (e *refusal) Error() string { return e.msg }
func (e *refusal) Unwrap() error { return e.kind }

// Mobile is Parse for a volunteer's number, which the line texts. It must be a mobile number, and
// one of region's country (by country code, so a Jersey, Guernsey or Isle of Man mobile is one of
// GB's) unless abroad is true. Ofcom's drama numbers (07700 900000 to 900999) count as UK mobiles.
// Errors wrap ErrInvalid, ErrAbroad or ErrNotMobile, checked in that order.
func Mobile(raw, region string, abroad bool) (string, error) {
	e164, err := Parse(raw, region)
	if err != nil || isDrama(e164) {
		return e164, err
	}
	num, err := phonenumbers.Parse(e164, region)
	if err != nil {
		return "", fmt.Errorf("%w: %v", ErrInvalid, err)
	}
	home := int32(phonenumbers.GetCountryCodeForRegion(region))
	if !abroad && num.GetCountryCode() != home {
		return "", &refusal{ErrAbroad, fmt.Sprintf("%s is a number of %s, not of %s (the line's DEFAULT_REGION)",
			e164, regionName(num), region)}
	}
	switch typ := phonenumbers.GetNumberType(num); typ {
	case phonenumbers.MOBILE, phonenumbers.FIXED_LINE_OR_MOBILE:
		return e164, nil
	default:
		what, ok := kinds[typ]
		if !ok {
			what = "not known to be a mobile number"
		}
		return "", &refusal{ErrNotMobile, fmt.Sprintf("%s is %s, not a mobile: the line texts its volunteers, so give their mobile number",
			e164, what)}
	}
}
