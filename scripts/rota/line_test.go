package main

import (
	"strings"
	"testing"

	"peerline/redistest"
)

func TestLines(t *testing.T) {
	c := newCLI(t)
	c.env["TWILIO_FROM_NUMBER"] = "+447700900999"
	id, id2 := redistest.Line(t), redistest.Line(t)
	out := c.must("line", "add", "-id", id, "-name", "Tonbridge peer line", "-number", "07700 900701")
	for _, want := range []string{"Added line " + id, "+447700900701", "Europe/London", "-line " + id} {
		if !strings.Contains(out, want) {
			t.Errorf("line add printed no %q:\n%s", want, out)
		}
	}
	for _, tc := range []struct {
		name string
		args []string
		want []string
	}{
		{"another line's number", []string{"-number", "+447700900701"}, []string{"already belongs", id}},
		{"the default line's number", []string{"-number", "07700 900999"}, []string{"default line"}},
		{"no number at all", nil, []string{"-number", "-messaging-service"}},
		{"a time zone that does not exist", []string{"-number", "+447700900702", "-timezone", "Europe/Kent"}, []string{"IANA"}},
		{"a templates folder that does not exist", []string{"-number", "+447700900702", "-templates", "/no/such/folder"},
			[]string{"-templates"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			wantErr(t, c.run("", append([]string{"line", "add", "-id", id2}, tc.args...)...), false, tc.want...)
		})
	}
	wantErr(t, c.run("", "line", "add", "-id", id, "-number", "+447700900702"), false, "already exists")

	list := c.must("line", "list")
	for _, want := range []string{c.env["LINE_ID"], "(default, from .env)", "+447700900999", id, "+447700900701"} {
		if !strings.Contains(list, want) {
			t.Errorf("line list shows no %q:\n%s", want, list)
		}
	}

	// -line, before or after the command's name, works on that line's rota and no other.
	added := c.must("volunteer", "add", "-line", id, "-name", "Ash", "-phone", "07700 900123")
	if !strings.Contains(added, "scripts/rota -line "+id+" shift add") {
		t.Errorf("the hint after adding a volunteer to a line does not name the line:\n%s", added)
	}
	if got := c.must("-line", id, "volunteer", "list"); !strings.Contains(got, "Ash") {
		t.Errorf("the line's volunteers show no Ash:\n%s", got)
	}
	if got := c.must("volunteer", "list"); strings.Contains(got, "Ash") {
		t.Errorf("Ash joined the default line's rota too:\n%s", got)
	}
	wantErr(t, c.run("", "volunteer", "list", "-line", "nowhere"), false, "nowhere", "line list")
	wantErr(t, c.run("", "volunteer", "show", "-line", id, "v9"), false, "scripts/rota -line "+id+" volunteer list")
	wantErr(t, c.run("", "volunteer", "list", "-line"), true, "-line needs")

	edited := c.must("line", "edit", "-id", id, "-whatsapp", "07700 900703")
	if !strings.Contains(edited, "+447700900703") || !strings.Contains(edited, "+447700900701") {
		t.Errorf("line edit changed more or less than -whatsapp:\n%s", edited)
	}
	wantErr(t, c.run("", "line", "edit", "-id", c.env["LINE_ID"], "-name", "x"), false, ".env")
	if show := c.must("line", "show", id); !strings.Contains(show, "Tonbridge peer line") || !strings.Contains(show, "+447700900703") {
		t.Errorf("line show:\n%s", show)
	}
	wantErr(t, c.run("", "line", "show", "nowhere"), false, "no such line")
}
