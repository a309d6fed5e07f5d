package site

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"testing"
	"testing/fstest"
	"time"
)

// TestDeterministic builds a site twice with Build, from copies in two
// folders of different names and depths, once with GOMAXPROCS=1 and once
// with GOMAXPROCS=2, and requires byte-identical sites on disk: the same
// files, with the same modes and bytes. One core renders pages in order;
// two interleave them, so any output that depended on scheduling, map
// order or the source folder would differ. It does so for the example
// site and for a generated one of 100 briefs with a chart each.
func TestDeterministic(t *testing.T) {
	repo := os.DirFS("../..")
	example := fstest.MapFS{}
	for _, root := range []string{"folio.yaml", "content", "data", "templates"} {
		err := fs.WalkDir(repo, root, func(p string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return err
			}
			data, err := fs.ReadFile(repo, p)
			example[p] = &fstest.MapFile{Data: data, Mode: 0o644}
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	for name, src := range map[string]fs.FS{"example": example, "generated": genSiteCharts(t, 100, true)} {
		t.Run(name, func(t *testing.T) {
			today := time.Now()
			var sites []map[string]string
			for i, procs := range []int{1, 2} {
				dir := filepath.Join(t.TempDir(), "copy")
				if i == 1 {
					dir = filepath.Join(t.TempDir(), "elsewhere", "a longer name", "src")
				}
				if err := os.CopyFS(dir, src); err != nil {
					t.Fatal(err)
				}
				out := filepath.Join(dir, "site")
				prev := runtime.GOMAXPROCS(procs)
				_, probs, err := Build(dir, out, Options{Today: today})
				runtime.GOMAXPROCS(prev)
				if err != nil || probs.Errors() > 0 {
					t.Fatalf("GOMAXPROCS=%d: %v %v", procs, err, probs.Sort())
				}
				sites = append(sites, tree(t, out))
			}
			a, b := sites[0], sites[1]
			var differ []string
			for p := range a {
				if a[p] != b[p] {
					differ = append(differ, p)
				}
			}
			for p := range b {
				if _, ok := a[p]; !ok {
					differ = append(differ, p)
				}
			}
			slices.Sort(differ)
			if len(differ) > 0 {
				t.Errorf("%d of %d files differ between GOMAXPROCS=1 and 2 in two folders: %v", len(differ), len(a), differ[:min(len(differ), 10)])
			}
			if len(a) < 50 {
				t.Errorf("only %d files built", len(a))
			}
		})
	}
}

// tree returns each file below dir, by slash-separated path, as its mode
// and contents.
func tree(t *testing.T, dir string) map[string]string {
	t.Helper()
	files := map[string]string{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(dir, p)
		if err != nil {
			return err
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		var data []byte
		if !d.IsDir() {
			if data, err = os.ReadFile(p); err != nil {
				return err
			}
		}
		files[filepath.ToSlash(rel)] = fmt.Sprintf("%v\n%s", info.Mode(), data)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return files
}
