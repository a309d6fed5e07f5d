package site

import (
	"bytes"
	"net/url"
	"os"
	"path"
	"strings"
	"testing"
	"unsafe"

	"golang.org/x/net/html"
)

// TestExampleSite builds the repository's own example site and checks
// every page as a reader's browser would meet it: it parses, every
// internal link and anchor resolves, and no template accident shows.
func TestExampleSite(t *testing.T) {
	s, probs := Load(os.DirFS("../.."), Options{})
	if s == nil || len(probs) > 0 {
		t.Fatalf("loading the example site:\n%v", probs.Sort())
	}
	out, st, probs := s.Render()
	if out == nil || len(probs) > 0 {
		t.Fatalf("rendering the example site:\n%v", probs.Sort())
	}
	if st.Briefs < 3 || st.Datasets < 3 {
		t.Errorf("example site has %d briefs and %d datasets; want at least 3 of each", st.Briefs, st.Datasets)
	}
	base := s.Config.BasePath()
	ids := map[string]map[string]bool{}
	for p, data := range out {
		if !strings.HasSuffix(p, ".html") {
			continue
		}
		ids[p] = pageIDs(t, p, data)
	}
	for p, data := range out {
		if !strings.HasSuffix(p, ".html") {
			continue
		}
		for _, bad := range []string{"ZgotmplZ", "<no value>", "&amp;amp;", "&amp;lt;", "&amp;gt;", "&amp;#", "&amp;quot;", "%!"} {
			if bytes.Contains(data, []byte(bad)) {
				t.Errorf("%s contains %q", p, bad)
			}
		}
		if !bytes.Contains(data, []byte(`<meta http-equiv="Content-Security-Policy" content="default-src 'self'; script-src 'self'; style-src 'self';`)) {
			t.Errorf("%s lacks the strict Content-Security-Policy", p)
		}
		if n := bytes.Count(data, []byte("<h1")); n != 1 {
			t.Errorf("%s has %d h1 elements; want 1", p, n)
		}
		walk(t, p, data, func(n *html.Node) { checkCSP(t, p, n) })
		for _, ref := range pageRefs(t, p, data) {
			u, err := url.Parse(ref)
			if err != nil {
				t.Errorf("%s: bad URL %q", p, ref)
				continue
			}
			if u.Scheme != "" || u.Host != "" {
				if u.Scheme != "https" && u.Scheme != "http" && u.Scheme != "mailto" {
					t.Errorf("%s: link with scheme %q: %s", p, u.Scheme, ref)
				}
				continue
			}
			target := p
			if u.Path != "" {
				if !strings.HasPrefix(u.Path, base) {
					t.Errorf("%s: link %q is outside the base path %s", p, ref, base)
					continue
				}
				target = strings.TrimPrefix(u.Path, base)
				if target == "" || strings.HasSuffix(target, "/") {
					target += "index.html"
				}
			}
			if _, ok := out[path.Clean(target)]; !ok {
				t.Errorf("%s: broken link %q", p, ref)
				continue
			}
			if u.Fragment != "" && !ids[target][u.Fragment] {
				t.Errorf("%s: link %q: no id %q in %s", p, ref, u.Fragment, target)
			}
		}
	}
}

// pageIDs parses a page and returns its ids, failing on duplicates.
func pageIDs(t *testing.T, p string, data []byte) map[string]bool {
	set := map[string]bool{}
	walk(t, p, data, func(n *html.Node) {
		for _, a := range n.Attr {
			if a.Key == "id" {
				if set[a.Val] {
					t.Errorf("%s: duplicate id %q", p, a.Val)
				}
				set[a.Val] = true
			}
		}
	})
	return set
}

// pageRefs returns every href and src of a page.
func pageRefs(t *testing.T, p string, data []byte) []string {
	var refs []string
	walk(t, p, data, func(n *html.Node) {
		for _, a := range n.Attr {
			if a.Key == "href" || a.Key == "src" {
				refs = append(refs, a.Val)
			}
		}
	})
	return refs
}

func walk(t *testing.T, p string, data []byte, f func(*html.Node)) {
	doc, err := html.Parse(bytes.NewReader(data))
	if err != nil {
		t.Fatalf("%s: %v", p, err)
	}
	var visit func(*html.Node)
	visit = func(n *html.Node) {
		if n.Type == html.ElementNode {
			f(n)
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			visit(c)
		}
	}
	visit(doc)
}

