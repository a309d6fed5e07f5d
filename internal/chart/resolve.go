package chart

import (
	"math"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/folio-ssg/folio/internal/dataset"
	"github.com/folio-ssg/folio/internal/diag"
	"github.com/folio-ssg/folio/internal/strictyaml"
)

// Chart is a spec checked against its dataset: the columns and rows it
// plots, ready for options, a table and a summary.
type Chart struct {
	*Spec
	Data   *dataset.Dataset
	Title  string
	Height int

	XCol, SeriesCol int   // column indexes; SeriesCol is -1 without series
	YCols           []int // column indexes
	TableCols       []int // the plotted data's columns, in table order
	Rows            []int // the rows kept by where, in file order
}

// roles lists the column types each role accepts, per chart type.
var (
	numeric  = []dataset.Type{dataset.Integer, dataset.Number}
	category = []dataset.Type{dataset.String, dataset.Integer, dataset.Number, dataset.Date}
	label    = []dataset.Type{dataset.String, dataset.Integer, dataset.Date}
)

func xTypes(t string) []dataset.Type {
	switch t {
	case "pie":
		return label
	case "scatter":
		return []dataset.Type{dataset.Integer, dataset.Number, dataset.Date}
	case "timeline":
		return []dataset.Type{dataset.Date}
	}
	return category
}

func yTypes(t string) []dataset.Type {
	if t == "timeline" {
		return []dataset.Type{dataset.String}
	}
	return numeric
}

func describeTypes(ts []dataset.Type) string {
	s := make([]string, len(ts))
	for i, t := range ts {
		s[i] = string(t)
	}
	if len(s) == 1 {
		return s[0]
	}
	return strings.Join(s[:len(s)-1], ", ") + " or " + s[len(s)-1]
}

// Resolve checks s against the site's datasets. It returns nil when the
// chart cannot be drawn; problems say why, at the spec's own lines.
func Resolve(s *Spec, datasets map[string]*dataset.Dataset, probs *diag.List) *Chart {
	before := len(*probs)
	d := datasets[s.Data.Name]
	if d == nil {
		names := make([]string, 0, len(datasets))
		for n := range datasets {
			names = append(names, n)
		}
		sort.Strings(names)
		hint := strictyaml.Suggest(s.Data.Name, names)
		if hint == "" && len(names) > 0 {
			hint = "; datasets are " + strings.Join(names, ", ")
		}
		probs.Add(s.Path, s.Data.Line, s.Data.Col, "unknown dataset %q: there is no data/%s.yaml%s", s.Data.Name, s.Data.Name, hint)
		return nil
	}
	c := &Chart{Spec: s, Data: d, Title: s.Title, Height: s.Height, XCol: -1, SeriesCol: -1}
	if c.Title == "" {
		c.Title = d.Title
	}
	column := func(f Field, role string, types []dataset.Type) int {
		i := d.ColumnIndex(f.Name)
		if i < 0 {
			names := make([]string, len(d.Columns))
			for j, col := range d.Columns {
				names[j] = col.Name
			}
			hint := strictyaml.Suggest(f.Name, names)
			if hint == "" {
				hint = "; columns are " + strings.Join(names, ", ")
			}
			probs.Add(s.Path, f.Line, f.Col, "dataset %q has no column %q%s", d.Name, f.Name, hint)
			return -1
		}
		if types != nil && !slices.Contains(types, d.Columns[i].Type) {
			probs.Add(s.Path, f.Line, f.Col, "%s column %q holds %s values; a %s chart needs %s for %s",
				role, f.Name, d.Columns[i].Type, s.Type, describeTypes(types), role)
		}
		return i
	}
	if s.Type == "table" {
		for _, f := range s.Columns {
			c.TableCols = append(c.TableCols, column(f, "table", nil))
		}
		if len(s.Columns) == 0 {
			for i := range d.Columns {
				c.TableCols = append(c.TableCols, i)
			}
		}
	} else {
		c.XCol = column(s.X, "x", xTypes(s.Type))
		for _, f := range s.Y {
			c.YCols = append(c.YCols, column(f, "y", yTypes(s.Type)))
		}
		if s.Series.Name != "" {
			c.SeriesCol = column(s.Series, "series", label)
		}
		c.TableCols = append(c.TableCols, c.XCol)
		if c.SeriesCol >= 0 {
			c.TableCols = append(c.TableCols, c.SeriesCol)
		}
		c.TableCols = append(c.TableCols, c.YCols...)
	}
	conds := make([]int, len(s.Where))
	for i, w := range s.Where {
		conds[i] = column(w.Column, "where", nil)
	}
	if len(*probs) > before {
		return nil
	}
	for r, row := range d.Rows {
		keep := true
		for i, w := range s.Where {
			keep = keep && Matches(d.Columns[conds[i]].Type, row.Cells[conds[i]], w.Value.Value)
		}
		if keep {
			c.Rows = append(c.Rows, r)
		}
	}
	if len(c.Rows) == 0 {
		p := s.Pos
		if len(s.Where) > 0 {
			p = s.Where[0].Column.Pos
		}
		probs.Add(s.Path, p.Line, p.Col, "no rows of dataset %q to plot%s", d.Name, map[bool]string{true: ": where matches none"}[len(s.Where) > 0])
		return nil
	}
	if c.Height == 0 {
		c.Height = c.defaultHeight()
	}
	return c
}

// Matches reports whether a cell equals a where value as written. Numbers
// compare by value, so 47.5 matches 47.50.
func Matches(t dataset.Type, c dataset.Cell, want string) bool {
	if c.Null {
		return want == "null" || want == "~" || want == ""
	}
	if t == dataset.Number || t == dataset.Integer {
		f, err := strconv.ParseFloat(want, 64)
		return err == nil && f == c.Num
	}
	return c.Raw == want
}

func (c *Chart) defaultHeight() int {
	if c.Type == "timeline" {
		return max(200, min(600, 120+50*len(c.Categories())))
	}
	return 360
}

// Categories lists the distinct values of the series column in order of
// first appearance; without series, nil.
func (c *Chart) Categories() []string {
	if c.SeriesCol < 0 {
		return nil
	}
	var out []string
	seen := map[string]bool{}
	for _, r := range c.Rows {
		cell := c.Data.Rows[r].Cells[c.SeriesCol]
		v := c.Data.Format(c.SeriesCol, cell)
		if !seen[v] {
			seen[v] = true
			out = append(out, v)
		}
	}
	return out
}

// cell returns row r's cell in column col.
func (c *Chart) cell(r, col int) dataset.Cell { return c.Data.Rows[r].Cells[col] }

// value returns a numeric cell's value, or NaN when it is null.
func (c *Chart) value(r, col int) float64 {
	cell := c.cell(r, col)
	if cell.Null {
		return math.NaN()
	}
	return cell.Num
}

// label returns a cell formatted for readers.
func (c *Chart) label(r, col int) string {
	return c.Data.Format(col, c.cell(r, col))
}

func (c *Chart) column(i int) *dataset.Column { return &c.Data.Columns[i] }

func (c *Chart) name(i int) string {
	col := c.column(i)
	if col.Label != "" {
		return col.Label
	}
	return col.Name
}
