package main

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
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
	const alex, sam = "+447700900001", "+447700900101"
	says := func(number, text string) chromedp.Action {
		return chromedp.Poll(fmt.Sprintf(`document.querySelector(%q).querySelector(".messages").innerText.includes(%q)`,
			card(number), text), nil, chromedp.WithPollingTimeout(20*time.Second))
	}
	write := func(number, text string) chromedp.Action {
		return chromedp.SendKeys(card(number)+" input", text+"\n") // Enter sends: the keyboard path
	}
	var labelled, fits bool
	var shot, phoneShot []byte
	err := chromedp.Run(ctx,
		chromedp.Navigate(s.addr+"/simulator/"),
		chromedp.WaitVisible(card(alex)+" input"),
		chromedp.Poll(`document.getElementById("status").innerText.includes("Connected")`, nil,
			chromedp.WithPollingTimeout(20*time.Second)),
		chromedp.Evaluate(`[...document.querySelectorAll("input")].every(i => i.labels.length === 1)`, &labelled),
		write(alex, "can't sleep, really want a drink"),
		says(alex, "finding a peer supporter"),
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
		says(sam, "free for the next request"),
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
