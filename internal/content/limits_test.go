package content

import (
	"fmt"
	"strings"
	"testing"

	"github.com/folio-ssg/folio/internal/diag"
	"github.com/folio-ssg/folio/internal/markdown"
)

func TestLimits(t *testing.T) {
	para := func(n int) string { return strings.Repeat("[a](b) ", n/2) + "\n" } // n markup characters
	stair := func(levels int) string {
		var b strings.Builder
		for i := range levels {
			b.WriteString(strings.Repeat("  ", i) + "- a\n")
		}
		return b.String()
	}
	cases := []struct {
		name, body string
		want       string
	}{
		{"unclosed links", strings.Repeat("[a](", 20000), "a.md:3: this paragraph holds 40000 of the characters * _ ~ ` [ ] ' \"; the limit is 1000, as Markdown this dense is slow to render: split it with blank lines"},
		{"markup at the limit", para(1000), ""},
		{"markup over the limit", "Intro.\n\n" + para(1000) + "More [a](b) text.\n", "a.md:5: this paragraph holds 1002 of the characters * _ ~ ` [ ] ' \"; the limit is 1000, as Markdown this dense is slow to render: split it with blank lines"},
		{"paragraphs apart", strings.Repeat(para(1000)+"\n", 5), ""},
		{"paragraphs apart in a quote", strings.Repeat("> "+para(1000)+">\n", 5), ""},
		{"quote marker after four spaces continues", "> " + para(1000) + "    >\n> [a]\n", "a.md:3: this paragraph holds 1002 of the characters * _ ~ ` [ ] ' \"; the limit is 1000, as Markdown this dense is slow to render: split it with blank lines"},
		{"tight list items are paragraphs", strings.Repeat("- [a](b) *c*\n", 800), ""},
		{"numbered from 1 interrupts", strings.Repeat(para(900)+"1. [a](b)\n", 3), ""},
		{"numbered from 2 continues", para(1000) + "2. [a](b)\n", "a.md:3: this paragraph holds 1002 of the characters * _ ~ ` [ ] ' \"; the limit is 1000, as Markdown this dense is slow to render: split it with blank lines"},
		{"indented item continues", para(1000) + "    - [a](b)\n", "a.md:3: this paragraph holds 1002 of the characters * _ ~ ` [ ] ' \"; the limit is 1000, as Markdown this dense is slow to render: split it with blank lines"},
		{"empty item continues", para(1000) + "-\n[]\n", "a.md:3: this paragraph holds 1002 of the characters * _ ~ ` [ ] ' \"; the limit is 1000, as Markdown this dense is slow to render: split it with blank lines"},
		{"apostrophes", strings.Repeat("'", 2000), "a.md:3: this paragraph holds 2000 of the characters * _ ~ ` [ ] ' \"; the limit is 1000, as Markdown this dense is slow to render: split it with blank lines"},
		{"nested quotes", strings.Repeat("> ", 5000) + "a\n", "a.md:3: blocks nested 5000 deep (block quotes, list items and indentation); the limit is 64"},
		{"quotes at the limit", strings.Repeat("> ", 64) + "a\n", ""},
		{"nested bullets", "Text.\n\n" + strings.Repeat("- ", 65) + "a\n", "a.md:5: blocks nested 65 deep (block quotes, list items and indentation); the limit is 64"},
		{"nested ordered", strings.Repeat("1. ", 100) + "a\n", "a.md:3: blocks nested 100 deep (block quotes, list items and indentation); the limit is 64"},
		{"quotes and lists", strings.Repeat("> - ", 40) + "a\n", "a.md:3: blocks nested 80 deep (block quotes, list items and indentation); the limit is 64"},
		{"list indentation", stair(70), "a.md:67: blocks nested 65 deep (block quotes, list items and indentation); the limit is 64"},
		{"list indentation at the limit", stair(64), ""},
		{"tabs", strings.Repeat("\t", 40) + "code\n", "a.md:3: blocks nested 80 deep (block quotes, list items and indentation); the limit is 64"},
		{"blank line of spaces", strings.Repeat(" ", 1000) + "\n", ""},
		{"nested brackets", strings.Repeat("[", 5000) + "a" + strings.Repeat("]", 5000), "a.md:3: square brackets nested more than 32 deep\n" +
			"a.md:3: this paragraph holds 10000 of the characters * _ ~ ` [ ] ' \"; the limit is 1000, as Markdown this dense is slow to render: split it with blank lines"},
		{"brackets at the limit", strings.Repeat("[", 32) + "a" + strings.Repeat("]", 32), ""},
		{"brackets over the limit", "x\n" + strings.Repeat("[", 33) + "a" + strings.Repeat("]", 33), "a.md:4: square brackets nested more than 32 deep"},
		{"brackets close across lines", strings.Repeat("[a\n]\n", 400), ""},
		{"invalid UTF-8", "Caf\xe9 au lait.\n", "a.md:3:4: invalid UTF-8 (byte 0xE9): save the file as UTF-8"},
		{"NUL", "x\n\nA\x00B\n", "a.md:5:2: control character U+0000 is not allowed; remove it"},
		{"escape", "\x1b[31mred\n", "a.md:3:1: control character U+001B is not allowed; remove it"},
		{"C1 control", "é\u0085\n", "a.md:3:3: control character U+0085 is not allowed; remove it"},
		{"first bad byte only", "\x01\n\x02\xff\n", "a.md:3:1: control character U+0001 is not allowed; remove it"},
		{"tabs, emoji and other scripts", "\tcode\n\nChips 🔌, 출구 통제, \u202eRTL\u202c, zero\u200bwidth.\n", ""},
		{"all three", strings.Repeat("> ", 70) + "[\n" + strings.Repeat("[", 33) + strings.Repeat("*", 1000), "a.md:3: blocks nested 70 deep (block quotes, list items and indentation); the limit is 64\n" +
			"a.md:3: this paragraph holds 1034 of the characters * _ ~ ` [ ] ' \"; the limit is 1000, as Markdown this dense is slow to render: split it with blank lines\n" +
			"a.md:4: square brackets nested more than 32 deep"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var probs diag.List
			_, ok := Split("a.md", []byte("---\n---\n"+tc.body), &probs)
			if got := joinProbs(probs); got != tc.want {
				t.Fatalf("problems:\n%s\nwant:\n%s", got, tc.want)
			}
			if ok != (tc.want == "") {
				t.Errorf("Split ok = %v with problems %q", ok, tc.want)
			}
		})
	}
}

