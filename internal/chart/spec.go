// Package chart turns a chart spec, written in a Markdown ```chart block,
// into a validated chart over a dataset and its ECharts options.
//
//	```chart
//	type: bar                 # bar, line, area, pie, scatter, timeline, table
//	data: ai_chip_sales       # a dataset: data/<name>.yaml
//	x: year                   # the category, date or value column
//	y: sales                  # one column, or a list: one series per column
//	series: country           # long format: a column whose values split rows into series
//	stack: true               # stack bars or areas
//	where: {country: China}   # keep rows whose cells equal these values
//	title: AI chip sales      # default: the dataset's title
//	caption: Nominal US dollars.
//	summary: Text alternative # default: generated from the plotted data
//	id: chip-sales            # default: <page-slug>-<n>; unique across the site
//	height: 400               # px, 160 to 1200
//	columns: [year, sales]    # table only: which columns, in order
//	```
//
// Roles and the column types they take: bar, line and area take any x and
// numeric y; pie takes text x (the slices) and one numeric y; scatter takes
// numeric or date x and numeric y; timeline takes a date x, a text y (the
// event) and a text series (the category). series is always a text column.
//
// Every problem is reported at the line and column of the field that
// causes it, in the Markdown file.
package chart

import (
	"regexp"
	"strconv"
	"strings"

	"github.com/folio-ssg/folio/internal/diag"
	"github.com/folio-ssg/folio/internal/strictyaml"
	"go.yaml.in/yaml/v3"
)

// Types are the chart types, in the order the docs list them.
var Types = []string{"bar", "line", "area", "pie", "scatter", "timeline", "table"}

// Pos is a place in the Markdown file.
type Pos struct{ Line, Col int }

// Field is a column name written in the spec, with its place.
type Field struct {
	Name string
	Pos
}

// Cond is one `where` condition: the column and the value as written.
type Cond struct {
	Column Field
	Value  *yaml.Node
}

// Spec is a chart block as written, before it meets its dataset.
type Spec struct {
	Path string
	Pos  Pos // the line of the opening fence

	Type    string
	Data    Field
	X       Field
	Y       []Field
	Series  Field
	Stack   bool
	Where   []Cond
	Title   string
	Caption string
	Summary string
	ID      Field
	Height  int
	Columns []Field

	typePos, stackPos, heightPos Pos
}

// idRE is what an explicit id must look like: it names /charts/<id>/.
var idRE = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)

// Parse reads a chart block. body is the block's content and firstLine
// the file line it starts on (the line after the opening fence). It
// returns nil when the spec is unusable; problems say why.
func Parse(path string, fence Pos, body []byte, firstLine int, probs *diag.List) *Spec {
	before := len(*probs)
	root := strictyaml.Parse(path, body, firstLine, probs)
	if root == nil {
		if len(*probs) == before {
			probs.Add(path, fence.Line, fence.Col, "empty chart: it needs at least type and data")
		}
		return nil
	}
	d := strictyaml.Decoder{Path: path, Probs: probs}
	s := &Spec{Path: path, Pos: fence}
	field := func(dst *Field, what string) func(*yaml.Node) {
		return func(n *yaml.Node) {
			if v, ok := d.Text(n, what); ok {
				*dst = Field{strings.TrimSpace(v), Pos{n.Line, n.Column}}
			}
		}
	}
	fields := func(dst *[]Field, what string, single bool) func(*yaml.Node) {
		return func(n *yaml.Node) {
			if single && n.Kind == yaml.ScalarNode {
				var f Field
				field(&f, what)(n)
				*dst = []Field{f}
				return
			}
			if !d.Is(n, yaml.SequenceNode, what, "a column name or a list of them") {
				return
			}
			for _, item := range n.Content {
				var f Field
				field(&f, what)(item)
				if f.Name != "" {
					*dst = append(*dst, f)
				}
			}
		}
	}
	text := func(dst *string, what string) func(*yaml.Node) {
		return func(n *yaml.Node) {
			if v, ok := d.Text(n, what); ok {
				*dst = strings.TrimSpace(v)
			}
		}
	}
	d.Mapping(root, "chart", []strictyaml.Field{
		{Name: "type", Required: true, Set: func(n *yaml.Node) {
			if v, ok := d.Text(n, "type"); ok {
				s.Type, s.typePos = v, Pos{n.Line, n.Column}
			}
		}},
		{Name: "data", Required: true, Set: field(&s.Data, "data")},
		{Name: "x", Set: field(&s.X, "x")},
		{Name: "y", Set: fields(&s.Y, "y", true)},
		{Name: "series", Set: field(&s.Series, "series")},
		{Name: "stack", Set: func(n *yaml.Node) {
			s.Stack, _ = d.Bool(n, "stack")
			s.stackPos = Pos{n.Line, n.Column}
		}},
		{Name: "where", Set: func(n *yaml.Node) { s.Where = where(d, n) }},
		{Name: "title", Set: text(&s.Title, "title")},
		{Name: "caption", Set: text(&s.Caption, "caption")},
		{Name: "summary", Set: text(&s.Summary, "summary")},
		{Name: "id", Set: field(&s.ID, "id")},
		{Name: "height", Set: func(n *yaml.Node) {
			s.heightPos = Pos{n.Line, n.Column}
			h, err := strconv.Atoi(n.Value)
			if n.Kind != yaml.ScalarNode || n.Tag != "!!int" || err != nil || h < 160 || h > 1200 {
				d.Errorf(n, "height must be a whole number of pixels from 160 to 1200, not %s", strictyaml.Describe(n))
				return
			}
			s.Height = h
		}},
		{Name: "columns", Set: fields(&s.Columns, "columns", false)},
	})
	s.checkShape(probs)
	if len(*probs) > before {
		return nil
	}
	return s
}

