// Package edition makes the files of a build that only a browser can make:
// a PDF of a page, printed with the site's print stylesheet, and an SVG
// and a PNG of each chart, drawn by the site's own charts.js and ECharts.
//
// It starts one headless Chromium (chromedp) and works through the pages
// in a few tabs at once. The pages are the rendered site, in memory: each
// tab loads them from the site's own base URL, and every request the page
// makes is answered from the Output through the DevTools protocol's Fetch
// domain, or refused when it is not below the base URL. So nothing goes
// to the network, and links in a PDF point at the published site, not at
// some local address that differs from one build to the next, which would
// also make the files differ. The browser's own flags keep it off the
// network too (no background services, every host name unresolvable).
package edition

import (
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"mime"
	"os"
	"path"
	"runtime"
	"strings"
	"sync"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/fetch"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
)

// Site is the rendered site the pages come from.
type Site struct {
	BaseURL string            // absolute, ends in "/": where the pages are loaded from
	Files   map[string][]byte // path below the base ("briefs/x/index.html") -> contents

	// Omit lists files answered with 404 all the same: scripts that must
	// not run in the browser here, such as one that writes today's date
	// into the page, which would make every PDF differ.
	Omit map[string]bool
}

// Page is one page to load, and what to make of it.
type Page struct {
	Path   string  // below the base, e.g. "briefs/x/"
	PDF    *PDF    // print the page; nil: no PDF
	Charts []Chart // charts on the page to draw as images
}

// PDF says how to print a page.
type PDF struct {
	Header string    // running header, e.g. the brief's title
	Footer string    // left of the page numbers in the footer, e.g. the site's title
	Date   time.Time // written as the file's creation and modification date
}

// Chart is one chart to draw as an SVG and a PNG.
type Chart struct {
	ID            string // the figure's element id
	Width, Height int    // CSS px; the PNG is twice as large each way
	Title, Desc   string // the SVG's title and desc elements
}

// Result is what was made of a Page.
type Result struct {
	PDF    []byte
	Images map[string]Images // by chart id
}

// Images are one chart's pictures.
type Images struct {
	SVG, PNG []byte
}

// Options set up the browser.
type Options struct {
	Chromium string // the browser's executable, from FindChromium
	Tabs     int    // pages worked on at once; 0: the number of CPUs, 2 to 4

	// Progress, when set, is called after each page with the number done.
	Progress func(done, total int)
}

// pageTimeout bounds all the work on one page, so that a page that never
// settles fails the build instead of hanging it.
const pageTimeout = 90 * time.Second

// A4, in inches. SPEC.md has no paper setting; A4 is the paper of most of
// the world, and the print margins fit US Letter too.
const paperWidth, paperHeight = 8.27, 11.69

// Make loads every page in one headless Chromium and returns what was made
// of each, in the order of pages. An error names the page it is about.
func Make(ctx context.Context, s Site, pages []Page, opts Options) ([]Result, error) {
	if len(pages) == 0 {
		return nil, nil
	}
	b, err := start(ctx, opts.Chromium)
	if err != nil {
		return nil, err
	}
	defer b.stop()
	tabs := opts.Tabs
	if tabs <= 0 {
		tabs = min(max(runtime.NumCPU(), 2), 4)
	}
	tabs = min(tabs, len(pages))

	results := make([]Result, len(pages))
	errs := make([]error, len(pages))
	next := make(chan int)
	var wg sync.WaitGroup
	var mu sync.Mutex
	done := 0
	for range tabs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			t, err := b.openTab(s)
			for i := range next {
				if err == nil {
					results[i], errs[i] = t.make(pages[i])
				} else {
					errs[i] = err
				}
				if errs[i] != nil {
					errs[i] = &PageError{Path: pages[i].Path, Err: errs[i]}
				}
				mu.Lock()
				done++
				if opts.Progress != nil {
					opts.Progress(done, len(pages))
				}
				mu.Unlock()
			}
			if t != nil {
				t.close()
			}
		}()
	}
	for i := range pages {
		select {
		case next <- i:
		case <-ctx.Done():
			errs[i] = ctx.Err()
		}
	}
	close(next)
	wg.Wait()
	return results, errors.Join(errs...)
}

// PageError is what went wrong with one page.
type PageError struct {
	Path string // as in Page
	Err  error
}

func (e *PageError) Error() string { return "/" + e.Path + ": " + e.Err.Error() }
func (e *PageError) Unwrap() error { return e.Err }

// browser is one running Chromium.
type browser struct {
	ctx    context.Context
	cancel context.CancelFunc
	dir    string // its profile, removed at the end
}

