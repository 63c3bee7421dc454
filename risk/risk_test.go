package risk

import (
	"sync"
	"testing"
)

// builtInMatcher loads the built-in list or stops the test.
func builtInMatcher(t testing.TB) *Matcher {
	t.Helper()
	m, err := Load("")
	if err != nil {
		t.Fatalf("Load(\"\"): %v", err)
	}
	return m
}

// mustMatch are texts the built-in list must flag. Each is something a person might text the
// line, as written, with the reason it matches where it is not plain.
var mustMatch = []string{
	"I want to kill myself",
	"I've taken an overdose",
	"I've got the pills in front of me",
	"i took all my tablets",
	"going to end it all",
	"kms",
	"i od'd",
	"I O.D.'d last night",
	"think im going to OD",
	"ODing tonight",
	"took 20 paracetamol",
	"took a paracetamol for my head", // medicine names always match: we cannot tell
	"a whole packet of co-codamol",
	"cocodamol",
	"co codamol",
	"paracetemol",
	"paracetomol",
	"drank antifreeze",
	"💊💊💊",
	"💊",
	"I just want to die",
	"im going to hang myself",
	"I've been self harming again",
	"selfharm",
	"self-harm",
	"I cant go on anymore",
	"I can't go on",
	"I can’t go on", // curly apostrophe
	"everyone would be better off without me",
	"I've cut myself",
	"took too many",
	"800mg ibuprofen",
	"I want to unalive myself",
	"SUICIDAL",
	"suuuuicide",
	"kill my self",
	"killlll myself",
	"KILL\nMYSELF",    // across a line break
	"kill     myself", // extra spaces
	"kill.myself",     // punctuation is a word break
	"sewerslide",
	"i feel suicidal tonight",
	"I don't want to be here anymore",
	"i dont wanna live",
	"wish i wasn't here",
	"I've got 30 tablets saved up",
	"been stockpiling my meds",
	"got a bottle of pills",
	"took all my meds at once",
	"pilllls",
	"ｋｉｌｌ ｍｙｓｅｌｆ",       // full-width letters
	"ki\u200bll myself", // a zero-width space inside a word
	"💊️",                // the pill emoji with a variation selector
	"watched suicide squad and now I feel suicidal", // the exception covers only "suicide squad"
	"ate a whole packet of biscuits then took a whole packet of tablets",
	"noose",
	"thinking about jumping off a bridge",
	"I'm going to take my own life",
	"i wanna hurt myself",
	"kys",
	"took some sleeping tablets",
	"this is goodbye. thank you for trying",
}

// mustNotMatch are texts the built-in list must let through: everyday recovery talk and
// sayings that only look like risk words.
var mustNotMatch = []string{
	"killing time till my shift",
	"I have an overdue bill",
	"I could kill for a drink right now",
	"it's been a good day",
	"I relapsed last night",
	"I'm drunk",
	"using again",
	"took my meds like the doctor said",
	"dead tired",
	"end of the day",
	"odd",
	"that's odd",
	"the code",
	"pass the salt",
	"method",
	"this is killing me",          // a saying about the situation, not about harming oneself
	"I'm dying to see my kids",    // "dying" alone is not a risk word
	"kmsl that was so funny",      // killing myself laughing
	"ran 5 kms this morning",      // the !<number> kms exception
	"my script is 60ml methadone", // bare doses are everyday talk on a recovery line
	"2g of coke",
	"40 mg",
	"I'm on the pill",
	"took a chill pill",
	"my pillow is wet",
	"taking my life back one day at a time",
	"watched suicide squad again",
	"International Overdose Awareness Day is this week",
	"smoked a whole packet of fags",
	"binged a whole box set",
	"craving a drink so bad, heroin was my thing for ten years",
	"went to my meeting, got my 90 day chip",
	"can't sleep, my sponsor isn't answering",
	"good night, thank you for listening",
	"feeling low but I'll be ok",
	"pass out the leaflets at the meeting",
	"god I need a cup of tea",
	"I'm so tired of this",
	"",
	"   \n\t ",
	"...!!!",
}

func TestMatchBuiltIn(t *testing.T) {
	m := builtInMatcher(t)
	if len(mustMatch) < 35 || len(mustNotMatch) < 25 {
		t.Fatalf("the table is too small: %d must match, %d must not", len(mustMatch), len(mustNotMatch))
	}
	for _, text := range mustMatch {
		t.Run("matches/"+text, func(t *testing.T) {
			if !m.Match(text) {
				t.Errorf("Match(%q) = false, want true", text)
			}
		})
	}
	for _, text := range mustNotMatch {
		t.Run("does not match/"+text, func(t *testing.T) {
			if m.Match(text) {
				t.Errorf("Match(%q) = true, want false", text)
			}
		})
	}
}

func TestMatchConcurrent(t *testing.T) {
	m := builtInMatcher(t)
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Go(func() {
			for i := range 200 {
				text := mustMatch[(g+i)%len(mustMatch)]
				if !m.Match(text) {
					t.Errorf("Match(%q) = false in goroutine %d", text, g)
					return
				}
				text = mustNotMatch[(g+i)%len(mustNotMatch)]
				if m.Match(text) {
					t.Errorf("Match(%q) = true in goroutine %d", text, g)
					return
				}
			}
		})
	}
	wg.Wait()
}