func where(d strictyaml.Decoder, n *yaml.Node) []Cond {
	if !d.Is(n, yaml.MappingNode, "where", "a mapping such as {country: China}") {
		return nil
	}
	var out []Cond
	seen := map[string]bool{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		if k.Kind != yaml.ScalarNode {
			d.Errorf(k, "where keys must be column names")
			continue
		}
		if seen[k.Value] {
			d.Errorf(k, "where names column %q twice", k.Value)
			continue
		}
		seen[k.Value] = true
		if v.Kind != yaml.ScalarNode {
			d.Errorf(v, "where %s must be one value, not %s", k.Value, strictyaml.Describe(v))
			continue
		}
		out = append(out, Cond{Field{k.Value, Pos{k.Line, k.Column}}, v})
	}
	return out
}

// checkShape checks what can be known without the dataset: the type, and
// which fields each type needs or ignores.
func (s *Spec) checkShape(probs *diag.List) {
	if s.Type == "" {
		return
	}
	known := false
	for _, t := range Types {
		known = known || t == s.Type
	}
	if !known {
		probs.Add(s.Path, s.typePos.Line, s.typePos.Col, "unknown chart type %q; types are %s", s.Type, strings.Join(Types, ", "))
		return
	}
	need := func(ok bool, what string) {
		if !ok {
			probs.Add(s.Path, s.Pos.Line, s.Pos.Col, "a %s chart needs %s", s.Type, what)
		}
	}
	refuse := func(set bool, p Pos, what string) {
		if set {
			probs.Add(s.Path, p.Line, p.Col, "%s does not apply to a %s chart", what, s.Type)
		}
	}
	switch s.Type {
	case "table":
		refuse(s.X.Name != "", s.X.Pos, "x")
		refuse(len(s.Y) > 0, s.firstY(), "y")
		refuse(s.Series.Name != "", s.Series.Pos, "series")
	default:
		need(s.X.Name != "", "x")
		need(len(s.Y) > 0, "y")
		if len(s.Columns) > 0 {
			refuse(true, s.Columns[0].Pos, "columns")
		}
	}
	switch s.Type {
	case "pie", "timeline":
		if len(s.Y) > 1 {
			probs.Add(s.Path, s.Y[1].Line, s.Y[1].Col, "a %s chart takes one y column", s.Type)
		}
	}
	if s.Series.Name != "" && len(s.Y) > 1 {
		probs.Add(s.Path, s.Series.Line, s.Series.Col, "series splits one y column into series; with several y columns, each is already a series")
	}
	if s.Stack && s.Type != "bar" && s.Type != "area" {
		refuse(true, s.stackPos, "stack")
	}
	if s.ID.Name != "" && !idRE.MatchString(s.ID.Name) {
		probs.Add(s.Path, s.ID.Line, s.ID.Col, "id %q must be lowercase ASCII letters and digits joined by hyphens, as it names /charts/<id>/", s.ID.Name)
	}
}

func (s *Spec) firstY() Pos {
	if len(s.Y) > 0 {
		return s.Y[0].Pos
	}
	return s.Pos
}
