package site

import (
	"cmp"
	"maps"
	"slices"
	"strings"
	"sync"

	"github.com/folio-ssg/folio/internal/content"
	"github.com/folio-ssg/folio/internal/dataset"
)

// maxRelated is how many related briefs a brief page lists.
const maxRelated = 3

// latest is how many briefs the home page lists.
const latest = 10

// link returns the path inside the site for a site path such as "/briefs/".
func (r *renderer) link(p string) string {
	return r.site.Config.BasePath() + strings.TrimPrefix(p, "/")
}

func (r *renderer) buildViews() {
	cfg := r.site.Config
	r.sv = &SiteView{
		Title: cfg.Title, Description: cfg.Description,
		BaseURL: cfg.BaseURL.String(), BasePath: cfg.BasePath(),
		Language: cfg.Language, Publisher: cfg.Publisher, License: cfg.License,
		Drafts: r.site.opts.Drafts,
	}
	for _, m := range cfg.Menu {
		u := m.URL
		if strings.HasPrefix(u, "/") {
			u = r.link(u)
		}
		r.sv.Menu = append(r.sv.Menu, MenuView{Title: m.Title, URL: u})
	}
	if len(r.briefs) > 0 {
		r.sv.Year = r.briefs[0].Date.Year()
	}
	r.pageURLs = map[string]string{}

	r.authors = map[string]*AuthorView{}
	for _, a := range r.site.Authors {
		r.authors[a.Slug] = &AuthorView{Slug: a.Slug, URL: r.link("/authors/" + a.Slug + "/"),
			Name: a.Name, Role: a.Role, Affiliation: a.Affiliation}
		r.pageURLs[a.Path] = "/authors/" + a.Slug + "/"
	}

	tags := map[string]*TagView{}
	r.briefView = map[string]*BriefView{}
	for i, b := range r.briefs {
		v := r.briefViewOf(b)
		v.index = i
		r.briefView[b.Slug] = v
		r.pageURLs[b.Path] = "/briefs/" + b.Slug + "/"
		for _, a := range v.Authors {
			a.Briefs = append(a.Briefs, v)
		}
		for _, t := range b.Tags {
			slug := content.Slugify(t.Name)
			tv := tags[slug]
			if tv == nil {
				tv = &TagView{Name: t.Name, Slug: slug, URL: r.link("/tags/" + slug + "/")}
				tags[slug] = tv
				r.tags = append(r.tags, tv)
			}
			if !slices.Contains(v.Tags, tv) {
				v.Tags = append(v.Tags, tv)
				tv.Briefs = append(tv.Briefs, v)
			}
		}
		for _, name := range r.datasetsUsed(b.Path, r.usedData[b.Path]) {
			if dv := r.datasets[name]; dv != nil {
				v.Datasets = append(v.Datasets, dv)
				dv.Briefs = append(dv.Briefs, v)
			}
		}
	}
	slices.SortFunc(r.tags, func(a, b *TagView) int { return cmp.Compare(a.Slug, b.Slug) })
	for _, b := range r.briefs {
		v := r.briefView[b.Slug]
		names := make([]string, len(v.Authors))
		for i, a := range v.Authors {
			names[i] = a.Name
		}
		title := v.Title
		if v.Subtitle != "" {
			title += ": " + v.Subtitle
		}
		v.Citation = r.cite(b.Slug, "Report", names, title, v.Date, r.abs("/briefs/"+b.Slug+"/"))
	}
	for _, d := range r.site.Datasets {
		dv := r.datasets[d.Name]
		dv.Citation = r.cite(d.Name, "Dataset", nil, dv.Title, dv.Retrieved, r.abs("/data/"+d.Name+"/"))
	}
	r.relate()
	for _, p := range r.site.Pages {
		r.pageURLs[p.Path] = "/" + p.Slug + "/"
	}
	if r.site.Home != nil {
		r.pageURLs[r.site.Home.Path] = "/"
	}
}

