package outbox_test

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"peerline/outbox"
	"peerline/phone"
	"peerline/twiliofake"
)

func TestRetry(t *testing.T) {
	tests := []struct {
		name    string
		msg     outbox.Message
		id      func(d outbox.DeadLetter) string
		wantErr error
	}{
		{name: "an offer is queued again and sent", msg: offerTo(jo), id: func(d outbox.DeadLetter) string { return d.ID }},
		{name: "a relay is refused: its words were not kept", msg: relayTo(jo), id: func(d outbox.DeadLetter) string { return d.ID },
			wantErr: outbox.ErrNotRetryable},
		{name: "an unknown id is not found", msg: offerTo(jo), id: func(outbox.DeadLetter) string { return "zzzzzz" },
			wantErr: outbox.ErrNotFound},
		{name: "a malformed id is not found", msg: offerTo(jo), id: func(outbox.DeadLetter) string { return "*" },
			wantErr: outbox.ErrNotFound},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ctx := context.Background()
			f := newFixture(t, nil)
			f.fake.FailTo(jo, optedOut)
			f.queue(t, tc.msg)
			f.reclaimAll(t, f.box)
			d := f.dead(t)
			if len(d) != 1 {
				t.Fatalf("dead letters %+v, want 1", d)
			}
			err := f.box.Retry(ctx, tc.id(d[0]))
			if !errors.Is(err, tc.wantErr) {
				t.Fatalf("Retry = %v, want %v", err, tc.wantErr)
			}
			if tc.wantErr != nil {
				if n := f.streamLen(t); n != 0 || len(f.dead(t)) != 1 {
					t.Fatalf("after a refused retry: outbox %d, dead letters %v; want 0 and the one kept", n, f.dead(t))
				}
				return
			}
			if got := f.dead(t); len(got) != 0 {
				t.Fatalf("dead letters after Retry %+v, want none", got)
			}
			if err := f.box.Retry(ctx, d[0].ID); !errors.Is(err, outbox.ErrNotFound) {
				t.Fatalf("second Retry = %v, want ErrNotFound", err)
			}
			f.fake.StopFailing(jo)
			stop := f.run(t)
			sent := f.wait(t, 1)
			stop()
			if sent[0].To != jo || sent[0].Body != tc.msg.Body {
				t.Fatalf("sent %+v, want the offer to Jo", sent[0])
			}
			if ref, ok, _ := f.box.Ref(ctx, sent[0].SID); !ok || ref != tc.msg.Ref {
				t.Fatalf("ref of the retried message %q, %v; want %q", ref, ok, tc.msg.Ref)
			}
		})
	}
}

func TestClearForgetAndClearAll(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t, tick())
	f.fake.FailTo(jo, optedOut)
	f.fake.FailTo(sam, twiliofake.Failure{Status: 400, Code: 21211})
	joWhatsApp := relayTo(jo)
	joWhatsApp.Channel = phone.WhatsApp
	f.queue(t, offerTo(jo), offerTo(sam), joWhatsApp, relayTo(sam))
	f.reclaimAll(t, f.box)
	d := f.dead(t)
	kinds := func(d []outbox.DeadLetter) (out []string) {
		for _, x := range d {
			out = append(out, x.MaskedTo+" "+x.Kind+" "+string(x.Channel))
		}
		return out
	}
	want := []string{"**********101 relay_to_volunteer sms", "**********102 relay_to_volunteer whatsapp",
		"**********101 volunteer_offer sms", "**********102 volunteer_offer sms"}
	if diff := cmp.Diff(want, kinds(d)); diff != "" {
		t.Fatalf("dead letters, newest first (-want +got):\n%s", diff)
	}

	if err := f.box.Clear(ctx, d[0].ID); err != nil {
		t.Fatal(err)
	}
	if err := f.box.Clear(ctx, d[0].ID); !errors.Is(err, outbox.ErrNotFound) {
		t.Fatalf("Clear of a cleared id = %v, want ErrNotFound", err)
	}
	if diff := cmp.Diff(want[1:], kinds(f.dead(t))); diff != "" {
		t.Fatalf("after Clear (-want +got):\n%s", diff)
	}

	if n, err := f.box.ForgetNumber(ctx, jo); err != nil || n != 2 {
		t.Fatalf("ForgetNumber(Jo) = %d, %v; want 2 (SMS and WhatsApp)", n, err)
	}
	if diff := cmp.Diff(want[2:3], kinds(f.dead(t))); diff != "" {
		t.Fatalf("after ForgetNumber (-want +got):\n%s", diff)
	}
	if n, err := f.box.ForgetNumber(ctx, "+447700900999"); err != nil || n != 0 {
		t.Fatalf("ForgetNumber(unknown) = %d, %v; want 0", n, err)
	}

	if n, err := f.box.ClearAll(ctx); err != nil || n != 1 {
		t.Fatalf("ClearAll = %d, %v; want 1", n, err)
	}
	if len(f.dead(t)) != 0 || len(f.deadKeys(t)) != 0 {
		t.Fatalf("after ClearAll: %v, keys %v", f.dead(t), f.deadKeys(t))
	}
	if n, err := f.box.ClearAll(ctx); err != nil || n != 0 {
		t.Fatalf("ClearAll of nothing = %d, %v", n, err)
	}
	f.noLeaks(t, jo, sam, offerTo(jo).Body, relayTo(jo).Body)
}

