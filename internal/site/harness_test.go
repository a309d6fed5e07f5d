package site

import (
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/rogpeppe/go-internal/txtar"
)

// The tests build mini-sites written as txtar archives: testdata/base.txtar
// is a small valid site, and each case replaces, adds or deletes files.

// today is the day tests judge embargoes against, so they never depend
// on the clock.
var today = time.Date(2025, 6, 1, 0, 0, 0, 0, time.UTC)

// readArchive returns the files of a txtar archive.
func readArchive(t testing.TB, file string) map[string]string {
	t.Helper()
	a, err := txtar.ParseFile(file)
	if err != nil {
		t.Fatal(err)
	}
	files := map[string]string{}
	for _, f := range a.Files {
		files[f.Name] = string(f.Data)
	}
	return files
}

// baseSite returns the files of testdata/base.txtar with changes applied:
// a change to "" deletes the file.
func baseSite(t testing.TB, changes map[string]string) map[string]string {
	t.Helper()
	files := readArchive(t, "testdata/base.txtar")
	for name, data := range changes {
		if data == "" {
			if _, ok := files[name]; !ok {
				t.Fatalf("deleting %s, which the base site does not have", name)
			}
			delete(files, name)
			continue
		}
		files[name] = data
	}
	return files
}

func mapFS(files map[string]string) fstest.MapFS {
	fsys := fstest.MapFS{}
	for name, data := range files {
		fsys[name] = &fstest.MapFile{Data: []byte(data), Mode: 0o644}
	}
	return fsys
}

// renderFiles runs the pipeline over files and returns the output (nil
// when the build failed) and the problems as printed.
func renderFiles(t testing.TB, files map[string]string, opts Options) (Output, []string) {
	t.Helper()
	if opts.Today.IsZero() {
		opts.Today = today
	}
	s, probs := Load(mapFS(files), opts)
	var out Output
	if s != nil && probs.Errors() == 0 {
		o, _, more := s.Render()
		probs = append(probs, more...)
		out = o
	}
	var lines []string
	for _, p := range probs.Sort() {
		lines = append(lines, p.String())
	}
	return out, lines
}

// writeFiles writes files into dir.
func writeFiles(t testing.TB, dir string, files map[string]string) {
	t.Helper()
	for name, data := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// checkOutput asserts want lines against out: "path: text" means the file
// must contain text; "path: ! text" means it must not.
func checkOutput(t *testing.T, out Output, want []string) {
	t.Helper()
	for _, w := range want {
		file, text, ok := strings.Cut(w, ": ")
		if !ok {
			t.Fatalf("bad want line %q", w)
		}
		data, exists := out[file]
		neg := strings.HasPrefix(text, "! ")
		text = strings.TrimPrefix(text, "! ")
		switch {
		case text == "(absent)":
			if exists != neg {
				t.Errorf("%s: exists = %v, want %v", file, exists, neg)
			}
		case !exists:
			t.Errorf("%s: not in output; have %v", file, keys(out))
		case strings.Contains(string(data), text) == neg:
			t.Errorf("%s: contains %q = %v, want %v; file:\n%s", file, text, !neg, !neg, data)
		}
	}
}

func keys(o Output) []string {
	var k []string
	for p := range o {
		k = append(k, p)
	}
	slices.Sort(k)
	return k
}

// readRepo returns the repository's own example site as files.
func readRepo(t testing.TB) map[string]string {
	t.Helper()
	files := map[string]string{}
	repo := os.DirFS("../..")
	for _, root := range []string{"folio.yaml", "content", "data", "templates"} {
		err := fs.WalkDir(repo, root, func(p string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return err
			}
			data, err := fs.ReadFile(repo, p)
			files[p] = string(data)
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	return files
}
