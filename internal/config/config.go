// Package config reads folio.yaml, the site's settings.
//
//	title: Export Control Observatory      # required
//	description: Briefings and data ...    # required
//	base_url: https://example.org/observatory/   # required; -base-url overrides
//	language: en                           # BCP 47, default en
//	publisher: Example Institute           # for citations and metadata
//	license: CC BY 4.0                     # licence of the writing, in the footer
//	allow_html: false                      # raw HTML in Markdown; default false
//	menu:                                  # the site's navigation, in order
//	  - {title: Briefs, url: /briefs/}
//
// base_url must be an absolute http or https URL; a path such as
// /observatory/ is kept, and every link folio writes stays inside it.
// Menu URLs are root-relative paths inside the site ("/briefs/") or
// absolute http(s) URLs.
package config

import (
	"fmt"
	"math"
	"net/url"
	"regexp"
	"strings"

	"github.com/folio-ssg/folio/internal/diag"
	"github.com/folio-ssg/folio/internal/strictyaml"
	"go.yaml.in/yaml/v3"
)

// Path is where the settings live, relative to the source folder.
const Path = "folio.yaml"

// Config is the site's settings.
type Config struct {
	Title, Description string
	BaseURL            *url.URL // absolute; its Path always ends in "/"
	Language           string
	Publisher, License string
	AllowHTML          bool
	Menu               []MenuItem
}

// MenuItem is one entry of the site navigation.
type MenuItem struct {
	Title, URL string
	Line, Col  int
}

// BasePath is the path the site is served from: "/" or "/observatory/".
func (c *Config) BasePath() string { return c.BaseURL.Path }

var langRE = regexp.MustCompile(`^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$`)

// MaxSize bounds folio.yaml: settings take a few hundred bytes, and a
// stray huge file should fail at once rather than be parsed for seconds.
const MaxSize = 1 << 20

// Parse reads folio.yaml. It returns nil when the file cannot be used.
func Parse(data []byte, probs *diag.List) *Config {
	if len(data) > MaxSize {
		probs.Add(Path, 0, 0, "file is %.1f MiB; the limit for folio.yaml is %d MiB", math.Ceil(float64(len(data))*10/(1<<20))/10, MaxSize>>20)
		return nil
	}
	before := len(*probs)
	root := strictyaml.Parse(Path, data, 1, probs)
	if root == nil {
		if len(*probs) == before {
			probs.Add(Path, 1, 0, "empty settings: folio.yaml needs title, description and base_url")
		}
		return nil
	}
	d := strictyaml.Decoder{Path: Path, Probs: probs}
	c := &Config{Language: "en"}
	text := func(dst *string, name string) func(*yaml.Node) {
		return func(n *yaml.Node) {
			if s, ok := d.Text(n, name); ok {
				*dst = strings.TrimSpace(s)
			}
		}
	}
	d.Mapping(root, "folio.yaml", []strictyaml.Field{
		{Name: "title", Required: true, Set: text(&c.Title, "title")},
		{Name: "description", Required: true, Set: text(&c.Description, "description")},
		{Name: "base_url", Required: true, Set: func(n *yaml.Node) {
			if s, ok := d.Text(n, "base_url"); ok {
				u, err := ParseBaseURL(s)
				if err != nil {
					d.Errorf(n, "%v", err)
					return
				}
				c.BaseURL = u
			}
		}},
		{Name: "language", Set: func(n *yaml.Node) {
			if s, ok := d.Text(n, "language"); ok {
				if !langRE.MatchString(s) {
					d.Errorf(n, "language %q is not a BCP 47 tag such as en or fr-CA", s)
					return
				}
				c.Language = s
			}
		}},
		{Name: "publisher", Set: text(&c.Publisher, "publisher")},
		{Name: "license", Set: text(&c.License, "license")},
		{Name: "allow_html", Set: func(n *yaml.Node) { c.AllowHTML, _ = d.Bool(n, "allow_html") }},
		{Name: "menu", Set: func(n *yaml.Node) { c.Menu = parseMenu(d, n) }},
	})
	if len(*probs) > before || c.BaseURL == nil {
		return nil
	}
	return c
}

func parseMenu(d strictyaml.Decoder, n *yaml.Node) []MenuItem {
	if !d.Is(n, yaml.SequenceNode, "menu", "a list of {title, url} entries") {
		return nil
	}
	var items []MenuItem
	for _, e := range n.Content {
		it := MenuItem{Line: e.Line, Col: e.Column}
		ok := d.Mapping(e, "menu entry", []strictyaml.Field{
			{Name: "title", Required: true, Set: func(v *yaml.Node) { it.Title, _ = d.Text(v, "menu title") }},
			{Name: "url", Required: true, Set: func(v *yaml.Node) {
				s, ok := d.Text(v, "menu url")
				if !ok {
					return
				}
				if !strings.HasPrefix(s, "/") || strings.HasPrefix(s, "//") {
					if u, err := url.Parse(s); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
						d.Errorf(v, "menu url %q must be a path inside the site such as /briefs/, or an http(s) URL", s)
						return
					}
				}
				it.URL = s
			}},
		})
		if ok && it.Title != "" && it.URL != "" {
			items = append(items, it)
		}
	}
	return items
}

// ParseBaseURL checks a base URL and normalises its path to end in "/".
func ParseBaseURL(s string) (*url.URL, error) {
	u, err := url.Parse(strings.TrimSpace(s))
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("base_url %q must be an absolute http or https URL such as https://example.org/", s)
	}
	if u.RawQuery != "" || u.Fragment != "" || u.User != nil {
		return nil, fmt.Errorf("base_url %q must not have a query, fragment or user", s)
	}
	if !strings.HasSuffix(u.Path, "/") {
		u.Path += "/"
	}
	u.RawPath = ""
	return u, nil
}
