package conformance

import (
	"fmt"
	"runtime"
	"strings"
	"testing"

	"github.com/folio-ssg/folio/internal/site"
)

// selfTestPage is a small valid, accessible page whose main holds body.
func selfTestPage(body string) []byte {
	return fmt.Appendf(nil, `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Self-test</title>
<link rel="stylesheet" href="/selftest/selftest.css">
<link rel="icon" href="data:,">
</head>
<body>
<main>
<h1>Self-test</h1>
%s
</main>
</body>
</html>
`, body)
}

// selfTestPages are served under /selftest/: each page but clean/ has one
// fault the checkers must report.
var selfTestPages = site.Output{
	"selftest.css": []byte(`body { color: #111; background: #fff; font: 16px/1.5 sans-serif; }
.faint { color: #111; }
@media (prefers-color-scheme: dark) {
  .faint { color: #999; background: #888; }
}
`),
	"error.js":                    []byte("console.error(\"self-test console error\");\nthrow new Error(\"self-test exception\");\n"),
	"404.html":                    selfTestPage(`<p>Not found.</p>`),
	"clean/index.html":            selfTestPage(`<p>Nothing wrong here.</p>`),
	"external-request/index.html": selfTestPage(`<img src="https://example.com/x.png" alt="An image from another host">`),
	"inline-script/index.html":    selfTestPage(`<script>document.title = "changed";</script>`),
	"inline-style/index.html":     selfTestPage(`<p style="color: red">Styled inline.</p>`),
	"script-error/index.html":     selfTestPage(`<script src="/selftest/error.js"></script>`),
	"missing-file/index.html":     selfTestPage(`<img src="/selftest/missing.png" alt="A missing image">`),
	"missing-alt/index.html":      selfTestPage(`<img src="data:image/gif;base64,R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7">`),
	"low-contrast/index.html":     selfTestPage(`<p class="faint">Grey on grey in the dark.</p>`),
	"invalid-html/index.html":     selfTestPage(`<p><div>A div cannot be in a paragraph.</div></p>`),
}

// TestBrowserCatches serves one hand-written bad page per kind of fault
// and fails unless the browser checks report it, so that TestBrowserPages
// cannot pass by checking nothing.
func TestBrowserCatches(t *testing.T) {
	axeSrc := axeSource(t)
	browser(t)
	s := served(t)
	pool := newTabPool(t, s.host, runtime.GOMAXPROCS(0))
	tests := []struct {
		page string
		want []string          // each must be in a reported problem
		axe  map[string]string // colour scheme -> the one axe rule that must fail
	}{
		{page: "clean"},
		{page: "external-request", want: []string{"request to another host: https://example.com/x.png"}},
		{page: "inline-script", want: []string{"Content Security Policy"}},
		{page: "inline-style", want: []string{"Content Security Policy"}},
		{page: "script-error", want: []string{"console.error: self-test console error", "uncaught exception", "self-test exception"}},
		{page: "missing-file", want: []string{"HTTP 404", "missing.png"}},
		{page: "missing-alt", axe: map[string]string{"light": "image-alt"}},
		{page: "low-contrast", axe: map[string]string{"dark": "color-contrast"}},
	}
	for _, tt := range tests {
		t.Run(tt.page, func(t *testing.T) {
			t.Parallel()
			u := "http://" + s.host + selfTestBase + tt.page + "/"
			r := pool.check(t, u, axeSrc)
			if r.status != 200 {
				t.Errorf("HTTP status %d, want 200", r.status)
			}
			all := strings.Join(r.problems, "\n")
			for _, w := range tt.want {
				if !strings.Contains(all, w) {
					t.Errorf("no problem mentions %q; got:\n%s", w, all)
				}
			}
			if len(tt.want) == 0 && len(r.problems) > 0 {
				t.Errorf("want no problems, got:\n%s", all)
			}
			for _, scheme := range schemes {
				var got []string
				for _, v := range r.axe[scheme].Violations {
					got = append(got, v.ID)
				}
				want := tt.axe[scheme]
				if strings.Join(got, " ") != want {
					t.Errorf("%s scheme: axe violations %q, want %q", scheme, got, want)
				}
			}
		})
	}
}

// TestHTMLCheckerCatches checks that the Nu Html Checker reports the
// invalid self-test pages with file and line, and nothing on the others.
func TestHTMLCheckerCatches(t *testing.T) {
	v := validated(t)
	want := map[string]string{ // page -> the start of its one error
		"invalid-html/index.html": "invalid-html/index.html:12:46: error: No “p” element in scope",
		"missing-alt/index.html":  "missing-alt/index.html:12:1: error: An “img” element must have an “alt” attribute",
	}
	got := map[string]string{}
	for _, e := range v.errs {
		if rest, ok := strings.CutPrefix(e, "selftest/"); ok {
			page, _, _ := strings.Cut(rest, ":")
			got[page] += rest
		}
	}
	for page, w := range want {
		if !strings.HasPrefix(got[page], w) {
			t.Errorf("%s: the checker said %q; want %q...", page, got[page], w)
		}
	}
	for page, g := range got {
		if _, ok := want[page]; !ok {
			t.Errorf("error on a valid page: %s", g)
		}
	}
}
