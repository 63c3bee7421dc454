package bot

import "testing"

func TestParseCommand(t *testing.T) {
	tests := []struct {
		text string
		cmd  command
		code string
	}{
		{"ACCEPT", cmdAccept, ""},
		{"accept", cmdAccept, ""},
		{" Accept. ", cmdAccept, ""},
		{"yes", cmdAccept, ""},
		{"Y", cmdAccept, ""},
		{"YES!", cmdAccept, ""},
		{"ACCEPT R7K2", cmdAccept, "R7K2"},
		{"accept #r7k2", cmdAccept, "R7K2"},
		{"pass", cmdPass, ""},
		{"PASS R7K2", cmdPass, "R7K2"},
		{"done", cmdDone, ""},
		{"on", cmdOn, ""},
		{"OFF", cmdOff, ""},
		{"status?", cmdStatus, ""},
		{"menu", cmdMenu, ""},
		{"help", cmdMenu, ""},
		{"STOP", cmdOptOut, ""},
		{"unsubscribe", cmdOptOut, ""},
		{"end", cmdNone, ""}, // "end" and "quit" are ordinary words on a recovery line
		{"quit", cmdNone, ""},
		{"start", cmdOptIn, ""},
		{"UNSTOP", cmdOptIn, ""},
		{"yes I can talk now", cmdNone, ""},
		{"done for today thanks", cmdNone, ""},
		{"accept it", cmdNone, ""},
		{"on my way", cmdNone, ""},
		{"", cmdNone, ""},
		{"hello", cmdNone, ""},
		{"next", cmdNext, ""},
		{"NEXT please", cmdNone, ""},
		{"COVER C4X2", cmdCover, "C4X2"},
		{"cover c4x2.", cmdCover, "C4X2"},
		{"cover", cmdCover, ""},
		{"cover R7K2", cmdNone, ""}, // a request code is not an ask's
		{"cover me", cmdNone, ""},
	}
	for _, tc := range tests {
		t.Run(tc.text, func(t *testing.T) {
			cmd, code := parseCommand(tc.text)
			if cmd != tc.cmd || code != tc.code {
				t.Fatalf("parseCommand(%q) = %v %q, want %v %q", tc.text, cmd, code, tc.cmd, tc.code)
			}
		})
	}
}

func TestParseChatCommand(t *testing.T) {
	tests := []struct {
		text string
		cmd  command
		code string
	}{
		{"PASS RUCC", cmdPass, "RUCC"},
		{"COVER C4X2", cmdCover, "C4X2"},
		{"cover for me?", cmdNone, ""},
		{"pass", cmdPass, ""},
		{"ACCEPT R7K2", cmdAccept, "R7K2"},
		{"accept", cmdAccept, ""},
		{"Status", cmdStatus, ""},
		{"OFF", cmdOff, ""},
		{"menu", cmdMenu, ""},
		{"NEXT", cmdNext, ""},
		{"DONE", cmdDone, ""},
		{"stop", cmdOptOut, ""},
		{"yes", cmdNone, ""},
		{"Y", cmdNone, ""},
		{"ok", cmdNone, ""},
		{"on", cmdNone, ""},
		{"help", cmdNone, ""},
		{"talk", cmdTalk, ""},
		{"Done?", cmdNone, ""},
		{"stop?", cmdNone, ""},
		{"Done.", cmdDone, ""},
		{"DONE!", cmdDone, ""},
		{"Pass, sorry", cmdNone, ""},
		{"status?", cmdNone, ""},
		{"accept #RUCC", cmdAccept, "RUCC"},
		{"pass the time", cmdNone, ""},
		{"I pass that shop every day", cmdNone, ""},
	}
	for _, tc := range tests {
		t.Run(tc.text, func(t *testing.T) {
			cmd, code := parseChatCommand(tc.text)
			if cmd != tc.cmd || code != tc.code {
				t.Fatalf("parseChatCommand(%q) = %v %q, want %v %q", tc.text, cmd, code, tc.cmd, tc.code)
			}
		})
	}
}

func FuzzParseCommand(f *testing.F) {
	for _, s := range []string{"ACCEPT R7K2", "yes", "pass", "DONE", "stop", "", "accept #r7k2", "ÿ"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		cmd, code := parseCommand(text)
		if code != "" && cmd != cmdAccept && cmd != cmdPass {
			t.Fatalf("parseCommand(%q) gave code %q to command %v", text, code, cmd)
		}
		if code != "" && !looksLikeCode(code) {
			t.Fatalf("parseCommand(%q) gave code %q that does not look like one", text, code)
		}
	})
}

func TestIsThanks(t *testing.T) {
	tests := map[string]bool{
		"ok thanks": true, "thank you so much x": true, "Thanks!!": true, "cheers": true, "bye": true,
		"thanks, that helped a lot": true, "ty x": true,
		"thanks but I'm still struggling": false, "ok": false, "can I talk to someone again": false,
		"": false, "thank you for everything, i want to end it all": false, "thanks 🙏": true,
	}
	for text, want := range tests {
		if got := isThanks(text); got != want {
			t.Errorf("isThanks(%q) = %v, want %v", text, got, want)
		}
	}
}
