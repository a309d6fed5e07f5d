package site

import (
	"bytes"
	"fmt"
	"html/template"
	"maps"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/folio-ssg/folio/internal/chart"
	"github.com/folio-ssg/folio/internal/dataset"
	"github.com/folio-ssg/folio/internal/diag"
	"github.com/folio-ssg/folio/internal/markdown"
	"github.com/folio-ssg/folio/internal/strictyaml"
)

// Figures and shortcodes are resolved once every body is converted: a
// chart's id must be unique across the site, and {{< ref >}} may point at
// a figure on another page. Each body's markers are then replaced with
// the figure's HTML (templates/figure.html) or the shortcode's output.

// docPage is what a figure or shortcode needs to know of its page.
type docPage struct {
	slug, sitePath, title string
	rendered              bool // false for drafts left out of this build
	date                  time.Time
	authors               []string // names, for citing the page's figures
}

func (r *renderer) docPages() map[string]docPage {
	pages := map[string]docPage{}
	published := map[string]bool{}
	for _, b := range r.briefs {
		published[b.Path] = true
	}
	names := map[string]string{}
	for _, a := range r.site.Authors {
		names[a.Slug] = a.Name
	}
	for _, b := range r.site.Briefs {
		p := docPage{slug: b.Slug, sitePath: "/briefs/" + b.Slug + "/", title: b.Title, rendered: published[b.Path], date: b.Date}
		for _, a := range b.Authors {
			p.authors = append(p.authors, names[a.Name])
		}
		pages[b.Path] = p
	}
	for _, p := range r.site.Pages {
		pages[p.Path] = docPage{slug: p.Slug, sitePath: "/" + p.Slug + "/", title: p.Title, rendered: !p.Draft || r.site.opts.Drafts}
	}
	for _, a := range r.site.Authors {
		pages[a.Path] = docPage{slug: a.Slug, sitePath: "/authors/" + a.Slug + "/", title: a.Name, rendered: true}
	}
	if h := r.site.Home; h != nil {
		pages[h.Path] = docPage{slug: "home", sitePath: "/", title: r.site.Config.Title, rendered: true}
	}
	return pages
}

func (r *renderer) buildDatasetViews() {
	r.datasets = map[string]*DatasetView{}
	r.byName = map[string]*dataset.Dataset{}
	for _, d := range r.site.Datasets {
		r.datasets[d.Name] = r.datasetView(d)
		r.byName[d.Name] = d
	}
}

// resolveEmbeds checks every chart and shortcode of the site and fills in
// their markers.
func (r *renderer) resolveEmbeds(probs *diag.List) {
	r.pagesOf = r.docPages()
	paths := slices.Sorted(func(yield func(string) bool) {
		for p := range r.docs {
			if !yield(p) {
				return
			}
		}
	})
	r.figures = map[string][]*FigureView{}
	r.figureByID = map[string]*FigureView{}
	r.usedData = map[string][]string{}
	firstUse := map[string]string{}
	for _, p := range paths {
		d, page := r.docs[p], r.pagesOf[p]
		for i, f := range d.result.Charts {
			spec := chart.Parse(p, chart.Pos{Line: f.Line, Col: f.Col}, f.Body, f.BodyLine, probs)
			if spec == nil {
				r.figures[p] = append(r.figures[p], nil)
				continue
			}
			id, at := spec.ID.Name, spec.ID.Pos
			if id == "" {
				id, at = page.slug+"-"+strconv.Itoa(i+1), spec.Pos
			}
			if first, dup := firstUse[id]; dup {
				probs.Add(p, at.Line, at.Col, "chart id %q is already used by %s; give this chart its own id", id, first)
			} else {
				firstUse[id] = fmt.Sprintf("%s:%d", p, at.Line)
			}
			c := chart.Resolve(spec, r.byName, probs)
			if c == nil {
				r.figures[p] = append(r.figures[p], nil)
				continue
			}
			fv := r.figureView(c, id, i+1, page)
			r.figures[p] = append(r.figures[p], fv)
			r.useData(p, c.Data.Name)
			if page.rendered {
				r.figureByID[id] = fv
				fv.Dataset.Figures = append(fv.Dataset.Figures, fv)
			}
		}
	}
	for _, p := range paths {
		for _, sc := range r.docs[p].result.Shortcodes {
			r.checkShortcode(p, sc, probs)
		}
	}
}

