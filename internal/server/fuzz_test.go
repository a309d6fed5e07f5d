package server

import (
	"net/url"
	"strings"
	"testing"

	"github.com/folio-ssg/folio/internal/site"
)

// fuzzOut is a built site, plus files folio never writes, whose names a
// request must never reach: dot-files, "..", backslashes, control bytes,
// empty segments.
var fuzzOut = func() site.Output {
	o := site.Output{}
	for _, k := range []string{
		"index.html", "404.html", "briefs/index.html", "briefs/first/index.html", "data/sales.csv",
		"data/sales.json", "data/sales/index.html", "assets/site.3f2a9c.css", "feed.xml", "charts/first-1/index.html",
		"tags/supply-chains/index.html", "%2e%2e/index.html", "a%2fb.html",
		".env", ".git/config", "briefs/.draft/index.html", "../outside.txt", "briefs/../secret.txt", "./index.html",
		`briefs\secret.txt`, "nul\x00.html", "tab\t.html", "x//y.html", "/abs.html", "..", "",
	} {
		o[k] = []byte(k)
	}
	return o
}()

// bases are base paths a site may have.
var bases = []string{"/", "/obs/", "/a/b/"}

// FuzzLookup sends request targets through what the server does with
// them (net/http's parsing, checkPath, lookup) and checks that the file
// served is one of the site's, the one the path names and one a browser
// may see, and that a redirect leads to such a file on this server.
func FuzzLookup(f *testing.F) {
	for _, p := range hostilePaths {
		f.Add(p.path, uint8(1))
	}
	for _, p := range []string{"/", "/obs", "/obs/briefs", "/obs/data/sales.csv", "*", "http://evil.example/obs/", "/obs/%2e%2e%2findex.html"} {
		f.Add(p, uint8(1))
	}
	f.Fuzz(func(t *testing.T, target string, b uint8) {
		base := bases[int(b)%len(bases)]
		check(t, target, base)
		if u, err := url.ParseRequestURI(target); err == nil {
			check(t, u.Path, base)
		}
	})
}

// check checks what the server makes of the decoded request path p.
func check(t *testing.T, p, base string) {
	p, status := checkPath(p)
	if status != 0 {
		if p != "" {
			t.Fatalf("checkPath refused with %d but returned %q", status, p)
		}
		return
	}
	key, redirect := lookup(p, base, fuzzOut)
	switch {
	case key != "" && redirect != "":
		t.Fatalf("lookup(%q, %q) = %q and a redirect to %q", p, base, key, redirect)
	case key != "":
		checkKey(t, p, base, key)
	case redirect != "":
		if !strings.HasPrefix(redirect, base) || strings.HasPrefix(redirect, "//") || strings.Contains(redirect, `\`) {
			t.Fatalf("%q redirects to %q, not a path under %q on this server", p, redirect, base)
		}
		// The redirect passes checkPath, and leads to a file, not to
		// another redirect.
		next, status := checkPath(redirect)
		if status != 0 {
			t.Fatalf("%q redirects to %q, which is refused with %d", p, redirect, status)
		}
		key, again := lookup(next, base, fuzzOut)
		if key == "" {
			t.Fatalf("%q redirects to %q, which leads to %q", p, redirect, again)
		}
		checkKey(t, next, base, key)
	}
}

// checkKey checks that key, served for the path p, is the site's file
// that p names, and one that may be served.
func checkKey(t *testing.T, p, base, key string) {
	if _, ok := fuzzOut[key]; !ok {
		t.Fatalf("%q maps to %q, which the site does not have", p, key)
	}
	if rel := strings.TrimPrefix(p, base); key != rel && key != rel+"index.html" {
		t.Fatalf("%q (base %q) maps to %q, another file", p, base, key)
	}
	if strings.ContainsAny(key, "\\\x00") || strings.ContainsFunc(key, func(r rune) bool { return r < 0x20 || r == 0x7f }) {
		t.Fatalf("%q maps to %q, a name with a backslash or a control byte", p, key)
	}
	for seg := range strings.SplitSeq(key, "/") {
		if seg == "" || seg == ".." || strings.HasPrefix(seg, ".") {
			t.Fatalf("%q maps to %q, which has an empty, dot or dot-dot segment", p, key)
		}
	}
}
