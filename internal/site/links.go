package site

import (
	"bytes"
	"fmt"
	"html"
	"maps"
	"net/url"
	"path"
	"slices"
	"strings"
	"sync"
	"unique"

	"github.com/folio-ssg/folio/internal/config"
	"github.com/folio-ssg/folio/internal/diag"
	"github.com/folio-ssg/folio/internal/markdown"
)

// checkLinks fails the build on every internal link in Markdown or in the
// menu that points at no page or at no element of its page, naming the
// line that wrote it. Links are checked against the rendered Output, so
// whatever the templates produce counts.
func (r *renderer) checkLinks(probs *diag.List) {
	ids := map[string]map[string]bool{}
	check := func(file string, line, col int, dest, key, frag string) {
		if key == "" {
			hint := ""
			if strings.HasPrefix(dest, r.site.Config.BasePath()) && r.site.Config.BasePath() != "/" {
				hint = "; write links from the site root without the base path, e.g. /" + strings.TrimPrefix(dest, r.site.Config.BasePath())
			}
			probs.Add(file, line, col, "link to %s does not resolve%s", dest, hint)
			return
		}
		if frag == "" {
			return
		}
		set, ok := ids[key]
		if !ok {
			set = r.idsOf(key)
			ids[key] = set
		}
		if !set[frag] {
			probs.Add(file, line, col, "link to %s does not resolve: /%s has no element with id %q", dest, strings.TrimSuffix(key, "index.html"), frag)
		}
	}
	paths := make([]string, 0, len(r.pageURLs))
	for p := range r.pageURLs {
		paths = append(paths, p)
	}
	slices.Sort(paths)
	for _, p := range paths {
		from := r.pageURLs[p]
		if !r.has(outKey(from)) {
			continue // a draft left out of this build
		}
		links := r.docs[p].result.Links
		targets := r.linkTargets(from, links)
		for i, l := range links {
			lt := targets[i]
			if !lt.internal {
				continue
			}
			check(p, l.Line, l.Col, l.Dest, r.findKey(lt.key, lt.alt), lt.frag)
		}
	}
	for _, m := range r.site.Config.Menu {
		if key, frag, internal := r.resolve("/", m.URL); internal {
			check(config.Path, m.Line, m.Col, m.URL, key, frag)
		}
	}
	if probs.Errors() == 0 {
		r.checkOutputLinks(probs, ids)
	}
}

// checkOutputLinks checks every href and src of every page, whatever
// wrote it: templates, figures, shortcodes. Links from Markdown were
// checked above with their own positions, so what fails here comes from
// a template, reported at the template of the page's kind.
func (r *renderer) checkOutputLinks(probs *diag.List, ids map[string]map[string]bool) {
	base := r.site.Config.BasePath()
	// One template mistake breaks the link on every page of its kind:
	// report it once, naming the first page.
	type failure struct{ file, msg string }
	pages := map[failure][]string{}
	var order []failure
	fail := func(p, msg string) {
		f := failure{"templates/" + r.kindOf[p] + ".html", msg}
		if pages[f] == nil {
			order = append(order, f)
		}
		pages[f] = append(pages[f], "/"+strings.TrimSuffix(p, "index.html"))
	}
	// Pages are checked on all cores, each into its own list, and the
	// lists are read in page order, so the report is the same.
	paths := slices.Sorted(maps.Keys(r.kindOf))
	msgs := make([][]string, len(paths))
	var idsMu sync.Mutex
	parallel(len(paths), func(i int) {
		p := paths[i]
		for _, h := range r.pageRefs(p, base) {
			ref := h.Value()
			if ref.leaves {
				msgs[i] = append(msgs[i], fmt.Sprintf("link to %s leaves the site's base path %s", ref.ref, base))
				continue
			}
			key := r.findKey(ref.key, ref.alt)
			switch {
			case key == "":
				msgs[i] = append(msgs[i], fmt.Sprintf("link to %s does not resolve", ref.ref))
			case ref.frag != "":
				idsMu.Lock()
				set, ok := ids[key]
				idsMu.Unlock()
				if !ok {
					set = r.idsOf(key)
					idsMu.Lock()
					ids[key] = set
					idsMu.Unlock()
				}
				if !set[ref.frag] {
					msgs[i] = append(msgs[i], fmt.Sprintf("link to %s does not resolve: no element with id %q", ref.ref, ref.frag))
				}
			}
		}
	})
	for i, p := range paths {
		for _, msg := range msgs[i] {
			fail(p, msg)
		}
	}
	for _, f := range order {
		where := pages[f][0]
		if n := len(pages[f]) - 1; n > 0 {
			where += fmt.Sprintf(" (and %d more)", n)
		}
		probs.Add(f.file, 0, 0, "rendering %s: %s", where, f.msg)
	}
}

