package bot

import (
	"strings"
	"unicode"
)

// command is what a volunteer's text asks for.
type command int

const (
	cmdNone     command = iota // not a command: relayed in a chat, answered with the menu otherwise
	cmdAccept                  // ACCEPT [code], or the aliases YES and Y
	cmdPass                    // PASS [code]
	cmdDone                    // DONE: end the chat
	cmdOn                      // ON: available
	cmdOff                     // OFF: not available
	cmdStatus                  // STATUS
	cmdMenu                    // MENU or HELP
	cmdOptOut                  // a word Twilio treats as an opt-out (STOP and friends)
	cmdOptIn                   // START or UNSTOP: back after an opt-out
	cmdOK                      // OK: after a chat, the volunteer is fine
	cmdTalk                    // TALK: after a chat, the volunteer would like a coordinator to get in touch
	cmdNext                    // NEXT: a free volunteer asks for the most urgent waiting request
	cmdEscalate                // ESCALATE: a volunteer needs the on-call coordinator now
	cmdBlock                   // BLOCK: a volunteer ends a chat and keeps the person from volunteers a while
	cmdCover                   // COVER [code]: a volunteer takes a stretch the line asked them to cover
)

// words maps a first word to its command. Twilio acts on its opt-out and opt-in words by itself, so no
// volunteer command depends on them; YES is only an alias of ACCEPT. QUIT, END and CANCEL, also Twilio
// opt-out words by default, are ordinary words here: on a recovery line "quit" is about drinking, and
// the README tells the line to take them out of Twilio's Advanced Opt-Out. When Twilio opts a number out
// all the same, its webhook says so (OptOutType), and that counts (see optOut).
var words = map[string]command{
	"ACCEPT": cmdAccept, "YES": cmdAccept, "Y": cmdAccept,
	"PASS": cmdPass, "DONE": cmdDone, "ON": cmdOn, "OFF": cmdOff, "STATUS": cmdStatus,
	"MENU": cmdMenu, "HELP": cmdMenu, "OK": cmdOK, "OKAY": cmdOK, "TALK": cmdTalk, "NEXT": cmdNext,
	"ESCALATE": cmdEscalate, "BLOCK": cmdBlock, "COVER": cmdCover,
	"STOP": cmdOptOut, "STOPALL": cmdOptOut, "UNSUBSCRIBE": cmdOptOut, "REVOKE": cmdOptOut, "OPTOUT": cmdOptOut,
	"START": cmdOptIn, "UNSTOP": cmdOptIn,
}

// parseCommand reads a text as a command with an optional request code ("accept r7k2."). A text of more
// than two words is never a command: it is something a person wants to say.
func parseCommand(text string) (cmd command, code string) {
	fields := strings.FieldsFunc(strings.ToUpper(text), func(r rune) bool {
		return unicode.IsSpace(r) || unicode.IsPunct(r) && r != '#'
	})
	if len(fields) == 0 || len(fields) > 2 {
		return cmdNone, ""
	}
	cmd, ok := words[fields[0]]
	if !ok {
		return cmdNone, ""
	}
	if len(fields) == 2 {
		switch {
		case cmd == cmdCover && looksLikeAskCode(fields[1]):
		case cmd != cmdAccept && cmd != cmdPass || !looksLikeCode(fields[1]):
			return cmdNone, ""
		}
		code = strings.TrimPrefix(fields[1], "#")
	}
	return cmd, code
}

// chatWords are the command words that act inside a chat. Words people also say to each other (yes,
// ok, on, help) are passed on to the person there. TALK acts, so that a volunteer's answer to the
// debrief of their last chat never reaches the person of the next.
var chatWords = map[string]bool{"ACCEPT": true, "PASS": true, "DONE": true, "OFF": true, "STATUS": true,
	"MENU": true, "NEXT": true, "TALK": true, "ESCALATE": true, "BLOCK": true, "COVER": true}

