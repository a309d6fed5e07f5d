package gen

import (
	"bytes"
	"io/fs"
	"maps"
	"os"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/folio-ssg/folio/internal/site"
)

// TestDeterministic: the same arguments give the same bytes, so every
// run of the benchmark builds the same sites.
func TestDeterministic(t *testing.T) {
	if !maps.EqualFunc(Folio(30, true), Folio(30, true), bytes.Equal) {
		t.Error("Folio(30, true) differs between two calls")
	}
	if !maps.EqualFunc(Hugo(30), Hugo(30), bytes.Equal) {
		t.Error("Hugo(30) differs between two calls")
	}
}

// TestSameMarkdown: without charts, folio and Hugo read the same files;
// with charts, folio's briefs are Hugo's plus the chart and the value.
func TestSameMarkdown(t *testing.T) {
	plain, charts, hugo := Folio(10, false), Folio(10, true), Hugo(10)
	for i := range 10 {
		p := BriefPath(i)
		if !bytes.Equal(plain[p], hugo[p]) {
			t.Errorf("%s differs between the folio and Hugo sites", p)
		}
		c := string(charts[p])
		if !strings.Contains(c, "```chart\n") || !strings.Contains(c, "{{< value ") {
			t.Errorf("%s with charts has no chart or value", p)
		}
		if len(c) <= len(plain[p]) {
			t.Errorf("%s with charts is no longer than without", p)
		}
	}
}

// TestWords: a brief's body is about 1,200 words.
func TestWords(t *testing.T) {
	for _, i := range []int{0, 7, 999} {
		_, body, _ := strings.Cut(strings.TrimPrefix(string(Brief(i, 1000, false)), "---\n"), "\n---\n")
		if n := len(strings.Fields(body)); n < 1100 || n > 1400 {
			t.Errorf("brief %d has %d words, want about 1,200", i, n)
		}
	}
}

// TestFolioBuilds keeps the generated folio site valid, with charts, so
// the benchmark times successful builds.
func TestFolioBuilds(t *testing.T) {
	fsys := fstest.MapFS{}
	for p, data := range Folio(20, true) {
		fsys[p] = &fstest.MapFile{Data: data}
	}
	repo := os.DirFS("../..")
	err := fs.WalkDir(repo, "templates", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := fs.ReadFile(repo, p)
		fsys[p] = &fstest.MapFile{Data: data}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	s, probs := site.Load(fsys, site.Options{})
	if s == nil || len(probs) > 0 {
		t.Fatal(probs.Sort())
	}
	if _, _, probs := s.Render(); len(probs) > 0 {
		t.Fatal(probs.Sort())
	}
}
