package outbox_test

import (
	"context"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/sirupsen/logrus"

	"peerline/commit"
	"peerline/outbox"
	"peerline/phone"
	"peerline/redistest"
)

// recorder is a Sender that hands every message it is given to the test and answers a fixed SID.
type recorder struct {
	sid string
	got chan outbox.Message
}

func (r recorder) Send(_ context.Context, m outbox.Message) (string, error) {
	r.got <- m
	return r.sid, nil
}

func TestStreamCarriesEveryField(t *testing.T) {
	tests := []struct {
		name       string
		msg        outbox.Message
		wantFields map[string]any
	}{
		{
			name: "template with ref keeps every field",
			msg: outbox.Message{To: "+447700900001", Channel: phone.WhatsApp, Body: "for the log", Kind: "volunteer_offer",
				ValidFor: 10 * time.Minute, ContentSID: "HX0123", ContentVariables: `{"1":"R7K2","2":"tonight"}`, Ref: "offer R7K2 v3"},
			wantFields: map[string]any{"to": "+447700900001", "ch": "whatsapp", "body": "for the log", "kind": "volunteer_offer",
				"valid": "600", "csid": "HX0123", "cvars": `{"1":"R7K2","2":"tonight"}`, "ref": "offer R7K2 v3"},
		},
		{
			name: "plain text leaves the optional fields out",
			msg:  outbox.Message{To: "+447700900002", Channel: phone.SMS, Body: "hello", Kind: "person_ack"},
			wantFields: map[string]any{"to": "+447700900002", "ch": "sms", "body": "hello", "kind": "person_ack",
				"valid": "0"},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ctx := context.Background()
			rdb, line := redistest.New(t)
			rec := recorder{sid: "SM00000000000000000000000000000042", got: make(chan outbox.Message, 1)}
			box := outbox.New(rdb, line, rec, logrus.New(), time.Now, outbox.Options{InFlight: 1, Block: 50 * time.Millisecond})
			b := commit.New()
			box.Queue(b, tc.msg)
			if _, err := commit.NewApplier(rdb).Apply(ctx, b); err != nil {
				t.Fatal(err)
			}
			entries, err := rdb.XRange(ctx, box.Stream(), "-", "+").Result()
			if err != nil || len(entries) != 1 {
				t.Fatalf("stream holds %v, %v; want one entry", entries, err)
			}
			if diff := cmp.Diff(tc.wantFields, entries[0].Values); diff != "" {
				t.Fatalf("stream fields (-want +got):\n%s", diff)
			}

			run, cancel := context.WithCancel(ctx)
			done := make(chan error, 1)
			go func() { done <- box.Run(run) }()
			got := <-rec.got
			cancel()
			if err := <-done; err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tc.msg, got, cmpopts.IgnoreFields(outbox.Message{}, "ID", "Queued")); diff != "" {
				t.Fatalf("the sender got (-want +got):\n%s", diff)
			}
			if got.ID != entries[0].ID || got.Queued.IsZero() {
				t.Fatalf("the sender got id %q queued %v, want the stream's id %q and its time", got.ID, got.Queued, entries[0].ID)
			}
			ref, ok, err := box.Ref(ctx, rec.sid)
			if err != nil || ok != (tc.msg.Ref != "") || ref != tc.msg.Ref {
				t.Fatalf("Ref(%s) = %q, %v, %v; want %q", rec.sid, ref, ok, err, tc.msg.Ref)
			}
		})
	}
}
