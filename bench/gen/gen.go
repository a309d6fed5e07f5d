// Package gen writes the benchmark's generated sites: n briefs of about
// 1,200 words each, with h2 and h3 headings, lists, a table, links,
// footnotes, typographic quotes and dashes, and YAML front matter with
// authors and tags. The same briefs are written as a folio site and as a
// Hugo site, so the two programs, and the floor, read the same Markdown.
//
// Everything is a function of its arguments: the same n gives the same
// bytes, so runs on different days and machines build the same site.
//
// With Charts, the folio site also has 50 illustrative datasets and each
// brief gets one ```chart block and one {{< value >}} sentence; the Hugo
// site, which knows neither, gets the briefs without them. Without
// Charts, a brief's file is byte-identical in both sites.
package gen

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// Datasets is how many generated datasets the chart variant has.
const Datasets = 50

// vocabulary is the prose's words; a small xorshift generator picks them,
// so paragraphs vary from brief to brief but never from run to run.
var vocabulary = strings.Fields(`export controls semiconductor supply chain capacity advanced
computing model training inference policy allies memory bandwidth thresholds licensing
enforcement market revenue design fabrication lithography equipment foundry packaging
datacenter accelerator performance density compliance diversion smuggling cloud access
procurement subsidy tariff investment research talent standards interconnect throughput
yield node wafer inventory forecast demand pricing margin customer regulation review
guidance rule entity list exemption license partner coordination risk evidence estimate`)

type rng uint64

func (r *rng) next() uint64 {
	x := uint64(*r)
	x ^= x << 13
	x ^= x >> 7
	x ^= x << 17
	*r = rng(x)
	return x
}

func (r *rng) word() string { return vocabulary[r.next()%uint64(len(vocabulary))] }

// para is a paragraph of about words words in sentences of 20, with
// emphasis, a quotation, an apostrophe and a dash for the typographer,
// ending in extra.
func para(r *rng, words int, extra string) string {
	var b strings.Builder
	for i := range words {
		w := r.word()
		switch i % 20 {
		case 0:
			if i > 0 {
				b.WriteString(". ")
			}
			w = strings.ToUpper(w[:1]) + w[1:]
		case 4:
			w = "*" + w + "*"
		case 9:
			w = "**" + w + "**"
		case 13:
			w = `"` + w + " " + r.word() + `"`
		case 16:
			w += "'s"
		case 17:
			w = "-- " + w
		}
		if i%20 != 0 {
			b.WriteByte(' ')
		}
		b.WriteString(w)
	}
	b.WriteString(extra)
	b.WriteString(".")
	return b.String()
}

// Brief returns the source of brief i of n: front matter and body. With
// charts, the body also holds a {{< value >}} sentence and a ```chart
// block over dataset gen_<i%50>; without, it holds neither and is what
// Hugo and the floor read.
func Brief(i, n int, charts bool) []byte {
	r := rng(uint64(i)*0x9E3779B97F4A7C15 + 1)
	var b strings.Builder
	fmt.Fprintf(&b, "---\ntitle: Generated brief %d\nsummary: A generated brief on %s and %s, for benchmarks.\n", i, r.word(), r.word())
	fmt.Fprintf(&b, "date: %d-%02d-%02d\n", 2020+i%6, i%12+1, i%28+1)
	fmt.Fprintf(&b, "authors: [author-%d, author-%d]\n", i%5, (i+1)%5)
	fmt.Fprintf(&b, "tags: [topic %d, theme %d, shared]\n---\n", i%20, i%7)
	fmt.Fprintf(&b, "%s\n\n", para(&r, 45, ""))
	for s := range 4 {
		w := r.word()
		fmt.Fprintf(&b, "## %s %s: section %d\n\n", strings.ToUpper(w[:1])+w[1:], r.word(), s+1)
		fmt.Fprintf(&b, "%s\n\n", para(&r, 60, fmt.Sprintf("[^%d]", s+1)))
		fmt.Fprintf(&b, "%s\n\n", para(&r, 55, fmt.Sprintf(", as [brief %d](/briefs/brief-%d/) argued", (i+s+1)%n, (i+s+1)%n)))
		fmt.Fprintf(&b, "- %s\n- See [all briefs](/briefs/) and [the shared topic](/tags/shared/).\n- %s\n\n",
			para(&r, 8, ""), para(&r, 7, fmt.Sprintf(", https://example.org/report/%d", i*4+s)))
		fmt.Fprintf(&b, "%s\n\n", para(&r, 50, ""))
		switch s {
		case 1:
			fmt.Fprintf(&b, "### Figures for section %d\n\n| Year | Region | Value | Change |\n|---|:---|---:|:---:|\n", s+1)
			for y := range 5 {
				fmt.Fprintf(&b, "| %d | %s | %d.%d | %+d%% |\n", 2020+y, r.word(), 10+int(r.next()%90), y, int(r.next()%21)-10)
			}
			b.WriteString("\n")
		case 2:
			fmt.Fprintf(&b, "### Steps for section %d\n\n1. %s\n2. %s\n3. %s\n\n", s+1, para(&r, 9, ""), para(&r, 6, ", not ~~"+r.word()+"~~"), para(&r, 8, ""))
			if charts {
				d := i % Datasets
				fmt.Fprintf(&b, "Exports reached {{< value data=\"gen_%d\" col=\"exports\" where=\"year=2020,region=North\" >}} in 2020.\n\n", d)
				fmt.Fprintf(&b, "```chart\ntype: %s\ndata: gen_%d\nx: year\ny: exports\nseries: region\ncaption: Generated exports by region.\n```\n\n",
					[]string{"bar", "line", "area"}[i%3], d)
			}
		}
		fmt.Fprintf(&b, "%s\n\n", para(&r, 50, ""))
	}
	for s := range 4 {
		fmt.Fprintf(&b, "[^%d]: Source %d for brief %d, \"%s %s\", https://example.org/source/%d.\n", s+1, s+1, i, r.word(), r.word(), i*4+s)
	}
	return []byte(b.String())
}

