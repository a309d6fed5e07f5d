package markdown

import (
	"reflect"
	"strings"
	"testing"
)

func TestEmbeds(t *testing.T) {
	src := "Intro with {{< value data=\"sales\" col=\"sales\" where=\"year=2022\" >}} and `{{< not a shortcode >}}`.\n\n" +
		"```chart\ntype: bar\ndata: sales\n```\n\n" +
		"See {{< ref \"sales-1\" >}}, {{< value data=\"x\" >}} and {{< broken\n\n" +
		"```go\nx := 1 // {{< value >}}\n```\n"
	res, err := New(Options{}).Render([]byte(src), 10)
	if err != nil {
		t.Fatal(err)
	}
	wantCharts := []Fence{{Body: []byte("type: bar\ndata: sales\n"), Line: 12, Col: 1, BodyLine: 13}}
	if !reflect.DeepEqual(res.Charts, wantCharts) {
		t.Errorf("charts = %+v\nwant %+v", res.Charts, wantCharts)
	}
	wantSC := []Shortcode{
		{Name: "value", Line: 10, Col: 12, Args: []Arg{
			{Key: "data", Value: "sales", Line: 10, Col: 22},
			{Key: "col", Value: "sales", Line: 10, Col: 35},
			{Key: "where", Value: "year=2022", Line: 10, Col: 47}}},
		{Name: "ref", Line: 17, Col: 5, Positional: []string{"sales-1"}},
		{Name: "value", Line: 17, Col: 28, Args: []Arg{{Key: "data", Value: "x", Line: 17, Col: 38}}},
		{Line: 17, Col: 55, Err: `shortcode is not closed with ">}}" on the same line`},
	}
	if !reflect.DeepEqual(res.Shortcodes, wantSC) {
		t.Errorf("shortcodes = %+v\nwant %+v", res.Shortcodes, wantSC)
	}
	html := string(res.HTML)
	for _, want := range []string{
		"Intro with <!--folio:sc:0--> and <code>{{&lt; not a shortcode &gt;}}</code>.",
		"\n<!--folio:chart:0-->\n",
		"See <!--folio:sc:1-->, <!--folio:sc:2--> and <!--folio:sc:3-->",
		"// {{&lt; value &gt;}}",
	} {
		if !strings.Contains(html, want) {
			t.Errorf("HTML lacks %q:\n%s", want, html)
		}
	}
}

// TestMarkersCannotBeForged: without allow_html, a marker written in the
// Markdown is omitted like any raw HTML.
func TestMarkersCannotBeForged(t *testing.T) {
	res, err := New(Options{}).Render([]byte("<!--folio:chart:0-->\n\nText <!--folio:sc:0-->.\n"), 1)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(res.HTML), "folio:") {
		t.Errorf("forged marker survived:\n%s", res.HTML)
	}
}

// TestShortcodeLength checks the bound on a shortcode's length: ">}}"
// may start at most maxShortcode bytes after "{{<", and the parser looks
// no further, so a line of many "{{<" costs time linear in its length.
func TestShortcodeLength(t *testing.T) {
	r := New(Options{})
	for _, tc := range []struct {
		pad  int
		want string
	}{
		{maxShortcode - len("{{< ref"), ""},
		{maxShortcode - len("{{< ref") + 1, `shortcode is not closed with ">}}" on the same line`},
	} {
		src := "{{< ref" + strings.Repeat(" ", tc.pad) + ">}}\n"
		res, err := r.Render([]byte(src), 1)
		if err != nil {
			t.Fatal(err)
		}
		if len(res.Shortcodes) == 0 || res.Shortcodes[0].Err != tc.want {
			t.Errorf("\">}}\" at byte %d: shortcodes %+v, want error %q", strings.Index(src, ">}}"), res.Shortcodes, tc.want)
		}
	}
}

// BenchmarkShortcodeOpenings renders a line of 250,000 "{{<" (1 MB), none closed.
func BenchmarkShortcodeOpenings(b *testing.B) {
	src := []byte(strings.Repeat("{{< ", 250000))
	r := New(Options{})
	b.SetBytes(int64(len(src)))
	for b.Loop() {
		if _, err := r.Render(src, 1); err != nil {
			b.Fatal(err)
		}
	}
}
