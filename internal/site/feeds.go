package site

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"slices"
	"strings"
	"time"
)

// The feeds (atom, jsonFeed), the sitemap and robots.txt: every date in
// them comes from the sources, so they are as deterministic as the pages.

// writeSitemap adds the sitemap, which lists the pages rendered, and
// robots.txt to the output.
func (r *renderer) writeSitemap() {
	r.out["sitemap.xml"] = r.sitemap()
	r.out["robots.txt"] = []byte("User-agent: *\nAllow: /\n\nSitemap: " + r.abs("/sitemap.xml") + "\n")
}

// published lists the briefs that feeds carry: never drafts or embargoed
// briefs, even in a -drafts build.
func (r *renderer) feedBriefs() []*BriefView {
	var out []*BriefView
	for _, b := range r.briefs {
		if v := r.briefView[b.Slug]; !v.Draft {
			out = append(out, v)
		}
	}
	return out
}

type atomFeed struct {
	XMLName  xml.Name    `xml:"http://www.w3.org/2005/Atom feed"`
	Lang     string      `xml:"xml:lang,attr,omitempty"`
	Title    string      `xml:"title"`
	Subtitle string      `xml:"subtitle,omitempty"`
	ID       string      `xml:"id"`
	Updated  string      `xml:"updated"`
	Links    []atomLink  `xml:"link"`
	Author   *atomPerson `xml:"author,omitempty"`
	Rights   string      `xml:"rights,omitempty"`
	Entries  []atomEntry `xml:"entry"`
}

type atomLink struct {
	Rel    string `xml:"rel,attr,omitempty"`
	Type   string `xml:"type,attr,omitempty"`
	Title  string `xml:"title,attr,omitempty"`
	Length int    `xml:"length,attr,omitempty"`
	Href   string `xml:"href,attr"`
}

type atomPerson struct {
	Name string `xml:"name"`
	URI  string `xml:"uri,omitempty"`
}

type atomEntry struct {
	Title      string         `xml:"title"`
	ID         string         `xml:"id"`
	Links      []atomLink     `xml:"link"`
	Published  string         `xml:"published"`
	Updated    string         `xml:"updated"`
	Authors    []atomPerson   `xml:"author"`
	Categories []atomCategory `xml:"category"`
	Summary    string         `xml:"summary"`
}

type atomCategory struct {
	Term  string `xml:"term,attr"`
	Label string `xml:"label,attr,omitempty"`
}

// rfc3339 gives a date as midnight UTC, the form Atom requires.
func rfc3339(t time.Time) string { return t.UTC().Format(time.RFC3339) }

func (r *renderer) atom() []byte {
	cfg := r.site.Config
	briefs := r.feedBriefs()
	f := atomFeed{
		Lang: cfg.Language, Title: cfg.Title, Subtitle: cfg.Description, ID: cfg.BaseURL.String(),
		Links: []atomLink{
			{Rel: "self", Type: "application/atom+xml", Href: r.abs("/feed.xml")},
			{Rel: "alternate", Type: "text/html", Href: cfg.BaseURL.String()},
		},
		Rights: cfg.License,
	}
	if cfg.Publisher != "" {
		f.Author = &atomPerson{Name: cfg.Publisher, URI: cfg.BaseURL.String()}
	}
	var newest time.Time
	for _, b := range briefs {
		url := r.abs("/briefs/" + b.Slug + "/")
		e := atomEntry{
			Title: b.Title, ID: url, Links: []atomLink{{Rel: "alternate", Type: "text/html", Href: url}},
			Published: rfc3339(b.Date), Updated: rfc3339(b.Modified()), Summary: b.Summary,
		}
		for _, a := range b.Authors {
			e.Authors = append(e.Authors, atomPerson{Name: a.Name, URI: r.abs("/authors/" + a.Slug + "/")})
		}
		if len(e.Authors) == 0 && cfg.Publisher != "" {
			e.Authors = []atomPerson{{Name: cfg.Publisher}}
		}
		for _, t := range b.Tags {
			e.Categories = append(e.Categories, atomCategory{Term: t.Slug, Label: t.Name})
		}
		if f := r.feedImage(b); f != nil {
			e.Links = append(e.Links, atomLink{Rel: "enclosure", Type: "image/png", Title: fmt.Sprintf("Figure %d. %s", f.Number, f.Title),
				Length: f.PNG.Size, Href: f.PNG.Abs})
		}
		if b.Modified().After(newest) {
			newest = b.Modified()
		}
		f.Entries = append(f.Entries, e)
	}
	f.Updated = rfc3339(newest)
	rest := f
	rest.Entries = nil
	return encodeParts(r, "atom", rest, f.Entries, encodeAtomEntry,
		func(entries [][]byte) []byte { return spliceAtom(rest, entries) }, func() []byte { return encodeXML(f) })
}

