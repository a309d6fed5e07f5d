package site

import (
	"io/fs"
	"strings"

	"github.com/folio-ssg/folio/internal/diag"
)

// Sources are read only through regular files and folders. os.DirFS
// follows symbolic links, which may lead outside the source folder or
// round in a loop, and reading a named pipe or a device may block for
// ever; so each path is checked, folder by folder, before it is read.

// notRegular is the error for a path that is not the regular file or
// folder folio expects: a symlink, a pipe, a device, or a file for a
// folder and the other way round.
type notRegular struct {
	path string
	dir  bool // a folder was expected
	mode fs.FileMode
}

func (e *notRegular) Error() string {
	switch {
	case e.dir && e.mode.IsRegular():
		return "a file where folio expects a folder"
	case !e.dir && e.mode.IsDir():
		return "a folder where folio expects a file"
	case e.dir:
		return "not a regular folder (symlinks are not followed)"
	}
	return "not a regular file (symlinks and devices are not followed)"
}

// checkPath reports an error when p, or a folder above it, is not a
// regular file or folder; dir says whether p itself should be a folder.
// It uses fs.Lstat, so a file system that cannot tell links apart (one
// without fs.ReadLinkFS) is taken at its word.
func checkPath(fsys fs.FS, p string, dir bool) error {
	for i := 0; ; {
		j := strings.IndexByte(p[i:], '/')
		sub, last := p, j < 0
		if !last {
			sub = p[:i+j]
		}
		fi, err := fs.Lstat(fsys, sub)
		if err != nil {
			return err
		}
		switch m := fi.Mode(); {
		case !last && !m.IsDir(), last && dir && !m.IsDir():
			return &notRegular{sub, true, m}
		case last && !dir && !m.IsRegular():
			return &notRegular{sub, false, m}
		}
		if last {
			return nil
		}
		i += j + 1
	}
}

// readFile reads the regular file p.
func readFile(fsys fs.FS, p string) ([]byte, error) {
	if err := checkPath(fsys, p, false); err != nil {
		return nil, err
	}
	return fs.ReadFile(fsys, p)
}

// addReadError reports err from checkPath or readFile at the path it is
// about.
func addReadError(probs *diag.List, p string, err error) {
	if nr, ok := err.(*notRegular); ok {
		probs.Add(nr.path, 0, 0, "%v", nr)
		return
	}
	probs.Add(p, 0, 0, "%v", err)
}
