package site

import (
	"bytes"
	"cmp"
	"fmt"
	"html/template"
	"maps"
	"runtime"
	"slices"
	"strings"
	"sync"
	"time"
	"unsafe"

	"github.com/folio-ssg/folio/internal/content"
	"github.com/folio-ssg/folio/internal/dataset"
	"github.com/folio-ssg/folio/internal/diag"
	"github.com/folio-ssg/folio/internal/markdown"
	"github.com/folio-ssg/folio/internal/search"
)

// Output is a rendered site: slash-separated paths below the site root
// ("briefs/x/index.html") to file contents.
type Output map[string][]byte

// Stats counts what a build produced, for the summary line.
type Stats struct {
	Pages, Briefs, Datasets, Charts, Files int
	PDFs, Images                           int // made in Chromium (editions.go)
}

// doc is one Markdown body to render, and where its result goes.
type doc struct {
	src    content.Source
	result markdown.Result
	err    error
	words  int      // the words of its Markdown
	md     rendered // with a cache: the conversion it keeps, before fill
}

// Render checks the loaded site as a whole and renders every page. The
// Output is nil when there is any error; warnings alone do not stop it.
func (s *Site) Render() (Output, Stats, diag.List) {
	_, o, st, probs := s.render(nil, nil)
	return o, st, probs
}

// render is Render, linking and adding the files in ed (editions.go) when
// it is not nil, and also returning the renderer. With a sink, the pages
// go to the sink as they render, and the Output holds the other files.
func (s *Site) render(ed Output, sk *sink) (r *renderer, out Output, st Stats, probs diag.List) {
	if c := s.opts.Cache; c != nil {
		defer func() { c.end(out != nil) }()
	}
	r = &renderer{site: s, out: Output{}, written: map[string]written{}, md: markdown.New(markdown.Options{
		AllowHTML: s.Config.AllowHTML,
		BasePath:  s.Config.BasePath(),
	}), editions: ed, sink: sk}
	r.selectPublished()
	r.checkAuthors(&probs)
	s.stage("rendering Markdown")
	r.renderMarkdown(&probs)
	r.buildDatasetViews()
	r.resolveEmbeds(&probs)
	r.linkImages()
	if probs.Errors() > 0 {
		return r, nil, Stats{}, probs
	}
	r.renderCells(&probs)
	r.fillMarkers(&probs)
	if probs.Errors() > 0 {
		return r, nil, Stats{}, probs
	}
	r.buildViews()
	r.linkPDFs()
	s.stage("rendering pages")
	r.renderCards(&probs)
	pages := r.pageList()
	var docs []search.Doc
	if r.sink != nil {
		// Every reader of a body is counted before any is done.
		r.bodies = r.trackBodies(pages)
		docs = r.searchDocs()
		r.bodies.start()
		r.writeAssets()
	}
	// The feeds and the search index need the views, not the pages: they
	// are made on the side while the pages render, using the cores the
	// last, largest pages leave idle.
	var feedXML, feedJSON []byte
	var index map[string][]byte
	var indexed []string // with a sink: the files written on the side
	side := make(chan struct{})
	go func() {
		defer close(side)
		feedXML, feedJSON = r.atom(), r.jsonFeed()
		if r.sink != nil {
			// Written here, while the pages still render, and let go.
			r.sink.write("feed.xml", feedXML)
			r.sink.write("feed.json", feedJSON)
			feedXML, feedJSON = nil, nil
			indexed = append(r.writeSearchIndex(docs), "feed.xml", "feed.json")
		} else {
			index = r.searchIndex()
		}
	}()
	if probs.Errors() == 0 {
		r.renderPages(pages, &probs)
	}
	<-side
	if probs.Errors() > 0 {
		return r, nil, Stats{}, probs
	}
	r.writeData()
	if r.sink == nil {
		r.out["feed.xml"], r.out["feed.json"] = feedXML, feedJSON
	}
	r.writeSitemap()
	for _, k := range indexed {
		r.written[k] = written{}
	}
	maps.Copy(r.out, index)
	r.writeHosting()
	r.addEditions()
	s.stage("checking links")
	r.checkLinks(&probs)
	if probs.Errors() > 0 {
		return r, nil, Stats{}, probs
	}
	st = Stats{Pages: r.pages, Briefs: len(r.briefs), Datasets: len(s.Datasets), Charts: len(r.figureByID), Files: len(r.out) + len(r.written)}
	return r, r.out, st, probs
}

