package site

import (
	"encoding/json"
	"fmt"
	"html/template"
	"strings"
	"time"
)

// Citation is how to cite a brief, a dataset or a figure: a plain
// reference and a BibTeX entry. The access date is the reader's, not the
// build's (builds are deterministic), so both leave it to the page:
// Accessed marks where it goes; the site's script fills it in, and
// without JavaScript the reader sees "[date]".
type Citation struct {
	Plain  string // ends with "Accessed " + AccessedPlaceholder + "."
	BibTeX string // urldate = {AccessedPlaceholder}
}

// AccessedPlaceholder stands for the reader's access date in citations.
const AccessedPlaceholder = "[date]"

// cite builds a citation, or takes it from the cache when one was built
// of the same. kind is "Report", "Dataset" or "Figure".
func (r *renderer) cite(key, kind string, authors []string, title string, date time.Time, url string) *Citation {
	build := func() *Citation { return r.buildCite(key, kind, authors, title, date, url) }
	c := r.site.opts.Cache
	if c == nil {
		return build()
	}
	cfg := r.site.Config
	k := newSum().str(key).str(kind).u64(uint64(len(authors)))
	for _, a := range authors {
		k.str(a)
	}
	zone, offset := date.Zone()
	k.str(title).bool(date.IsZero()).u64(uint64(date.UnixNano())).str(zone).u64(uint64(offset)).str(url)
	k.str(cfg.Publisher).str(cfg.Title)
	return memo(c, func(g *generation) map[uint64]*Citation { return g.cites }, k.sum(), build)
}

// buildCite is cite without a cache.
func (r *renderer) buildCite(key, kind string, authors []string, title string, date time.Time, url string) *Citation {
	cfg := r.site.Config
	publisher := cfg.Publisher
	if publisher == "" {
		publisher = cfg.Title
	}
	var p strings.Builder
	if len(authors) > 0 {
		p.WriteString(joinNames(authors) + ". ")
	} else {
		p.WriteString(publisher + ". ")
	}
	if !date.IsZero() {
		fmt.Fprintf(&p, "%d. ", date.Year())
	}
	fmt.Fprintf(&p, "“%s.” ", strings.TrimSuffix(title, "."))
	if kind != "Report" {
		p.WriteString(kind + ". ")
	}
	p.WriteString(publisher)
	if !date.IsZero() {
		p.WriteString(", " + date.Format("2 January 2006"))
	}
	fmt.Fprintf(&p, ". %s. Accessed %s.", url, AccessedPlaceholder)

	entry := map[string]string{"Report": "techreport", "Dataset": "misc", "Figure": "misc"}[kind]
	var b strings.Builder
	fmt.Fprintf(&b, "@%s{%s,\n", entry, bibKey(key))
	field := func(name, value string) {
		if value != "" {
			fmt.Fprintf(&b, "  %-11s = {%s},\n", name, value)
		}
	}
	if len(authors) > 0 {
		names := make([]string, len(authors))
		for i, a := range authors {
			names[i] = bibEscape(a)
		}
		field("author", strings.Join(names, " and "))
	} else {
		field("author", "{"+bibEscape(publisher)+"}")
	}
	field("title", "{"+bibEscape(title)+"}")
	if kind == "Report" {
		field("institution", bibEscape(publisher))
	} else {
		field("publisher", bibEscape(publisher))
		field("howpublished", kind)
	}
	if !date.IsZero() {
		field("year", date.Format("2006"))
	}
	field("url", url)
	field("urldate", AccessedPlaceholder)
	b.WriteString("}")
	return &Citation{Plain: p.String(), BibTeX: b.String()}
}

// joinNames joins names as "A", "A and B", "A, B and C".
func joinNames(names []string) string {
	switch len(names) {
	case 0:
		return ""
	case 1:
		return names[0]
	}
	return strings.Join(names[:len(names)-1], ", ") + " and " + names[len(names)-1]
}

// bibKey keeps a citation key to the characters BibTeX accepts.
func bibKey(s string) string {
	return strings.Map(func(r rune) rune {
		if r < 128 && (r == '-' || r == '_' || r == ':' || r >= '0' && r <= '9' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z') {
			return r
		}
		return '-'
	}, s)
}

// bibEscape escapes the characters special to BibTeX and LaTeX.
var bibEscape = strings.NewReplacer(
	`\`, `\textbackslash{}`, "{", `\{`, "}", `\}`, "&", `\&`, "%", `\%`, "$", `\$`,
	"#", `\#`, "_", `\_`, "~", `\textasciitilde{}`, "^", `\textasciicircum{}`,
).Replace

