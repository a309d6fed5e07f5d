package markdown

import (
	"bytes"
	"os"
	"path/filepath"
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