type renderer struct {
	site     *Site
	md       *markdown.Renderer
	out      Output
	editions Output  // PDFs and chart images made in a browser; nil: none
	sink     *sink   // when set, pages go there as they render, not to out
	bodies   *bodies // with a sink: the briefs' bodies still to be read (release.go)
	written  map[string]written

	briefs []*content.Brief // published (or all, with -drafts), newest first
	pages  int

	docs      map[string]*doc // by source path
	sv        *SiteView
	briefView map[string]*BriefView
	authors   map[string]*AuthorView
	tags      []*TagView
	datasets  map[string]*DatasetView
	pageURLs  map[string]string // source path -> site path ("/briefs/x/") of its page

	byName     map[string]*dataset.Dataset
	pagesOf    map[string]docPage
	figures    map[string][]*FigureView // source path -> its figures by chart index (nil: broken)
	figureByID map[string]*FigureView   // figures on pages of this build
	usedData   map[string][]string      // source path -> datasets its charts and values use
	draftPage  map[string]bool          // output paths of drafts shown by -drafts: kept out of the sitemap
	kindOf     map[string]string        // output path of each HTML page -> its kind
}

func (r *renderer) today() time.Time {
	t := r.site.opts.Today
	if t.IsZero() {
		t = time.Now()
	}
	return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC)
}

// published reports whether a brief is public today.
func (r *renderer) published(b *content.Brief) bool {
	return !b.Draft && (b.PublishDate.IsZero() || !b.PublishDate.After(r.today()))
}

func (r *renderer) selectPublished() {
	for _, b := range r.site.Briefs {
		if r.site.opts.Drafts || r.published(b) {
			r.briefs = append(r.briefs, b)
		}
	}
	slices.SortFunc(r.briefs, newestFirst)
}

func newestFirst(a, b *content.Brief) int {
	if c := b.Date.Compare(a.Date); c != 0 {
		return c
	}
	return cmp.Compare(a.Slug, b.Slug)
}

func (r *renderer) checkAuthors(probs *diag.List) {
	known := map[string]bool{}
	for _, a := range r.site.Authors {
		known[a.Slug] = true
	}
	for _, b := range r.site.Briefs {
		for _, a := range b.Authors {
			if !known[a.Name] {
				probs.Add(b.Path, a.Line, a.Col, "unknown author %q: there is no content/authors/%s.md", a.Name, a.Name)
			}
		}
	}
}

// renderMarkdown converts every body on all cores. Drafts left out of the
// build are still converted, so check finds their problems too.
//
// A build that streams its pages lets go of each source's body and front
// matter tree once converted, having counted its words, so that it never
// holds every source file: nothing else reads them, and that rendering
// is the last use of its Site.
func (r *renderer) renderMarkdown(probs *diag.List) {
	var srcs []*content.Source
	if h := r.site.Home; h != nil {
		srcs = append(srcs, &h.Source)
	}
	for _, p := range r.site.Pages {
		srcs = append(srcs, &p.Source)
	}
	for _, b := range r.site.Briefs {
		srcs = append(srcs, &b.Source)
	}
	for _, a := range r.site.Authors {
		srcs = append(srcs, &a.Source)
	}
	docs := make([]doc, len(srcs))
	var key uint64
	if c := r.site.opts.Cache; c != nil {
		key = newSum().str(r.site.Config.BasePath()).bool(r.site.Config.AllowHTML).sum()
	}
	parallel(len(srcs), func(i int) {
		src := srcs[i]
		render := func() rendered {
			res, err := r.md.Render(src.Body, src.BodyLine)
			return rendered{result: res, err: err, words: countWords(src.Body)}
		}
		var out rendered
		if c := r.site.opts.Cache; c != nil {
			// Keyed by the body's bytes themselves: an unchanged file's
			// parse, and so its body, comes from the cache.
			k := mdKey{opts: key, line: src.BodyLine, n: len(src.Body)}
			if k.n > 0 {
				k.at = &src.Body[0]
			}
			out = memo(c, func(g *generation) map[mdKey]rendered { return g.md }, k, func() rendered {
				out := render()
				if h := out.result.HTML; len(h) > 0 {
					out.hash = longHash(unsafe.String(&h[0], len(h)))
				}
				return out
			})
			docs[i].md = out
		} else {
			out = render()
		}
		if r.sink != nil {
			src.Body, src.Meta = nil, nil
		}
		docs[i].src = *src
		docs[i].result, docs[i].err, docs[i].words = out.result, out.err, out.words
	})
	r.docs = make(map[string]*doc, len(docs))
	for i := range docs {
		d := &docs[i]
		if d.err != nil {
			probs.Add(d.src.Path, d.src.BodyLine, 0, "%v", d.err)
		}
		r.docs[d.src.Path] = d
	}
}

