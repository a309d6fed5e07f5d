package search

import (
	"bytes"
	"strings"

	"golang.org/x/net/html"
)

// inline are the elements that do not separate words: "ex<em>port</em>"
// is one word. Every other tag is a word boundary, so "<p>a</p><p>b</p>"
// gives "a b". sup and sub are boundaries, so that a note reference does
// not glue its number to the word before it.
var inline = map[string]bool{
	"a": true, "abbr": true, "b": true, "bdi": true, "bdo": true, "cite": true,
	"code": true, "data": true, "del": true, "dfn": true, "em": true, "i": true,
	"ins": true, "kbd": true, "mark": true, "q": true, "s": true, "samp": true,
	"small": true, "span": true, "strong": true, "time": true, "u": true,
	"var": true, "wbr": true,
}

// dropped are the elements whose raw text is not read: code, styles, and
// what the tokeniser reads as raw text (noscript, iframe, ...). textarea
// and title are read, as they hold text.
var dropped = map[string]bool{
	"script": true, "style": true, "noscript": true, "iframe": true,
	"noembed": true, "noframes": true, "xmp": true, "plaintext": true,
}

// TextFromHTML returns the readable text of an HTML fragment: tags
// dropped, entities decoded, whitespace collapsed to single spaces;
// script/style/template contents and <script type="application/json">
// dropped. An image gives its alt text. The result is valid UTF-8.
func TextFromHTML(src []byte) string {
	z := html.NewTokenizer(bytes.NewReader(src))
	var b strings.Builder
	b.Grow(len(src) / 2)
	inTemplate := 0
	skipRaw := false // the next token is the raw text of a dropped element
	for {
		tt := z.Next()
		raw := skipRaw
		skipRaw = false
		switch tt {
		case html.ErrorToken:
			return collapse(b.String())
		case html.TextToken:
			if !raw && inTemplate == 0 {
				b.Write(z.Text())
			}
		case html.StartTagToken, html.SelfClosingTagToken, html.EndTagToken:
			name, hasAttr := z.TagName()
			tag := string(name)
			switch {
			case tag == "template" && tt == html.EndTagToken:
				inTemplate = max(0, inTemplate-1)
			case tag == "template":
				inTemplate++ // <template/> opens one too, as in a browser
			case dropped[tag] && tt != html.EndTagToken:
				skipRaw = true
			}
			if inline[tag] {
				continue
			}
			b.WriteByte(' ')
			if tag == "img" && hasAttr && inTemplate == 0 && tt != html.EndTagToken {
				for {
					k, v, more := z.TagAttr()
					if string(k) == "alt" {
						b.Write(v)
						b.WriteByte(' ')
					}
					if !more {
						break
					}
				}
			}
		}
	}
}

// collapse collapses runs of white space (Unicode's, so no-break spaces
// too) to one space, trims the ends and makes the text valid UTF-8.
func collapse(s string) string {
	return strings.ToValidUTF8(strings.Join(strings.Fields(s), " "), "\uFFFD")
}