// Dataset returns generated dataset d: 12 years by 3 regions.
func Dataset(d int) []byte {
	var b strings.Builder
	fmt.Fprintf(&b, "title: Generated dataset %d\nsource: {name: Generator, url: \"https://example.org/\"}\nillustrative: true\n", d)
	b.WriteString("key: [year, region]\ncolumns:\n  - {name: year, type: integer, label: Year}\n  - {name: region, type: string, label: Region}\n")
	b.WriteString("  - {name: exports, type: number, label: Exports, prefix: \"$\", suffix: bn}\nrows:\n")
	for y := range 12 {
		for r, region := range []string{"North", "South", "East"} {
			fmt.Fprintf(&b, "  - {year: %d, region: %s, exports: %d.%d}\n", 2010+y, region, (d*7+y*3+r*11)%97+1, y%10)
		}
	}
	return []byte(b.String())
}

// Folio is a folio site's files other than templates, by slash path.
func Folio(n int, charts bool) map[string][]byte {
	files := map[string][]byte{
		"folio.yaml": []byte("title: Bench\ndescription: A generated site for benchmarks.\nbase_url: https://example.org/\n" +
			"menu:\n  - {title: Briefs, url: /briefs/}\n  - {title: Topics, url: /tags/}\n"),
	}
	for a := range 5 {
		files[fmt.Sprintf("content/authors/author-%d.md", a)] = fmt.Appendf(nil, "---\nname: Author %d\nrole: Analyst\n---\nWrites briefs.\n", a)
	}
	if charts {
		for d := range Datasets {
			files[fmt.Sprintf("data/gen_%d.yaml", d)] = Dataset(d)
		}
	}
	for i := range n {
		files[BriefPath(i)] = Brief(i, n, charts)
	}
	return files
}

// Hugo is a Hugo site's files other than its theme, by slash path. The
// theme is named bench and lives in themes/bench (see CopyTree).
func Hugo(n int) map[string][]byte {
	files := map[string][]byte{
		"hugo.toml":                []byte(hugoConfig),
		"content/_index.md":        []byte("---\ntitle: Bench\n---\nA generated site for benchmarks.\n"),
		"content/briefs/_index.md": []byte("---\ntitle: Briefs\n---\n"),
	}
	for i := range n {
		files[BriefPath(i)] = Brief(i, n, false)
	}
	return files
}

// hugoConfig makes Hugo render Markdown as folio does (goldmark with
// GFM, footnotes and the typographer, raw HTML omitted), with a table of
// contents of h2 and h3, tags as the only taxonomy, and only the pages of
// the minimal theme: no feeds, sitemap or robots.txt.
const hugoConfig = `baseURL = "https://example.org/"
languageCode = "en"
title = "Bench"
theme = "bench"
disableKinds = ["RSS", "sitemap", "robotsTXT"]

[taxonomies]
  tag = "tags"

[markup.goldmark.extensions]
  definitionList = false
  footnote = true
  linkify = true
  strikethrough = true
  table = true
  taskList = true
  typographer = true

[markup.goldmark.renderer]
  unsafe = false

[markup.tableOfContents]
  startLevel = 2
  endLevel = 3
  ordered = false
`

// BriefPath is brief i's path in either site.
func BriefPath(i int) string { return fmt.Sprintf("content/briefs/brief-%d.md", i) }

// Write writes files under dir.
func Write(dir string, files map[string][]byte) error {
	for p, data := range files {
		full := filepath.Join(dir, filepath.FromSlash(p))
		if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
			return err
		}
		if err := os.WriteFile(full, data, 0o644); err != nil {
			return err
		}
	}
	return nil
}

// CopyTree copies the files of folder from into folder to.
func CopyTree(to, from string) error {
	return filepath.WalkDir(from, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, err := filepath.Rel(from, p)
		if err != nil {
			return err
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		full := filepath.Join(to, rel)
		if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
			return err
		}
		return os.WriteFile(full, data, 0o644)
	})
}
