package site

import (
	"bytes"
	"fmt"
	"maps"
	"math/rand/v2"
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"
	"testing/fstest"
	"time"
)

// TestIncrementalMatchesFull applies random edits of every kind to a site
// (the example site plus generated briefs with charts) and, after each,
// builds it twice: with a Cache kept across all the edits, as folio serve
// does, and from nothing. The outputs and the problems must be the same,
// byte for byte: the cache may only save work, never change a page.
func TestIncrementalMatchesFull(t *testing.T) {
	seed := uint64(time.Now().UnixNano())
	edits := 150
	if testing.Short() || raceEnabled {
		edits = 30
	}
	if s := os.Getenv("FOLIO_SEED"); s != "" {
		fmt.Sscan(s, &seed)
	}
	t.Logf("seed %d (set FOLIO_SEED to repeat)", seed)
	rng := rand.New(rand.NewPCG(seed, 1))

	fsys := genSiteCharts(t, 24, true)
	for p, data := range readRepo(t) {
		if p == "folio.yaml" || strings.HasPrefix(p, "content/") {
			fsys[p] = &fstest.MapFile{Data: []byte(data)}
		}
	}
	original := maps.Clone(fsys)
	cache := NewCache()
	build := func(c *Cache) (Output, []string) {
		s, probs := Load(fsys, Options{Today: today, Cache: c})
		var out Output
		if s != nil && probs.Errors() == 0 {
			var more []string
			var o Output
			o, _, ps := s.Render()
			out = o
			for _, p := range ps {
				more = append(more, p.String())
			}
			return out, append(strs(probs), more...)
		}
		return nil, strs(probs)
	}
	compare := func(step int, what string) {
		t.Helper()
		gotOut, gotProbs := build(cache)
		wantOut, wantProbs := build(nil)
		if !slices.Equal(gotProbs, wantProbs) {
			t.Fatalf("edit %d (%s): problems differ\nincremental: %q\nfull:        %q", step, what, gotProbs, wantProbs)
		}
		if (gotOut == nil) != (wantOut == nil) {
			t.Fatalf("edit %d (%s): incremental output nil %v, full %v", step, what, gotOut == nil, wantOut == nil)
		}
		for _, k := range slices.Sorted(maps.Keys(wantOut)) {
			got, ok := gotOut[k]
			if !ok {
				t.Fatalf("edit %d (%s): incremental build lacks %s", step, what, k)
			}
			if !bytes.Equal(got, wantOut[k]) {
				t.Fatalf("edit %d (%s): %s differs:\n%s", step, what, k, firstDiff(got, wantOut[k]))
			}
		}
		for k := range gotOut {
			if _, ok := wantOut[k]; !ok {
				t.Fatalf("edit %d (%s): incremental build has extra %s", step, what, k)
			}
		}
	}
	compare(0, "first build")
	compare(0, "unchanged")
	// And the cache works: with nothing changed, no page is rendered
	// again (its bytes are the very ones of the build before).
	first, _ := build(cache)
	again, _ := build(cache)
	for k, data := range again {
		if strings.HasSuffix(k, ".html") && len(data) > 0 && &data[0] != &first[k][0] {
			t.Errorf("nothing changed, yet %s was rendered again", k)
		}
	}

	briefs := func(generated bool) []string {
		var out []string
		for p := range fsys {
			if strings.HasPrefix(p, "content/briefs/") && (!generated || strings.Contains(p, "/brief-")) {
				out = append(out, p)
			}
		}
		slices.Sort(out)
		return out
	}
	pick := func(list []string) string { return list[rng.IntN(len(list))] }
	get := func(p string) string { return string(fsys[p].Data) }
	set := func(p, data string) { fsys[p] = &fstest.MapFile{Data: []byte(data)} }
	// frontLine replaces the front matter line of key, or adds it.
	frontLine := func(p, key, line string) {
		data := get(p)
		re := regexp.MustCompile(`(?m)^` + key + `:.*\n`)
		end := strings.Index(data[4:], "\n---\n") + 4
		front, body := data[:end+1], data[end+1:]
		if re.MatchString(front) {
			front = re.ReplaceAllLiteralString(front, line+"\n")
		} else {
			front += line + "\n"
		}
		set(p, front+body)
	}
	words := strings.Fields("quota licence wafer tariff entity list foundry node yield bandwidth embargo")
	phrase := func(n int) string {
		w := make([]string, n)
		for i := range w {
			w[i] = words[rng.IntN(len(words))]
		}
		return strings.Join(w, " ")
	}

	type edit struct {
		name string
		do   func() string
	}
	ops := []edit{
		{"body paragraph", func() string {
			p := pick(briefs(false))
			set(p, get(p)+"\nAdded: "+phrase(12)+".\n")
			return p
		}},
		{"body heading", func() string {
			p := pick(briefs(false))
			set(p, get(p)+"\n## "+strings.ToUpper(phrase(1)[:1])+phrase(3)+"\n\nText "+phrase(5)+".\n")
			return p
		}},
		{"body link", func() string {
			p, q := pick(briefs(true)), pick(briefs(true))
			slug := strings.TrimSuffix(strings.TrimPrefix(q, "content/briefs/"), ".md")
			set(p, get(p)+"\nSee [a brief](/briefs/"+slug+"/).\n")
			return p
		}},
		{"title", func() string {
			p := pick(briefs(false))
			frontLine(p, "title", "title: Retitled "+phrase(2))
			return p
		}},
		{"summary", func() string {
			p := pick(briefs(false))
			frontLine(p, "summary", "summary: Now about "+phrase(4)+".")
			return p
		}},
		{"date", func() string {
			p := pick(briefs(false))
			frontLine(p, "date", fmt.Sprintf("date: 20%02d-%02d-%02d", 20+rng.IntN(6), 1+rng.IntN(12), 1+rng.IntN(28)))
			return p
		}},
		{"tags", func() string {
			p := pick(briefs(true))
			frontLine(p, "tags", fmt.Sprintf("tags: [topic %d, %s]", rng.IntN(25), pick(words)))
			return p
		}},
		{"authors", func() string {
			p := pick(briefs(true))
			frontLine(p, "authors", fmt.Sprintf("authors: [author-%d]", rng.IntN(5)))
			return p
		}},
		{"draft", func() string {
			p := pick(briefs(true))
			frontLine(p, "draft", fmt.Sprintf("draft: %v", rng.IntN(2) == 0))
			return p
		}},
		{"chart type", func() string {
			p := pick(briefs(true))
			set(p, regexp.MustCompile(`type: (bar|line|area)`).ReplaceAllString(get(p), "type: "+pick([]string{"bar", "line", "area"})))
			return p
		}},
		{"dataset cell", func() string {
			p := fmt.Sprintf("data/gen_%d.yaml", rng.IntN(24))
			set(p, strings.Replace(get(p), "exports: ", fmt.Sprintf("exports: %d", 1+rng.IntN(9)), 1))
			return p
		}},
		{"dataset title", func() string {
			p := fmt.Sprintf("data/gen_%d.yaml", rng.IntN(24))
			set(p, regexp.MustCompile(`(?m)^title: .*$`).ReplaceAllString(get(p), "title: Data on "+phrase(2)))
			return p
		}},
		{"author name", func() string {
			p := fmt.Sprintf("content/authors/author-%d.md", rng.IntN(5))
			set(p, regexp.MustCompile(`(?m)^name: .*$`).ReplaceAllString(get(p), "name: "+strings.ToUpper(phrase(1)[:1])+phrase(1)))
			return p
		}},
		{"page body", func() string {
			p := pick([]string{"content/about.md", "content/methodology.md", "content/index.md"})
			set(p, get(p)+"\nMore on "+phrase(6)+".\n")
			return p
		}},
		{"site title", func() string {
			set("folio.yaml", regexp.MustCompile(`(?m)^title: .*$`).ReplaceAllString(get("folio.yaml"), "title: Observatory of "+phrase(1)))
			return "folio.yaml"
		}},
		{"brief template", func() string {
			p := pick([]string{"templates/brief.html", "templates/briefs.html", "templates/base.html", "templates/partials.html", "templates/figure.html"})
			set(p, strings.Replace(get(p), "</p>", "<!-- --> "+pick(words)+"</p>", 1))
			return p
		}},
		{"table cell template", func() string {
			p := "templates/partials.html"
			set(p, strings.Replace(get(p), "</td>", " "+pick(words)+"</td>", 1))
			return p
		}},
		{"stylesheet", func() string {
			set("templates/assets/site.css", get("templates/assets/site.css")+"\n/* "+phrase(2)+" */\n")
			return "templates/assets/site.css"
		}},
		{"new brief", func() string {
			src := pick(briefs(true))
			p := fmt.Sprintf("content/briefs/brief-new-%d.md", rng.IntN(1000))
			set(p, strings.Replace(get(src), "title: ", "title: Copy of ", 1))
			return p
		}},
		{"delete brief", func() string {
			p := pick(briefs(true))
			delete(fsys, p)
			return p
		}},
		{"break a date", func() string {
			p := pick(briefs(false))
			frontLine(p, "date", "date: 2024-13-45")
			return p
		}},
		{"restore", func() string {
			// Back to the original: undoes breakage and deletions, and
			// meets cache entries from many edits ago.
			p := pick(slices.Sorted(maps.Keys(original)))
			fsys[p] = original[p]
			return p
		}},
	}
	for i := 1; i <= edits; i++ {
		n := 1 + rng.IntN(3) // several files change between builds, as a burst of saves does
		var what []string
		for range n {
			op := ops[rng.IntN(len(ops))]
			what = append(what, op.name+" "+op.do())
		}
		compare(i, strings.Join(what, "; "))
	}
}

