package bot

import (
	"strings"
	"unicode"

	"peerline/rota"
)

// tagWords are the words that mean a person asked for a volunteer with a tag, such as a woman asking
// for a woman. A tag's own words count too ("polish" for polish-speaking), apart from the generic ones.
var tagWords = map[string][]string{
	"women-only":      {"woman", "women", "female", "lady", "ladies", "girl"},
	"men-only":        {"man", "men", "male", "guy", "bloke"},
	"polish-speaking": {"polish", "polsku", "polski", "polsce"},
	"lgbtq":           {"gay", "lesbian", "bi", "trans", "queer", "lgbt", "lgbtq", "nonbinary"},
	"alcohol":         {"alcohol", "drink", "drinking", "drunk", "booze", "alcoholic"},
	"opioids":         {"heroin", "opioid", "opioids", "opiate", "opiates", "methadone", "fentanyl"},
}

// genericWords never make a tag wanted on their own.
var genericWords = map[string]bool{"only": true, "speaking": true, "speaker": true, "support": true}

// wantedTags returns the tags, among those the volunteers carry, that the person's text asks for.
func wantedTags(text string, vols []rota.Volunteer) []string {
	said := map[string]bool{}
	for _, w := range strings.FieldsFunc(strings.ToLower(text), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r)
	}) {
		said[w] = true
	}
	seen := map[string]bool{}
	var out []string
	for _, v := range vols {
		for _, tag := range v.Tags {
			if seen[tag] {
				continue
			}
			seen[tag] = true
			if asksFor(said, tag) {
				out = append(out, tag)
			}
		}
	}
	return out
}

func asksFor(said map[string]bool, tag string) bool {
	words := append([]string(nil), tagWords[tag]...)
	for _, w := range strings.Split(tag, "-") {
		if !genericWords[w] {
			words = append(words, w)
		}
	}
	for _, w := range words {
		if said[w] {
			return true
		}
	}
	return false
}
