package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/folio-ssg/folio/bench/gen"
)

// TestConvert converts a few generated briefs and looks for what each
// extension makes.
func TestConvert(t *testing.T) {
	src, out := t.TempDir(), t.TempDir()
	files := gen.Hugo(3)
	for p, data := range files {
		if strings.HasPrefix(p, "content/briefs/") {
			if err := os.WriteFile(filepath.Join(src, filepath.Base(p)), data, 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
	n, err := convert(src, out)
	if err != nil || n != 3 {
		t.Fatalf("convert: %d briefs, %v; want 3, nil", n, err)
	}
	html, err := os.ReadFile(filepath.Join(out, "briefs", "brief-1", "index.html"))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"<table>", "<del>", `class="footnotes"`, "“", "–", `<a href="https://example.org/report/`, "<h2>"} {
		if !strings.Contains(string(html), want) {
			t.Errorf("brief-1 lacks %q", want)
		}
	}
	if strings.Contains(string(html), "title:") {
		t.Error("brief-1 holds its front matter")
	}
}
