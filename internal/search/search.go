// Package search builds the site's search index: static JSON files that
// templates/assets/search.js reads in the reader's browser, from the
// site's own host, with nothing to run on the server. The design is
// Pagefind's: the reader fetches a small entry file, then only the parts
// of the index a query needs, so the download grows with the query, not
// with the site.
//
// Build writes, below the site root:
//
//	search/index/meta.json            the entry file, fetched first
//	search/index/<v>/shard-<n>.json   the terms, in sorted ranges
//	search/index/<v>/doc-<id>.json    one page's title, link and text
//
// <v> is a hash of everything below it, so a reader whose page holds an
// older meta.json never mixes its shards with a newer build's: the old
// files are gone, the fetch fails, and the script says to reload.
//
// meta.json:
//
//	{"format":1, "version":"<v>", "docs":N,
//	 "shards":["2010","deepseek",...],  the first term of each shard
//	 "stop":["a","an",...],             the stop words, which queries drop
//	 "max_term":40}                     terms are cut to this many runes
//
// Shard n holds the terms from shards[n] up to, not including,
// shards[n+1], in code point order, so a term is in exactly one shard and
// a prefix's terms are in a run of neighbouring shards. A shard is an
// array of [term, postings]; postings is a flat array of pairs
// [id, value, id-step, value, ...]: the first document id, then each
// next id as the step from the one before. value>>1 is the term's weight
// in that document, value&1 says whether the title has it. The weight
// adds up by field: 16 for the title, 8 for a heading or tag (where the
// pipeline also puts figure titles, captions and dataset titles), 4 for
// the summary, and one per occurrence in the text, up to 8.
//
// Documents are numbered newest first (then by URL; undated ones last),
// so that the script breaks ties by date by comparing ids. doc-<id>.json
// is {"url","kind","title","date","summary","text"}, the text cut to
// about 12 KB at a space, from which the script cuts the excerpt around
// the words found; it is fetched only for the results shown.
//
// The tokeniser is in tokenize.go; search.js repeats it for queries.
package search

import (
	"cmp"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"maps"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"unicode/utf8"
)

// Doc is one searchable page.
type Doc struct {
	URL      string // path inside the site's base path, e.g. /observatory/briefs/x/
	Kind     string // "Brief", "Dataset", "Chart", "Page", or a brief's type label
	Title    string
	Summary  string
	Date     string   // YYYY-MM-DD or ""
	Headings []string // also figure titles, captions and dataset titles
	Tags     []string
	Text     string // plain body text (use TextFromHTML)
	// TextOf, when set, gives Text instead, for Write to call when it
	// reads the doc (see Write). Docs are ordered by their fields, Text
	// last; docs equal but for a text from TextOf keep their order.
	TextOf func() string
}

// Field weights; see the package comment.
const (
	weightTitle   = 16
	weightLabel   = 8
	weightSummary = 4
	maxBodyWeight = 8
)

const (
	// shardTarget is the size of a shard's JSON above which it ends: about
	// 10 KB gzipped, so a query fetches little more than its terms need.
	shardTarget = 32 << 10
	// maxFragmentText is how much of a page's text its doc file keeps for
	// excerpts: a long brief's worth.
	maxFragmentText = 12 << 10
	// format is the version of the index's layout, for search.js.
	format = 1
)

// Dir is where the index lives below the site root.
const Dir = "search/index/"

type meta struct {
	Format  int      `json:"format"`
	Version string   `json:"version"`
	Docs    int      `json:"docs"`
	Shards  []string `json:"shards"`
	Stop    []string `json:"stop"`
	MaxTerm int      `json:"max_term"`
}

type fragment struct {
	URL     string `json:"url"`
	Kind    string `json:"kind"`
	Title   string `json:"title"`
	Date    string `json:"date"`
	Summary string `json:"summary"`
	Text    string `json:"text"`
}

// hit is what one document says about one term.
type hit struct {
	title, label, summary bool
	body                  int
}

func (h *hit) value() int {
	w := min(h.body, maxBodyWeight)
	t := 0
	if h.title {
		w += weightTitle
		t = 1
	}
	if h.label {
		w += weightLabel
	}
	if h.summary {
		w += weightSummary
	}
	return w<<1 | t
}

// posting is one document's value for a term.
type posting struct {
	doc   int32
	value uint8 // hit.value is at most 73
}

