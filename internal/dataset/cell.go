package dataset

import (
	"strconv"
	"strings"

	"github.com/folio-ssg/folio/internal/strictyaml"
	"go.yaml.in/yaml/v3"
)

const aliasMsg = "YAML aliases (*name) are not supported; write the value out"

// rows decodes the row list, keeping the rows that have no problem.
func (p *parser) rows(n *yaml.Node) {
	if !p.Is(n, yaml.SequenceNode, "rows", "a list of rows such as [{year: 2022, sales: 42}]") {
		return
	}
	if len(n.Content) == 0 {
		p.Errorf(n, "rows is an empty list; add at least one row")
		return
	}
	for _, item := range n.Content {
		before := len(*p.Probs)
		r, ok := p.row(item)
		if ok && len(*p.Probs) == before {
			p.ds.Rows = append(p.ds.Rows, r)
		}
	}
}

func (p *parser) row(n *yaml.Node) (Row, bool) {
	if !p.Is(n, yaml.MappingNode, "row", "a mapping of column names to values such as {year: 2022}") {
		return Row{}, false
	}
	cols := p.ds.Columns
	r := Row{Cells: make([]Cell, len(cols)), Line: n.Line, Col: n.Column}
	seen := make([]*yaml.Node, len(cols))
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		switch {
		case k.Kind == yaml.AliasNode:
			p.Errorf(k, aliasMsg)
			continue
		case k.Kind != yaml.ScalarNode:
			p.Errorf(k, "row keys must be column names, not %s", strictyaml.Describe(k))
			continue
		case k.Tag == "!!merge":
			p.Errorf(k, "YAML merge keys (<<) are not supported; write the cells out")
			continue
		}
		j := p.ds.ColumnIndex(k.Value)
		if j < 0 {
			p.Errorf(k, "unknown column %q%s", k.Value, p.columnHint(k.Value))
			continue
		}
		if seen[j] != nil {
			p.Errorf(k, "duplicate cell %q (first at line %d)", k.Value, seen[j].Line)
			continue
		}
		seen[j] = k
		r.Cells[j], _ = p.cell(&cols[j], v)
	}
	var missing []string
	for j, k := range seen {
		if k == nil {
			missing = append(missing, strconv.Quote(cols[j].Name))
		}
	}
	if len(missing) > 0 {
		p.Errorf(n, "row is missing %s", joinAnd(missing))
		return r, false
	}
	return r, true
}

// joinAnd joins items as "a", "a and b" or "a, b and c".
func joinAnd(items []string) string {
	if len(items) == 1 {
		return items[0]
	}
	return strings.Join(items[:len(items)-1], ", ") + " and " + items[len(items)-1]
}

// kinds names what each type holds and how to write it, for messages.
var kinds = map[Type]struct{ holds, hint string }{
	String:  {"text", "put text in quotes"},
	Integer: {"integers", "write a whole number such as 42"},
	Number:  {"numbers", "write a number such as 42 or 3.5"},
	Date:    {"dates", "write it as YYYY-MM-DD, e.g. 2025-02-03"},
	Bool:    {"true or false", "write true or false"},
	URL:     {"URLs", "write a full URL such as https://example.org/"},
}

