package site

import (
	"bytes"
	"html/template"
	"maps"
	"slices"

	"github.com/folio-ssg/folio/internal/diag"
)

// renderCells renders every distinct cell of the data tables, those of
// the dataset pages and of the figures, once with the template
// "table-cell" on all cores, as the cells' HTML, when the templates
// define it. A figure's table holds cells of its dataset's, which its
// dataset's page shows too, and a dataset drawn by many charts would
// have its cells rendered by each; a cell takes more than ten template
// actions, and its HTML in a table one. Like a page kind's, one template
// mistake is reported once.
func (r *renderer) renderCells(probs *diag.List) {
	t, err := r.site.kindTemplate("dataset")
	if err != nil {
		return // renderPages reports it
	}
	cell := t.Lookup("table-cell")
	if cell == nil {
		return
	}
	// Every table, in a fixed order, with the page that shows it.
	var tables [][][]CellView
	var where []string
	for _, name := range slices.Sorted(maps.Keys(r.datasets)) {
		tables, where = append(tables, r.datasets[name].Rows), append(where, r.datasets[name].URL)
	}
	for _, p := range slices.Sorted(maps.Keys(r.figures)) {
		for _, fv := range r.figures[p] {
			if fv != nil {
				tables, where = append(tables, fv.Rows), append(where, fv.PageURL+"#"+fv.ID)
			}
		}
	}
	index := map[CellView]int32{}
	var distinct []CellView
	var firstIn []int // the table a distinct cell is first in
	var at []int32    // each cell's index in distinct, table by table
	for ti, rows := range tables {
		for _, row := range rows {
			for _, c := range row {
				i, ok := index[c]
				if !ok {
					i = int32(len(distinct))
					index[c] = i
					distinct, firstIn = append(distinct, c), append(firstIn, ti)
				}
				at = append(at, i)
			}
		}
	}
	c := r.site.opts.Cache
	var key uint64
	if c != nil {
		key = r.templatesKey()
	}
	html := make([]template.HTML, len(distinct))
	errs := make([]error, len(distinct))
	parallel(len(distinct), func(i int) {
		if c != nil {
			if h, ok := recall(c, cellMemos, cellKey{key, distinct[i]}); ok {
				html[i] = h
				return
			}
		}
		b := pageBuffers.Get().(*bytes.Buffer)
		b.Reset()
		errs[i] = cell.Execute(b, distinct[i])
		html[i] = template.HTML(b.String())
		pageBuffers.Put(b)
		if c != nil && errs[i] == nil {
			keep(c, cellMemos, cellKey{key, distinct[i]}, html[i])
		}
	})
	if i, more := firstFailure(errs); i >= 0 {
		file, line, msg := templateError("templates/partials.html", errs[i])
		probs.Add(file, line, 0, "rendering the table cell %q of %s%s: %s", distinct[i].Text, where[firstIn[i]], more, msg)
		return
	}
	k := 0
	for _, rows := range tables {
		for _, row := range rows {
			for j := range row {
				row[j].HTML = html[at[k]]
				k++
			}
		}
	}
}

// cellKey is a rendered table cell's key in the cache: the templates'
// and the cell's.
type cellKey struct {
	templates uint64
	cell      CellView
}

func cellMemos(g *generation) map[cellKey]template.HTML { return g.cells }
