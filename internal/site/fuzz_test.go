package site

import (
	"encoding/json"
	"fmt"
	"maps"
	"path"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"unicode/utf8"

	"golang.org/x/net/html"
)

// The fuzz targets here build a mini-site, testdata/base.txtar with a
// brief whose body (and a dataset cell) the fuzzer writes, and check what
// must hold of every build: problems point into the sources, and a site
// that builds is safe HTML (see checkSafe).

// fuzzBrief is the start of the brief the fuzz targets write: a chart of
// data/evil.yaml with the default id first-1, and shortcodes using both.
const fuzzBrief = "---\ntitle: First brief\nsummary: S.\ndate: 2025-02-03\n---\n## Context\n\n" +
	"```chart\ntype: bar\ndata: evil\nx: label\ny: value\n```\n\n" +
	"Value {{< value data=\"evil\" col=\"label\" where=\"value=1\" >}}, see {{< ref \"first-1\" >}}.\n\n"

// evilDataset returns data/evil.yaml with cell as the label of row 1.
func evilDataset(cell string) string {
	return "title: Evil\nsource: {name: Test, url: \"https://example.org/\"}\nkey: [value]\ncolumns:\n" +
		"  - {name: label, type: string}\n  - {name: value, type: number}\nrows:\n" +
		"  - {label: " + yamlQuote(cell) + ", value: 1}\n  - {label: \"</script><b>\", value: 2}\n"
}

// yamlQuote writes s as a YAML double-quoted scalar that reads back as s
// (for valid UTF-8; an invalid byte reads back as the Latin-1 letter).
func yamlQuote(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && n == 1:
			fmt.Fprintf(&b, `\x%02x`, s[i])
		case r == '"' || r == '\\':
			b.WriteByte('\\')
			b.WriteRune(r)
		case r < 0x20 || r >= 0x7f && r <= 0x9f || r == 0x2028 || r == 0x2029 || r == 0xfeff || r >= 0xfffe && r <= 0xffff:
			fmt.Fprintf(&b, `\u%04x`, r)
		default:
			b.WriteRune(r)
		}
		i += n
	}
	b.WriteByte('"')
	return b.String()
}

// fuzzSite returns the base site with the fuzz brief, body and cell.
func fuzzSite(base map[string]string, body, cell string) map[string]string {
	files := maps.Clone(base)
	files["content/briefs/first.md"] = fuzzBrief + body
	files["data/evil.yaml"] = evilDataset(cell)
	return files
}

// FuzzPage builds a site from any Markdown body and any dataset cell. A
// site that builds must be safe HTML; one that does not must say where.
func FuzzPage(f *testing.F) {
	base := readArchive(f, "testdata/base.txtar")
	seeds, _ := filepath.Glob("testdata/hostile/*.txtar")
	sites, _ := filepath.Glob("testdata/sites/*.txtar")
	for _, file := range append(seeds, sites...) {
		for name, data := range readArchive(f, file) {
			if strings.HasSuffix(name, ".md") && len(data) < 4096 {
				f.Add(data, "label")
			}
		}
	}
	for _, s := range []string{
		"</script><script>alert(1)</script>", "<!--<script>", "__f__function(){alert(2)}__f__",
		"javascript:alert(3)", "line\u2028separator", `{"a": "</script>"}`, "]]>", "\\u003c/script>",
	} {
		f.Add("[x]("+s+") "+s+"\n\n```chart\ntype: table\ndata: evil\n```\n", s)
	}
	f.Fuzz(func(t *testing.T, body, cell string) {
		files := fuzzSite(base, body, cell)
		out, probs := renderFiles(t, files, Options{})
		checkProblems(t, files, probs)
		if out != nil {
			checkSafe(t, out)
		}
	})
}

// FuzzShortcodes puts any text where a shortcode goes, beside a chart
// and a dataset it could name: the value and ref shortcodes either give
// their output or problems at their place.
func FuzzShortcodes(f *testing.F) {
	base := readArchive(f, "testdata/base.txtar")
	for _, sc := range []string{
		`{{< value data="evil" col="label" where="value=1" >}}`,
		`{{< value data="evil" col="value" where="label=label" >}}`,
		`{{< value data="sales" col="sales" where="year=2022" >}}`,
		`{{< value data="evil" col="label" where="value=1,value=1" >}}`,
		`{{< value data="evil" col="label" >}}`,
		`{{< value data="evil" col="nope" where="value=3" >}}`,
		`{{< value data="evil" col="label" where="value" >}}`,
		`{{< value "evil" >}}`,
		`{{< ref "first-1" >}}`,
		`{{< ref id="first-1" >}}`,
		`{{< ref "first-1" "x" >}}`,
		`{{< ref "</script>" >}}`,
		`{{< refs "x" >}}`,
		`{{<ref"first-1">}}{{< value data="evil" col="label" where="value=2" >}}`,
		"{{< value data=\"evil\"\ncol=\"label\" >}}",
		"{{< value data=\"évil\" col=\"label\" where=\"value=1\" >}}",
	} {
		f.Add(sc)
	}
	archives, _ := filepath.Glob("testdata/*/*.txtar")
	for _, file := range archives {
		for _, data := range readArchive(f, file) {
			for _, sc := range shortcodeRE.FindAllString(data, -1) {
				f.Add(sc)
			}
		}
	}
	f.Fuzz(func(t *testing.T, sc string) {
		files := fuzzSite(base, "Text "+sc+" end.\n", "label")
		out, probs := renderFiles(t, files, Options{})
		checkProblems(t, files, probs)
		if out == nil {
			return
		}
		checkSafe(t, out)
		page := string(out["briefs/first/index.html"])
		for _, want := range []string{`<data value="label">label</data>`, `<a class="figure-ref" href="#first-1">Figure 1</a>`} {
			if !strings.Contains(page, want) {
				t.Errorf("the brief lacks %s", want)
			}
		}
	})
}

