package conformance

import (
	"bytes"
	"context"
	"fmt"
	"math"
	"net"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"

	"github.com/folio-ssg/folio/internal/site"
)

// The charts' own checks (SPEC.md §6): every figure draws where
// JavaScript runs, every figure's table shows where it does not, and no
// text from data becomes markup or code (hostile_test.go). Each test also
// runs its check over hand-written pages below /chartcheck/ that break
// what it checks, and fails unless the check reports them, as
// TestBrowserCatches does for the page checks.

// chartCheckBase is the path the charts' self-test pages are served under.
const chartCheckBase = "/chartcheck/"

// chartCheckFigure is a figure with templates/figure.html's markup
// contract and a small bar chart whose options are opts, and its canvas
// and details elements with the attributes given: those of figure.html
// are ` hidden` and ` open`.
func chartCheckFigure(id, opts, canvasAttrs, detailsAttrs string) string {
	return fmt.Sprintf(`<figure id="%[1]s" class="chart chart--bar">
<figcaption class="chart__head"><p class="chart__title"><span id="%[1]s-title">Figure %[1]s</span></p></figcaption>
<div class="chart__canvas" data-options="%[1]s-options" data-type="bar" data-height="300" role="img" aria-labelledby="%[1]s-title"%[3]s></div>
<script type="application/json" id="%[1]s-options">%[2]s</script>
<details class="chart__data"%[4]s>
<summary>Data table</summary>
<div class="table-wrap" tabindex="0" role="region" aria-label="Figure %[1]s, data table">
<table class="data-table"><caption>Figure %[1]s</caption>
<thead><tr><th scope="col">Label</th><th scope="col" class="num">Value</th></tr></thead>
<tbody><tr><td>a</td><td class="num">1</td></tr><tr><td>b</td><td class="num">3</td></tr><tr><td>c</td><td class="num">2</td></tr></tbody>
</table></div>
</details>
</figure>`, id, opts, canvasAttrs, detailsAttrs)
}

// chartOptions are the options of chartCheckFigure's bar chart.
const chartOptions = `{"xAxis":{"type":"category","data":["a","b","c"]},"yAxis":{"type":"value"},` +
	`"series":[{"type":"bar","name":"Value","data":[1,3,2]}]}`

// chartCheckPage is a page with the site's stylesheet, body in its main,
// and the chart scripts, as base.html loads them, then any more scripts.
func chartCheckPage(body string, scripts ...string) []byte {
	var s strings.Builder
	for _, src := range append([]string{"echarts.min.js", "charts.js"}, scripts...) {
		fmt.Fprintf(&s, "<script src=\"%s%s\" defer></script>\n", chartCheckBase, src)
	}
	return fmt.Appendf(nil, `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Chart self-test</title>
<link rel="stylesheet" href="%[1]ssite.css">
<link rel="stylesheet" href="%[1]sselftest.css">
<link rel="icon" href="data:,">
</head>
<body>
<main id="main">
<h1>Chart self-test</h1>
%[2]s
</main>
%[3]s</body>
</html>
`, chartCheckBase, body, s.String())
}