func (r *renderer) briefViewOf(b *content.Brief) *BriefView {
	d := r.docs[b.Path]
	v := &BriefView{
		Slug: b.Slug, URL: r.link("/briefs/" + b.Slug + "/"),
		Title: b.Title, Subtitle: b.Subtitle, Summary: b.Summary, Type: b.Type,
		Date: b.Date, Updated: b.Updated, KeyPoints: b.KeyPoints,
		Body:      r.html(d.result.HTML),
		Draft:     !r.published(b),
		WordCount: r.wordCount(b),
	}
	for _, a := range b.Authors {
		v.Authors = append(v.Authors, r.authors[a.Name])
	}
	for _, l := range d.result.Links {
		if (strings.HasPrefix(l.Dest, "https://") || strings.HasPrefix(l.Dest, "http://")) && !slices.Contains(v.ExternalLinks, l.Dest) {
			v.ExternalLinks = append(v.ExternalLinks, l.Dest)
		}
	}
	for _, c := range b.Corrections {
		v.Corrections = append(v.Corrections, CorrectionView{Date: c.Date, Text: c.Text})
	}
	h2 := 0
	for _, h := range d.result.Headings {
		if h.Level == 2 {
			h2++
		}
	}
	if h2 >= 3 {
		v.TOC = d.result.Headings
	}
	return v
}

// datasetsUsed lists the datasets a document's charts and values use,
// then those it links to, in order of first mention.
func (r *renderer) datasetsUsed(srcPath string, names []string) []string {
	names = slices.Clone(names)
	for _, l := range r.docs[srcPath].result.Links {
		p, _, _ := strings.Cut(l.Dest, "#")
		rest, ok := strings.CutPrefix(p, "/data/")
		if !ok {
			continue
		}
		name := strings.TrimSuffix(strings.TrimSuffix(strings.TrimSuffix(rest, "/"), ".csv"), ".json")
		if _, ok := r.datasets[name]; ok && !slices.Contains(names, name) {
			names = append(names, name)
		}
	}
	return names
}

// relate sets every brief's Related, on all cores; with a Cache, from
// the last build when no brief's slug, date or tags changed since.
func (r *renderer) relate() {
	compute := func() [][]int {
		out := make([][]int, len(r.briefs))
		var scratch sync.Pool
		parallel(len(r.briefs), func(i int) {
			shared, _ := scratch.Get().(*[]int)
			if shared == nil {
				s := make([]int, len(r.briefs))
				shared = &s
			}
			for _, o := range r.related(r.briefView[r.briefs[i].Slug], *shared) {
				out[i] = append(out[i], o.index)
			}
			scratch.Put(shared)
		})
		return out
	}
	var related [][]int
	if c := r.site.opts.Cache; c != nil {
		k := newSum()
		for _, b := range r.briefs {
			k.str(b.Slug).u64(uint64(b.Date.UnixNano()))
			for _, t := range r.briefView[b.Slug].Tags {
				k.str(t.Slug)
			}
			k.u64(0)
		}
		related = memo(c, func(g *generation) map[uint64][][]int { return g.related }, k.sum(), compute)
	} else {
		related = compute()
	}
	for i, b := range r.briefs {
		v := r.briefView[b.Slug]
		for _, j := range related[i] {
			v.Related = append(v.Related, r.briefView[r.briefs[j].Slug])
		}
	}
}

