package markdown

import (
	"bufio"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"golang.org/x/net/html"
)

// commonmarkDir holds the CommonMark spec's examples and folio's list of
// known failures; its README says where the examples come from.
var commonmarkDir = filepath.Join("testdata", "commonmark")

// specExample is one example of spec.json, as the commonmark-spec
// package exports it.
type specExample struct {
	Markdown string `json:"markdown"`
	HTML     string `json:"html"`
	Section  string `json:"section"`
	Number   int    `json:"number"`
}

// TestCommonMark is the CommonMark conformance test: every example of the
// spec goes through folio's own Renderer, extensions and pass included,
// with raw HTML allowed, and the output is compared with the spec's after
// normaliseHTML.
//
// folio is CommonMark plus extensions, so some examples rightly render
// differently: testdata/commonmark/known-failures.txt lists each of them
// with its reason. The test fails when an example that is not listed
// fails, and when a listed one passes (the list is then out of date).
func TestCommonMark(t *testing.T) {
	data, err := os.ReadFile(filepath.Join(commonmarkDir, "spec.json"))
	if err != nil {
		t.Fatal(err)
	}
	var examples []specExample
	if err := json.Unmarshal(data, &examples); err != nil {
		t.Fatalf("spec.json: %v", err)
	}
	if len(examples) == 0 {
		t.Fatal("spec.json has no examples")
	}
	known := readKnownFailures(t, examples)

	r := New(Options{AllowHTML: true, BasePath: "/"})
	pass, failKnown := 0, 0
	for _, ex := range examples {
		res, err := r.Render([]byte(ex.Markdown), 1)
		if err != nil {
			t.Errorf("example %d (%s): %v", ex.Number, ex.Section, err)
			continue
		}
		want, got := normaliseHTML(ex.HTML), normaliseHTML(string(res.HTML))
		reason, isKnown := known[ex.Number]
		switch {
		case want == got:
			pass++
			if isKnown {
				t.Errorf("example %d (%s) passes now: remove it from known-failures.txt (its reason was %q)",
					ex.Number, ex.Section, reason)
			}
		case isKnown:
			failKnown++
		default:
			t.Errorf("example %d (%s) fails:\n--- markdown:\n%s--- want (normalised):\n%s\n--- got (normalised):\n%s\n--- got (as rendered):\n%s",
				ex.Number, ex.Section, ex.Markdown, want, got, res.HTML)
		}
	}

	line := fmt.Sprintf("CommonMark: %d of %d examples pass, %d known failures", pass, len(examples), failKnown)
	t.Log(line)
	if !testing.Verbose() {
		// t.Log is shown only with -v or on failure. Stdout is shown
		// by go test run in this directory (local directory mode); in
		// package list mode (go test ./...) go test prints nothing of a
		// passing package but its "ok" line, by design.
		fmt.Println(line)
	}
}

// readKnownFailures reads testdata/commonmark/known-failures.txt: one
// example a line, "NUMBER | SECTION | REASON", blank lines and lines
// starting with # ignored. It returns the reason of each number, and
// fails the test on a malformed line, a duplicate, a number the spec
// does not have or a section that is not the example's.
func readKnownFailures(t *testing.T, examples []specExample) map[int]string {
	t.Helper()
	name := filepath.Join(commonmarkDir, "known-failures.txt")
	f, err := os.Open(name)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	section := make(map[int]string, len(examples))
	for _, ex := range examples {
		section[ex.Number] = ex.Section
	}
	known := map[int]string{}
	sc := bufio.NewScanner(f)
	for ln := 1; sc.Scan(); ln++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		fields := strings.SplitN(line, "|", 3)
		if len(fields) != 3 {
			t.Fatalf("%s:%d: want NUMBER | SECTION | REASON, have %q", name, ln, line)
		}
		for i := range fields {
			fields[i] = strings.TrimSpace(fields[i])
		}
		n, err := strconv.Atoi(fields[0])
		switch {
		case err != nil:
			t.Fatalf("%s:%d: example number %q: %v", name, ln, fields[0], err)
		case section[n] == "":
			t.Fatalf("%s:%d: the spec has no example %d", name, ln, n)
		case fields[1] != section[n]:
			t.Fatalf("%s:%d: example %d is in section %q, not %q", name, ln, n, section[n], fields[1])
		case fields[2] == "":
			t.Fatalf("%s:%d: example %d has no reason", name, ln, n)
		case known[n] != "":
			t.Fatalf("%s:%d: example %d is listed twice", name, ln, n)
		}
		known[n] = fields[2]
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return known
}

