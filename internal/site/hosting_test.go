package site

import (
	"maps"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// TestHeadersFile checks _headers as written, for a site at the host's
// root and one below a base path.
func TestHeadersFile(t *testing.T) {
	paths := []string{
		"404.html", "about/index.html", "assets/site.3f2a9c1b04.css", "assets/vendor/echarts/echarts.min.b66b25aeb4.js",
		"briefs/x/index.html", "data/index.html", "data/sales.csv", "data/sales.json", "data/sales/index.html",
		"feed.json", "feed.xml", "index.html", "search/index.html", "search/index/2980d6b9ffef/shard-0.json",
		"search/index/meta.json",
	}
	want := `# Written by folio for Netlify and Cloudflare Pages: caching and content types.
# Files named by their content's hash are cached for a year; the rest for five minutes.

/observatory/assets/*
  Cache-Control: public, max-age=31536000, immutable

/observatory/search/index/2980d6b9ffef/*
  Cache-Control: public, max-age=31536000, immutable

/observatory/404.html
  Cache-Control: public, max-age=300, must-revalidate

/observatory/about/*
  Cache-Control: public, max-age=300, must-revalidate

/observatory/briefs/*
  Cache-Control: public, max-age=300, must-revalidate

/observatory/data/*
  Cache-Control: public, max-age=300, must-revalidate

/observatory/feed.json
  Cache-Control: public, max-age=300, must-revalidate
  Content-Type: application/feed+json

/observatory/feed.xml
  Cache-Control: public, max-age=300, must-revalidate
  Content-Type: application/atom+xml; charset=utf-8

/observatory/
  Cache-Control: public, max-age=300, must-revalidate

/observatory/index.html
  Cache-Control: public, max-age=300, must-revalidate

/observatory/search/
  Cache-Control: public, max-age=300, must-revalidate

/observatory/search/index.html
  Cache-Control: public, max-age=300, must-revalidate

/observatory/search/index/meta.json
  Cache-Control: public, max-age=300, must-revalidate

/observatory/data/*.csv
  Content-Type: text/csv; charset=utf-8

/observatory/data/*.json
  Content-Type: application/json
`
	if got := string(headersFor("/observatory/", paths)); got != want {
		t.Errorf("_headers for /observatory/:\n%s\nwant:\n%s", got, want)
	}
	// At the root, the same rules without the prefix.
	if got, want := string(headersFor("/", paths)), strings.ReplaceAll(want, "/observatory/", "/"); got != want {
		t.Errorf("_headers for /:\n%s\nwant:\n%s", got, want)
	}
	// A folder with no hashed file below it is one wildcard; a site
	// without assets is all short-lived, with the feeds' types in rules
	// of their own.
	got := string(headersFor("/", []string{"feed.xml", "index.html"}))
	if !strings.Contains(got, "\n/*\n  Cache-Control: public, max-age=300, must-revalidate\n\n/feed.xml\n  Content-Type: application/atom+xml; charset=utf-8\n") {
		t.Errorf("_headers of a site without assets:\n%s", got)
	}
}

// headerRules parses a _headers file into patterns and their headers.
func headerRules(t *testing.T, data []byte) []headerRule {
	t.Helper()
	var rules []headerRule
	for i, line := range strings.Split(string(data), "\n") {
		switch {
		case line == "" || strings.HasPrefix(line, "#"):
		case strings.HasPrefix(line, "/"):
			rules = append(rules, headerRule{pattern: line})
		case strings.HasPrefix(line, "  ") && len(rules) > 0:
			name, value, ok := strings.Cut(strings.TrimSpace(line), ": ")
			if !ok {
				t.Fatalf("_headers:%d: not a header: %q", i+1, line)
			}
			r := &rules[len(rules)-1]
			r.headers = append(r.headers, [2]string{name, value})
		default:
			t.Fatalf("_headers:%d: unexpected line %q", i+1, line)
		}
	}
	return rules
}

// cloudflareMatch compiles a rule as Cloudflare Pages does: "*" matches
// anything, slashes included, and the rest literally.
func cloudflareMatch(pattern string) *regexp.Regexp {
	parts := strings.Split(pattern, "*")
	for i, p := range parts {
		parts[i] = regexp.QuoteMeta(p)
	}
	return regexp.MustCompile("^" + strings.Join(parts, ".*") + "$")
}

// netlifyMatch compiles a rule as Netlify's headers parser does
// (netlify/build, headers-parser, for_regexp.ts): segments split on "/",
// a lone "*" segment optional, a trailing slash optional, any case.
func netlifyMatch(pattern string) *regexp.Regexp {
	var parts []string
	for _, p := range strings.Split(pattern, "/") {
		switch {
		case p == "":
		case p == "*":
			parts = append(parts, "?(.*)")
		case strings.Contains(p, "*"):
			parts = append(parts, strings.ReplaceAll(p, "*", "(.*)"))
		default:
			parts = append(parts, regexp.QuoteMeta(p))
		}
	}
	return regexp.MustCompile("(?i)^/" + strings.Join(parts, "/") + "/?$")
}

// TestHeadersMatch serves every URL of two real builds through both hosts'
// rule matching: on Cloudflare, which joins the values of a header set by
// several rules, exactly one rule must give each URL its Cache-Control; on
// Netlify, the last that matches must be the right one. Hashed files get
// the long cache, the rest the short one, and the feeds and datasets their
// content types.
func TestHeadersMatch(t *testing.T) {
	for _, base := range []string{"https://example.org/", "https://example.org/observatory/"} {
		t.Run(base, func(t *testing.T) {
			out, probs := renderFiles(t, baseSite(t, map[string]string{
				// A page whose URL starts like a folder's, to catch
				// wildcards that reach past a folder's end.
				"content/assets-guide.md": "---\ntitle: Assets\n---\nText.\n",
			}), Options{BaseURL: base})
			if out == nil {
				t.Fatal(probs)
			}
			prefix := strings.TrimPrefix(base, "https://example.org")
			rules := headerRules(t, out[headersFile])
			for _, p := range slices.Sorted(maps.Keys(out)) {
				if p == headersFile {
					continue
				}
				urls := []string{prefix + p}
				if dir, ok := strings.CutSuffix(p, "index.html"); ok {
					urls = append(urls, prefix+dir)
				}
				wantCache := cacheShort
				if strings.HasPrefix(p, "assets/") || strings.HasPrefix(p, "search/index/") && p != "search/index/meta.json" {
					wantCache = cacheImmutable
				}
				wantType := map[string]string{
					"feed.xml": "application/atom+xml; charset=utf-8", "feed.json": "application/feed+json",
				}[p]
				if strings.HasPrefix(p, "data/") && strings.HasSuffix(p, ".csv") {
					wantType = "text/csv; charset=utf-8"
				}
				if strings.HasPrefix(p, "data/") && strings.HasSuffix(p, ".json") {
					wantType = "application/json"
				}
				for _, u := range urls {
					cf := headersAt(rules, u, cloudflareMatch)
					if got := cf["Cache-Control"]; len(got) != 1 || got[0] != wantCache {
						t.Errorf("Cloudflare: %s gets Cache-Control %q, want [%q]", u, got, wantCache)
					}
					if got := cf["Content-Type"]; wantType != "" && (len(got) != 1 || got[0] != wantType) || wantType == "" && got != nil {
						t.Errorf("Cloudflare: %s gets Content-Type %q, want %q", u, got, wantType)
					}
					nl := headersAt(rules, u, netlifyMatch)
					if got := nl["Cache-Control"]; len(got) == 0 || got[len(got)-1] != wantCache {
						t.Errorf("Netlify: %s gets Cache-Control %q, want %q last", u, got, wantCache)
					}
				}
			}
		})
	}
}

// headersAt returns the values each header gets at url, in rule order.
func headersAt(rules []headerRule, url string, compile func(string) *regexp.Regexp) map[string][]string {
	got := map[string][]string{}
	for _, r := range rules {
		if compile(r.pattern).MatchString(url) {
			for _, h := range r.headers {
				got[h[0]] = append(got[h[0]], h[1])
			}
		}
	}
	return got
}
