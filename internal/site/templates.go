package site

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"html/template"
	"io/fs"
	"path"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/folio-ssg/folio/internal/diag"
)

// kinds are the page kinds; each has its template file templates/<kind>.html
// defining "main". base.html defines "base", the document around it;
// partials.html (optional) holds blocks shared by several kinds, and
// figure.html (needed once a page has a chart) defines "figure".
var kinds = []string{"home", "briefs", "brief", "author", "tags", "tag", "page", "datasets", "dataset", "chart", "search", "404"}

func (s *Site) loadTemplates(fsys fs.FS, probs *diag.List) {
	s.kinds = make(map[string]string, len(kinds))
	s.sets = map[string]*template.Template{}
	s.tmplSum = newSum()
	s.templates = template.New("").Funcs(s.funcs())
	if err := checkPath(fsys, "templates", true); err != nil && !errors.Is(err, fs.ErrNotExist) {
		addReadError(probs, "templates", err)
		return
	}
	s.loadAssets(fsys, probs)
	type file struct{ path, text string }
	var shared, own []file
	var found diag.List
	for _, name := range []string{"base.html", "partials.html", "figure.html"} {
		p := "templates/" + name
		data, err := readFile(fsys, p)
		if err != nil {
			if name == "base.html" || !errors.Is(err, fs.ErrNotExist) {
				addReadError(&found, p, missing(err))
			}
			continue
		}
		s.tmplSum.str(p).bytes(data)
		shared = append(shared, file{p, string(data)})
	}
	for _, k := range kinds {
		p := "templates/" + k + ".html"
		data, err := readFile(fsys, p)
		if err != nil {
			addReadError(&found, p, missing(err))
			continue
		}
		s.kinds[k] = string(data)
		s.tmplSum.str(p).bytes(data)
		own = append(own, file{p, string(data)})
	}
	*probs = append(*probs, found...)

	// The template functions depend on the base path and the assets'
	// names: with the same files and those, the last build's parsed
	// templates are these.
	c := s.opts.Cache
	var key uint64
	if c != nil && s.Config != nil {
		k := newSum().u64(s.tmplSum.sum()).str(s.Config.BasePath())
		for _, a := range s.Assets {
			k.str(a.Name).str(a.Hashed)
		}
		key = k.sum()
		if m, ok := recall(c, tmplMemos, key); ok {
			s.templates, s.sets = m.base, m.sets
			*probs = append(*probs, m.probs...)
			return
		}
	}
	found = nil
	base := s.templates
	for _, f := range shared {
		if _, err := base.New(f.path).Parse(f.text); err != nil {
			file, line, msg := templateError(f.path, err)
			found.Add(file, line, 0, "%s", msg)
		}
	}
	// Parse each kind now, so template errors are found by check too; the
	// sets are what renders the pages.
	for _, f := range own {
		t, err := base.Clone()
		if err != nil {
			break
		}
		if _, err := t.New(f.path).Parse(f.text); err != nil {
			file, line, msg := templateError(f.path, err)
			found.Add(file, line, 0, "%s", msg)
			continue
		}
		s.sets[strings.TrimSuffix(strings.TrimPrefix(f.path, "templates/"), ".html")] = t.Lookup("base")
	}
	*probs = append(*probs, found...)
	if key != 0 {
		keep(c, tmplMemos, key, tmplMemo{base: base, sets: s.sets, probs: found})
	}
}

func tmplMemos(g *generation) map[uint64]tmplMemo { return g.tmpl }

func missing(err error) error {
	if errors.Is(err, fs.ErrNotExist) {
		return errors.New("template not found: every site needs it in templates/")
	}
	return err
}

var tmplErrRE = regexp.MustCompile(`^template: (templates/[^:]+):(\d+):(?:\d+:)? ?(.*)$`)

// templateError finds the file and line in an html/template error, which
// may lie in another file of the set than p (base.html, say).
func templateError(p string, err error) (file string, line int, msg string) {
	msg = err.Error()
	if m := tmplErrRE.FindStringSubmatch(msg); m != nil {
		line, _ := strconv.Atoi(m[2])
		return m[1], line, m[3]
	}
	return p, 0, strings.TrimPrefix(msg, "template: "+p+": ")
}

// kindTemplate returns the template set that renders pages of kind k.
func (s *Site) kindTemplate(k string) (*template.Template, error) {
	if t := s.sets[k]; t != nil {
		return t, nil
	}
	t, err := s.templates.Clone()
	if err != nil {
		return nil, err
	}
	p := "templates/" + k + ".html"
	if _, err := t.New(p).Parse(s.kinds[k]); err != nil {
		return nil, err
	}
	return t.Lookup("base"), nil
}

func (s *Site) loadAssets(fsys fs.FS, probs *diag.List) {
	if err := checkPath(fsys, "templates/assets", true); err != nil {
		if !errors.Is(err, fs.ErrNotExist) {
			addReadError(probs, "templates/assets", err)
		}
		return
	}
	err := fs.WalkDir(fsys, "templates/assets", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			if errors.Is(err, fs.ErrNotExist) && p == "templates/assets" {
				return fs.SkipDir
			}
			return err
		}
		if strings.HasPrefix(d.Name(), ".") && p != "templates/assets" {
			if d.IsDir() {
				return fs.SkipDir
			}
			return nil
		}
		if d.IsDir() {
			return nil
		}
		if !d.Type().IsRegular() {
			probs.Add(p, 0, 0, "not a regular file (symlinks and devices are not followed)")
			return nil
		}
		data, err := fs.ReadFile(fsys, p)
		if err != nil {
			return err
		}
		name := strings.TrimPrefix(p, "templates/assets/")
		sum := sha256.Sum256(data)
		ext := path.Ext(name)
		s.Assets = append(s.Assets, Asset{
			Name:   name,
			Hashed: strings.TrimSuffix(name, ext) + "." + hex.EncodeToString(sum[:])[:10] + ext,
			Data:   data,
		})
		return nil
	})
	if err != nil {
		probs.Add("templates/assets", 0, 0, "%v", err)
	}
}

// funcs are the template functions; see the package comment of View.
func (s *Site) funcs() template.FuncMap {
	return template.FuncMap{
		"url": func(p string) (string, error) {
			if !strings.HasPrefix(p, "/") {
				return "", fmt.Errorf("url %q: want a path starting with /", p)
			}
			return s.Config.BasePath() + p[1:], nil
		},
		"asset": func(name string) (string, error) {
			for _, a := range s.Assets {
				if a.Name == name {
					return s.Config.BasePath() + "assets/" + a.Hashed, nil
				}
			}
			return "", fmt.Errorf("asset %q not found in templates/assets/", name)
		},
		"date":    func(t time.Time) string { return t.Format("2 January 2006") },
		"isodate": func(t time.Time) string { return t.Format(time.DateOnly) },
	}
}
