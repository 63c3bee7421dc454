package phone_test

import (
	"errors"
	"strings"
	"testing"

	"peerline/phone"
)

func TestMobile(t *testing.T) {
	tests := []struct {
		name, raw string
		abroad    bool
		want      string
		kind      error  // the error wrapped, when refused
		says      string // part of the refusal
	}{
		{name: "a UK mobile is taken", raw: "07911 123456", want: "+447911123456"},
		{name: "a drama mobile is taken", raw: "07700 900123", want: "+447700900123"},
		{name: "a Jersey mobile is a GB one", raw: "07797 123456", want: "+447797123456"},
		{name: "a London landline is refused", raw: "020 7946 0000", kind: phone.ErrNotMobile,
			says: "+442079460000 is a landline, not a mobile"},
		{name: "a freephone number is refused", raw: "0800 123 4567", kind: phone.ErrNotMobile, says: "a freephone number"},
		{name: "an internet number is refused", raw: "056 1234 5678", kind: phone.ErrNotMobile, says: "VoIP"},
		{name: "a forwarding number is refused", raw: "070 1234 5678", kind: phone.ErrNotMobile, says: "personal (forwarding)"},
		{name: "a US number is refused", raw: "+1 415 555 2671", kind: phone.ErrAbroad,
			says: "+14155552671 is a number of US, not of GB"},
		{name: "a US number is taken when abroad is allowed", raw: "+1 415 555 2671", abroad: true, want: "+14155552671"},
		{name: "an Irish mobile is taken when abroad is allowed", raw: "+353 85 123 4567", abroad: true, want: "+353851234567"},
		{name: "a French landline is refused even abroad", raw: "+33 1 23 45 67 89", abroad: true, kind: phone.ErrNotMobile,
			says: "a landline"},
		{name: "a number that cannot be is refused as before", raw: "0770", kind: phone.ErrInvalid, says: "too few digits"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := phone.Mobile(tc.raw, "GB", tc.abroad)
			if tc.kind == nil {
				if err != nil || got != tc.want {
					t.Fatalf("Mobile(%q) = %q, %v; want %q", tc.raw, got, err, tc.want)
				}
				return
			}
			if !errors.Is(err, tc.kind) || !strings.Contains(err.Error(), tc.says) {
				t.Fatalf("Mobile(%q) = %q, %v; want %v saying %q", tc.raw, got, err, tc.kind, tc.says)
			}
		})
	}
}
