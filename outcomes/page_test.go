package outcomes

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
)

// phoneLike is a run of digits a phone number could be: +44..., or 10 digits or more.
var phoneLike = regexp.MustCompile(`\+\d{6,}|\d{10,}|07\d{3}\s?\d{6}`)

func TestPageHoldsNoScriptNoLinkAndNoNumber(t *testing.T) {
	t.Parallel()
	var b bytes.Buffer
	if err := month().WriteHTML(&b); err != nil {
		t.Fatal(err)
	}
	page := b.String()
	for _, banned := range []string{"<script", "http://", "https://", "src=", "@import", "url("} {
		if strings.Contains(strings.ToLower(page), banned) {
			t.Errorf("the page holds %q: it must need nothing from elsewhere", banned)
		}
	}
	if m := phoneLike.FindString(page); m != "" {
		t.Errorf("the page holds %q, which looks like a phone number", m)
	}
	for _, code := range []string{">A<", ">B<", "kind"} { // request codes and feedback words never show
		if strings.Contains(page, code) {
			t.Errorf("the page holds %q", code)
		}
	}
}

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

// TestPageInABrowser opens the seeded month's page in headless Chromium at a phone's 390 px: no
// console errors, nothing wider than the screen, and the charts drawn.
func TestPageInABrowser(t *testing.T) {
	path := chromium()
	if path == "" {
		t.Skip("Chromium not found, so the outcomes page's browser test is skipped: install it " +
			"(Debian/Ubuntu: apt-get install chromium) or set PEERLINE_CHROMIUM. CI installs it.")
	}
	file := filepath.Join(t.TempDir(), "outcomes.html")
	var b bytes.Buffer
	if err := month().WriteHTML(&b); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(file, b.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	opts := append(chromedp.DefaultExecAllocatorOptions[:], chromedp.ExecPath(path), chromedp.NoSandbox,
		chromedp.Flag("disable-gpu", true), chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true), chromedp.Flag("disable-sync", true),
		chromedp.WindowSize(390, 844))
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	defer cancelAlloc()
	bctx, cancelBrowser := chromedp.NewContext(actx)
	defer cancelBrowser()
	ctx, cancel := context.WithTimeout(bctx, 60*time.Second)
	defer cancel()
	var mu sync.Mutex
	var problems []string
	chromedp.ListenTarget(ctx, func(ev any) {
		mu.Lock()
		defer mu.Unlock()
		switch e := ev.(type) {
		case *runtime.EventConsoleAPICalled:
			if e.Type == runtime.APITypeError || e.Type == runtime.APITypeWarning {
				problems = append(problems, string(e.Type))
			}
		case *runtime.EventExceptionThrown:
			problems = append(problems, e.ExceptionDetails.Text)
		}
	})
	var scroll, charts int
	var text string
	if err := chromedp.Run(ctx,
		chromedp.EmulateViewport(390, 844),
		chromedp.Navigate("file://"+file),
		chromedp.WaitVisible("h1", chromedp.ByQuery),
		chromedp.Evaluate(`document.documentElement.scrollWidth`, &scroll),
		chromedp.Evaluate(`document.querySelectorAll("svg rect").length`, &charts),
		chromedp.Evaluate(`document.body.innerText`, &text),
	); err != nil {
		t.Fatal(err)
	}
	if scroll > 390 {
		t.Errorf("the page is %d px wide at 390 px: something overflows", scroll)
	}
	if want := 7*24 + len(waitBins) + 5; charts != want {
		t.Errorf("%d bars and cells drawn, want %d (heatmap, histogram, outcome shares)", charts, want)
	}
	if !strings.Contains(text, "Christmas Day") || !strings.Contains(text, "Contacts by hour of the week") {
		t.Errorf("the page does not read as the outcomes:\n%s", text)
	}
	if m := phoneLike.FindString(text); m != "" {
		t.Errorf("the page shows %q, which looks like a phone number", m)
	}
	mu.Lock()
	defer mu.Unlock()
	if len(problems) > 0 {
		t.Errorf("console errors: %v", problems)
	}
}
