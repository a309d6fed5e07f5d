package markdown

import (
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"sync"
	"testing"
)

// doc is a body that starts on line 8 of its file, after front matter.
const doc = `Intro with [a brief](/briefs/x/) and a note.[^a]

## Background

## Background

### The "real" *cost* of [chips](/data/chips/#2024)

| Col | Link |
|-----|------|
| x   | ![Figure](fig.png) |

> - [ref link][r], https://example.org/p and me@example.org
#### Not listed

Again.[^a] [^b]

[r]: #background-2
[^a]: Note with [a link](https://example.org/a "t").
[^b]: Another.
`

const firstLine = 8

func TestResult(t *testing.T) {
	res, err := New(base).Render([]byte(doc), firstLine)
	if err != nil {
		t.Fatal(err)
	}
	wantHeadings := []Heading{
		{2, "background", "Background"},
		{2, "background-2", "Background"},
		{3, "the-real-cost-of-chips", "The “real” cost of chips"},
	}
	if !reflect.DeepEqual(res.Headings, wantHeadings) {
		t.Errorf("Headings:\n got %+v\nwant %+v", res.Headings, wantHeadings)
	}
	wantIDs := []string{
		"fnref:1", "background", "background-2", "the-real-cost-of-chips",
		"not-listed", "fnref1:1", "fnref:2", "fn:1", "fn:2",
	}
	if !reflect.DeepEqual(res.IDs, wantIDs) {
		t.Errorf("IDs:\n got %q\nwant %q", res.IDs, wantIDs)
	}
	wantLinks := []Link{
		{"/briefs/x/", 8, 12},
		{"/data/chips/#2024", 14, 26},
		{"fig.png", 18, 9},
		{"#background-2", 20, 5},
		{"https://example.org/p", 20, 20},
		{"mailto:me@example.org", 20, 46},
		{"https://example.org/a", 26, 17},
	}
	if !reflect.DeepEqual(res.Links, wantLinks) {
		t.Errorf("Links:\n got %v\nwant %v", res.Links, wantLinks)
	}
	// Every position points at the link in the file.
	lines := strings.Split(strings.Repeat("front matter\n", firstLine-1)+doc, "\n")
	for _, l := range res.Links {
		rest := lines[l.Line-1][l.Col-1:]
		if !strings.HasPrefix(rest, "[") && !strings.HasPrefix(rest, "![") &&
			!strings.HasPrefix(rest, strings.TrimPrefix(l.Dest, "mailto:")) {
			t.Errorf("link %q at %d:%d points at %q", l.Dest, l.Line, l.Col, rest)
		}
	}
	for _, id := range res.IDs {
		if !strings.Contains(string(res.HTML), ` id="`+id+`"`) {
			t.Errorf("id %q is not in the HTML", id)
		}
	}
}

// TestIDsComplete checks Result.IDs against the id attributes of every
// golden output, so a new kind of id cannot go unreported.
func TestIDsComplete(t *testing.T) {
	for _, tc := range goldenCases {
		src, err := os.ReadFile(filepath.Join("testdata", tc.in))
		if err != nil {
			t.Fatal(err)
		}
		res, err := New(tc.opts).Render(src, 1)
		if err != nil {
			t.Fatal(err)
		}
		var inHTML []string
		for _, part := range strings.Split(string(res.HTML), ` id="`)[1:] {
			inHTML = append(inHTML, part[:strings.IndexByte(part, '"')])
		}
		if len(inHTML) == 0 && len(res.IDs) == 0 {
			continue
		}
		if !reflect.DeepEqual(sorted(inHTML), sorted(res.IDs)) {
			t.Errorf("%s: HTML defines ids %q, Result.IDs has %q", tc.name, inHTML, res.IDs)
		}
		seen := map[string]bool{}
		for _, id := range res.IDs {
			if seen[id] {
				t.Errorf("%s: id %q defined twice", tc.name, id)
			}
			seen[id] = true
		}
	}
}

// A note cited only from a note that is never cited is dropped by
// goldmark, but the note it cites stays; its back-link must go.
func TestNoDanglingBacklinks(t *testing.T) {
	src := "Text.[^c]\n\n[^a]: Uncited, citing [^b].\n[^b]: Cited only by a.\n[^c]: Cited.\n"
	res, err := New(base).Render([]byte(src), 1)
	if err != nil {
		t.Fatal(err)
	}
	ids := map[string]bool{}
	for _, id := range res.IDs {
		ids[id] = true
	}
	targets := noteTargets(res.HTML)
	// The citation of c and c's back-link; b, cited from nowhere that
	// is shown, keeps no back-link.
	if want := []string{"fn:1", "fnref:1"}; !reflect.DeepEqual(targets, want) {
		t.Errorf("got endnote links %q, want %q", targets, want)
	}
	for _, target := range targets {
		if !ids[target] {
			t.Errorf("endnote link to #%s, which is not defined:\n%s", target, res.HTML)
		}
	}
}

func sorted(s []string) []string {
	s = slices.Clone(s)
	slices.Sort(s)
	return s
}

func TestBasePath(t *testing.T) {
	tests := []struct {
		base, src, want string
	}{
		{"", "[x](/a/)", `<a href="/a/">`},
		{"/", "[x](/a/)", `<a href="/a/">`},
		{"/observatory/", "[x](/a/#b)", `<a href="/observatory/a/#b">`},
		{"observatory", "[x](/a/)", `<a href="/observatory/a/">`},
		{"/observatory/", "[x](/)", `<a href="/observatory/">`},
		{"/observatory/", "[x](//cdn.example.org/)", `<a href="//cdn.example.org/">`},
		{"/observatory/", "[x](#a)", `<a href="#a">`},
		{"/observatory/", "[x](a/b/)", `<a href="a/b/">`},
		{"/observatory/", "[x](https://example.org/a/)", `<a href="https://example.org/a/">`},
		{"/observatory/", "![x](/i.png)", `<img src="/observatory/i.png"`},
	}
	for _, tt := range tests {
		res, err := New(Options{BasePath: tt.base}).Render([]byte(tt.src), 1)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(string(res.HTML), tt.want) {
			t.Errorf("base %q: %s renders %s, want it to contain %s", tt.base, tt.src, res.HTML, tt.want)
		}
		if len(res.Links) != 1 || !strings.Contains(tt.src, "("+res.Links[0].Dest+")") {
			t.Errorf("base %q: %s: Links = %v, want the destination as written", tt.base, tt.src, res.Links)
		}
	}
}

// TestConcurrent renders many documents at once with one Renderer and
// compares them to one-at-a-time results. Run with -race.
func TestConcurrent(t *testing.T) {
	var docs [][]byte
	files, _ := filepath.Glob("testdata/*.md")
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		docs = append(docs, b)
	}
	docs = append(docs, []byte(doc))
	for i := range 20 {
		docs = append(docs, fmt.Appendf(nil, "## Part %d\n\n## Part %d\n\nText[^n] [x](/p/%d/).\n\n[^n]: N.\n", i, i, i))
	}
	r := New(Options{BasePath: "/sub/"})
	want := make([]Result, len(docs))
	for i, d := range docs {
		res, err := r.Render(d, i+1)
		if err != nil {
			t.Fatal(err)
		}
		want[i] = res
	}
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for k := range 4 * len(docs) {
				i := (k + g) % len(docs)
				got, err := r.Render(docs[i], i+1)
				if err != nil {
					t.Error(err)
					return
				}
				if !reflect.DeepEqual(got, want[i]) {
					t.Errorf("document %d rendered concurrently differs from sequential render", i)
					return
				}
			}
		}()
	}
	wg.Wait()
}
