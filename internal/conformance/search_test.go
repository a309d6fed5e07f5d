package conformance

import (
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

// A searchResult is one result as the page shows it.
type searchResult struct {
	Kind, Title, Href, Date, Excerpt string
	Marks                            []string // the text of every <mark>
}

// searchState is what the page shows: its status line, results and
// address, and the element that has focus.
type searchState struct {
	Status  string
	Results []searchResult
	URL     string
	Focus   string
}

const readSearch = `(() => ({
	Status: document.getElementById("search-status").textContent,
	Results: [...document.querySelectorAll("#search-list > li")].map(li => ({
		Kind: (li.querySelector(".search-result__kind") || {}).textContent || "",
		Title: li.querySelector("h2").textContent,
		Href: li.querySelector("h2 a").getAttribute("href"),
		Date: (li.querySelector("time") || {}).textContent || "",
		Excerpt: (li.querySelector(".search-result__excerpt") || {}).textContent || "",
		Marks: [...li.querySelectorAll("mark")].map(m => m.textContent),
	})),
	URL: location.href,
	Focus: document.activeElement ? document.activeElement.outerHTML.slice(0, 200) : "",
}))()`

// waitSearch waits until the status line says want, and returns the page.
func (tb *tab) waitSearch(want string) (searchState, error) {
	var st searchState
	for deadline := time.Now().Add(15 * time.Second); time.Now().Before(deadline); {
		var err error
		st, err = chromedp.Run(tb.ctx, chromedp.Evaluate[searchState](readSearch))
		if err != nil {
			return st, err
		}
		if strings.Contains(st.Status, want) {
			return st, nil
		}
		time.Sleep(50 * time.Millisecond)
	}
	return st, fmt.Errorf("status line %q, want it to say %q", st.Status, want)
}

// TestBrowserSearch searches the example site in Chromium as a reader
// does: it types a word found only in a brief's body and a dataset's
// title, and opens the page with ?q=, and checks the results, the
// highlighted words, the address, the keyboard, WCAG (axe-core, in both
// colour schemes) and that nothing went wrong in the browser.
func TestBrowserSearch(t *testing.T) {
	axeSrc := axeSource(t)
	browser(t)
	s := served(t)
	if _, ok := s.out["search/index.html"]; !ok {
		t.Fatal("the example site has no search page")
	}
	base := s.base
	tb, err := openTab(t, s.host)
	if err != nil {
		t.Fatal(err)
	}
	defer tb.close()

	type want struct {
		href  string // a result links here
		mark  string // and marks this word in it
		first bool   // as the first result
	}
	tests := []struct {
		name, typed string
		want        want
	}{
		{"body word", "remarkable", want{siteBase + "briefs/ai-chip-market-and-leverage/", "remarkable", true}},
		{"dataset title", "NVIDIA data-center revenue", want{siteBase + "data/nvidia_datacenter_revenue/", "NVIDIA", false}},
		{"word being typed", "remarka", want{siteBase + "briefs/ai-chip-market-and-leverage/", "remarkable", true}},
		{"accents folded", "RÉMARKABLE ", want{siteBase + "briefs/ai-chip-market-and-leverage/", "remarkable", true}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := tb.load(base+"search/", "light", 1280); err != nil {
				t.Fatal(err)
			}
			if err := chromedp.Do(tb.ctx, chromedp.SendKeys(chromedp.ID("search-input"), tt.typed)); err != nil {
				t.Fatal(err)
			}
			st, err := tb.waitSearch(" for “" + strings.TrimSpace(tt.typed) + "”")
			if err != nil {
				t.Fatal(err)
			}
			checkResults(t, st, tt.want.href, tt.want.mark, tt.want.first)
			if u, err := url.Parse(st.URL); err != nil || u.Query().Get("q") != tt.typed {
				t.Errorf("address %s, want ?q=%s", st.URL, url.QueryEscape(tt.typed))
			}
			for _, p := range tb.Problems() {
				t.Error(p)
			}
		})
	}

	t.Run("address and keyboard", func(t *testing.T) {
		q := "Worldwide AI chip sales"
		if _, err := tb.load(base+"search/?q="+url.QueryEscape(q), "light", 1280); err != nil {
			t.Fatal(err)
		}
		st, err := tb.waitSearch(" for “" + q + "”")
		if err != nil {
			t.Fatal(err)
		}
		checkResults(t, st, siteBase+"data/ai_chip_sales/", "Worldwide", false)
		// The arrow keys go from the box to the results and back.
		err = chromedp.Do(tb.ctx,
			chromedp.Focus(chromedp.ID("search-input")),
			chromedp.KeyEvent(kb.ArrowDown),
		)
		if err != nil {
			t.Fatal(err)
		}
		st, _ = chromedp.Run(tb.ctx, chromedp.Evaluate[searchState](readSearch))
		if want := `href="` + st.Results[0].Href + `"`; !strings.Contains(st.Focus, want) {
			t.Errorf("after ArrowDown the focus is on %s, want the first result's link (%s)", st.Focus, want)
		}
		if err := chromedp.Do(tb.ctx, chromedp.KeyEvent(kb.ArrowUp)); err != nil {
			t.Fatal(err)
		}
		st, _ = chromedp.Run(tb.ctx, chromedp.Evaluate[searchState](readSearch))
		if !strings.Contains(st.Focus, `id="search-input"`) {
			t.Errorf("after ArrowUp the focus is on %s, want the search box", st.Focus)
		}
		screenshot(t, tb, "search-desktop.png")
		for i, scheme := range schemes {
			if err := setScheme(tb.ctx, scheme); err != nil {
				t.Fatal(err)
			}
			res, err := tb.axe(axeSrc, i > 0)
			if err != nil {
				t.Fatal(err)
			}
			for _, v := range res.Violations {
				t.Errorf("%s scheme: %s", scheme, v)
			}
		}
		for _, p := range tb.Problems() {
			t.Error(p)
		}
	})

	t.Run("phone", func(t *testing.T) {
		q := "export controls"
		_, err := tb.load(base+"search/?q="+url.QueryEscape(q), "light", 390, chromedp.EmulateMobile, chromedp.EmulateTouch)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := tb.waitSearch(" for “" + q + "”"); err != nil {
			t.Fatal(err)
		}
		screenshot(t, tb, "search-phone.png")
		for _, p := range tb.Problems() {
			t.Error(p)
		}
	})

	t.Run("stop words", func(t *testing.T) {
		// Read from the address before meta.json, which lists them.
		if _, err := tb.load(base+"search/?q=the+remarkable", "light", 1280); err != nil {
			t.Fatal(err)
		}
		st, err := tb.waitSearch(" for “the remarkable”")
		if err != nil {
			t.Fatal(err)
		}
		checkResults(t, st, siteBase+"briefs/ai-chip-market-and-leverage/", "remarkable", true)
		if err := chromedp.Do(tb.ctx, chromedp.Evaluate[chromedp.Void](`document.getElementById("search-input").value = ""`),
			chromedp.SendKeys(chromedp.ID("search-input"), "the and ")); err != nil {
			t.Fatal(err)
		}
		if _, err := tb.waitSearch("Nothing to search for in “the and”"); err != nil {
			t.Fatal(err)
		}
		for _, p := range tb.Problems() {
			t.Error(p)
		}
	})

	t.Run("no results", func(t *testing.T) {
		if _, err := tb.load(base+"search/?q=zzxqv", "light", 1280); err != nil {
			t.Fatal(err)
		}
		st, err := tb.waitSearch("No results for “zzxqv”")
		if err != nil {
			t.Fatal(err)
		}
		if len(st.Results) != 0 {
			t.Errorf("%d results for a word on no page", len(st.Results))
		}
		for _, p := range tb.Problems() {
			t.Error(p)
		}
	})
}

