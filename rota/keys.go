package rota

// keys builds every Redis key the rota owns. All carry the line's hash tag, so one line's keys stay in one
// Redis Cluster slot and multi-key scripts can touch them together.
type keys struct{ prefix string }

func newKeys(line string) keys { return keys{prefix: "pl:{" + line + "}:rota:"} }

// volunteers is a hash: volunteer id -> JSON Volunteer.
func (k keys) volunteers() string { return k.prefix + "volunteers" }

// byPhone is a hash: E.164 number -> volunteer id; it keeps numbers unique.
func (k keys) byPhone() string { return k.prefix + "byphone" }

// shifts is a hash: shift id -> JSON Shift.
func (k keys) shifts() string { return k.prefix + "shifts" }

// off is a hash: volunteer id -> "off" for volunteers who texted OFF; absent means available.
func (k keys) off() string { return k.prefix + "off" }

// seq is a counter used to mint volunteer and shift ids.
func (k keys) seq() string { return k.prefix + "seq" }

// version is a counter bumped by every change to the rota, so readers can keep a decoded copy and
// reload it only when it changed.
func (k keys) version() string { return k.prefix + "version" }

// skips is a hash: SkipKey(shift, date) -> "" for occurrences of weekly shifts that do not happen.
func (k keys) skips() string { return k.prefix + "skips" }

// hours is a string: the line's open hours as JSON; absent means DefaultHours.
func (k keys) hours() string { return k.prefix + "hours" }
