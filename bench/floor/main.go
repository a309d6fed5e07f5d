// Command floor is the benchmark's lower bound for building a site: it
// reads every brief in a folder, strips its front matter, converts the
// body with goldmark configured as internal/markdown configures it, on
// all cores, and writes one HTML file per brief. No templates, no
// checks, no other pages: whatever folio does beyond this is overhead to
// account for.
//
//	floor -src DIR/content/briefs -out OUT
//
// writes OUT/briefs/<slug>/index.html for each DIR/content/briefs/<slug>.md
// (files starting with "_" or "." are skipped).
package main

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"

	"github.com/folio-ssg/folio/internal/markdown"
	"github.com/yuin/goldmark"
)

func main() {
	src := flag.String("src", "", "`folder` of Markdown briefs")
	out := flag.String("out", "", "output `folder`")
	flag.Parse()
	if *src == "" || *out == "" || flag.NArg() > 0 {
		fmt.Fprintln(os.Stderr, "usage: floor -src DIR -out DIR")
		os.Exit(2)
	}
	n, err := convert(*src, *out)
	if err != nil {
		fmt.Fprintln(os.Stderr, "floor:", err)
		os.Exit(1)
	}
	fmt.Printf("Converted %d briefs\n", n)
}

// newMarkdown is internal/markdown's goldmark configuration without
// folio's own extension (chart fences and shortcodes, which the floor's
// Markdown does not have) and without its pass over the tree (heading
// ids, links, table-cell classes).
func newMarkdown() goldmark.Markdown {
	return goldmark.New(goldmark.WithExtensions(markdown.Extensions()...))
}

// convert converts every brief in src into out on all cores and returns
// how many it converted.
func convert(src, out string) (int, error) {
	entries, err := os.ReadDir(src)
	if err != nil {
		return 0, err
	}
	var names []string
	for _, e := range entries {
		name := e.Name()
		if !e.IsDir() && strings.HasSuffix(name, ".md") && !strings.HasPrefix(name, "_") && !strings.HasPrefix(name, ".") {
			names = append(names, name)
		}
	}
	md := newMarkdown() // safe for concurrent use
	jobs := make(chan string)
	errs := make(chan error, len(names))
	var wg sync.WaitGroup
	for range runtime.GOMAXPROCS(0) {
		wg.Go(func() {
			var buf bytes.Buffer
			for name := range jobs {
				errs <- convertOne(md, &buf, filepath.Join(src, name), filepath.Join(out, "briefs", strings.TrimSuffix(name, ".md"), "index.html"))
			}
		})
	}
	for _, name := range names {
		jobs <- name
	}
	close(jobs)
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			return 0, err
		}
	}
	return len(names), nil
}

func convertOne(md goldmark.Markdown, buf *bytes.Buffer, from, to string) error {
	data, err := os.ReadFile(from)
	if err != nil {
		return err
	}
	buf.Reset()
	if err := md.Convert(body(data), buf); err != nil {
		return fmt.Errorf("%s: %w", from, err)
	}
	if err := os.MkdirAll(filepath.Dir(to), 0o755); err != nil {
		return err
	}
	return os.WriteFile(to, buf.Bytes(), 0o644)
}

// body is data without its front matter, the lines from a first line
// "---" to the next line "---".
func body(data []byte) []byte {
	rest, ok := bytes.CutPrefix(data, []byte("---\n"))
	if !ok {
		return data
	}
	if bytes.HasPrefix(rest, []byte("---\n")) {
		return rest[4:]
	}
	if _, after, ok := bytes.Cut(rest, []byte("\n---\n")); ok {
		return after
	}
	return data
}