// chartCheckPages returns the charts' self-test pages, with the site's
// stylesheet, ECharts and charts.js: clean/ has one figure as figure.html
// makes it; each figure of broken/ breaks one thing that one of the chart
// checks must report; pwned/ runs a script that does what the payloads of
// TestBrowserHostileText try to do.
func chartCheckPages(t testing.TB) site.Output {
	t.Helper()
	out := site.Output{
		"clean/index.html": chartCheckPage(chartCheckFigure("ok", chartOptions, " hidden", " open")),
		"broken/index.html": chartCheckPage(strings.Join([]string{
			// Options that do not parse: charts.js leaves the table.
			chartCheckFigure("bad", "{"+chartOptions, " hidden", " open"),
			// Squeezed into 80 px: drawn, but not at a real size.
			`<div class="narrow">` + chartCheckFigure("thin", chartOptions, " hidden", " open") + `</div>`,
			// Held to 150 px by the page's CSS, not its data-height.
			`<div class="squat">` + chartCheckFigure("low", chartOptions, " hidden", " open") + `</div>`,
			// Empty options: an <svg> with nothing in it.
			chartCheckFigure("empty", "{}", " hidden", " open"),
			// The canvas in a <figure> of its own, which charts.js takes
			// for the chart's, so that it leaves the table open.
			strings.Replace(strings.Replace(chartCheckFigure("loose", chartOptions, " hidden", " open"),
				`<div class="chart__canvas"`, `<figure><div class="chart__canvas"`, 1), "</script>\n", "</script></figure>\n", 1),
			// Without JavaScript, a folded table, a canvas shown empty.
			chartCheckFigure("closed", chartOptions, " hidden", ""),
			chartCheckFigure("shown", chartOptions, "", " open"),
			// No tooltips: moving the pointer over it shows nothing.
			chartCheckFigure("quiet", strings.Replace(chartOptions, "{", `{"tooltip":{"show":false},`, 1), " hidden", " open"),
		}, "\n")),
		"pwned/index.html": chartCheckPage(chartCheckFigure("pwn", chartOptions, " hidden", " open"), "pwn.js"),
		"pwn.js": []byte(`window.__pwned = 1;
var img = document.createElement("img");
img.src = "x";
img.alt = "";
document.querySelector("main").appendChild(img);
var s = document.createElement("script");
s.type = "text/plain";
document.body.appendChild(s);
document.querySelector("h1").textContent = "Nothing to see";
`),
		"selftest.css": []byte(".narrow { width: 80px; }\n.squat .chart__canvas { height: 150px !important; }\n"),
	}
	for name, file := range map[string]string{
		"site.css":       "site.css",
		"charts.js":      "charts.js",
		"echarts.min.js": "vendor/echarts/echarts.min.js",
	} {
		data, err := os.ReadFile(filepath.Join(repoRoot, "templates", "assets", filepath.FromSlash(file)))
		if err != nil {
			t.Fatal(err)
		}
		out[name] = data
	}
	return out
}

// serveOutputs serves what build returns for the address it is served
// from, as the example site is served, until the test ends, and returns
// that address, "127.0.0.1:<port>".
func serveOutputs(t testing.TB, build func(host string) (rootHandler, error)) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	host := ln.Addr().String()
	h, err := build(host)
	if err != nil {
		ln.Close()
		t.Fatal(err)
	}
	srv := &http.Server{Handler: h}
	go srv.Serve(ln)
	t.Cleanup(func() { srv.Close() })
	return host
}

// serveChartChecks serves the charts' self-test pages and returns their
// address.
func serveChartChecks(t testing.TB) string {
	pages := chartCheckPages(t)
	return serveOutputs(t, func(string) (rootHandler, error) {
		return rootHandler{{chartCheckBase, pages}}, nil
	})
}

// figurePages returns the pages of s that hold a figure with a drawing,
// sorted.
func figurePages(s *server) []sitePage {
	var pages []sitePage
	for _, p := range sitePages(s) {
		if bytes.Contains(s.out[p.key], []byte(`class="chart__canvas"`)) {
			pages = append(pages, p)
		}
	}
	return pages
}

// A figureDrawing is what a figure with a drawing shows, once scrolled
// into view.
type figureDrawing struct {
	ID        string  `json:"id"`
	Tag       string  `json:"tag"` // "svg" or "canvas", or "" when nothing is drawn
	Width     float64 `json:"width"`
	Height    float64 `json:"height"`
	Want      float64 `json:"want"`   // the height data-height asks for, or 0
	Shapes    int     `json:"shapes"` // <path> elements in an <svg>
	Hidden    bool    `json:"hidden"` // the .chart__canvas
	TableOpen bool    `json:"tableOpen"`
}

// drawFigures scrolls each figure with a drawing into view in turn, the
// middle of it at the middle of the viewport, and waits up to two seconds
// for its drawing to reach a real size.
const drawFigures = `(async () => {
	const frame = () => new Promise(ok => requestAnimationFrame(() => ok()));
	const real = d => { const r = d && d.getBoundingClientRect(); return !!r && r.width > 100 && r.height > 100; };
	const out = [];
	for (const fig of document.querySelectorAll("figure.chart")) {
		const canvas = fig.querySelector(".chart__canvas");
		if (!canvas) continue;
		fig.scrollIntoView({block: "center", behavior: "instant"});
		const start = performance.now();
		let d = null;
		// charts.js ran before the load event: a canvas still hidden
		// will never be drawn in.
		while (!canvas.hidden && !real(d = canvas.querySelector("svg, canvas")) && performance.now() - start < 2000) {
			await frame();
		}
		const r = d ? d.getBoundingClientRect() : {width: 0, height: 0};
		const details = fig.querySelector("details.chart__data");
		const want = parseInt(canvas.dataset.height, 10);
		out.push({
			id: fig.id, tag: d ? d.localName : "", width: r.width, height: r.height,
			want: want >= 120 && want <= 1600 ? want : 0, // charts.js's bounds
			shapes: d ? d.querySelectorAll("path").length : 0,
			hidden: canvas.hidden, tableOpen: !!details && details.open,
		});
	}
	window.scrollTo({top: 0, behavior: "instant"});
	return out;
})()`

