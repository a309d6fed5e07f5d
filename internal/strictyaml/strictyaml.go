// Package strictyaml reads YAML documents as yaml.Node trees and decodes
// them into typed values field by field, reporting every problem at the
// line and column a person would point at.
//
// folio never decodes YAML straight into Go values: yaml.v3 would convert
// "017" to 15, accept unknown keys, silently keep the last of two duplicate
// keys, and expand alias bombs. Walking the node tree keeps positions for
// every error and makes each conversion explicit.
package strictyaml

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/folio-ssg/folio/internal/diag"
	"go.yaml.in/yaml/v3"
)

// Parse parses data, which must hold at most one YAML document, and returns
// the document's root node, or nil when the document is empty or broken
// (problems say which). firstLine is the line data starts at in its file,
// so front matter can be parsed with the positions of the whole file.
func Parse(path string, data []byte, firstLine int, probs *diag.List) *yaml.Node {
	if firstLine > 1 {
		// Pad instead of shifting every position afterwards: yaml.v3's
		// error messages then carry the right line numbers too.
		data = append(bytes.Repeat([]byte{'\n'}, firstLine-1), data...)
	}
	dec := yaml.NewDecoder(bytes.NewReader(data))
	var doc yaml.Node
	if err := dec.Decode(&doc); err != nil {
		if errors.Is(err, io.EOF) {
			return nil
		}
		line, msg := syntaxError(data, err)
		probs.Add(path, max(line, firstLine), 0, "invalid YAML: %s", msg)
		return nil
	}
	var next yaml.Node
	switch err := dec.Decode(&next); {
	case err == nil:
		probs.Add(path, next.Line, 0, "a second YAML document starts here; a file holds one document")
	case !errors.Is(err, io.EOF):
		line, msg := syntaxError(data, err)
		probs.Add(path, max(line, firstLine), 0, "invalid YAML: %s", msg)
	}
	if len(doc.Content) == 0 {
		return nil
	}
	controls(path, doc.Content[0], probs)
	return doc.Content[0]
}

// controls reports scalars holding control characters other than tab and
// newline. YAML refuses them written raw, but its escapes ("\e", "\x07")
// make them, and in a page they are errors that nobody means to write.
// Aliases are not followed, so a bomb costs nothing here either.
func controls(path string, n *yaml.Node, probs *diag.List) {
	if n.Kind == yaml.ScalarNode {
		for _, r := range n.Value {
			if r < 0x20 && r != '\t' && r != '\n' || 0x7f <= r && r <= 0x9f {
				probs.Add(path, n.Line, n.Column, "control character U+%04X is not allowed; remove it", r)
				return
			}
		}
	}
	for _, c := range n.Content {
		controls(path, c, probs)
	}
}

var lineRE = regexp.MustCompile(`^yaml: line (\d+): (.*)$`)

// syntaxError turns a yaml.v3 syntax error into the line a person would
// point at and a message. yaml.v3 reports scanner errors with 1-based lines
// but parser errors ("did not find expected ...") with the 0-based line of
// the enclosing construct; for those we find the first line at which the
// document stops parsing, which is where the mistake is.
func syntaxError(data []byte, err error) (int, string) {
	msg := strings.TrimPrefix(err.Error(), "yaml: ")
	line := 1
	if m := lineRE.FindStringSubmatch(err.Error()); m != nil {
		line, _ = strconv.Atoi(m[1])
		msg = m[2]
		if strings.HasPrefix(msg, "did not find expected") {
			line++
			if msg == "did not find expected key" || msg == "did not find expected '-' indicator" {
				line = firstFailingLine(data, line, msg)
			}
		}
	}
	switch {
	case msg == "found character that cannot start any token" && tabIndented(data, line) > 0:
		// yaml.v3 words a tab before a list item this way; elsewhere
		// it says what is wrong, so say that.
		return line, "found a tab character that violates indentation"
	case msg == "found a tab character that violates indentation":
		// yaml.v3 may name the line of the key before the tab.
		if l := tabIndented(data, line); l > 0 {
			return l, msg
		}
	case strings.Contains(msg, "control characters"):
		// yaml.v3 gives no line for these: find the first one.
		return lineOf(data, func(r rune) bool { return r < 0x20 && r != '\t' && r != '\n' && r != '\r' || r == 0x7f }), msg
	case strings.Contains(msg, "UTF-8"):
		return lineOf(data, func(r rune) bool { return r == utf8.RuneError }), msg
	}
	if m := anchorRE.FindStringSubmatch(msg); m != nil {
		// yaml.v3 gives no line for an unknown alias: find its first use.
		for i, l := range bytes.Split(data, []byte("\n")) {
			if bytes.Contains(l, []byte("*"+m[1])) {
				return i + 1, msg
			}
		}
	}
	return line, msg
}

