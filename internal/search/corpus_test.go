package search_test

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"fmt"
	"html"
	"maps"
	"math/rand/v2"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/folio-ssg/folio/internal/search"
	"github.com/folio-ssg/folio/internal/site"
)

// maxFirstFetch is the most a reader may download, gzipped, before the
// first results show on the 1,000-brief site: meta.json, the shards of
// the query's terms and the doc files of the first ten results.
const maxFirstFetch = 300 << 10

// TestFirstResultsFetch takes the index the site pipeline builds for the
// benchmark's generated site (1,000 briefs of ~1,200 words, each with a
// chart, over 53 datasets), then, for a few realistic queries, fetches
// what search.js fetches and adds up its gzipped size (each file
// compressed alone, as a host serves it). It logs the numbers.
func TestFirstResultsFetch(t *testing.T) {
	if testing.Short() || raceEnabled {
		t.Skip("builds a 1,000-brief site; .ci/run runs it without -race")
	}
	files := map[string][]byte{}
	for p, data := range generatedSite(t) {
		if strings.HasPrefix(p, search.Dir) {
			files[p] = data
		}
	}
	if len(files) == 0 {
		t.Fatal("the site has no search index")
	}
	var raw, gz int
	for _, data := range files {
		raw += len(data)
		gz += gzipSize(data)
	}
	m := readMeta(t, files)
	t.Logf("index of %d docs: %d files, %s raw, %s gzip; %d shards, meta.json %s gzip",
		m.Docs, len(files), kb(raw), kb(gz), len(m.Shards), kb(gzipSize(files[search.Dir+"meta.json"])))
	for _, q := range []string{"export controls", "semiconductor supply chain", "bandwidth thresh",
		"generated dataset 17", "brief 512", "licensing"} {
		f := fetch(t, files, m, q)
		t.Logf("%-28q %5d results; fetched meta %s + %d shards %s + %d docs %s = %s gzip (%s raw)",
			q, f.results, kb(f.meta), f.shards, kb(f.shardBytes), f.docs, kb(f.docBytes), kb(f.total()), kb(f.raw))
		if f.results == 0 {
			t.Errorf("%q finds nothing", q)
		}
		if f.total() > maxFirstFetch {
			t.Errorf("%q: first results need %s gzip, more than %s", q, kb(f.total()), kb(maxFirstFetch))
		}
	}
}

// TestFirstResultsFetchZipf is TestFirstResultsFetch on 1,000 pages of
// text whose 60,000 words follow Zipf's law, as a language's do: the
// generated site repeats 23 words, so its shards are small, while here
// the common words' postings and the long tail of rare ones weigh as
// they would on a real site.
func TestFirstResultsFetchZipf(t *testing.T) {
	if testing.Short() || raceEnabled {
		t.Skip("indexes 1,000 pages; .ci/run runs it without -race")
	}
	docs, vocab := zipfDocs(1000, 1200)
	files := search.Build(docs)
	var raw, gz, shardRaw, shardGz int
	for name, data := range files {
		raw += len(data)
		n := gzipSize(data)
		gz += n
		if strings.Contains(name, "/shard-") {
			shardRaw += len(data)
			shardGz += n
		}
	}
	m := readMeta(t, files)
	t.Logf("Zipf index of %d docs: %d files, %s raw, %s gzip, of which %d shards %s raw, %s gzip; meta.json %s gzip",
		m.Docs, len(files), kb(raw), kb(gz), len(m.Shards), kb(shardRaw), kb(shardGz), kb(gzipSize(files[search.Dir+"meta.json"])))
	for _, q := range []string{vocab[3] + " " + vocab[7], vocab[40] + " " + vocab[300] + " ", vocab[120] + " " + vocab[2000],
		vocab[900] + " " + vocab[12][:3], vocab[5000]} {
		f := fetch(t, files, m, q)
		t.Logf("%-28q %5d results; fetched meta %s + %d shards %s + %d docs %s = %s gzip (%s raw)",
			q, f.results, kb(f.meta), f.shards, kb(f.shardBytes), f.docs, kb(f.docBytes), kb(f.total()), kb(f.raw))
		if f.total() > maxFirstFetch {
			t.Errorf("%q: first results need %s gzip, more than %s", q, kb(f.total()), kb(maxFirstFetch))
		}
	}
}