// drawCharts scrolls each figure into view and reports what it draws.
func (tb *tab) drawCharts() ([]figureDrawing, error) {
	return chromedp.Run(tb.ctx, chromedp.Evaluate[[]figureDrawing](drawFigures, chromedp.EvalAwaitPromise))
}

// drawingFaults says what is wrong with each figure's drawing: nothing
// drawn, a drawing smaller than 101 px either way or not as high as its
// data-height, an <svg> with no shape in it, or the data table still open
// beside the chart.
func drawingFaults(figs []figureDrawing) []string {
	var faults []string
	if len(figs) == 0 {
		faults = append(faults, "no figure.chart with a .chart__canvas on the page")
	}
	for _, f := range figs {
		switch {
		case f.Tag == "":
			faults = append(faults, fmt.Sprintf("figure #%s: nothing drawn in its .chart__canvas (hidden: %t)", f.ID, f.Hidden))
			continue
		case f.Width <= 100 || f.Height <= 100:
			faults = append(faults, fmt.Sprintf("figure #%s: the <%s> is %gx%g px, want more than 100x100", f.ID, f.Tag, f.Width, f.Height))
		case f.Want > 0 && math.Abs(f.Height-f.Want) > 1:
			faults = append(faults, fmt.Sprintf("figure #%s: the <%s> is %g px high, want its data-height, %g px", f.ID, f.Tag, f.Height, f.Want))
		case f.Tag == "svg" && f.Shapes == 0:
			faults = append(faults, fmt.Sprintf("figure #%s: the <svg> draws no shape", f.ID))
		}
		if f.TableOpen {
			faults = append(faults, fmt.Sprintf("figure #%s: the data table is still open beside the chart", f.ID))
		}
	}
	return faults
}

// loadFrom is load for a page of any test server: the tab takes the
// page's host for the one host its requests may go to, so that one tab
// serves pages of the example site and of the self-tests in turn.
func (tb *tab) loadFrom(u string) (int64, error) {
	p, err := url.Parse(u)
	if err != nil {
		return 0, err
	}
	tb.mu.Lock()
	tb.host = p.Host
	tb.mu.Unlock()
	return tb.load(u, "light", 1280)
}

// checkDrawn loads u in a tab of the pool at desktop width, draws its
// charts, and returns the faults of the drawings and the page's problems.
func (p *tabPool) checkDrawn(t testing.TB, u string) (status int64, figs []figureDrawing, faults []string) {
	t.Helper()
	tb := p.get(t)
	status, err := tb.loadFrom(u)
	if err == nil {
		figs, err = tb.drawCharts()
	}
	p.put(tb, err)
	if err != nil {
		t.Fatalf("%s: %v", u, err)
	}
	return status, figs, append(drawingFaults(figs), tb.Problems()...)
}