// related lists briefs sharing tags with v: most shared tags first, then
// newest, then by slug, which is their order in r.briefs (and in every
// tag's Briefs). shared is scratch space indexed like r.briefs, all zero
// on entry and on return.
//
// A tag many briefs hold (every brief may hold one) would make this
// linear in the number of briefs for each brief, so the largest of v's
// tags is not walked: the briefs met in the others get its share by a
// binary search, and of those that share only it, the first few in its
// list are the best.
func (r *renderer) related(v *BriefView, shared []int) []*BriefView {
	if len(v.Tags) == 0 {
		return nil
	}
	tags := slices.Clone(v.Tags)
	slices.SortStableFunc(tags, func(a, b *TagView) int { return cmp.Compare(len(a.Briefs), len(b.Briefs)) })
	big := tags[len(tags)-1]
	var touched []int
	for _, t := range tags[:len(tags)-1] {
		for _, o := range t.Briefs {
			if o != v {
				if shared[o.index] == 0 {
					touched = append(touched, o.index)
				}
				shared[o.index]++
			}
		}
	}
	for _, i := range touched {
		if _, ok := slices.BinarySearchFunc(big.Briefs, i, func(o *BriefView, i int) int { return cmp.Compare(o.index, i) }); ok {
			shared[i]++
		}
	}
	met := len(touched)
	for _, o := range big.Briefs {
		if len(touched)-met == maxRelated {
			break
		}
		if o != v && shared[o.index] == 0 {
			shared[o.index] = 1
			touched = append(touched, o.index)
		}
	}
	better := func(a, b *BriefView) bool {
		if shared[a.index] != shared[b.index] {
			return shared[a.index] > shared[b.index]
		}
		return a.index < b.index
	}
	var top []*BriefView
	for _, i := range touched {
		o := r.briefView[r.briefs[i].Slug]
		pos := len(top)
		for pos > 0 && better(o, top[pos-1]) {
			pos--
		}
		if pos < maxRelated {
			top = slices.Insert(top, pos, o)
			top = top[:min(len(top), maxRelated)]
		}
	}
	for _, i := range touched {
		shared[i] = 0
	}
	return top
}

func (r *renderer) datasetView(d *dataset.Dataset) *DatasetView {
	v := &DatasetView{
		Name: d.Name, URL: r.link("/data/" + d.Name + "/"),
		CSV: r.link("/data/" + d.Name + ".csv"), JSON: r.link("/data/" + d.Name + ".json"),
		Title: d.Title, Description: d.Description,
		SourceName: d.Source.Name, SourceURL: d.Source.URL, Retrieved: d.Source.Retrieved,
		License: d.License, Notes: d.Notes, Illustrative: d.Illustrative,
	}
	all := make([]int, len(d.Columns))
	for i := range all {
		all[i] = i
	}
	v.Columns = columnViews(d, all)
	for i := range d.Rows {
		v.Rows = append(v.Rows, cellViews(d, i, all))
	}
	return v
}

