package community

import "strings"

// spokenNeeds are words and phrases that, in a person's own words, name a need the directory serves.
// Stricter than needWords (which reads what a coordinator or volunteer types): "work" or "family" in a
// person's text ("I'm at work") names no need, "evicted" or "bailiffs" does.
var spokenNeeds = []struct{ words, need string }{
	{"evicted", "housing"}, {"eviction", "housing"}, {"homeless", "housing"}, {"sofa surfing", "housing"},
	{"sleeping rough", "housing"}, {"rent arrears", "housing"}, {"kicked out", "housing"}, {"nowhere to live", "housing"},
	{"nowhere to stay", "housing"}, {"landlord", "housing"},
	{"debt", "money"}, {"debts", "money"}, {"bailiffs", "money"}, {"benefits", "money"}, {"sanctioned", "money"},
	{"universal credit", "money"}, {"no money", "money"}, {"cant pay", "money"},
	{"lost my job", "work"}, {"unemployed", "work"}, {"sacked", "work"}, {"fired", "work"},
	{"food bank", "food"}, {"foodbank", "food"}, {"hungry", "food"}, {"no food", "food"}, {"havent eaten", "food"},
	{"needles", "harm-reduction"}, {"needle exchange", "harm-reduction"}, {"naloxone", "harm-reduction"},
	{"clean works", "harm-reduction"},
	{"mental health", "mental-health"}, {"depressed", "mental-health"}, {"depression", "mental-health"},
	{"anxiety", "mental-health"}, {"panic attacks", "mental-health"}, {"hearing voices", "mental-health"},
	{"social services", "family"}, {"custody", "family"}, {"my kids", "family"}, {"my children", "family"},
}

// NeedsIn returns the needs that a person's words name, each once, in the directory's order.
func NeedsIn(text string) []string {
	padded := " " + strings.Join(wordsOf(strings.ReplaceAll(text, "'", "")), " ") + " "
	found := map[string]bool{}
	for _, s := range spokenNeeds {
		if strings.Contains(padded, " "+s.words+" ") {
			found[s.need] = true
		}
	}
	var out []string
	for _, n := range Needs {
		if found[n] {
			out = append(out, n)
		}
	}
	return out
}
