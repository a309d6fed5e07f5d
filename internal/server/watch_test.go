package server

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/folio-ssg/folio/internal/site"
)

// TestWatch changes real files the ways editors and people do, and finds
// each change rebuilt exactly once, and changes of nothing not at all.
// It is the one test that waits: for the watcher, up to a deadline.
func TestWatch(t *testing.T) {
	if testing.Short() {
		t.Skip("watches real files")
	}
	dir := writeSite(t, nil)
	builds := make(chan Result, 16)
	// Longer than the default, so that a loaded machine does not split a
	// burst of a test's file operations in two.
	debounce := 100 * time.Millisecond
	if raceEnabled {
		debounce = 200 * time.Millisecond
	}
	s := New(Config{Dir: dir, Addr: "127.0.0.1:8080", Options: site.Options{Drafts: true, Today: today},
		OnBuild: func(r Result) { builds <- r }, Debounce: debounce})
	w, err := s.Watch()
	if err != nil {
		t.Fatal(err)
	}
	s.Rebuild()
	<-builds
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { w.Run(ctx); close(done) }()
	defer func() { cancel(); <-done }()

	path := func(name string) string { return filepath.Join(dir, filepath.FromSlash(name)) }
	do := func(ops ...func() error) {
		t.Helper()
		for _, op := range ops {
			if err := op(); err != nil {
				t.Fatal(err)
			}
		}
	}
	write := func(name, data string) func() error {
		return func() error { return os.WriteFile(path(name), []byte(data), 0o644) }
	}
	rename := func(from, to string) func() error { return func() error { return os.Rename(path(from), path(to)) } }
	remove := func(name string) func() error { return func() error { return os.Remove(path(name)) } }
	mkdir := func(name string) func() error { return func() error { return os.Mkdir(path(name), 0o755) } }
	// quiet is how long no rebuild must follow: many debounce periods.
	quiet := 4 * debounce
	// rebuilt waits for one rebuild, then makes sure no second follows.
	rebuilt := func(what string) Result {
		t.Helper()
		var res Result
		select {
		case res = <-builds:
		case <-time.After(10 * time.Second):
			t.Fatalf("%s: no rebuild within 10 s", what)
		}
		select {
		case extra := <-builds:
			t.Fatalf("%s: a second rebuild: %+v", what, extra)
		case <-time.After(quiet):
		}
		if res.Failed {
			t.Fatalf("%s: %v", what, res.Problems)
		}
		return res
	}
	none := func(what string) {
		t.Helper()
		select {
		case res := <-builds:
			t.Fatalf("%s: rebuilt: %+v", what, res)
		case <-time.After(quiet):
		}
	}
	served := func(p string) []byte {
		t.Helper()
		b := s.cur.Load().good
		return b.out[strings.TrimPrefix(p, "/")]
	}

	first := read(t, dir, "content/briefs/first.md")
	do(write("content/briefs/first.md", strings.Replace(first, "$42bn", "$45bn", 1)))
	rebuilt("write")
	if !strings.Contains(string(served("briefs/first/index.html")), "$45bn") {
		t.Fatal("write: edit not served")
	}

	// An editor's save through a temporary file renamed into place.
	do(write("content/briefs/.first.md.tmp", strings.Replace(first, "$42bn", "$46bn", 1)),
		rename("content/briefs/.first.md.tmp", "content/briefs/first.md"))
	rebuilt("rename into place")
	if !strings.Contains(string(served("briefs/first/index.html")), "$46bn") {
		t.Fatal("rename into place: edit not served")
	}

	// Vim's save: a probe file, a backup by rename, a new file.
	do(write("content/briefs/4913", ""), remove("content/briefs/4913"),
		rename("content/briefs/first.md", "content/briefs/first.md~"),
		write("content/briefs/first.md", strings.Replace(first, "$42bn", "$47bn", 1)),
		remove("content/briefs/first.md~"))
	rebuilt("vim save")
	if !strings.Contains(string(served("briefs/first/index.html")), "$47bn") {
		t.Fatal("vim save: edit not served")
	}

	// A folder created after the start, and a file in it.
	do(mkdir("templates/assets/extra"), write("templates/assets/extra/note.txt", "one"))
	res := rebuilt("new folder")
	if !hasPrefix(s.cur.Load().good, "assets/extra/note.") {
		t.Fatalf("new folder: file not served (%+v)", res)
	}
	// The new folder is watched: a second file there is seen alone.
	do(write("templates/assets/extra/more.txt", "two"))
	rebuilt("file in the new folder")
	if !hasPrefix(s.cur.Load().good, "assets/extra/more.") {
		t.Fatal("file in the new folder: not served")
	}

	do(remove("content/briefs/draft.md"))
	rebuilt("delete")
	if served("briefs/draft/index.html") != nil {
		t.Fatal("delete: page still served")
	}

	do(rename("content/about.md", "content/colophon.md"))
	rebuilt("rename")
	if served("about/index.html") != nil || served("colophon/index.html") == nil {
		t.Fatal("rename: pages not moved")
	}

	do(write("folio.yaml", strings.Replace(read(t, dir, "folio.yaml"), "title: Test Observatory", "title: Renamed Observatory", 1)))
	rebuilt("folio.yaml")
	if !strings.Contains(string(served("index.html")), "Renamed Observatory") {
		t.Fatal("folio.yaml: not rebuilt")
	}

	// Nothing that changes a source's contents rebuilds.
	now := time.Now()
	do(write("content/briefs/first.md", read(t, dir, "content/briefs/first.md")),
		func() error { return os.Chtimes(path("data/sales.yaml"), now, now) },
		write("content/briefs/.#first.md", "lock"),
		write("content/briefs/first.md~", "backup"),
		write("content/briefs/.first.md.swp", "swap"),
		write("content/briefs/#first.md#", "auto-save"),
		write("secret.txt", "not a source"),
		mkdir("site"), write("site/index.html", "output"),
		mkdir("content/.hidden"), write("content/.hidden/x.md", "hidden"))
	none("nothing changed")
}

func hasPrefix(b *build, prefix string) bool {
	for k := range b.out {
		if strings.HasPrefix(k, prefix) {
			return true
		}
	}
	return false
}

func TestIgnored(t *testing.T) {
	for name, want := range map[string]bool{
		"first.md": false, "4913": true, "4914": false, "first.md~": true, ".first.md.swp": true,
		"first.md.swp": true, ".#first.md": true, "#first.md#": true, "#first.md": false, ".hidden": true,
		"sales.yaml": false, "site.css": false,
	} {
		if got := ignored(name); got != want {
			t.Errorf("ignored(%q) = %v, want %v", name, got, want)
		}
	}
	root := filepath.FromSlash("/src")
	for name, want := range map[string]string{
		"/src/folio.yaml": "folio.yaml", "/src/content/briefs/x.md": "content/briefs/x.md", "/src/data": "data",
		"/src/templates/assets/a.css": "templates/assets/a.css", "/src/site/index.html": "", "/src/folio.yaml~": "",
		"/src/content/.git/x": "", "/src/README.md": "", "/other/content/x.md": "",
	} {
		got, ok := relevant(root, filepath.FromSlash(name))
		if got != want || ok != (want != "") {
			t.Errorf("relevant(%q) = %q, %v; want %q", name, got, ok, want)
		}
	}
}
