package site

import (
	"maps"
	"slices"
	"strings"
	"sync"

	"github.com/folio-ssg/folio/internal/search"
)

// searchDocs lists what /search/ finds: every brief of this build (with
// its headings, tags and body text), dataset, figure and other page.
func (r *renderer) searchDocs() []search.Doc {
	var docs []search.Doc
	for _, b := range r.briefs {
		v := r.briefView[b.Slug]
		if v.Draft {
			continue
		}
		d := search.Doc{URL: v.URL, Kind: v.Type, Title: v.Title, Summary: v.Summary, Date: v.Date.Format("2006-01-02")}
		r.setText(&d, r.docs[b.Path].result.HTML, v)
		for _, h := range r.docs[b.Path].result.Headings {
			d.Headings = append(d.Headings, h.Text)
		}
		for _, t := range v.Tags {
			d.Tags = append(d.Tags, t.Name)
		}
		docs = append(docs, d)
	}
	for _, ds := range r.site.Datasets {
		v := r.datasets[ds.Name]
		var cols []string
		for _, c := range v.Columns {
			cols = append(cols, c.Label)
		}
		docs = append(docs, search.Doc{URL: v.URL, Kind: "Dataset", Title: v.Title, Summary: v.Description,
			Text: strings.Join(append(cols, v.SourceName, v.Notes), " ")})
	}
	for _, id := range slices.Sorted(maps.Keys(r.figureByID)) {
		f := r.figureByID[id]
		docs = append(docs, search.Doc{URL: f.PageURL + "#" + f.ID, Kind: "Chart", Title: f.Title, Summary: f.Caption,
			Text: f.Summary + " " + f.PageTitle})
	}
	for _, p := range r.site.Pages {
		if p.Draft {
			continue
		}
		d := search.Doc{URL: r.link("/" + p.Slug + "/"), Kind: "Page", Title: p.Title, Summary: p.Summary}
		r.setText(&d, r.docs[p.Path].result.HTML, nil)
		docs = append(docs, d)
	}
	return docs
}

// setText sets the text of d to that of a page's body, html, which is
// brief's when not nil. Without a cache the text is made when the index
// reads the doc, so that the texts of all pages are not held at once,
// and the body is let go once read (release.go); a cache keys docs by
// their text.
func (r *renderer) setText(d *search.Doc, html []byte, brief *BriefView) {
	if r.site.opts.Cache != nil {
		d.Text = r.searchText(html)
		return
	}
	r.bodies.use(brief)
	d.TextOf = func() string {
		text := search.TextFromHTML(html)
		html = nil
		r.bodies.done(brief)
		return text
	}
}

// writeSearchIndex writes the search index of docs to the sink, each
// file as it is made, and returns their names.
func (r *renderer) writeSearchIndex(docs []search.Doc) []string {
	var mu sync.Mutex
	var names []string
	version, meta := search.Write(docs, func(name string, data []byte) {
		r.sink.write(search.Dir+search.Staging+name, data)
		mu.Lock()
		names = append(names, name)
		mu.Unlock()
	})
	for i, name := range names {
		names[i] = search.Dir + version + "/" + name
	}
	if len(names) > 0 {
		r.sink.rename(search.Dir+search.Staging, search.Dir+version)
	}
	r.sink.write(search.Dir+"meta.json", meta)
	return append(names, search.Dir+"meta.json")
}

// searchIndex is the search index's files.
func (r *renderer) searchIndex() map[string][]byte {
	if c := r.site.opts.Cache; c != nil {
		return c.search.Build(r.searchDocs())
	}
	return search.Build(r.searchDocs())
}