func strs[T fmt.Stringer](list []T) []string {
	out := make([]string, len(list))
	for i, p := range list {
		out[i] = p.String()
	}
	return out
}

// firstDiff shows where two outputs first differ.
func firstDiff(got, want []byte) string {
	i := 0
	for i < len(got) && i < len(want) && got[i] == want[i] {
		i++
	}
	from := max(0, i-200)
	return fmt.Sprintf("incremental: …%s…\nfull:        …%s…", got[from:min(len(got), i+200)], want[from:min(len(want), i+200)])
}

// TestRebuildFiguresSameLength: a dataset edit that changes the figure
// in a brief's body but not the body's length renders the brief again.
// The cache hashes an unchanged body by its Markdown's conversion
// (keptHTML); a body filled with figures is new bytes and is hashed anew.
func TestRebuildFiguresSameLength(t *testing.T) {
	fsys := genSiteCharts(t, 8, true)
	cache := NewCache()
	build := builder(t, fsys)
	before := build(cache)
	// brief-3 charts gen_3: raise each first digit by one, 9 to 1, so no
	// number gains or loses a digit.
	p := "data/gen_3.yaml"
	fsys[p] = &fstest.MapFile{Data: []byte(regexp.MustCompile(`exports: \d`).ReplaceAllStringFunc(string(fsys[p].Data), func(m string) string {
		return fmt.Sprintf("exports: %d", 1+int(m[len(m)-1]-'0')%9)
	}))}
	got, want := build(cache), build(nil)
	const page = "briefs/brief-3/index.html"
	if bytes.Equal(before[page], want[page]) || len(before[page]) != len(want[page]) {
		t.Fatalf("the edit should change %s and keep its length: %d bytes, then %d", page, len(before[page]), len(want[page]))
	}
	for _, k := range slices.Sorted(maps.Keys(want)) {
		if !bytes.Equal(got[k], want[k]) {
			t.Errorf("%s: the cached rebuild differs from a full build:\n%s", k, firstDiff(got[k], want[k]))
		}
	}
}