// cell checks that n is a valid cell of column c, as written, and decodes
// it. It reports problems at n and whether there were none.
func (p *parser) cell(c *Column, n *yaml.Node) (Cell, bool) {
	cell := Cell{Line: n.Line, Col: n.Column}
	k, known := kinds[c.Type]
	if !known {
		// The column's type is broken and already reported; the dataset
		// will not be used, so there is nothing to check against.
		return cell, true
	}
	fail := func(format string, args ...any) (Cell, bool) {
		p.Errorf(n, "column %q"+format, append([]any{c.Name}, args...)...)
		return cell, false
	}
	switch {
	case n.Kind == yaml.AliasNode:
		return fail(": " + aliasMsg)
	case n.Kind != yaml.ScalarNode:
		return fail(" holds %s, not %s; %s", k.holds, strictyaml.Describe(n), k.hint)
	case strictyaml.IsNull(n):
		if !c.Optional {
			return fail(" is not optional, so it cannot be null; write a value or add optional: true to the column")
		}
		cell.Null = true
		return cell, true
	case n.Style&yaml.TaggedStyle != 0 && (n.Tag != "!!str" || (c.Type != String && c.Type != URL)):
		return fail(": YAML tags (%s) are not supported; write the value without the tag", n.Tag)
	}
	s := n.Value
	cell.Raw = s
	quoted := n.Style&(yaml.DoubleQuotedStyle|yaml.SingleQuotedStyle|yaml.LiteralStyle|yaml.FoldedStyle) != 0
	if quoted && c.Type != String && c.Type != URL {
		return fail(" holds %s, not %s; %s", k.holds, strictyaml.Describe(n), unquoteHint(c.Type, s))
	}
	switch c.Type {
	case String:
		if n.Tag != "!!str" {
			return fail(" holds text; quote %s as %q", strictyaml.Describe(n), s)
		}
	case URL:
		if n.Tag != "!!str" {
			return fail(" holds URLs, not %s; %s", strictyaml.Describe(n), k.hint)
		}
		if !isWebURL(s) {
			return fail(": %q is not an absolute http or https URL such as https://example.org/", s)
		}
	case Integer:
		v, msg := parseInteger(s, strictyaml.Describe(n))
		if msg != "" {
			return fail("%s", msg)
		}
		cell.Int, cell.Num = v, float64(v)
	case Number:
		v, msg := parseNumber(s, strictyaml.Describe(n))
		if msg != "" {
			return fail("%s", msg)
		}
		cell.Num = v
	case Date:
		t, err := strictyaml.ParseDate(s)
		if err != nil {
			return fail(": %v", err)
		}
		cell.Date = t
	case Bool:
		if n.Tag != "!!bool" || (s != "true" && s != "false") {
			hint := k.hint
			if b, ok := boolWords[strings.ToLower(s)]; ok {
				hint = "write " + b
			}
			return fail(" holds true or false, not %s; %s", strictyaml.Describe(n), hint)
		}
		cell.Bool = s == "true"
	}
	return cell, true
}

// boolWords maps what people write for true and false to folio's spelling.
var boolWords = map[string]string{
	"true": "true", "yes": "true", "y": "true", "on": "true",
	"false": "false", "no": "false", "n": "false", "off": "false",
}

// unquoteHint tells how to write the quoted text s as a cell of type t.
func unquoteHint(t Type, s string) string {
	switch t {
	case Integer, Number:
		if fix := numberFix(t, s); fix != "" {
			return "write " + fix + " without quotes"
		}
	case Date:
		if _, err := strictyaml.ParseDate(s); err == nil {
			return "write the date without quotes"
		}
		return "write it as YYYY-MM-DD without quotes, e.g. 2025-02-03"
	case Bool:
		if s == "true" || s == "false" {
			return "write " + s + " without quotes"
		}
	}
	return kinds[t].hint
}

// uniqueKey reports rows whose key cells repeat an earlier row's. Null key
// cells are left out of the comparison; a row whose key cells are all null
// is not compared.
func (p *parser) uniqueKey(keyCols []int) {
	if len(keyCols) == 0 {
		return
	}
	first := map[string]Cell{}
	for _, r := range p.ds.Rows {
		var id, shown []string
		var at *Cell
		for _, j := range keyCols {
			c := &r.Cells[j]
			if c.Null {
				continue
			}
			if at == nil {
				at = c
			}
			col := p.ds.Columns[j]
			id = append(id, col.Name+"="+keyValue(col.Type, *c))
			v := c.Raw
			if col.Type == String || col.Type == URL {
				v = strconv.Quote(v)
			}
			shown = append(shown, col.Name+"="+v)
		}
		if at == nil {
			continue
		}
		k := strings.Join(id, "\x00")
		if f, dup := first[k]; dup {
			p.Probs.Add(p.Path, at.Line, at.Col, "duplicate key %s (first at line %d)", strings.Join(shown, ", "), f.Line)
			continue
		}
		first[k] = *at
	}
}

// keyValue is the value of a key cell for comparison: 15.0 and 15 are one
// number.
func keyValue(t Type, c Cell) string {
	switch t {
	case Integer:
		return strconv.FormatInt(c.Int, 10)
	case Number:
		if c.Num == 0 {
			return "0"
		}
		return strconv.FormatFloat(c.Num, 'g', -1, 64)
	}
	return c.Raw
}
