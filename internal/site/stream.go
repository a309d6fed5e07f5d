package site

import (
	"encoding/binary"
	"fmt"
	"os"
	"path"
	"path/filepath"
	"slices"
	"sync"
	"sync/atomic"
	"unique"
)

// A sink writes the pages of a build into its new folder while they
// render, and the search index once made, so that a build never holds its
// whole site: what it keeps of a page once written is what the link check
// needs, its links and its ids. The memory of a build then grows with its
// views, not with its HTML, and writing, which is system-call bound,
// overlaps with rendering.
//
// write is called from many goroutines. After a failure the sink writes
// no more, and err names the first file that failed, as writeAll does.
type sink struct {
	dir         string // the build's new folder
	precompress bool   // also write .gz and .br copies (precompress.go)
	dirs        sync.Map
	files       atomic.Int64 // files written
	failed      atomic.Bool
	mu          sync.Mutex
	err         error
}

// write writes data as the file key of the site, and its compressed
// copies when the sink precompresses. A sink is given the pages, whose
// names end in .html, the files of the search index, below
// search/index/, the assets, whose names carry their hash before their
// extension, and the two feeds: no other file of the site can be named
// as their .gz or .br copy, so the copies need no check against the rest
// of the Output, unlike precompress's.
func (s *sink) write(key string, data []byte) {
	if s.failed.Load() {
		return
	}
	if err := s.mkdirs(path.Dir(key)); err != nil {
		s.fail(fmt.Errorf("making folder %s: %w", path.Dir(key), pathErr(err)))
		return
	}
	if !s.put(key, data) || !s.precompress || !compressible[path.Ext(key)] {
		return
	}
	if gz := gzipBytes(data); len(gz) < len(data) && !s.put(key+".gz", gz) {
		return
	}
	if br := brotliBytes(data); len(br) < len(data) {
		s.put(key+".br", br)
	}
}

// put writes one file, reporting whether it did.
func (s *sink) put(key string, data []byte) bool {
	if err := writeFile(filepath.Join(s.dir, filepath.FromSlash(key)), data, 0o644); err != nil {
		s.fail(fmt.Errorf("writing %s: %w", key, pathErr(err)))
		return false
	}
	s.files.Add(1)
	return true
}

// rename renames the folder from of the site, all of whose files the
// sink has written, to to, which must not exist.
func (s *sink) rename(from, to string) {
	if s.failed.Load() {
		return
	}
	from, to = path.Clean(from), path.Clean(to)
	if err := s.mkdirs(path.Dir(to)); err != nil {
		s.fail(fmt.Errorf("making folder %s: %w", path.Dir(to), pathErr(err)))
		return
	}
	if err := os.Rename(filepath.Join(s.dir, filepath.FromSlash(from)), filepath.Join(s.dir, filepath.FromSlash(to))); err != nil {
		s.fail(fmt.Errorf("renaming %s to %s: %w", from, to, pathErr(err)))
		return
	}
	s.dirs.Delete(from)
	s.dirs.Store(to, true)
}

// mkdirs makes the folder d of the site, once per folder.
func (s *sink) mkdirs(d string) error {
	if _, done := s.dirs.Load(d); done {
		return nil
	}
	if err := os.MkdirAll(filepath.Join(s.dir, filepath.FromSlash(d)), 0o755); err != nil {
		return err
	}
	s.dirs.Store(d, true)
	return nil
}

// fail records err if it is the first failure, and stops the writing.
func (s *sink) fail(err error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.err == nil {
		s.err = err
	}
	s.failed.Store(true)
}

// written is what a build keeps of a file the sink wrote: for a page, the
// links it holds that stay in the site, and its ids, for the link check;
// nothing for the other files.
type written struct {
	refs []unique.Handle[pageRef] // see keptRefs
	ids  string                   // joinIDs of the page
}

// keptRefs is what the link check keeps of refs, the links of the page
// written as key: all but the links to the page itself that resolve,
// which the check at the end would pass, in their order; own gives the
// page's ids. Each is interned, being in many pages: a site's menu is in
// all.
func keptRefs(key string, refs []pageRef, own func() map[string]bool) []unique.Handle[pageRef] {
	var ids map[string]bool
	kept := make([]unique.Handle[pageRef], 0, len(refs))
	for _, ref := range refs {
		if !ref.leaves && ref.key == key {
			if ref.frag == "" {
				continue
			}
			if ids == nil {
				ids = own()
			}
			if ids[ref.frag] {
				continue
			}
		}
		kept = append(kept, unique.Make(ref))
	}
	return slices.Clip(kept)
}

// has reports whether the site has the file key, written already or not.
func (r *renderer) has(key string) bool {
	if _, ok := r.out[key]; ok {
		return true
	}
	_, ok := r.written[key]
	return ok
}

// keys calls yield with the path of every file of the site.
func (r *renderer) keys(yield func(string) bool) {
	for k := range r.out {
		if !yield(k) {
			return
		}
	}
	for k := range r.written {
		if !yield(k) {
			return
		}
	}
}

// joinIDs is the ids of a page as written keeps them, each after its
// length.
func joinIDs(page []byte) string {
	var b []byte
	eachID(page, func(id string) {
		b = binary.AppendUvarint(b, uint64(len(id)))
		b = append(b, id...)
	})
	return string(b)
}

// idSet is the set of ids that joinIDs joined.
func idSet(joined string) map[string]bool {
	set := map[string]bool{}
	b := []byte(joined)
	for len(b) > 0 {
		n, k := binary.Uvarint(b)
		set[string(b[k:k+int(n)])] = true
		b = b[k+int(n):]
	}
	return set
}