// useData records that the page of source path p uses dataset name.
func (r *renderer) useData(p, name string) {
	if !slices.Contains(r.usedData[p], name) {
		r.usedData[p] = append(r.usedData[p], name)
	}
}

func (r *renderer) figureView(c *chart.Chart, id string, n int, page docPage) *FigureView {
	summary := c.Summary()
	fv := &FigureView{
		ID: id, Number: n, Type: c.Type, Title: c.Title, Caption: c.Caption, Summary: summary, Height: c.Height,
		Dataset: r.datasets[c.Data.Name], Columns: columnViews(c.Data, c.TableCols),
		EmbedURL: r.link("/charts/" + id + "/"), PageTitle: page.title, PageURL: r.link(page.sitePath),
	}
	for _, row := range c.Rows {
		fv.Rows = append(fv.Rows, cellViews(c.Data, row, c.TableCols))
	}
	if opts, err := c.Options(summary); err == nil && opts != nil {
		fv.Options = template.JS(opts)
	}
	abs := r.abs("/charts/" + id + "/")
	fv.Citation = r.cite(id, "Figure", page.authors, fmt.Sprintf("Figure %d. %s", n, c.Title), page.date, r.abs(page.sitePath)+"#"+id)
	fv.EmbedCode = fmt.Sprintf(`<iframe src="%s" title="%s" width="100%%" height="%d" loading="lazy"></iframe>`,
		abs, template.HTMLEscapeString(fmt.Sprintf("Figure %d. %s", n, c.Title)), c.Height+440)
	return fv
}

// checkShortcode checks one shortcode; its output is made by fillMarkers.
func (r *renderer) checkShortcode(p string, sc markdown.Shortcode, probs *diag.List) {
	if sc.Err != "" {
		probs.Add(p, sc.Line, sc.Col, "%s", sc.Err)
		return
	}
	switch sc.Name {
	case "value":
		if _, _, _, ok := r.lookupValue(p, sc, probs); ok {
			return
		}
	case "ref":
		r.lookupRef(p, sc, probs)
	default:
		probs.Add(p, sc.Line, sc.Col, "unknown shortcode %q; folio has value and ref", sc.Name)
	}
}

// arg returns a shortcode argument and its position.
func arg(sc markdown.Shortcode, key string) (markdown.Arg, bool) {
	for _, a := range sc.Args {
		if a.Key == key {
			return a, true
		}
	}
	return markdown.Arg{Line: sc.Line, Col: sc.Col}, false
}

