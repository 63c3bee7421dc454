package main

import (
	"context"
	"errors"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/redis/go-redis/v9"
	"github.com/sirupsen/logrus"

	"peerline/commit"
	"peerline/outbox"
	"peerline/phone"
)

// refuser is a Sender that Twilio refuses every message of, with code.
type refuser struct{ code int }

func (r refuser) Send(context.Context, outbox.Message) (string, error) {
	return "", &outbox.SendError{Status: 400, Code: r.code, Permanent: true}
}

const (
	joNumber  = "+447700900102"
	samNumber = "+447700900101"
	offerText = "Someone is asking for support (R7K3). Reply ACCEPT to take it or PASS to let it go."
	relayText = "R7K3: i can't stop shaking"
)

// refuse queues m and has the service's outbox fail it at the tool's "now" with Twilio's code, as a
// worker that reclaims it would: it becomes a dead letter.
func (c *cli) refuse(m outbox.Message, code int) {
	c.t.Helper()
	ctx := context.Background()
	log := logrus.New()
	log.SetOutput(io.Discard)
	box := outbox.New(c.rdb, c.env["LINE_ID"], refuser{code}, log, func() time.Time { return c.now },
		outbox.Options{MaxAge: 24 * 365 * time.Hour})
	if err := box.Setup(ctx); err != nil {
		c.t.Fatal(err)
	}
	b := commit.New()
	box.Queue(b, m)
	if _, err := c.app.Apply(ctx, b); err != nil {
		c.t.Fatal(err)
	}
	for _, stream := range box.Streams() { // m is in the stream of its class
		res, err := c.rdb.XReadGroup(ctx, &redis.XReadGroupArgs{Group: "senders", Consumer: "crashed",
			Streams: []string{stream, ">"}, Block: -1}).Result()
		if errors.Is(err, redis.Nil) {
			continue
		}
		if err != nil {
			c.t.Fatal(err)
		}
		for _, x := range res[0].Messages {
			if err := c.rdb.Do(ctx, "XCLAIM", stream, "senders", "crashed", 0, x.ID, "IDLE", 60000).Err(); err != nil {
				c.t.Fatal(err)
			}
		}
	}
	if _, err := box.Reclaim(ctx); err != nil {
		c.t.Fatal(err)
	}
}

// twoFailed makes the dead letters of a refused offer to Jo at 12:00 and a refused relay on WhatsApp
// to Sam at 12:05, and returns their ids.
func (c *cli) twoFailed() (offer, relay string) {
	c.t.Helper()
	c.refuse(outbox.Message{To: joNumber, Channel: phone.SMS, Body: offerText, Kind: "volunteer_offer", Ref: "offer R7K3 v2"}, 21610)
	c.now = c.now.Add(5 * time.Minute)
	c.refuse(outbox.Message{To: samNumber, Channel: phone.WhatsApp, Body: relayText, Kind: "relay_to_volunteer"}, 21211)
	ids := c.deadIDs()
	if len(ids) != 2 {
		c.t.Fatalf("dead letters %v, want 2", ids)
	}
	return ids[1], ids[0]
}

// deadIDs returns the ids of the line's dead letters, newest first.
func (c *cli) deadIDs() []string {
	c.t.Helper()
	ids, err := c.rdb.ZRevRange(context.Background(), "pl:{"+c.env["LINE_ID"]+"}:outbox:dead", 0, -1).Result()
	if err != nil {
		c.t.Fatal(err)
	}
	return ids
}

// private fails the test when out shows a full number or anything a text said.
func private(t *testing.T, out string) {
	t.Helper()
	for _, s := range []string{joNumber, samNumber, "900102", "900101", offerText, relayText, "shaking"} {
		if strings.Contains(out, s) {
			t.Errorf("output shows %q:\n%s", s, out)
		}
	}
}

func TestDeadLettersList(t *testing.T) {
	t.Parallel()
	t.Run("nothing failed", func(t *testing.T) {
		t.Parallel()
		c := newCLI(t)
		if diff := cmp.Diff("No failed texts.\n", c.must("deadletters", "list")); diff != "" {
			t.Errorf("output (-want +got):\n%s", diff)
		}
	})
	t.Run("newest first, codes in plain words, numbers masked, no words", func(t *testing.T) {
		t.Parallel()
		c := newCLI(t)
		offer, relay := c.twoFailed()
		out := c.must("deadletters", "list")
		want := "Texts Twilio refused for good (2), newest first:\n\n" +
			"ID      WHEN              KIND                CODE                      CHANNEL   TO             RETRY\n" +
			relay + "  Tue 24 Nov 12:05  relay_to_volunteer  21211 not a valid number  whatsapp  **********101  no\n" +
			offer + "  Tue 24 Nov 12:00  volunteer_offer     21610 opted out           sms       **********102  yes\n" +
			"\nTo send one again: " + prog + " deadletters retry ID (RETRY no: it quoted someone's words, which are not kept).\n"
		if diff := cmp.Diff(want, out); diff != "" {
			t.Errorf("output (-want +got):\n%s", diff)
		}
		private(t, out)
	})
	t.Run("times are the line's", func(t *testing.T) {
		t.Parallel()
		c := newCLI(t)
		c.env["LINE_TIMEZONE"] = "America/New_York"
		c.twoFailed()
		if out := c.must("deadletters", "list"); !strings.Contains(out, "Tue 24 Nov 07:05") {
			t.Errorf("list does not show New York time:\n%s", out)
		}
	})
}

