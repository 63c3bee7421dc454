package bot_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"peerline/bot"
	"peerline/phone"
	"peerline/rota"
	"peerline/twiliofake"
)

func TestARestAfterEachChatAndANightlyLimit(t *testing.T) {
	const cleo = "+447700900003"
	f := newFixture(t, func(o *bot.Options) { o.RestAfterChat = 10 * time.Minute })
	f.add(rota.Volunteer{Name: "Sam", Phone: sam, MaxChats: 2}, false)
	f.text(alex, "hello")
	f.text(sam, "ACCEPT")
	f.text(bea, "hello") // Sam is busy: Bea waits
	f.queued()
	f.text(sam, "DONE")
	got := f.expect("Sam's first chat ends", sam+": Take 10 minutes to rest")
	if has(got, sam, "Reply ACCEPT") {
		t.Fatalf("Sam was offered Bea's request at once, in his rest: %q", got)
	}
	f.text(sam, "STATUS")
	f.expect("Sam's status", sam+": You're resting until 01:20")
	f.clock.add(9 * time.Minute)
	f.sweep()
	if got := f.queued(); has(got, sam, "Reply ACCEPT") {
		t.Fatalf("Sam was offered Bea's request in his rest: %q", got)
	}
	f.clock.add(time.Minute)
	f.sweep()
	f.expect("Sam's rest is over", sam+": Reply ACCEPT")
	f.text(sam, "ACCEPT")
	f.text(sam, "DONE")
	f.expect("Sam's second chat ends: his last for the night", sam+": all the chats we ask of you tonight")
	f.clock.add(time.Hour)
	f.text(cleo, "hello")
	got = f.queued()
	if has(got, sam, "Reply ACCEPT") {
		t.Fatalf("Sam, at his nightly limit, was offered Cleo's request: %q", got)
	}
	f.text(sam, "NEXT")
	f.expect("NEXT at the limit", sam+": all the chats we ask of anyone tonight")
	f.text(sam, "STATUS")
	f.expect("status at the limit", sam+": You're resting tonight")

	f.clock.set(time.Date(2026, 12, 25, 12, 0, 0, 0, f.rota.Location())) // the next night begins at noon
	f.sweep()
	f.text(cleo, "still there?")
	f.sweep()
	f.expect("a new night", sam+": Reply ACCEPT")
}

func TestHoursInAWeekAreLimited(t *testing.T) {
	f := newFixture(t, func(o *bot.Options) { o.WeekChatTime = 2 * time.Hour; o.DayChatTime = 24 * time.Hour })
	f.add(rota.Volunteer{Name: "Sam", Phone: sam, MaxChats: 10}, false)
	f.text(alex, "hello")
	f.text(sam, "ACCEPT")
	f.clock.add(2 * time.Hour)
	f.text(sam, "DONE")
	f.queued()
	f.text(bea, "hello")
	if got := f.queued(); has(got, sam, "Reply ACCEPT") {
		t.Fatalf("Sam, with 2 hours of chats this week, was offered another: %q", got)
	}
	f.text(sam, "STATUS")
	f.expect("status", sam+": resting this week")
}

