package content

import (
	"strings"
	"time"

	"github.com/folio-ssg/folio/internal/diag"
	"github.com/folio-ssg/folio/internal/strictyaml"
	"go.yaml.in/yaml/v3"
)

// Pos is a place in a source file.
type Pos struct{ Line, Col int }

// Ref is a name written in front matter, with its place, so a later
// cross-file check (an author without a profile) can point at it.
type Ref struct {
	Name string
	Pos
}

// Correction is one entry of a brief's corrections box.
type Correction struct {
	Date time.Time
	Text string
}

// Brief is a briefing: content/briefs/<slug>.md.
type Brief struct {
	Source
	Slug                     string
	Title, Subtitle, Summary string
	Type                     string
	Date, Updated            time.Time // Updated is zero when absent
	PublishDate              time.Time // zero when absent
	Authors                  []Ref
	Tags                     []Ref
	KeyPoints                []string
	Corrections              []Correction
	Draft                    bool
}

// Author is an author profile: content/authors/<slug>.md.
type Author struct {
	Source
	Slug                    string
	Name, Role, Affiliation string
}

// Page is another page, content/<slug>.md, or the home page's
// introduction, content/index.md (Slug "").
type Page struct {
	Source
	Slug           string
	Title, Summary string
	Draft          bool
}

// text returns a Set function storing trimmed text.
func text(d strictyaml.Decoder, dst *string, name string) func(*yaml.Node) {
	return func(n *yaml.Node) {
		if s, ok := d.Text(n, name); ok {
			*dst = strings.TrimSpace(s)
		}
	}
}

func date(d strictyaml.Decoder, dst *time.Time, pos *Pos, name string) func(*yaml.Node) {
	return func(n *yaml.Node) {
		if t, ok := d.Date(n, name); ok {
			*dst = t
			if pos != nil {
				*pos = Pos{n.Line, n.Column}
			}
		}
	}
}

func boolean(d strictyaml.Decoder, dst *bool, name string) func(*yaml.Node) {
	return func(n *yaml.Node) { *dst, _ = d.Bool(n, name) }
}

func refs(d strictyaml.Decoder, dst *[]Ref, name string) func(*yaml.Node) {
	return func(n *yaml.Node) {
		if !d.Is(n, yaml.SequenceNode, name, "a list such as [a, b]") {
			return
		}
		for _, item := range n.Content {
			if s, ok := d.Text(item, name+" entry"); ok {
				*dst = append(*dst, Ref{strings.TrimSpace(s), Pos{item.Line, item.Column}})
			}
		}
	}
}

// ParseBrief decodes a brief's front matter.
func ParseBrief(src Source, slug string, probs *diag.List) *Brief {
	d := strictyaml.Decoder{Path: src.Path, Probs: probs}
	b := &Brief{Source: src, Slug: slug, Type: "Brief"}
	var updatedAt Pos
	meta := src.Meta
	if meta == nil {
		probs.Add(src.Path, 1, 1, "a brief needs front matter between --- lines with at least title, summary and date")
		return nil
	}
	before := len(*probs)
	d.Mapping(meta, "front matter", []strictyaml.Field{
		{Name: "title", Required: true, Set: text(d, &b.Title, "title")},
		{Name: "subtitle", Set: text(d, &b.Subtitle, "subtitle")},
		{Name: "summary", Required: true, Set: text(d, &b.Summary, "summary")},
		{Name: "date", Required: true, Set: date(d, &b.Date, nil, "date")},
		{Name: "updated", Set: date(d, &b.Updated, &updatedAt, "updated")},
		{Name: "type", Set: text(d, &b.Type, "type")},
		{Name: "authors", Set: refs(d, &b.Authors, "authors")},
		{Name: "tags", Set: refs(d, &b.Tags, "tags")},
		{Name: "key_points", Set: func(n *yaml.Node) { b.KeyPoints, _ = d.TextList(n, "key_points") }},
		{Name: "corrections", Set: func(n *yaml.Node) { b.Corrections = corrections(d, n) }},
		{Name: "draft", Set: boolean(d, &b.Draft, "draft")},
		{Name: "publish_date", Set: date(d, &b.PublishDate, nil, "publish_date")},
	})
	if !b.Updated.IsZero() && !b.Date.IsZero() && b.Updated.Before(b.Date) {
		probs.Add(src.Path, updatedAt.Line, updatedAt.Col, "updated %s is before date %s", b.Updated.Format(time.DateOnly), b.Date.Format(time.DateOnly))
	}
	if b.Type == "" {
		b.Type = "Brief"
	}
	for i, t := range b.Tags {
		if Slugify(t.Name) == "" {
			probs.Add(src.Path, t.Line, t.Col, "tag %q has no ASCII letters or digits to make its page address from", t.Name)
			b.Tags[i].Name = ""
		}
	}
	if len(*probs) > before {
		return nil
	}
	return b
}

func corrections(d strictyaml.Decoder, n *yaml.Node) []Correction {
	if !d.Is(n, yaml.SequenceNode, "corrections", "a list of {date, text} entries") {
		return nil
	}
	var out []Correction
	for _, e := range n.Content {
		var c Correction
		d.Mapping(e, "correction", []strictyaml.Field{
			{Name: "date", Required: true, Set: date(d, &c.Date, nil, "correction date")},
			{Name: "text", Required: true, Set: text(d, &c.Text, "correction text")},
		})
		out = append(out, c)
	}
	return out
}

// ParseAuthor decodes an author profile's front matter.
func ParseAuthor(src Source, slug string, probs *diag.List) *Author {
	if src.Meta == nil {
		probs.Add(src.Path, 1, 1, "an author profile needs front matter between --- lines with at least name")
		return nil
	}
	d := strictyaml.Decoder{Path: src.Path, Probs: probs}
	a := &Author{Source: src, Slug: slug}
	before := len(*probs)
	d.Mapping(src.Meta, "front matter", []strictyaml.Field{
		{Name: "name", Required: true, Set: text(d, &a.Name, "name")},
		{Name: "role", Set: text(d, &a.Role, "role")},
		{Name: "affiliation", Set: text(d, &a.Affiliation, "affiliation")},
	})
	if len(*probs) > before {
		return nil
	}
	return a
}

// ParsePage decodes another page's front matter. The home introduction
// (slug "") may have none.
func ParsePage(src Source, slug string, probs *diag.List) *Page {
	p := &Page{Source: src, Slug: slug}
	if src.Meta == nil {
		if slug != "" {
			probs.Add(src.Path, 1, 1, "a page needs front matter between --- lines with at least title")
			return nil
		}
		return p
	}
	d := strictyaml.Decoder{Path: src.Path, Probs: probs}
	before := len(*probs)
	d.Mapping(src.Meta, "front matter", []strictyaml.Field{
		{Name: "title", Required: slug != "", Set: text(d, &p.Title, "title")},
		{Name: "summary", Set: text(d, &p.Summary, "summary")},
		{Name: "draft", Set: boolean(d, &p.Draft, "draft")},
	})
	if len(*probs) > before {
		return nil
	}
	return p
}
