package outbox_test

import (
	"context"
	"sort"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"peerline/outbox"
	"peerline/phone"
	"peerline/twiliofake"
)

// sentKeys returns the outbox's SID -> Ref records of the fixture's line.
func (f fixture) sentKeys(t *testing.T) []string {
	t.Helper()
	k, err := f.rdb.Keys(context.Background(), "pl:{"+f.line+"}:outbox:sent:*").Result()
	if err != nil {
		t.Fatal(err)
	}
	sort.Strings(k)
	return k
}

func (f fixture) sentKey(sid string) string { return "pl:{" + f.line + "}:outbox:sent:" + sid }

func TestSendsApprovedTemplateInsteadOfBody(t *testing.T) {
	const status = "https://line.example.org/twilio/status"
	tests := []struct {
		name string
		msg  outbox.Message
		want twiliofake.Sent
	}{
		{
			name: "template with variables sent without its body",
			msg: outbox.Message{To: "+447700900001", Channel: phone.WhatsApp, Body: "shown in logs only", Kind: "volunteer_offer",
				ContentSID: "HX0123456789abcdef0123456789abcdef", ContentVariables: `{"1":"R7K2"}`},
			want: twiliofake.Sent{To: "whatsapp:+447700900001", From: "whatsapp:+447700900998", StatusCallback: status,
				ContentSID: "HX0123456789abcdef0123456789abcdef", ContentVariables: `{"1":"R7K2"}`},
		},
		{
			name: "template without variables sent as the template alone",
			msg:  outbox.Message{To: "+447700900002", Channel: phone.WhatsApp, Kind: "check_in", ContentSID: "HXffffffffffffffffffffffffffffffff"},
			want: twiliofake.Sent{To: "whatsapp:+447700900002", From: "whatsapp:+447700900998", StatusCallback: status,
				ContentSID: "HXffffffffffffffffffffffffffffffff"},
		},
		{
			name: "plain text sent as a body",
			msg:  outbox.Message{To: "+447700900003", Channel: phone.SMS, Body: "someone is asking", Kind: "volunteer_offer"},
			want: twiliofake.Sent{To: "+447700900003", From: "+447700900999", StatusCallback: status, Body: "someone is asking"},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f := newFixture(t, nil)
			f.queue(t, tc.msg)
			stop := f.run(t)
			sent := f.wait(t, 1)
			stop()
			sent[0].SID = ""
			if diff := cmp.Diff(tc.want, sent[0]); diff != "" {
				t.Fatalf("Twilio received (-want +got):\n%s", diff)
			}
		})
	}
}

func TestBadTemplateVariablesFailForGoodWithoutARequest(t *testing.T) {
	f := newFixture(t, nil)
	f.queue(t,
		outbox.Message{To: "+447700900001", Channel: phone.WhatsApp, Kind: "offer", ContentSID: "HX1", ContentVariables: `["R7K2"]`, Ref: "offer R7K2 v1"},
		outbox.Message{To: "+447700900002", Channel: phone.SMS, Body: "next one", Kind: "test"},
	)
	stop := f.run(t)
	sent := f.wait(t, 1)
	stop()
	if got := f.fake.Requests(); got != 1 || sent[0].Body != "next one" {
		t.Fatalf("Twilio saw %d requests, sent %+v; want only the next message", got, sent)
	}
	if n := f.streamLen(t); n != 0 {
		t.Fatalf("outbox holds %d messages, want 0 (a bad template is not retried)", n)
	}
	if k := f.sentKeys(t); len(k) != 0 {
		t.Fatalf("refs stored for an unsent message: %v", k)
	}
}

func TestRefFoundBySIDAfterSend(t *testing.T) {
	tests := []struct {
		name   string
		ref    string
		wantOK bool
	}{
		{name: "ref stored for a day", ref: "offer R7K2 v3", wantOK: true},
		{name: "nothing stored without a ref", ref: "", wantOK: false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ctx := context.Background()
			f := newFixture(t, nil)
			f.queue(t, outbox.Message{To: "+447700900001", Channel: phone.SMS, Body: "someone is asking", Kind: "volunteer_offer", Ref: tc.ref})
			stop := f.run(t)
			sid := f.wait(t, 1)[0].SID
			stop()
			ref, ok, err := f.box.Ref(ctx, sid)
			if err != nil || ok != tc.wantOK || ref != tc.ref {
				t.Fatalf("Ref(%s) = %q, %v, %v; want %q, %v, nil", sid, ref, ok, err, tc.ref, tc.wantOK)
			}
			if !tc.wantOK {
				if k := f.sentKeys(t); len(k) != 0 {
					t.Fatalf("stored %v for a message without a ref", k)
				}
				return
			}
			if ttl := f.rdb.TTL(ctx, f.sentKey(sid)).Val(); ttl <= outbox.RefTTL-time.Minute || ttl > outbox.RefTTL {
				t.Fatalf("ref kept for %v, want %v", ttl, outbox.RefTTL)
			}
			if _, ok, err := f.box.Ref(ctx, twiliofake.NewSID("SM")); ok || err != nil {
				t.Fatalf("Ref of an unknown SID = %v, %v; want not found", ok, err)
			}
		})
	}
}

func TestFailedSendStoresNoRef(t *testing.T) {
	fail := func(f twiliofake.Failure, n int) []twiliofake.Failure {
		out := make([]twiliofake.Failure, n)
		for i := range out {
			out[i] = f
		}
		return out
	}
	tests := []struct {
		name       string
		failures   []twiliofake.Failure
		wantQueued int64 // what stays in the outbox after the run
	}{
		{name: "permanent failure acknowledged without a ref", failures: fail(twiliofake.Failure{Status: 400, Code: 21610}, 1), wantQueued: 0},
		{name: "transient failures left for reclaim without a ref", failures: fail(twiliofake.Failure{Status: 500, Code: 20500}, 4), wantQueued: 1},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f := newFixture(t, nil)
			f.fake.FailNext(tc.failures...)
			// One worker takes messages in order: once the second is sent, the first was handled.
			f.queue(t,
				outbox.Message{To: "+447700900001", Channel: phone.SMS, Body: "fails", Kind: "volunteer_offer", Ref: "offer R7K2 v1"},
				outbox.Message{To: "+447700900002", Channel: phone.SMS, Body: "goes", Kind: "volunteer_offer", Ref: "offer R7K2 v2"},
			)
			stop := f.run(t)
			sent := f.wait(t, 1)
			stop()
			if diff := cmp.Diff([]string{f.sentKey(sent[0].SID)}, f.sentKeys(t)); diff != "" {
				t.Fatalf("refs stored (-want +got):\n%s", diff)
			}
			if n := f.streamLen(t); n != tc.wantQueued {
				t.Fatalf("outbox holds %d messages, want %d", n, tc.wantQueued)
			}
		})
	}
}