// TestBrowserChartsDraw scrolls to every figure with a drawing on every
// page of the example site that has one, embed pages included, and fails
// unless ECharts has drawn it there at a real size, with no console
// error, failed request, request to another host or CSP violation.
func TestBrowserChartsDraw(t *testing.T) {
	browser(t)
	s := served(t)
	pages := figurePages(s)
	var briefs, embeds int
	for _, p := range pages {
		briefs += btoi(strings.HasPrefix(p.key, "briefs/"))
		embeds += btoi(strings.HasPrefix(p.key, "charts/"))
	}
	if briefs == 0 || embeds == 0 {
		t.Fatalf("pages with charts: %d briefs and %d embed pages among %d; want some of each", briefs, embeds, len(pages))
	}
	pool := newTabPool(t, s.host, runtime.GOMAXPROCS(0))
	var drawn atomic.Int64
	t.Run("page", func(t *testing.T) {
		for _, p := range pages {
			t.Run(p.key, func(t *testing.T) {
				t.Parallel()
				status, figs, faults := pool.checkDrawn(t, p.url)
				if status != p.status {
					t.Errorf("%s: HTTP status %d, want %d", p.url, status, p.status)
				}
				for _, f := range faults {
					t.Errorf("%s: %s", p.url, f)
				}
				if want := bytes.Count(s.out[p.key], []byte(`class="chart__canvas"`)); len(figs) != want {
					t.Errorf("%s: found %d figures with a drawing, want %d", p.url, len(figs), want)
				}
				drawn.Add(int64(len(figs)))
			})
		}
	})
	t.Logf("checked %d charts on %d pages (%d briefs, %d embed pages)", drawn.Load(), len(pages), briefs, embeds)

	// The example site's pages show the check passes what it should;
	// this page, that it fails what it should.
	t.Run("selftest/broken", func(t *testing.T) {
		_, _, faults := pool.checkDrawn(t, "http://"+serveChartChecks(t)+chartCheckBase+"broken/")
		expectFaults(t, faults, []string{
			"figure #bad: nothing drawn in its .chart__canvas (hidden: true)",
			"figure #thin: the <svg> is 80x300 px, want more than 100x100",
			"figure #low: the <svg> is 150 px high, want its data-height, 300 px",
			"figure #empty: the <svg> draws no shape",
			"figure #loose: the data table is still open beside the chart",
		})
	})
}

// expectFaults fails unless each of faults mentions one of want and
// each of want is mentioned by one of faults.
func expectFaults(t testing.TB, faults, want []string) {
	t.Helper()
	found := make([]bool, len(want))
	for _, f := range faults {
		i := slices.IndexFunc(want, func(w string) bool { return strings.Contains(f, w) })
		if i < 0 {
			t.Errorf("unexpected fault: %s", f)
			continue
		}
		found[i] = true
	}
	for i, w := range want {
		if !found[i] {
			t.Errorf("no fault mentions %q; got:\n%s", w, strings.Join(faults, "\n"))
		}
	}
}

func btoi(b bool) int {
	if b {
		return 1
	}
	return 0
}

// A figureFallback is what a figure shows a reader without JavaScript.
type figureFallback struct {
	ID            string  `json:"id"`
	HasDetails    bool    `json:"hasDetails"`
	Open          bool    `json:"open"`
	TableVisible  bool    `json:"tableVisible"`
	TableWidth    float64 `json:"tableWidth"`
	TableHeight   float64 `json:"tableHeight"`
	CanvasDisplay string  `json:"canvasDisplay"`
	CanvasHeight  float64 `json:"canvasHeight"`
	Drawing       bool    `json:"drawing"`
}

// fallbacks reads what each figure with a drawing shows. It is evaluated
// through the DevTools protocol, which runs even where the page's own
// scripts are disabled.
const fallbacks = `[...document.querySelectorAll("figure.chart")].filter(f => f.querySelector(".chart__canvas")).map(f => {
	const canvas = f.querySelector(".chart__canvas");
	const details = f.querySelector("details.chart__data");
	const table = details && details.querySelector("table");
	const r = table ? table.getBoundingClientRect() : {width: 0, height: 0};
	return {
		id: f.id, hasDetails: !!details, open: !!details && details.open,
		// A folded table has a box all the same: Chrome lays out the
		// content of a closed <details> (content-visibility: hidden)
		// when asked for its size. checkVisibility knows better.
		tableVisible: !!table && table.checkVisibility({visibilityProperty: true, opacityProperty: true}),
		tableWidth: r.width, tableHeight: r.height,
		canvasDisplay: getComputedStyle(canvas).display,
		canvasHeight: canvas.getBoundingClientRect().height,
		drawing: !!canvas.querySelector("svg, canvas"),
	};
})`

