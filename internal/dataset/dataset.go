package dataset

import (
	"fmt"
	"math"
	"net/url"
	"path"
	"regexp"
	"strings"
	"time"

	"github.com/folio-ssg/folio/internal/diag"
	"github.com/folio-ssg/folio/internal/strictyaml"
	"go.yaml.in/yaml/v3"
)

// MaxSize is the size in bytes of the largest dataset file Parse reads.
const MaxSize = 10 << 20

// Type is a column type: "string", "integer", "number", "date", "bool", "url".
type Type string

// The column types.
const (
	String  Type = "string"
	Integer Type = "integer"
	Number  Type = "number"
	Date    Type = "date"
	Bool    Type = "bool"
	URL     Type = "url"
)

var typeNames = []string{"string", "integer", "number", "date", "bool", "url"}

// Column describes one column of a dataset.
type Column struct {
	Name, Label, Unit, Prefix, Suffix string
	Type                              Type
	Optional                          bool
	Line, Col                         int // position of the column's entry in the file
}

// Cell is one value, as written and as typed.
type Cell struct {
	Null      bool
	Raw       string    // the scalar exactly as written in the file (numbers keep their digits: "15.0"); "" when null
	Int       int64     // integer columns
	Num       float64   // number and integer columns (integer cells set both)
	Date      time.Time // date columns, UTC midnight
	Bool      bool
	Line, Col int
}

// Row is one row of a dataset.
type Row struct {
	Cells     []Cell // in column order
	Line, Col int
}

// Source says where a dataset's data comes from.
type Source struct {
	Name, URL string
	Retrieved time.Time // zero if absent
}

// Dataset is one parsed data/<name>.yaml file.
type Dataset struct {
	Name, Path                         string // name = file name without .yaml; Path = "data/<name>.yaml"
	Title, Description, License, Notes string
	Source                             Source
	Illustrative                       bool
	Key                                []string
	Columns                            []Column
	Rows                               []Row
}

// ColumnIndex returns the index of the column called name, or -1 if none.
func (d *Dataset) ColumnIndex(name string) int {
	for i, c := range d.Columns {
		if c.Name == name {
			return i
		}
	}
	return -1
}

// Parse reads one dataset file. path is slash-separated relative to the site
// source, e.g. "data/ai_chip_sales.yaml"; problems are recorded in probs.
//
// It returns nil when the file is unusable: too large, empty, not YAML, not
// a mapping, or without a full set of valid columns (rows cannot be read
// without them; Parse still reports what it can find in them). Otherwise it
// returns a dataset with every valid row, even if other parts had problems.
func Parse(path string, data []byte, probs *diag.List) *Dataset {
	if len(data) > MaxSize {
		probs.Add(path, 1, 0, "dataset is %s MiB; the limit is 10 MiB", mebibytes(len(data)))
		return nil
	}
	before := len(*probs)
	root := strictyaml.Parse(path, data, 1, probs)
	if root == nil || strictyaml.IsNull(root) {
		if len(*probs) == before {
			probs.Add(path, 1, 0, "empty dataset: it needs title, source, columns and rows")
		}
		return nil
	}
	p := &parser{
		Decoder: strictyaml.Decoder{Path: path, Probs: probs},
		ds:      &Dataset{Name: datasetName(path), Path: path},
	}
	if !p.parse(root) {
		return nil
	}
	return p.ds
}

func datasetName(p string) string {
	return strings.TrimSuffix(path.Base(p), ".yaml")
}

// mebibytes formats n bytes in MiB, rounded up to one decimal so that a
// file just over the limit does not read as exactly 10.0 MiB.
func mebibytes(n int) string {
	return fmt.Sprintf("%.1f", math.Ceil(float64(n)*10/(1<<20))/10)
}

// parser holds the state of one Parse call.
type parser struct {
	strictyaml.Decoder
	ds *Dataset
}

