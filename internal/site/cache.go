package site

import (
	"encoding/binary"
	"hash/maphash"
	"html/template"
	"maps"
	"reflect"
	"sync"
	"unicode"
	"unicode/utf8"
	"unique"
	"unsafe"

	"github.com/folio-ssg/folio/internal/content"
	"github.com/folio-ssg/folio/internal/diag"
	"github.com/folio-ssg/folio/internal/markdown"
	"github.com/folio-ssg/folio/internal/search"
)

// A Cache carries work from one build to the next, so that a rebuild
// redoes only what changed sources affect: folio serve keeps one for the
// life of the server and passes it in Options.Cache. Everything in it is
// keyed by what produced it, never by time or by which file changed:
//
//   - a source file's parse result, by its path and its bytes (the very
//     slice read last time, or else a hash of them);
//   - a Markdown body's HTML and its hash, by the body's bytes (which an
//     unchanged file's cached parse hands out again), its first line and
//     the renderer's options; the search text, by those HTML bytes;
//   - the parsed templates, by their sources, the base path and the
//     assets' hashed names, which are all the template functions use;
//   - a page's bytes, by a fingerprint of exactly the part of its View
//     its templates can read (reads.go, fingerprint.go) and of the
//     templates; a brief's card meta likewise, by what its template
//     reads of the brief;
//   - a citation, by everything it is made of;
//   - related briefs, by every brief's slug, date and tags; feeds (and
//     each of their entries), the sitemap and JSON-LD, by a hash of the
//     value encoded; the search index's per-page work, by its doc;
//   - the links and ids found in a page's bytes, by those bytes, and
//     where each link points, by the link and its page.
//
// Keys made of a slice's address hold that slice, so no other bytes can
// take the address while the entry lives, and nothing changes bytes once
// they are read or rendered. So a build with a Cache gives byte for byte
// the Output of a build without one (incremental_test.go checks this
// over random edits), and a cache that misses only costs time. Entries a
// build did not use are dropped at the end of the next one, so the cache
// holds about two builds' worth at most.
//
// A Cache is used by one build at a time; Load takes it and Render gives
// it back.
type Cache struct {
	mu         sync.Mutex // guards the maps below while a build runs on all cores
	busy       sync.Mutex // held from Load to the end of Render
	prev, next *generation
	complete   bool // the last build ran through Render

	search search.Cache
}

// generation is what one build used or made.
type generation struct {
	files    map[string]fileMemo
	md       map[mdKey]rendered
	pages    map[string]pageMemo
	text     map[pageKey]string
	refs     map[pageKey][]unique.Handle[pageRef]
	ids      map[pageKey]map[string]bool
	targets  map[[2]string]linkTarget // by the linking page's path and the link
	docLinks map[linksKey][]linkTarget
	related  map[uint64][][]int // briefs' related briefs, by index, by slugs, dates and tags
	tmpl     map[uint64]tmplMemo
	encoded  map[uint64][]byte    // feeds, sitemap, JSON-LD: by the value encoded
	reads    map[string]*readNode // page kind -> reads, for templates readsKey
	// readsKey identifies the templates the reads were found in.
	readsKey uint64
	cards    map[uint64]template.HTML  // brief card metas, by fingerprint
	cites    map[uint64]*Citation      // citations, by what cite reads
	cells    map[cellKey]template.HTML // data table cells (cells.go)
	// cardReads is what "brief-card-meta" reads, in templates cardKey.
	cardReads *readNode
	cardKey   uint64
}

// newGeneration returns an empty generation whose maps have room for as
// many entries as like's, which may be nil: a build mostly uses what the
// build before it did, and maps grown one entry at a time would make
// garbage of every smaller table on the way.
func newGeneration(like *generation) *generation {
	if like == nil {
		like = &generation{}
	}
	return &generation{
		files: make(map[string]fileMemo, len(like.files)), md: make(map[mdKey]rendered, len(like.md)),
		pages: make(map[string]pageMemo, len(like.pages)),
		text:  make(map[pageKey]string, len(like.text)), refs: make(map[pageKey][]unique.Handle[pageRef], len(like.refs)),
		ids: make(map[pageKey]map[string]bool, len(like.ids)), targets: make(map[[2]string]linkTarget, len(like.targets)),
		docLinks: make(map[linksKey][]linkTarget, len(like.docLinks)), reads: map[string]*readNode{},
		related: make(map[uint64][][]int, len(like.related)), encoded: make(map[uint64][]byte, len(like.encoded)),
		tmpl: make(map[uint64]tmplMemo, len(like.tmpl)), cards: make(map[uint64]template.HTML, len(like.cards)),
		cites: make(map[uint64]*Citation, len(like.cites)), cells: make(map[cellKey]template.HTML, len(like.cells)),
	}
}

