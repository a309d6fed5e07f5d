package site

import (
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"sync/atomic"

	"github.com/folio-ssg/folio/internal/diag"
	"github.com/folio-ssg/folio/internal/edition"
)

// Write publishes o into the folder out, atomically: the site is written
// into a new folder beside out, .<base>.new-N, and swapped in only when
// every file is written, so a failed or killed build leaves the previous
// site untouched and a successful one replaces it whole.
//
// On Linux the swap is one renameat2 RENAME_EXCHANGE, so at every instant
// out is either the previous site or the new one, wherever the process is
// killed. Elsewhere, and on file systems that refuse the exchange, it is
// two renames (out aside to .<base>.old-N, then the new folder to out), and
// a build killed between them leaves no out until the next build.
//
// Builds of one out take turns: Write holds an exclusive lock on
// .<base>.lock beside out while it publishes (lock.go), and under it
// removes the folders that killed builds left. src is the source folder;
// out must not be it, hold it, or lie inside its sources.
func Write(src, out string, o Output) error { return write(src, out, o, nil) }

// write is Write, telling stage, when set, that it waits for another build.
func write(src, out string, o Output, stage func(string)) error {
	p, err := startPublish(src, out, stage)
	if err != nil {
		return err
	}
	defer p.abort()
	return p.finish(o)
}

// A publishing is a build's hold on its output folder: the lock, and the
// new folder it writes the site into before swapping it in.
type publishing struct {
	out, abs string // the output folder as the user named it, and absolute
	tmp      string // the new folder
	existed  bool   // whether out was there before
	unlock   func()
	done     bool
}

// startPublish checks the output folder out, takes its lock, removes what
// killed builds left, and makes the new folder. The caller must abort it
// when done, whether or not it finished.
func startPublish(src, out string, stage func(string)) (*publishing, error) {
	if err := checkOut(src, out); err != nil {
		return nil, err
	}
	abs, err := filepath.Abs(out)
	if err != nil {
		return nil, err
	}
	dir, base := filepath.Split(abs)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("cannot make the folder for %s: %w", out, err)
	}
	unlock, err := lockOut(dir, base, out, stage)
	if err != nil {
		return nil, err
	}
	if err := removeLeftovers(dir, base); err != nil {
		unlock()
		return nil, err
	}
	p := &publishing{out: out, abs: abs, unlock: unlock}
	_, err = os.Lstat(abs)
	p.existed = err == nil
	if p.tmp, err = os.MkdirTemp(dir, "."+base+".new-"); err != nil {
		unlock()
		return nil, p.failed(err)
	}
	return p, nil
}

// failed is the error of a publish that failed with err, saying what was
// kept.
func (p *publishing) failed(err error) error {
	kept := "nothing was published"
	if p.existed {
		kept = "the previous site was left in place"
	}
	return fmt.Errorf("cannot publish %s: %w; %s", p.out, err, kept)
}

// finish writes o into the new folder, beside what was written there
// already, and swaps it in.
func (p *publishing) finish(o Output) error {
	if err := writeAll(p.tmp, o); err != nil {
		return p.failed(err)
	}
	if err := os.Chmod(p.tmp, 0o755); err != nil {
		return p.failed(err)
	}
	if err := swap(p.tmp, p.abs); err != nil {
		return p.failed(err)
	}
	p.done = true
	return nil
}

// abort removes the new folder unless it was swapped in, and releases
// the lock.
func (p *publishing) abort() {
	if !p.done {
		os.RemoveAll(p.tmp)
	}
	p.unlock()
}

// swap puts the folder tmp in the place of out, then removes the site it
// replaced. Once the new site is in place, swap succeeds: an old site it
// fails to remove is a leftover for the next build to remove.
func swap(tmp, out string) error {
	if _, err := os.Lstat(out); errors.Is(err, fs.ErrNotExist) {
		return os.Rename(tmp, out)
	} else if err != nil {
		return err
	}
	err := exchange(tmp, out)
	if err == nil {
		os.RemoveAll(tmp) // now the previous site
		return nil
	}
	if !errors.Is(err, errors.ErrUnsupported) {
		return err
	}
	dir, base := filepath.Split(out)
	old := filepath.Join(dir, "."+base+".old-"+strings.TrimPrefix(filepath.Base(tmp), "."+base+".new-"))
	if err := os.Rename(out, old); err != nil {
		return err
	}
	if err := os.Rename(tmp, out); err != nil {
		os.Rename(old, out)
		return err
	}
	os.RemoveAll(old)
	return nil
}

// exchange swaps two folders in one step (exchange_linux.go), or returns
// an error that is errors.ErrUnsupported where the system or the file
// system cannot. Tests replace it to take the fallback.
var exchange = exchangeDirs