// parallel calls f(0..n-1) on all cores.
func parallel(n int, f func(int)) {
	workers := min(runtime.GOMAXPROCS(0), n)
	var wg sync.WaitGroup
	next := make(chan int)
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				f(i)
			}
		}()
	}
	for i := range n {
		next <- i
	}
	close(next)
	wg.Wait()
}

// page is one HTML page to render.
type page struct {
	path string // output path, e.g. "briefs/x/index.html"
	kind string
	view *View
}

func (r *renderer) renderPages(pages []page, probs *diag.List) {
	sets := map[string]*template.Template{}
	for _, k := range kinds {
		t, err := r.site.kindTemplate(k)
		if err != nil {
			file, line, msg := templateError("templates/"+k+".html", err)
			probs.Add(file, line, 0, "%s", msg)
			return
		}
		sets[k] = t
	}
	errs := make([]error, len(pages))
	bufs := make([][]byte, len(pages))
	var kept []written
	base := r.site.Config.BasePath()
	if r.sink != nil {
		kept = make([]written, len(pages))
	}
	c := r.site.opts.Cache
	var reads map[string]*readNode
	var key uint64
	var fpm *fpMemo
	if c != nil {
		reads, key = r.pageReads(sets)
		fpm = newFPMemo(r.keptHTML())
	}
	parallel(len(pages), func(i int) {
		p := pages[i]
		var fp uint64
		if c != nil {
			fp = newSum().u64(key).str(p.kind).u64(fingerprint(reads[p.kind], p.view, fpm)).sum()
			if m, ok := recall(c, pageMemos, p.path); ok && m.fp == fp {
				bufs[i] = m.data
				return
			}
		}
		b := pageBuffers.Get().(*bytes.Buffer)
		b.Reset()
		errs[i] = sets[p.kind].Execute(b, p.view)
		r.bodies.rendered(p)
		if r.sink != nil {
			// Written now, and only its links and ids kept.
			if errs[i] == nil {
				from := "/" + strings.TrimSuffix(p.path, "index.html")
				ids := joinIDs(b.Bytes())
				kept[i] = written{keptRefs(p.path, refsOf(b.Bytes(), from, base), func() map[string]bool { return idSet(ids) }), ids}
				r.sink.write(p.path, b.Bytes())
			}
			pageBuffers.Put(b)
			return
		}
		// Kept until the site is written, as an exact copy: no page
		// keeps spare room.
		bufs[i] = bytes.Clone(b.Bytes())
		pageBuffers.Put(b)
		if c != nil && errs[i] == nil {
			keep(c, pageMemos, p.path, pageMemo{fp, bufs[i]})
		}
	})
	// One template mistake fails every page of its kind: report it once.
	type failure struct {
		file string
		line int
		msg  string
	}
	failed := map[failure][]string{}
	var order []failure
	for i, p := range pages {
		if errs[i] != nil {
			file, line, msg := templateError("templates/"+p.kind+".html", errs[i])
			f := failure{file, line, msg}
			if failed[f] == nil {
				order = append(order, f)
			}
			failed[f] = append(failed[f], "/"+strings.TrimSuffix(p.path, "index.html"))
			continue
		}
		if r.sink != nil {
			r.written[p.path] = kept[i]
			continue
		}
		r.out[p.path] = bufs[i]
	}
	for _, f := range order {
		where := failed[f][0]
		if n := len(failed[f]) - 1; n > 0 {
			where += fmt.Sprintf(" (and %d more)", n)
		}
		probs.Add(f.file, f.line, 0, "rendering %s: %s", where, f.msg)
	}
	r.pages = len(pages)
	if r.sink == nil {
		for _, a := range r.site.Assets {
			r.out["assets/"+a.Hashed] = a.Data
		}
	}
}

// keptHTML is the hashes of the bodies whose HTML is the cache's, as
// converted (not filled with figures or shortcodes since), by address.
func (r *renderer) keptHTML() map[strKey]uint64 {
	known := make(map[strKey]uint64, len(r.docs))
	for _, d := range r.docs {
		if h := d.result.HTML; len(h) > sumBlock/10 && len(h) == len(d.md.result.HTML) && &h[0] == &d.md.result.HTML[0] {
			known[strKey{&h[0], len(h)}] = d.md.hash
		}
	}
	return known
}