// encodeAtomEntry encodes e as encodeXML writes it inside its feed.
func encodeAtomEntry(e atomEntry) []byte {
	var buf bytes.Buffer
	buf.WriteByte('\n')
	enc := xml.NewEncoder(&buf)
	enc.Indent("  ", "  ") // one level down; the first line's newline is above
	if err := enc.EncodeElement(e, xml.StartElement{Name: xml.Name{Local: "entry"}}); err != nil {
		panic(err) // the structs of this file always encode
	}
	return buf.Bytes()
}

// spliceAtom is encodeXML of f with entries, as encodeAtomEntry encodes
// them, for its Entries: they are the feed's last elements.
func spliceAtom(f atomFeed, entries [][]byte) []byte {
	f.Entries = nil
	head := encodeXML(f)
	end := bytes.LastIndex(head, []byte("\n</feed>"))
	n := len(head)
	for _, e := range entries {
		n += len(e)
	}
	out := make([]byte, 0, n)
	out = append(out, head[:end]...)
	for _, e := range entries {
		out = append(out, e...)
	}
	return append(out, head[end:]...)
}

// encodeXML encodes v as an indented XML document.
func encodeXML(v any) []byte {
	var buf bytes.Buffer
	buf.WriteString(xml.Header)
	enc := xml.NewEncoder(&buf)
	enc.Indent("", "  ")
	if err := enc.Encode(v); err != nil {
		panic(err) // the structs of this file always encode
	}
	buf.WriteByte('\n')
	return buf.Bytes()
}

type jsonFeedDoc struct {
	Version     string         `json:"version"`
	Title       string         `json:"title"`
	HomePageURL string         `json:"home_page_url"`
	FeedURL     string         `json:"feed_url"`
	Description string         `json:"description,omitempty"`
	Language    string         `json:"language,omitempty"`
	Authors     []jsonAuthor   `json:"authors,omitempty"`
	Items       []jsonFeedItem `json:"items"`
}

type jsonAuthor struct {
	Name string `json:"name"`
	URL  string `json:"url,omitempty"`
}

type jsonFeedItem struct {
	ID            string       `json:"id"`
	URL           string       `json:"url"`
	Title         string       `json:"title"`
	Summary       string       `json:"summary"`
	ContentText   string       `json:"content_text"`
	DatePublished string       `json:"date_published"`
	DateModified  string       `json:"date_modified"`
	Image         string       `json:"image,omitempty"`
	Authors       []jsonAuthor `json:"authors,omitempty"`
	Tags          []string     `json:"tags,omitempty"`
}

