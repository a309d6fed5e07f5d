package conformance

import (
	"context"
	"encoding/json"
	"fmt"
	"net/url"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
)

// pageTimeout bounds everything done with one page, so that a page that
// never loads or a hung browser fails the test instead of hanging CI.
const pageTimeout = 45 * time.Second

var (
	browserOnce   sync.Once
	browserCtx    context.Context
	browserCancel context.CancelFunc
	browserDir    string
	browserErr    error
)

// browser returns the context of the one headless Chromium the package
// shares, starting it on first use; every page gets a tab of its own.
func browser(t testing.TB) context.Context {
	t.Helper()
	exe := requireTool(t, "chromium", "apt-get install chromium")
	browserOnce.Do(func() { browserErr = startBrowser(exe) })
	if browserErr != nil {
		t.Fatalf("starting %s: %v", exe, browserErr)
	}
	return browserCtx
}

func startBrowser(exe string) error {
	// A fresh profile, so nothing from another run (cache, service
	// workers, settings) changes what the pages do. Not t.TempDir: the
	// browser outlives the test that starts it.
	dir, err := os.MkdirTemp("", "folio-chromium-")
	if err != nil {
		return err
	}
	browserDir = dir
	allocCtx, allocCancel := chromedp.NewExecAllocator(context.Background(),
		chromedp.ExecPath(exe),
		chromedp.Headless,
		chromedp.Flag("no-sandbox", true),
		chromedp.Flag("disable-gpu", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.UserDataDir(dir),
	)
	ctx, cancel := chromedp.NewContext(allocCtx)
	browserCtx = ctx
	browserCancel = func() { cancel(); allocCancel() }
	// The first Run starts the browser and binds it to ctx, which has no
	// deadline; a timer stops it if it never answers.
	timer := time.AfterFunc(time.Minute, browserCancel)
	defer timer.Stop()
	return chromedp.Do(ctx)
}

func closeBrowser() {
	if browserCancel == nil {
		return
	}
	chromedp.Cancel(browserCtx) // closes the browser gracefully
	browserCancel()
	os.RemoveAll(browserDir)
}

// A tab is one browser tab that records everything that must not happen
// on the page it shows: console errors, uncaught exceptions, browser log
// errors (CSP violations, failed loads), failed or non-2xx requests, and
// requests to any host but the test server's.
type tab struct {
	host     string
	tabCtx   context.Context    // lives as long as the tab
	closeTab context.CancelFunc // closes it
	ctx      context.Context    // the current page's: tabCtx with a deadline
	endPage  context.CancelFunc

	mu       sync.Mutex
	doc      string // the URL of the page
	status   int64  // the page's own HTTP status
	urls     map[network.RequestID]string
	problems []string
}

// openTab opens a tab on the shared browser, in a window of its own, so
// that it is visible and renders as a reader's would.
func openTab(t testing.TB, host string) (*tab, error) {
	tb := &tab{host: host, urls: map[network.RequestID]string{}}
	tb.tabCtx, tb.closeTab = chromedp.NewContext(browser(t), chromedp.WithListener(tb.listen))
	tb.ctx, tb.endPage = tb.tabCtx, func() {}
	// The first Run opens the tab and binds it to tabCtx, which must
	// have no deadline; a timer closes it if the browser never answers.
	timer := time.AfterFunc(pageTimeout, tb.closeTab)
	defer timer.Stop()
	if err := chromedp.Do(tb.tabCtx); err != nil {
		tb.closeTab()
		return nil, fmt.Errorf("opening a tab: %w", err)
	}
	return tb, nil
}

// close closes the tab.
func (tb *tab) close() {
	tb.endPage()
	tb.closeTab()
}

// A tabPool hands out tabs and takes them back, so that pages checked one
// after another share a few tabs: a navigation in an open tab costs much
// less than a new window, and its renderer has axe-core's code warm.
type tabPool struct {
	host string
	free chan *tab

	mu  sync.Mutex
	all []*tab
}

// newTabPool makes a pool of up to n idle tabs, closed when t ends.
func newTabPool(t testing.TB, host string, n int) *tabPool {
	p := &tabPool{host: host, free: make(chan *tab, n)}
	t.Cleanup(func() {
		p.mu.Lock()
		defer p.mu.Unlock()
		for _, tb := range p.all {
			tb.close()
		}
	})
	return p
}

// get returns an idle tab, or opens one.
func (p *tabPool) get(t testing.TB) *tab {
	t.Helper()
	select {
	case tb := <-p.free:
		return tb
	default:
	}
	tb, err := openTab(t, p.host)
	if err != nil {
		t.Fatal(err)
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	p.all = append(p.all, tb)
	return tb
}

// put gives a tab back for the next page, unless its page ended with an
// error (a timeout, a crash), which could leave it unusable.
func (p *tabPool) put(tb *tab, err error) {
	tb.endPage()
	if err != nil {
		tb.close()
		return
	}
	select {
	case p.free <- tb:
	default:
	}
}

// listen runs in the tab's event loop, in the order Chrome sent the
// events; it must return fast and send no command.
func (tb *tab) listen(ev any) {
	tb.mu.Lock()
	defer tb.mu.Unlock()
	switch ev := ev.(type) {
	case *runtime.EventConsoleAPICalled:
		if ev.Type == runtime.ConsoleAPICalledTypeError || ev.Type == runtime.ConsoleAPICalledTypeAssert {
			var args []string
			for _, a := range ev.Args {
				args = append(args, remoteText(a))
			}
			tb.addf("console.%s: %s", ev.Type, strings.Join(args, " "))
		}
	case *runtime.EventExceptionThrown:
		d := ev.ExceptionDetails
		msg := d.Text
		if d.Exception != nil && d.Exception.Description != "" {
			msg += " " + d.Exception.Description
		}
		tb.addf("uncaught exception at %s:%d:%d: %s", d.URL, d.LineNumber+1, d.ColumnNumber+1, msg)
	case *log.EventEntryAdded:
		e := ev.Entry
		if e.Level != log.EntryLevelError {
			return
		}
		// The 404 page's own status is what it should be; Chrome logs
		// it as a failed resource all the same.
		if e.Source == log.EntrySourceNetwork && e.URL == tb.doc && tb.status == 404 {
			return
		}
		tb.addf("browser log (%s): %s %s", e.Source, e.Text, e.URL)
	case *network.EventRequestWillBeSent:
		u := ev.Request.URL
		tb.urls[ev.RequestID] = u
		if p, err := url.Parse(u); err != nil || (p.Scheme != "data" && p.Host != tb.host) {
			tb.addf("request to another host: %s (%s)", u, ev.Type)
		}
	case *network.EventLoadingFailed:
		msg := ev.ErrorText
		if ev.BlockedReason != "" {
			msg = strings.TrimPrefix(msg+", blocked: "+string(ev.BlockedReason), ", ")
		}
		tb.addf("failed request: %s (%s): %s", tb.urls[ev.RequestID], ev.Type, msg)
	case *network.EventResponseReceived:
		r := ev.Response
		if ev.Type == network.ResourceTypeDocument && r.URL == tb.doc {
			tb.status = r.Status
			return
		}
		if r.Status < 200 || r.Status > 299 {
			tb.addf("HTTP %d %s for %s (%s)", r.Status, r.StatusText, r.URL, ev.Type)
		}
	}
}

func (tb *tab) addf(format string, args ...any) {
	tb.problems = append(tb.problems, fmt.Sprintf(format, args...))
}

// remoteText is how the console shows a value.
func remoteText(o *runtime.RemoteObject) string {
	switch {
	case o.Description != "":
		return o.Description
	case o.UnserializableValue != "":
		return string(o.UnserializableValue)
	case len(o.Value) > 0:
		var s string
		if err := json.Unmarshal(o.Value, &s); err == nil {
			return s
		}
		return string(o.Value)
	}
	return string(o.Type)
}

// Problems returns what went wrong on the page so far.
func (tb *tab) Problems() []string {
	tb.mu.Lock()
	defer tb.mu.Unlock()
	return append([]string(nil), tb.problems...)
}

// load opens u in the tab, in the colour scheme and with a viewport of the
// width, and returns the page's HTTP status. It starts a new page: what
// went wrong on the last is forgotten, and everything done with this one
// must end within pageTimeout.
func (tb *tab) load(u, scheme string, width int64, opts ...chromedp.EmulateViewportOption) (int64, error) {
	tb.endPage()
	tb.ctx, tb.endPage = context.WithTimeout(tb.tabCtx, pageTimeout)
	tb.mu.Lock()
	tb.doc, tb.status, tb.problems = u, 0, nil
	clear(tb.urls)
	tb.mu.Unlock()
	if err := setScheme(tb.ctx, scheme); err != nil {
		return 0, err
	}
	if err := chromedp.Do(tb.ctx, chromedp.EmulateViewport(width, 800, opts...)); err != nil {
		return 0, err
	}
	resp, err := chromedp.Run(tb.ctx, chromedp.NavigateResponse(u))
	if err != nil {
		return 0, fmt.Errorf("loading %s: %w", u, err)
	}
	return resp.Status, nil
}

// setScheme makes the page see prefers-color-scheme as scheme ("light"
// or "dark").
func setScheme(ctx context.Context, scheme string) error {
	_, err := chromedp.Call(ctx, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{
		Features: []*emulation.MediaFeature{{Name: "prefers-color-scheme", Value: scheme}},
	})
	return err
}

// scroll scrolls through the page to the bottom a viewport at a time, as a
// reader does, pausing at each step for a frame and a moment so that what
// starts when it comes into view (charts, lazy images) starts, and is
// checked too; then it goes back to the top. It runs in the page, in one
// evaluation, to save a round trip per step.
func (tb *tab) scroll() error {
	const scroll = `(async () => {
		const pause = ms => new Promise(ok => requestAnimationFrame(() => setTimeout(ok, ms)));
		const bottom = () => window.scrollY + window.innerHeight >= document.documentElement.scrollHeight - 1;
		for (let i = 0; i < 500 && !bottom(); i++) {
			window.scrollTo({top: window.scrollY + window.innerHeight, behavior: "instant"});
			await pause(40);
		}
		await pause(100);
		window.scrollTo({top: 0, behavior: "instant"});
	})()`
	return chromedp.Do(tb.ctx, chromedp.Evaluate[chromedp.Void](scroll, chromedp.EvalAwaitPromise))
}
