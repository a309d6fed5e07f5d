package search

import (
	"html"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"
)

var textCases = []struct{ html, want string }{
	{"", ""},
	{"plain text", "plain text"},
	{"<p>One</p><p>Two</p>", "One Two"},
	{"ex<em>port</em> <strong>con</strong>trols", "export controls"},
	{"<h2 id=\"a\">Title &amp; more &lt;b&gt; &#8217; &rsquo;</h2>", "Title & more <b> ’ ’"},
	{"a&nbsp;&nbsp;b \t\n c\u00a0d", "a b c d"},
	{"sales<sup><a href=\"#fn:1\">1</a></sup> grew", "sales 1 grew"},
	{"sales<sup id=\"fnref:1\"><a href=\"#fn:1\" class=\"footnote-ref\" role=\"doc-noteref\">1</a></sup>, grew", "sales, grew"},
	{"<li>Source.&nbsp;<a href=\"#fnref:1\" role=\"doc-backlink\">&#x21a9;&#xfe0e;</a></li><li>Next</li>", "Source. Next"},
	{"<p>a<span aria-hidden=\"true\"> · <span>x</span> y</span>b</p>", "ab"},
	{"<div aria-hidden=\"true\"><div>x</div></div><p>kept</p>", "kept"},
	{"<img alt=\"decor\" aria-hidden=\"true\">text", "text"},
	{"<figure><details class=\"cite\" data-search-ignore><summary>Cite</summary>Title. 2025.</details><figcaption>Caption</figcaption></figure>", "Caption"},
	{"<li>one</li><li>two</li>", "one two"},
	{"line<br>break", "line break"},
	{"<script>var x = '<p>no</p>';</script>after", "after"},
	{"<script type=\"application/json\" id=\"c-options\">{\"title\":\"no\"}</script><p>yes</p>", "yes"},
	{"<style>p { color: red }</style>styled", "styled"},
	{"<template><p>inside <template>nested</template> still</p></template>outside", "outside"},
	{"<noscript><p>Needs JavaScript</p></noscript>shown", "shown"},
	{"<script></script>kept", "kept"},
	{"<img src=\"x.png\" alt=\"A chart of &quot;sales&quot;\">caption", "A chart of \"sales\" caption"},
	{"<td>1</td><td>2</td>", "1 2"},
	{"<!-- comment -->a<!-- x -->b", "ab"},
	{"<p>unclosed <em>tags", "unclosed tags"},
	{"<script>never closed", ""},
	{"</template>stray end", "stray end"},
	{"<title>A title</title><textarea>a &amp; b</textarea>", "A title a & b"},
	{"bad \xff byte", "bad \uFFFD byte"},
}

func TestTextFromHTML(t *testing.T) {
	for _, tt := range textCases {
		if got := TextFromHTML([]byte(tt.html)); got != tt.want {
			t.Errorf("TextFromHTML(%q) = %q, want %q", tt.html, got, tt.want)
		}
	}
}

// FuzzTextFromHTML checks that any input gives valid UTF-8 with single
// spaces and no ends of space, and that escaping the text and reading it
// again gives it back.
func FuzzTextFromHTML(f *testing.F) {
	for _, tt := range textCases {
		f.Add([]byte(tt.html))
	}
	f.Add([]byte(`<main id="main"><figure><script type="application/json">{"a":"</script>"}</script></figure></main>`))
	f.Add([]byte(`<p>&#0; &#x80; &#xD800; &#1114112; &#65; &#x41 &#160; &#9999999; &#x10FFFF;</p>`))
	f.Add([]byte(`<p>a</p><script type="application/json" id="x">{"a":"\u003c/script\u003e"}</script><p>b</p><style>p{}</STYLE ></style>c<script>x</scriptx></script >d`))
	// What goldmark and the templates write, which the fast path reads.
	f.Add([]byte(`<h2 id="a-b">A &amp; B</h2>
<p>Sales rose<sup id="fnref:1"><a href="#fn:1" class="footnote-ref" role="doc-noteref">1</a></sup>, to <a class="value" href="/data/x/"><data value="42">$42bn</data></a>.</p>
<ul>
<li>One &lt;two&gt; &quot;three&quot; &#39;four&#39;</li>
</ul>
<p><img src="a.png" alt="A &amp; chart"><br/><em>ex</em>port</p>
<table class="t"><tr><th align="right">Year</th></tr></table>
<div class="footnotes" role="doc-endnotes"><hr><ol><li id="fn:1"><p>Source. <a href="#fnref:1" class="footnote-backref" role="doc-backlink">&#x21a9;&#xfe0e;</a></p></li></ol></div>
<figure data-search-ignore><figcaption aria-hidden="true">x</figcaption></figure>`))
	f.Fuzz(func(t *testing.T, src []byte) {
		got := TextFromHTML(src)
		if want := tokenizedText(src); got != want {
			t.Fatalf("TextFromHTML(%q) = %q, but the tokenizer reads %q", src, got, want)
		}
		if !utf8.ValidString(got) {
			t.Fatalf("invalid UTF-8: %q", got)
		}
		if strings.TrimSpace(got) != got || strings.Contains(got, "  ") || strings.ContainsAny(got, "\t\n\r") {
			t.Fatalf("white space not collapsed: %q", got)
		}
		if again := TextFromHTML([]byte(html.EscapeString(got))); again != got {
			t.Fatalf("escaped and read again: %q, want %q", again, got)
		}
	})
}

// FuzzFastPaths checks the ASCII shortcuts against the definitions they
// shortcut: collapse against a rune-by-rune collapse, the compounds'
// words against isWordRune's Unicode classes, and isTerm on every token.
func FuzzFastPaths(f *testing.F) {
	for _, tt := range textCases {
		f.Add(tt.want)
		f.Add(tt.html)
	}
	f.Add("a I 7 x which whiche ａ ① 日 DeepSeek-V3's 2,000 U.S. chips\u00a0\u0085 coûts\xff\xfe ①ﬁ 日本語 \t\v\f\r\n x")
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := collapse(s), collapseRunes(s); got != want {
			t.Errorf("collapse(%q) = %q, want %q", s, got, want)
		}
		compounds(s, func(words []string) {
			for _, tok := range appendTokens(nil, strings.Join(words, "")) {
				r, size := utf8.DecodeRuneInString(tok)
				want := !stopSet[tok] && tok != "" && (size < len(tok) || unicode.IsNumber(r) || isSpaceless(r))
				if isTerm(tok) != want {
					t.Errorf("isTerm(%q) = %v", tok, !want)
				}
			}
			for _, w := range words {
				for _, r := range w {
					if !(unicode.IsLetter(r) || unicode.IsNumber(r) || unicode.IsMark(r)) {
						t.Errorf("compounds(%q) gives the word %q, with %q", s, w, r)
					}
				}
			}
		})
		for _, r := range s {
			if isWordRune(r) != (unicode.IsLetter(r) || unicode.IsNumber(r) || unicode.IsMark(r)) {
				t.Errorf("isWordRune(%q) = %v", r, isWordRune(r))
			}
		}
	})
}

// collapseRunes is collapse as defined: the words between white space,
// each run of invalid bytes one U+FFFD, joined by single spaces.
func collapseRunes(s string) string {
	return strings.Join(strings.Fields(strings.ToValidUTF8(s, "\uFFFD")), " ")
}
