package markdown

import (
	"bytes"
	"strconv"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/renderer"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
)

// Charts and shortcodes are resolved by the site, which knows every
// dataset and every figure on every page. Markdown only finds them: a
// ```chart block and a {{< name args >}} shortcode each become a marker
// comment in the HTML, <!--folio:chart:N--> or <!--folio:sc:N-->, N being
// the index into Result.Charts or Result.Shortcodes, which the site
// replaces with the figure or the value. Authors cannot forge a marker:
// raw HTML is omitted unless allow_html is on, and then the site only
// replaces markers it handed out, by index, once each.

// Fence is a ```chart block.
type Fence struct {
	Body      []byte // the block's content: a YAML chart spec
	Line, Col int    // the opening fence, in the file
	BodyLine  int    // the file line the content starts on
}

// Shortcode is a {{< name key="value" "positional" >}} in the text.
type Shortcode struct {
	Name       string
	Args       []Arg
	Line, Col  int    // the "{{<", in the file
	Err        string // a syntax problem; the other fields may be partial
	Positional []string
}

// Arg is one key="value" argument of a shortcode.
type Arg struct {
	Key, Value string
	Line, Col  int
}

// ChartMarker and ShortcodeMarker return the marker comments for index i.
func ChartMarker(i int) string     { return "<!--folio:chart:" + strconv.Itoa(i) + "-->" }
func ShortcodeMarker(i int) string { return "<!--folio:sc:" + strconv.Itoa(i) + "-->" }

var kindMarker = ast.NewNodeKind("FolioMarker")

// marker is a node that renders as a marker comment.
type marker struct {
	ast.BaseInline
	html  string
	block bool
}

func (n *marker) Kind() ast.NodeKind { return kindMarker }
func (n *marker) Dump(src []byte, level int) {
	ast.DumpHelper(n, src, level, map[string]string{"html": n.html}, nil)
}

// embeds is the goldmark extension: the shortcode parser and the
// marker renderer.
type embeds struct{}

func (embeds) Extend(m goldmark.Markdown) {
	m.Parser().AddOptions(parser.WithInlineParsers(util.Prioritized(shortcodeParser{}, 50)))
	m.Renderer().AddOptions(renderer.WithNodeRenderers(util.Prioritized(markerRenderer{}, 50)))
}

type markerRenderer struct{}

func (markerRenderer) RegisterFuncs(reg renderer.NodeRendererFuncRegisterer) {
	reg.Register(kindMarker, func(w util.BufWriter, _ []byte, n ast.Node, entering bool) (ast.WalkStatus, error) {
		if entering {
			m := n.(*marker)
			_, _ = w.WriteString(m.html)
			if m.block {
				_ = w.WriteByte('\n')
			}
		}
		return ast.WalkSkipChildren, nil
	})
}

var kindShortcode = ast.NewNodeKind("FolioShortcode")

// shortcodeNode is a parsed shortcode, before the pass numbers it.
type shortcodeNode struct {
	ast.BaseInline
	sc  Shortcode
	off int // byte offset of "{{<" in the source
}

func (n *shortcodeNode) Kind() ast.NodeKind     { return kindShortcode }
func (n *shortcodeNode) Dump(src []byte, l int) { ast.DumpHelper(n, src, l, nil, nil) }

type shortcodeParser struct{}

func (shortcodeParser) Trigger() []byte { return []byte{'{'} }

// maxShortcode bounds how far a shortcode may run, so a stray "{{<"
// costs a bounded scan rather than the rest of the paragraph each time.
const maxShortcode = 1024

func (shortcodeParser) Parse(_ ast.Node, block text.Reader, _ parser.Context) ast.Node {
	line, seg := block.PeekLine()
	if !bytes.HasPrefix(line, []byte("{{<")) {
		return nil
	}
	n := &shortcodeNode{off: seg.Start}
	// Look for ">}}" only as far as a shortcode may run: a line of many
	// "{{<" would otherwise be scanned to its end once for each.
	end := bytes.Index(line[:min(len(line), maxShortcode+3)], []byte(">}}"))
	if end < 0 {
		n.sc.Err = `shortcode is not closed with ">}}" on the same line`
		block.Advance(3)
		return n
	}
	parseShortcode(line[3:end], seg.Start+3, &n.sc)
	block.Advance(end + 3)
	return n
}

// parseShortcode reads `name key="value" "positional"`; off is the byte
// offset of s in the source, for argument positions (filled in later).
func parseShortcode(s []byte, off int, sc *Shortcode) {
	i := 0
	skip := func() {
		for i < len(s) && (s[i] == ' ' || s[i] == '\t') {
			i++
		}
	}
	word := func() string {
		start := i
		for i < len(s) && (isWordByte(s[i])) {
			i++
		}
		return string(s[start:i])
	}
	quoted := func() (string, bool) {
		if i >= len(s) || s[i] != '"' {
			return "", false
		}
		j := bytes.IndexByte(s[i+1:], '"')
		if j < 0 {
			return "", false
		}
		v := string(s[i+1 : i+1+j])
		i += j + 2
		return v, true
	}
	skip()
	sc.Name = word()
	if sc.Name == "" {
		sc.Err = "shortcode has no name; write {{< value ... >}} or {{< ref ... >}}"
		return
	}
	for {
		skip()
		if i >= len(s) {
			return
		}
		at := off + i
		if s[i] == '"' {
			v, ok := quoted()
			if !ok {
				sc.Err = "unclosed quote in shortcode"
				return
			}
			sc.Positional = append(sc.Positional, v)
			continue
		}
		key := word()
		if key == "" || i >= len(s) || s[i] != '=' {
			sc.Err = `shortcode arguments are written key="value"`
			return
		}
		i++
		v, ok := quoted()
		if !ok {
			sc.Err = `shortcode argument ` + key + ` needs a quoted value: ` + key + `="..."`
			return
		}
		sc.Args = append(sc.Args, Arg{Key: key, Value: v, Line: at})
	}
}

func isWordByte(b byte) bool {
	return b == '_' || b == '-' || 'a' <= b && b <= 'z' || 'A' <= b && b <= 'Z' || '0' <= b && b <= '9'
}

// embed turns a chart fence or a shortcode into a marker and records it.
func (p *pass) embed(n ast.Node) {
	switch n := n.(type) {
	case *ast.FencedCodeBlock:
		lines := n.Lines()
		f := Fence{}
		var body bytes.Buffer
		for i := range lines.Len() {
			seg := lines.At(i)
			body.Write(seg.Value(p.src))
		}
		f.Body = body.Bytes()
		// The info string's segment sits on the opening fence's line.
		f.Line, f.Col = p.position(n.Info.Segment.Start)
		f.Col = 1
		f.BodyLine = f.Line + 1
		m := &marker{html: ChartMarker(len(p.res.Charts)), block: true}
		p.res.Charts = append(p.res.Charts, f)
		n.Parent().ReplaceChild(n.Parent(), n, m)
	case *shortcodeNode:
		sc := n.sc
		sc.Line, sc.Col = p.position(n.off)
		for i := range sc.Args {
			sc.Args[i].Line, sc.Args[i].Col = p.position(sc.Args[i].Line)
		}
		m := &marker{html: ShortcodeMarker(len(p.res.Shortcodes))}
		p.res.Shortcodes = append(p.res.Shortcodes, sc)
		n.Parent().ReplaceChild(n.Parent(), n, m)
	}
}

// isChartFence reports whether n is a ```chart block.
func isChartFence(n *ast.FencedCodeBlock, src []byte) bool {
	return n.Info != nil && string(bytes.TrimSpace(n.Language(src))) == "chart"
}
