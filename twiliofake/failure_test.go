package twiliofake_test

import (
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"peerline/twiliofake"
)

// send posts a message to to with body and returns the Twilio error code answered, 0 when it was sent.
func send(t *testing.T, srv *httptest.Server, to, body string) int {
	t.Helper()
	from := "+447700900998"
	if strings.HasPrefix(to, "whatsapp:") {
		from = "whatsapp:" + from
	}
	code, answer := post(t, srv, url.Values{"To": {to}, "From": {from}, "Body": {body}})
	if code == 201 {
		return 0
	}
	return int(answer["code"].(float64))
}

func TestFailuresForOneNumber(t *testing.T) {
	const jo, sam = "+447700900102", "+447700900101"
	optedOut := twiliofake.Failure{Status: 400, Code: 21610}
	tests := []struct {
		name  string
		setup func(f *twiliofake.Server)
		to    []string // sends in order
		want  []int    // the error code of each, 0 when sent
	}{
		{
			name:  "every send to the number fails, on both channels, others go through",
			setup: func(f *twiliofake.Server) { f.FailTo(jo, optedOut) },
			to:    []string{jo, sam, "whatsapp:" + jo, jo},
			want:  []int{21610, 0, 21610, 21610},
		},
		{
			name:  "a WhatsApp address fails on WhatsApp only",
			setup: func(f *twiliofake.Server) { f.FailTo("whatsapp:"+jo, twiliofake.Failure{Status: 400, Code: 63016}) },
			to:    []string{"whatsapp:" + jo, jo},
			want:  []int{63016, 0},
		},
		{
			name: "the next sends fail in order, then it goes through",
			setup: func(f *twiliofake.Server) {
				f.FailToNext(jo, twiliofake.Failure{Status: 429, Code: 20429}, twiliofake.Failure{Status: 500, Code: 20500})
			},
			to:   []string{sam, jo, jo, jo},
			want: []int{0, 20429, 20500, 0},
		},
		{
			name:  "stop failing lets sends through again",
			setup: func(f *twiliofake.Server) { f.FailTo(jo, optedOut); f.StopFailing(jo) },
			to:    []string{jo},
			want:  []int{0},
		},
		{
			name: "a failure for the next request comes first",
			setup: func(f *twiliofake.Server) {
				f.FailTo(jo, optedOut)
				f.FailNext(twiliofake.Failure{Status: 429, Code: 20429})
			},
			to:   []string{jo, jo},
			want: []int{20429, 21610},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			fake := twiliofake.NewServer(accountSID, authToken)
			srv := httptest.NewServer(fake)
			defer srv.Close()
			tc.setup(fake)
			var got []int
			for _, to := range tc.to {
				got = append(got, send(t, srv, to, "hello"))
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Fatalf("error codes (-want +got):\n%s", diff)
			}
			if n := fake.Requests(); n != len(tc.to) {
				t.Fatalf("Requests() = %d, want %d (failed sends count)", n, len(tc.to))
			}
		})
	}
}

func TestBodyLengthCountsCharactersNotBytes(t *testing.T) {
	tests := []struct {
		name string
		body string
		want int // 0: sent; else the error code
	}{
		{name: "1,600 plain letters sent", body: strings.Repeat("a", 1600)},
		{name: "1,601 plain letters refused", body: strings.Repeat("a", 1601), want: 21617},
		{name: "1,600 curly quotes sent (3 bytes each)", body: strings.Repeat("\u2019", 1600)},
		{name: "1,600 Cyrillic letters sent (2 bytes each)", body: strings.Repeat("ж", 1600)},
		{name: "1,601 Cyrillic letters refused", body: strings.Repeat("ж", 1601), want: 21617},
		{name: "800 pill emoji sent (two units each)", body: strings.Repeat("\U0001F48A", 800)},
		{name: "801 pill emoji refused", body: strings.Repeat("\U0001F48A", 801), want: 21617},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			fake := twiliofake.NewServer(accountSID, authToken)
			srv := httptest.NewServer(fake)
			defer srv.Close()
			code, answer := post(t, srv, url.Values{"To": {"+447700900001"}, "From": {"+447700900998"}, "Body": {tc.body}})
			got := 0
			if code != 201 {
				got = int(answer["code"].(float64))
			}
			if got != tc.want {
				t.Fatalf("status %d, answer %v; want error %d", code, answer, tc.want)
			}
			if tc.want == 21617 && (code != 400 || !strings.Contains(answer["message"].(string), "1600 character limit")) {
				t.Fatalf("status %d, answer %v; want Twilio's 400 and its message", code, answer)
			}
			if sent := fake.Sent(); (len(sent) == 1) != (tc.want == 0) {
				t.Fatalf("sent %d messages", len(sent))
			}
		})
	}
}

func TestErrorMessagesQuoteTheNumberLikeTwilios(t *testing.T) {
	fake := twiliofake.NewServer(accountSID, authToken)
	srv := httptest.NewServer(fake)
	defer srv.Close()
	fake.FailTo("+447700900102", twiliofake.Failure{Status: 400, Code: 21211})
	_, answer := post(t, srv, url.Values{"To": {"+447700900102"}, "From": {"+447700900998"}, "Body": {"hi"}})
	if want := "The 'To' number +447700900102 is not a valid phone number."; answer["message"] != want {
		t.Fatalf("message %q, want %q (so the service's tests see a number it must not log)", answer["message"], want)
	}
}
