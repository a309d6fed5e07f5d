package content

import (
	"bytes"
	"fmt"
	"math"
	"strings"
	"unicode/utf8"

	"github.com/folio-ssg/folio/internal/diag"
)

// Markdown that is cheap to write can be slow to render: goldmark, like
// most CommonMark parsers, takes time quadratic in some constructs. Before
// anything is parsed, a body is scanned once for them and refused with a
// message naming the limit. The limits were measured on goldmark 1.8: a
// 1 MiB body made entirely of the worst construct each allows renders in
// about 1 to 2 seconds of CPU, where without them 80 KB of "[a](" took 10
// seconds and 1 MB of nested lists 3. No brief written by a person comes
// near them.
const (
	// MaxFileSize bounds a Markdown file. Even plain list items cost a
	// second per MiB to render; a brief of 150,000 words is 1 MiB.
	MaxFileSize = 1 << 20

	// MaxNesting bounds how deeply blocks nest on a line: block quotes
	// ("> > >"), list items ("- - -") and indentation, counted as one
	// level per two columns (a nested list's least indent).
	MaxNesting = 64

	// MaxMarkup bounds the characters * _ ~ ` [ ] ' " in one paragraph:
	// goldmark matches emphasis, links, code spans and quotes by
	// searching back over the earlier ones.
	MaxMarkup = 1000

	// MaxBrackets bounds how deeply [ ] nest in one paragraph: each ]
	// searches back over everything since its [.
	MaxBrackets = 32
)

// markup lists the characters MaxMarkup counts.
const markup = "*_~`[]'\""

// checkSize reports a file over MaxFileSize.
func checkSize(path string, data []byte, probs *diag.List) bool {
	if len(data) <= MaxFileSize {
		return true
	}
	// Rounded up, so a file just over the limit does not read as at it.
	size := math.Ceil(float64(len(data))*10/(1<<20)) / 10
	probs.Add(path, 0, 0, "file is %.1f MiB; the limit for a Markdown file is %d MiB", size, MaxFileSize>>20)
	return false
}

// isMarkup marks the characters MaxMarkup counts.
var isMarkup = func() (t [256]bool) {
	for _, c := range []byte(markup) {
		t[c] = true
	}
	return t
}()

// checkBody reports the first place where body exceeds MaxNesting,
// MaxMarkup or MaxBrackets, or holds a byte that is not UTF-8 or is a
// control character. firstLine is the file line body starts on.
//
// A paragraph here is a run of lines up to a blank line, a line holding
// only block-quote markers, or a line starting a bullet list item (or an
// ordered one numbered 1): none of these can continue a paragraph, so no
// inline content goldmark parses as one unit spans two runs. Code blocks
// and tables are counted like paragraphs; that errs on the safe side.
func checkBody(path string, body []byte, firstLine int, probs *diag.List) bool {
	var reported [4]bool
	report := func(kind, line, col int, format string, args ...any) {
		if !reported[kind] {
			reported[kind] = true
			probs.Add(path, line, col, format, args...)
		}
	}
	count, depth, start := 0, 0, firstLine
	endParagraph := func() {
		if count > MaxMarkup {
			report(1, start, 0, "this paragraph holds %d of the characters %s; the limit is %d, as Markdown this dense is slow to render: split it with blank lines",
				count, spaced(markup), MaxMarkup)
		}
		count, depth = 0, 0
	}
	line := firstLine
	for rest := body; len(rest) > 0; line++ {
		l := rest
		if i := bytes.IndexByte(rest, '\n'); i >= 0 {
			l, rest = rest[:i], rest[i+1:]
		} else {
			rest = nil
		}
		if col, msg := badChar(l); col > 0 {
			report(3, line, col, "%s", msg)
		}
		n, breaks := blockPrefix(l)
		if n > MaxNesting {
			report(0, line, 0, "blocks nested %d deep (block quotes, list items and indentation); the limit is %d", n, MaxNesting)
		}
		if breaks {
			endParagraph()
		}
		if count == 0 {
			start = line
		}
		for _, c := range l {
			switch c {
			case '[':
				if depth++; depth > MaxBrackets {
					report(2, line, 0, "square brackets nested more than %d deep", MaxBrackets)
				}
			case ']':
				depth = max(depth-1, 0)
			}
			if isMarkup[c] {
				count++
			}
		}
	}
	endParagraph()
	return reported == [4]bool{}
}

