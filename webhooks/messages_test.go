package webhooks

import (
	"errors"
	"net/url"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"peerline/bot"
	"peerline/phone"
)

const sid = "SM0123456789abcdef0123456789abcdef"

func TestParseMessage(t *testing.T) {
	tests := []struct {
		name string
		form url.Values
		want bot.Inbound
		bad  bool
	}{
		{name: "sms message is read", form: url.Values{"MessageSid": {sid}, "From": {"+447700900001"}, "To": {"+447700900999"}, "Body": {"hi"}},
			want: bot.Inbound{MessageSID: sid, From: "+447700900001", To: "+447700900999", Channel: phone.SMS, Body: "hi"}},
		{name: "whatsapp sender is the same number on another channel",
			form: url.Values{"MessageSid": {sid}, "From": {"whatsapp:+447700900001"}, "To": {"whatsapp:+447700900999"}, "Body": {"hi"}},
			want: bot.Inbound{MessageSID: sid, From: "+447700900001", To: "+447700900999", Channel: phone.WhatsApp, Body: "hi"}},
		{name: "older SmsMessageSid is accepted", form: url.Values{"SmsMessageSid": {sid}, "From": {"+447700900001"}, "To": {"+447700900999"}},
			want: bot.Inbound{MessageSID: sid, From: "+447700900001", To: "+447700900999", Channel: phone.SMS}},
		{name: "missing sid is malformed", form: url.Values{"From": {"+447700900001"}}, bad: true},
		{name: "odd sid is malformed", form: url.Values{"MessageSid": {"SM1"}, "From": {"+447700900001"}}, bad: true},
		{name: "missing from is malformed", form: url.Values{"MessageSid": {sid}}, bad: true},
		{name: "short code sender is malformed", form: url.Values{"MessageSid": {sid}, "From": {"TWILIO"}}, bad: true},
		{name: "a picture with no text is read", form: url.Values{"MessageSid": {sid}, "From": {"+447700900001"}, "To": {"+447700900999"}, "NumMedia": {"1"}},
			want: bot.Inbound{MessageSID: sid, From: "+447700900001", To: "+447700900999", Channel: phone.SMS, Media: 1}},
		{name: "Twilio's opt-out reading is kept", form: url.Values{"MessageSid": {sid}, "From": {"+447700900001"}, "To": {"+447700900999"}, "Body": {"stop"},
			"OptOutType": {"STOP"}},
			want: bot.Inbound{MessageSID: sid, From: "+447700900001", To: "+447700900999", Channel: phone.SMS, Body: "stop", OptOutType: "STOP"}},
		{name: "4,096 curly quotes pass: characters, not bytes", form: url.Values{"MessageSid": {sid}, "From": {"+447700900001"}, "To": {"+447700900999"},
			"Body": {strings.Repeat("\u2019", 4096)}},
			want: bot.Inbound{MessageSID: sid, From: "+447700900001", To: "+447700900999", Channel: phone.SMS, Body: strings.Repeat("\u2019", 4096)}},
		{name: "2,100 Cyrillic characters pass", form: url.Values{"MessageSid": {sid}, "From": {"whatsapp:+447700900001"}, "To": {"whatsapp:+447700900999"},
			"Body": {strings.Repeat("ж", 2100)}},
			want: bot.Inbound{MessageSID: sid, From: "+447700900001", To: "+447700900999", Channel: phone.WhatsApp, Body: strings.Repeat("ж", 2100)}},
		{name: "missing To is malformed", form: url.Values{"MessageSid": {sid}, "From": {"+447700900001"}}, bad: true},
		{name: "a Messaging Service stands for a missing To", form: url.Values{"MessageSid": {sid}, "From": {"+447700900001"},
			"MessagingServiceSid": {"MG0123456789abcdef0123456789abcdef"}},
			want: bot.Inbound{MessageSID: sid, From: "+447700900001", Channel: phone.SMS, Service: "MG0123456789abcdef0123456789abcdef"}},
		{name: "To on another channel than From finds no number", form: url.Values{"MessageSid": {sid},
			"From": {"whatsapp:+447700900001"}, "To": {"+447700900999"}},
			want: bot.Inbound{MessageSID: sid, From: "+447700900001", Channel: phone.WhatsApp}},
		{name: "over 4,096 characters is more than Twilio sends", form: url.Values{"MessageSid": {sid}, "From": {"+447700900001"}, "To": {"+447700900999"},
			"Body": {strings.Repeat("a", 4097)}}, bad: true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := parseMessage(tc.form, "GB")
			if tc.bad {
				if !errors.Is(err, errMalformed) {
					t.Fatalf("parseMessage = %+v, %v; want errMalformed", got, err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Fatalf("(-want +got):\n%s", diff)
			}
		})
	}
}

func FuzzParseMessage(f *testing.F) {
	f.Add("MessageSid=" + sid + "&From=%2B447700900001&Body=hi")
	f.Add("MessageSid=" + sid + "&From=whatsapp%3A%2B447700900001&Body=%F0%9F%99%82")
	f.Add("From=&Body=&MessageSid=")
	f.Fuzz(func(t *testing.T, body string) {
		form, err := url.ParseQuery(body)
		if err != nil {
			return
		}
		in, err := parseMessage(form, "GB")
		if err != nil {
			if !errors.Is(err, errMalformed) {
				t.Fatalf("error %v is not errMalformed", err)
			}
			return
		}
		if in.MessageSID == "" || in.From == "" || (in.Channel != phone.SMS && in.Channel != phone.WhatsApp) {
			t.Fatalf("accepted an incomplete message: %+v", in)
		}
	})
}
