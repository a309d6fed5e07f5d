package markdown

import (
	"bytes"
	"fmt"
	"strings"
	"sync"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/renderer"
	"github.com/yuin/goldmark/renderer/html"
	"github.com/yuin/goldmark/text"
)

// Options configure a Renderer. The zero value renders for a site served
// from the root of its host, with raw HTML omitted.
type Options struct {
	AllowHTML bool   // raw HTML passes through; default: omitted (goldmark's default safe behaviour)
	BasePath  string // the path of the site's base_url, always starting and ending with "/", e.g. "/" or "/observatory/"
}

// A Renderer converts Markdown bodies to HTML. It is safe for concurrent
// use: the site renders every page with one Renderer.
type Renderer struct {
	md   goldmark.Markdown
	base string // Options.BasePath, normalised to start and end with "/"
}

// Heading is a level 2 or 3 heading, for the table of contents.
type Heading struct {
	Level int
	ID    string
	Text  string // plain text, after typography (curly quotes as Unicode)
}

// Link is a link or image destination in the Markdown. For an autolink
// Dest is the URL it goes to: www.x.org is http://www.x.org and an e-mail
// address is mailto:..., so no autolink looks like a path.
type Link struct {
	Dest string // as the author wrote it, before base-path rewriting
	Line int    // 1-based line in the file (see Render's firstLine)
	Col  int    // 1-based column in bytes
}

// Result is a rendered body and what the site needs to check and index it.
type Result struct {
	HTML     []byte    // the body HTML including endnotes
	Headings []Heading // every h2 and h3, in order (for the table of contents)
	IDs      []string  // every id attribute the HTML defines (heading ids, footnote ids), for anchor checking
	Links    []Link    // every link and image destination, autolinks included, in the order of the HTML (endnotes last)

	Charts     []Fence     // ```chart blocks, in order; marked <!--folio:chart:N--> in HTML
	Shortcodes []Shortcode // {{< >}} shortcodes, in order; marked <!--folio:sc:N-->
}

// typography maps the typographer's punctuation to UTF-8 characters.
// goldmark's defaults are entities (&ldquo;); characters keep the HTML
// readable and are what Heading.Text and Slug want anyway. Guillemets are
// switched off (nil): "x << y" in a policy brief is not a quotation.
var typography = map[extension.TypographicPunctuation][]byte{
	extension.LeftSingleQuote:  []byte("‘"),
	extension.RightSingleQuote: []byte("’"),
	extension.LeftDoubleQuote:  []byte("“"),
	extension.RightDoubleQuote: []byte("”"),
	extension.EnDash:           []byte("–"),
	extension.EmDash:           []byte("—"),
	extension.Ellipsis:         []byte("…"),
	extension.LeftAngleQuote:   nil,
	extension.RightAngleQuote:  nil,
	extension.Apostrophe:       []byte("’"),
}

// Extensions are goldmark's extensions as folio configures them, without
// folio's own (chart fences and shortcodes). bench/floor converts with
// exactly these, so the floor it measures cannot drift from folio.
func Extensions() []goldmark.Extender {
	return []goldmark.Extender{
		// GFM: tables, strikethrough, linkify (bare URLs), task lists.
		// Cell alignment becomes a class (see pass), not a style
		// attribute, so pages hold under a strict Content-Security-Policy.
		extension.NewTable(extension.WithTableCellAlignMethod(extension.TableCellAlignNone)),
		extension.Strikethrough,
		extension.Linkify,
		extension.TaskList,
		// [^label] notes, rendered as endnotes with back-links.
		extension.Footnote,
		// Curly quotes, dashes and ellipses, written as characters.
		extension.NewTypographer(extension.WithTypographicSubstitutions(typography)),
	}
}

// New returns a Renderer for opts.
func New(opts Options) *Renderer {
	var rendererOpts []renderer.Option
	if opts.AllowHTML {
		// Raw HTML and script-running URLs pass through: the site's
		// authors are trusted when folio.yaml says allow_html: true.
		rendererOpts = append(rendererOpts, html.WithUnsafe())
	}
	md := goldmark.New(
		goldmark.WithExtensions(append(Extensions(),
			// ```chart blocks and {{< >}} shortcodes become markers the
			// site fills in (see embeds.go).
			embeds{},
		)...),
		goldmark.WithRendererOptions(rendererOpts...),
		// Deliberately not set: parser.WithAutoHeadingID (ids come from
		// the rendered text, see pass), parser.WithAttribute (it would
		// let authors write arbitrary attributes), html.WithHardWraps and
		// html.WithXHTML (the site is HTML5).
	)
	return &Renderer{md: md, base: normaliseBase(opts.BasePath)}
}

// normaliseBase makes base start and end with "/", so the zero Options
// work and a forgotten slash is not a broken site.
func normaliseBase(base string) string {
	if !strings.HasPrefix(base, "/") {
		base = "/" + base
	}
	if !strings.HasSuffix(base, "/") {
		base += "/"
	}
	return base
}

// Render converts a Markdown body. firstLine is the 1-based line of src's
// first byte in its file (the body follows front matter), so Link
// positions are file positions. src must not change until Render returns.
func (r *Renderer) Render(src []byte, firstLine int) (Result, error) {
	// Parse creates a fresh parser.Context, and the pass keeps its own
	// table of used ids, so concurrent calls share no state.
	doc := r.md.Parser().Parse(text.NewReader(src))
	p := pass{src: src, base: r.base, firstLine: firstLine, used: map[string]bool{}, suffix: map[string]int{}}
	p.run(doc)

	out := buffers.Get().(*buffer)
	defer buffers.Put(out)
	out.Reset()
	// Body HTML is a little longer than its Markdown; room of this size
	// usually suffices.
	out.Grow(len(src) + len(src)/2 + 1024)
	if err := r.md.Renderer().Render(out, src, doc); err != nil {
		return Result{}, fmt.Errorf("rendering markdown: %w", err)
	}
	// An exact copy: a site holds every body until its pages are
	// written, and the room left over would be a third more.
	p.res.HTML = bytes.Clone(out.Bytes())
	return p.res, nil
}

// buffers are scratch buffers for Render.
var buffers = sync.Pool{New: func() any { return new(buffer) }}

// buffer is a bytes.Buffer that satisfies goldmark's util.BufWriter, so
// the renderer writes into it directly instead of through a bufio.Writer
// of its own (one copy of the page, not two).
type buffer struct{ bytes.Buffer }

func (b *buffer) Buffered() int { return b.Len() }
func (b *buffer) Flush() error  { return nil }