// add adds g's entries to those of p.
func (p *generation) add(g *generation) {
	maps.Copy(p.files, g.files)
	maps.Copy(p.md, g.md)
	maps.Copy(p.pages, g.pages)
	maps.Copy(p.text, g.text)
	maps.Copy(p.refs, g.refs)
	maps.Copy(p.ids, g.ids)
	maps.Copy(p.targets, g.targets)
	maps.Copy(p.docLinks, g.docLinks)
	maps.Copy(p.related, g.related)
	maps.Copy(p.tmpl, g.tmpl)
	maps.Copy(p.encoded, g.encoded)
	maps.Copy(p.cards, g.cards)
	maps.Copy(p.cites, g.cites)
	maps.Copy(p.cells, g.cells)
}

// NewCache returns an empty cache.
func NewCache() *Cache { return &Cache{} }

// begin starts a build's use of the cache.
func (c *Cache) begin() {
	c.busy.Lock()
	switch {
	case c.next == nil:
		c.prev = newGeneration(nil)
	case c.complete:
		c.prev = c.next
	default:
		// The last build stopped early: keep what it did not reach.
		c.prev.add(c.next)
	}
	c.next = newGeneration(c.prev)
	c.next.reads, c.next.readsKey = c.prev.reads, c.prev.readsKey
	c.next.cardReads, c.next.cardKey = c.prev.cardReads, c.prev.cardKey
	c.complete = false
}

// end ends a build's use of the cache; complete says Render ran through.
func (c *Cache) end(complete bool) {
	c.complete = complete
	c.busy.Unlock()
}

// recall looks key up in this build's entries, then in the last build's;
// a hit in the last build's becomes one of this build's.
func recall[K comparable, V any](c *Cache, m func(*generation) map[K]V, key K) (V, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if v, ok := m(c.next)[key]; ok {
		return v, true
	}
	v, ok := m(c.prev)[key]
	if ok {
		m(c.next)[key] = v
	}
	return v, ok
}

// keep makes v this build's entry for key.
func keep[K comparable, V any](c *Cache, m func(*generation) map[K]V, key K, v V) {
	c.mu.Lock()
	defer c.mu.Unlock()
	m(c.next)[key] = v
}

// memo is recall, computing the value outside the lock and keeping it on
// a miss.
func memo[K comparable, V any](c *Cache, m func(*generation) map[K]V, key K, compute func() V) V {
	if v, ok := recall(c, m, key); ok {
		return v
	}
	v := compute()
	keep(c, m, key, v)
	return v
}

// hashSeed is the seed of the cache's content hashes: they live as long
// as the process.
var hashSeed = maphash.MakeSeed()

// sum hashes byte strings and numbers together, each length-prefixed.
// Most of what it hashes are numbers and short strings, so it gathers
// them in a block and hashes the block when full, carrying that hash into
// the next block; strings longer than a block's tenth are hashed on their
// own and their hash added. Its zero value is ready to use.
type sum struct {
	block [sumBlock]byte
	n     int
}

const sumBlock = 512

func newSum() *sum { return &sum{} }

// flush hashes the block and starts the next one with that hash.
func (s *sum) flush() {
	h := maphash.Bytes(hashSeed, s.block[:s.n])
	binary.LittleEndian.PutUint64(s.block[:8], h)
	s.n = 8
}

// bytes is str of b's bytes, which it reads without copying or keeping.
func (s *sum) bytes(b []byte) *sum {
	if len(b) == 0 {
		return s.str("")
	}
	return s.str(unsafe.String(&b[0], len(b)))
}

func (s *sum) str(v string) *sum {
	s.u64(uint64(len(v)))
	if len(v) > sumBlock/10 {
		return s.u64(longHash(v))
	}
	if s.n+len(v) > sumBlock {
		s.flush()
	}
	s.n += copy(s.block[s.n:], v)
	return s
}

// longHash is how str hashes a string longer than a block's tenth.
func longHash(v string) uint64 { return maphash.String(hashSeed, v) }

func (s *sum) u64(v uint64) *sum {
	if s.n+8 > sumBlock {
		s.flush()
	}
	binary.LittleEndian.PutUint64(s.block[s.n:], v)
	s.n += 8
	return s
}

func (s *sum) bool(v bool) *sum {
	if v {
		return s.u64(1)
	}
	return s.u64(0)
}

func (s *sum) sum() uint64 { return maphash.Bytes(hashSeed, s.block[:s.n]) }

// fileMemo is one source file's parse result.
type fileMemo struct {
	at     *byte // the file's bytes as read last, when not empty
	n      int
	data   uint64 // hash of the file's bytes
	parsed any
	probs  diag.List
}

// parseFile returns parse's result for the file p with contents data,
// from the cache when the same bytes were parsed before. The problems are
// added to probs either way. Without a cache it just parses.
func parseFile[T any](c *Cache, p string, data []byte, probs *diag.List, parse func(*diag.List) *T) *T {
	if c == nil {
		return parse(probs)
	}
	files := func(g *generation) map[string]fileMemo { return g.files }
	m, ok := recall(c, files, p)
	// The very bytes parsed last time (folio serve reads unchanged files
	// from memory) need no hash; others are compared by theirs.
	same := ok && len(data) > 0 && m.at == &data[0] && m.n == len(data)
	var h uint64
	if !same {
		h = newSum().bytes(data).sum()
		same = ok && m.data == h
	}
	if !same {
		var found diag.List
		m = fileMemo{data: h, parsed: parse(&found), probs: found}
	}
	if len(data) > 0 {
		m.at, m.n = &data[0], len(data)
	}
	keep(c, files, p, m)
	*probs = append(*probs, m.probs...)
	v, _ := m.parsed.(*T)
	return v
}