// pageList lists every HTML page of the site with its view.
func (r *renderer) pageList() []page {
	cfg := r.site.Config
	r.draftPage = map[string]bool{}
	r.kindOf = map[string]string{}
	var pages []page
	add := func(sitePath, kind string, v *View) {
		v.Site, v.Kind = r.sv, kind
		v.URL = r.link(sitePath)
		v.Canonical = cfg.BaseURL.String() + strings.TrimPrefix(sitePath, "/")
		if v.Description == "" {
			v.Description = cfg.Description
		}
		out := strings.TrimPrefix(sitePath, "/") + "index.html"
		if kind == "404" {
			out = "404.html"
		}
		pages = append(pages, page{path: out, kind: kind, view: v})
		r.kindOf[out] = kind
		if v.Brief != nil && v.Brief.Draft {
			r.draftPage[out] = true
		}
	}
	all := make([]*BriefView, 0, len(r.briefs))
	for _, b := range r.briefs {
		all = append(all, r.briefView[b.Slug])
	}
	home := &View{Briefs: all[:min(len(all), latest)]}
	if h := r.site.Home; h != nil {
		home.Content = r.html(r.docs[h.Path].result.HTML)
		home.Description = h.Summary
	}
	if h := r.site.Home; h != nil {
		home.Figures = r.pageFigures(h.Path)
	}
	for _, d := range r.site.Datasets {
		home.Datasets = append(home.Datasets, r.datasets[d.Name])
	}
	add("/", "home", home)
	add("/briefs/", "briefs", &View{Title: "Briefs", Section: r.link("/briefs/"), Briefs: all,
		Description: "All briefs, newest first."})
	for _, b := range all {
		add("/briefs/"+b.Slug+"/", "brief", &View{Title: b.Title, Description: b.Summary, Section: r.link("/briefs/"), Brief: b, JSONLD: r.briefLD(b),
			Figures: r.pageFigures("content/briefs/" + b.Slug + ".md")})
	}
	for _, a := range r.site.Authors {
		av := r.authors[a.Slug]
		desc := av.Name
		if av.Role != "" {
			desc += ", " + av.Role
		}
		add("/authors/"+a.Slug+"/", "author", &View{Title: av.Name, Description: desc, Author: av, Briefs: av.Briefs,
			Content: r.html(r.docs[a.Path].result.HTML), Figures: r.pageFigures(a.Path)})
	}
	add("/tags/", "tags", &View{Title: "Topics", Section: r.link("/tags/"), Tags: r.tags, Description: "Every topic, with its briefs."})
	for _, t := range r.tags {
		add("/tags/"+t.Slug+"/", "tag", &View{Title: t.Name, Section: r.link("/tags/"), Tag: t, Briefs: t.Briefs,
			Description: "Briefs on " + t.Name + "."})
	}
	for _, p := range r.site.Pages {
		if p.Draft && !r.site.opts.Drafts {
			continue
		}
		if p.Draft {
			r.draftPage[p.Slug+"/index.html"] = true
		}
		add("/"+p.Slug+"/", "page", &View{Title: p.Title, Description: p.Summary, Section: r.link("/" + p.Slug + "/"),
			Content: r.html(r.docs[p.Path].result.HTML), Figures: r.pageFigures(p.Path)})
	}
	var dsv []*DatasetView
	for _, d := range r.site.Datasets {
		dsv = append(dsv, r.datasets[d.Name])
	}
	add("/data/", "datasets", &View{Title: "Data", Section: r.link("/data/"), Datasets: dsv,
		Description: "Every dataset behind the briefs, with sources and downloads."})
	for _, d := range dsv {
		desc := d.Description
		if desc == "" {
			desc = d.Title
		}
		add("/data/"+d.Name+"/", "dataset", &View{Title: d.Title, Description: desc, Section: r.link("/data/"), Dataset: d, JSONLD: r.datasetLD(d)})
	}
	for _, fv := range r.chartPages() {
		add("/charts/"+fv.ID+"/", "chart", &View{Title: fv.Title, Description: fv.Summary, Figure: fv, Figures: []*FigureView{fv}})
	}
	add("/search/", "search", &View{Title: "Search", Description: "Search the briefs, data and pages of " + cfg.Title + "."})
	add("/404.html", "404", &View{Title: "Page not found"})
	return pages
}

// columnViews describes the columns cols of d, in that order.
func columnViews(d *dataset.Dataset, cols []int) []ColumnView {
	out := make([]ColumnView, len(cols))
	for i, j := range cols {
		c := d.Columns[j]
		out[i] = ColumnView{Name: c.Name, Label: c.Label, Unit: c.Unit, Type: string(c.Type),
			Numeric: c.Type == dataset.Integer || c.Type == dataset.Number}
	}
	return out
}

// cellViews formats the cells cols of row r of d.
func cellViews(d *dataset.Dataset, r int, cols []int) []CellView {
	out := make([]CellView, len(cols))
	for i, j := range cols {
		c, col := d.Rows[r].Cells[j], d.Columns[j]
		cv := CellView{Type: string(col.Type), Text: d.Format(j, c), Numeric: col.Type == dataset.Integer || col.Type == dataset.Number, Null: c.Null}
		if !c.Null {
			switch col.Type {
			case dataset.Integer, dataset.Number, dataset.Date:
				cv.Value = c.Raw
			case dataset.URL:
				cv.URL = c.Raw
			}
		}
		out[i] = cv
	}
	return out
}

// pageFigures lists the figures drawn on the page of source path p.
func (r *renderer) pageFigures(p string) []*FigureView {
	var out []*FigureView
	for _, fv := range r.figures[p] {
		if fv != nil {
			out = append(out, fv)
		}
	}
	return out
}

// chartPages lists the figures of this build's pages by id, and files
// each under its dataset.
func (r *renderer) chartPages() []*FigureView {
	ids := slices.Sorted(maps.Keys(r.figureByID))
	out := make([]*FigureView, len(ids))
	for i, id := range ids {
		out[i] = r.figureByID[id]
	}
	return out
}