// worstCases are bodies of MaxFileSize made of one construct each that
// goldmark renders in more than linear time, or slowly, packed as densely
// as the limits allow.
func worstCases() map[string][]byte {
	fill := func(unit string) []byte {
		var b strings.Builder
		for b.Len()+len(unit) <= MaxFileSize {
			b.WriteString(unit)
		}
		return []byte(b.String())
	}
	stair := func(levels int) string {
		var b strings.Builder
		for i := range levels {
			b.WriteString(strings.Repeat("  ", i) + "* a\n")
		}
		return b.String()
	}
	rep := strings.Repeat
	return map[string][]byte{
		"unclosed links":         fill(rep("[a](", MaxMarkup/2) + "\n\n"),
		"unclosed links b":       fill(rep("[a](b", MaxMarkup/2) + "\n\n"),
		"mismatched emphasis":    fill(rep("*a_ ", MaxMarkup/2) + "\n\n"),
		"emphasis multiple of 3": fill("a**b" + rep("c* ", MaxMarkup-2) + "\n\n"),
		"alternating emphasis":   fill(rep("a*_", MaxMarkup/2) + "\n\n"),
		"nested brackets":        fill(rep(rep("[", MaxBrackets)+"a"+rep("]", MaxBrackets), MaxMarkup/(2*MaxBrackets)) + "\n\n"),
		"nested unclosed links":  fill(rep(rep("[", MaxBrackets)+"a"+rep("](", MaxBrackets), MaxMarkup/(2*MaxBrackets)) + "\n\n"),
		"apostrophes":            fill(rep("'", MaxMarkup) + "\n\n"),
		"backticks":              fill(rep("e`", MaxMarkup) + "\n\n"),
		"nested quotes":          fill(rep("> ", MaxNesting) + "a\n"),
		"nested bullets":         fill(rep("- ", MaxNesting) + "a\n"),
		"quotes and lists":       fill(rep("> - ", MaxNesting/2) + "a\n"),
		"nested lists":           fill(stair(MaxNesting)),
		"list items":             fill("- a\n"),
		"headings":               fill("## a\n"),
		"setext headings":        fill("a\n=\n"),
		"footnote references":    fill("[^a]: x\n\n" + rep("x[^a]", MaxMarkup/2) + "\n\n"),
		"shortcode openings":     fill("{{< "),
		"wide table":             fill("|a|b|c|d|\n|-|-|-|-|\n" + rep("|x|y|z|w|\n", 200) + "\n"),
	}
}

// TestWorstCasesPass checks that each worst case is within the limits, so
// BenchmarkWorstCases measures what a build may have to render: on one
// core of a 2025 server each takes 0.3 to 2.3 seconds.
func TestWorstCasesPass(t *testing.T) {
	for name, body := range worstCases() {
		var probs diag.List
		if _, ok := Split("a.md", body, &probs); !ok || len(body) < MaxFileSize*99/100 {
			t.Errorf("%s (%d bytes): %v", name, len(body), probs)
		}
	}
}

// BenchmarkWorstCases times the worst cases the limits allow.
func BenchmarkWorstCases(b *testing.B) {
	md := markdown.New(markdown.Options{})
	for name, body := range worstCases() {
		b.Run(strings.ReplaceAll(name, " ", "-"), func(b *testing.B) {
			b.SetBytes(int64(len(body)))
			for b.Loop() {
				var probs diag.List
				src, _ := Split("a.md", body, &probs)
				if _, err := md.Render(src.Body, 1); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkCheckBody times the scan itself over a file at the size limit.
func BenchmarkCheckBody(b *testing.B) {
	body := []byte(strings.Repeat("Some *prose* with [a link](/x/) and “quotes”.\n\n", MaxFileSize/50))
	b.SetBytes(int64(len(body)))
	for b.Loop() {
		var probs diag.List
		if !checkBody("a.md", body, 1, &probs) {
			b.Fatal(fmt.Sprint(probs))
		}
	}
}
