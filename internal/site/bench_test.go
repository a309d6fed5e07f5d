package site

import (
	"bytes"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"
)

// genSite makes a deterministic site of n briefs of about 1,200 words,
// each with headings, a list, a table, links and footnotes, on the
// repository's real templates and example datasets.
func genSite(tb testing.TB, n int) fstest.MapFS { return genSiteCharts(tb, n, false) }

// genSiteCharts is genSite, optionally with one chart per brief over 50
// generated datasets (illustrative numbers) and a quoted value.
func genSiteCharts(tb testing.TB, n int, withCharts bool) fstest.MapFS {
	tb.Helper()
	fsys := fstest.MapFS{}
	repo := os.DirFS("../..")
	for _, dir := range []string{"templates", "data"} {
		err := fs.WalkDir(repo, dir, func(p string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return err
			}
			data, err := fs.ReadFile(repo, p)
			fsys[p] = &fstest.MapFile{Data: data}
			return err
		})
		if err != nil {
			tb.Fatal(err)
		}
	}
	fsys["folio.yaml"] = &fstest.MapFile{Data: []byte("title: Bench\ndescription: Generated.\nbase_url: https://example.org/bench/\nmenu:\n  - {title: Briefs, url: /briefs/}\n")}
	for a := range 5 {
		fsys[fmt.Sprintf("content/authors/author-%d.md", a)] = &fstest.MapFile{
			Data: fmt.Appendf(nil, "---\nname: Author %d\nrole: Analyst\n---\nWrites briefs.\n", a)}
	}
	words := strings.Fields("export controls semiconductor supply chain capacity advanced computing model training " +
		"inference policy allies memory bandwidth thresholds licensing enforcement market revenue design fabrication")
	para := func(seed int) string {
		var b strings.Builder
		for i := range 60 {
			if i > 0 {
				b.WriteByte(' ')
			}
			w := words[(seed*7+i*13)%len(words)]
			switch i % 17 {
			case 5:
				w = "*" + w + "*"
			case 11:
				w = "**" + w + "**"
			}
			b.WriteString(w)
		}
		b.WriteString(".")
		return b.String()
	}
	if withCharts {
		for d := range 50 {
			var b strings.Builder
			fmt.Fprintf(&b, "title: Generated dataset %d\nsource: {name: Generator, url: \"https://example.org/\"}\nillustrative: true\n", d)
			b.WriteString("key: [year, region]\ncolumns:\n  - {name: year, type: integer}\n  - {name: region, type: string}\n")
			b.WriteString("  - {name: exports, type: number, prefix: \"$\", suffix: bn}\nrows:\n")
			for y := range 12 {
				for r, region := range []string{"North", "South", "East"} {
					fmt.Fprintf(&b, "  - {year: %d, region: %s, exports: %d.%d}\n", 2010+y, region, (d*7+y*3+r*11)%97, y%10)
				}
			}
			fsys[fmt.Sprintf("data/gen_%d.yaml", d)] = &fstest.MapFile{Data: []byte(b.String())}
		}
	}
	for i := range n {
		var b strings.Builder
		fmt.Fprintf(&b, "---\ntitle: Generated brief %d\nsummary: A generated brief for benchmarks.\ndate: 2025-%02d-%02d\n", i, i%12+1, i%28+1)
		fmt.Fprintf(&b, "authors: [author-%d, author-%d]\ntags: [topic %d, topic %d, shared]\n---\n", i%5, (i+1)%5, i%20, i%7)
		for s := range 4 {
			fmt.Fprintf(&b, "## Section %d of brief %d\n\n%s\n\n%s[^%d]\n\n", s, i, para(i+s), para(i+s+1), s+1)
			fmt.Fprintf(&b, "- %s\n- See [the data](/data/ai_chip_sales/) and [another brief](/briefs/brief-%d/).\n- %s\n\n", para(s)[:80], (i+1)%n, para(s + 2)[:60])
			if s == 1 {
				b.WriteString("### Figures\n\n| Year | Value |\n|---|---:|\n| 2022 | 42 |\n| 2023 | 47.5 |\n\n")
			}
		}
		if withCharts {
			fmt.Fprintf(&b, "Exports reached {{< value data=\"gen_%d\" col=\"exports\" where=\"year=2020,region=North\" >}}.\n\n", i%50)
			fmt.Fprintf(&b, "```chart\ntype: %s\ndata: gen_%d\nx: year\ny: exports\nseries: region\ncaption: Generated.\n```\n\n",
				[]string{"bar", "line", "area"}[i%3], i%50)
		}
		for s := range 4 {
			fmt.Fprintf(&b, "[^%d]: Source %d, https://example.org/source/%d.\n", s+1, s, s)
		}
		fsys[fmt.Sprintf("content/briefs/brief-%d.md", i)] = &fstest.MapFile{Data: []byte(b.String())}
	}
	return fsys
}

