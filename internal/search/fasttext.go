package search

import (
	"bytes"
	"strings"
)

// plainText is TextFromHTML for the HTML folio itself writes: tags with
// lowercase names and double-quoted attributes, text whose only entities
// are the escapes html/template and goldmark write and plain numeric
// references, no comments, no raw-text elements but script and style
// (whose text is skipped), no carriage returns or NULs. It reads that
// subset about twice as fast as the HTML tokenizer and gives up (ok is
// false) on anything else, which TextFromHTML then reads in full;
// FuzzTextFromHTML checks that the two agree wherever plainText answers.
func plainText(src []byte) (text string, ok bool) {
	var b strings.Builder
	b.Grow(len(src) / 2)
	var skipTag string
	skipDepth := 0
	space := false
	for i := 0; i < len(src); {
		if src[i] != '<' {
			j := i
			for j < len(src) && src[j] != '<' {
				if c := src[j]; c == '\r' || c == 0 {
					return "", false
				}
				j++
			}
			if skipDepth == 0 && j > i {
				if space && b.Len() > 0 && !closingRef(src[i:j]) {
					b.WriteByte(' ')
				}
				space = false
				if !unescapeTo(&b, src[i:j]) {
					return "", false
				}
			}
			i = j
			continue
		}
		tag, attrs, end, next, ok := plainTag(src, i)
		if !ok {
			return "", false
		}
		i = next
		switch tag {
		case "script", "style":
			// Raw text, never read: a figure's chart options are a
			// <script type="application/json">. Skip to its end tag, which
			// the next round reads.
			if !end {
				j := rawEnd(src[i:], tag)
				if j < 0 {
					return "", false
				}
				i += j
			}
		case "template", "noscript", "iframe", "noembed", "noframes", "xmp", "plaintext", "textarea", "title":
			return "", false
		}
		start := !end
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
		if !start || len(attrs) == 0 || skipDepth > 0 {
			continue
		}
		var ta tagAttrs
		for _, a := range attrs {
			ta.add(a[0], a[1])
		}
		if ta.apply(tag, &b) {
			skipTag, skipDepth = tag, 1
		}
		if tag == "img" && !ta.hide && ta.alt != "" {
			space = true
		}
	}
	return collapse(b.String()), true
}

// plainTag reads the tag at src[i], which is '<': its name, its
// attributes (name and unescaped value) and whether it is an end tag; next
// is the index after it. ok is false when it is not a tag plainText reads.
func plainTag(src []byte, i int) (name string, attrs [][2]string, end bool, next int, ok bool) {
	i++
	if i < len(src) && src[i] == '/' {
		end = true
		i++
	}
	j := i
	for j < len(src) && (isLower(src[j]) || j > i && (isDigit(src[j]) || src[j] == '-')) {
		j++
	}
	if j == i {
		return "", nil, false, 0, false
	}
	name = string(src[i:j])
	i = j
	for {
		for i < len(src) && src[i] == ' ' {
			i++
		}
		if i >= len(src) {
			return "", nil, false, 0, false
		}
		switch {
		case src[i] == '>':
			return name, attrs, end, i + 1, true
		case src[i] == '/' && i+1 < len(src) && src[i+1] == '>' && !end:
			return name, attrs, end, i + 2, true
		case end:
			return "", nil, false, 0, false
		}
		k := i
		for k < len(src) && (isLower(src[k]) || k > i && (isDigit(src[k]) || src[k] == '-')) {
			k++
		}
		if k == i || k >= len(src) {
			return "", nil, false, 0, false
		}
		attr := string(src[i:k])
		i = k
		if src[i] != '=' {
			if src[i] != ' ' && src[i] != '>' && src[i] != '/' {
				return "", nil, false, 0, false
			}
			attrs = append(attrs, [2]string{attr, ""})
			continue
		}
		if i+1 >= len(src) || src[i+1] != '"' {
			return "", nil, false, 0, false
		}
		i += 2
		k = i
		for k < len(src) && src[k] != '"' {
			if c := src[k]; c == '\r' || c == 0 || c == '<' {
				return "", nil, false, 0, false
			}
			k++
		}
		if k >= len(src) {
			return "", nil, false, 0, false
		}
		v, ok := unescape(src[i:k])
		if !ok {
			return "", nil, false, 0, false
		}
		attrs = append(attrs, [2]string{attr, v})
		i = k + 1
		if i < len(src) && src[i] != ' ' && src[i] != '>' && src[i] != '/' {
			return "", nil, false, 0, false
		}
	}
}