// pageRefs lists the links of the page at output path p that stay in the
// site, parsed, as keptRefs keeps them; from the cache when its bytes
// were parsed before.
func (r *renderer) pageRefs(p, base string) []unique.Handle[pageRef] {
	if w, ok := r.written[p]; ok {
		return w.refs
	}
	page := r.out[p]
	from := "/" + strings.TrimSuffix(p, "index.html")
	parse := func() []unique.Handle[pageRef] {
		return keptRefs(p, refsOf(page, from, base), func() map[string]bool { return r.idsOf(p) })
	}
	c := r.site.opts.Cache
	if c == nil || len(page) == 0 {
		return parse()
	}
	// Keyed by the page's bytes, which no one changes once rendered; the
	// map holds them, so no other page can reuse their address. What is
	// kept depends on the page's path too, which from holds.
	k := pageKey{&page[0], len(page), from, base}
	return memo(c, func(g *generation) map[pageKey][]unique.Handle[pageRef] { return g.refs }, k, parse)
}

// refsOf lists the links of page, at the site path from, that stay in the
// site whose base path is base, parsed.
func refsOf(page []byte, from, base string) []pageRef {
	var refs []pageRef
	for _, ref := range attrValues(page) {
		uPath, uFrag, internal := parseRef(ref)
		if !internal || (uPath == "" && uFrag == "") {
			continue
		}
		dest := ref
		if strings.HasPrefix(uPath, "/") {
			if !strings.HasPrefix(uPath, base) {
				refs = append(refs, pageRef{ref: ref, leaves: true})
				continue
			}
			dest = "/" + strings.TrimPrefix(ref, base)
		}
		path, frag, _ := target(from, dest)
		lt := newLinkTarget(path, frag, true)
		refs = append(refs, pageRef{ref: ref, key: lt.key, alt: lt.alt, frag: frag})
	}
	return refs
}

// idsOf is the package's idsOf for the output file key, from the cache
// when its bytes were read before.
func (r *renderer) idsOf(key string) map[string]bool {
	if w, ok := r.written[key]; ok {
		return idSet(w.ids)
	}
	page := r.out[key]
	c := r.site.opts.Cache
	if c == nil || len(page) == 0 {
		return idsOf(page)
	}
	k := pageKey{&page[0], len(page), "", ""}
	return memo(c, func(g *generation) map[pageKey]map[string]bool { return g.ids }, k, func() map[string]bool { return idsOf(page) })
}

// attrValues returns the values of the href and src attributes of a page
// folio rendered (html/template writes them double-quoted).
func attrValues(page []byte) []string {
	var out []string
	for _, attr := range [][]byte{[]byte(` href="`), []byte(` src="`)} {
		rest := page
		for {
			i := bytes.Index(rest, attr)
			if i < 0 {
				break
			}
			rest = rest[i+len(attr):]
			j := bytes.IndexByte(rest, '"')
			if j < 0 {
				break
			}
			out = append(out, html.UnescapeString(string(rest[:j])))
			rest = rest[j:]
		}
	}
	return out
}

// outKey maps a site path to its output file.
func outKey(sitePath string) string {
	p := strings.TrimPrefix(sitePath, "/")
	if p == "" || strings.HasSuffix(p, "/") {
		p += "index.html"
	}
	return p
}