// zipfDocs makes n pages of about words words each, drawn from 60,000
// made-up words by Zipf's law; it returns them and the words, commonest
// first.
func zipfDocs(n, words int) ([]search.Doc, []string) {
	const size = 60000
	syll := strings.Fields("ka lo mi ne ru ta si po ve da gu re fi no la be chi mo te su")
	vocab := make([]string, size)
	for i := range vocab {
		var b strings.Builder
		for x := i + 20; x > 0; x /= len(syll) {
			b.WriteString(syll[x%len(syll)])
		}
		vocab[i] = b.String()
	}
	r := rand.New(rand.NewPCG(1, 2))
	z := rand.NewZipf(r, 1.07, 2, size-1)
	text := func(k int) string {
		var b strings.Builder
		for i := range k {
			if i > 0 {
				b.WriteByte(' ')
			}
			b.WriteString(vocab[z.Uint64()])
			if i%15 == 14 {
				b.WriteByte('.')
			}
		}
		return b.String()
	}
	docs := make([]search.Doc, n)
	for i := range docs {
		d := search.Doc{URL: fmt.Sprintf("/briefs/page-%d/", i), Kind: "Brief",
			Date: fmt.Sprintf("2024-%02d-%02d", i%12+1, i%28+1), Title: text(7), Summary: text(35),
			Tags: []string{text(1), text(2)}}
		for range 5 {
			d.Headings = append(d.Headings, text(5))
		}
		d.Text = d.Title + " " + d.Summary + " " + text(words)
		docs[i] = d
	}
	return docs, vocab
}

// BenchmarkBuild builds an index of the generated 1,000-brief site's
// pages: its briefs, chart pages, datasets and other pages, each with the
// whole text of its <main>, which is more than the pipeline indexes.
func BenchmarkBuild(b *testing.B) {
	docs := DocsFromOutput(generatedSite(b), "/bench/")
	b.ResetTimer()
	for b.Loop() {
		search.Build(docs)
	}
}

type meta struct {
	Version string   `json:"version"`
	Docs    int      `json:"docs"`
	Shards  []string `json:"shards"`
}

func readMeta(t testing.TB, files map[string][]byte) meta {
	var m meta
	if err := json.Unmarshal(files[search.Dir+"meta.json"], &m); err != nil {
		t.Fatal(err)
	}
	return m
}

type fetched struct {
	results, shards, docs           int
	meta, shardBytes, docBytes, raw int
}

func (f fetched) total() int { return f.meta + f.shardBytes + f.docBytes }

// fetch does what search.js does for query q and counts the bytes: the
// same shards (the last word also as a prefix), the same ranking, the doc
// files of the first ten results.
func fetch(t testing.TB, files map[string][]byte, m meta, q string) fetched {
	var f fetched
	get := func(name string) []byte {
		data, ok := files[search.Dir+name]
		if !ok {
			t.Fatalf("%q: no file %s", q, name)
		}
		f.raw += len(data)
		return data
	}
	f.meta = gzipSize(get("meta.json"))
	terms := search.QueryTerms(q)
	type hit struct {
		w      float64
		titled int
	}
	var perTerm []map[int]hit
	loaded := map[int][][2]json.RawMessage{}
	for k, term := range terms {
		prefix := k == len(terms)-1 && !strings.HasSuffix(q, " ")
		hits := map[int]hit{}
		for _, n := range shardsFor(m.Shards, term, prefix) {
			if loaded[n] == nil {
				data := get(fmt.Sprintf("%s/shard-%d.json", m.Version, n))
				f.shards++
				f.shardBytes += gzipSize(data)
				var entries [][2]json.RawMessage
				if err := json.Unmarshal(data, &entries); err != nil {
					t.Fatal(err)
				}
				loaded[n] = entries
			}
			for _, e := range loaded[n] {
				var name string
				var postings []int
				json.Unmarshal(e[0], &name)
				json.Unmarshal(e[1], &postings)
				exact := name == term
				if !exact && !(prefix && strings.HasPrefix(name, term)) {
					continue
				}
				id := 0
				for i := 0; i+1 < len(postings); i += 2 {
					id += postings[i]
					w := float64(postings[i+1] >> 1)
					if !exact {
						w /= 2
					}
					h := hits[id]
					hits[id] = hit{max(h.w, w), max(h.titled, postings[i+1]&1)}
				}
			}
		}
		perTerm = append(perTerm, hits)
	}
	type result struct {
		id, titled int
		score      float64
	}
	var results []result
	if len(perTerm) > 0 {
	docs:
		for id := range perTerm[0] {
			r := result{id: id}
			for _, hits := range perTerm {
				h, ok := hits[id]
				if !ok {
					continue docs
				}
				r.score += h.w
				r.titled += h.titled
			}
			results = append(results, r)
		}
	}
	slices.SortFunc(results, func(a, b result) int {
		if a.titled != b.titled {
			return b.titled - a.titled
		}
		if a.score != b.score {
			if a.score > b.score {
				return -1
			}
			return 1
		}
		return a.id - b.id
	})
	f.results = len(results)
	for _, r := range results[:min(10, len(results))] {
		f.docs++
		f.docBytes += gzipSize(get(fmt.Sprintf("%s/doc-%d.json", m.Version, r.id)))
	}
	return f
}