// TestRebuildTableCellTemplate: an edit of the template "table-cell"
// renders every cell again, though no cell changed.
func TestRebuildTableCellTemplate(t *testing.T) {
	fsys := genSiteCharts(t, 4, true)
	cache := NewCache()
	build := builder(t, fsys)
	build(cache)
	const p = "templates/partials.html"
	fsys[p] = &fstest.MapFile{Data: bytes.Replace(fsys[p].Data, []byte("</td>"), []byte(" edited</td>"), 1)}
	got, want := build(cache), build(nil)
	const page = "data/gen_0/index.html"
	if !bytes.Contains(want[page], []byte(" edited</td>")) {
		t.Fatalf("the edit does not show in %s", page)
	}
	for _, k := range slices.Sorted(maps.Keys(want)) {
		if !bytes.Equal(got[k], want[k]) {
			t.Errorf("%s: the cached rebuild differs from a full build:\n%s", k, firstDiff(got[k], want[k]))
		}
	}
}

// builder returns a build of fsys with a cache or none, which must
// succeed.
func builder(t *testing.T, fsys fstest.MapFS) func(*Cache) Output {
	return func(c *Cache) Output {
		t.Helper()
		s, probs := Load(fsys, Options{Today: today, Cache: c})
		if s == nil || probs.Errors() > 0 {
			t.Fatal(probs.Sort())
		}
		out, _, probs := s.Render()
		if out == nil {
			t.Fatal(probs.Sort())
		}
		return out
	}
}
