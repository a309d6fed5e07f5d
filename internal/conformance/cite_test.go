package conformance

import (
	"context"
	"strings"
	"testing"
	"time"

	cdpbrowser "github.com/chromedp/cdproto/browser"
	"github.com/chromedp/chromedp"
)

// TestBrowserCiteCopy checks the "Cite this" boxes as a reader uses them:
// the access date is today's, the Copy button puts the citation on the
// clipboard, and without JavaScript the citation is plain text with no
// dead button.
func TestBrowserCiteCopy(t *testing.T) {
	browser(t)
	s := served(t)
	u := s.base + "briefs/ai-chip-market-and-leverage/"

	tb, err := openTab(t, s.host)
	if err != nil {
		t.Fatal(err)
	}
	defer tb.close()
	if _, err := tb.load(u, "light", 1280); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"clipboard-read", "clipboard-write"} {
		_, err := chromedp.Call(tb.ctx, cdpbrowser.SetPermission, cdpbrowser.SetPermissionParams{
			Permission: &cdpbrowser.PermissionDescriptor{Name: name},
			Setting:    cdpbrowser.PermissionSettingGranted,
			Origin:     "http://" + s.host,
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	const sel = `#brief-cite ~ .cite__body `
	text := func(ctx context.Context, q string) string {
		v, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.querySelector(`+"`"+sel+q+"`"+`).textContent`))
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	if err := chromedp.Do(tb.ctx, chromedp.WaitVisible(sel+".cite__copy")); err != nil {
		t.Fatal(err)
	}
	plain := text(tb.ctx, ".cite__text")
	today := time.Now()
	if !strings.Contains(plain, "Accessed "+today.Format("2 January 2006")+".") {
		t.Errorf("citation lacks today's access date: %q", plain)
	}
	// A real click, so the page has the user activation that writing
	// to the clipboard needs.
	if err := chromedp.Do(tb.ctx, chromedp.Click(sel+".cite__copy")); err != nil {
		t.Fatal(err)
	}
	var status string
	for deadline := time.Now().Add(5 * time.Second); status == "" && time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		status = text(tb.ctx, ".cite__status")
	}
	copied, err := chromedp.Run(tb.ctx, chromedp.Evaluate[string](`navigator.clipboard.readText()`, chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatal(err)
	}
	if status != "Copied" {
		t.Errorf("status after copying: %q, want Copied", status)
	}
	if copied != plain {
		t.Errorf("clipboard holds %q\nwant the citation %q", copied, plain)
	}
	for _, p := range tb.Problems() {
		t.Error(p)
	}

	nojs := openNoScriptTab(t, s.host)
	if _, err := nojs.load(u, "light", 1280); err != nil {
		t.Fatal(err)
	}
	buttons, err := chromedp.Run(nojs.ctx, chromedp.Evaluate[int](`document.querySelectorAll(".cite__copy").length`))
	if err != nil {
		t.Fatal(err)
	}
	nojsText := text(nojs.ctx, ".cite__text")
	if buttons != 0 || !strings.Contains(nojsText, "Accessed [date].") {
		t.Errorf("without JavaScript: %d copy buttons and citation %q; want none and the [date] placeholder", buttons, nojsText)
	}
}