// optOut reports whether in opts its sender out: Twilio says so (OptOutType STOP), or the text is one
// of the opt-out words.
func optOut(in Inbound) bool {
	if in.OptOutType != "" {
		return in.OptOutType == "STOP"
	}
	cmd, _ := parseCommand(in.Body)
	return cmd == cmdOptOut
}

// optIn reports whether in opts its sender back in after an opt-out: Twilio says so (OptOutType
// START), or the text is START, UNSTOP or, from someone opted out, YES.
func optIn(in Inbound, optedOut bool) bool {
	if in.OptOutType != "" {
		return in.OptOutType == "START"
	}
	cmd, _ := parseCommand(in.Body)
	return cmd == cmdOptIn || optedOut && cmd == cmdAccept && strings.EqualFold(strings.Trim(in.Body, " .!"), "yes")
}

// help reports whether in asks what the line is: Twilio says so (OptOutType HELP), or the text is HELP
// or INFO alone.
func help(in Inbound) bool {
	if in.OptOutType != "" {
		return in.OptOutType == "HELP"
	}
	w := strings.ToUpper(strings.Trim(strings.TrimSpace(in.Body), ".!?"))
	return w == "HELP" || w == "INFO"
}

// parseChatCommand reads a volunteer's text inside a chat: it is a command only when it is exactly a
// command word that acts in a chat, alone or with a request code, or an opt-out word (STOP and
// friends), with at most a full stop or an exclamation mark after it. "Done?" is a question to the
// person, not a command.
func parseChatCommand(text string) (cmd command, code string) {
	t := strings.TrimRight(strings.TrimSpace(text), ".!")
	if strings.ContainsFunc(t, func(r rune) bool { return unicode.IsPunct(r) && r != '#' }) {
		return cmdNone, ""
	}
	cmd, code = parseCommand(t)
	if cmd == cmdNone || cmd == cmdOptOut {
		return cmd, code
	}
	if !chatWords[strings.ToUpper(strings.Fields(t)[0])] {
		return cmdNone, ""
	}
	return cmd, code
}

// looksLikeCode reports whether s could be a request code such as R7K2 (or #R7K2).
func looksLikeCode(s string) bool {
	s = strings.TrimPrefix(s, "#")
	if len(s) < 2 || len(s) > 8 || s[0] != 'R' {
		return false
	}
	for _, r := range s {
		if !unicode.IsDigit(r) && !unicode.IsUpper(r) {
			return false
		}
	}
	return true
}

// thanksWords are the words of a text that only says thanks or goodbye.
var thanksWords = map[string]bool{
	"ok": true, "okay": true, "k": true, "thanks": true, "thank": true, "thankyou": true, "you": true, "u": true,
	"so": true, "much": true, "very": true, "x": true, "xx": true, "xxx": true, "ty": true, "thx": true, "tx": true,
	"cheers": true, "ta": true, "lovely": true, "great": true, "brilliant": true, "that": true, "was": true,
	"helpful": true, "helped": true, "it": true, "bye": true, "night": true, "goodnight": true, "nite": true,
	"good": true, "alright": true, "sure": true, "cool": true, "appreciate": true, "i": true, "a": true,
	"lot": true, "many": true, "again": true, "for": true, "everything": true, "all": true, "both": true,
}

// gratitude are the words that make such a text a thanks or a goodbye.
var gratitude = map[string]bool{"thanks": true, "thank": true, "thankyou": true, "ty": true, "thx": true,
	"tx": true, "cheers": true, "ta": true, "appreciate": true, "bye": true, "goodnight": true, "nite": true}

// isThanks reports whether text only says thanks or goodbye ("ok thanks", "thank you so much x"),
// in at most eight words; anything more is something the person wants to say.
func isThanks(text string) bool {
	words := strings.FieldsFunc(strings.ToLower(text), func(r rune) bool { return !unicode.IsLetter(r) })
	if len(words) == 0 || len(words) > 8 {
		return false
	}
	thanks := false
	for _, w := range words {
		if !thanksWords[w] {
			return false
		}
		thanks = thanks || gratitude[w]
	}
	return thanks
}
