package conformance

import (
	"bytes"
	"encoding/xml"
	"html"
	"image/png"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/folio-ssg/folio/internal/site"
)

// TestEditions builds the example site as `folio build -pdf -images` does,
// twice, and checks what Chromium made: the same bytes both times; a PDF
// of every brief, on A4, whose text (pdftotext) holds the brief's title,
// authors, figure titles and endnotes; an SVG of every chart that parses
// as XML with a title and no script, and a PNG of twice the chart's size;
// and pages that link them.
func TestEditions(t *testing.T) {
	exe := requireTool(t, "chromium", "apt-get install chromium")
	pdftotext := requireTool(t, "pdftotext", "apt-get install poppler-utils")
	pdfinfo := requireTool(t, "pdfinfo", "apt-get install poppler-utils")
	dir := t.TempDir()
	var outs [2]string
	for i := range outs {
		outs[i] = filepath.Join(dir, "site"+strconv.Itoa(i))
		_, probs, err := site.Build(repoRoot, outs[i], site.Options{PDF: true, Images: true, Chromium: exe})
		if err != nil || probs.Errors() > 0 {
			t.Fatalf("build %d: %v\n%v", i+1, err, probs.Sort())
		}
	}
	out := outs[0]
	sameTree(t, outs[0], outs[1])

	s, probs := site.Load(os.DirFS(repoRoot), site.Options{})
	if s == nil || probs.Errors() > 0 {
		t.Fatal(probs.Sort())
	}
	names := map[string]string{}
	for _, a := range s.Authors {
		names[a.Slug] = a.Name
	}
	for _, b := range s.Briefs {
		if b.Draft {
			continue
		}
		page := read(t, out, "briefs/"+b.Slug+"/index.html")
		pdfPath := "briefs/" + b.Slug + "/" + b.Slug + ".pdf"
		if !bytes.Contains(page, []byte(`href="/observatory/`+pdfPath+`" download>Download PDF</a>`)) {
			t.Errorf("%s: no Download PDF link to %s", b.Path, pdfPath)
		}
		if !regexp.MustCompile(`\(PDF, \d+ KB\)`).Match(page) {
			t.Errorf("%s: the PDF link does not give the size", b.Path)
		}
		if !bytes.Contains(page, []byte(`<meta name="citation_pdf_url" content="https://example.org/observatory/`+pdfPath+`">`)) {
			t.Errorf("%s: no citation_pdf_url", b.Path)
		}
		file := filepath.Join(out, filepath.FromSlash(pdfPath))
		info := run(t, pdfinfo, file)
		if !strings.Contains(info, "(A4)") {
			t.Errorf("%s: not A4:\n%s", pdfPath, info)
		}
		text := strings.Join(strings.Fields(run(t, pdftotext, "-enc", "UTF-8", file, "-")), " ")
		want := []string{b.Title}
		for _, a := range b.Authors {
			want = append(want, names[a.Name])
		}
		for _, m := range figureTitle.FindAllSubmatch(page, -1) {
			want = append(want, "Figure "+string(m[1])+". "+html.UnescapeString(string(m[2])))
		}
		notes := endnote.FindAllSubmatch(page, -1)
		for _, m := range notes {
			words := strings.Fields(html.UnescapeString(tag.ReplaceAllString(string(m[1]), "")))
			want = append(want, strings.Join(words[:min(len(words), 8)], " "))
		}
		if len(notes) == 0 {
			t.Errorf("%s: the page has no endnotes to look for", b.Path)
		}
		want = append(want, "Cite this brief", "Page 1 of")
		for _, w := range want {
			if !strings.Contains(text, w) {
				t.Errorf("%s: the text has no %q", pdfPath, w)
			}
		}
	}

	// The pages that link the new files are valid HTML too.
	java := requireTool(t, "java", "apt-get install default-jre-headless")
	jar := requireTool(t, "vnu-jar", "npm ci --ignore-scripts --prefix tools/conformance")
	pages := site.Output{}
	for _, pattern := range []string{"briefs/*/index.html", "charts/*/index.html", "data/*/index.html"} {
		matches, _ := filepath.Glob(filepath.Join(out, filepath.FromSlash(pattern)))
		for _, m := range matches {
			rel, _ := filepath.Rel(out, m)
			pages[filepath.ToSlash(rel)] = read(t, out, filepath.ToSlash(rel))
		}
	}
	v, err := validate(java, jar, pages)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range v.errs {
		t.Error(e)
	}

	charts, err := filepath.Glob(filepath.Join(out, "charts", "*", "index.html"))
	if err != nil || len(charts) == 0 {
		t.Fatalf("no chart pages: %v", err)
	}
	for _, c := range charts {
		id := filepath.Base(filepath.Dir(c))
		page := read(t, out, "charts/"+id+"/index.html")
		m := canvasHeight.FindSubmatch(page)
		if m == nil {
			continue // a table draws no chart
		}
		height, _ := strconv.Atoi(string(m[1]))
		for _, ext := range []string{"svg", "png"} {
			if !bytes.Contains(page, []byte(`href="/observatory/charts/`+id+`/`+id+`.`+ext+`" download>`)) {
				t.Errorf("charts/%s: no link to its %s", id, ext)
			}
		}
		if !bytes.Contains(page, []byte(`<meta property="og:image" content="https://example.org/observatory/charts/`+id+`/`+id+`.png">`)) {
			t.Errorf("charts/%s: its og:image is not its PNG", id)
		}
		checkSVG(t, id, read(t, out, "charts/"+id+"/"+id+".svg"))
		img, err := png.Decode(bytes.NewReader(read(t, out, "charts/"+id+"/"+id+".png")))
		if err != nil {
			t.Errorf("charts/%s: the PNG: %v", id, err)
			continue
		}
		if w, h := img.Bounds().Dx(), img.Bounds().Dy(); w != 1600 || h != 2*height {
			t.Errorf("charts/%s: the PNG is %dx%d, want 1600x%d", id, w, h, 2*height)
		}
	}
}

