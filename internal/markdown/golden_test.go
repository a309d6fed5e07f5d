package markdown

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite testdata/*.html from the current output")

// base is the Options of most tests: a site served from a subpath, so
// every golden file shows the root-relative rewriting.
var base = Options{BasePath: "/observatory/"}

// goldenCases lists every golden test: testdata/<in> rendered with opts
// must equal testdata/<name>.html.
var goldenCases = []struct {
	name, in string
	opts     Options
}{
	{"brief", "brief.md", base},
	{"embeds", "embeds.md", base},
	{"footnotes", "footnotes.md", base},
	{"gfm", "gfm.md", base},
	{"headings", "headings.md", base},
	{"html-omitted", "html.md", base},
	{"html-allowed", "html.md", Options{AllowHTML: true, BasePath: "/observatory/"}},
	{"links", "links.md", base},
	{"links-root", "links.md", Options{BasePath: "/"}},
	{"typographer", "typographer.md", base},
}

func TestGolden(t *testing.T) {
	for _, tc := range goldenCases {
		t.Run(tc.name, func(t *testing.T) {
			src, err := os.ReadFile(filepath.Join("testdata", tc.in))
			if err != nil {
				t.Fatal(err)
			}
			res, err := New(tc.opts).Render(src, 1)
			if err != nil {
				t.Fatal(err)
			}
			golden := filepath.Join("testdata", tc.name+".html")
			if *update {
				if err := os.WriteFile(golden, res.HTML, 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(res.HTML, want) {
				t.Errorf("%s differs from %s (rerun with -update, then read the diff):\n%s",
					tc.in, golden, lineDiff(string(want), string(res.HTML)))
			}
		})
	}
}

// TestGoldenCoverage keeps a new testdata/*.md from being forgotten.
func TestGoldenCoverage(t *testing.T) {
	inputs, _ := filepath.Glob("testdata/*.md")
	outputs, _ := filepath.Glob("testdata/*.html")
	used := map[string]bool{}
	for _, tc := range goldenCases {
		used[filepath.Join("testdata", tc.in)] = true
		used[filepath.Join("testdata", tc.name+".html")] = true
	}
	for _, f := range append(inputs, outputs...) {
		if !used[f] {
			t.Errorf("%s is in no golden case", f)
		}
	}
}

// lineDiff reports the first differing line of want and got.
func lineDiff(want, got string) string {
	w, g := strings.Split(want, "\n"), strings.Split(got, "\n")
	for i := 0; i < len(w) || i < len(g); i++ {
		var wl, gl string
		if i < len(w) {
			wl = w[i]
		}
		if i < len(g) {
			gl = g[i]
		}
		if wl != gl {
			return fmt.Sprintf("line %d:\nwant: %s\ngot:  %s", i+1, wl, gl)
		}
	}
	return "(no line differs)"
}