// checkCSP fails on what a strict Content-Security-Policy would block:
// inline styles and scripts, event-handler attributes.
func checkCSP(t *testing.T, p string, n *html.Node) {
	switch n.Data {
	case "style":
		t.Errorf("%s: <style> element; styles belong in templates/assets", p)
	case "script":
		src, typ := "", ""
		for _, a := range n.Attr {
			switch a.Key {
			case "src":
				src = a.Val
			case "type":
				typ = a.Val
			}
		}
		if src == "" && typ != "application/json" && typ != "application/ld+json" {
			t.Errorf("%s: inline <script>", p)
		}
	}
	for _, a := range n.Attr {
		if a.Key == "style" || strings.HasPrefix(a.Key, "on") {
			t.Errorf("%s: <%s %s=%q> would be blocked by a strict CSP", p, n.Data, a.Key, a.Val)
		}
	}
}

// renderExample renders the repository's example site.
func renderExample(t *testing.T) (*renderer, Output) {
	t.Helper()
	s, probs := Load(os.DirFS("../.."), Options{})
	if s == nil || len(probs) > 0 {
		t.Fatalf("loading the example site:\n%v", probs.Sort())
	}
	r, out, _, probs := s.render(nil, nil)
	if out == nil || len(probs) > 0 {
		t.Fatalf("rendering the example site:\n%v", probs.Sort())
	}
	return r, out
}

// TestFigureRenderedOnce: each figure of the example site is rendered
// once, for its page, and its embed page and its dataset's page show
// those same bytes.
func TestFigureRenderedOnce(t *testing.T) {
	r, out := renderExample(t)
	if len(r.figureByID) == 0 {
		t.Fatal("the example site has no figures")
	}
	base := r.site.Config.BasePath()
	for id, fv := range r.figureByID {
		if !strings.HasPrefix(string(fv.HTML), `<figure id="`+id+`"`) || !strings.HasSuffix(string(fv.HTML), "</figure>") {
			t.Errorf("figure %s: HTML is not the figure: %.80q", id, fv.HTML)
			continue
		}
		pages := []string{fv.PageURL, fv.EmbedURL}
		if fv.Dataset != nil {
			pages = append(pages, fv.Dataset.URL)
		}
		for _, u := range pages {
			page := out[outKey("/"+strings.TrimPrefix(u, base))]
			if n := bytes.Count(page, []byte(fv.HTML)); n != 1 {
				t.Errorf("figure %s: %s shows its HTML %d times, want once", id, u, n)
			}
		}
	}
}

// TestCardMetaInLists: each brief's card meta is rendered once, and the
// brief list shows it.
func TestCardMetaInLists(t *testing.T) {
	r, out := renderExample(t)
	list := out["briefs/index.html"]
	for _, b := range r.briefs {
		meta := r.briefView[b.Slug].CardMeta
		if !strings.HasPrefix(string(meta), `<p class="card__meta"><time datetime="`) {
			t.Errorf("%s: card meta is %.80q", b.Slug, meta)
		}
		if n := bytes.Count(list, []byte(meta)); n != 1 {
			t.Errorf("%s: the brief list shows its card meta %d times, want once", b.Slug, n)
		}
	}
}

// TestTableCellsRenderedOnce: every cell of the data tables, on dataset
// pages and in figures, is rendered by "table-cell" once per distinct
// cell, the same HTML wherever the cell is shown, and the pages show it.
func TestTableCellsRenderedOnce(t *testing.T) {
	r, out := renderExample(t)
	first := map[CellView]*byte{} // the bytes of each distinct cell's HTML
	check := func(where string, page []byte, rows [][]CellView) {
		t.Helper()
		for _, row := range rows {
			for _, c := range row {
				if !strings.HasPrefix(string(c.HTML), `<td class="col-`+c.Type) || !strings.HasSuffix(string(c.HTML), "</td>") {
					t.Fatalf("%s: cell %q has HTML %q", where, c.Text, c.HTML)
				}
				if !bytes.Contains(page, []byte(c.HTML)) {
					t.Errorf("%s: the page does not show cell %q", where, c.HTML)
				}
				key := c
				key.HTML = ""
				p := unsafe.StringData(string(c.HTML))
				if q, ok := first[key]; ok && q != p {
					t.Errorf("%s: cell %q was rendered again", where, c.Text)
				}
				first[key] = p
			}
		}
	}
	for name, d := range r.datasets {
		check(d.URL, out["data/"+name+"/index.html"], d.Rows)
	}
	if len(r.figureByID) == 0 {
		t.Fatal("the example site has no figures")
	}
	for _, fv := range r.figureByID {
		check(fv.ID, out[strings.TrimPrefix(fv.EmbedURL, r.site.Config.BasePath())+"index.html"], fv.Rows)
	}
}