// shardsFor is search.js's shardsFor: the shard whose range holds term,
// and for a prefix the next ones that start with it, up to 8 in all.
func shardsFor(starts []string, term string, prefix bool) []int {
	at := -1
	for i, s := range starts {
		if s <= term {
			at = i
		}
	}
	if !prefix {
		if at < 0 {
			return nil
		}
		return []int{at}
	}
	out := []int{max(at, 0)}
	for k := out[0] + 1; k < len(starts) && len(out) < 8 && strings.HasPrefix(starts[k], term); k++ {
		out = append(out, k)
	}
	return out
}

func gzipSize(data []byte) int {
	var b bytes.Buffer
	w, _ := gzip.NewWriterLevel(&b, gzip.DefaultCompression)
	w.Write(data)
	w.Close()
	return b.Len()
}

func kb(n int) string { return fmt.Sprintf("%.1f KB", float64(n)/1024) }

var (
	genOnce sync.Once
	genOut  site.Output
	genErr  error
)

// generatedSite renders the generated site once.
func generatedSite(t testing.TB) site.Output {
	genOnce.Do(func() {
		s, probs := site.Load(genSiteCharts(t, 1000, true), site.Options{Today: time.Date(2025, 6, 1, 0, 0, 0, 0, time.UTC)})
		if s == nil || probs.Errors() > 0 {
			genErr = fmt.Errorf("loading: %v", probs.Sort())
			return
		}
		genOut, _, probs = s.Render()
		if genOut == nil {
			genErr = fmt.Errorf("rendering: %v", probs.Sort())
		}
	})
	if genErr != nil {
		t.Fatal(genErr)
	}
	return genOut
}

var (
	mainRE    = regexp.MustCompile(`(?s)<main\b[^>]*>(.*)</main>`)
	metaRE    = regexp.MustCompile(`<meta (?:name|property)="(description|og:title)" content="([^"]*)"`)
	timeRE    = regexp.MustCompile(`<time datetime="(\d{4}-\d{2}-\d{2})"`)
	headingRE = regexp.MustCompile(`(?s)<(h[23]|figcaption)\b[^>]*>(.*?)</(?:h[23]|figcaption)>`)
	tagRE     = regexp.MustCompile(`(?s)<a class="tag" href="[^"]*">(.*?)</a>`)
	labelRE   = regexp.MustCompile(`(?s)<p class="type-label">(.*?)</p>`)
)

// DocsFromOutput makes docs of a rendered site's briefs, datasets, charts
// and other pages from their HTML, for the benchmark.
func DocsFromOutput(out site.Output, basePath string) []search.Doc {
	var docs []search.Doc
	for _, key := range slices.Sorted(maps.Keys(out)) {
		p, ok := strings.CutSuffix(key, "index.html")
		if !ok {
			continue
		}
		kind := ""
		switch {
		case strings.HasPrefix(p, "briefs/") && p != "briefs/":
			kind = "Brief"
		case strings.HasPrefix(p, "data/") && p != "data/":
			kind = "Dataset"
		case strings.HasPrefix(p, "charts/"):
			kind = "Chart"
		case strings.Count(p, "/") == 1 && !strings.HasPrefix(p, "tags/") && !strings.HasPrefix(p, "search/"):
			kind = "Page"
		default:
			continue
		}
		page := out[key]
		m := mainRE.FindSubmatch(page)
		if m == nil {
			continue
		}
		body := m[1]
		d := search.Doc{URL: basePath + p, Kind: kind, Text: search.TextFromHTML(body)}
		for _, mm := range metaRE.FindAllSubmatch(page, -1) {
			v := html.UnescapeString(string(mm[2]))
			if string(mm[1]) == "og:title" {
				d.Title = v
			} else {
				d.Summary = v
			}
		}
		if kind == "Brief" {
			if l := labelRE.FindSubmatch(body); l != nil {
				d.Kind = search.TextFromHTML(l[1])
			}
			if tm := timeRE.FindSubmatch(body); tm != nil {
				d.Date = string(tm[1])
			}
			for _, tg := range tagRE.FindAllSubmatch(body, -1) {
				d.Tags = append(d.Tags, search.TextFromHTML(tg[1]))
			}
		}
		for _, h := range headingRE.FindAllSubmatch(body, -1) {
			d.Headings = append(d.Headings, search.TextFromHTML(h[2]))
		}
		docs = append(docs, d)
	}
	return docs
}