// Build returns the index files, keyed by path below the site root (see
// the package comment). The same docs, in any order, give the same bytes.
func Build(docs []Doc) map[string][]byte { return (*Cache)(nil).Build(docs) }

// termValue is one term of a doc and its value there.
type termValue struct {
	term  string
	value int
}

// docWork is what Build reads from one doc.
type docWork struct {
	values []termValue // nil once numbered, unless a Cache keeps the work
	ids    []int32     // the number of each value's term in dictionary gen
	vals   []uint8     // and its value
	gen    int
	frag   []byte // its doc-N.json; nil once written, unless a Cache keeps the work
	size   int    // len(frag)
	sum    [sha256.Size]byte
	text   string // the doc's text, kept by a Cache that keys it by address
}

type scratch struct {
	at   map[string]int // term -> its hit in hits
	hits []hit
}

// read finds the terms of d, whose text is text, and their values, and
// d's fragment.
func read(d Doc, text string, sc *scratch) *docWork {
	clear(sc.at)
	sc.hits = sc.hits[:0]
	get := func(t string) *hit {
		i, ok := sc.at[t]
		if !ok {
			i = len(sc.hits)
			sc.at[t] = i
			sc.hits = append(sc.hits, hit{})
		}
		return &sc.hits[i]
	}
	indexTerms(d.Title, func(t string) { get(t).title = true })
	for _, s := range slices.Concat(d.Headings, d.Tags) {
		indexTerms(s, func(t string) { get(t).label = true })
	}
	indexTerms(d.Summary, func(t string) { get(t).summary = true })
	indexTerms(text, func(t string) { get(t).body++ })
	vs := make([]termValue, 0, len(sc.at))
	for t, i := range sc.at {
		vs = append(vs, termValue{t, sc.hits[i].value()})
	}
	frag := mustJSON(fragment{
		URL: d.URL, Kind: d.Kind, Title: d.Title, Date: d.Date, Summary: d.Summary,
		Text: clip(text, maxFragmentText),
	})
	return &docWork{values: vs, frag: frag, size: len(frag), sum: sha256.Sum256(frag)}
}

// Build is the package's Build, reusing the work of the last Build with c
// for docs that have not changed. A nil Cache caches nothing.
func (c *Cache) Build(docs []Doc) map[string][]byte {
	var mu sync.Mutex
	files := map[string][]byte{}
	version, meta := c.write(docs, func(name string, data []byte) {
		mu.Lock()
		files[name] = data
		mu.Unlock()
	})
	out := make(map[string][]byte, len(files)+1)
	for name, data := range files {
		out[Dir+version+"/"+name] = data
	}
	out[Dir+"meta.json"] = meta
	return out
}

// Staging is the folder below Dir where Write puts the files that belong
// in the version's folder, whose name is known only once they are all
// made. It cannot be a version's name.
const Staging = "new/"

// Write makes the files of Build(docs) and hands each to put as soon as
// it is made, keeping none, so that a site's build need not hold its
// index: put gets the files of the version's folder, by their names in
// it, from several goroutines at once. Write returns the version and
// meta.json, which the caller puts at Dir+"meta.json" once the folder is
// renamed from Dir+Staging to Dir+version (no folder when put was not
// called).
//
// A doc whose TextOf is set has its text made when Write reads it, on any
// goroutine, and dropped after, so that the texts of all docs are never
// held at once.
func Write(docs []Doc, put func(name string, data []byte)) (version string, meta []byte) {
	return (*Cache)(nil).write(docs, put)
}

// fileSum is what the version hashes of a file.
type fileSum struct {
	size int
	sum  [sha256.Size]byte
}