func (r *renderer) jsonFeed() []byte {
	cfg := r.site.Config
	f := jsonFeedDoc{
		Version: "https://jsonfeed.org/version/1.1", Title: cfg.Title, HomePageURL: cfg.BaseURL.String(),
		FeedURL: r.abs("/feed.json"), Description: cfg.Description, Language: cfg.Language, Items: []jsonFeedItem{},
	}
	if cfg.Publisher != "" {
		f.Authors = []jsonAuthor{{Name: cfg.Publisher, URL: cfg.BaseURL.String()}}
	}
	for _, b := range r.feedBriefs() {
		url := r.abs("/briefs/" + b.Slug + "/")
		it := jsonFeedItem{ID: url, URL: url, Title: b.Title, Summary: b.Summary, ContentText: b.Summary,
			DatePublished: rfc3339(b.Date), DateModified: rfc3339(b.Modified())}
		for _, a := range b.Authors {
			it.Authors = append(it.Authors, jsonAuthor{Name: a.Name, URL: r.abs("/authors/" + a.Slug + "/")})
		}
		for _, t := range b.Tags {
			it.Tags = append(it.Tags, t.Name)
		}
		if f := r.feedImage(b); f != nil {
			it.Image = f.PNG.Abs
		}
		f.Items = append(f.Items, it)
	}
	rest := f
	rest.Items = []jsonFeedItem{}
	return encodeParts(r, "jsonfeed", rest, f.Items, func(it jsonFeedItem) []byte { return mustIndent(it, "    ") },
		func(items [][]byte) []byte { return spliceJSONFeed(rest, items) }, func() []byte { return encodeJSONFeed(f) })
}

// encodeJSONFeed encodes the JSON feed f, indented.
func encodeJSONFeed(f jsonFeedDoc) []byte { return append(mustIndent(f, ""), '\n') }

func mustIndent(v any, prefix string) []byte {
	data, err := json.MarshalIndent(v, prefix, "  ")
	if err != nil {
		panic(err) // the structs of this file always encode
	}
	return data
}

// spliceJSONFeed is encodeJSONFeed of f with items, each encoded by
// mustIndent(item, "    "), for its Items: they are the feed's last
// member.
func spliceJSONFeed(f jsonFeedDoc, items [][]byte) []byte {
	f.Items = []jsonFeedItem{}
	head := encodeJSONFeed(f)
	end := bytes.LastIndex(head, []byte("[]\n}"))
	if len(items) == 0 {
		return head
	}
	var out bytes.Buffer
	out.Write(head[:end])
	out.WriteByte('[')
	for i, it := range items {
		if i > 0 {
			out.WriteByte(',')
		}
		out.WriteString("\n    ")
		out.Write(it)
	}
	out.WriteString("\n  ]\n}\n")
	return out.Bytes()
}

type urlSet struct {
	XMLName xml.Name  `xml:"http://www.sitemaps.org/schemas/sitemap/0.9 urlset"`
	URLs    []siteURL `xml:"url"`
}

type siteURL struct {
	Loc     string `xml:"loc"`
	LastMod string `xml:"lastmod,omitempty"`
}

// sitemap lists every public HTML page, with lastmod where the sources
// date it: a brief's last change, and for the pages listing briefs, the
// last change among them.
func (r *renderer) sitemap() []byte {
	lastmod := map[string]time.Time{}
	var newest time.Time
	for _, b := range r.feedBriefs() {
		m := b.Modified()
		lastmod["briefs/"+b.Slug+"/index.html"] = m
		if m.After(newest) {
			newest = m
		}
		for _, t := range b.Tags {
			if k := "tags/" + t.Slug + "/index.html"; m.After(lastmod[k]) {
				lastmod[k] = m
			}
		}
		for _, a := range b.Authors {
			if k := "authors/" + a.Slug + "/index.html"; m.After(lastmod[k]) {
				lastmod[k] = m
			}
		}
	}
	for _, k := range []string{"index.html", "briefs/index.html", "tags/index.html"} {
		lastmod[k] = newest
	}
	var set urlSet
	for _, p := range slices.Sorted(r.keys) {
		if !strings.HasSuffix(p, "index.html") || r.draftPage[p] {
			continue
		}
		u := siteURL{Loc: r.abs("/" + strings.TrimSuffix(p, "index.html"))}
		if t := lastmod[p]; !t.IsZero() {
			u.LastMod = t.Format(time.DateOnly)
		}
		set.URLs = append(set.URLs, u)
	}
	return r.encode("sitemap", set, func() []byte { return encodeXML(set) })
}
