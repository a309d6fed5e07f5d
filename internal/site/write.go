package site

import (
	"errors"
	"fmt"
	"maps"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"

	"github.com/folio-ssg/folio/internal/diag"
)

// Write publishes o into the folder out, atomically as far as the file
// system allows: the site is written into a new folder beside out and
// swapped in only when every file is written, so a failed build leaves the
// previous site untouched and a successful one replaces it whole. src is
// the source folder; out must not be it, hold it, or lie inside its
// sources.
func Write(src, out string, o Output) error {
	if err := checkOut(src, out); err != nil {
		return err
	}
	parent, base := filepath.Split(out)
	if parent == "" {
		parent = "."
	}
	if err := os.MkdirAll(parent, 0o755); err != nil {
		return err
	}
	tmp, err := os.MkdirTemp(parent, "."+base+".new-")
	if err != nil {
		return err
	}
	if err := writeAll(tmp, o); err != nil {
		os.RemoveAll(tmp)
		return err
	}
	if err := os.Chmod(tmp, 0o755); err != nil {
		os.RemoveAll(tmp)
		return err
	}
	old := ""
	if _, err := os.Lstat(out); err == nil {
		old = filepath.Join(parent, "."+base+".old-"+filepath.Base(tmp)[len(base)+6:])
		if err := os.Rename(out, old); err != nil {
			os.RemoveAll(tmp)
			return err
		}
	}
	if err := os.Rename(tmp, out); err != nil {
		if old != "" {
			os.Rename(old, out)
		}
		os.RemoveAll(tmp)
		return err
	}
	if old != "" {
		return os.RemoveAll(old)
	}
	return nil
}

// writeAll writes o below dir: folders first, then files on all cores,
// since creating files is system-call bound.
func writeAll(dir string, o Output) error {
	keys := make([]string, 0, len(o))
	dirs := map[string]bool{}
	for k := range o {
		keys = append(keys, k)
		dirs[path.Dir(k)] = true
	}
	slices.Sort(keys)
	for _, d := range slices.Sorted(maps.Keys(dirs)) {
		if err := os.MkdirAll(filepath.Join(dir, filepath.FromSlash(d)), 0o755); err != nil {
			return err
		}
	}
	errs := make([]error, len(keys))
	parallel(len(keys), func(i int) {
		errs[i] = os.WriteFile(filepath.Join(dir, filepath.FromSlash(keys[i])), o[keys[i]], 0o644)
	})
	return errors.Join(errs...)
}

// checkOut refuses output folders whose replacement would destroy sources.
func checkOut(src, out string) error {
	absSrc, err := filepath.Abs(src)
	if err != nil {
		return err
	}
	absOut, err := filepath.Abs(out)
	if err != nil {
		return err
	}
	if absOut == absSrc || within(absSrc, absOut) {
		return fmt.Errorf("output folder %s would replace the sources in %s; choose another -out", out, src)
	}
	for _, d := range []string{"content", "data", "templates"} {
		if within(absOut, filepath.Join(absSrc, d)) {
			return fmt.Errorf("output folder %s is inside the sources (%s/); choose another -out", out, d)
		}
	}
	for _, marker := range []string{"folio.yaml", ".git", "go.mod"} {
		if _, err := os.Lstat(filepath.Join(absOut, marker)); err == nil {
			return fmt.Errorf("output folder %s holds %s, so it is not a built site; folio replaces its output folder whole, so choose another -out", out, marker)
		} else if !errors.Is(err, os.ErrNotExist) {
			return err
		}
	}
	return nil
}

// within reports whether p is dir or inside it.
func within(p, dir string) bool {
	rel, err := filepath.Rel(dir, p)
	return err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator))
}

// Build runs the whole pipeline on the folder src and publishes the site
// into out, unless there are errors (or, with opts.Strict, warnings): then
// out is left exactly as it was. The problems are returned either way.
func Build(src, out string, opts Options) (Stats, diag.List, error) {
	if fi, err := os.Stat(src); err != nil || !fi.IsDir() {
		return Stats{}, nil, fmt.Errorf("source folder %s: not found", src)
	}
	s, probs := Load(os.DirFS(src), opts)
	if s == nil || probs.Errors() > 0 {
		return Stats{}, probs, nil
	}
	o, st, more := s.Render()
	probs = append(probs, more...)
	if o == nil || probs.Errors() > 0 || (opts.Strict && len(probs) > 0) {
		return st, probs, nil
	}
	if opts.Precompress {
		s.stage("compressing")
		o = precompress(o)
		st.Files = len(o)
	}
	s.stage("writing " + out)
	return st, probs, Write(src, out, o)
}
