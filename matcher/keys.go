package matcher

// The matcher's Redis keys, all under pl:{line}:match: so a line's keys share one Redis Cluster slot.

// requestKey is a hash per request: status, person (E.164), channel, offered, passes, created (unix
// seconds), volunteer and matched (unix ms) once accepted. It expires after retention.
func (m *Matcher) requestKey(code string) string { return m.prefix + "req:" + code }

// offersKey is a hash per volunteer number: request code -> unix time offered.
func (m *Matcher) offersKey(volunteerPhone string) string {
	return m.prefix + "offers:" + volunteerPhone
}

// activeKey is a hash: volunteer id -> code of the conversation they are in.
func (m *Matcher) activeKey() string { return m.prefix + "active" }

// saidKey is a list of what the person wrote before anyone accepted, handed to the volunteer who does.
func (m *Matcher) saidKey(code string) string { return m.prefix + "req:" + code + ":said" }

// openKey is a sorted set of the codes of open requests, scored by when they were opened (unix seconds).
func (m *Matcher) openKey() string { return m.prefix + "open" }

// historyKey is a stream of what happened to requests, for coordinators' reports: codes, times and
// volunteer ids only, never a number or a text. It is capped at about historyCap entries.
func (m *Matcher) historyKey() string { return m.prefix + "history" }

// offeredKey is a set per request: the ids of everyone offered it so far, so widening skips them.
func (m *Matcher) offeredKey(code string) string { return m.prefix + "req:" + code + ":offered" }

// lastOfferKey is a hash: volunteer id -> when they were last offered a request or matched (unix ms),
// so the first offers go to those who had one least recently.
func (m *Matcher) lastOfferKey() string { return m.prefix + "lastoffer" }

// passedKey is a set per request: the ids of those who let it go, so they are not told it was taken.
func (m *Matcher) passedKey(code string) string { return m.prefix + "req:" + code + ":passed" }
