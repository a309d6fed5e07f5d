package site

import (
	"maps"
	"slices"
	"strings"

	"github.com/folio-ssg/folio/internal/search"
)

// Host configuration written with the site.
//
// _headers is read by Netlify and Cloudflare Pages from the root of the
// folder they publish (other hosts serve it as a plain file, harmlessly).
// It gives files whose names change with their content a year of caching
// marked immutable, everything else a short cache, and names the content
// types hosts might guess wrong: the Atom and JSON feeds and the datasets'
// CSV and JSON.
//
// Its paths are URL paths from the host's root, so they carry the base
// path of base_url: with https://example.org/observatory/ a rule reads
// /observatory/assets/*. A site built into a subfolder of what the host
// publishes (-out public/observatory) moves _headers up to the published
// root, where its paths are right as written; docs/deploy.md says how.
//
// No two rules set the same header for one URL. Cloudflare joins the values
// of a header set by several matching rules ("max-age=300, max-age=31536000"
// means the shorter), so the rules are exact where a folder mixes hashed and
// unhashed files and a wildcard only over a folder that does not.

const headersFile = "_headers"

const (
	// cacheImmutable is for files named by their content's hash: a new
	// version gets a new name, so browsers and CDNs may keep them forever.
	cacheImmutable = "public, max-age=31536000, immutable"
	// cacheShort is for pages and data, which the next build may change:
	// readers see a correction within five minutes, and revalidation with
	// the ETag hosts send costs a 304 after that.
	cacheShort = "public, max-age=300, must-revalidate"
)

// contentTypes are the types _headers names for files at exact paths.
var contentTypes = map[string]string{
	"feed.xml":  "application/atom+xml; charset=utf-8",
	"feed.json": "application/feed+json",
}

// dataTypes are the types of the dataset downloads, data/*.csv and
// data/*.json, which _headers names with one pattern each.
var dataTypes = []struct{ ext, typ string }{
	{".csv", "text/csv; charset=utf-8"},
	{".json", "application/json"},
}

// immutable reports whether the file at p is named by its content: the
// assets (site.3f2a9c1b04.css) and the search index's versioned shards.
func immutable(p string) bool {
	if strings.HasPrefix(p, "assets/") {
		return true
	}
	rest, ok := strings.CutPrefix(p, search.Dir)
	return ok && strings.Contains(rest, "/")
}

// headerRule is one block of _headers: a URL pattern and its headers.
type headerRule struct {
	pattern string
	headers [][2]string
}

// writeHosting adds the host configuration to the output. It runs after
// every other file is written, since it describes them all.
func (r *renderer) writeHosting() {
	r.out[headersFile] = headersFor(r.site.Config.BasePath(), slices.Sorted(r.keys))
}

// headersFor returns the _headers file for a site served from base ("/"
// or "/observatory/") whose files are paths, sorted.
func headersFor(base string, paths []string) []byte {
	var rules []headerRule
	cacheRules(base, "", paths, &rules)
	slices.SortStableFunc(rules, func(a, b headerRule) int {
		// Immutable rules first: should a host's wildcard reach further
		// than Cloudflare's (Netlify's /assets/* also matches
		// /assets-guide/), the later, shorter cache is the one that holds.
		ai, bi := a.headers[0][1] == cacheImmutable, b.headers[0][1] == cacheImmutable
		switch {
		case ai && !bi:
			return -1
		case bi && !ai:
			return 1
		}
		return 0
	})
	types := maps.Clone(contentTypes) // those not yet in a rule
	for i := range rules {
		name := strings.TrimPrefix(rules[i].pattern, base)
		if typ, ok := types[name]; ok {
			rules[i].headers = append(rules[i].headers, [2]string{"Content-Type", typ})
			delete(types, name)
		}
	}
	var b strings.Builder
	b.WriteString("# Written by folio for Netlify and Cloudflare Pages: caching and content types.\n")
	b.WriteString("# Files named by their content's hash are cached for a year; the rest for five minutes.\n")
	for _, r := range rules {
		writeRule(&b, r)
	}
	for _, name := range slices.Sorted(maps.Keys(types)) {
		if _, ok := slices.BinarySearch(paths, name); ok { // under a wildcard: a rule of its own
			writeRule(&b, headerRule{base + name, [][2]string{{"Content-Type", types[name]}}})
		}
	}
	for _, t := range dataTypes {
		for _, p := range paths {
			if strings.HasPrefix(p, "data/") && strings.HasSuffix(p, t.ext) {
				writeRule(&b, headerRule{base + "data/*" + t.ext, [][2]string{{"Content-Type", t.typ}}})
				break
			}
		}
	}
	return []byte(b.String())
}

func writeRule(b *strings.Builder, r headerRule) {
	b.WriteString("\n" + r.pattern + "\n")
	for _, h := range r.headers {
		b.WriteString("  " + h[0] + ": " + h[1] + "\n")
	}
}

// cacheRules adds the Cache-Control rules for the files paths, all below
// the folder dir ("" or "briefs/"). A folder whose files are all hashed, or
// all not, gets one wildcard rule; a mixed one gets a rule for each of its
// own files and recurses into its subfolders.
func cacheRules(base, dir string, paths []string, rules *[]headerRule) {
	n := 0
	for _, p := range paths {
		if immutable(p) {
			n++
		}
	}
	if n == len(paths) || n == 0 {
		cache := cacheShort
		if n > 0 {
			cache = cacheImmutable
		}
		*rules = append(*rules, headerRule{base + dir + "*", [][2]string{{"Cache-Control", cache}}})
		return
	}
	short := [][2]string{{"Cache-Control", cacheShort}}
	for len(paths) > 0 {
		rest := strings.TrimPrefix(paths[0], dir)
		sub, _, isDir := strings.Cut(rest, "/")
		if !isDir {
			if sub == "index.html" {
				*rules = append(*rules, headerRule{base + dir, short})
			}
			*rules = append(*rules, headerRule{base + dir + sub, short})
			paths = paths[1:]
			continue
		}
		prefix := dir + sub + "/"
		end := 1
		for end < len(paths) && strings.HasPrefix(paths[end], prefix) {
			end++
		}
		cacheRules(base, prefix, paths[:end], rules)
		paths = paths[end:]
	}
}