// rawEnd is where the raw text of a script or style element in src ends,
// as the HTML tokenizer finds it: at the first "</" and the tag's name, in
// any case, followed by white space, "/" or ">"; -1 when there is none.
func rawEnd(src []byte, tag string) int {
	for i := 0; ; {
		j := bytes.Index(src[i:], []byte("</"))
		if j < 0 {
			return -1
		}
		i += j
		k := i + 2 + len(tag)
		if k < len(src) && bytes.EqualFold(src[i+2:k], []byte(tag)) {
			switch src[k] {
			case ' ', '\t', '\n', '\f', '\r', '/', '>':
				return i
			}
		}
		i += 2
	}
}

func isLower(c byte) bool { return 'a' <= c && c <= 'z' }
func isDigit(c byte) bool { return '0' <= c && c <= '9' }

// numericRef reads a character reference such as &#160; or &#x21a9; at
// the start of s, and its length; n is 0 unless it is one whose meaning
// is plain (a character outside the ranges HTML remaps or replaces).
func numericRef(s []byte) (r rune, n int) {
	if len(s) < 4 || s[1] != '#' {
		return 0, 0
	}
	i, base := 2, int32(10)
	if s[i] == 'x' || s[i] == 'X' {
		i, base = 3, 16
	}
	start := i
	var x int32
	for ; i < len(s) && i-start < 7; i++ {
		c := s[i]
		var d int32
		switch {
		case '0' <= c && c <= '9':
			d = int32(c - '0')
		case base == 16 && 'a' <= c && c <= 'f':
			d = int32(c-'a') + 10
		case base == 16 && 'A' <= c && c <= 'F':
			d = int32(c-'A') + 10
		default:
			goto done
		}
		x = x*base + d
	}
done:
	if i == start || i >= len(s) || s[i] != ';' {
		return 0, 0
	}
	if !(0x20 <= x && x < 0x7f || 0xa0 <= x && x < 0xd800 || 0xe000 <= x && x <= 0x10ffff) {
		return 0, 0
	}
	return x, i + 1
}

// escapes are the named entities plainText decodes: those html/template
// and goldmark write.
var escapes = []struct {
	entity []byte
	char   string
}{
	{[]byte("&amp;"), "&"}, {[]byte("&lt;"), "<"}, {[]byte("&gt;"), ">"}, {[]byte("&quot;"), `"`}, {[]byte("&#34;"), `"`}, {[]byte("&#39;"), "'"},
}

// unescapeTo writes s with its escapes decoded to b; ok is false for any
// other entity.
func unescapeTo(b *strings.Builder, s []byte) bool {
	for {
		i := bytes.IndexByte(s, '&')
		if i < 0 {
			b.Write(s)
			return true
		}
		b.Write(s[:i])
		s = s[i:]
		found := false
		for _, e := range escapes {
			if bytes.HasPrefix(s, e.entity) {
				b.WriteString(e.char)
				s = s[len(e.entity):]
				found = true
				break
			}
		}
		if !found {
			r, n := numericRef(s)
			if n == 0 {
				return false
			}
			b.WriteRune(r)
			s = s[n:]
		}
	}
}

// unescape is s with its escapes decoded; ok is false for any other
// entity.
func unescape(s []byte) (string, bool) {
	if bytes.IndexByte(s, '&') < 0 {
		return string(s), true
	}
	var b strings.Builder
	b.Grow(len(s))
	ok := unescapeTo(&b, s)
	return b.String(), ok
}

// closingRef is closing for text that may start with an escape: what
// counts is the character it stands for.
func closingRef(text []byte) bool {
	if text[0] != '&' {
		return closing(text)
	}
	for _, e := range escapes {
		if bytes.HasPrefix(text, e.entity) {
			return closing([]byte(e.char))
		}
	}
	if r, n := numericRef(text); n > 0 {
		return closing([]byte(string(r)))
	}
	return false
}
