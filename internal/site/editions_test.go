package site

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/folio-ssg/folio/internal/edition"
)

// A build with -pdf or -images whose browser is missing or fails leaves
// the published site as it was, and says why in one line for a missing
// one; a plain build never looks for a browser.
func TestBuildEditionsFailAtomically(t *testing.T) {
	t.Setenv("FOLIO_CHROMIUM", filepath.Join(t.TempDir(), "no-such-chromium"))
	out := filepath.Join(t.TempDir(), "site")
	if _, probs, err := Build("../..", out, Options{}); err != nil || probs.Errors() > 0 {
		t.Fatalf("plain build: %v %v", err, probs)
	}
	before, err := os.ReadFile(filepath.Join(out, "index.html"))
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name string
		opts Options
		want string
	}{
		{"missing", Options{PDF: true}, "no-such-chromium: not found"},
		{"fails to start", Options{Images: true, Chromium: "/bin/false"}, "starting Chromium /bin/false"},
	} {
		_, _, err := Build("../..", out, tc.opts)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: err = %v, want one with %q", tc.name, err, tc.want)
		}
		after, rerr := os.ReadFile(filepath.Join(out, "index.html"))
		if rerr != nil || !bytes.Equal(before, after) {
			t.Errorf("%s: the published site changed (%v)", tc.name, rerr)
		}
		if _, err := os.Stat(filepath.Join(out, "briefs")); err != nil {
			t.Errorf("%s: %v", tc.name, err)
		}
	}
}

// BenchmarkEditions times `folio build -pdf -images` on a generated site
// of 100 briefs with a chart each; it skips without Chromium.
//
//	go test ./internal/site -run '^$' -bench Editions -benchtime 1x
func BenchmarkEditions(b *testing.B) {
	exe, err := edition.FindChromium("")
	if err != nil {
		b.Skip(err)
	}
	files := map[string]string{}
	for p, f := range genSiteCharts(b, 100, true) {
		files[p] = string(f.Data)
	}
	src := b.TempDir()
	writeFiles(b, src, files)
	out := filepath.Join(b.TempDir(), "site")
	for b.Loop() {
		st, probs, err := Build(src, out, Options{Today: today, PDF: true, Images: true, Chromium: exe})
		if err != nil || probs.Errors() > 0 {
			b.Fatal(err, probs.Sort())
		}
		if st.PDFs != 100 || st.Images != 100 {
			b.Fatalf("%d PDFs and %d charts drawn, want 100 of each", st.PDFs, st.Images)
		}
	}
}
