package site

import (
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"
)

// TestBuildStreamsWhatRenderMakes: Build, which writes the pages while
// they render and keeps only their links and ids, publishes exactly the
// files that Render makes, and counts them; with -precompress too.
func TestBuildStreamsWhatRenderMakes(t *testing.T) {
	generated := map[string]string{}
	for p, f := range genSiteCharts(t, 40, true) {
		generated[p] = string(f.Data)
	}
	// Tag pages, rendered after the briefs' own, that show every body:
	// no body can be let go before they render (release.go).
	bodiesInLists := readRepo(t)
	bodiesInLists["templates/tag.html"] = strings.Replace(bodiesInLists["templates/tag.html"],
		`{{template "brief-list-h2" .}}`, `{{template "brief-list-h2" .}}{{range .}}<div>{{.Body}}</div>{{end}}`, 1)
	for _, c := range []struct {
		name        string
		files       map[string]string
		precompress bool
	}{
		{"example", readRepo(t), false},
		{"example-precompress", readRepo(t), true},
		{"generated", generated, false},
		{"bodies-in-lists", bodiesInLists, false},
	} {
		t.Run(c.name, func(t *testing.T) {
			src := t.TempDir()
			writeFiles(t, src, c.files)
			opts := Options{Today: today, Precompress: c.precompress}
			s, probs := Load(os.DirFS(src), opts)
			if s == nil || probs.Errors() > 0 {
				t.Fatal(probs.Sort())
			}
			want, _, probs := s.Render()
			if want == nil {
				t.Fatal(probs.Sort())
			}
			if c.precompress {
				want = precompress(want)
			}
			out := filepath.Join(t.TempDir(), "site")
			st, _, err := Build(src, out, opts)
			if err != nil {
				t.Fatal(err)
			}
			written := filepath.Join(t.TempDir(), "site")
			if err := Write(src, written, want); err != nil {
				t.Fatal(err)
			}
			got, wrote := tree(t, out), tree(t, written)
			for _, k := range slices.Sorted(maps.Keys(wrote)) {
				if g, ok := got[k]; !ok {
					t.Errorf("%s: not built", k)
				} else if g != wrote[k] {
					t.Errorf("%s: built differs from rendered", k)
				}
			}
			for _, k := range slices.Sorted(maps.Keys(got)) {
				if _, ok := wrote[k]; !ok {
					t.Errorf("%s: built, not rendered", k)
				}
			}
			if st.Files != len(want) {
				t.Errorf("Build counted %d files, want %d", st.Files, len(want))
			}
		})
	}
}

// TestBuildFullDiskWhileRendering: a page that cannot be written while
// the pages render fails the build, naming it, and leaves the previous
// site as it was, or no site when there was none, and nothing beside it.
func TestBuildFullDiskWhileRendering(t *testing.T) {
	src := t.TempDir()
	writeFiles(t, src, readRepo(t))
	out := filepath.Join(t.TempDir(), "site")
	if _, probs, err := Build(src, out, Options{Today: today}); err != nil || probs.Errors() > 0 {
		t.Fatal(err, probs)
	}
	before := snapshot(t, out)
	full := "briefs/ai-chip-market-and-leverage/index.html"
	if _, err := os.Stat(filepath.Join(out, filepath.FromSlash(full))); err != nil {
		t.Fatalf("the example site has no %s to fail: %v", full, err)
	}
	replace(t, &writeFile, func(name string, data []byte, perm os.FileMode) error {
		if strings.HasSuffix(filepath.ToSlash(name), "/"+full) {
			os.WriteFile(name, data[:len(data)/2], perm)
			return &fs.PathError{Op: "write", Path: name, Err: syscall.ENOSPC}
		}
		return os.WriteFile(name, data, perm)
	})
	for _, c := range []struct{ out, kept string }{
		{out, "the previous site was left in place"},
		{filepath.Join(t.TempDir(), "fresh"), "nothing was published"},
	} {
		_, _, err := Build(src, c.out, Options{Today: today})
		want := "cannot publish " + c.out + ": writing " + full + ": no space left on device; " + c.kept
		if err == nil || err.Error() != want {
			t.Errorf("Build on a full disk: %v\nwant: %s", err, want)
		}
		if left := leftovers(t, c.out); len(left) > 0 {
			t.Errorf("the failed build left %v", left)
		}
	}
	if snapshot(t, out) != before {
		t.Errorf("the failed build changed %s", out)
	}
}

// TestBuildChecksStreamedLinks: the link check reads the links and ids
// that Build kept of the pages it wrote, and fails on the same broken
// links as Render, from Markdown and from templates alike.
func TestBuildChecksStreamedLinks(t *testing.T) {
	for _, c := range []struct {
		name  string
		files map[string]string
	}{
		{"markdown", baseSite(t, map[string]string{"content/about.md": "---\ntitle: About\n---\nSee [the findings](/briefs/first/#findingz) and [context](/briefs/first/#context).\n"})},
		{"same page", baseSite(t, map[string]string{"templates/page.html": `{{define "main"}}<h1 id="top">{{.Title}}</h1><a href="#top">top</a><a href="#bottom">x</a><a href="/about/">self</a><a href="/about/#top">self top</a><a href="/about/#end">self end</a>{{.Content}}{{end}}`})},
		{"template", baseSite(t, map[string]string{"templates/page.html": `{{define "main"}}<h1>{{.Title}}</h1><a href="/briefs/first/#nowhere">x</a>{{.Content}}{{end}}`})},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, want := renderFiles(t, c.files, Options{})
			if len(want) == 0 {
				t.Fatal("Render found no problem")
			}
			src := t.TempDir()
			writeFiles(t, src, c.files)
			_, probs, err := Build(src, filepath.Join(src, "site"), Options{Today: today})
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, p := range probs.Sort() {
				got = append(got, p.String())
			}
			if !slices.Equal(got, want) {
				t.Errorf("Build: %q\nRender: %q", got, want)
			}
		})
	}
}
