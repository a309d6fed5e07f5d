package markdown

import (
	"bytes"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"
)

// FuzzRender checks that no input panics Render, that UTF-8 in gives
// UTF-8 out, and that with raw HTML off nothing can run script.
func FuzzRender(f *testing.F) {
	files, _ := filepath.Glob("testdata/*.md")
	for _, file := range files {
		b, err := os.ReadFile(file)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Add([]byte("[x](javascript:alert(1)) <JavaScript:alert(1)> ![i](JAVASCRIPT:x)"))
	f.Add([]byte("<script>alert(1)</script>\n\n<img src=x onerror=alert(1)>"))
	f.Add([]byte("[^1]\n\n[^1]: [^2]\n[^2]: ## H\n\n# H\n\n## ##"))

	safe, unsafe := New(base), New(Options{AllowHTML: true, BasePath: "/sub/"})
	f.Fuzz(func(t *testing.T, src []byte) {
		res, err := safe.Render(src, 3)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := unsafe.Render(src, 1); err != nil {
			t.Fatal(err)
		}
		if utf8.Valid(src) {
			if !utf8.Valid(res.HTML) {
				t.Errorf("output is not valid UTF-8: %q", res.HTML)
			}
			for _, h := range res.Headings {
				if !utf8.ValidString(h.Text) || !utf8.ValidString(h.ID) {
					t.Errorf("heading %q (id %q) is not valid UTF-8", h.Text, h.ID)
				}
			}
		}
		lower := bytes.ToLower(res.HTML)
		if bytes.Contains(lower, []byte("<script")) {
			t.Errorf("output contains <script: %q", res.HTML)
		}
		for _, attr := range []string{`href="javascript:`, `src="javascript:`} {
			if bytes.Contains(lower, []byte(attr)) {
				t.Errorf("output contains %s: %q", attr, res.HTML)
			}
		}
		seen := map[string]bool{}
		for _, id := range res.IDs {
			if id == "" || seen[id] {
				t.Errorf("id %q is empty or defined twice", id)
			}
			seen[id] = true
		}
		for _, target := range noteTargets(res.HTML) {
			if !seen[target] {
				t.Errorf("endnote link to #%s, which is not defined", target)
			}
		}
		for _, l := range res.Links {
			if l.Line < 3 || l.Col < 1 {
				t.Errorf("link %q has position %d:%d, before the body", l.Dest, l.Line, l.Col)
			}
		}
	})
}

// noteTargets returns the targets of the footnote and back-link anchors
// in html: goldmark writes them as <a href="#target" class="footnote-...
// and authors' own links never have a class.
func noteTargets(html []byte) []string {
	var targets []string
	for _, part := range bytes.Split(html, []byte(`<a href="#`))[1:] {
		target, rest, ok := bytes.Cut(part, []byte(`"`))
		if ok && bytes.HasPrefix(rest, []byte(` class="footnote-`)) {
			targets = append(targets, string(target))
		}
	}
	return targets
}

// FuzzShortcode checks the shortcode parser on any text: every shortcode
// it reports sits where the source has "{{<", every argument where the
// source has its key and "=", and every marker in the HTML is one it
// handed out, once, in order.
func FuzzShortcode(f *testing.F) {
	src, err := os.ReadFile("testdata/embeds.md")
	if err != nil {
		f.Fatal(err)
	}
	for _, line := range bytes.Split(src, []byte("\n")) {
		f.Add(string(line))
	}
	f.Add(string(src))
	f.Add(`{{< value data="a\"b" col="" where="x=1,y=2" >}}{{<ref"x">}}`)
	f.Add("{{<\t\tvalue\tdata=\"\t\"\t>}}")
	f.Add("é{{< ref \"é\" >}}\n\n- {{< ref \"x\" >}}\n  {{< ref \"y\" >}}")
	r := New(Options{})
	f.Fuzz(func(t *testing.T, in string) {
		const first = 7
		res, err := r.Render([]byte(in), first)
		if err != nil {
			t.Fatal(err)
		}
		lines := strings.SplitAfter(in, "\n")
		at := func(line, col int) string {
			if line < first || line-first >= len(lines) || col < 1 || col > len(lines[line-first]) {
				return ""
			}
			return lines[line-first][col-1:]
		}
		for i, sc := range res.Shortcodes {
			if !strings.HasPrefix(at(sc.Line, sc.Col), "{{<") {
				t.Errorf("shortcode %d at %d:%d, where the source has %q", i, sc.Line, sc.Col, at(sc.Line, sc.Col))
			}
			if sc.Err == "" && (sc.Name == "" || strings.Trim(sc.Name, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-") != "") {
				t.Errorf("shortcode %d has the name %q and no error", i, sc.Name)
			}
			for _, a := range sc.Args {
				if a.Line != sc.Line || !strings.HasPrefix(at(a.Line, a.Col), a.Key+`="`) || strings.Contains(a.Value, `"`) {
					t.Errorf("argument %s=%q at %d:%d, where the source has %q", a.Key, a.Value, a.Line, a.Col, at(a.Line, a.Col))
				}
			}
		}
		html := string(res.HTML)
		last := -1
		for rest := html; ; {
			i := strings.Index(rest, "<!--folio:sc:")
			if i < 0 {
				break
			}
			rest = rest[i+len("<!--folio:sc:"):]
			num, _, ok := strings.Cut(rest, "-->")
			n, err := strconv.Atoi(num)
			if !ok || err != nil || n <= last || n >= len(res.Shortcodes) {
				t.Fatalf("marker %q after marker %d, of %d shortcodes:\n%s", num, last, len(res.Shortcodes), html)
			}
			last = n
		}
	})
}
