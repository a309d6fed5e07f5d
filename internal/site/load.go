// Package site is folio's pipeline: Load reads a source tree into typed
// values and checks each file, Render turns the loaded site into an
// Output (sorted output path -> bytes) after the cross-file checks, and
// Write publishes an Output atomically. build, check and serve are all
// this one pipeline; only what they do with the Output differs.
//
// Sources are read through an fs.FS, so tests use fstest.MapFS and txtar
// archives; only Write touches the real disk.
package site

import (
	"errors"
	"html/template"
	"io/fs"
	"path"
	"slices"
	"strings"
	"time"

	"github.com/folio-ssg/folio/internal/config"
	"github.com/folio-ssg/folio/internal/content"
	"github.com/folio-ssg/folio/internal/dataset"
	"github.com/folio-ssg/folio/internal/diag"
)

// Options change what a build produces. The zero value builds the
// published site as folio.yaml describes it.
type Options struct {
	Drafts  bool      // include drafts and embargoed briefs
	BaseURL string    // overrides folio.yaml's base_url when set
	Today   time.Time // the day embargoes are judged against; zero: the current day
	Strict  bool      // Build publishes nothing when there are warnings

	// Precompress makes Build also write a .gz and a .br beside each text
	// file that compresses, for servers that send them as they are.
	Precompress bool

	// PDF makes Build print every brief to briefs/<slug>/<slug>.pdf, and
	// Images makes it draw every chart to charts/<id>/<id>.svg and .png,
	// in headless Chromium; the pages then link them (editions.go).
	// Chromium is the browser's path; "" finds one (edition.FindChromium).
	PDF, Images bool
	Chromium    string

	// Progress, when set, is told the stage the build enters, for a
	// progress line on a terminal. It may be called from any goroutine.
	Progress func(stage string)

	// Cache, when set, keeps work from one build for the next (see
	// Cache): Load takes it and Render gives it back, so a Load with a
	// Cache and no errors must be followed by Render.
	Cache *Cache
}

// Site is a loaded source tree.
type Site struct {
	Config   *config.Config
	Briefs   []*content.Brief // sorted by slug
	Authors  []*content.Author
	Pages    []*content.Page // other pages, sorted by slug
	Home     *content.Page   // content/index.md; nil when absent
	Datasets []*dataset.Dataset
	Assets   []Asset // templates/assets, sorted by path

	templates *template.Template            // base and partials, cloned per kind
	kinds     map[string]string             // page kind -> its template file's text
	tmplSum   *sum                          // hash of the template files read
	sets      map[string]*template.Template // page kind -> its parsed set, when it parses
	opts      Options
}

// Asset is one file of templates/assets, published under a content-hashed
// name so hosts can cache it forever.
type Asset struct {
	Name   string // path below templates/assets, e.g. "site.css"
	Hashed string // e.g. "site.3f2a9c1b.css"
	Data   []byte
}

// Load reads and checks every source file of the site in fsys. The site is
// nil when folio.yaml is unusable; otherwise it holds every file that could
// be read, and the problems say what was wrong with the rest.
func Load(fsys fs.FS, opts Options) (loaded *Site, probs diag.List) {
	s := &Site{opts: opts}
	if c := opts.Cache; c != nil {
		c.begin()
		defer func() {
			if loaded == nil || probs.Errors() > 0 {
				c.end(false)
			}
		}()
	}
	s.stage("reading sources")
	data, err := readFile(fsys, config.Path)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			probs.Add(config.Path, 0, 0, "not found: is -src the folder of a folio site?")
		} else {
			addReadError(&probs, config.Path, err)
		}
		return nil, probs
	}
	s.Config = config.Parse(data, &probs)
	if opts.BaseURL != "" && s.Config != nil {
		u, err := config.ParseBaseURL(opts.BaseURL)
		if err != nil {
			probs.Add("-base-url", 0, 0, "%v", err)
		} else {
			s.Config.BaseURL = u
		}
	}
	s.loadContent(fsys, &probs)
	s.loadData(fsys, &probs)
	s.loadTemplates(fsys, &probs)
	if s.Config == nil {
		return nil, probs
	}
	return s, probs
}

// readDir lists the regular files of dir with extension ext, skipping
// dot-files, sorted. Other entries are reported as ignored, so a typo such
// as brief.mdx does not vanish silently. subdirs are folders read on
// their own, and checked then.
func readDir(fsys fs.FS, dir, ext string, subdirs []string, probs *diag.List) []string {
	if err := checkPath(fsys, dir, true); err != nil {
		if !errors.Is(err, fs.ErrNotExist) {
			addReadError(probs, dir, err)
		}
		return nil
	}
	entries, err := fs.ReadDir(fsys, dir)
	if err != nil {
		if !errors.Is(err, fs.ErrNotExist) {
			probs.Add(dir, 0, 0, "%v", err)
		}
		return nil
	}
	var names []string
	for _, e := range entries {
		name := e.Name()
		p := path.Join(dir, name)
		switch {
		case strings.HasPrefix(name, "."):
		case slices.Contains(subdirs, name):
		case e.IsDir():
			probs.Warn(p, 0, "folder ignored: folio reads only %s", strings.Join(append([]string{dir + "/*" + ext}, prefixed(dir, subdirs)...), ", "))
		case !e.Type().IsRegular():
			probs.Add(p, 0, 0, "not a regular file (symlinks and devices are not followed)")
		case path.Ext(name) != ext:
			probs.Warn(p, 0, "file ignored: only %s files are read here", ext)
		default:
			names = append(names, name)
		}
	}
	return names
}

