package search

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"maps"
	"os"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/rogpeppe/go-internal/txtar"
)

var update = flag.Bool("update", false, "rewrite testdata/build.txtar")

// goldenDocs are a few pages of each kind, with accents, numbers and
// compounds.
var goldenDocs = []Doc{
	{
		URL: "/observatory/briefs/export-controls/", Kind: "Issue brief", Date: "2025-02-05",
		Title:    "Export controls and the AI chip race",
		Summary:  "U.S. export controls on AI chips, and what DeepSeek-V3 shows.",
		Headings: []string{"What the controls aim to do", "Worldwide AI chip sales"},
		Tags:     []string{"export controls", "semiconductors"},
		Text:     "Export controls and the AI chip race. Export controls on chips aim to slow rivals. DeepSeek-V3 was released in December 2024.",
	},
	{
		URL: "/observatory/data/ai_chip_sales/", Kind: "Dataset",
		Title:   "Worldwide AI chip sales",
		Summary: "Sales of chips designed for AI workloads.",
		Text:    "Worldwide AI chip sales. Year Sales 2022 $42bn.",
	},
	{
		URL: "/observatory/briefs/couts/", Kind: "Brief", Date: "2025-06-10",
		Title:   "Les coûts de l’énergie",
		Summary: "Coûts, énergie et puces.",
		Text:    "Les coûts de l’énergie pèsent sur les fonderies.",
	},
	{
		URL: "/observatory/about/", Kind: "Page",
		Title: "About",
		Text:  "About the observatory.",
	},
}

func TestBuildGolden(t *testing.T) {
	files := Build(goldenDocs)
	ar := &txtar.Archive{Comment: []byte("Build(goldenDocs) in build_test.go; go test -update rewrites this file.\n")}
	for _, name := range slices.Sorted(maps.Keys(files)) {
		if !json.Valid(files[name]) {
			t.Errorf("%s is not valid JSON: %s", name, files[name])
		}
		ar.Files = append(ar.Files, txtar.File{Name: name, Data: append(slices.Clone(files[name]), '\n')})
	}
	got := txtar.Format(ar)
	const golden = "testdata/build.txtar"
	if *update {
		if err := os.WriteFile(golden, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("Build differs from %s (go test -update rewrites it; read the diff):\n%s", golden, got)
	}

	// The same docs in another order give the same files.
	rev := slices.Clone(goldenDocs)
	slices.Reverse(rev)
	again := Build(rev)
	if !maps.EqualFunc(files, again, bytes.Equal) {
		t.Error("Build depends on the order of the docs")
	}
}

func TestBuildEmpty(t *testing.T) {
	files := Build(nil)
	if len(files) != 1 {
		t.Fatalf("Build(nil) gives %d files, want only meta.json", len(files))
	}
	var m meta
	if err := json.Unmarshal(files[Dir+"meta.json"], &m); err != nil {
		t.Fatal(err)
	}
	if m.Docs != 0 || len(m.Shards) != 0 || m.Format != format {
		t.Errorf("meta of no docs: %+v", m)
	}
}

// TestBuildShards checks the ranges on an index big enough for several
// shards: every term is in the shard whose range holds it, in order.
func TestBuildShards(t *testing.T) {
	var docs []Doc
	for i := range 300 {
		var b strings.Builder
		for j := range 200 {
			b.WriteString(" w")
			b.WriteString(strings.Repeat(string(rune('a'+(i*7+j)%26)), 1+j%5))
			b.WriteString(string(rune('a' + j%26)))
		}
		docs = append(docs, Doc{URL: "/p/" + string(rune('a'+i%26)) + "/" + strings.Repeat("x", i%7) + "/", Title: "Page", Text: b.String()})
	}
	files := Build(docs)
	var m meta
	if err := json.Unmarshal(files[Dir+"meta.json"], &m); err != nil {
		t.Fatal(err)
	}
	if len(m.Shards) < 2 {
		t.Fatalf("want several shards, got %d", len(m.Shards))
	}
	if !slices.IsSorted(m.Shards) {
		t.Errorf("shard starts not sorted: %q", m.Shards)
	}
	prev := ""
	for n, first := range m.Shards {
		data := files[Dir+m.Version+"/shard-"+itoa(n)+".json"]
		if len(data) > shardTarget+4096 {
			t.Errorf("shard %d is %d bytes", n, len(data))
		}
		var entries [][2]json.RawMessage
		if err := json.Unmarshal(data, &entries); err != nil {
			t.Fatalf("shard %d: %v", n, err)
		}
		for i, e := range entries {
			var term string
			json.Unmarshal(e[0], &term)
			if i == 0 && term != first {
				t.Errorf("shard %d starts with %q, meta says %q", n, term, first)
			}
			if term <= prev || n+1 < len(m.Shards) && term >= m.Shards[n+1] {
				t.Errorf("term %q out of place in shard %d", term, n)
			}
			prev = term
		}
	}
}

func itoa(n int) string { return string(mustJSON(n)) }

// TestWriteMatchesBuild wants Write to put exactly Build's files, once
// each, under the version Build names, and to make each text given by
// TextOf once, on docs enough for several shards.
func TestWriteMatchesBuild(t *testing.T) {
	var docs []Doc
	for i := range 300 {
		var b strings.Builder
		for j := range 200 {
			fmt.Fprintf(&b, " w%s%c", strings.Repeat(string(rune('a'+(i*7+j)%26)), 1+j%5), 'a'+j%26)
		}
		docs = append(docs, Doc{URL: fmt.Sprintf("/p/%d/", i), Kind: "Brief", Title: fmt.Sprintf("Page %d", i%40),
			Date: fmt.Sprintf("2025-01-%02d", 1+i%28), Summary: "About w" + b.String()[1:9], Text: b.String()})
	}
	docs = append(docs, goldenDocs...)
	want := Build(docs)

	lazy := slices.Clone(docs)
	var made sync.Map
	for i := range lazy {
		if i%2 == 0 {
			text := lazy[i].Text
			lazy[i].Text = ""
			lazy[i].TextOf = func() string {
				if _, again := made.LoadOrStore(i, true); again {
					t.Errorf("the text of doc %d was made twice", i)
				}
				return text
			}
		}
	}
	var mu sync.Mutex
	got := map[string][]byte{}
	version, meta := Write(lazy, func(name string, data []byte) {
		mu.Lock()
		defer mu.Unlock()
		name = Dir + Staging + name
		if _, ok := got[name]; ok {
			t.Errorf("%s put twice", name)
		}
		got[name] = data
	})
	renamed := map[string][]byte{Dir + "meta.json": meta}
	for name, data := range got {
		renamed[strings.Replace(name, Dir+Staging, Dir+version+"/", 1)] = data
	}
	if !maps.EqualFunc(renamed, want, bytes.Equal) {
		t.Errorf("Write's files differ from Build's: %d files against %d", len(renamed), len(want))
	}
	if len(want) < 300+2 {
		t.Errorf("only %d files: the docs should make several shards", len(want))
	}

	if v, meta := Write(nil, func(name string, data []byte) { t.Errorf("Write(nil) put %s", name) }); string(meta) != string(Build(nil)[Dir+"meta.json"]) || v == "" {
		t.Errorf("Write(nil) gives version %q and meta %s", v, meta)
	}
}