// badChar finds the first byte of l that is not UTF-8, or a control
// character other than tab: goldmark would pass them into the HTML, where
// they are errors, and they are never meant. It returns the 1-based
// column in bytes and a message, or 0.
func badChar(l []byte) (int, string) {
	for i := 0; i < len(l); {
		c := l[i]
		if c < utf8.RuneSelf {
			if c < 0x20 && c != '\t' || c == 0x7f {
				return i + 1, fmt.Sprintf("control character U+%04X is not allowed; remove it", c)
			}
			i++
			continue
		}
		r, n := utf8.DecodeRune(l[i:])
		switch {
		case r == utf8.RuneError && n == 1:
			return i + 1, fmt.Sprintf("invalid UTF-8 (byte 0x%02X): save the file as UTF-8", c)
		case r >= 0x80 && r <= 0x9f:
			return i + 1, fmt.Sprintf("control character U+%04X is not allowed; remove it", r)
		}
		i += n
	}
	return 0, ""
}

// spaced writes the characters of s apart: "* _ ~".
func spaced(s string) string {
	var b strings.Builder
	for i, c := range s {
		if i > 0 {
			b.WriteByte(' ')
		}
		b.WriteRune(c)
	}
	return b.String()
}

// blockPrefix reads the block-quote markers, list markers and indentation
// that open a line. It returns the nesting they stand for, and whether the
// line cannot continue a paragraph: it is blank, or blank once block-quote
// markers are removed, or it starts a list item that may interrupt a
// paragraph (a bullet, or an ordered item numbered 1, with content).
//
// Each marker counts one level, and so do every two columns of other
// indentation (a tab is four), erring on the high side. A line ends a
// paragraph only when its markers follow at most three spaces each, as
// CommonMark requires of block quotes and of list items that interrupt a
// paragraph; otherwise it may be a lazy continuation line.
func blockPrefix(l []byte) (nesting int, breaks bool) {
	if onlySpace(l) {
		return 0, true
	}
	cols, i := 0, 0
	quotesOnly, strict := true, true
	for {
		sp := 0
		for ; i < len(l) && (l[i] == ' ' || l[i] == '\t'); i++ {
			if l[i] == '\t' {
				sp += 4
				strict = false
			} else {
				sp++
			}
		}
		if sp > 3 {
			strict = false
		}
		cols += sp
		if i == len(l) {
			return nesting + cols/2, breaks || quotesOnly && strict
		}
		if l[i] == '>' {
			nesting++
			if i++; i < len(l) && l[i] == ' ' {
				i++
			}
			continue
		}
		w := listMarker(l[i:])
		if w == 0 {
			return nesting + cols/2, breaks
		}
		if quotesOnly && strict && !onlySpace(l[i+w:]) && (w == 2 && !isDigit(l[i]) || w == 3 && l[i] == '1') {
			breaks = true
		}
		quotesOnly = false
		nesting++
		i += w
	}
}

// listMarker returns the width of the list marker l starts with, with the
// one space or tab after it ("- ", "12. ", "3) "), or 0. A marker ending
// the line counts too.
func listMarker(l []byte) int {
	i := 0
	if l[0] == '-' || l[0] == '+' || l[0] == '*' {
		i = 1
	} else {
		for i < len(l) && i < 9 && isDigit(l[i]) {
			i++
		}
		if i == 0 || i == len(l) || l[i] != '.' && l[i] != ')' {
			return 0
		}
		i++
	}
	switch {
	case i == len(l):
		return i
	case l[i] == ' ' || l[i] == '\t':
		return i + 1
	}
	return 0
}

func isDigit(c byte) bool { return '0' <= c && c <= '9' }

func onlySpace(l []byte) bool {
	return len(bytes.Trim(l, " \t")) == 0
}