// fallbackFaults says what is wrong with what figures show without
// JavaScript: a table that is folded or has no size, a canvas that shows.
func fallbackFaults(figs []figureFallback) []string {
	var faults []string
	if len(figs) == 0 {
		faults = append(faults, "no figure.chart with a .chart__canvas on the page")
	}
	for _, f := range figs {
		switch {
		case !f.HasDetails:
			faults = append(faults, fmt.Sprintf("figure #%s: no details.chart__data", f.ID))
		case !f.Open || !f.TableVisible || f.TableWidth == 0 || f.TableHeight == 0:
			faults = append(faults, fmt.Sprintf("figure #%s: the data table is not visible (open: %t, visible: %t, %.0fx%.0f px)",
				f.ID, f.Open, f.TableVisible, f.TableWidth, f.TableHeight))
		}
		if f.CanvasDisplay != "none" || f.CanvasHeight != 0 || f.Drawing {
			faults = append(faults, fmt.Sprintf("figure #%s: the canvas shows (display: %s, %g px high, drawn: %t)",
				f.ID, f.CanvasDisplay, f.CanvasHeight, f.Drawing))
		}
	}
	return faults
}

// openNoScriptTab opens a tab, closed when the test ends, whose pages run
// no script of their own, as for a reader with JavaScript off.
func openNoScriptTab(t testing.TB, host string) *tab {
	t.Helper()
	tb, err := openTab(t, host)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(tb.close)
	ctx, cancel := context.WithTimeout(tb.tabCtx, pageTimeout)
	defer cancel()
	if _, err := chromedp.Call(ctx, emulation.SetScriptExecutionDisabled,
		emulation.SetScriptExecutionDisabledParams{Value: true}); err != nil {
		t.Fatalf("disabling JavaScript: %v", err)
	}
	return tb
}

// checkFallback loads u in tb and returns what is wrong with its figures
// without JavaScript, and the page's problems.
func checkFallback(t testing.TB, tb *tab, u string) (status int64, figs []figureFallback, faults []string) {
	t.Helper()
	status, err := tb.loadFrom(u)
	if err != nil {
		t.Fatal(err)
	}
	// The scripts must not have run: that is the point.
	ran, err := chromedp.Run(tb.ctx, chromedp.Evaluate[bool](`typeof window.echarts !== "undefined"`))
	if err != nil {
		t.Fatal(err)
	}
	if ran {
		t.Fatalf("%s: ECharts ran with JavaScript disabled", u)
	}
	figs, err = chromedp.Run(tb.ctx, chromedp.Evaluate[[]figureFallback](fallbacks))
	if err != nil {
		t.Fatal(err)
	}
	return status, figs, append(fallbackFaults(figs), tb.Problems()...)
}

// TestBrowserNoJavaScript loads every page of the example site with a
// figure that draws, briefs and embed pages among them, with JavaScript
// disabled, and fails unless every such figure shows its data table,
// unfolded and of a real size, and no canvas.
func TestBrowserNoJavaScript(t *testing.T) {
	browser(t)
	s := served(t)
	pages := figurePages(s)
	var briefs, embeds int
	for _, p := range pages {
		briefs += btoi(strings.HasPrefix(p.key, "briefs/"))
		embeds += btoi(strings.HasPrefix(p.key, "charts/"))
	}
	if briefs == 0 || embeds == 0 {
		t.Fatalf("pages with charts: %d briefs and %d embed pages among %d; want some of each", briefs, embeds, len(pages))
	}
	tb := openNoScriptTab(t, s.host)
	var tables int
	for _, p := range pages {
		status, figs, faults := checkFallback(t, tb, p.url)
		if status != p.status {
			t.Errorf("%s: HTTP status %d, want %d", p.url, status, p.status)
		}
		for _, f := range faults {
			t.Errorf("%s: %s", p.url, f)
		}
		if want := bytes.Count(s.out[p.key], []byte(`class="chart__canvas"`)); len(figs) != want {
			t.Errorf("%s: found %d figures with a drawing, want %d", p.url, len(figs), want)
		}
		tables += len(figs)
	}
	t.Logf("checked %d figures on %d pages without JavaScript", tables, len(pages))

	chartCheck := serveChartChecks(t)
	t.Run("selftest", func(t *testing.T) {
		for _, tt := range []struct {
			page string
			want []string
		}{
			{"clean", nil},
			{"broken", []string{
				"figure #closed: the data table is not visible (open: false, visible: false, ",
				"figure #shown: the canvas shows (display: block, ",
			}},
		} {
			t.Run(tt.page, func(t *testing.T) {
				_, _, faults := checkFallback(t, tb, "http://"+chartCheck+chartCheckBase+tt.page+"/")
				expectFaults(t, faults, tt.want)
			})
		}
	})
}