// resolve finds the output file an internal link points at. from is the
// site path of the linking page. internal is false for links to other
// hosts and schemes; key is "" when nothing is there.
func (r *renderer) resolve(from, dest string) (key, frag string, internal bool) {
	compute := func() linkTarget {
		p, frag, internal := target(from, dest)
		return newLinkTarget(p, frag, internal)
	}
	var lt linkTarget
	if c := r.site.opts.Cache; c != nil {
		lt = memo(c, func(g *generation) map[[2]string]linkTarget { return g.targets }, [2]string{from, dest}, compute)
	} else {
		lt = compute()
	}
	if !lt.internal {
		return "", "", false
	}
	return r.findKey(lt.key, lt.alt), lt.frag, true
}

// linkTargets resolves the Markdown links of a page at site path from;
// from the cache when the same links were resolved before.
func (r *renderer) linkTargets(from string, links []markdown.Link) []linkTarget {
	compute := func() []linkTarget {
		out := make([]linkTarget, len(links))
		for i, l := range links {
			p, frag, internal := target(from, l.Dest)
			out[i] = newLinkTarget(p, frag, internal)
		}
		return out
	}
	c := r.site.opts.Cache
	if c == nil || len(links) == 0 {
		return compute()
	}
	// By the links' identity: a cached Markdown result keeps its slice.
	k := linksKey{&links[0], len(links), from}
	return memo(c, func(g *generation) map[linksKey][]linkTarget { return g.docLinks }, k, compute)
}

type linksKey struct {
	at   *markdown.Link
	n    int
	from string
}

// linkTarget is where a link points, as output files to look for.
type linkTarget struct {
	key, alt string // the output file, and the folder's index.html when the path may be a folder
	frag     string
	internal bool
}

func newLinkTarget(p, frag string, internal bool) linkTarget {
	if !internal {
		return linkTarget{}
	}
	key := outKey(p)
	lt := linkTarget{key: key, frag: frag, internal: true}
	if !strings.HasSuffix(key, "index.html") {
		lt.alt = key + "/index.html"
	}
	return lt
}

// findKey is key when the output has it, else alt when it has that.
func (r *renderer) findKey(key, alt string) string {
	if r.has(key) {
		return key
	}
	if alt != "" && r.has(alt) {
		return alt
	}
	return ""
}

// target is the site path and fragment an internal link points at, from
// the page at site path from; internal is false for links to other hosts
// and schemes.
func target(from, dest string) (p, frag string, internal bool) {
	p, frag, internal = parseRef(dest)
	if !internal {
		return "", "", false
	}
	switch {
	case p == "":
		p = from
	case !strings.HasPrefix(p, "/"):
		dir := from
		if !strings.HasSuffix(dir, "/") {
			dir = path.Dir(dir) + "/"
		}
		trailing := strings.HasSuffix(p, "/")
		p = path.Join(dir, p)
		if trailing && p != "/" {
			p += "/"
		}
	}
	return p, frag, true
}

// parseRef splits a link into its path and fragment as url.Parse does;
// internal is false for links to other hosts or schemes and for what
// url.Parse refuses. Most links are plain paths, split without it.
func parseRef(ref string) (path, frag string, internal bool) {
	plain := !strings.HasPrefix(ref, "//")
	for i := 0; plain && i < len(ref); i++ {
		c := ref[i]
		plain = 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' ||
			c == '/' || c == '.' || c == '-' || c == '_' || c == '~' || c == '#'
	}
	if plain {
		path, frag, _ = strings.Cut(ref, "#")
		return path, frag, true
	}
	u, err := url.Parse(ref)
	if err != nil || u.Scheme != "" || u.Host != "" || strings.HasPrefix(ref, "//") {
		return "", "", false
	}
	return u.Path, u.Fragment, true
}

// idsOf lists the id attributes of an HTML page. folio writes its own
// attributes with double quotes, so a scan is enough and much faster
// than parsing.
func idsOf(page []byte) map[string]bool {
	set := map[string]bool{}
	eachID(page, func(id string) { set[id] = true })
	return set
}

// eachID calls f with the value of every id attribute of a page folio
// rendered, unescaped.
func eachID(page []byte, f func(string)) {
	for {
		i := bytes.Index(page, []byte(` id="`))
		if i < 0 {
			return
		}
		page = page[i+5:]
		j := bytes.IndexByte(page, '"')
		if j < 0 {
			return
		}
		f(html.UnescapeString(string(page[:j])))
		page = page[j:]
	}
}