func TestDeadLettersRetry(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name      string
		id        func(offer, relay string) string
		want      string
		wantErr   string
		wantUsage bool
		queued    bool // the offer is back in the outbox and off the list
	}{
		{name: "an offer goes back to the outbox", id: func(offer, _ string) string { return offer }, queued: true,
			want: "Queued {offer} (volunteer_offer to **********102 by sms) again: the service's outbox sends it within seconds.\n" +
				"If Twilio refuses it again, it comes back to the list with a new ID.\n" +
				"It failed as opted out: Twilio refuses it again until they text START to the line.\n"},
		{name: "an id typed in capitals is found", id: func(offer, _ string) string { return " " + strings.ToUpper(offer) }, queued: true},
		{name: "a relay cannot be sent again", id: func(_, relay string) string { return relay },
			wantErr: "cannot be sent again: it quoted someone's words"},
		{name: "an unknown id points at the list", id: func(string, string) string { return "zzzzzz" },
			wantErr: "failed text zzzzzz not found (see `" + prog + " deadletters list`)"},
		{name: "a missing id is a usage error", id: nil, wantUsage: true, wantErr: "give the failed text's ID"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			c := newCLI(t)
			offer, relay := c.twoFailed()
			args := []string{"deadletters", "retry"}
			if tc.id != nil {
				args = append(args, tc.id(offer, relay))
			}
			r := c.run("", args...)
			stream := "pl:{" + c.env["LINE_ID"] + "}:outbox"
			entries := c.rdb.XRange(context.Background(), stream, "-", "+").Val()
			if tc.wantErr != "" {
				wantErr(t, r, tc.wantUsage, tc.wantErr)
				if len(entries) != 0 || len(c.deadIDs()) != 2 {
					t.Errorf("after a refused retry: outbox %v, dead letters %v", entries, c.deadIDs())
				}
				return
			}
			if r.err != nil {
				t.Fatalf("error: %v", r.err)
			}
			if want := strings.ReplaceAll(tc.want, "{offer}", offer); tc.want != "" && r.out != want {
				t.Errorf("output (-want +got):\n%s", cmp.Diff(want, r.out))
			}
			private(t, r.out)
			if len(entries) != 1 || entries[0].Values["body"] != offerText || entries[0].Values["to"] != joNumber {
				t.Errorf("outbox holds %v, want the offer to Jo", entries)
			}
			if diff := cmp.Diff([]string{relay}, c.deadIDs()); diff != "" {
				t.Errorf("dead letters after retry (-want +got):\n%s", diff)
			}
		})
	}
}

func TestDeadLettersClear(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name      string
		stdin     string
		args      func(offer, relay string) []string
		want      string
		wantErr   string
		wantUsage bool
		left      func(offer, relay string) []string
	}{
		{name: "answer n keeps it", stdin: "n\n", args: func(offer, _ string) []string { return []string{offer} },
			want: "Clear failed text {offer} (volunteer_offer to **********102 by sms)? [y/N] Kept {offer}; nothing was cleared.\n",
			left: func(offer, relay string) []string { return []string{relay, offer} }},
		{name: "answer y clears it", stdin: "y\n", args: func(offer, _ string) []string { return []string{offer} },
			want: "Clear failed text {offer} (volunteer_offer to **********102 by sms)? [y/N] Cleared {offer}.\n",
			left: func(_, relay string) []string { return []string{relay} }},
		{name: "-yes clears without asking", args: func(_, relay string) []string { return []string{relay, "-yes"} },
			want: "Cleared {relay}.\n",
			left: func(offer, _ string) []string { return []string{offer} }},
		{name: "all asks first", stdin: "\n", args: func(string, string) []string { return []string{"all"} },
			want: "Clear all 2 failed texts? [y/N] Kept them all; nothing was cleared.\n",
			left: func(offer, relay string) []string { return []string{relay, offer} }},
		{name: "all -yes clears every one", args: func(string, string) []string { return []string{"-yes", "all"} },
			want: "Cleared 2 failed texts.\n",
			left: func(string, string) []string { return []string{} }},
		{name: "an unknown id points at the list", args: func(string, string) []string { return []string{"abcdef", "-yes"} },
			wantErr: "failed text abcdef not found",
			left:    func(offer, relay string) []string { return []string{relay, offer} }},
		{name: "a missing id is a usage error", args: func(string, string) []string { return []string{"-yes"} },
			wantErr: "give the failed text's ID (see deadletters list), or all", wantUsage: true,
			left: func(offer, relay string) []string { return []string{relay, offer} }},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			c := newCLI(t)
			offer, relay := c.twoFailed()
			r := c.run(tc.stdin, append([]string{"deadletters", "clear"}, tc.args(offer, relay)...)...)
			if tc.wantErr != "" {
				wantErr(t, r, tc.wantUsage, tc.wantErr)
			} else if r.err != nil {
				t.Fatalf("error: %v", r.err)
			} else {
				want := strings.NewReplacer("{offer}", offer, "{relay}", relay).Replace(tc.want)
				if diff := cmp.Diff(want, r.out); diff != "" {
					t.Errorf("output (-want +got):\n%s", diff)
				}
			}
			if diff := cmp.Diff(tc.left(offer, relay), c.deadIDs()); diff != "" {
				t.Errorf("dead letters left (-want +got):\n%s", diff)
			}
		})
	}
	t.Run("all with nothing to clear says so", func(t *testing.T) {
		t.Parallel()
		c := newCLI(t)
		if out := c.must("deadletters", "clear", "all"); out != "No failed texts.\n" {
			t.Errorf("output %q", out)
		}
	})
}