// BenchmarkBuild is folio build of a generated site of 1,000 briefs:
// it loads, checks, renders and publishes it, from and to disk.
func BenchmarkBuild(b *testing.B) { benchmarkBuild(b, genSite(b, 1000)) }

// BenchmarkBuildCharts is BenchmarkBuild with one chart per brief.
func BenchmarkBuildCharts(b *testing.B) { benchmarkBuild(b, genSiteCharts(b, 1000, true)) }

func benchmarkBuild(b *testing.B, fsys fstest.MapFS) {
	src := b.TempDir()
	files := map[string]string{}
	for p, f := range fsys {
		files[p] = string(f.Data)
	}
	writeFiles(b, src, files)
	out := filepath.Join(b.TempDir(), "site")
	b.ResetTimer()
	for b.Loop() {
		if _, probs, err := Build(src, out, Options{Today: today}); err != nil || probs.Errors() > 0 {
			b.Fatal(err, probs.Sort())
		}
	}
}

// TestGeneratedSite keeps the benchmark's site valid, so the benchmark
// measures a successful build.
func TestGeneratedSite(t *testing.T) {
	s, probs := Load(genSiteCharts(t, 20, true), Options{Today: today})
	if s == nil || len(probs) > 0 {
		t.Fatal(probs.Sort())
	}
	if _, _, probs := s.Render(); len(probs) > 0 {
		t.Fatal(probs.Sort())
	}
}

// TestWriteGenSite writes the benchmark's site to $FOLIO_GENSITE, so the
// command itself can be timed on it:
//
//	FOLIO_GENSITE=/tmp/gen go test ./internal/site -run WriteGenSite
//	/usr/bin/time -v go run ./cmd/folio build -src /tmp/gen
func TestWriteGenSite(t *testing.T) {
	dir := os.Getenv("FOLIO_GENSITE")
	if dir == "" {
		t.Skip("set FOLIO_GENSITE to a folder to write the generated site there")
	}
	files := map[string]string{}
	for p, f := range genSite(t, 1000) {
		files[p] = string(f.Data)
	}
	writeFiles(t, dir, files)
}

// BenchmarkRebuildBodyEdit is what folio serve does after an author saves
// a brief on the 1,000-brief site: Load and Render with the Cache of the
// builds before, with one brief's body changed each time.
func BenchmarkRebuildBodyEdit(b *testing.B) {
	benchmarkRebuild(b, func(i int, data []byte) []byte {
		return fmt.Appendf(data, "\nEdit %d.\n", i)
	})
}

// BenchmarkRebuildFrontEdit is BenchmarkRebuildBodyEdit with the brief's
// title changed instead, which list pages show too.
func BenchmarkRebuildFrontEdit(b *testing.B) {
	benchmarkRebuild(b, func(i int, data []byte) []byte {
		return bytes.Replace(data, []byte("title: "), fmt.Appendf(nil, "title: Edit %d of ", i), 1)
	})
}

// BenchmarkRebuild5k is both edits on the 5,000-brief site, where folio
// serve should show a save within 200 ms.
func BenchmarkRebuild5k(b *testing.B) {
	b.Run("body", func(b *testing.B) {
		benchmarkRebuildN(b, 5000, func(i int, data []byte) []byte { return fmt.Appendf(data, "\nEdit %d.\n", i) })
	})
	b.Run("front", func(b *testing.B) {
		benchmarkRebuildN(b, 5000, func(i int, data []byte) []byte {
			return bytes.Replace(data, []byte("title: "), fmt.Appendf(nil, "title: Edit %d of ", i), 1)
		})
	})
}

func benchmarkRebuild(b *testing.B, edit func(i int, data []byte) []byte) {
	benchmarkRebuildN(b, 1000, edit)
}

func benchmarkRebuildN(b *testing.B, n int, edit func(i int, data []byte) []byte) {
	fsys := genSite(b, n)
	cache := NewCache()
	build := func() {
		s, probs := Load(keptBytesFS{fsys}, Options{Today: today, Cache: cache})
		if s == nil || probs.Errors() > 0 {
			b.Fatal(probs.Sort())
		}
		if o, _, probs := s.Render(); o == nil {
			b.Fatal(probs.Sort())
		}
	}
	build()
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		p := fmt.Sprintf("content/briefs/brief-%d.md", (i*37)%n)
		fsys[p] = &fstest.MapFile{Data: edit(i, bytes.Clone(fsys[p].Data))}
		build()
	}
}

// keptBytesFS reads a file's bytes as they are stored, as folio serve's
// snapshot of the sources hands out an unchanged file's bytes from the
// last read; fstest.MapFS copies them on every read, which would time a
// rebuild reading and hashing every source again.
type keptBytesFS struct{ fstest.MapFS }

func (f keptBytesFS) ReadFile(name string) ([]byte, error) {
	if m, ok := f.MapFS[name]; ok && m.Mode.IsRegular() {
		return m.Data, nil
	}
	return f.MapFS.ReadFile(name)
}