// jsonLD serialises a schema.org object for <script type="application/ld+json">.
// encoding/json escapes <, > and &, so no text can close the script.
func jsonLD(v map[string]any) template.JS {
	v["@context"] = "https://schema.org"
	data, err := json.Marshal(v)
	if err != nil {
		return ""
	}
	return template.JS(data)
}

func (r *renderer) abs(sitePath string) string {
	return r.site.Config.BaseURL.String() + strings.TrimPrefix(sitePath, "/")
}

func (r *renderer) publisherLD() organizationLD {
	cfg := r.site.Config
	name := cfg.Publisher
	if name == "" {
		name = cfg.Title
	}
	return organizationLD{Type: "Organization", Name: name, URL: cfg.BaseURL.String()}
}

// organizationLD is a schema.org Organization, its fields in the order
// encoding/json gives a map's keys.
type organizationLD struct {
	Type string `json:"@type"`
	Name string `json:"name"`
	URL  string `json:"url"`
}

// reportLD is a schema.org Report. Its fields are in the order of their
// JSON names, which is the order encoding/json gives a map's keys, as
// the other objects here are.
type reportLD struct {
	Context       string         `json:"@context"`
	Type          string         `json:"@type"`
	Author        []personLD     `json:"author,omitempty"`
	DateModified  string         `json:"dateModified"`
	DatePublished string         `json:"datePublished"`
	Description   string         `json:"description"`
	Genre         string         `json:"genre"`
	Headline      string         `json:"headline"`
	InLanguage    string         `json:"inLanguage"`
	Keywords      []string       `json:"keywords,omitempty"`
	License       string         `json:"license,omitempty"`
	Name          string         `json:"name"`
	Publisher     organizationLD `json:"publisher"`
	URL           string         `json:"url"`
}

type personLD struct {
	Type string `json:"@type"`
	Name string `json:"name"`
	URL  string `json:"url"`
}

// briefLD is a brief as a schema.org Report.
func (r *renderer) briefLD(b *BriefView) template.JS {
	ld := reportLD{
		Context: "https://schema.org", Type: "Report", Headline: b.Title, Name: b.Title, Description: b.Summary,
		URL: r.abs("/briefs/" + b.Slug + "/"), DatePublished: b.Date.Format(time.DateOnly),
		DateModified: b.Modified().Format(time.DateOnly), Publisher: r.publisherLD(),
		InLanguage: r.site.Config.Language, Genre: b.Type, License: r.site.Config.License,
	}
	for _, a := range b.Authors {
		ld.Author = append(ld.Author, personLD{Type: "Person", Name: a.Name, URL: r.abs(strings.TrimPrefix(a.URL, r.site.Config.BasePath()))})
	}
	for _, t := range b.Tags {
		ld.Keywords = append(ld.Keywords, t.Name)
	}
	return template.JS(r.encode("ld", ld, func() []byte {
		data, err := json.Marshal(ld)
		if err != nil {
			return nil
		}
		return data
	}))
}

// datasetLD is a dataset as a schema.org Dataset with its downloads.
func (r *renderer) datasetLD(d *DatasetView) template.JS {
	ld := map[string]any{
		"@type": "Dataset", "name": d.Title, "url": r.abs("/data/" + d.Name + "/"),
		"publisher": r.publisherLD(), "isAccessibleForFree": true,
		"distribution": []any{
			map[string]any{"@type": "DataDownload", "encodingFormat": "text/csv", "contentUrl": r.abs("/data/" + d.Name + ".csv")},
			map[string]any{"@type": "DataDownload", "encodingFormat": "application/json", "contentUrl": r.abs("/data/" + d.Name + ".json")},
		},
	}
	desc := d.Description
	if desc == "" {
		desc = d.Title
	}
	ld["description"] = desc
	if d.SourceName != "" {
		src := map[string]any{"@type": "Organization", "name": d.SourceName}
		if d.SourceURL != "" {
			src["url"] = d.SourceURL
		}
		ld["isBasedOn"] = src
		ld["creator"] = src
	}
	if d.License != "" {
		ld["license"] = d.License
	}
	if !d.Retrieved.IsZero() {
		ld["dateModified"] = d.Retrieved.Format(time.DateOnly)
	}
	return jsonLD(ld)
}