func TestDeadLettersExpireAndAreBounded(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t, tick(), func(o *outbox.Options) { o.DeadFor, o.DeadMax = 2*time.Hour, 3 })
	var msgs []outbox.Message
	for i := range 5 {
		to := fmt.Sprintf("+44770090020%d", i)
		f.fake.FailTo(to, optedOut)
		msgs = append(msgs, offerTo(to))
	}
	f.queue(t, msgs...)
	f.reclaimAll(t, f.box)

	d := f.dead(t)
	var got []string
	for _, x := range d {
		got = append(got, x.MaskedTo)
	}
	if diff := cmp.Diff([]string{"**********204", "**********203", "**********202"}, got); diff != "" {
		t.Fatalf("kept, newest first (-want +got):\n%s", diff)
	}
	keys := f.deadKeys(t)
	if len(keys) != 3 {
		t.Fatalf("dead letter keys %v, want the 3 kept", keys)
	}
	for _, k := range append(keys, "pl:{"+f.line+"}:outbox:dead") {
		if ttl := f.rdb.TTL(ctx, k).Val(); ttl <= 2*time.Hour-time.Minute || ttl > 2*time.Hour {
			t.Errorf("%s expires in %v, want DeadFor (2h)", k, ttl)
		}
	}

	// One expires: it leaves the list, and the index.
	f.rdb.Del(ctx, "pl:{"+f.line+"}:outbox:dead:"+d[1].ID)
	if got := f.dead(t); len(got) != 2 || got[0].ID != d[0].ID || got[1].ID != d[2].ID {
		t.Fatalf("after one expired: %+v", got)
	}
	if n := f.rdb.ZCard(ctx, "pl:{"+f.line+"}:outbox:dead").Val(); n != 2 {
		t.Fatalf("index holds %d ids, want 2", n)
	}
}

func TestDefaultsKeepAWeek(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t, nil)
	f.fake.FailTo(jo, optedOut)
	f.queue(t, offerTo(jo))
	f.reclaimAll(t, f.box)
	d := f.dead(t)
	if len(d) != 1 {
		t.Fatalf("dead letters %+v", d)
	}
	week := 7 * 24 * time.Hour
	if ttl := f.rdb.TTL(ctx, "pl:{"+f.line+"}:outbox:dead:"+d[0].ID).Val(); ttl <= week-time.Minute || ttl > week {
		t.Fatalf("kept for %v, want 7 days", ttl)
	}
}

func TestQuotingKindsCanBeExtended(t *testing.T) {
	f := newFixture(t, nil, func(o *outbox.Options) { o.Quoting = append(outbox.QuotingKinds(), "coordinator_note") })
	f.fake.FailTo(jo, optedOut)
	f.queue(t, outbox.Message{To: jo, Channel: phone.SMS, Body: "Sam (v2) wrote: i need to talk", Kind: "coordinator_note"}, offerTo(jo))
	f.reclaimAll(t, f.box)
	d := f.dead(t)
	if len(d) != 2 || d[0].Retryable == d[1].Retryable {
		t.Fatalf("dead letters %+v; want the note not retryable and the offer retryable", d)
	}
	for _, x := range d {
		body := f.rdb.HGet(context.Background(), "pl:{"+f.line+"}:outbox:dead:"+x.ID, "body").Val()
		if x.Kind == "coordinator_note" && (body != "" || x.Retryable) {
			t.Errorf("note kept %q, retryable %v", body, x.Retryable)
		}
	}
}

func TestEveryQuotingKindKeepsNoWords(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t, nil)
	f.fake.FailTo(jo, optedOut)
	for _, kind := range outbox.QuotingKinds() {
		f.queue(t, outbox.Message{To: jo, Channel: phone.SMS, Body: "words of " + kind, Kind: kind})
	}
	f.reclaimAll(t, f.box)
	d := f.dead(t)
	if len(d) != len(outbox.QuotingKinds()) {
		t.Fatalf("dead letters %+v, want one of each kind", d)
	}
	for _, x := range d {
		h := f.rdb.HGetAll(ctx, "pl:{"+f.line+"}:outbox:dead:"+x.ID).Val()
		if h["body"] != "" || x.Retryable {
			t.Errorf("%s kept %q, retryable %v; want no words and no retry", x.Kind, h["body"], x.Retryable)
		}
		if err := f.box.Retry(ctx, x.ID); !errors.Is(err, outbox.ErrNotRetryable) {
			t.Errorf("Retry of %s = %v, want ErrNotRetryable", x.Kind, err)
		}
	}
}