func start(ctx context.Context, exe string) (*browser, error) {
	// A fresh profile, so nothing from another run changes the pages.
	dir, err := os.MkdirTemp("", "folio-chromium-")
	if err != nil {
		return nil, err
	}
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(exe),
		chromedp.UserDataDir(dir),
		// The pages are the site's own, from memory, with a strict CSP and
		// no network; and Chromium will not start as root with a sandbox.
		chromedp.Flag("no-sandbox", true),
		chromedp.Flag("disable-gpu", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-domain-reliability", true),
		chromedp.Flag("no-pings", true),
		// Every host name fails to resolve: whatever slipped past the
		// request interception could go nowhere.
		chromedp.Flag("host-resolver-rules", "MAP * ~NOTFOUND , EXCLUDE 127.0.0.1"),
	)
	allocCtx, allocCancel := chromedp.NewExecAllocator(context.WithoutCancel(ctx), opts...)
	bctx, cancel := chromedp.NewContext(allocCtx)
	b := &browser{ctx: bctx, cancel: func() { cancel(); allocCancel() }, dir: dir}
	// The first Run starts the browser and binds it to bctx, which has no
	// deadline; a timer stops it if it never answers.
	timer := time.AfterFunc(time.Minute, b.cancel)
	defer timer.Stop()
	if err := chromedp.Do(bctx); err != nil {
		b.stop()
		// chromedp ends its error with the browser's output, if any.
		return nil, fmt.Errorf("starting Chromium %s: %s", exe, strings.TrimSpace(err.Error()))
	}
	// Cancelling the caller's context stops the browser.
	stop := context.AfterFunc(ctx, b.cancel)
	prev := b.cancel
	b.cancel = func() { stop(); prev() }
	return b, nil
}

func (b *browser) stop() {
	chromedp.Cancel(b.ctx) // closes the browser gracefully
	b.cancel()
	os.RemoveAll(b.dir)
}

// tab is one browser tab that answers its page's requests from the site.
type tab struct {
	ctx   context.Context
	close context.CancelFunc
	site  Site
}

func (b *browser) openTab(s Site) (*tab, error) {
	ctx, cancel := chromedp.NewContext(b.ctx)
	t := &tab{ctx: ctx, close: cancel, site: s}
	timer := time.AfterFunc(pageTimeout, cancel)
	defer timer.Stop()
	if err := chromedp.Listen(ctx, t.listen); err != nil {
		cancel()
		return nil, fmt.Errorf("opening a tab: %w", err)
	}
	_, err := chromedp.Call(ctx, fetch.Enable, fetch.EnableParams{
		Patterns: []*fetch.RequestPattern{{URLPattern: "*", RequestStage: fetch.RequestStageRequest}},
	})
	if err != nil {
		cancel()
		return nil, fmt.Errorf("opening a tab: %w", err)
	}
	return t, nil
}

// listen runs in the tab's event loop, which must not wait: each request
// is answered from another goroutine.
func (t *tab) listen(ev any) {
	if ev, ok := ev.(*fetch.EventRequestPaused); ok {
		go t.answer(ev)
	}
}

// answer fulfils a request from the site's files: 200 with the file, 404
// for a path below the base that has none, and a refusal for any other
// URL.
func (t *tab) answer(ev *fetch.EventRequestPaused) {
	u := ev.Request.URL
	if i := strings.IndexAny(u, "?#"); i >= 0 {
		u = u[:i]
	}
	rest, ok := strings.CutPrefix(u, t.site.BaseURL)
	if !ok || ev.Request.Method != "GET" {
		chromedp.Call(t.ctx, fetch.FailRequest, fetch.FailRequestParams{RequestID: ev.RequestID, ErrorReason: network.ErrorReasonBlockedByClient})
		return
	}
	key := rest
	if key == "" || strings.HasSuffix(key, "/") {
		key += "index.html"
	}
	data, found := t.site.Files[key]
	if t.site.Omit[key] {
		found = false
	} else if !found {
		if data, found = t.site.Files[key+"/index.html"]; found {
			key += "/index.html"
		}
	}
	status := int64(200)
	if !found {
		status, data = 404, []byte("not found")
		key = "404.txt"
	}
	ctype := mime.TypeByExtension(path.Ext(key))
	if ctype == "" {
		ctype = "application/octet-stream"
	}
	chromedp.Call(t.ctx, fetch.FulfillRequest, fetch.FulfillRequestParams{
		RequestID: ev.RequestID, ResponseCode: status, Body: data,
		ResponseHeaders: []*fetch.HeaderEntry{
			{Name: "Content-Type", Value: ctype},
			// Assets have content-hashed names: let the tab keep them.
			{Name: "Cache-Control", Value: "max-age=3600"},
		},
	})
}

// waitCharts waits until every chart on the page is drawn (or has given
// up, leaving its table) and the fonts are loaded; it gives the number of
// charts drawn.
const waitCharts = `new Promise((ok, fail) => {
	const start = Date.now();
	const poll = () => {
		const live = document.querySelectorAll("figure.chart--live");
		let drawn = 0;
		for (const f of live) {
			if (f.classList.contains("chart--started") && f.querySelector(".chart__canvas svg")) drawn++;
		}
		if (drawn === live.length) {
			document.fonts.ready.then(() => requestAnimationFrame(() => requestAnimationFrame(() => ok(drawn))));
		} else if (Date.now() - start > 30000) {
			fail(new Error(drawn + " of " + live.length + " charts drawn after 30s"));
		} else {
			setTimeout(poll, 20);
		}
	};
	poll();
})`

