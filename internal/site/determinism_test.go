package site

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
)

// TestDeterministic builds the example site from two copies in different
// folders, with different GOMAXPROCS-driven scheduling, and requires
// byte-identical output.
func TestDeterministic(t *testing.T) {
	var outs []Output
	for range 2 {
		dir := filepath.Join(t.TempDir(), "copy")
		for _, d := range []string{"content", "data", "templates"} {
			if err := os.CopyFS(filepath.Join(dir, d), os.DirFS(filepath.Join("../..", d))); err != nil {
				t.Fatal(err)
			}
		}
		cfg, err := os.ReadFile("../../folio.yaml")
		if err != nil {
			t.Fatal(err)
		}
		writeFiles(t, dir, map[string]string{"folio.yaml": string(cfg)})
		s, probs := Load(os.DirFS(dir), Options{})
		if s == nil || len(probs) > 0 {
			t.Fatal(probs.Sort())
		}
		o, _, probs := s.Render()
		if o == nil {
			t.Fatal(probs.Sort())
		}
		outs = append(outs, o)
	}
	if len(outs[0]) != len(outs[1]) {
		t.Fatalf("builds differ in file count: %d vs %d", len(outs[0]), len(outs[1]))
	}
	for p, data := range outs[0] {
		if !bytes.Equal(data, outs[1][p]) {
			t.Errorf("%s differs between builds", p)
		}
	}
}
