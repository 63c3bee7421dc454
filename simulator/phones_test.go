package simulator_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"peerline/phone"
	"peerline/redistest"
	"peerline/rota"
	"peerline/simulator"
)

var _ simulator.Roster = (*rota.Store)(nil) // the service gives the simulator its rota store

// roster is a rota that answers from a list of reads, the last one again and again.
type roster struct {
	mu    sync.Mutex
	reads []read
}

type read struct {
	vols []rota.Volunteer
	err  error
}

func (r *roster) Load(context.Context) (rota.Rota, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	next := r.reads[0]
	if len(r.reads) > 1 {
		r.reads = r.reads[1:]
	}
	if next.err != nil {
		return rota.Rota{}, next.err
	}
	vols := map[string]rota.Volunteer{}
	for _, v := range next.vols {
		vols[v.ID] = v
	}
	return rota.Rota{Volunteers: vols}, nil
}

// phonesOf asks the page's question "which phones are there?" once.
func phonesOf(t *testing.T, pageURL string) []simulator.Phone {
	t.Helper()
	res, err := http.Get(pageURL + "/simulator/phones")
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	var got []simulator.Phone
	if err := json.NewDecoder(res.Body).Decode(&got); err != nil {
		t.Fatal(err)
	}
	return got
}

var (
	alex = simulator.Phone{Name: "Alex", Number: "+447700900001", Channel: phone.SMS, Role: "person"}
	bea  = simulator.Phone{Name: "Bea", Number: "+447700900002", Channel: phone.WhatsApp, Role: "person"}
	lee  = rota.Volunteer{ID: "v4", Name: "Lee", Phone: "+447700900104", Active: true}
	ria  = rota.Volunteer{ID: "v10", Name: "Ria", Phone: "+447700900110", Active: true, Channels: []string{"whatsapp"}}
	sam  = rota.Volunteer{ID: "v1", Name: "Sam", Phone: "+447700900101", Active: true}
	kim  = rota.Volunteer{ID: "v3", Name: "Kim", Phone: "+447700900103", Active: true, Coordinator: true}
)

func TestPhonesShowTheLinesPeople(t *testing.T) {
	tests := []struct {
		name    string
		roster  simulator.Roster // nil: no roster
		asks    int              // how many times the page asks; the last answer is checked
		want    []simulator.Phone
		console string // what the console must say, "" for nothing
	}{
		{
			name: "without a roster, the demo's five phones",
			asks: 1, want: simulator.DemoPhones(),
		},
		{
			name:   "the demo's people, then the rota's volunteers in id order, then its coordinators",
			roster: &roster{reads: []read{{vols: []rota.Volunteer{kim, ria, lee, sam}}}},
			asks:   1,
			want: []simulator.Phone{alex, bea,
				{Name: "Sam", Number: sam.Phone, Channel: phone.SMS, Role: "volunteer"},
				{Name: "Lee", Number: lee.Phone, Channel: phone.SMS, Role: "volunteer"},
				{Name: "Ria", Number: ria.Phone, Channel: phone.WhatsApp, Role: "volunteer"},
				{Name: "Kim", Number: kim.Phone, Channel: phone.SMS, Role: "coordinator"},
			},
		},
		{
			name:   "demo volunteers a coordinator removed are not shown",
			roster: &roster{reads: []read{{vols: []rota.Volunteer{lee}}}},
			asks:   1,
			want:   []simulator.Phone{alex, bea, {Name: "Lee", Number: lee.Phone, Channel: phone.SMS, Role: "volunteer"}},
		},
		{
			name:   "a volunteer added since the last ask is shown the next time",
			roster: &roster{reads: []read{{vols: []rota.Volunteer{sam}}, {vols: []rota.Volunteer{sam, lee}}}},
			asks:   2,
			want: []simulator.Phone{alex, bea,
				{Name: "Sam", Number: sam.Phone, Channel: phone.SMS, Role: "volunteer"},
				{Name: "Lee", Number: lee.Phone, Channel: phone.SMS, Role: "volunteer"},
			},
		},
		{
			name:    "a rota that cannot be read shows the people last read, and says so once",
			roster:  &roster{reads: []read{{vols: []rota.Volunteer{lee}}, {err: errors.New("redis down")}}},
			asks:    3,
			want:    []simulator.Phone{alex, bea, {Name: "Lee", Number: lee.Phone, Channel: phone.SMS, Role: "volunteer"}},
			console: "[simulator] could not read the rota, so the page shows the phones it last read: redis down\n",
		},
		{
			name:    "a rota never read shows the demo's phones",
			roster:  &roster{reads: []read{{err: errors.New("redis down")}}},
			asks:    1,
			want:    simulator.DemoPhones(),
			console: "[simulator] could not read the rota, so the page shows the phones it last read: redis down\n",
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var console bytes.Buffer
			sim := simulator.New(simulator.Config{AccountSID: "AC0", AuthToken: token, ServiceURL: "http://127.0.0.1:1",
				PublicURL: "http://line.test", Phones: simulator.DemoPhones(), Roster: tc.roster}, &console)
			page := httptest.NewServer(sim.Handler())
			defer page.Close()
			var got []simulator.Phone
			for range tc.asks {
				got = phonesOf(t, page.URL)
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("phones (-want +got):\n%s", diff)
			}
			if console.String() != tc.console {
				t.Errorf("console %q, want %q", console.String(), tc.console)
			}
		})
	}
}