// tabIndented returns the first line from the 1-based line on that is
// indented with a tab, or 0.
func tabIndented(data []byte, line int) int {
	for i, l := range bytes.Split(data, []byte("\n")) {
		indent := l[:len(l)-len(bytes.TrimLeft(l, " \t"))]
		if i+1 >= line && bytes.IndexByte(indent, '\t') >= 0 {
			return i + 1
		}
	}
	return 0
}

// lineOf returns the 1-based line of the first rune in data that bad
// reports, or 1.
func lineOf(data []byte, bad func(rune) bool) int {
	line := 1
	for len(data) > 0 {
		r, n := utf8.DecodeRune(data)
		if bad(r) {
			return line
		}
		if r == '\n' {
			line++
		}
		data = data[n:]
	}
	return 1
}

var anchorRE = regexp.MustCompile(`^unknown anchor '(.*)' referenced$`)

// firstFailingLine returns the first line from start on such that the
// document cut after that line fails with msg. It gives up after a bounded
// number of attempts, returning start.
func firstFailingLine(data []byte, start int, msg string) int {
	lines := bytes.SplitAfter(data, []byte("\n"))
	for n := start; n <= len(lines) && n < start+200; n++ {
		var doc yaml.Node
		err := yaml.Unmarshal(bytes.Join(lines[:n], nil), &doc)
		if err != nil && strings.HasSuffix(err.Error(), msg) {
			return n
		}
	}
	return start
}

// Decoder decodes nodes of one file, collecting problems.
type Decoder struct {
	Path  string
	Probs *diag.List
}

// Errorf records a problem at n's position.
func (d Decoder) Errorf(n *yaml.Node, format string, args ...any) {
	d.Probs.Add(d.Path, n.Line, n.Column, format, args...)
}

// Field is one key a mapping may hold.
type Field struct {
	Name     string
	Required bool
	Set      func(v *yaml.Node)
}

// Mapping checks that n is a mapping and calls Set for each known key. An
// unknown key, a duplicate key, a missing required key or an alias is a
// problem. what names the mapping in messages ("front matter", "row").
// It reports whether n was a mapping.
func (d Decoder) Mapping(n *yaml.Node, what string, fields []Field) bool {
	if !d.Is(n, yaml.MappingNode, what, "a mapping of keys to values") {
		return false
	}
	seen := make(map[string]*yaml.Node, len(n.Content)/2)
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		if k.Kind != yaml.ScalarNode {
			d.Errorf(k, "%s keys must be plain names", what)
			continue
		}
		if first, dup := seen[k.Value]; dup {
			d.Errorf(k, "duplicate key %q (first at line %d)", k.Value, first.Line)
			continue
		}
		seen[k.Value] = k
		f := findField(fields, k.Value)
		if f == nil {
			d.Errorf(k, "unknown key %q%s", k.Value, suggest(k.Value, fields))
			continue
		}
		if v.Kind == yaml.AliasNode {
			d.Errorf(v, "YAML aliases (*name) are not supported; write the value out")
			continue
		}
		// A required key must have a value: not null, and not blank
		// text either, however it is quoted or tagged ("", !x).
		if f.Required && (IsNull(v) || v.Kind == yaml.ScalarNode && strings.TrimSpace(v.Value) == "") {
			d.Errorf(v, "%q must not be empty", f.Name)
		} else if f.Set != nil && !IsNull(v) {
			f.Set(v)
		}
	}
	for _, f := range fields {
		if _, ok := seen[f.Name]; f.Required && !ok {
			d.Errorf(n, "missing required key %q in %s", f.Name, what)
		}
	}
	return true
}

func findField(fields []Field, name string) *Field {
	for i := range fields {
		if fields[i].Name == name {
			return &fields[i]
		}
	}
	return nil
}

