package night

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestPhrasesAreInTheirTemplates fails when a template's wording changes under a phrase the night
// recognises its texts by: update night/phrases.go.
func TestPhrasesAreInTheirTemplates(t *testing.T) {
	for _, p := range append(volunteerPhrases(), personPhrases()...) {
		if p.template == "" {
			continue // no template says it yet
		}
		b, err := os.ReadFile(filepath.Join("..", "templates", "templates", p.template+".tmpl"))
		if err != nil {
			t.Errorf("phrase %q: %v", p.text, err)
			continue
		}
		if !strings.Contains(strings.ToLower(string(b)), strings.ToLower(p.text)) {
			t.Errorf("%s.tmpl no longer says %q: update night/phrases.go", p.template, p.text)
		}
	}
	b, err := os.ReadFile(filepath.Join("..", "templates", "templates", "person_fallback.tmpl"))
	if err != nil || !strings.Contains(string(b), samaritans) {
		t.Errorf("person_fallback.tmpl no longer gives %s (%v): update night/phrases.go", samaritans, err)
	}
}

func TestClassify(t *testing.T) {
	names := []string{"Vol1", "Coord1"}
	for _, c := range []struct {
		body   string
		person bool
		want   kind
	}{
		{"Someone is asking for support (R7K3). Reply ACCEPT to take it or PASS to let it go.", false, kindOffer},
		{"peerline: R7K3 has waited 1 minute and nobody has taken it. Reply ACCEPT R7K3 to talk yourself.", false, kindPage},
		{"R7K3: I said Reply ACCEPT, you're connected to me", false, kindFromPerson},
		{"Chat R7K3 is closed. Thank you for your support.", false, kindClosed},
		{"You're already in chat R7K3. Text DONE to end it first.", false, kindBusy},
		{"Vol1: PASS R7K3", true, kindFromVolunteer},
		{"Sorry, we couldn't find a peer supporter for you right now. You can call Samaritans on 116 123 (free, 24/7).", true, kindSignpost},
		{"Sorry, we couldn't find a peer supporter for you right now.", true, kindUnknown}, // a signpost must give the number
		{"Thank you, we've got that and will pass it on.", true, kindWaiting},
		{"We're still looking for a peer supporter for you. Thank you for waiting.", true, kindStillLooking},
		{"Our peer supporters are all with someone right now. You're in the queue.", true, kindQueued},
	} {
		got := classifyVolunteer(c.body)
		if c.person {
			got = classifyPerson(c.body, names)
		}
		if got != c.want {
			t.Errorf("%q: kind %d, want %d", c.body, got, c.want)
		}
	}
}

func TestFindCodeAndPhoneNumbers(t *testing.T) {
	for body, want := range map[string]string{
		"Someone is asking for support (R7K3).": "R7K3", "#RWN4 please": "RWN4", "R2D2 and RR7K3 and R7K2": "",
		"ACCEPT r7k3": "", "Reply ACCEPT RCDQ to talk": "RCDQ",
	} {
		if got := findCode(body); got != want {
			t.Errorf("findCode(%q) = %q, want %q", body, got, want)
		}
	}
	for body, want := range map[string]bool{
		"Kim (v3, +447700900101) asked": true, "call 07700 900101 now": true, "Samaritans on 116 123 (free)": false,
		"call 999 or NHS 111": false, "at 10:00 on 2026-12-25": false, "+44 7700 900101": true,
	} {
		if got := hasPhoneNumber(body); got != want {
			t.Errorf("hasPhoneNumber(%q) = %v, want %v", body, got, want)
		}
	}
}