// TestFuzzSite checks that the fuzz targets' site builds as it is, and
// that checkSafe sees its scripts and catches a stray one.
func TestFuzzSite(t *testing.T) {
	out, probs := renderFiles(t, fuzzSite(readArchive(t, "testdata/base.txtar"), "", "</script><script>alert(1)</script>"), Options{})
	if out == nil || len(probs) > 0 {
		t.Fatalf("problems: %v", probs)
	}
	checkSafe(t, out)
	page := string(out["briefs/first/index.html"])
	if strings.Count(page, "<script") != 2 || !strings.Contains(page, `<data value="&lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt;">`) {
		t.Errorf("the brief is not as expected:\n%s", page)
	}
	for _, bad := range []string{`<p>x</p><script>alert(1)</script>`, `<a href=" JavaScript:x">`, `<figure class="chart-bar"></figure>`} {
		if len(unsafeHTML(Output{"x.html": []byte(bad)})) == 0 {
			t.Errorf("unsafeHTML passes %s", bad)
		}
	}
}

var shortcodeRE = regexp.MustCompile(`\{\{<[^\n]*?>\}\}`)

// checkProblems requires each problem to name a source file (or a folder
// of one) and a line inside it.
func checkProblems(t *testing.T, files map[string]string, probs []string) {
	t.Helper()
	for _, p := range probs {
		file, rest, _ := strings.Cut(p, ": ")
		name, pos, _ := strings.Cut(file, ":")
		line := 0
		fmt.Sscanf(pos, "%d", &line)
		data, ok := files[name]
		if !ok {
			for f := range files {
				if strings.HasPrefix(f, name+"/") {
					ok = true
				}
			}
		}
		// folio reads a lone CR as a line break too, as CommonMark does.
		lines := strings.Count(strings.ReplaceAll(strings.ReplaceAll(data, "\r\n", "\n"), "\r", "\n"), "\n") + 1
		if !ok || line < 0 || line > lines || rest == "" {
			t.Errorf("problem outside the sources: %s", p)
		}
	}
}

// urlAttrs are the attributes that hold URLs.
var urlAttrs = map[string]bool{"href": true, "src": true, "action": true, "formaction": true, "poster": true,
	"cite": true, "background": true, "longdesc": true, "usemap": true, "manifest": true, "ping": true, "xlink:href": true}

// checkSafe fails t for each finding of unsafeHTML.
func checkSafe(t *testing.T, out Output) {
	t.Helper()
	for _, e := range unsafeHTML(out) {
		t.Error(e)
	}
}

// unsafeHTML requires every page of out to parse as HTML, to hold only
// the scripts the templates write (one external script on a page with
// figures, and the options of each figure that is a chart, as JSON), and
// no javascript: URL; every .json file must be JSON.
func unsafeHTML(out Output) []string {
	var errs []string
	fail := func(format string, args ...any) { errs = append(errs, fmt.Sprintf(format, args...)) }
	for p, data := range out {
		switch path.Ext(p) {
		case ".json":
			if !json.Valid(data) {
				fail("%s is not JSON", p)
			}
			continue
		case ".html":
		default:
			continue
		}
		doc, err := html.Parse(strings.NewReader(string(data)))
		if err != nil {
			fail("%s: %v", p, err)
			continue
		}
		var external, options, charts, figures int
		for n := range doc.Descendants() {
			if n.Type != html.ElementNode {
				continue
			}
			for _, a := range n.Attr {
				v := strings.ToLower(strings.Map(func(r rune) rune {
					if r <= ' ' {
						return -1
					}
					return r
				}, a.Val))
				if urlAttrs[a.Key] && (strings.HasPrefix(v, "javascript:") || strings.HasPrefix(v, "vbscript:")) {
					fail("%s: <%s %s=%q>", p, n.Data, a.Key, a.Val)
				}
			}
			switch n.Data {
			case "figure":
				figures++
				if class := attr(n, "class"); strings.HasPrefix(class, "chart-") && class != "chart-table" {
					charts++
				}
			case "script":
				text := ""
				if c := n.FirstChild; c != nil {
					text = c.Data
				}
				switch {
				case attr(n, "src") != "" && text == "" && strings.HasPrefix(attr(n, "src"), "/obs/assets/"):
					external++
				case attr(n, "type") == "application/json" && strings.HasSuffix(attr(n, "id"), "-options") && json.Valid([]byte(text)):
					options++
				default:
					fail("%s: a script the templates do not write: %s", p, renderNode(n))
				}
			}
		}
		if want := min(figures, 1); external != want || options != charts {
			fail("%s: %d external scripts and %d of options, for %d figures of which %d charts", p, external, options, figures, charts)
		}
	}
	return errs
}

func attr(n *html.Node, key string) string {
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val
		}
	}
	return ""
}

func renderNode(n *html.Node) string {
	var b strings.Builder
	html.Render(&b, n)
	return b.String()
}
