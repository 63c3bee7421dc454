package phone_test

import (
	"errors"
	"strings"
	"testing"

	"peerline/phone"
)

func TestParse(t *testing.T) {
	tests := []struct {
		name, raw, want string
		bad             bool
	}{
		{name: "UK mobile with spaces", raw: "07700 900123", want: "+447700900123"},
		{name: "UK mobile international", raw: "+44 7700 900123", want: "+447700900123"},
		{name: "UK with 0044", raw: "0044 7700 900123", want: "+447700900123"},
		{name: "E.164 kept", raw: "+447700900123", want: "+447700900123"},
		{name: "US number", raw: "+1 415 867 5309", want: "+14158675309"},
		{name: "empty rejected", raw: " ", bad: true},
		{name: "letters rejected", raw: "call me", bad: true},
		{name: "too short rejected", raw: "123", bad: true},
		{name: "short UK mobile rejected", raw: "0770", bad: true},
		{name: "UK mobile missing two digits rejected", raw: "07700 9001", bad: true},
		{name: "Italian landline keeps its 0", raw: "+39 06 1234 5678", want: "+390612345678"},
		{name: "real UK mobile", raw: "07911 123456", want: "+447911123456"},
		{name: "five digits rejected", raw: "12345", bad: true},
		{name: "UK mobile one digit short rejected", raw: "0770090010", bad: true},
		{name: "US number too short rejected", raw: "+1 555 0100", bad: true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := phone.Parse(tc.raw, "GB")
			if tc.bad {
				if !errors.Is(err, phone.ErrInvalid) {
					t.Fatalf("Parse(%q) = %q, %v; want ErrInvalid", tc.raw, got, err)
				}
				return
			}
			if err != nil || got != tc.want {
				t.Fatalf("Parse(%q) = %q, %v; want %q", tc.raw, got, err, tc.want)
			}
		})
	}
}

func TestParseAddress(t *testing.T) {
	tests := []struct {
		addr string
		num  string
		ch   phone.Channel
	}{
		{"+447700900123", "+447700900123", phone.SMS},
		{"whatsapp:+447700900123", "+447700900123", phone.WhatsApp},
	}
	for _, tc := range tests {
		t.Run(string(tc.ch), func(t *testing.T) {
			n, ch, err := phone.ParseAddress(tc.addr, "GB")
			if err != nil || n != tc.num || ch != tc.ch {
				t.Fatalf("ParseAddress(%q) = %q, %q, %v", tc.addr, n, ch, err)
			}
			if back := phone.Address(n, ch); back != tc.addr {
				t.Fatalf("Address = %q, want %q", back, tc.addr)
			}
		})
	}
}

func FuzzParse(f *testing.F) {
	for _, s := range []string{"+447700900123", "07700 900123", "0770", "+39 06 1234 5678", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		n, err := phone.Parse(raw, "GB")
		if err != nil {
			if !errors.Is(err, phone.ErrInvalid) {
				t.Fatalf("error %v does not wrap ErrInvalid", err)
			}
			return
		}
		if again, err := phone.Parse(n, "GB"); err != nil || again != n {
			t.Fatalf("Parse(%q) = %q, %v; E.164 must be stable", n, again, err)
		}
	})
}

func TestMasked(t *testing.T) {
	if got := phone.Masked("+447700900123"); got != "**********123" {
		t.Fatalf("Masked = %q", got)
	}
}

func FuzzParseAddress(f *testing.F) {
	for _, s := range []string{"+447700900123", "whatsapp:+447700900123", "07700 900123", "", "whatsapp:", "+"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		n, _, err := phone.ParseAddress(raw, "GB")
		if err != nil {
			if !errors.Is(err, phone.ErrInvalid) {
				t.Fatalf("error %v does not wrap ErrInvalid", err)
			}
			return
		}
		if !strings.HasPrefix(n, "+") || len(n) > 16 || len(n) < 8 || strings.Trim(n[1:], "0123456789") != "" {
			t.Fatalf("ParseAddress(%q) = %q, not E.164", raw, n)
		}
		if again, _, err := phone.ParseAddress(n, "GB"); err != nil || again != n {
			t.Fatalf("ParseAddress(%q) = %q, %v; E.164 must be stable", n, again, err)
		}
	})
}
