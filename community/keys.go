package community

// keys builds every Redis key the community room owns, under the line's hash tag like the rota's. The
// calendar and the directory hold only what coordinators publish (events and public services, no one
// supported and no volunteer), so they have no TTL.
type keys struct{ prefix string }

func newKeys(line string) keys { return keys{prefix: "pl:{" + line + "}:community:"} }

// events is a hash: event id (e1, e2...) -> JSON Event.
func (k keys) events() string { return k.prefix + "events" }

// services is a hash: service id (s1, s2...) -> JSON Service.
func (k keys) services() string { return k.prefix + "services" }

// seq is a counter used to mint event and service ids.
func (k keys) seq() string { return k.prefix + "seq" }
