package chart

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/folio-ssg/folio/internal/dataset"
	"github.com/folio-ssg/folio/internal/diag"
)

var update = flag.Bool("update", false, "rewrite the golden files")

func datasets(t testing.TB) map[string]*dataset.Dataset {
	t.Helper()
	out := map[string]*dataset.Dataset{}
	for _, name := range []string{"trade", "events"} {
		p := "testdata/" + name + ".yaml"
		data, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		var probs diag.List
		d := dataset.Parse("data/"+name+".yaml", data, &probs)
		if d == nil || len(probs) > 0 {
			t.Fatalf("%s: %v", p, probs)
		}
		out[name] = d
	}
	return out
}

// resolve parses and resolves a spec, failing on any problem.
func resolve(t testing.TB, spec string) *Chart {
	t.Helper()
	var probs diag.List
	s := Parse("content/briefs/t.md", Pos{Line: 3, Col: 1}, []byte(spec), 4, &probs)
	var c *Chart
	if s != nil {
		c = Resolve(s, datasets(t), &probs)
	}
	if c == nil || len(probs) > 0 {
		t.Fatalf("spec %q: %v", spec, probs)
	}
	return c
}

// goldenCases are a chart of each type: the spec, its golden options in
// testdata/golden/<name>.json, and its summary.
var goldenCases = []struct{ name, spec, summary string }{
	{"bar-wide", "type: bar\ndata: trade\nx: year\ny: [exports, imports]\nwhere: {country: China}\n",
		"Bar chart of Exports and Imports by Year: 2 rows from 2022 to 2023. Highest: $12bn (2023, Exports); lowest: $2.5bn (2023, Imports)."},
	{"bar-long-stacked", "type: bar\ndata: trade\nx: year\ny: exports\nseries: country\nstack: true\n",
		"Bar chart of Exports by Year, in 2 series (China, Japan): 4 rows from 2022 to 2023. Highest: $12bn (2023, China); lowest: $4.25bn (2022, Japan)."},
	{"line", "type: line\ndata: trade\nx: year\ny: imports\nseries: country\n",
		"Line chart of Imports by Year, in 2 series (China, Japan): 4 rows from 2022 to 2023. Highest: $3bn (2022, China); lowest: $1bn (2023, Japan)."},
	{"area", "type: area\ndata: trade\nx: year\ny: exports\nseries: country\nstack: true\n",
		"Area chart of Exports by Year, in 2 series (China, Japan): 4 rows from 2022 to 2023. Highest: $12bn (2023, China); lowest: $4.25bn (2022, Japan)."},
	{"pie", "type: pie\ndata: trade\nx: country\ny: exports\nwhere: {year: 2023}\n",
		"Pie chart of Exports by Country: 2 slices. Largest: China, $12bn (71%); smallest: Japan, $5bn (29%)."},
	{"scatter", "type: scatter\ndata: trade\nx: exports\ny: imports\nseries: country\n",
		"Scatter plot of Imports by Exports, in 2 series (China, Japan): 4 rows. Highest: $3bn ($10.5bn, China); lowest: $1bn ($5bn, Japan)."},
	{"timeline", "type: timeline\ndata: events\nx: date\ny: event\nseries: category\n",
		"Timeline of 3 events from 7 October 2022 to 13 May 2025, in 2 categories: Rule, Release. First: First rule. Last: Rule </script><script>alert(1)</script> withdrawn."},
	{"table", "type: table\ndata: trade\ncolumns: [country, year, exports]\nwhere: {year: 2022}\n",
		"Table of 2 rows from Chip trade (illustrative)."},
}