func TestAVolunteerOnWhatsAppGetsOffersThereWithinTheWindow(t *testing.T) {
	const cleo = "+447700900003"
	f := newFixture(t, func(o *bot.Options) { o.WhatsAppTemplates = map[string]string{"volunteer_offer": "HX0ffe7"} })
	v := f.add(rota.Volunteer{Name: "Sam", Phone: sam, Channels: []string{"whatsapp", "sms"}}, false)
	if _, err := f.rota.AddShift(context.Background(), rota.Shift{Volunteer: v.ID, Day: time.Saturday, Start: 0, End: 24 * 60}); err != nil {
		t.Fatal(err)
	}
	offerTo := func(step string) map[string]any {
		t.Helper()
		for _, e := range f.entries() {
			if e["to"] == sam && strings.Contains(e["body"].(string), "Reply ACCEPT") {
				return e
			}
		}
		t.Fatalf("%s: no offer to Sam", step)
		return nil
	}
	f.text(alex, "hello") // Sam has never written on WhatsApp: the approved template
	if e := offerTo("never on WhatsApp"); e["ch"] != string(phone.WhatsApp) || e["csid"] != "HX0ffe7" {
		t.Fatalf("offer %v, want the WhatsApp template", e)
	}
	f.send(bot.Inbound{MessageSID: twiliofake.NewSID("SM"), From: sam, Channel: phone.WhatsApp, Body: "PASS"})
	f.text(bea, "hello")
	if e := offerTo("within 24 hours"); e["ch"] != string(phone.WhatsApp) || e["csid"] != nil && e["csid"] != "" {
		t.Fatalf("offer %v, want a free-form WhatsApp message", e)
	}
	f.send(bot.Inbound{MessageSID: twiliofake.NewSID("SM"), From: sam, Channel: phone.WhatsApp, Body: "PASS"})
	f.clock.add(25 * time.Hour)
	f.text(cleo, "hello")
	if e := offerTo("after 24 hours"); e["ch"] != string(phone.WhatsApp) || e["csid"] != "HX0ffe7" {
		t.Fatalf("offer %v, want the WhatsApp template again", e)
	}
	f.send(bot.Inbound{MessageSID: twiliofake.NewSID("SM"), From: sam, Channel: phone.SMS, Body: "PASS"})

	g := newFixture(t) // no template: SMS
	g.add(rota.Volunteer{Name: "Sam", Phone: sam, Channels: []string{"whatsapp"}}, false)
	g.text(alex, "hello")
	for _, e := range g.entries() {
		if e["to"] == sam && e["ch"] != string(phone.SMS) {
			t.Fatalf("with no template and no WhatsApp window, %v went on WhatsApp", e)
		}
	}
}

// TestUrgentRequestsKeepToTheLimits: after a newcomer's trial, a volunteer told to rest (for the night,
// or after a chat) is not offered an urgent request either; the coordinator on call is paged for it.
func TestUrgentRequestsKeepToTheLimits(t *testing.T) {
	for _, tc := range []struct {
		name  string
		opt   func(*bot.Options)
		first string // Bea's first text; risk words come at once or in her second
	}{
		{"at the nightly limit, a new urgent request", func(o *bot.Options) { o.NightChats = 1 }, ""},
		{"at the nightly limit, a waiting request made urgent", func(o *bot.Options) { o.NightChats = 1 }, "hello"},
		{"resting after a chat, a new urgent request", func(o *bot.Options) { o.RestAfterChat = 10 * time.Minute }, ""},
		{"resting after a chat, a waiting request made urgent", func(o *bot.Options) { o.RestAfterChat = 10 * time.Minute }, "hello"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := newFixture(t, tc.opt)
			f.add(rota.Volunteer{Name: "Sam", Phone: sam}, false)
			f.add(rota.Volunteer{Name: "Kim", Phone: kim, Coordinator: true}, true)
			f.text(alex, "hello")
			f.text(sam, "ACCEPT")
			f.text(sam, "DONE")
			f.queued()
			if tc.first != "" {
				f.text(bea, tc.first)
			}
			f.text(bea, "I want to kill myself")
			f.sweep()
			got := f.expect("urgent", bea+": If you have taken something or you are in danger", kim+": URGENT")
			if has(got, sam, "Reply ACCEPT") {
				t.Fatalf("Sam, told to rest, was offered the urgent request: %q", got)
			}
		})
	}
}

// TestCoordinatorStatusShowsWhoIsResting: after a newcomer's trial, STATUS does not call a volunteer
// who is resting or at their limit "Free", and tells apart two volunteers with one first name.
func TestCoordinatorStatusShowsWhoIsResting(t *testing.T) {
	const ash2 = "+447700900105"
	f := newFixture(t, func(o *bot.Options) { o.RestAfterChat = 10 * time.Minute })
	f.add(rota.Volunteer{Name: "Sam", Phone: sam, MaxChats: 1}, false)
	f.add(rota.Volunteer{Name: "Ash", Phone: ash}, false)
	f.add(rota.Volunteer{Name: "Ash", Phone: ash2}, false)
	f.add(rota.Volunteer{Name: "Kim", Phone: kim, Coordinator: true}, true)
	f.text(alex, "hello")
	f.text(sam, "ACCEPT")
	f.text(sam, "DONE") // Sam's last chat tonight
	f.text(bea, "hello")
	f.text(ash, "ACCEPT")
	f.text(ash, "DONE") // Ash (v2) rests ten minutes
	f.queued()
	f.text(kim, "STATUS")
	f.expect("status", kim+": Free: Ash (v3), Kim (on call). In a chat: nobody. Resting: Sam (tonight), Ash (v2, until 01:20). OFF: nobody.")
}
