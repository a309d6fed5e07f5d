package main

import (
	"bytes"
	"compress/gzip"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strings"
	"testing"

	"github.com/andybalholm/brotli"
)

// TestPrecompress builds the example site with -precompress and checks
// that every .gz and .br copy decompresses to its original, is smaller,
// and stands beside a text file only; and that the text files worth it
// have both copies.
//
// The site is a copy of the example with a stand-in for the vendored
// ECharts: brotli's best compression of its megabyte takes seconds, and
// minutes under the race detector, and would test nothing more.
func TestPrecompress(t *testing.T) {
	src := filepath.Join(t.TempDir(), "src")
	for _, d := range []string{"content", "data", "templates"} {
		if err := os.CopyFS(filepath.Join(src, d), os.DirFS(filepath.Join("../..", d))); err != nil {
			t.Fatal(err)
		}
	}
	cfg, err := os.ReadFile("../../folio.yaml")
	if err != nil {
		t.Fatal(err)
	}
	stub := "/* ECharts stand-in */\n" + strings.Repeat("window.echarts = window.echarts || {};\n", 400)
	for name, data := range map[string]string{"folio.yaml": string(cfg), "templates/assets/vendor/echarts/echarts.min.js": stub} {
		if err := os.WriteFile(filepath.Join(src, name), []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	out := filepath.Join(t.TempDir(), "site")
	var stdout, stderr bytes.Buffer
	if code := run([]string{"build", "-src", src, "-out", out, "-precompress"}, &stdout, &stderr); code != 0 {
		t.Fatalf("folio build -precompress: exit %d\n%s%s", code, stdout.String(), stderr.String())
	}
	files := map[string][]byte{}
	err = filepath.WalkDir(out, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(out, p)
		files[filepath.ToSlash(rel)], err = os.ReadFile(p)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	text := map[string]bool{".html": true, ".css": true, ".js": true, ".json": true, ".xml": true, ".csv": true, ".svg": true, ".txt": true}
	copies := 0
	for name, data := range files {
		ext := path.Ext(name)
		if ext != ".gz" && ext != ".br" {
			if text[ext] && len(data) > 4096 && (files[name+".gz"] == nil || files[name+".br"] == nil) {
				t.Errorf("%s (%d bytes) lacks a .gz or .br copy", name, len(data))
			}
			continue
		}
		copies++
		orig := strings.TrimSuffix(name, ext)
		want, ok := files[orig]
		if !ok {
			t.Errorf("%s has no original", name)
			continue
		}
		if !text[path.Ext(orig)] {
			t.Errorf("%s: %s is not a text file", name, orig)
		}
		if len(data) >= len(want) {
			t.Errorf("%s is %d bytes, not smaller than %s's %d", name, len(data), orig, len(want))
		}
		var r io.Reader
		if ext == ".gz" {
			zr, err := gzip.NewReader(bytes.NewReader(data))
			if err != nil {
				t.Errorf("%s: %v", name, err)
				continue
			}
			// Nothing of the machine or the moment in the header.
			if zr.Name != "" || !zr.ModTime.IsZero() || zr.Comment != "" {
				t.Errorf("%s: header has name %q, time %v, comment %q", name, zr.Name, zr.ModTime, zr.Comment)
			}
			r = zr
		} else {
			r = brotli.NewReader(bytes.NewReader(data))
		}
		got, err := io.ReadAll(r)
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		if !bytes.Equal(got, want) {
			t.Errorf("%s does not decompress to %s", name, orig)
		}
	}
	if copies == 0 {
		t.Fatal("no compressed files written")
	}
	if !strings.Contains(stdout.String(), " files) into ") {
		t.Errorf("no summary line: %q", stdout.String())
	}
}
