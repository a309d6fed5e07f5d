package markdown

import (
	"bytes"
	stdhtml "html"
	"sort"
	"strconv"

	"github.com/yuin/goldmark/ast"
	extast "github.com/yuin/goldmark/extension/ast"
	"github.com/yuin/goldmark/renderer/html"
)

// pass walks a parsed document once, between parsing and rendering: it
// gives headings their ids, rewrites root-relative destinations for the
// base path, and records headings, ids and links.
//
// Heading ids are assigned here rather than by goldmark's
// parser.WithAutoHeadingID because goldmark generates those from the raw
// Markdown line before inline parsing, so "## The [cost](/x) of *it*"
// would get an id spelled with the URL and without typography.
type pass struct {
	src       []byte
	base      string
	firstLine int

	res        Result
	used       map[string]bool // heading ids given so far
	suffix     map[string]int  // the last number appended to each slug
	lineStarts []int           // byte offsets where lines start, built on first use
	text       buffer          // scratch for heading text
	backlinks  []*extast.FootnoteBacklink
}

func (p *pass) run(doc ast.Node) {
	var embeds []ast.Node
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch n := n.(type) {
		case *ast.FencedCodeBlock:
			if isChartFence(n, p.src) {
				embeds = append(embeds, n)
				return ast.WalkSkipChildren, nil
			}
		case *shortcodeNode:
			embeds = append(embeds, n)
		case *ast.Heading:
			p.heading(n)
		case *ast.Link:
			p.link(n, n.Destination)
			n.Destination = p.rewrite(n.Destination)
		case *ast.Image:
			p.link(n, n.Destination)
			n.Destination = p.rewrite(n.Destination)
		case *ast.AutoLink:
			p.autoLink(n)
		case *extast.FootnoteLink:
			p.res.IDs = append(p.res.IDs, noteRefID(n.Index, n.RefIndex))
		case *extast.FootnoteBacklink:
			p.backlinks = append(p.backlinks, n)
		case *extast.TableCell:
			if n.Alignment != extast.AlignNone {
				n.SetAttributeString("class", "align-"+n.Alignment.String())
			}
		case *extast.Footnote:
			p.res.IDs = append(p.res.IDs, "fn:"+strconv.Itoa(n.Index))
		}
		return ast.WalkContinue, nil
	})
	// Replaced after the walk: changing the tree while walking it would
	// skip nodes.
	for _, n := range embeds {
		p.embed(n)
	}
	p.dropDanglingBacklinks()
}

// noteRefID is the id goldmark gives the refIndex-th citation of note
// index: "fnref:1", then "fnref1:1", "fnref2:1".
func noteRefID(index, refIndex int) string {
	id := "fnref"
	if refIndex > 0 {
		id += strconv.Itoa(refIndex)
	}
	return id + ":" + strconv.Itoa(index)
}

// dropDanglingBacklinks removes back-links to citations that are not in
// the document. goldmark counts a citation made inside a note that is
// itself never cited, then drops that note, leaving "↩" pointing
// nowhere; the site's anchor check would rightly fail on it.
func (p *pass) dropDanglingBacklinks() {
	if len(p.backlinks) == 0 {
		return
	}
	defined := make(map[string]bool, len(p.res.IDs))
	for _, id := range p.res.IDs {
		defined[id] = true
	}
	for _, b := range p.backlinks {
		if !defined[noteRefID(b.Index, b.RefIndex)] {
			b.Parent().RemoveChild(b.Parent(), b)
		}
	}
}

func (p *pass) heading(n *ast.Heading) {
	text := p.plainText(n)
	base := Slug(text)
	id := base
	if p.used[id] {
		// Resume numbering where the last duplicate of base stopped, so
		// a thousand identical headings cost a thousand lookups.
		n := max(p.suffix[base], 1)
		for p.used[id] {
			n++
			id = base + "-" + strconv.Itoa(n)
		}
		p.suffix[base] = n
	}
	p.used[id] = true
	n.SetAttributeString("id", []byte(id))
	p.res.IDs = append(p.res.IDs, id)
	if n.Level == 2 || n.Level == 3 {
		p.res.Headings = append(p.res.Headings, Heading{Level: n.Level, ID: id, Text: text})
	}
}

