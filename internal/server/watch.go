package server

import (
	"bytes"
	"context"
	"errors"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/fsnotify/fsnotify"
)

// trees are the folders of sources, watched with everything below them;
// folio.yaml is watched through the source folder itself.
var trees = []string{"content", "data", "templates"}

// maxWait bounds how long a stream of events can put a rebuild off.
const maxWait = 250 * time.Millisecond

// A Watcher rebuilds a server's site whenever its sources change.
type Watcher struct {
	s    *Server
	w    *fsnotify.Watcher
	snap sources
}

// Watch starts watching the sources in Config.Dir: every change from now
// on is seen, so call it before the first Rebuild, then Run.
func (s *Server) Watch() (*Watcher, error) {
	w, err := fsnotify.NewWatcher()
	if err != nil {
		return nil, err
	}
	if err := w.Add(s.cfg.Dir); err != nil {
		w.Close()
		return nil, err
	}
	for _, t := range trees {
		addTree(w, filepath.Join(s.cfg.Dir, t))
	}
	snap := sources{}
	snap.scan(s.cfg.Dir, ".")
	return &Watcher{s: s, w: w, snap: snap}, nil
}

// Run rebuilds the site after each burst of changes to the sources, until
// ctx is done; then it stops watching. Events are coalesced into one
// rebuild per burst, and a burst that leaves every file's contents as
// they were rebuilds nothing.
func (wt *Watcher) Run(ctx context.Context) {
	s, w, snap := wt.s, wt.w, wt.snap
	defer w.Close()
	root := s.cfg.Dir
	debounce := orDefault(s.cfg.Debounce, 10*time.Millisecond)
	timer := time.NewTimer(time.Hour)
	timer.Stop()
	pending := map[string]bool{}
	var first time.Time
	for {
		select {
		case <-ctx.Done():
			return
		case ev, ok := <-w.Events:
			if !ok {
				return
			}
			rel, ok := relevant(root, ev.Name)
			if !ok {
				continue
			}
			if ev.Has(fsnotify.Create) {
				// A new folder: watch it, and whatever it already holds is
				// found by the scan of rel below.
				if fi, err := os.Lstat(ev.Name); err == nil && fi.IsDir() {
					addTree(w, ev.Name)
				}
			}
			now := time.Now()
			if len(pending) == 0 {
				first = now
			}
			pending[rel] = true
			timer.Reset(min(debounce, max(0, first.Add(maxWait).Sub(now))))
		case err, ok := <-w.Errors:
			if !ok {
				return
			}
			if errors.Is(err, fsnotify.ErrEventOverflow) {
				// Events were lost: look at everything again.
				for _, t := range trees {
					addTree(w, filepath.Join(root, t))
				}
				pending["."] = true
				timer.Reset(debounce)
			}
		case <-timer.C:
			changed := false
			for _, rel := range slices.Sorted(maps.Keys(pending)) {
				changed = snap.scan(root, rel) || changed
			}
			clear(pending)
			if changed {
				if s.cfg.FS == nil {
					s.rebuild(snapshotFS{s.fsys, snap})
				} else {
					s.Rebuild() // the sources are not the watched folder's
				}
			}
		}
	}
}

// addTree watches dir and every folder below it, skipping dot-folders.
// Folders that vanish meanwhile are no error: their removal is an event.
func addTree(w *fsnotify.Watcher, dir string) {
	filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || !d.IsDir() {
			return nil
		}
		if p != dir && ignored(d.Name()) {
			return filepath.SkipDir
		}
		w.Add(p)
		return nil
	})
}

// relevant returns the path of name relative to root, slash-separated,
// when it is a source: folio.yaml, or in one of the trees, and neither a
// dot-file nor an editor's scratch file.
func relevant(root, name string) (string, bool) {
	rel, err := filepath.Rel(root, name)
	if err != nil {
		return "", false
	}
	rel = filepath.ToSlash(rel)
	top, _, _ := strings.Cut(rel, "/")
	if rel != "folio.yaml" && !slices.Contains(trees, top) {
		return "", false
	}
	for seg := range strings.SplitSeq(rel, "/") {
		if ignored(seg) {
			return "", false
		}
	}
	return rel, true
}

// ignored reports whether a file name is one folio never reads: dot-files
// (vim's .x.swp, emacs's .#x lock files) and editors' scratch files.
func ignored(name string) bool {
	return strings.HasPrefix(name, ".") ||
		strings.HasSuffix(name, "~") || // backups: vim, emacs, gedit
		strings.HasSuffix(name, ".swp") || strings.HasSuffix(name, ".swx") ||
		name == "4913" || // vim's probe for a writable folder
		(strings.HasPrefix(name, "#") && strings.HasSuffix(name, "#")) // emacs auto-save
}

// sources maps each source file, relative to the source folder, to its
// contents (or, for a symlink, its target), so that a burst of events
// that changes no contents can be told apart, and so that a rebuild reads
// unchanged files from memory instead of the disk.
type sources map[string]source

type source struct {
	data    []byte // a regular file's contents; never changed once read
	link    string // a symlink's target
	symlink bool
	other   bool // a pipe, device or socket: never read (it may block)
}

// scan looks at rel again, a file or a folder (everything below it;
// "." is all the sources), and reports whether anything changed.
func (m sources) scan(root, rel string) bool {
	seen := map[string]source{}
	start := filepath.Join(root, filepath.FromSlash(rel))
	filepath.WalkDir(start, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return nil
		}
		r, ok := relevant(root, p)
		if !ok {
			if d.IsDir() && p != start {
				return filepath.SkipDir
			}
			return nil
		}
		switch t := d.Type(); {
		case d.IsDir():
		case t&fs.ModeSymlink != 0:
			target, _ := os.Readlink(p)
			seen[r] = source{link: target, symlink: true}
		case !t.IsRegular():
			seen[r] = source{other: true}
		default:
			data, err := os.ReadFile(p)
			if err != nil {
				return nil
			}
			seen[r] = source{data: data}
		}
		return nil
	})
	changed := false
	for k := range m {
		if k == rel || rel == "." || strings.HasPrefix(k, rel+"/") {
			if _, ok := seen[k]; !ok {
				delete(m, k)
				changed = true
			}
		}
	}
	for k, src := range seen {
		if old, ok := m[k]; !ok || !old.same(src) {
			m[k] = src
			changed = true
		}
	}
	return changed
}

func (a source) same(b source) bool {
	return a.symlink == b.symlink && a.other == b.other && a.link == b.link && bytes.Equal(a.data, b.data) && (a.data == nil) == (b.data == nil)
}

// snapshotFS reads the sources as the watcher last saw them: a regular
// file's contents from memory, everything else (folders, links, modes)
// from the file system underneath. Between bursts of events, which the
// watcher scans before each rebuild, the two agree.
type snapshotFS struct {
	fs.FS
	files sources
}

func (f snapshotFS) ReadFile(name string) ([]byte, error) {
	if src, ok := f.files[name]; ok && src.data != nil {
		return src.data, nil
	}
	return fs.ReadFile(f.FS, name)
}

func (f snapshotFS) ReadDir(name string) ([]fs.DirEntry, error) { return fs.ReadDir(f.FS, name) }
func (f snapshotFS) Lstat(name string) (fs.FileInfo, error)     { return fs.Lstat(f.FS, name) }
func (f snapshotFS) ReadLink(name string) (string, error)       { return fs.ReadLink(f.FS, name) }
func (f snapshotFS) Stat(name string) (fs.FileInfo, error)      { return fs.Stat(f.FS, name) }
