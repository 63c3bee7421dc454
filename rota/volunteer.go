package rota

import (
	"fmt"
	"slices"
	"strings"
	"unicode"
)

// Channels a volunteer can be reached on.
const (
	SMS      = "sms"
	WhatsApp = "whatsapp"
)

// Limits on what a volunteer record holds.
const (
	maxName     = 40
	maxTags     = 20
	maxTag      = 30
	maxNotes    = 500
	maxMaxChats = 20     // in one night
	maxRest     = 240    // minutes after a chat
	maxWeek     = 7 * 24 // hours of chats in a week
)

// Volunteer is a peer supporter (or coordinator) on the line.
type Volunteer struct {
	ID          string   `json:"id"`
	Name        string   `json:"name"`  // what the person in need sees
	Phone       string   `json:"phone"` // E.164
	Coordinator bool     `json:"coordinator,omitempty"`
	Active      bool     `json:"active"`             // false while paused: never offered requests
	Channels    []string `json:"channels,omitempty"` // sms, whatsapp; the preferred first
	Tags        []string `json:"tags,omitempty"`     // such as alcohol, women-only, polish-speaking
	// Their own wellbeing limits; 0 takes the line's (NIGHT_CHATS, REST_AFTER_CHAT, WEEK_CHAT_HOURS). A
	// volunteer is never in more than one chat at a time. (The stored name is new: max_chats meant
	// chats at once, which the line never offered, so an old record takes the line's limits.)
	MaxChats  int    `json:"night_chats,omitempty"`  // the most chats in one night
	Rest      int    `json:"rest_minutes,omitempty"` // minutes after each chat before new offers
	WeekHours int    `json:"week_hours,omitempty"`   // the most hours of chats in 7 days
	Notes     string `json:"notes,omitempty"`        // for coordinators only; never sent to anyone
}

// Chats returns the most chats the volunteer may have in one night; 0: the line's limit.
func (v Volunteer) Chats() int { return v.MaxChats }

// Reach returns the channel the volunteer prefers (the first of Channels; sms if none).
func (v Volunteer) Reach() string {
	if len(v.Channels) == 0 {
		return SMS
	}
	return v.Channels[0]
}

// HasTag reports whether the volunteer carries tag.
func (v Volunteer) HasTag(tag string) bool { return slices.Contains(v.Tags, tag) }

// Role names what the volunteer does on the line: "coordinator" or "volunteer".
func (v Volunteer) Role() string {
	if v.Coordinator {
		return "coordinator"
	}
	return "volunteer"
}

// Printable replaces control characters (tabs, newlines, terminal escapes) in a stored name or note
// with ?, so that it cannot break a table, a CSV summary or the terminal it is shown on.
func Printable(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsControl(r) {
			return '?'
		}
		return r
	}, s)
}

// FullName reports whether name looks like more than a first name: a word after the first that is more
// than an initial ("Sam Smith", not "Sam B" or "Sam B."). People who text see the name, so the line
// uses first names only, for volunteers' privacy; a double first name ("Mary Ann") looks the same.
func FullName(name string) bool {
	words := strings.Fields(name)
	for _, w := range words[min(1, len(words)):] {
		if len([]rune(strings.TrimSuffix(w, "."))) > 1 {
			return true
		}
	}
	return false
}

// Normalize tidies what a coordinator typed (no channel becomes sms)
// and reports every problem at once. The phone number must already be E.164 (see package phone).
func (v *Volunteer) Normalize() error {
	var problems []string
	v.Name = strings.TrimSpace(v.Name)
	if v.Name == "" || len([]rune(v.Name)) > maxName || strings.ContainsFunc(v.Name, unicode.IsControl) {
		problems = append(problems, fmt.Sprintf("name %q: give a first name of 1 to %d characters", v.Name, maxName))
	}
	if !strings.HasPrefix(v.Phone, "+") {
		problems = append(problems, fmt.Sprintf("phone %q: not a checked international number", v.Phone))
	}
	chans, err := NormalizeChannels(v.Channels)
	if err != nil {
		problems = append(problems, err.Error())
	}
	v.Channels = chans
	tags, err := NormalizeTags(v.Tags)
	if err != nil {
		problems = append(problems, err.Error())
	}
	v.Tags = tags
	if v.MaxChats < 0 || v.MaxChats > maxMaxChats {
		problems = append(problems, fmt.Sprintf("max chats %d: the most chats in one night, 1 to %d (0: the line's)", v.MaxChats, maxMaxChats))
	}
	if v.Rest < 0 || v.Rest > maxRest {
		problems = append(problems, fmt.Sprintf("rest %d: minutes after a chat before new offers, 1 to %d (0: the line's)", v.Rest, maxRest))
	}
	if v.WeekHours < 0 || v.WeekHours > maxWeek {
		problems = append(problems, fmt.Sprintf("week hours %d: the most hours of chats in 7 days, 1 to %d (0: the line's)", v.WeekHours, maxWeek))
	}
	v.Notes = strings.TrimSpace(v.Notes)
	if len([]rune(v.Notes)) > maxNotes {
		problems = append(problems, fmt.Sprintf("notes: at most %d characters (these have %d)", maxNotes, len([]rune(v.Notes))))
	}
	if len(problems) > 0 {
		return fmt.Errorf("%s", strings.Join(problems, "; "))
	}
	return nil
}

// NormalizeChannels checks channel names, lowercases them and drops repeats; none means sms.
func NormalizeChannels(in []string) ([]string, error) {
	var out []string
	for _, c := range in {
		c = strings.ToLower(strings.TrimSpace(c))
		switch c {
		case "":
			continue
		case SMS, WhatsApp:
		default:
			return nil, fmt.Errorf("channel %q: want sms or whatsapp", c)
		}
		if !slices.Contains(out, c) {
			out = append(out, c)
		}
	}
	if len(out) == 0 {
		out = []string{SMS}
	}
	return out, nil
}

// NormalizeTags lowercases tags, turns spaces into dashes, drops repeats and sorts them. A tag is made
// of letters, digits and dashes, such as women-only or polish-speaking.
func NormalizeTags(in []string) ([]string, error) {
	var out []string
	for _, t := range in {
		t = strings.ToLower(strings.Join(strings.Fields(t), "-"))
		if t == "" {
			continue
		}
		ok := len(t) <= maxTag && !strings.ContainsFunc(t, func(r rune) bool {
			return !unicode.IsLetter(r) && !unicode.IsDigit(r) && r != '-'
		})
		if !ok {
			return nil, fmt.Errorf("tag %q: use letters, digits and dashes, at most %d characters", t, maxTag)
		}
		if !slices.Contains(out, t) {
			out = append(out, t)
		}
	}
	if len(out) > maxTags {
		return nil, fmt.Errorf("tags: at most %d (there are %d)", maxTags, len(out))
	}
	slices.Sort(out)
	return out, nil
}
