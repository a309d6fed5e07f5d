package conformance

import (
	"bytes"
	"fmt"
	"io/fs"
	"os"
	"regexp"
	"runtime"
	"slices"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/chromedp/cdproto/input"
	"github.com/chromedp/chromedp"
	"github.com/rogpeppe/go-internal/txtar"
	"golang.org/x/net/html"

	"github.com/folio-ssg/folio/internal/diag"
	"github.com/folio-ssg/folio/internal/site"
)

// The payloads of testdata/hostile.txtar: text that would run script or
// make markup if a page ever treated it as HTML or JavaScript.
const (
	pwnScript   = "</script><script>window.__pwned=1</script>"
	pwnComment  = "<!--<script>"
	pwnFunc     = "__f__function(){window.__pwned=2}__f__"
	pwnImg      = `<img src=x onerror="window.__pwned=3">`
	pwnURL      = "javascript:window.__pwned=4"
	pwnLineSep  = "line\u2028separator"
	hostileBase = "/hostile/"
)

// miniSite returns the files of a txtar archive in testdata/ as a site
// source, with the repository's real templates/ added.
func miniSite(t testing.TB, archive string) fstest.MapFS {
	t.Helper()
	a, err := txtar.ParseFile("testdata/" + archive)
	if err != nil {
		t.Fatal(err)
	}
	fsys := fstest.MapFS{}
	for _, f := range a.Files {
		fsys[f.Name] = &fstest.MapFile{Data: f.Data, Mode: 0o644}
	}
	root := os.DirFS(repoRoot)
	err = fs.WalkDir(root, "templates", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := fs.ReadFile(root, p)
		fsys[p] = &fstest.MapFile{Data: data, Mode: 0o644}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return fsys
}

// buildSite builds a site source in-process for base, as startServer
// builds the example site, and returns its output (nil when the build
// failed) and every problem it reported, sorted.
func buildSite(fsys fs.FS, base string) (site.Output, diag.List) {
	st, probs := site.Load(fsys, site.Options{BaseURL: base})
	if st == nil || probs.Errors() > 0 {
		return nil, probs.Sort()
	}
	out, _, more := st.Render()
	return out, append(probs, more...).Sort()
}

// A hostileReport is what a page shows of the payloads.
type hostileReport struct {
	Pwned   *string             `json:"pwned"`   // String(window.__pwned); nil when undefined
	Made    []string            `json:"made"`    // elements a payload would make, in the page or seen added
	Scripts []string            `json:"scripts"` // its <script> elements, as scriptTags describes them
	BadJSON []string            `json:"badJSON"` // inline JSON scripts whose text does not parse
	Text    string              `json:"text"`    // document.body.innerText
	Content string              `json:"content"` // the body's text nodes, those in scripts left out
	Tips    map[string][]string `json:"tips"`    // figure id -> the texts its tooltips showed
}

// watchPage starts recording, in the page, every element added to it that
// a payload would make (a script, an image from src=x, an inline event
// handler, a javascript: URL, a frame), even one removed again at once,
// and the text of each chart tooltip shown, by the figure it is in (or
// else the one window.__folioHover names, that the pointer is over). It runs before the charts start, as they
// start only when scrolled to.
const watchPage = `(() => {
	const seen = window.__folioSeen = {made: [], tips: {}};
	const bad = el => /^(script|iframe|frame|object|embed)$/.test(el.localName) ||
		(el.localName === "img" && el.getAttribute("src") === "x") ||
		[...el.attributes].some(a => /^on/i.test(a.name) || /^\s*javascript:/i.test(a.value));
	new MutationObserver(records => {
		for (const r of records) {
			for (const n of r.addedNodes) {
				if (n.nodeType !== 1) continue;
				for (const el of [n, ...n.querySelectorAll("*")]) {
					if (bad(el)) seen.made.push("added: " + el.outerHTML.slice(0, 300));
				}
			}
		}
		for (const tip of document.querySelectorAll(".chart-tooltip")) {
			const style = getComputedStyle(tip);
			if (style.display === "none" || style.visibility === "hidden") continue;
			const fig = tip.closest("figure.chart"), id = fig ? fig.id : window.__folioHover || "";
			const text = tip.textContent, tips = seen.tips[id] = seen.tips[id] || [];
			if (text && !tips.includes(text)) tips.push(text);
		}
	}).observe(document.documentElement, {subtree: true, childList: true, characterData: true});
})()`

// hoverPoints scrolls the figure with the id given to the middle of the
// viewport and returns a point, in viewport coordinates, on each filled
// shape of its drawing (up to 20), leaving out points close to one already
// chosen: where the pointer goes to show the tooltips.
const hoverPoints = `(async id => {
	const fig = document.getElementById(id);
	fig.scrollIntoView({block: "center", behavior: "instant"});
	await new Promise(ok => requestAnimationFrame(() => requestAnimationFrame(ok)));
	window.__folioHover = id;
	const svg = fig.querySelector(".chart__canvas svg");
	const pts = [];
	const near = (x, y) => pts.some(([a, b]) => Math.abs(a - x) < 12 && Math.abs(b - y) < 12);
	for (const el of svg ? svg.querySelectorAll("path") : []) {
		const r = el.getBoundingClientRect();
		// Lines (axes, grid, ticks) have no fill; marks and legend icons do.
		if (r.width < 1 && r.height < 1 || el.getAttribute("fill") === "none") continue;
		hit: for (const fy of [0.5, 0.3, 0.7]) {
			for (const fx of [0.5, 0.3, 0.7]) {
				const x = r.left + r.width * fx, y = r.top + r.height * fy;
				if (fig.contains(document.elementFromPoint(x, y))) {
					if (!near(x, y)) pts.push([x, y]);
					break hit;
				}
			}
		}
	}
	return pts.slice(0, 20);
})`

// hostileState reads what hostileReport holds, the milliseconds given
// after the last pointer move, so that an image that fails to load has
// had its error.
const hostileState = `(async ms => {
	await new Promise(ok => setTimeout(ok, ms));
	const seen = window.__folioSeen || {made: [], tips: {}};
	const made = [...seen.made];
	for (const el of document.querySelectorAll("*")) {
		if (/^(iframe|frame|object|embed)$/.test(el.localName) ||
			(el.localName === "img" && el.getAttribute("src") === "x") ||
			[...el.attributes].some(a => /^on/i.test(a.name) || /^\s*javascript:/i.test(a.value))) {
			made.push(el.outerHTML.slice(0, 300));
		}
	}
	const scripts = [], badJSON = [];
	for (const s of document.querySelectorAll("script")) {
		if (s.hasAttribute("src")) {
			scripts.push("src=" + s.getAttribute("src"));
			continue;
		}
		scripts.push("type=" + (s.getAttribute("type") || "") + " id=" + (s.getAttribute("id") || ""));
		if (/json/.test(s.type)) {
			try {
				JSON.parse(s.textContent);
			} catch (e) {
				badJSON.push("#" + s.id + ": " + e.message + ": " + s.textContent.slice(0, 200));
			}
		}
	}
	const walk = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT,
		n => n.parentElement.closest("script") ? NodeFilter.FILTER_REJECT : NodeFilter.FILTER_ACCEPT);
	let content = "";
	while (walk.nextNode()) content += walk.currentNode.data;
	return {
		pwned: typeof window.__pwned === "undefined" ? null : String(window.__pwned),
		made, scripts, badJSON, text: document.body.innerText, content, tips: seen.tips,
	};
})`

// scriptTags describes the <script> elements of a built page as
// hostileState describes those of the page in the browser: "src=<src>"
// for an external one, "type=<type> id=<id>" for one with its text inline.
func scriptTags(page []byte) []string {
	var tags []string
	z := html.NewTokenizer(bytes.NewReader(page))
	for {
		switch z.Next() {
		case html.ErrorToken:
			return tags
		case html.StartTagToken, html.SelfClosingTagToken:
			tok := z.Token()
			if tok.Data != "script" {
				continue
			}
			attr := map[string]string{}
			hasSrc := false
			for _, a := range tok.Attr {
				attr[a.Key] = a.Val
				hasSrc = hasSrc || a.Key == "src"
			}
			if hasSrc {
				tags = append(tags, "src="+attr["src"])
			} else {
				tags = append(tags, "type="+attr["type"]+" id="+attr["id"])
			}
		}
	}
}

var (
	echartsScript = regexp.MustCompile(`^src=.*/echarts\.min(\.[0-9a-f]{10})?\.js$`)
	chartsScript  = regexp.MustCompile(`^src=.*/charts(\.[0-9a-f]{10})?\.js$`)
	optionsScript = regexp.MustCompile(`^type=application/json id=\S+-options$`)
	dataScript    = regexp.MustCompile(`^type=application/(ld\+)?json id=`)
)

// scriptFaults says what is wrong with the <script> elements a page was
// built with (tags, as scriptTags gives them): each must be one of the
// site's own script files (own reports which) or a data block
// (application/json or application/ld+json, which never runs), and with
// figures there must be ECharts, charts.js and one block of options per
// figure. Data never adds a script: a payload that escaped its element
// would.
func scriptFaults(tags []string, own func(src string) bool, figures int) []string {
	var faults []string
	var echarts, charts, options int
	for _, tag := range tags {
		switch src, ok := strings.CutPrefix(tag, "src="); {
		case ok && own(src):
			echarts += btoi(echartsScript.MatchString(tag))
			charts += btoi(chartsScript.MatchString(tag))
		case ok:
			faults = append(faults, "a script that is not one of the site's files: "+tag)
		case optionsScript.MatchString(tag):
			options++
		case !dataScript.MatchString(tag):
			faults = append(faults, "an inline script that is not a data block: "+tag)
		}
	}
	if want := min(figures, 1); echarts != want || charts != want || options != figures {
		faults = append(faults, fmt.Sprintf("%d ECharts, %d charts.js and %d options scripts for %d figures; want %d, %d and %d",
			echarts, charts, options, figures, want, want, figures))
	}
	return faults
}

// hostileWant is what a page must show of the payloads.
type hostileWant struct {
	scripts []string // the <script> elements it was built with, by scriptTags
	text    []string // in document.body.innerText, as text
	content []string // in the body's text (characters innerText may change)
	tip     string   // in the text of some tooltip; "": do not move the pointer over the charts
}

// hostileFaults says what the payloads did on a page.
func hostileFaults(r hostileReport, figs []figureDrawing, want hostileWant) []string {
	var faults []string
	if r.Pwned != nil {
		faults = append(faults, fmt.Sprintf("window.__pwned is %s: a payload ran", *r.Pwned))
	}
	for _, m := range r.Made {
		faults = append(faults, "an element a payload would make: "+m)
	}
	if !slices.Equal(r.Scripts, want.scripts) {
		faults = append(faults, fmt.Sprintf("the page has the <script> elements\n\t%s\nwant those it was built with:\n\t%s",
			strings.Join(r.Scripts, "\n\t"), strings.Join(want.scripts, "\n\t")))
	}
	for _, b := range r.BadJSON {
		faults = append(faults, "a JSON script that does not parse: "+b)
	}
	for _, s := range want.text {
		if !strings.Contains(r.Text, s) {
			faults = append(faults, fmt.Sprintf("the page does not show %q as text", s))
		}
	}
	for _, s := range want.content {
		if !strings.Contains(r.Content, s) {
			faults = append(faults, fmt.Sprintf("the page's text does not hold %q", s))
		}
	}
	if want.tip == "" {
		return faults
	}
	var all []string
	for _, f := range figs {
		if f.Tag == "" {
			continue // drawingFaults says so
		}
		if len(r.Tips[f.ID]) == 0 {
			faults = append(faults, fmt.Sprintf("figure #%s: no tooltip showed as the pointer moved over its drawing", f.ID))
		}
		all = append(all, r.Tips[f.ID]...)
	}
	if !slices.ContainsFunc(all, func(s string) bool { return strings.Contains(s, want.tip) }) {
		faults = append(faults, fmt.Sprintf("no tooltip showed %q; they showed %q", want.tip, all))
	}
	return faults
}

// checkHostile loads u in a tab of the pool, draws its charts, moves the
// pointer over the marks of each unless want.tip is "", and returns what
// is wrong: with the drawings, with what the payloads did, and the page's
// problems.
func (p *tabPool) checkHostile(t testing.TB, u string, want hostileWant) (status int64, faults []string) {
	t.Helper()
	tb := p.get(t)
	var (
		figs []figureDrawing
		r    hostileReport
	)
	status, err := tb.loadFrom(u)
	if err == nil {
		err = chromedp.Do(tb.ctx, chromedp.Evaluate[chromedp.Void](watchPage))
	}
	if err == nil {
		figs, err = tb.drawCharts()
	}
	wait := 0
	for _, f := range figs {
		if err != nil || f.Tag == "" || want.tip == "" {
			continue
		}
		wait = 150
		var pts [][2]float64
		pts, err = chromedp.Run(tb.ctx, chromedp.Evaluate[[][2]float64](hoverPoints+"("+mustJSON(f.ID)+")", chromedp.EvalAwaitPromise))
		for _, pt := range pts {
			if err == nil {
				err = chromedp.Do(tb.ctx, chromedp.MouseEvent(input.DispatchMouseEventTypeMouseMoved, pt[0], pt[1]))
			}
		}
	}
	if err == nil {
		r, err = chromedp.Run(tb.ctx, chromedp.Evaluate[hostileReport](fmt.Sprintf("%s(%d)", hostileState, wait), chromedp.EvalAwaitPromise))
	}
	p.put(tb, err)
	if err != nil {
		t.Fatalf("%s: %v", u, err)
	}
	if figures := countOptions(want.scripts); figures > 0 {
		faults = drawingFaults(figs)
		if len(figs) != figures {
			faults = append(faults, fmt.Sprintf("found %d figures with a drawing, want %d", len(figs), figures))
		}
	}
	faults = append(faults, hostileFaults(r, figs, want)...)
	return status, append(faults, tb.Problems()...)
}

// countOptions counts the options scripts among tags: the figures.
func countOptions(tags []string) int {
	n := 0
	for _, tag := range tags {
		n += btoi(optionsScript.MatchString(tag))
	}
	return n
}

// TestBrowserHostileText builds testdata/hostile.txtar, a mini-site whose
// data and chart specs are full of payloads, with the real templates, and
// visits every page in Chromium: on each, with every chart drawn and, on
// the brief and the embed pages, the pointer moved over each of its marks
// so that the tooltips render (and show the payloads as text), no
// payload may run (window.__pwned stays undefined), make an element (an
// image, a script, an event handler, a javascript: link) or be lost: on
// the pages with figures it shows as the text it is. The page's scripts
// are those it was built with, and those are only the site's own files
// and data blocks: ECharts, charts.js and one block of options per
// figure, and the page's metadata. Nothing the page checks catch (a
// console error, a CSP violation, a failed request) may happen either.
func TestBrowserHostileText(t *testing.T) {
	t.Run("javascript-urls-rejected", testJavaScriptURLsRejected)

	browser(t)
	fsys := miniSite(t, "hostile.txtar")
	s := &server{}
	checks := chartCheckPages(t)
	s.host = serveOutputs(t, func(host string) (rootHandler, error) {
		s.base = "http://" + host + hostileBase
		out, probs := buildSite(fsys, s.base)
		if out == nil {
			return nil, fmt.Errorf("building testdata/hostile.txtar:\n%v", probs)
		}
		s.out = out
		return rootHandler{{hostileBase, out}, {chartCheckBase, checks}}, nil
	})
	pages := sitePages(s)
	var brief, embeds int
	for _, p := range figurePages(s) {
		brief += btoi(p.key == "briefs/hostile/index.html")
		embeds += btoi(strings.HasPrefix(p.key, "charts/"))
	}
	if brief != 1 || embeds != 3 {
		t.Fatalf("the hostile site has %d briefs and %d embed pages with charts; want 1 and 3", brief, embeds)
	}
	siteFile := func(src string) bool {
		key, ok := strings.CutPrefix(src, hostileBase)
		_, exists := s.out[key]
		return ok && exists && strings.HasPrefix(key, "assets/")
	}
	pool := newTabPool(t, s.host, runtime.GOMAXPROCS(0))
	t.Run("page", func(t *testing.T) {
		for _, p := range pages {
			t.Run(p.key, func(t *testing.T) {
				t.Parallel()
				want := hostileWant{scripts: scriptTags(s.out[p.key])}
				figures := bytes.Count(s.out[p.key], []byte(`class="chart__canvas"`))
				for _, f := range scriptFaults(want.scripts, siteFile, figures) {
					t.Errorf("%s as built: %s", p.key, f)
				}
				if figures > 0 {
					want.text = []string{pwnScript}
				}
				if figures > 0 && !strings.HasPrefix(p.key, "data/") {
					// A dataset page shows the same figures again.
					want.tip = pwnScript
				}
				if p.key == "briefs/hostile/index.html" {
					want.text = []string{pwnScript, pwnComment, pwnFunc, pwnImg, pwnURL}
					want.content = []string{pwnLineSep}
				}
				status, faults := pool.checkHostile(t, p.url, want)
				if status != p.status {
					t.Errorf("%s: HTTP status %d, want %d", p.url, status, p.status)
				}
				for _, f := range faults {
					t.Errorf("%s: %s", p.url, f)
				}
			})
		}
	})

	checkFile := func(src string) bool {
		return src == chartCheckBase+"echarts.min.js" || src == chartCheckBase+"charts.js"
	}
	t.Run("selftest", func(t *testing.T) {
		for _, tt := range []struct {
			page string
			want []string
		}{
			{"broken", []string{
				"figure #bad: nothing drawn in its .chart__canvas (hidden: true)",
				"figure #thin: the <svg> is 80x300 px, want more than 100x100",
				"figure #low: the <svg> is 150 px high, want its data-height, 300 px",
				"figure #empty: the <svg> draws no shape",
				"figure #loose: the data table is still open beside the chart",
				"figure #empty: no tooltip showed as the pointer moved over its drawing",
				"figure #quiet: no tooltip showed as the pointer moved over its drawing",
				"a JSON script that does not parse: #bad-options: ",
			}},
			{"pwned", []string{
				"window.__pwned is 1: a payload ran",
				`an element a payload would make: <img src="x" alt="">`,
				"a script that is not one of the site's files: src=/chartcheck/pwn.js",
				"\tsrc=/chartcheck/pwn.js\n\ttype=text/plain id=\nwant those it was built with:\n",
				`the page does not show "Chart self-test" as text`,
				"HTTP 404 Not Found for http://" + s.host + "/chartcheck/pwned/x (Image)",
				"browser log (network): Failed to load resource: the server responded with a status of 404 (Not Found) http://" + s.host + "/chartcheck/pwned/x",
			}},
		} {
			t.Run(tt.page, func(t *testing.T) {
				t.Parallel()
				key := tt.page + "/index.html"
				want := hostileWant{scripts: scriptTags(checks[key]), text: []string{"Chart self-test"}, tip: "Value"}
				faults := scriptFaults(want.scripts, checkFile, countOptions(want.scripts))
				_, more := pool.checkHostile(t, "http://"+s.host+chartCheckBase+tt.page+"/", want)
				expectFaults(t, append(faults, more...), tt.want)
			})
		}
	})
}

// testJavaScriptURLsRejected checks that a javascript: URL cannot get
// into a site through a dataset at all: the build stops with an error at
// the value, in a url column or as the source's url.
func testJavaScriptURLsRejected(t *testing.T) {
	fsys := miniSite(t, "hostile.txtar")
	fsys["data/links.yaml"] = &fstest.MapFile{Data: []byte(`title: Links
source: {name: Somebody, url: "javascript:window.__pwned=4"}
columns:
  - {name: name, type: string}
  - {name: link, type: url}
rows:
  - {name: fine, link: "https://example.org/"}
  - {name: script, link: "javascript:window.__pwned=4"}
  - {name: cased, link: "JavaScript:window.__pwned=4"}
`)}
	out, probs := buildSite(fsys, "http://127.0.0.1/hostile/")
	var got []string
	for _, p := range probs {
		got = append(got, p.String())
	}
	want := []string{
		`data/links.yaml:2:31: source url "javascript:window.__pwned=4" is not an absolute http or https URL such as https://example.org/`,
		`data/links.yaml:8:26: column "link": "javascript:window.__pwned=4" is not an absolute http or https URL such as https://example.org/`,
		`data/links.yaml:9:25: column "link": "JavaScript:window.__pwned=4" is not an absolute http or https URL such as https://example.org/`,
	}
	if out != nil || !slices.Equal(got, want) {
		t.Errorf("built: %t; problems:\n%s\nwant no site and:\n%s", out != nil, strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}
