package site

import (
	"bytes"
	"maps"
	"runtime"
	"slices"
	"strings"
	"testing"
)

// TestPrecompressChoice checks which files get compressed copies: text
// files that shrink, and nothing else; and that the copies are the same
// bytes however the work is scheduled. cmd/folio's TestPrecompress checks
// that they decompress to their originals.
func TestPrecompressChoice(t *testing.T) {
	page := []byte("<!doctype html><title>x</title>" + strings.Repeat("<p>Export controls on AI chips.</p>\n", 200))
	o := Output{
		"index.html":                 page,
		"tiny.txt":                   []byte("ok\n"), // compressed, it would grow
		"assets/site.3f2a9c1b04.css": bytes.Repeat([]byte("body { margin: 0 }\n"), 100),
		"assets/icon.41ff1758e3.png": bytes.Repeat([]byte{0}, 4096),      // not text
		"assets/vendor/LICENSE.6342": bytes.Repeat([]byte("MIT "), 1000), // no extension
		"data/sales.csv":             bytes.Repeat([]byte("2022,42\n"), 300),
	}
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(1))
	one := precompress(o)
	runtime.GOMAXPROCS(4)
	four := precompress(o)
	var added []string
	for _, p := range slices.Sorted(maps.Keys(one)) {
		if !bytes.Equal(one[p], four[p]) {
			t.Errorf("%s differs between one core and four", p)
		}
		if _, ok := o[p]; !ok {
			added = append(added, p)
		}
	}
	want := []string{
		"assets/site.3f2a9c1b04.css.br", "assets/site.3f2a9c1b04.css.gz",
		"data/sales.csv.br", "data/sales.csv.gz", "index.html.br", "index.html.gz",
	}
	if !slices.Equal(added, want) {
		t.Errorf("compressed copies %q, want %q", added, want)
	}
	if len(o) != 6 {
		t.Errorf("precompress changed its argument: %d files", len(o))
	}
}