// TestOptionsGolden checks the ECharts options of every chart type
// against testdata/golden/<name>.json; -update rewrites them.
func TestOptionsGolden(t *testing.T) {
	for _, tc := range goldenCases {
		t.Run(tc.name, func(t *testing.T) {
			c := resolve(t, tc.spec)
			if got := c.Summary(); got != tc.summary {
				t.Errorf("summary:\n got %q\nwant %q", got, tc.summary)
			}
			opts, err := c.Options(c.Summary())
			if err != nil {
				t.Fatal(err)
			}
			if c.Type == "table" {
				if opts != nil {
					t.Fatalf("a table has options: %s", opts)
				}
				return
			}
			var pretty bytes.Buffer
			if err := json.Indent(&pretty, opts, "", "  "); err != nil {
				t.Fatal(err)
			}
			pretty.WriteByte('\n')
			golden := filepath.Join("testdata/golden", tc.name+".json")
			if *update {
				if err := os.WriteFile(golden, pretty.Bytes(), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(pretty.Bytes(), want) {
				t.Errorf("options differ from %s (rerun with -update, then read the diff):\n%s", golden, pretty.Bytes())
			}
		})
	}
}

// TestOptionsAreInert checks that text from a dataset reaches the options
// only as JSON string data: no raw <, >, &, U+2028, and no function
// markers that go-echarts would turn into code.
func TestOptionsAreInert(t *testing.T) {
	c := resolve(t, "type: timeline\ndata: events\nx: date\ny: event\nseries: category\nsummary: \"__f__alert(1)__f__ \\u2028 <!--<script>\"\n")
	opts, err := c.Options(c.Summary())
	if err != nil {
		t.Fatal(err)
	}
	for _, bad := range []string{"<", ">", "&", "\u2028", "function"} {
		if strings.Contains(string(opts), bad) {
			t.Errorf("options contain %q: %s", bad, opts)
		}
	}
	var v any
	if err := json.Unmarshal(opts, &v); err != nil {
		t.Fatalf("options are not JSON: %v", err)
	}
	if !strings.Contains(string(opts), `Rule \u003c/script\u003e\u003cscript\u003ealert(1)\u003c/script\u003e withdrawn`) {
		t.Errorf("event text not kept as escaped data: %s", opts)
	}
}

// FuzzSpec checks that any chart block gives a chart or problems, never
// a panic, with every problem inside the block.
func FuzzSpec(f *testing.F) {
	for _, tc := range goldenCases {
		f.Add(tc.spec)
	}
	f.Add("type: bar\ndata: trade\nx: year\ny: exports\n")
	f.Add("type: timeline\ndata: events\nx: date\ny: event\nseries: category\nwhere: {category: Rule}\n")
	f.Add("type: pie\ndata: trade\nx: country\ny: [exports, imports]\nheight: 99999999999999999999\n")
	f.Add("type: table\ndata: trade\ncolumns: [x, *a]\n")
	ds := datasets(f)
	f.Fuzz(func(t *testing.T, spec string) {
		var probs diag.List
		s := Parse("c.md", Pos{Line: 3, Col: 1}, []byte(spec), 4, &probs)
		if s != nil {
			if c := Resolve(s, ds, &probs); c != nil {
				_ = c.Summary()
				if _, err := c.Options(c.Summary()); err != nil {
					t.Fatal(err)
				}
			}
		}
		// Markdown files reach here with line ends made LF (content.Split).
		if strings.Contains(spec, "\r") {
			t.Skip()
		}
		last := 4 + strings.Count(spec, "\n") + 1
		for _, p := range probs {
			if p.Line < 3 || p.Line > last {
				t.Errorf("problem outside the block (lines 3-%d): %v", last, p)
			}
		}
	})
}

// BenchmarkChart parses, resolves and builds the options of one chart:
// what one ```chart block costs a build.
func BenchmarkChart(b *testing.B) {
	ds := datasets(b)
	spec := []byte("type: bar\ndata: trade\nx: year\ny: exports\nseries: country\nstack: true\n")
	b.ReportAllocs()
	for b.Loop() {
		var probs diag.List
		c := Resolve(Parse("c.md", Pos{Line: 3, Col: 1}, spec, 4, &probs), ds, &probs)
		if _, err := c.Options(c.Summary()); err != nil {
			b.Fatal(err)
		}
	}
}