// TestPhonesFollowTheRotaStore: with the rota store as its roster, a volunteer a coordinator adds while
// the page is open gets a card at the page's next ask, with no restart.
func TestPhonesFollowTheRotaStore(t *testing.T) {
	ctx := context.Background()
	rdb, line := redistest.New(t)
	store := rota.NewStore(rdb, line, time.UTC)
	sim := simulator.New(simulator.Config{AccountSID: "AC0", AuthToken: token, ServiceURL: "http://127.0.0.1:1",
		PublicURL: "http://line.test", Phones: simulator.DemoPhones(), Roster: store}, nil)
	page := httptest.NewServer(sim.Handler())
	defer page.Close()
	if got := phonesOf(t, page.URL); len(got) != 2 {
		t.Fatalf("an empty rota: %v, want Alex and Bea only", got)
	}
	if _, err := store.AddVolunteer(ctx, rota.Volunteer{Name: "Lee", Phone: lee.Phone, Channels: []string{"whatsapp"}}); err != nil {
		t.Fatal(err)
	}
	want := []simulator.Phone{alex, bea, {Name: "Lee", Number: lee.Phone, Channel: phone.WhatsApp, Role: "volunteer"}}
	if diff := cmp.Diff(want, phonesOf(t, page.URL)); diff != "" {
		t.Errorf("phones after adding Lee (-want +got):\n%s", diff)
	}
}

// TestANumberMetGetsACard: a number that texts the line, or that the line texts, is shown from its first
// text on, after the rota's people, once, and never in full on the console.
func TestANumberMetGetsACard(t *testing.T) {
	svc, got := service(t)
	var console bytes.Buffer
	sim := simulator.New(simulator.Config{AccountSID: "AC0", AuthToken: token, ServiceURL: svc.URL,
		PublicURL: "http://line.test", LineNumber: "+447700900999", LineWhatsApp: "+447700900998",
		Phones: simulator.DemoPhones(), Roster: &roster{reads: []read{{vols: []rota.Volunteer{lee}}}}}, &console)
	page := httptest.NewServer(sim.Handler())
	defer page.Close()
	defer sim.Close()
	leeCard := simulator.Phone{Name: "Lee", Number: lee.Phone, Channel: phone.SMS, Role: "volunteer"}

	tests := []struct {
		name string
		text func(t *testing.T)
		want []simulator.Phone
	}{
		{
			name: "a number that texts the line by WhatsApp gets a WhatsApp card",
			text: func(t *testing.T) {
				send(t, page.URL, url.Values{"from": {"+447700900003"}, "channel": {"whatsapp"}, "body": {"hello"}}, http.StatusNoContent)
				if f := <-got; f.Get("From") != "whatsapp:+447700900003" || f.Get("To") != "whatsapp:+447700900998" {
					t.Fatalf("the service got From %q To %q", f.Get("From"), f.Get("To"))
				}
			},
			want: []simulator.Phone{alex, bea, leeCard, {Name: "+447700900003", Number: "+447700900003", Channel: phone.WhatsApp, Role: "other"}},
		},
		{
			name: "a number the line texts gets a card after it",
			text: func(t *testing.T) { lineTexts(t, page.URL, "+447700900004", "you are in the queue") },
			want: []simulator.Phone{alex, bea, leeCard,
				{Name: "+447700900003", Number: "+447700900003", Channel: phone.WhatsApp, Role: "other"},
				{Name: "+447700900004", Number: "+447700900004", Channel: phone.SMS, Role: "other"}},
		},
		{
			name: "known numbers texting and texted keep their one card",
			text: func(t *testing.T) {
				send(t, page.URL, url.Values{"from": {alex.Number}, "body": {"hi"}}, http.StatusNoContent)
				<-got
				lineTexts(t, page.URL, lee.Phone, "someone is asking")
				send(t, page.URL, url.Values{"from": {"+447700900003"}, "channel": {"sms"}, "body": {"again, by SMS"}}, http.StatusNoContent)
				<-got
			},
			want: []simulator.Phone{alex, bea, leeCard,
				{Name: "+447700900003", Number: "+447700900003", Channel: phone.WhatsApp, Role: "other"},
				{Name: "+447700900004", Number: "+447700900004", Channel: phone.SMS, Role: "other"}},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tc.text(t)
			if diff := cmp.Diff(tc.want, phonesOf(t, page.URL)); diff != "" {
				t.Errorf("phones (-want +got):\n%s", diff)
			}
		})
	}
	if strings.Contains(console.String(), "4477009") {
		t.Errorf("a full number reached the console:\n%s", console.String())
	}
	if !strings.Contains(console.String(), "[simulator] to **********004 via sms:") {
		t.Errorf("the console does not show the text to the new number, masked:\n%s", console.String())
	}
}

// send posts the page's send form and checks the status it answers.
func send(t *testing.T, pageURL string, form url.Values, want int) string {
	t.Helper()
	res, err := http.PostForm(pageURL+"/simulator/send", form)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	if res.StatusCode != want {
		t.Fatalf("send %v: %d %s, want %d", form, res.StatusCode, b, want)
	}
	return string(b)
}