// parse decodes the top-level mapping and reports whether the dataset is
// usable.
func (p *parser) parse(root *yaml.Node) bool {
	ds := p.ds
	var source, key, columns, rows *yaml.Node
	if !p.Mapping(root, "dataset", []strictyaml.Field{
		{Name: "title", Required: true, Set: p.text(&ds.Title, "title", true)},
		{Name: "description", Set: p.text(&ds.Description, "description", false)},
		{Name: "source", Required: true, Set: keep(&source)},
		{Name: "license", Set: p.text(&ds.License, "license", false)},
		{Name: "notes", Set: p.text(&ds.Notes, "notes", false)},
		{Name: "illustrative", Set: func(n *yaml.Node) { ds.Illustrative, _ = p.Bool(n, "illustrative") }},
		{Name: "key", Set: keep(&key)},
		{Name: "columns", Required: true, Set: keep(&columns)},
		{Name: "rows", Required: true, Set: keep(&rows)},
	}) {
		return false
	}
	if source != nil {
		p.source(source)
	}
	colsOK := columns != nil && p.columns(columns)
	var keyCols []int
	keyOK := true
	if key != nil && len(ds.Columns) > 0 {
		keyCols, keyOK = p.key(key)
	}
	if rows != nil && len(ds.Columns) > 0 {
		p.rows(rows)
	}
	if !colsOK {
		return false
	}
	if keyOK {
		p.uniqueKey(keyCols)
	}
	return true
}

// keep returns a Set function that stores the node in dst, for values
// decoded after the mapping that holds them.
func keep(dst **yaml.Node) func(*yaml.Node) {
	return func(n *yaml.Node) { *dst = n }
}

// text returns a Set function that stores a scalar's text in dst.
func (p *parser) text(dst *string, what string, required bool) func(*yaml.Node) {
	return func(n *yaml.Node) {
		s, ok := p.Text(n, what)
		if ok && required && strings.TrimSpace(s) == "" {
			p.Errorf(n, "%q must not be empty", what)
		}
		*dst = s
	}
}

func (p *parser) source(n *yaml.Node) {
	src := &p.ds.Source
	p.Mapping(n, "source", []strictyaml.Field{
		{Name: "name", Required: true, Set: p.text(&src.Name, "name", true)},
		{Name: "url", Set: func(v *yaml.Node) {
			s, ok := p.Text(v, "url")
			if !ok {
				return
			}
			if !isWebURL(s) {
				p.Errorf(v, "source url %q is not an absolute http or https URL such as https://example.org/", s)
				return
			}
			src.URL = s
		}},
		{Name: "retrieved", Set: func(v *yaml.Node) { src.Retrieved, _ = p.Date(v, "retrieved") }},
	})
}

var nameRE = regexp.MustCompile(`^[a-z][a-z0-9_]*$`)

// columns decodes the column list into p.ds.Columns and reports whether
// every column has a valid, unique name and a valid type. Columns with a
// name join the list even when broken, so that rows can still be checked
// without a cascade of "unknown column" errors.
func (p *parser) columns(n *yaml.Node) bool {
	if !p.Is(n, yaml.SequenceNode, "columns", "a list of columns such as [{name: year, type: integer}]") {
		return false
	}
	if len(n.Content) == 0 {
		p.Errorf(n, "columns is an empty list; add at least one, such as {name: year, type: integer}")
		return false
	}
	ok := true
	first := map[string]*yaml.Node{}
	for _, item := range n.Content {
		c := Column{Line: item.Line, Col: item.Column}
		var name, typ *yaml.Node
		p.Mapping(item, "column", []strictyaml.Field{
			{Name: "name", Required: true, Set: keep(&name)},
			{Name: "type", Required: true, Set: keep(&typ)},
			{Name: "label", Set: p.text(&c.Label, "label", false)},
			{Name: "unit", Set: p.text(&c.Unit, "unit", false)},
			{Name: "prefix", Set: p.text(&c.Prefix, "prefix", false)},
			{Name: "suffix", Set: p.text(&c.Suffix, "suffix", false)},
			{Name: "optional", Set: func(v *yaml.Node) { c.Optional, _ = p.Bool(v, "optional") }},
		})
		if name == nil {
			ok = false
			continue
		}
		var good bool
		if c.Name, good = p.Text(name, "column name"); !good {
			ok = false
			continue
		}
		if !nameRE.MatchString(c.Name) {
			p.Errorf(name, "column name %q must be lowercase ASCII letters, digits and underscores, starting with a letter%s", c.Name, tryName(c.Name))
			ok = false
		}
		if f, dup := first[c.Name]; dup {
			p.Errorf(name, "duplicate column %q (first at line %d)", c.Name, f.Line)
			ok = false
			continue
		}
		first[c.Name] = name
		if typ == nil || !p.columnType(&c, typ) {
			ok = false
		}
		if c.Label == "" {
			c.Label = c.Name
		}
		p.ds.Columns = append(p.ds.Columns, c)
	}
	return ok
}