// plainText returns the text of heading h as a reader sees it: markup
// dropped, backslash escapes and entities resolved, typography applied.
// It writes the text through goldmark's own HTML text writer, so the
// rules are exactly the renderer's, and then unescapes the HTML.
func (p *pass) plainText(h *ast.Heading) string {
	p.text.Reset()
	w := html.DefaultWriter
	_ = ast.Walk(h, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch n := n.(type) {
		case *ast.Text:
			v := n.Value(p.src)
			if n.IsRaw() || n.Parent().Kind() == ast.KindCodeSpan {
				w.RawWrite(&p.text, v)
			} else {
				w.Write(&p.text, v)
			}
			if n.SoftLineBreak() || n.HardLineBreak() {
				p.text.WriteByte(' ')
			}
		case *ast.String:
			if n.IsCode() || n.IsRaw() {
				w.RawWrite(&p.text, n.Value)
			} else {
				w.Write(&p.text, n.Value)
			}
		case *ast.AutoLink:
			w.RawWrite(&p.text, n.Label(p.src))
		case *ast.RawHTML, *extast.FootnoteLink:
			return ast.WalkSkipChildren, nil
		}
		return ast.WalkContinue, nil
	})
	return stdhtml.UnescapeString(string(bytes.TrimSpace(p.text.Bytes())))
}

// link records a link or image destination at node n's position.
func (p *pass) link(n ast.Node, dest []byte) {
	line, col := p.position(offset(n))
	p.res.Links = append(p.res.Links, Link{Dest: string(dest), Line: line, Col: col})
}

// autoLink records an autolink. Dest is the URL the link goes to, not
// the text: linkify turns www.x.org into http://www.x.org and an address
// into mailto:, and a link checker must not take either for a path.
func (p *pass) autoLink(n *ast.AutoLink) {
	url, label := n.URL(p.src), n.Label(p.src)
	if n.AutoLinkType == ast.AutoLinkEmail && !bytes.HasPrefix(bytes.ToLower(url), []byte("mailto:")) {
		url = append([]byte("mailto:"), url...)
	}
	off := offset(n)
	// Linkify's recorded offset is that of the space or punctuation
	// before a bare URL; step onto the URL itself.
	if off >= 0 && off+1 < len(p.src) && p.src[off] != '<' && !bytes.HasPrefix(p.src[off:], label) {
		off++
	}
	line, col := p.position(off)
	p.res.Links = append(p.res.Links, Link{Dest: string(url), Line: line, Col: col})
}

// rewrite makes a root-relative destination ("/briefs/x/", not
// "//host/x") relative to the site's base path.
func (p *pass) rewrite(dest []byte) []byte {
	if p.base == "/" || len(dest) == 0 || dest[0] != '/' || len(dest) > 1 && dest[1] == '/' {
		return dest
	}
	out := make([]byte, 0, len(p.base)+len(dest)-1)
	out = append(out, p.base...)
	return append(out, dest[1:]...)
}

// offset returns the byte offset in the source of inline node n:
// goldmark records that of a link's "[", an image's "![", an autolink's
// "<". Should a node lack one, the nearest ancestor's is used.
func offset(n ast.Node) int {
	off := -1
	for m := n; m != nil && off < 0; m = m.Parent() {
		off = m.Pos()
	}
	return off
}

// position converts a byte offset in the source to a file line and a
// 1-based column in bytes.
func (p *pass) position(off int) (line, col int) {
	if off < 0 || off > len(p.src) {
		return p.firstLine, 0
	}
	if p.lineStarts == nil {
		p.lineStarts = append(p.lineStarts, 0)
		for i := 0; ; {
			j := bytes.IndexByte(p.src[i:], '\n')
			if j < 0 {
				break
			}
			i += j + 1
			p.lineStarts = append(p.lineStarts, i)
		}
	}
	// The last line starting at or before off.
	i := sort.Search(len(p.lineStarts), func(i int) bool { return p.lineStarts[i] > off }) - 1
	return p.firstLine + i, off - p.lineStarts[i] + 1
}
