package lines_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"peerline/lines"
	"peerline/redistest"
)

func TestCheck(t *testing.T) {
	tests := []struct {
		name string
		in   lines.Line
		want lines.Line
		bad  string // part of the error; "" for none
	}{
		{name: "a UK number is written in E.164, London time by default",
			in:   lines.Line{ID: "tonbridge", From: "07700 900801"},
			want: lines.Line{ID: "tonbridge", From: "+447700900801", TimeZone: "Europe/London", Region: "GB"}},
		{name: "a Messaging Service alone is enough",
			in: lines.Line{ID: "kent", MessagingServiceSID: "MG0123456789abcdef0123456789abcdef", TimeZone: "Europe/London"},
			want: lines.Line{ID: "kent", MessagingServiceSID: "MG0123456789abcdef0123456789abcdef", TimeZone: "Europe/London",
				Region: "GB"}},
		{name: "the line's region reads its numbers", in: lines.Line{ID: "dublin", From: "085 123 4567", Region: "ie",
			TimeZone: "Europe/Dublin"},
			want: lines.Line{ID: "dublin", From: "+353851234567", Region: "IE", TimeZone: "Europe/Dublin"}},
		{name: "no number and no service", in: lines.Line{ID: "x"}, bad: "SMS number"},
		{name: "an id with capitals", in: lines.Line{ID: "Kent", From: "+447700900801"}, bad: "lowercase"},
		{name: "a time zone that does not exist", in: lines.Line{ID: "x", From: "+447700900801", TimeZone: "Europe/Kent"},
			bad: "IANA"},
		{name: "a Messaging Service that is not one", in: lines.Line{ID: "x", MessagingServiceSID: "MG12"}, bad: "MG followed"},
		{name: "a WhatsApp number that is not a number", in: lines.Line{ID: "x", From: "+447700900801", WhatsAppFrom: "hello"},
			bad: "WhatsApp"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := tc.in.Check("GB")
			if tc.bad != "" {
				if !errors.Is(err, lines.ErrInvalid) || !strings.Contains(err.Error(), tc.bad) {
					t.Fatalf("Check = %v; want ErrInvalid saying %q", err, tc.bad)
				}
				return
			}
			if err != nil || got != tc.want {
				t.Fatalf("Check = %+v, %v; want %+v", got, err, tc.want)
			}
		})
	}
}

func TestStore(t *testing.T) {
	rdb, def := redistest.New(t)
	ctx := context.Background()
	s := lines.NewStore(rdb, lines.Line{ID: def, From: "+447700900999"})
	line := func(id, number string) lines.Line {
		l, err := lines.Line{ID: id, From: number, WhatsAppFrom: number}.Check("GB")
		if err != nil {
			t.Fatal(err)
		}
		return l
	}
	v0, err := s.Version(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Add(ctx, line("kent", "+447700900801")); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name string
		l    lines.Line
		want error
	}{
		{"the same id again", line("kent", "+447700900802"), lines.ErrExists},
		{"the default line's id", line(def, "+447700900803"), lines.ErrExists},
		{"another line's number", line("leeds", "+447700900801"), lines.ErrAddressTaken},
		{"the default line's number", line("york", "+447700900999"), lines.ErrAddressTaken},
	} {
		if err := s.Add(ctx, tc.l); !errors.Is(err, tc.want) {
			t.Errorf("%s: Add = %v; want %v", tc.name, err, tc.want)
		}
	}
	if err := s.Add(ctx, line("leeds", "+447700900802")); err != nil {
		t.Fatal(err)
	}
	if v, _ := s.Version(ctx); v != v0+2 {
		t.Fatalf("version %d after two adds from %d", v, v0)
	}

	// Editing moves the line's number: the old one is free again, another line's is refused.
	if _, err := s.Edit(ctx, "kent", "GB", func(l *lines.Line) { l.From, l.WhatsAppFrom = "+447700900802", "" }); !errors.Is(err, lines.ErrAddressTaken) ||
		!strings.Contains(err.Error(), "leeds") {
		t.Fatalf("Edit to leeds's number = %v; want ErrAddressTaken naming leeds", err)
	}
	kent, err := s.Edit(ctx, "kent", "GB", func(l *lines.Line) {
		l.From, l.WhatsAppFrom, l.Name = "07700 900804", "", "Kent line"
	})
	if err != nil || kent.From != "+447700900804" || kent.Name != "Kent line" {
		t.Fatalf("Edit = %+v, %v", kent, err)
	}
	if _, err := s.Edit(ctx, def, "GB", func(*lines.Line) {}); !errors.Is(err, lines.ErrDefault) {
		t.Fatalf("Edit of the default line = %v; want ErrDefault", err)
	}
	if _, err := s.Edit(ctx, "nowhere", "GB", func(*lines.Line) {}); !errors.Is(err, lines.ErrNotFound) {
		t.Fatalf("Edit of no line = %v; want ErrNotFound", err)
	}
	if err := s.Add(ctx, line("york", "+447700900801")); err != nil {
		t.Fatalf("kent's old number is free again: %v", err)
	}

	all, err := s.List(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, l := range all {
		ids = append(ids, l.ID)
	}
	if strings.Join(ids, ",") != "kent,leeds,york" {
		t.Fatalf("List = %v", ids)
	}
	d := lines.NewDirectory(all)
	for _, tc := range []struct {
		to       string
		whatsapp bool
		service  string
		want     string
	}{
		{"+447700900804", false, "", "kent"},
		{"+447700900801", false, "", "york"},
		{"+447700900801", true, "", "york"},
		{"+447700900804", true, "", ""}, // kent has no WhatsApp sender any more
		{"+447700900899", false, "", ""},
		{"", false, "MG0123456789abcdef0123456789abcdef", ""},
	} {
		if got, _ := d.Find(tc.to, tc.whatsapp, tc.service); got != tc.want {
			t.Errorf("Find(%s, whatsapp %v) = %q; want %q", tc.to, tc.whatsapp, got, tc.want)
		}
	}

	// Another deployment on the same Redis (another default line) has a register of its own.
	other := lines.NewStore(rdb, lines.Line{ID: redistest.Line(t)})
	if got, err := other.List(ctx); err != nil || len(got) != 0 {
		t.Fatalf("another deployment's register = %v, %v; want empty", got, err)
	}
}