// tryName suggests a valid column name for s, if one is evident.
func tryName(s string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(s) {
		switch {
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9':
			b.WriteRune(r)
		case b.Len() > 0 && !strings.HasSuffix(b.String(), "_"):
			b.WriteByte('_')
		}
	}
	fixed := strings.TrimRight(b.String(), "_")
	if !nameRE.MatchString(fixed) {
		return ""
	}
	return fmt.Sprintf("; try %q", fixed)
}

// typeSynonyms maps names other tools use to folio's types.
var typeSynonyms = map[string]Type{
	"str": String, "text": String,
	"int": Integer, "long": Integer,
	"float": Number, "double": Number, "decimal": Number, "numeric": Number,
	"datetime": Date, "timestamp": Date,
	"boolean": Bool, "uri": URL, "link": URL,
}

func (p *parser) columnType(c *Column, n *yaml.Node) bool {
	s, ok := p.Text(n, "column type")
	if !ok {
		return false
	}
	for _, t := range typeNames {
		if s == t {
			c.Type = Type(s)
			return true
		}
	}
	hint := strictyaml.Suggest(s, typeNames)
	if t, ok := typeSynonyms[strings.ToLower(s)]; ok {
		hint = fmt.Sprintf("; did you mean %q?", t)
	}
	if hint == "" {
		hint = "; types are " + strings.Join(typeNames, ", ")
	}
	p.Errorf(n, "column %q has unknown type %q%s", c.Name, s, hint)
	return false
}

// key decodes the key list into p.ds.Key, returning the key columns'
// indexes and whether every entry named a column once.
func (p *parser) key(n *yaml.Node) ([]int, bool) {
	if !p.Is(n, yaml.SequenceNode, "key", "a list of column names such as [year]") {
		return nil, false
	}
	ok := true
	var cols []int
	first := map[string]*yaml.Node{}
	for _, item := range n.Content {
		name, good := p.Text(item, "key entry")
		if !good {
			ok = false
			continue
		}
		if f, dup := first[name]; dup {
			p.Errorf(item, "key names %q twice (first at line %d)", name, f.Line)
			ok = false
			continue
		}
		first[name] = item
		i := p.ds.ColumnIndex(name)
		if i < 0 {
			p.Errorf(item, "key names unknown column %q%s", name, p.columnHint(name))
			ok = false
			continue
		}
		cols = append(cols, i)
		p.ds.Key = append(p.ds.Key, name)
	}
	return cols, ok
}

// columnHint returns `; did you mean "x"?` or `; columns are a, b`.
func (p *parser) columnHint(name string) string {
	names := make([]string, len(p.ds.Columns))
	for i, c := range p.ds.Columns {
		names[i] = c.Name
	}
	if s := strictyaml.Suggest(name, names); s != "" {
		return s
	}
	return "; columns are " + strings.Join(names, ", ")
}

// isWebURL reports whether s is an absolute http or https URL with a host.
func isWebURL(s string) bool {
	if strings.ContainsFunc(s, func(r rune) bool { return r <= ' ' || r == 0x7f }) {
		return false
	}
	u, err := url.Parse(s)
	return err == nil && (u.Scheme == "http" || u.Scheme == "https") && u.Opaque == "" && u.Hostname() != ""
}
