// Package chaos is the fault suite (issue 12): it plays load through the whole service, signed webhooks
// in and texts out through the fake Twilio, while a fault strikes (Redis killed and restarted, a power
// cut of the Redis host, the service killed mid-send, several instances racing, a Twilio 429/500
// storm, delivery callbacks out of order), and judges only by outcomes: the texts the fake Twilio
// received and what Redis holds, never the outbox's internals.
//
// Its tests start their own redis-server processes, in temporary folders, on free ports, and never touch
// another Redis. `make test` runs the short suite (a few seconds, the service in-process); `make chaos`
// runs every scenario against the built binary, which a kill needs (RELIABILITY.md has the figures).
package chaos
