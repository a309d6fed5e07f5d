package conformance

import (
	"cmp"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/chromedp/chromedp"
)

// A sitePage is one HTML page of the example site and where a reader
// meets it.
type sitePage struct {
	key    string // its Output key, "briefs/x/index.html"
	url    string
	status int64 // the HTTP status it comes with
}

// sitePages lists every HTML page of the served site, sorted. The 404 page
// is reached as readers reach it, at an address that does not exist.
func sitePages(s *server) []sitePage {
	var pages []sitePage
	for key := range s.out {
		switch {
		case key == "404.html":
			pages = append(pages, sitePage{key, s.base + "no-such-page/", 404})
		case strings.HasSuffix(key, ".html"):
			u := s.base + strings.TrimSuffix(key, "index.html")
			pages = append(pages, sitePage{key, u, 200})
		}
	}
	slices.SortFunc(pages, func(a, b sitePage) int { return cmp.Compare(a.key, b.key) })
	return pages
}

// schemes are the colour schemes every page is checked in: the site has
// a palette for each, and contrast must hold in both.
var schemes = []string{"light", "dark"}

// A pageReport is what the browser found on one page.
type pageReport struct {
	status   int64
	problems []string             // see tab
	axe      map[string]axeResult // by colour scheme
}

// checkPage loads u in the tab at desktop width, scrolls through it, and
// runs axe-core: every rule in the light scheme, then the rules about
// colour again in the dark one.
func checkPage(tb *tab, u, axeSrc string) (pageReport, error) {
	status, err := tb.load(u, schemes[0], 1280)
	if err != nil {
		return pageReport{}, err
	}
	if err := tb.scroll(); err != nil {
		return pageReport{}, fmt.Errorf("scrolling %s: %w", u, err)
	}
	r := pageReport{status: status, axe: map[string]axeResult{}}
	for i, scheme := range schemes {
		if err := setScheme(tb.ctx, scheme); err != nil {
			return pageReport{}, err
		}
		res, err := tb.axe(axeSrc, i > 0)
		if err != nil {
			return pageReport{}, fmt.Errorf("%s, %s scheme: %w", u, scheme, err)
		}
		r.axe[scheme] = res
	}
	r.problems = tb.Problems()
	return r, nil
}

// check checks one page with a tab of the pool.
func (p *tabPool) check(t testing.TB, u, axeSrc string) pageReport {
	t.Helper()
	tb := p.get(t)
	r, err := checkPage(tb, u, axeSrc)
	p.put(tb, err)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// TestBrowserPages visits every page of the example site in headless
// Chromium and fails on anything a reader's browser would complain about
// or a WCAG 2.1 AA rule of axe-core finds, in either colour scheme.
func TestBrowserPages(t *testing.T) {
	axeSrc := axeSource(t)
	browser(t)
	s := served(t)
	pages := sitePages(s)
	pool := newTabPool(t, s.host, runtime.GOMAXPROCS(0))
	var (
		mu    sync.Mutex
		rules = map[string]map[string]bool{} // scheme -> rule ids
	)
	t.Run("page", func(t *testing.T) {
		for _, p := range pages {
			t.Run(p.key, func(t *testing.T) {
				t.Parallel()
				r := pool.check(t, p.url, axeSrc)
				if r.status != p.status {
					t.Errorf("%s: HTTP status %d, want %d", p.url, r.status, p.status)
				}
				for _, msg := range r.problems {
					t.Errorf("%s: %s", p.url, msg)
				}
				for _, scheme := range schemes {
					for _, v := range r.axe[scheme].Violations {
						t.Errorf("%s, %s scheme: %s", p.url, scheme, v)
					}
				}
				mu.Lock()
				defer mu.Unlock()
				for _, scheme := range schemes {
					if rules[scheme] == nil {
						rules[scheme] = map[string]bool{}
					}
					for _, id := range r.axe[scheme].Rules {
						rules[scheme][id] = true
					}
				}
			})
		}
	})
	t.Logf("checked %d pages; axe-core ran %d rules (tags %s) on each in the light scheme, and %d about colour in the dark",
		len(pages), len(rules[schemes[0]]), strings.Join(axeTags, ", "), len(rules[schemes[1]]))
}

// TestBrowserScreenshots saves full-page screenshots of one page of each
// main kind at desktop and phone widths into screenshots/ (ignored by
// git) for a person to look at.
func TestBrowserScreenshots(t *testing.T) {
	browser(t)
	s := served(t)
	dir := "screenshots"
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	shots := []struct {
		name, url string
		status    int64
	}{
		{"home", s.base, 200},
		{"brief", s.base + longest(s.out, "briefs/"), 200},
		{"dataset", s.base + longest(s.out, "data/"), 200},
		{"404", s.base + "no-such-page/", 404},
	}
	widths := []struct {
		name  string
		width int64
		opts  []chromedp.EmulateViewportOption
	}{
		{"desktop", 1280, nil},
		{"phone", 390, []chromedp.EmulateViewportOption{chromedp.EmulateMobile, chromedp.EmulateTouch}},
	}
	t.Run("shot", func(t *testing.T) {
		for _, shot := range shots {
			t.Run(shot.name, func(t *testing.T) {
				t.Parallel()
				tb, err := openTab(t, s.host)
				if err != nil {
					t.Fatal(err)
				}
				defer tb.close()
				for _, w := range widths {
					status, err := tb.load(shot.url, "light", w.width, w.opts...)
					if err != nil {
						t.Fatal(err)
					}
					if status != shot.status {
						t.Errorf("%s: HTTP status %d, want %d", shot.url, status, shot.status)
					}
					// Scroll first, so that what starts when seen, such as a chart, shows.
					if err := tb.scroll(); err != nil {
						t.Fatal(err)
					}
					png, err := chromedp.Run(tb.ctx, chromedp.FullScreenshot(100))
					if err != nil {
						t.Fatalf("screenshot of %s: %v", shot.url, err)
					}
					name := filepath.Join(dir, shot.name+"-"+w.name+".png")
					if err := os.WriteFile(name, png, 0o644); err != nil {
						t.Fatal(err)
					}
					for _, msg := range tb.Problems() {
						t.Errorf("%s, %s: %s", shot.url, w.name, msg)
					}
				}
			})
		}
	})
	abs, _ := filepath.Abs(dir)
	t.Logf("screenshots in %s", abs)
}

// longest returns the path below the site root of the longest page just
// below dir ("briefs/x/"): the one that shows the most of its kind.
func longest(out map[string][]byte, dir string) string {
	best := ""
	for key, data := range out {
		slug, ok := strings.CutSuffix(strings.TrimPrefix(key, dir), "/index.html")
		if !strings.HasPrefix(key, dir) || !ok || strings.Contains(slug, "/") {
			continue
		}
		if n, m := len(data), len(out[best+"index.html"]); n > m || n == m && key < best {
			best = dir + slug + "/"
		}
	}
	return best
}