// checkResults checks that a result links to href (the first, if first)
// and that every result has a title, a kind and a <mark>, and the one
// for href marks word.
func checkResults(t *testing.T, st searchState, href, word string, first bool) {
	t.Helper()
	if len(st.Results) == 0 {
		t.Fatalf("no results; status %q", st.Status)
	}
	found := -1
	for i, r := range st.Results {
		if r.Title == "" || r.Kind == "" || len(r.Marks) == 0 {
			t.Errorf("result %d lacks a title, kind or <mark>: %+v", i+1, r)
		}
		if r.Href == href && found < 0 {
			found = i
		}
	}
	if found < 0 {
		t.Fatalf("no result links to %s; got %+v", href, st.Results)
	}
	if first && found != 0 {
		t.Errorf("%s is result %d, want the first; got %+v", href, found+1, st.Results)
	}
	r := st.Results[found]
	marked := false
	for _, m := range r.Marks {
		marked = marked || strings.EqualFold(m, word)
	}
	if !marked {
		t.Errorf("result %s marks %q, want %q among them", href, r.Marks, word)
	}
	t.Logf("%q: %d results; %s is result %d: %s %q (%s) marks %q; excerpt %q",
		st.Status, len(st.Results), href, found+1, r.Kind, r.Title, r.Date, r.Marks, r.Excerpt)
}

// screenshot saves the tab's whole page into screenshots/ (ignored by
// git) for a person to look at, as TestBrowserScreenshots does.
func screenshot(t *testing.T, tb *tab, name string) {
	t.Helper()
	png, err := chromedp.Run(tb.ctx, chromedp.FullScreenshot(100))
	if err != nil {
		t.Error(err)
		return
	}
	if err := os.MkdirAll("screenshots", 0o755); err != nil {
		t.Error(err)
		return
	}
	if err := os.WriteFile(filepath.Join("screenshots", name), png, 0o644); err != nil {
		t.Error(err)
	}
}