func pageMemos(g *generation) map[string]pageMemo { return g.pages }

func cardMemos(g *generation) map[uint64]template.HTML { return g.cards }

// pageBuffers are scratch buffers for rendering pages.
var pageBuffers = sync.Pool{New: func() any { return new(bytes.Buffer) }}

// pageReads returns what the templates of each kind read of their View,
// found once per set of templates, and a key for everything else a page's
// bytes depend on: the templates, and what the template functions use
// (the base path and the assets' hashed names).
func (r *renderer) pageReads(sets map[string]*template.Template) (map[string]*readNode, uint64) {
	key := r.templatesKey()
	c := r.site.opts.Cache
	if c.next.readsKey != key || len(c.next.reads) != len(sets) {
		c.next.reads = make(map[string]*readNode, len(sets))
		for kind, t := range sets {
			c.next.reads[kind] = readsOf(t)
		}
		c.next.readsKey = key
	}
	return c.next.reads, key
}

// templatesKey identifies the templates and what the template functions
// use: the base path and the assets' hashed names.
func (r *renderer) templatesKey() uint64 {
	k := newSum().u64(r.site.tmplSum.sum()).str(r.site.Config.BasePath())
	for _, a := range r.site.Assets {
		k.str(a.Name).str(a.Hashed)
	}
	return k.sum()
}

// writeAssets writes the assets to the sink and lets go of their bytes:
// that rendering is the last use of its Site.
func (r *renderer) writeAssets() {
	for i, a := range r.site.Assets {
		k := "assets/" + a.Hashed
		r.sink.write(k, a.Data)
		r.written[k] = written{}
		r.site.Assets[i].Data = nil
	}
}

func (r *renderer) writeData() {
	for _, d := range r.site.Datasets {
		r.out["data/"+d.Name+".csv"] = d.CSV()
		r.out["data/"+d.Name+".json"] = d.JSON()
	}
}

// renderCards renders the card meta of every brief (BriefView.CardMeta)
// on all cores, when the templates define "brief-card-meta". Like a page
// kind's, one template mistake is reported once.
func (r *renderer) renderCards(probs *diag.List) {
	t, err := r.site.kindTemplate("briefs")
	if err != nil {
		return // renderPages reports it
	}
	card := t.Lookup("brief-card-meta")
	if card == nil {
		return
	}
	c := r.site.opts.Cache
	var reads *readNode
	var key uint64
	var fpm *fpMemo
	if c != nil {
		if key = r.templatesKey(); c.next.cardReads == nil || c.next.cardKey != key {
			c.next.cardReads, c.next.cardKey = readsOf(card), key
		}
		reads, fpm = c.next.cardReads, newFPMemo(nil)
	}
	errs := make([]error, len(r.briefs))
	parallel(len(r.briefs), func(i int) {
		v := r.briefView[r.briefs[i].Slug]
		var fp uint64
		if c != nil {
			fp = newSum().u64(key).u64(fingerprint(reads, v, fpm)).sum()
			if html, ok := recall(c, cardMemos, fp); ok {
				v.CardMeta = html
				return
			}
		}
		b := pageBuffers.Get().(*bytes.Buffer)
		b.Reset()
		errs[i] = card.Execute(b, v)
		v.CardMeta = template.HTML(b.String())
		pageBuffers.Put(b)
		if c != nil && errs[i] == nil {
			keep(c, cardMemos, fp, v.CardMeta)
		}
	})
	if i, more := firstFailure(errs); i >= 0 {
		file, line, msg := templateError("templates/partials.html", errs[i])
		probs.Add(file, line, 0, "rendering the card of /briefs/%s/%s: %s", r.briefs[i].Slug, more, msg)
	}
}

// firstFailure is the index of the first error of errs, -1 if none, and
// " (and N more)" when there are others: a template mistake fails every
// item it renders, and is reported once.
func firstFailure(errs []error) (first int, more string) {
	first, n := -1, 0
	for i, err := range errs {
		if err != nil {
			if first < 0 {
				first = i
			}
			n++
		}
	}
	if n > 1 {
		more = fmt.Sprintf(" (and %d more)", n-1)
	}
	return first, more
}
