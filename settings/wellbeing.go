package settings

import (
	"strconv"
	"time"
)

// Wellbeing are the line's limits on one volunteer's chats; a volunteer's own limits on the rota win.
type Wellbeing struct {
	NightChats int           // NIGHT_CHATS: the most chats offered in one night, noon to noon (default 3)
	Rest       time.Duration // REST_AFTER_CHAT: after each chat, before new offers (default 10m; negative: none)
	Day, Week  time.Duration // DAY_CHAT_HOURS and WEEK_CHAT_HOURS: chats in 24 hours and 7 days (4h, 16h)
}

// Wellbeing returns the line's wellbeing limits.
func (r *Reader) Wellbeing() Wellbeing {
	w := Wellbeing{
		NightChats: r.whole("NIGHT_CHATS", "3", 1, 1000, "the most chats one volunteer is offered in a night"),
		Day:        time.Duration(r.whole("DAY_CHAT_HOURS", "4", 1, 24, "the most hours of chats for one volunteer in 24 hours")) * time.Hour,
		Week:       time.Duration(r.whole("WEEK_CHAT_HOURS", "16", 1, 168, "the most hours of chats for one volunteer in 7 days")) * time.Hour,
	}
	rest := r.Get("REST_AFTER_CHAT", "10m")
	d, err := time.ParseDuration(rest)
	switch {
	case rest == "0" || err == nil && d == 0:
		w.Rest = -1 // none
	case err != nil || d < time.Minute:
		r.Bad("REST_AFTER_CHAT", "%q: the rest after a chat, such as 10m (at least 1m), or 0 for none", rest)
	default:
		w.Rest = d
	}
	return w
}

// whole reads a whole-number setting from least to most; what says what it counts, for the message.
func (r *Reader) whole(name, def string, least, most int, what string) int {
	v := r.Get(name, def)
	n, err := strconv.Atoi(v)
	if err != nil || n < least || n > most {
		r.Bad(name, "%q: %s, %d to %d", v, what, least, most)
		return 0
	}
	return n
}
