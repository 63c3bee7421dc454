package matcher

// The matcher's Redis keys, all under pl:{line}:match: so a line's keys share one Redis Cluster slot.

// requestKey is a hash per request: status, person (E.164), channel, offered, passes, created (unix
// seconds), tier, urgent, wants (tags, comma-separated), paged, told (the furthest status text the
// person has had), volunteer and matched (unix ms) once accepted. It expires after retention.
func (m *Matcher) requestKey(code string) string { return m.prefix + "req:" + code }

// offersKey is a hash per volunteer number: code -> unix time offered, for the waiting requests whose
// offer they hold now. It holds nothing else: an entry goes as soon as its request stops waiting, so
// its length says whether the volunteer has an offer to answer.
func (m *Matcher) offersKey(volunteerPhone string) string {
	return m.prefix + "offers:" + volunteerPhone
}

// lateOffersKey is a hash per volunteer number: code -> unix time, for offers of requests whose person
// was signposted, which the volunteer may still take for a while (a late accept).
func (m *Matcher) lateOffersKey(volunteerPhone string) string {
	return m.prefix + "lateoffers:" + volunteerPhone
}

// activeKey is a hash: volunteer id -> code of the conversation they are in.
func (m *Matcher) activeKey() string { return m.prefix + "active" }

// activeVersionKey is a counter that moves with every change to activeKey, so a reader can tell that the
// live chats it read are still current without reading them again.
func (m *Matcher) activeVersionKey() string { return m.prefix + "active:version" }

// saidKey is a list of what the person wrote before anyone accepted, handed to the volunteer who does.
func (m *Matcher) saidKey(code string) string { return m.prefix + "req:" + code + ":said" }

// openKey is the waiting queue: a sorted set of the codes of requests nobody has taken, scored so the
// most urgent come first and, among equals, the oldest (see priority).
func (m *Matcher) openKey() string { return m.prefix + "open" }

// lateKey is a sorted set of the codes of requests whose person was signposted, scored by when (unix
// ms): a volunteer who comes free may still take one within the late window.
func (m *Matcher) lateKey() string { return m.prefix + "late" }

// historyKey is a stream of what happened to requests, for coordinators' reports: codes, times and
// volunteer ids only, never a number or a text. It is capped at about historyCap entries.
func (m *Matcher) historyKey() string { return m.prefix + "history" }

// offeredKey is a set per request: the ids of everyone offered it so far.
func (m *Matcher) offeredKey(code string) string { return m.prefix + "req:" + code + ":offered" }

// holdersKey is a set per request: the ids of those who hold its offer now (offered, and neither
// passed, nor let go of it, nor told it was taken).
func (m *Matcher) holdersKey(code string) string { return m.prefix + "req:" + code + ":holders" }

// lastOfferKey is a hash: volunteer id -> when they were last offered a request or matched (unix ms),
// so the first offers go to those who had one least recently.
func (m *Matcher) lastOfferKey() string { return m.prefix + "lastoffer" }

// passedKey is a set per request: the ids of those who let it go, so it is not offered to them again.
func (m *Matcher) passedKey(code string) string { return m.prefix + "req:" + code + ":passed" }