// lookupValue finds the one cell a value shortcode names.
func (r *renderer) lookupValue(p string, sc markdown.Shortcode, probs *diag.List) (*dataset.Dataset, int, int, bool) {
	for _, a := range sc.Args {
		if a.Key != "data" && a.Key != "col" && a.Key != "where" {
			probs.Add(p, a.Line, a.Col, "value takes data, col and where, not %q", a.Key)
			return nil, 0, 0, false
		}
	}
	if len(sc.Positional) > 0 {
		probs.Add(p, sc.Line, sc.Col, `value takes named arguments: {{< value data="..." col="..." where="..." >}}`)
		return nil, 0, 0, false
	}
	da, ok := arg(sc, "data")
	ca, ok2 := arg(sc, "col")
	if !ok || !ok2 {
		probs.Add(p, sc.Line, sc.Col, `value needs data and col: {{< value data="..." col="..." where="..." >}}`)
		return nil, 0, 0, false
	}
	d := r.byName[da.Value]
	if d == nil {
		probs.Add(p, da.Line, da.Col, "unknown dataset %q: there is no data/%s.yaml%s", da.Value, da.Value,
			strictyaml.Suggest(da.Value, slices.Sorted(maps.Keys(r.byName))))
		return nil, 0, 0, false
	}
	col := d.ColumnIndex(ca.Value)
	if col < 0 {
		names := make([]string, len(d.Columns))
		for i, c := range d.Columns {
			names[i] = c.Name
		}
		probs.Add(p, ca.Line, ca.Col, "dataset %q has no column %q%s", d.Name, ca.Value, strictyaml.Suggest(ca.Value, names))
		return nil, 0, 0, false
	}
	wa, _ := arg(sc, "where")
	var conds [][2]string
	if wa.Value != "" {
		for _, part := range strings.Split(wa.Value, ",") {
			k, v, ok := strings.Cut(part, "=")
			k, v = strings.TrimSpace(k), strings.TrimSpace(v)
			if !ok || k == "" {
				probs.Add(p, wa.Line, wa.Col, "where %q: write column=value pairs separated by commas", wa.Value)
				return nil, 0, 0, false
			}
			if d.ColumnIndex(k) < 0 {
				probs.Add(p, wa.Line, wa.Col, "where %q: dataset %q has no column %q", wa.Value, d.Name, k)
				return nil, 0, 0, false
			}
			conds = append(conds, [2]string{k, v})
		}
	}
	var rows []int
	for i, row := range d.Rows {
		keep := true
		for _, c := range conds {
			j := d.ColumnIndex(c[0])
			keep = keep && chart.Matches(d.Columns[j].Type, row.Cells[j], c[1])
		}
		if keep {
			rows = append(rows, i)
		}
	}
	switch {
	case len(rows) == 0:
		probs.Add(p, wa.Line, wa.Col, "where %q matches no row of dataset %q", wa.Value, d.Name)
		return nil, 0, 0, false
	case len(rows) > 1:
		lines := make([]string, 0, 3)
		for _, i := range rows[:min(3, len(rows))] {
			lines = append(lines, strconv.Itoa(d.Rows[i].Line))
		}
		probs.Add(p, wa.Line, wa.Col, "where %q matches %d rows of dataset %q (lines %s); it must match one", wa.Value, len(rows), d.Name, strings.Join(lines, ", "))
		return nil, 0, 0, false
	}
	if d.Rows[rows[0]].Cells[col].Null {
		probs.Add(p, ca.Line, ca.Col, "the cell %q of that row is null", ca.Value)
		return nil, 0, 0, false
	}
	r.useData(p, d.Name)
	return d, rows[0], col, true
}

// lookupRef finds the figure a ref shortcode names.
func (r *renderer) lookupRef(p string, sc markdown.Shortcode, probs *diag.List) *FigureView {
	id, at := "", markdown.Arg{Line: sc.Line, Col: sc.Col}
	switch {
	case len(sc.Positional) == 1 && len(sc.Args) == 0:
		id = sc.Positional[0]
	case len(sc.Args) == 1 && sc.Args[0].Key == "id" && len(sc.Positional) == 0:
		id, at = sc.Args[0].Value, sc.Args[0]
	default:
		probs.Add(p, sc.Line, sc.Col, `ref takes one chart id: {{< ref "chart-id" >}}`)
		return nil
	}
	fv := r.figureByID[id]
	if fv == nil {
		probs.Add(p, at.Line, at.Col, "ref %q: no chart has that id", id)
	}
	return fv
}

