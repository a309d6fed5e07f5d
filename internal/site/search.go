package site

import (
	"maps"
	"slices"
	"strings"

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
		d := search.Doc{URL: v.URL, Kind: v.Type, Title: v.Title, Summary: v.Summary, Date: v.Date.Format("2006-01-02"),
			Text: r.searchText(r.docs[b.Path].result.HTML)}
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
		docs = append(docs, search.Doc{URL: r.link("/" + p.Slug + "/"), Kind: "Page", Title: p.Title, Summary: p.Summary,
			Text: r.searchText(r.docs[p.Path].result.HTML)})
	}
	return docs
}

// searchIndex is the search index's files.
func (r *renderer) searchIndex() map[string][]byte {
	if c := r.site.opts.Cache; c != nil {
		return c.search.Build(r.searchDocs())
	}
	return search.Build(r.searchDocs())
}
