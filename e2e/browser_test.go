package e2e

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"peerline/rota"
)

// chromium finds a Chromium or Chrome binary: PEERLINE_CHROMIUM, or the usual names on PATH.
func chromium() string {
	if p := os.Getenv("PEERLINE_CHROMIUM"); p != "" {
		return p
	}
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome", "google-chrome-stable"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	return ""
}

// TestSimulatorInABrowser drives the phone simulator's page in headless Chromium through the whole
// story: a person asks, a volunteer accepts, they talk, the volunteer ends the chat. It saves a
// screenshot in PEERLINE_SCREENSHOT_DIR (or the test's temporary folder).
func TestSimulatorInABrowser(t *testing.T) {
	path := chromium()
	if path == "" {
		t.Skip("Chromium not found, so the simulator's browser test is skipped: install it " +
			"(Debian/Ubuntu: apt-get install chromium) or set PEERLINE_CHROMIUM. CI installs it.")
	}
	s := startLocal(t)
	opts := append(chromedp.DefaultExecAllocatorOptions[:], chromedp.ExecPath(path), chromedp.NoSandbox,
		chromedp.Flag("disable-gpu", true), chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true), chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-quic", true), chromedp.WindowSize(1280, 1500))
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	defer cancelAlloc()
	bctx, cancelBrowser := chromedp.NewContext(actx)
	defer cancelBrowser()
	ctx, cancel := context.WithTimeout(bctx, 90*time.Second)
	defer cancel()

	card := func(number string) string { return fmt.Sprintf(`section[data-number="%s"]`, number) }
	const alex, sam, lee, stranger = "+447700900001", "+447700900101", "+447700900104", "+447700900003"
	// A volunteer a coordinator added to the rota has a phone on the page, though not one of the demo's.
	if _, err := s.rota.AddVolunteer(context.Background(), rota.Volunteer{Name: "Lee", Phone: lee}); err != nil {
		t.Fatal(err)
	}
	says := func(number, text string) chromedp.Action {
		return chromedp.Poll(fmt.Sprintf(`document.querySelector(%q).querySelector(".messages").innerText.includes(%q)`,
			card(number), text), nil, chromedp.WithPollingTimeout(20*time.Second))
	}
	write := func(number, text string) chromedp.Action {
		return chromedp.SendKeys(card(number)+" input", text+"\n") // Enter sends: the keyboard path
	}
	shows := func(number, js string) chromedp.Action { // js is true of the card el
		return chromedp.Poll(fmt.Sprintf(`(el => el !== null && (%s))(document.querySelector(%q))`, js, card(number)), nil,
			chromedp.WithPollingTimeout(20*time.Second))
	}
	typeIn := func(number, js string) chromedp.Action { // puts the string js makes in the card's text box
		return chromedp.Evaluate(fmt.Sprintf(`(i => { i.value = %s; i.dispatchEvent(new Event("input")); })(document.querySelector(%q))`,
			js, card(number)+" input"), nil)
	}
	// A text from a number the page has no phone for, sent as scripts/text sends it.
	textFromStranger := chromedp.ActionFunc(func(context.Context) error {
		res, err := http.PostForm(s.addr+"/simulator/send", url.Values{"from": {stranger}, "body": {"hello, is anyone there"}})
		if err != nil {
			return err
		}
		res.Body.Close()
		if res.StatusCode != http.StatusNoContent {
			return fmt.Errorf("send from a new number: %s", res.Status)
		}
		return nil
	})
	var labelled, fits bool
	var timed []string
	var shot, phoneShot []byte
	err := chromedp.Run(ctx,
		chromedp.Navigate(s.addr+"/simulator/"),
		chromedp.WaitVisible(card(alex)+" input"),
		chromedp.Poll(`document.getElementById("status").innerText.includes("Connected")`, nil,
			chromedp.WithPollingTimeout(20*time.Second)),
		chromedp.Evaluate(`[...document.querySelectorAll("input")].every(i => i.labels.length === 1)`, &labelled),
		shows(lee, `el.querySelector("h2").innerText === "Lee (peer volunteer)"`),
		// The text box counts as Twilio does: 801 emoji are 1,602 UTF-16 units, too long for an SMS.
		typeIn(alex, `"🙂".repeat(801)`),
		shows(alex, `el.querySelector(".count").innerText.includes("Too long") && el.querySelector("input").getAttribute("aria-invalid") === "true"`),
		typeIn(alex, `""`),
		shows(alex, `el.querySelector(".count").innerText === "0 of 1,600 characters" && !el.querySelector("input").hasAttribute("aria-invalid")`),
		write(alex, "can't sleep, really want a drink"),
		says(alex, "finding a peer supporter"),
		// Every text shows the local time it was sent, HH:MM:SS.
		chromedp.Evaluate(`[...document.querySelector('`+card(alex)+`').querySelectorAll(".messages li")]
			.map(li => li.querySelector("time")?.innerText ?? "no time")`, &timed),
		says(sam, "Reply ACCEPT"),
		write(sam, "ACCEPT"),
		says(sam, "can't sleep, really want a drink"),
		says(alex, "Sam, a peer supporter, is here for you"),
		write(alex, "thank you for answering"),
		says(sam, "thank you for answering"),
		write(sam, "I'm here. What's keeping you up?"),
		says(alex, "Sam: I'm here. What's keeping you up?"),
		write(sam, "DONE"),
		says(alex, "closed this chat"),
		says(sam, "Take 10 minutes to rest"),
		textFromStranger,
		// The text is the stranger's own, on a phone the page had no card for.
		shows(stranger, `el.querySelector(".messages li.out")?.innerText.includes("hello, is anyone there")`),
		chromedp.Reload(), // a reloaded page shows both sides of the chat again
		chromedp.WaitVisible(card(alex)+" input"),
		says(alex, "thank you for answering"),
		says(sam, "I'm here. What's keeping you up?"),
		chromedp.FullScreenshot(&shot, 100), // 100: PNG
		chromedp.EmulateViewport(390, 844),  // a phone-sized screen
		chromedp.Evaluate(`document.documentElement.scrollWidth <= window.innerWidth`, &fits),
		chromedp.FullScreenshot(&phoneShot, 100),
	)
	if err != nil {
		t.Fatalf("browser: %v", err)
	}
	hhmmss := regexp.MustCompile(`^\d\d:\d\d:\d\d$`)
	if len(timed) < 2 || slices.ContainsFunc(timed, func(s string) bool { return !hhmmss.MatchString(s) }) {
		t.Errorf("the times on Alex's texts: %q, want an HH:MM:SS on each of Alex's text and the line's answer", timed)
	}
	if !labelled {
		t.Error("a text box on the simulator page has no label")
	}
	if !fits {
		t.Error("on a phone-sized screen the page scrolls sideways")
	}
	dir := os.Getenv("PEERLINE_SCREENSHOT_DIR")
	if dir == "" {
		dir = t.TempDir()
	}
	for name, png := range map[string][]byte{"simulator.png": shot, "simulator-phone.png": phoneShot} {
		file := filepath.Join(dir, name)
		if err := os.WriteFile(file, png, 0o644); err != nil {
			t.Fatal(err)
		}
		t.Logf("screenshot: %s", file)
	}
}