var (
	figureTitle  = regexp.MustCompile(`<span class="chart__number">Figure (\d+)\.</span> ([^<]*)</span>`)
	endnote      = regexp.MustCompile(`(?s)<li id="fn:[^"]*">\s*<p>(.*?)</p>`)
	tag          = regexp.MustCompile(`<[^>]*>`)
	canvasHeight = regexp.MustCompile(`class="chart__canvas" data-options="[^"]*" data-type="[^"]*" data-height="(\d+)"`)
)

// checkSVG fails unless data is an SVG document that parses, whose root
// is <svg> with a <title> first, and that holds no script.
func checkSVG(t *testing.T, id string, data []byte) {
	t.Helper()
	d := xml.NewDecoder(bytes.NewReader(data))
	var names []string
	for {
		tok, err := d.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Errorf("charts/%s: the SVG does not parse: %v", id, err)
			return
		}
		if se, ok := tok.(xml.StartElement); ok {
			names = append(names, se.Name.Local)
			for _, a := range se.Attr {
				if strings.HasPrefix(strings.ToLower(a.Name.Local), "on") {
					t.Errorf("charts/%s: the SVG has an event handler %s", id, a.Name.Local)
				}
			}
		}
	}
	if len(names) < 3 || names[0] != "svg" || names[1] != "title" || names[2] != "desc" {
		t.Errorf("charts/%s: the SVG starts %v, want svg, title, desc", id, names[:min(len(names), 3)])
	}
	for _, n := range names {
		if strings.EqualFold(n, "script") || strings.EqualFold(n, "foreignObject") {
			t.Errorf("charts/%s: the SVG has a <%s>", id, n)
		}
	}
}

// sameTree fails unless the folders a and b hold the same files with the
// same bytes.
func sameTree(t *testing.T, a, b string) {
	t.Helper()
	files := func(root string) map[string][]byte {
		m := map[string][]byte{}
		err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return err
			}
			data, err := os.ReadFile(p)
			rel, _ := filepath.Rel(root, p)
			m[filepath.ToSlash(rel)] = data
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		return m
	}
	fa, fb := files(a), files(b)
	for p, data := range fa {
		if other, ok := fb[p]; !ok {
			t.Errorf("%s: only in the first build", p)
		} else if !bytes.Equal(data, other) {
			t.Errorf("%s: differs between two builds of the same sources", p)
		}
	}
	for p := range fb {
		if _, ok := fa[p]; !ok {
			t.Errorf("%s: only in the second build", p)
		}
	}
}

func read(t *testing.T, root, p string) []byte {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(root, filepath.FromSlash(p)))
	if err != nil {
		t.Fatal(err)
	}
	return data
}

func run(t *testing.T, name string, args ...string) string {
	t.Helper()
	out, err := exec.Command(name, args...).Output()
	if err != nil {
		t.Fatalf("%s %s: %v", name, strings.Join(args, " "), err)
	}
	return string(out)
}
