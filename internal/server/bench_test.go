package server

import (
	"context"
	"fmt"
	"io/fs"
	"net"
	"os"
	"slices"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/folio-ssg/folio/internal/site"
)

// genSite writes a deterministic site of n briefs of about 1,200 words,
// each with headings, a list, a table, links and footnotes, on the
// repository's real templates and example datasets, into dir. It is
// internal/site's benchmark site (bench_test.go), on disk for a watcher.
func genSite(tb testing.TB, dir string, n int) {
	tb.Helper()
	repo := os.DirFS("../..")
	for _, d := range []string{"templates", "data"} {
		err := fs.WalkDir(repo, d, func(p string, e fs.DirEntry, err error) error {
			if err != nil || e.IsDir() {
				return err
			}
			data, err := fs.ReadFile(repo, p)
			writeFile(tb, dir, p, string(data))
			return err
		})
		if err != nil {
			tb.Fatal(err)
		}
	}
	writeFile(tb, dir, "folio.yaml", "title: Bench\ndescription: Generated.\nbase_url: https://example.org/bench/\nmenu:\n  - {title: Briefs, url: /briefs/}\n")
	for a := range 5 {
		writeFile(tb, dir, fmt.Sprintf("content/authors/author-%d.md", a), fmt.Sprintf("---\nname: Author %d\nrole: Analyst\n---\nWrites briefs.\n", a))
	}
	for i := range n {
		writeFile(tb, dir, fmt.Sprintf("content/briefs/brief-%d.md", i), genBrief(i, n, ""))
	}
}

// genBrief is brief i of n, with extra at the end of its body.
func genBrief(i, n int, extra string) string {
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
	b.WriteString(extra)
	for s := range 4 {
		fmt.Fprintf(&b, "[^%d]: Source %d, https://example.org/source/%d.\n", s+1, s, s)
	}
	return b.String()
}

// BenchmarkEditToServed measures what an author waits for on the
// 1,000-brief site: from writing a brief to its new page being served,
// through the real watcher, rebuild and event stream. Run it as
//
//	go test ./internal/server -run '^$' -bench EditToServed -benchtime 20x
//
// It reports the median and the worst edit, and the median rebuild.
func BenchmarkEditToServed(b *testing.B) {
	// body: a sentence added to a brief, which its page alone shows (and
	// the search index). front: the brief's title changed, which list,
	// tag and author pages, related briefs and the feeds show too.
	b.Run("body", func(b *testing.B) {
		benchmarkEdit(b, func(k, i int, marker string) string { return genBrief(k, 1000, marker+"\n\n") })
	})
	b.Run("front", func(b *testing.B) {
		benchmarkEdit(b, func(k, i int, marker string) string {
			return strings.Replace(genBrief(k, 1000, ""), "title: Generated brief", "title: "+marker+" Generated brief", 1)
		})
	})
}

func benchmarkEdit(b *testing.B, edit func(k, i int, marker string) string) {
	const n = 1000
	dir := b.TempDir()
	genSite(b, dir, n)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		b.Fatal(err)
	}
	addr := ln.Addr().String()
	var mu sync.Mutex
	var rebuilds []time.Duration
	s := New(Config{Dir: dir, Addr: addr, Options: site.Options{Today: today}, OnBuild: func(r Result) {
		mu.Lock()
		rebuilds = append(rebuilds, r.Duration)
		mu.Unlock()
	}})
	w, err := s.Watch()
	if err != nil {
		b.Fatal(err)
	}
	if res := s.Rebuild(); res.Failed {
		b.Fatal(res.Problems)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go s.Serve(ctx, ln)
	go w.Run(ctx)
	ev := events(b, addr)
	ev.timeout = 2 * time.Minute // a full rebuild on a loaded machine
	if name, _ := ev.next(); name != "build" {
		b.Fatal("no first build event")
	}

	mu.Lock()
	rebuilds = nil
	mu.Unlock()
	var lat []time.Duration
	cpu0 := cpuTime()
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		k := (i * 37) % n
		marker := fmt.Sprintf("Edit number %d.", i)
		start := time.Now()
		writeFile(b, dir, fmt.Sprintf("content/briefs/brief-%d.md", k), edit(k, i, marker))
		for {
			if name, _ := ev.next(); name == "build" {
				break
			}
		}
		_, page := get(b, addr, fmt.Sprintf("/bench/briefs/brief-%d/", k))
		lat = append(lat, time.Since(start))
		if !strings.Contains(string(page), marker) {
			b.Fatalf("edit %d not served", i)
		}
	}
	b.StopTimer()
	// CPU time is what a loaded machine cannot hide: the latencies above
	// grow with the load, the CPU an edit costs does not.
	b.ReportMetric(float64((cpuTime()-cpu0).Microseconds())/1000/float64(len(lat)), "cpu-ms/edit")
	slices.Sort(lat)
	b.ReportMetric(float64(lat[len(lat)/2].Microseconds())/1000, "ms-median")
	b.ReportMetric(float64(lat[len(lat)-1].Microseconds())/1000, "ms-worst")
	// How much of it is the full rebuild (site.Load and Render, and
	// hashing the output): the rest is debounce, watcher and serving.
	mu.Lock()
	defer mu.Unlock()
	slices.Sort(rebuilds)
	if len(rebuilds) > 0 {
		b.ReportMetric(float64(rebuilds[len(rebuilds)/2].Microseconds())/1000, "ms-rebuild-median")
	}
}

// cpuTime is the user and system CPU time the process has used.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