func prefixed(dir string, subs []string) []string {
	out := make([]string, len(subs))
	for i, s := range subs {
		out[i] = dir + "/" + s + "/"
	}
	return out
}

// slugOf checks that a file name is a slug and returns it without its
// extension. Dataset names may also hold underscores.
func slugOf(p string, allowUnderscore bool, probs *diag.List) (string, bool) {
	base := path.Base(p)
	name := strings.TrimSuffix(base, path.Ext(base))
	check := name
	if allowUnderscore {
		check = strings.ReplaceAll(name, "_", "-")
	}
	if content.ValidSlug(check) {
		return name, true
	}
	fixed := content.Slugify(name)
	if allowUnderscore {
		fixed = strings.ReplaceAll(content.Slugify(strings.ReplaceAll(name, "_", " __ ")), "-__-", "_")
	}
	if fixed == "" {
		fixed = "my-file"
	}
	probs.Add(p, 0, 0, "file name %q is not a valid slug: use lowercase ASCII letters, digits and hyphens%s, e.g. %s%s",
		base, map[bool]string{true: " (or underscores)"}[allowUnderscore], fixed, path.Ext(base))
	return "", false
}

func (s *Site) loadContent(fsys fs.FS, probs *diag.List) {
	if err := checkPath(fsys, "content", true); err != nil {
		// A missing content/ is a site without pages, which is allowed.
		if !errors.Is(err, fs.ErrNotExist) {
			addReadError(probs, "content", err)
		}
		return
	}
	page := func(p, slug string) *content.Page {
		data, err := fs.ReadFile(fsys, p)
		if err != nil {
			probs.Add(p, 0, 0, "%v", err)
			return nil
		}
		return parseFile(s.opts.Cache, p, data, probs, func(probs *diag.List) *content.Page {
			if src, ok := content.Split(p, data, probs); ok {
				return content.ParsePage(src, slug, probs)
			}
			return nil
		})
	}
	for _, name := range readDir(fsys, "content", ".md", []string{"briefs", "authors"}, probs) {
		p := "content/" + name
		if name == "index.md" {
			s.Home = page(p, "")
			continue
		}
		slug, ok := slugOf(p, false, probs)
		if !ok {
			continue
		}
		if reserved[slug] {
			probs.Add(p, 0, 0, "a page cannot be called %q: /%s/ is one of the site's own sections; rename the file", slug, slug)
			continue
		}
		if pg := page(p, slug); pg != nil {
			s.Pages = append(s.Pages, pg)
		}
	}
	s.Briefs = loadEach(s.opts.Cache, fsys, "content/briefs", ".md", probs, func(src content.Source, slug string, probs *diag.List) *content.Brief {
		return content.ParseBrief(src, slug, probs)
	})
	s.Authors = loadEach(s.opts.Cache, fsys, "content/authors", ".md", probs, func(src content.Source, slug string, probs *diag.List) *content.Author {
		return content.ParseAuthor(src, slug, probs)
	})
}

// loadEach reads and parses every Markdown file of dir on all cores,
// keeping file order and the order of problems deterministic.
func loadEach[T any](c *Cache, fsys fs.FS, dir, ext string, probs *diag.List, parse func(content.Source, string, *diag.List) *T) []*T {
	names := readDir(fsys, dir, ext, nil, probs)
	items := make([]*T, len(names))
	found := make([]diag.List, len(names))
	parallel(len(names), func(i int) {
		p := dir + "/" + names[i]
		slug, ok := slugOf(p, false, &found[i])
		if !ok {
			return
		}
		data, err := fs.ReadFile(fsys, p)
		if err != nil {
			found[i].Add(p, 0, 0, "%v", err)
			return
		}
		items[i] = parseFile(c, p, data, &found[i], func(probs *diag.List) *T {
			if src, ok := content.Split(p, data, probs); ok {
				return parse(src, slug, probs)
			}
			return nil
		})
	})
	var out []*T
	for i, it := range items {
		*probs = append(*probs, found[i]...)
		if it != nil {
			out = append(out, it)
		}
	}
	return out
}

// reserved are the top-level paths the site itself uses.
var reserved = map[string]bool{
	"briefs": true, "authors": true, "tags": true, "data": true, "charts": true,
	"assets": true, "search": true, "index": true, "404": true,
}

func (s *Site) loadData(fsys fs.FS, probs *diag.List) {
	for _, name := range readDir(fsys, "data", ".yaml", nil, probs) {
		p := "data/" + name
		if _, ok := slugOf(p, true, probs); !ok {
			continue
		}
		data, err := fs.ReadFile(fsys, p)
		if err != nil {
			probs.Add(p, 0, 0, "%v", err)
			continue
		}
		if d := parseFile(s.opts.Cache, p, data, probs, func(probs *diag.List) *dataset.Dataset {
			return dataset.Parse(p, data, probs)
		}); d != nil {
			s.Datasets = append(s.Datasets, d)
		}
	}
}

// stage reports progress, if anyone listens.
func (s *Site) stage(name string) {
	if s.opts.Progress != nil {
		s.opts.Progress(name)
	}
}