// removeLeftovers removes the folders that killed builds of the output
// folder base left in dir: .<base>.new-N and .<base>.old-N, N being the
// digits os.MkdirTemp puts there. Only a build holding the lock may: the
// new folder of a running build looks the same.
func removeLeftovers(dir, base string) error {
	ents, err := os.ReadDir(dir)
	if err != nil {
		return err
	}
	for _, e := range ents {
		if !isLeftover(e.Name(), base) {
			continue
		}
		if err := os.RemoveAll(filepath.Join(dir, e.Name())); err != nil {
			return fmt.Errorf("cannot remove %s, left by an earlier build: %w", e.Name(), err)
		}
	}
	return nil
}

// isLeftover reports whether name is a temporary folder of the output
// folder base.
func isLeftover(name, base string) bool {
	for _, kind := range []string{".new-", ".old-"} {
		n, ok := strings.CutPrefix(name, "."+base+kind)
		if ok && n != "" && strings.Trim(n, "0123456789") == "" {
			return true
		}
	}
	return false
}

// writeFile writes one file of the site; tests replace it to fail as a
// full disk does.
var writeFile = os.WriteFile

// writeAll writes o below dir: folders first, then files on all cores,
// since creating files is system-call bound. After a failure it writes no
// more, and names the first file that failed, relative to dir.
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
			return fmt.Errorf("making folder %s: %w", d, pathErr(err))
		}
	}
	errs := make([]error, len(keys))
	var failed atomic.Bool
	parallel(len(keys), func(i int) {
		if failed.Load() {
			return
		}
		if err := writeFile(filepath.Join(dir, filepath.FromSlash(keys[i])), o[keys[i]], 0o644); err != nil {
			errs[i] = err
			failed.Store(true)
		}
	})
	for i, err := range errs {
		if err != nil {
			return fmt.Errorf("writing %s: %w", keys[i], pathErr(err))
		}
	}
	return nil
}

// pathErr is the system's error inside err, without the path of the
// temporary folder, which the message names otherwise.
func pathErr(err error) error {
	if pe, ok := errors.AsType[*fs.PathError](err); ok {
		return pe.Err
	}
	return err
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
//
// Once the sources load without errors, Build takes out's lock and
// renders the pages straight into the new folder (stream.go), so a build
// never holds its whole site in memory; the new folder is removed if the
// build then fails, and swapped in as Write does if it succeeds.
func Build(src, out string, opts Options) (Stats, diag.List, error) {
	if fi, err := os.Stat(src); err != nil || !fi.IsDir() {
		return Stats{}, nil, fmt.Errorf("source folder %s: not found", src)
	}
	exe := ""
	if opts.PDF || opts.Images {
		var err error
		if exe, err = edition.FindChromium(opts.Chromium); err != nil {
			return Stats{}, nil, err
		}
	}
	s, probs := Load(os.DirFS(src), opts)
	if s == nil || probs.Errors() > 0 {
		return Stats{}, probs, nil
	}
	fails := func(probs diag.List) bool { return probs.Errors() > 0 || (opts.Strict && len(probs) > 0) }
	var ed Output
	var pdfs, images int
	if opts.PDF || opts.Images {
		// Chromium is served the pages from memory: a first rendering,
		// held whole, before the one that links what it made.
		r, o, st, more := s.render(nil, nil)
		probs = append(probs, more...)
		if o == nil || fails(probs) {
			return st, probs, nil
		}
		var err error
		if ed, pdfs, images, err = s.editionFiles(r, exe); err != nil {
			return Stats{}, probs, err
		}
	}
	p, err := startPublish(src, out, s.stage)
	if err != nil {
		return Stats{}, probs, err
	}
	defer p.abort()
	sk := &sink{dir: p.tmp, precompress: opts.Precompress}
	if ed != nil {
		s.stage("rendering pages with the PDFs and images")
	}
	_, o, st, more := s.render(ed, sk)
	if ed == nil {
		probs = append(probs, more...)
		if o == nil || fails(probs) {
			return st, probs, nil
		}
	} else if o == nil {
		return Stats{}, probs, fmt.Errorf("rendering the pages again with their PDFs and images:\n%v", more.Sort())
	}
	if sk.err != nil {
		return Stats{}, probs, p.failed(sk.err)
	}
	st.PDFs, st.Images = pdfs, images
	if opts.Precompress {
		s.stage("compressing")
		o = precompress(o)
	}
	st.Files = int(sk.files.Load()) + len(o)
	s.stage("writing " + out)
	return st, probs, p.finish(o)
}