// make loads p and makes its files.
func (t *tab) make(p Page) (Result, error) {
	ctx, cancel := context.WithTimeout(t.ctx, pageTimeout)
	defer cancel()
	var res Result
	// A light scheme and no motion: what prints, and what charts draw
	// without animation.
	_, err := chromedp.Call(ctx, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{
		Features: []*emulation.MediaFeature{
			{Name: "prefers-color-scheme", Value: "light"},
			{Name: "prefers-reduced-motion", Value: "reduce"},
		},
	})
	if err != nil {
		return res, err
	}
	resp, err := chromedp.Run(ctx, chromedp.NavigateResponse(t.site.BaseURL+p.Path))
	if err != nil {
		return res, fmt.Errorf("loading: %w", err)
	}
	if resp.Status != 200 {
		return res, fmt.Errorf("loading: HTTP %d", resp.Status)
	}
	if p.PDF != nil {
		if res.PDF, err = t.print(ctx, p.PDF); err != nil {
			return res, fmt.Errorf("printing: %w", err)
		}
	}
	if len(p.Charts) > 0 {
		res.Images = map[string]Images{}
		for _, c := range p.Charts {
			im, err := t.draw(ctx, c)
			if err != nil {
				return res, fmt.Errorf("chart %s: %w", c.ID, err)
			}
			res.Images[c.ID] = im
		}
	}
	return res, nil
}

// print prints the page: in print media, so that charts.js draws every
// chart, lazy or not, black on white at the printed width, and waits for
// them.
func (t *tab) print(ctx context.Context, pdf *PDF) ([]byte, error) {
	_, err := chromedp.Call(ctx, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{
		Media: "print",
		Features: []*emulation.MediaFeature{
			{Name: "prefers-color-scheme", Value: "light"},
			{Name: "prefers-reduced-motion", Value: "reduce"},
		},
	})
	if err != nil {
		return nil, err
	}
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[int](waitCharts, chromedp.EvalAwaitPromise)); err != nil {
		return nil, fmt.Errorf("waiting for the charts: %w", err)
	}
	data, err := chromedp.Run(ctx, chromedp.PrintToPDF(
		chromedp.PDFPaper(chromedp.PaperSize{Width: paperWidth, Height: paperHeight}),
		// Room above and below the page's own @page margins for the
		// running header and footer.
		chromedp.PDFMargins(0.75, 0.63, 0.8, 0.63),
		chromedp.PDFPrintBackground(),
		chromedp.PDFHeaderTemplate(headerHTML(pdf.Header)),
		chromedp.PDFFooterTemplate(footerHTML(pdf.Footer)),
		chromedp.PDFOutlineAndTagged(),
		chromedp.PDFStream(),
	))
	if err != nil {
		return nil, err
	}
	return reproducible(data, pdf.Date), nil
}

// The running header and footer. Chromium renders them apart from the
// page, without its stylesheet, so they carry their own styles; the
// classes pageNumber and totalPages are filled in by Chromium.
const hfStyle = `font-family:system-ui,'Liberation Sans',Arial,sans-serif;font-size:8pt;color:#333;` +
	`width:100%;margin:0 0.63in;display:flex;justify-content:space-between;gap:1em;`

func headerHTML(title string) string {
	return `<div style="` + hfStyle + `"><span style="overflow:hidden;white-space:nowrap;text-overflow:ellipsis">` +
		escape(title) + `</span></div>`
}

func footerHTML(left string) string {
	return `<div style="` + hfStyle + `"><span>` + escape(left) + `</span>` +
		`<span>Page <span class="pageNumber"></span> of <span class="totalPages"></span></span></div>`
}

func escape(s string) string {
	return strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", `"`, "&#34;", "'", "&#39;").Replace(s)
}

// images is what charts.js's folioChartImages returns.
type images struct {
	SVG string `json:"svg"`
	PNG string `json:"png"` // a data: URL
}

// draw draws one chart as an SVG and a PNG, through charts.js, which
// knows the site's chart themes.
func (t *tab) draw(ctx context.Context, c Chart) (Images, error) {
	expr := fmt.Sprintf("window.folioChartImages ? window.folioChartImages(%q, %d, %d) : null", c.ID, c.Width, c.Height)
	im, err := chromedp.Run(ctx, chromedp.Evaluate[*images](expr))
	if err != nil {
		return Images{}, err
	}
	if im == nil || im.SVG == "" || im.PNG == "" {
		return Images{}, errors.New("charts.js drew no image (is it folio's charts.js, and does the chart draw?)")
	}
	png, ok := strings.CutPrefix(im.PNG, "data:image/png;base64,")
	if !ok {
		return Images{}, errors.New("the PNG is not a PNG data URL")
	}
	pngData, err := base64.StdEncoding.DecodeString(png)
	if err != nil {
		return Images{}, fmt.Errorf("the PNG: %w", err)
	}
	svg, err := cleanSVG(im.SVG, c.Title, c.Desc)
	if err != nil {
		return Images{}, fmt.Errorf("the SVG: %w", err)
	}
	return Images{SVG: svg, PNG: pngData}, nil
}