// normaliseHTML rewrites HTML so that two renderings compare equal when
// they differ only in ways no browser shows, in the spirit of the
// CommonMark test suite's normalize.py. Going token by token (no tree is
// built, so misnested or unclosed tags stay as they are):
//
//   - outside the elements of keepTags (<pre> and raw text), whitespace
//     at the start or end of a text next to a block-level tag (see
//     blockTags), or next to the start or end of the document, is
//     dropped, so newlines between tags do not count;
//   - entities and character references are resolved, and the text is
//     escaped again one fixed way (&quot; and " are the same text);
//   - tag and attribute names are lowercase, attributes are sorted by
//     name, and a void element's self-closing form (<br />) is <br>;
//   - id attributes of h1-h6 are dropped: folio gives every heading an id
//     on purpose, and the spec's headings have none.
//
// Everything else — text, whitespace within a text, comments, the
// content of keepTags — is kept as it is.
func normaliseHTML(s string) string {
	type token struct {
		text  string
		block bool // a block-level start or end tag
		trim  bool // text whose edges may be trimmed (not in keepTags)
	}
	var toks []token
	keep := 0 // depth in <pre> and raw-text elements
	z := html.NewTokenizer(strings.NewReader(s))
	for {
		tt := z.Next()
		if tt == html.ErrorToken {
			break
		}
		switch tt {
		case html.TextToken:
			toks = append(toks, token{text: html.EscapeString(string(z.Text())), trim: keep == 0})
		case html.StartTagToken, html.SelfClosingTagToken, html.EndTagToken:
			tok := z.Token()
			name := tok.Data
			block := blockTags[name]
			if tt == html.EndTagToken {
				if keepTags[name] && keep > 0 {
					keep--
				}
				toks = append(toks, token{text: "</" + name + ">", block: block})
				continue
			}
			if keepTags[name] && tt == html.StartTagToken {
				keep++
			}
			attrs := slices.DeleteFunc(tok.Attr, func(a html.Attribute) bool {
				return a.Key == "id" && len(name) == 2 && name[0] == 'h' && '1' <= name[1] && name[1] <= '6'
			})
			slices.SortStableFunc(attrs, func(a, b html.Attribute) int { return strings.Compare(a.Key, b.Key) })
			var b strings.Builder
			b.WriteString("<" + name)
			for _, a := range attrs {
				b.WriteString(" " + a.Key + `="` + html.EscapeString(a.Val) + `"`)
			}
			if tt == html.SelfClosingTagToken && !voidTags[name] {
				b.WriteString(" /")
			}
			b.WriteString(">")
			toks = append(toks, token{text: b.String(), block: block})
		default: // comments, doctypes: as written
			toks = append(toks, token{text: string(z.Raw())})
		}
	}
	var out strings.Builder
	for i, tok := range toks {
		if tok.trim {
			if i == 0 || toks[i-1].block {
				tok.text = strings.TrimLeft(tok.text, htmlSpace)
			}
			if i == len(toks)-1 || toks[i+1].block {
				tok.text = strings.TrimRight(tok.text, htmlSpace)
			}
		}
		out.WriteString(tok.text)
	}
	return out.String()
}

// htmlSpace is HTML's ASCII whitespace; a no-break space is not one.
const htmlSpace = " \t\n\f\r"

// blockTags are the tags next to which whitespace is dropped: those of
// normalize.py, plus div.
var blockTags = setOf("article", "aside", "blockquote", "body", "button", "canvas",
	"caption", "col", "colgroup", "dd", "div", "dl", "dt", "embed", "fieldset",
	"figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6",
	"header", "hgroup", "hr", "iframe", "li", "map", "object", "ol", "output", "p",
	"pre", "progress", "script", "section", "style", "table", "tbody", "td",
	"textarea", "tfoot", "th", "thead", "tr", "ul", "video")

// keepTags are the elements whose content is kept whitespace and all.
var keepTags = setOf("pre", "script", "style", "textarea")

// voidTags are the elements that have no end tag, for which <x> and
// <x /> are the same.
var voidTags = setOf("area", "base", "br", "col", "embed", "hr", "img", "input",
	"link", "meta", "source", "track", "wbr")

func setOf(names ...string) map[string]bool {
	m := make(map[string]bool, len(names))
	for _, n := range names {
		m[n] = true
	}
	return m
}

// TestNormaliseHTML pins down what normaliseHTML makes equal, and that it
// keeps apart what a reader would see differently.
func TestNormaliseHTML(t *testing.T) {
	same := [][2]string{
		{"<p>a</p>\n<p>b</p>\n", "<p>a</p><p>b</p>"},
		{"<ul>\n<li>\n<p>a</p>\n</li>\n</ul>", "<ul><li><p>a</p></li></ul>"},
		{"<p>a<br />\nb</p>", "<p>a<br>\nb</p>"},
		{`<a title="t" href="/u">x</a>`, `<A HREF='/u' title=t>x</A>`},
		{"<p>&quot;a&quot; &amp; &ouml;</p>", `<p>"a" &amp; ö</p>`},
		{`<h2 id="foo">Foo</h2>`, "<h2>Foo</h2>"},
	}
	for _, c := range same {
		if a, b := normaliseHTML(c[0]), normaliseHTML(c[1]); a != b {
			t.Errorf("normaliseHTML(%q) = %q, normaliseHTML(%q) = %q; want them equal", c[0], a, c[1], b)
		}
	}
	different := [][2]string{
		{`<p>"a"</p>`, "<p>“a”</p>"},
		{"<p>a b</p>", "<p>a  b</p>"},
		{"<p>a\nb</p>", "<p>a b</p>"},
		{"<pre><code>a\n</code></pre>", "<pre><code>a</code></pre>"},
		{"<p><em>a</em></p>", "<p>a</p>"},
		{`<p><a href="/u">a</a></p>`, `<p><a href="/v">a</a></p>`},
		{"<p>a<!-- x --></p>", "<p>a</p>"},
		{`<div id="x"></div>`, "<div></div>"},
		{"<p>&amp;copy</p>", "<p>&copy;</p>"},
		{"<p>a  <br>b</p>", "<p>a<br>b</p>"},
	}
	for _, c := range different {
		if a := normaliseHTML(c[0]); a == normaliseHTML(c[1]) {
			t.Errorf("normaliseHTML makes %q and %q the same (%q); want them different", c[0], c[1], a)
		}
	}
}