// suggest returns `; did you mean "x"?` for the closest known key, if any
// is close enough to be a likely typo.
func suggest(name string, fields []Field) string {
	best, bestDist := "", 3
	for _, f := range fields {
		if dd := distance(strings.ToLower(name), f.Name); dd < bestDist {
			best, bestDist = f.Name, dd
		}
	}
	if best == "" {
		return ""
	}
	return fmt.Sprintf("; did you mean %q?", best)
}

// distance is the Levenshtein distance between a and b.
func distance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(rb)]
}

// IsNull reports whether n is an explicit or empty null.
func IsNull(n *yaml.Node) bool {
	return n.Kind == yaml.ScalarNode && n.Tag == "!!null"
}

// Is checks that n is of kind, reporting "<what> must be <want>" if not.
func (d Decoder) Is(n *yaml.Node, kind yaml.Kind, what, want string) bool {
	if n.Kind == kind {
		return true
	}
	if n.Kind == yaml.AliasNode {
		d.Errorf(n, "YAML aliases (*name) are not supported; write the value out")
		return false
	}
	d.Errorf(n, "%s must be %s, not %s", what, want, Describe(n))
	return false
}

// Describe names what n holds, for messages: "a list", "the number 42".
func Describe(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "a mapping"
	case yaml.SequenceNode:
		return "a list"
	case yaml.AliasNode:
		return "an alias"
	case yaml.ScalarNode:
		if n.Style&(yaml.DoubleQuotedStyle|yaml.SingleQuotedStyle) != 0 {
			return fmt.Sprintf("the quoted text %q", n.Value)
		}
		switch n.Tag {
		case "!!null":
			return "null"
		case "!!int", "!!float":
			return "the number " + n.Value
		case "!!bool":
			return n.Value
		case "!!timestamp":
			return "the date " + n.Value
		}
		return fmt.Sprintf("the text %q", n.Value)
	}
	return "nothing"
}

// Text returns a scalar's text. Front matter is prose, so any scalar counts:
// "title: 1984" is the text "1984".
func (d Decoder) Text(n *yaml.Node, what string) (string, bool) {
	if !d.Is(n, yaml.ScalarNode, what, "text") {
		return "", false
	}
	return n.Value, true
}

// Bool returns a true or false scalar.
func (d Decoder) Bool(n *yaml.Node, what string) (bool, bool) {
	if n.Kind == yaml.ScalarNode && n.Tag == "!!bool" && (n.Value == "true" || n.Value == "false") {
		return n.Value == "true", true
	}
	d.Errorf(n, "%s must be true or false, not %s", what, Describe(n))
	return false, false
}

// TextList returns a list of scalars.
func (d Decoder) TextList(n *yaml.Node, what string) ([]string, bool) {
	if !d.Is(n, yaml.SequenceNode, what, "a list such as [a, b]") {
		return nil, false
	}
	out := make([]string, 0, len(n.Content))
	ok := true
	for _, item := range n.Content {
		s, good := d.Text(item, what+" entry")
		if !good {
			ok = false
			continue
		}
		out = append(out, s)
	}
	return out, ok
}

var dateRE = regexp.MustCompile(`^[0-9]{4}-[0-9]{2}-[0-9]{2}$`)

// ParseDate parses a YYYY-MM-DD calendar date, explaining what is wrong.
func ParseDate(s string) (time.Time, error) {
	if !dateRE.MatchString(s) {
		return time.Time{}, fmt.Errorf("bad date %q: write it as YYYY-MM-DD, e.g. 2025-02-03", s)
	}
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		y, _ := strconv.Atoi(s[:4])
		m, _ := strconv.Atoi(s[5:7])
		if m < 1 || m > 12 {
			return time.Time{}, fmt.Errorf("bad date %q: there is no month %d", s, m)
		}
		return time.Time{}, fmt.Errorf("bad date %q: %s %d has no day %s", s, time.Month(m), y, strings.TrimLeft(s[8:], "0"))
	}
	return t, nil
}

// Date returns a YYYY-MM-DD date, written plain or quoted.
func (d Decoder) Date(n *yaml.Node, what string) (time.Time, bool) {
	if n.Kind != yaml.ScalarNode || IsNull(n) {
		d.Errorf(n, "%s must be a date (YYYY-MM-DD), not %s", what, Describe(n))
		return time.Time{}, false
	}
	t, err := ParseDate(n.Value)
	if err != nil {
		d.Errorf(n, "%s: %v", what, err)
		return time.Time{}, false
	}
	return t, true
}
