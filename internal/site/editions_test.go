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

// The pages, feeds and link check take the made files as they are,
// without a browser: render with stand-ins for the PDFs and images.
func TestEditionLinks(t *testing.T) {
	s, probs := Load(os.DirFS("../.."), Options{Today: today})
	if s == nil || probs.Errors() > 0 {
		t.Fatal(probs.Sort())
	}
	r, o, _, probs := s.render(nil, nil)
	if o == nil {
		t.Fatal(probs.Sort())
	}
	if bytes.Contains(o["briefs/ai-chip-market-and-leverage/index.html"], []byte("Download PDF")) {
		t.Error("a build without -pdf links a PDF")
	}
	files := Output{}
	for _, b := range r.briefs {
		files[pdfKey(b.Slug)] = bytes.Repeat([]byte("%"), 2400)
	}
	for id := range r.figureByID {
		files[imageKey(id, "svg")] = []byte("<svg/>")
		files[imageKey(id, "png")] = []byte("png")
	}
	_, o, _, probs = s.render(files, nil)
	if o == nil {
		t.Fatal(probs.Sort())
	}
	for key, want := range map[string][]string{
		"briefs/ai-chip-market-and-leverage/index.html": {
			`<a href="/observatory/briefs/ai-chip-market-and-leverage/ai-chip-market-and-leverage.pdf" download>Download PDF</a> <span class="brief-pdf__size">(PDF, 2 KB)</span>`,
			`<meta name="citation_pdf_url" content="https://example.org/observatory/briefs/ai-chip-market-and-leverage/ai-chip-market-and-leverage.pdf">`,
			`<meta property="og:image" content="https://example.org/observatory/charts/nvidia-datacenter-revenue/nvidia-datacenter-revenue.png">`,
			`<a href="/observatory/charts/nvidia-datacenter-revenue/nvidia-datacenter-revenue.svg" download>SVG`,
		},
		"charts/nvidia-datacenter-revenue/index.html": {
			`<meta property="og:image" content="https://example.org/observatory/charts/nvidia-datacenter-revenue/nvidia-datacenter-revenue.png">`,
			`<meta property="og:image:width" content="1600">`,
			`<a href="/observatory/charts/nvidia-datacenter-revenue/nvidia-datacenter-revenue.png" download>PNG`,
		},
		"feed.json": {`"image": "https://example.org/observatory/charts/nvidia-datacenter-revenue/nvidia-datacenter-revenue.png"`},
		"feed.xml":  {`<link rel="enclosure" type="image/png" title="Figure 1. NVIDIA data-center revenue, fiscal 2023–2025" length="3" href="https://example.org/observatory/charts/nvidia-datacenter-revenue/nvidia-datacenter-revenue.png">`},
		"briefs/ai-chip-market-and-leverage/ai-chip-market-and-leverage.pdf": {"%%%"},
	} {
		for _, w := range want {
			if !bytes.Contains(o[key], []byte(w)) {
				t.Errorf("%s: no %s", key, w)
			}
		}
	}
}

func TestSizeText(t *testing.T) {
	for size, want := range map[int]string{0: "0 bytes", 999: "999 bytes", 1000: "1 KB", 412_400: "412 KB", 999_499: "999 KB", 999_500: "1.0 MB", 1_000_000: "1.0 MB", 1_250_000: "1.2 MB"} {
		if got := (&FileView{Size: size}).SizeText(); got != want {
			t.Errorf("%d bytes: %q, want %q", size, got, want)
		}
	}
}
