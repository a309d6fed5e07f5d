package search

import (
	"bytes"
	"strings"
	"unicode"
	"unicode/utf8"

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

// void are the elements that have no end tag.
var void = map[string]bool{
	"area": true, "base": true, "br": true, "col": true, "embed": true, "hr": true,
	"img": true, "input": true, "link": true, "meta": true, "source": true,
	"track": true, "wbr": true,
}

// TextFromHTML returns the readable text of an HTML fragment: tags
// dropped, entities decoded, whitespace collapsed to single spaces;
// script/style/template contents and <script type="application/json">
// dropped. Also dropped: what is hidden from assistive technology
// (aria-hidden="true") and endnote references and back-links
// (role="doc-noteref", "doc-backlink"), which are numbers and arrows,
// not prose; and any element a template marks data-search-ignore, such
// as a figure's citation box, which repeats the title in every figure.
// An image gives its alt text. The result is valid UTF-8.
func TextFromHTML(src []byte) string {
	if text, ok := plainText(src); ok {
		return text
	}
	return tokenizedText(src)
}

// tokenizedText is TextFromHTML through the HTML tokenizer, for any HTML.
func tokenizedText(src []byte) string {
	z := html.NewTokenizer(bytes.NewReader(src))
	var b strings.Builder
	b.Grow(len(src) / 2)
	inTemplate := 0
	skipRaw := false // the next token is the raw text of a dropped element
	var skipTag string
	skipDepth := 0 // inside skipTag elements that are not read
	space := false // a word boundary is due before the next text
	for {
		tt := z.Next()
		raw := skipRaw
		skipRaw = false
		switch tt {
		case html.ErrorToken:
			return collapse(b.String())
		case html.TextToken:
			if raw || inTemplate > 0 || skipDepth > 0 {
				continue
			}
			text := z.Text()
			if space && b.Len() > 0 && !closing(text) {
				b.WriteByte(' ')
			}
			space = false
			b.Write(text)
		case html.StartTagToken, html.SelfClosingTagToken, html.EndTagToken:
			name, hasAttr := z.TagName()
			tag := string(name)
			start := tt != html.EndTagToken
			switch {
			case tag == "template" && !start:
				inTemplate = max(0, inTemplate-1)
			case tag == "template":
				inTemplate++ // <template/> opens one too, as in a browser
			case dropped[tag] && start:
				skipRaw = true
			}
			if skipDepth > 0 && tag == skipTag && !void[tag] {
				if start {
					skipDepth++
				} else {
					skipDepth--
				}
			}
			if !inline[tag] {
				space = true
			}
			if !start || !hasAttr || inTemplate > 0 || skipDepth > 0 {
				continue
			}
			var ta tagAttrs
			for more := true; more; {
				var k, v []byte
				k, v, more = z.TagAttr()
				ta.add(string(k), string(v))
			}
			if ta.apply(tag, &b) {
				skipTag, skipDepth = tag, 1
			}
			if tag == "img" && !ta.hide && ta.alt != "" {
				space = true
			}
		}
	}
}

// tagAttrs is what TextFromHTML reads of a start tag's attributes.
type tagAttrs struct {
	alt  string
	hide bool // hidden from assistive technology, a note reference or back-link, or data-search-ignore
}

func (t *tagAttrs) add(k, v string) {
	switch k {
	case "alt":
		t.alt = v
	case "aria-hidden":
		t.hide = v == "true"
	case "role":
		t.hide = t.hide || v == "doc-noteref" || v == "doc-backlink"
	case "data-search-ignore":
		t.hide = true
	}
}

// apply writes an image's alt text to b, and reports whether the
// element's content is to be skipped.
func (t *tagAttrs) apply(tag string, b *strings.Builder) (skip bool) {
	switch {
	case t.hide && !void[tag]:
		return true
	case tag == "img" && !t.hide && len(t.alt) > 0:
		if b.Len() > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(t.alt)
	}
	return false
}

// closing reports whether text starts with punctuation that closes what
// comes before it, which needs no space after a tag: "x<sup>1</sup>, y"
// without its note reference is "x, y".
func closing(text []byte) bool {
	r, _ := utf8.DecodeRune(text)
	return strings.ContainsRune(",.;:!?)]}”’»…", r)
}

// collapse collapses runs of white space (Unicode's, so no-break spaces
// too) to one space, trims the ends and makes the text valid UTF-8.
// asciiSpace is unicode.IsSpace for ASCII.
var asciiSpace = [utf8.RuneSelf]bool{'\t': true, '\n': true, '\v': true, '\f': true, '\r': true, ' ': true}

func collapse(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	space, bad := false, false
	for len(s) > 0 {
		if c := s[0]; c < utf8.RuneSelf {
			// ASCII, most of any text: a space, or a run of other bytes
			// copied whole.
			if asciiSpace[c] {
				space, bad = b.Len() > 0, false
				s = s[1:]
				continue
			}
			i := 1
			for i < len(s) && s[i] < utf8.RuneSelf && !asciiSpace[s[i]] {
				i++
			}
			if space {
				b.WriteByte(' ')
				space = false
			}
			bad = false
			b.WriteString(s[:i])
			s = s[i:]
			continue
		}
		r, size := utf8.DecodeRuneInString(s)
		s = s[size:]
		if unicode.IsSpace(r) {
			space, bad = b.Len() > 0, false
			continue
		}
		if space {
			b.WriteByte(' ')
			space = false
		}
		if r == utf8.RuneError && size == 1 {
			// A run of invalid bytes becomes one U+FFFD.
			if !bad {
				b.WriteString("\uFFFD")
			}
			bad = true
			continue
		}
		bad = false
		b.WriteRune(r)
	}
	return b.String()
}