// write is Write with c, which, when not nil, keeps each doc's work for
// the next build and needs every doc's Text.
func (c *Cache) write(docs []Doc, put func(name string, data []byte)) (version string, metaJSON []byte) {
	docs = slices.Clone(docs)
	slices.SortStableFunc(docs, func(a, b Doc) int {
		if (a.Date == "") != (b.Date == "") {
			if a.Date == "" {
				return 1
			}
			return -1
		}
		return cmp.Or(cmp.Compare(b.Date, a.Date), cmp.Compare(a.URL, b.URL), cmp.Compare(a.Title, b.Title),
			cmp.Compare(a.Kind, b.Kind), cmp.Compare(a.Summary, b.Summary), cmp.Compare(a.Text, b.Text))
	})

	// Read every doc on all cores, numbering its terms and putting its
	// file as soon as it is read; then file the postings in id order.
	// Terms are numbered, so that filing the postings indexes a slice
	// rather than hashing every term of every doc; a Cache keeps the
	// numbers, and each doc's, from one Build to the next.
	d := c.dictionary()
	var numbering sync.Mutex
	works := make([]*docWork, len(docs))
	scratches := sync.Pool{New: func() any { return &scratch{at: map[string]int{}} }}
	parallel(len(docs), func(id int) {
		w := c.work(docs[id], func() *docWork {
			sc := scratches.Get().(*scratch)
			defer scratches.Put(sc)
			text := docs[id].Text
			if docs[id].TextOf != nil {
				text = docs[id].TextOf()
			}
			return read(docs[id], text, sc)
		})
		numbering.Lock()
		d.number(w)
		numbering.Unlock()
		put(docName(id), w.frag)
		if c == nil {
			w.values, w.frag = nil, nil
		}
		works[id] = w
	})
	c.rotate()
	terms := make([][]posting, len(d.words))
	var used []int32
	sums := map[string]fileSum{}
	for id, w := range works {
		for i, t := range w.ids {
			if len(terms[t]) == 0 {
				used = append(used, t)
			}
			terms[t] = append(terms[t], posting{int32(id), w.vals[i]})
		}
		sums[docName(id)] = fileSum{w.size, w.sum}
		if c == nil {
			works[id] = nil
		}
	}
	slices.SortFunc(used, func(a, b int32) int { return strings.Compare(d.words[a], d.words[b]) })
	d.used = len(used)

	m := meta{Format: format, Docs: len(docs), Stop: stopWords, MaxTerm: maxTermRunes, Shards: []string{}}
	var shard []byte
	end := func() {
		if shard != nil {
			shard = append(shard, ']')
			name := fmt.Sprintf("shard-%d.json", len(m.Shards)-1)
			sums[name] = fileSum{len(shard), sha256.Sum256(shard)}
			put(name, shard)
			shard = nil
		}
	}
	for _, id := range used {
		t := d.words[id]
		entry := appendEntry(nil, t, terms[id])
		terms[id] = nil
		if shard != nil && len(shard)+len(entry) > shardTarget {
			end()
		}
		if shard == nil {
			shard = []byte{'['}
			m.Shards = append(m.Shards, t)
		} else {
			shard = append(shard, ',')
		}
		shard = append(shard, entry...)
	}
	end()

	// The version is a hash of every file's name, size and hash; a doc
	// file's hash was taken when it was read, so an unchanged doc is not
	// hashed again by a cached Build.
	sum := sha256.New()
	for _, name := range slices.Sorted(maps.Keys(sums)) {
		fmt.Fprintf(sum, "%s\x00%d\x00", name, sums[name].size)
		h := sums[name].sum
		sum.Write(h[:])
	}
	m.Version = hex.EncodeToString(sum.Sum(nil))[:12]
	return m.Version, mustJSON(m)
}

func docName(id int) string { return "doc-" + strconv.Itoa(id) + ".json" }

// appendEntry appends a shard entry: ["term",[id,value,step,value,...]].
func appendEntry(b []byte, term string, ps []posting) []byte {
	b = append(b, '[')
	b = append(b, mustJSON(term)...)
	b = append(b, ",["...)
	var prev int32
	for i, p := range ps {
		if i > 0 {
			b = append(b, ',')
		}
		b = strconv.AppendInt(b, int64(p.doc-prev), 10)
		b = append(b, ',')
		b = strconv.AppendInt(b, int64(p.value), 10)
		prev = p.doc
	}
	return append(b, "]]"...)
}

// clip cuts s to at most n bytes, at a space when there is one in its
// last tenth, and marks the cut with an ellipsis.
func clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	i := n
	for i > 0 && !utf8.RuneStart(s[i]) {
		i--
	}
	if sp := strings.LastIndexByte(s[:i], ' '); sp > n-n/10 {
		i = sp
	}
	return s[:i] + " …"
}

func mustJSON(v any) []byte {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err) // strings, ints and slices of them always marshal
	}
	return b
}

// parallel calls f(0..n-1) on all cores.
func parallel(n int, f func(int)) {
	var wg sync.WaitGroup
	next := make(chan int)
	for range min(runtime.GOMAXPROCS(0), n) {
		wg.Go(func() {
			for i := range next {
				f(i)
			}
		})
	}
	for i := range n {
		next <- i
	}
	close(next)
	wg.Wait()
}
