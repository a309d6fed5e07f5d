// Package content reads the site's Markdown sources: briefings, author
// profiles and other pages. Each file may open with YAML front matter
// between two lines of three dashes:
//
//	---
//	title: Export controls and the AI chip race
//	---
//	Markdown body.
//
// Front matter is typed and strict: an unknown key, a wrong type, a bad
// date or a missing required key is a problem at the line that says it.
// The body is kept as bytes with the line it starts on, so links and
// errors in it can be reported at their place in the file.
//
// A file must be UTF-8 without control characters other than tab (CRLF
// and CR line ends are fine). Markdown is cheap to write and can be slow
// to render, so a file is also refused, with a message naming the limit,
// when it is over 1 MiB (MaxFileSize), when blocks nest more than 64 deep
// on a line (MaxNesting: block quotes, list items, and indentation at one
// level per two columns), when one paragraph holds more than 1,000 of the
// characters * _ ~ ` [ ] ' " (MaxMarkup), or when square brackets nest
// more than 32 deep (MaxBrackets). Each keeps a whole file of its worst
// case to one or two seconds of rendering; see limits.go.
//
// Briefings (content/briefs/<slug>.md) take: title (required), subtitle,
// summary (required), date (required, YYYY-MM-DD), updated (not before
// date), type (default "Brief"), authors (slugs of content/authors/*.md),
// tags, key_points, corrections (a list of {date, text}), draft and
// publish_date (an embargo: left out of builds until that day).
//
// Author profiles (content/authors/<slug>.md) take name (required), role
// and affiliation; the body is the bio. Other pages (content/<slug>.md)
// take title (required), summary and draft. content/index.md, the home
// page's introduction, needs no front matter but may carry title and
// summary.
package content

import (
	"bytes"
	"regexp"
	"strings"

	"github.com/folio-ssg/folio/internal/diag"
	"github.com/folio-ssg/folio/internal/strictyaml"
	"go.yaml.in/yaml/v3"
)

// Source is one Markdown file split into front matter and body.
type Source struct {
	Path     string
	Meta     *yaml.Node // nil when the file has no front matter
	Body     []byte
	BodyLine int // the 1-based line the body starts on
}

// Split separates front matter from body. It normalises CRLF line endings
// and drops a UTF-8 byte-order mark, keeping line numbers intact.
func Split(path string, data []byte, probs *diag.List) (Source, bool) {
	src := Source{Path: path, BodyLine: 1}
	if !checkSize(path, data, probs) {
		return src, false
	}
	data = bytes.TrimPrefix(data, []byte("\ufeff"))
	if bytes.Contains(data, []byte("\r")) {
		// CRLF (Windows) and lone CR (classic Mac) both end lines, for
		// YAML and CommonMark alike; as LF they count the same everywhere.
		data = bytes.ReplaceAll(bytes.ReplaceAll(data, []byte("\r\n"), []byte("\n")), []byte("\r"), []byte("\n"))
	}
	if !bytes.HasPrefix(data, []byte("---\n")) {
		src.Body = data
		return src, checkBody(path, src.Body, src.BodyLine, probs)
	}
	rest := data[4:]
	for off, line := 0, 2; off < len(rest); line++ {
		end := len(rest)
		if i := bytes.IndexByte(rest[off:], '\n'); i >= 0 {
			end = off + i
		}
		if string(bytes.TrimRight(rest[off:end], " \t")) == "---" {
			before := len(*probs)
			src.Meta = strictyaml.Parse(path, rest[:off], 2, probs)
			src.Body = rest[min(end+1, len(rest)):]
			src.BodyLine = line + 1
			bodyOK := checkBody(path, src.Body, src.BodyLine, probs)
			if src.Meta == nil {
				// Empty front matter is an empty mapping, so missing keys
				// are reported; broken front matter is reported once.
				src.Meta = &yaml.Node{Kind: yaml.MappingNode, Line: 1, Column: 1}
				return src, len(*probs) == before
			}
			return src, bodyOK
		}
		off = end + 1
	}
	probs.Add(path, 1, 1, "front matter opened here is never closed: end it with a line of three dashes (---)")
	return src, false
}

var slugRE = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)

// ValidSlug reports whether s is lowercase ASCII letters and digits joined
// by single hyphens.
func ValidSlug(s string) bool { return slugRE.MatchString(s) }

// Slugify turns free text into a slug: "Supply chains" -> "supply-chains",
// "Qualité" -> "qualite". It returns "" when nothing ASCII is left.
func Slugify(s string) string {
	var b strings.Builder
	hyphen := false
	for _, r := range fold(s) {
		switch {
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9':
			if hyphen && b.Len() > 0 {
				b.WriteByte('-')
			}
			hyphen = false
			b.WriteRune(r)
		case r >= 'A' && r <= 'Z':
			if hyphen && b.Len() > 0 {
				b.WriteByte('-')
			}
			hyphen = false
			b.WriteRune(r + 'a' - 'A')
		case r == '\'' || r == '’':
			// "Europe's" -> "europes", not "europe-s".
		default:
			hyphen = true
		}
	}
	return b.String()
}