// fillMarkers replaces the markers in every body with figures and
// shortcode output, on all cores.
func (r *renderer) fillMarkers(probs *diag.List) {
	var figure *template.Template
	if t, err := r.site.kindTemplate("chart"); err == nil {
		figure = t.Lookup("figure")
	}
	paths := make([]string, 0, len(r.docs))
	for p, d := range r.docs {
		if len(d.result.Charts) > 0 || len(d.result.Shortcodes) > 0 {
			paths = append(paths, p)
		}
	}
	slices.Sort(paths)
	if figure == nil && len(r.figureByID) > 0 {
		probs.Add("templates/figure.html", 0, 0, `template "figure" not found: pages with charts need templates/figure.html defining it`)
		return
	}
	errs := make([]error, len(paths))
	lost := make([][]int, len(paths))
	parallel(len(paths), func(i int) {
		lost[i], errs[i] = r.fill(paths[i], figure)
	})
	for i, err := range errs {
		if err != nil {
			file, line, msg := templateError("templates/figure.html", err)
			probs.Add(file, line, 0, "rendering a figure of %s: %s", paths[i], msg)
		}
		for _, n := range lost[i] {
			sc := r.docs[paths[i]].result.Shortcodes[n]
			probs.Add(paths[i], sc.Line, sc.Col, "{{< %s >}} cannot show here: in an image's description or other text that holds no markup, its output would be lost; write the text out instead", sc.Name)
		}
	}
}

// fill replaces the markers in a page's HTML with its figures and
// shortcodes. lost lists the shortcodes whose marker is not in the HTML:
// the Markdown put them where no markup goes, such as an image's alt
// text, and they would vanish without a word.
func (r *renderer) fill(p string, figure *template.Template) (lost []int, err error) {
	d := r.docs[p]
	seen := make([]bool, len(d.result.Shortcodes))
	html := d.result.HTML
	out := pageBuffers.Get().(*bytes.Buffer)
	defer pageBuffers.Put(out)
	out.Reset()
	out.Grow(len(html) + 4096*len(d.result.Charts))
	for len(html) > 0 {
		i := bytes.Index(html, []byte("<!--folio:"))
		if i < 0 {
			out.Write(html)
			break
		}
		out.Write(html[:i])
		html = html[i:]
		end := bytes.Index(html, []byte("-->"))
		kind, num, _ := strings.Cut(string(html[len("<!--folio:"):max(end, 0)]), ":")
		n, err := strconv.Atoi(num)
		switch {
		case end < 0 || err != nil:
			out.WriteString("<!--")
			html = html[4:]
			continue
		case kind == "chart" && n < len(r.figures[p]):
			if fv := r.figures[p][n]; fv != nil {
				start := out.Len()
				if err := figure.Execute(out, fv); err != nil {
					return nil, err
				}
				fv.HTML = template.HTML(out.Bytes()[start:])
			}
		case kind == "sc" && n < len(d.result.Shortcodes):
			seen[n] = true
			out.WriteString(r.shortcodeHTML(p, d.result.Shortcodes[n]))
		}
		html = html[end+3:]
	}
	d.result.HTML = bytes.Clone(out.Bytes()) // exact: held until the pages are written
	for n, sc := range d.result.Shortcodes {
		if !seen[n] && sc.Err == "" {
			lost = append(lost, n)
		}
	}
	return lost, nil
}

// shortcodeHTML renders a checked shortcode.
func (r *renderer) shortcodeHTML(p string, sc markdown.Shortcode) string {
	var discard diag.List
	switch sc.Name {
	case "value":
		d, row, col, ok := r.lookupValue(p, sc, &discard)
		if !ok {
			return ""
		}
		cell := d.Rows[row].Cells[col]
		return fmt.Sprintf(`<a class="value" href="%s"><data value="%s">%s</data></a>`,
			template.HTMLEscapeString(r.datasets[d.Name].URL), template.HTMLEscapeString(cell.Raw),
			template.HTMLEscapeString(d.Format(col, cell)))
	case "ref":
		fv := r.lookupRef(p, sc, &discard)
		if fv == nil {
			return ""
		}
		if fv.PageURL == r.link(r.pagesOf[p].sitePath) {
			return fmt.Sprintf(`<a class="figure-ref" href="#%s">Figure %d</a>`, template.HTMLEscapeString(fv.ID), fv.Number)
		}
		return fmt.Sprintf(`<a class="figure-ref" href="%s#%s">Figure %d in %s</a>`, template.HTMLEscapeString(fv.PageURL),
			template.HTMLEscapeString(fv.ID), fv.Number, template.HTMLEscapeString(fv.PageTitle))
	}
	return ""
}