// mdKey identifies a Markdown body: by the renderer's options, its first
// line, and its bytes, which no one changes once read.
type mdKey struct {
	opts uint64
	line int
	at   *byte
	n    int
}

// rendered is one Markdown body's conversion, the number of words of the
// Markdown, and (with a cache) the hash of its HTML as sum.str adds it.
type rendered struct {
	result markdown.Result
	err    error
	words  int
	hash   uint64
}

// pageMemo is one rendered page.
type pageMemo struct {
	fp   uint64
	data []byte
}

// pageKey identifies a rendered page's bytes, and what parsing its links
// depends on besides.
type pageKey struct {
	data     *byte
	n        int
	from     string
	basePath string
}

// pageRef is one href or src of a rendered page that stays in the site.
type pageRef struct {
	ref    string // as written, unescaped
	leaves bool   // a root path outside the base path
	key    string // the output file it points at
	alt    string // or this one, when its path may be a folder
	frag   string
}

// wordCount is the number of words of a brief's Markdown, counted with
// its conversion.
func (r *renderer) wordCount(b *content.Brief) int { return r.docs[b.Path].words }

// searchText is search.TextFromHTML, from the cache when it can be.
func (r *renderer) searchText(html []byte) string {
	text := func() string { return search.TextFromHTML(html) }
	if c := r.site.opts.Cache; c != nil && len(html) > 0 {
		// Keyed by the bytes themselves: the Markdown cache hands out the
		// same slice for an unchanged body, and nothing changes it.
		return memo(c, func(g *generation) map[pageKey]string { return g.text }, pageKey{data: &html[0], n: len(html)}, text)
	}
	return text()
}

// encode returns enc(), which must encode v and nothing else, from the
// cache when an equal v of the same kind was encoded before: v is hashed
// whole, which is much cheaper than encoding/xml or encoding/json.
func (r *renderer) encode(kind string, v any, enc func() []byte) []byte {
	if r.site.opts.Cache == nil {
		return enc()
	}
	return r.encoded(valueKey(kind, v), enc)
}

// valueKey hashes v whole, and kind.
func valueKey(kind string, v any) uint64 {
	f := newFingerprinter(nil)
	f.str(kind)
	f.deep(reflect.ValueOf(v))
	return f.sum.sum()
}

// encoded returns enc() from the cache, with a cache, by key, which must
// identify what enc encodes.
func (r *renderer) encoded(key uint64, enc func() []byte) []byte {
	return memo(r.site.opts.Cache, func(g *generation) map[uint64][]byte { return g.encoded }, key, enc)
}

// encodeParts is what encode gives for a document whose last member is
// a list, encoded from parts: each part's encoding comes from the cache
// when an equal part was encoded before, and the whole when every part
// and the rest of the document are as before. So an edit to one part
// re-encodes that part alone. Without a cache it is whole().
func encodeParts[T any](r *renderer, kind string, rest any, parts []T, part func(T) []byte, splice func([][]byte) []byte, whole func() []byte) []byte {
	if r.site.opts.Cache == nil {
		return whole()
	}
	key := newSum().u64(valueKey(kind, rest))
	partKind := kind + " part"
	encs := make([][]byte, len(parts))
	for i, p := range parts {
		k := valueKey(partKind, p)
		key.u64(k)
		encs[i] = r.encoded(k, func() []byte { return part(p) })
	}
	return r.encoded(key.sum(), func() []byte { return splice(encs) })
}

// tmplMemo is a parsed set of templates.
type tmplMemo struct {
	base  *template.Template
	sets  map[string]*template.Template
	probs diag.List
}

// html is a body's HTML as the string views hold. The string shares the
// bytes, which no one writes once made (markdown.Render and fill make
// them and keep no hold; the cache keeps them as they are): a site holds
// every body while its pages render, and a copy would hold it twice. So
// an unchanged body, which the cache hands out again, is also the same
// string in every build.
func (r *renderer) html(b []byte) template.HTML {
	if len(b) == 0 {
		return ""
	}
	return template.HTML(unsafe.String(&b[0], len(b)))
}

// countWords is len(bytes.Fields(b)) without making the slice.
func countWords(b []byte) int {
	n := 0
	in := false
	for len(b) > 0 {
		r, size := rune(b[0]), 1
		if r >= utf8.RuneSelf {
			r, size = utf8.DecodeRune(b)
		}
		space := unicode.IsSpace(r)
		if !space && !in {
			n++
		}
		in = !space
		b = b[size:]
	}
	return n
}
