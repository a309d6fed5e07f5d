package site

import (
	"bytes"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"
)

// TestReproducibleBuild builds the example site as two CI machines would:
// from checkouts at different paths, in time zones a day apart, at
// different times of day on different days (none of which publishes or
// withholds a brief), on one core and on several. The two published
// folders must hold the same files with the same bytes and modes, and
// nothing of either machine: so an unchanged site deploys unchanged files,
// and hosts that upload by content hash skip them all.
func TestReproducibleBuild(t *testing.T) {
	type machine struct {
		checkout string // below the test's temporary folder
		zone     *time.Location
		now      time.Time // in zone
		procs    int
	}
	machines := []machine{
		{"a", time.FixedZone("UTC-11", -11*3600), time.Date(2026, 3, 2, 0, 5, 0, 0, time.UTC), 1},
		{"work/checkouts/b with spaces/observatory", time.FixedZone("UTC+14", 14*3600), time.Date(2026, 7, 19, 23, 55, 0, 0, time.UTC), max(4, runtime.NumCPU())},
	}
	// time.Local is what TZ sets; this test runs alone (no t.Parallel),
	// and puts it back.
	defer func(loc *time.Location, procs int) {
		time.Local = loc
		runtime.GOMAXPROCS(procs)
	}(time.Local, runtime.GOMAXPROCS(0))

	var trees []map[string]file
	var dirs []string
	for _, m := range machines {
		root := t.TempDir()
		src := filepath.Join(root, filepath.FromSlash(m.checkout))
		copyExample(t, src)
		time.Local = m.zone
		runtime.GOMAXPROCS(m.procs)
		out := filepath.Join(root, "public")
		_, probs, err := Build(src, out, Options{Today: m.now.In(m.zone)})
		if err != nil || len(probs) > 0 {
			t.Fatalf("build from %s: %v %v", m.checkout, err, probs.Sort())
		}
		trees = append(trees, readTree(t, out))
		dirs = append(dirs, root)
	}
	a, b := trees[0], trees[1]
	for _, p := range slices.Sorted(maps.Keys(a)) {
		switch fb, ok := b[p]; {
		case !ok:
			t.Errorf("%s: only in the first build", p)
		case fb.mode != a[p].mode:
			t.Errorf("%s: mode %v, then %v", p, a[p].mode, fb.mode)
		case !bytes.Equal(fb.data, a[p].data):
			t.Errorf("%s differs between the builds", p)
		}
	}
	for p := range b {
		if _, ok := a[p]; !ok {
			t.Errorf("%s: only in the second build", p)
		}
	}
	// Neither build names where it ran.
	for i, tree := range trees {
		for p, f := range tree {
			if bytes.Contains(f.data, []byte(dirs[i])) || bytes.Contains(f.data, []byte(filepath.ToSlash(dirs[i]))) {
				t.Errorf("%s names the build folder %s", p, dirs[i])
			}
		}
	}
}

// copyExample copies the repository's example site to dir.
func copyExample(t *testing.T, dir string) {
	t.Helper()
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
}

type file struct {
	data []byte
	mode fs.FileMode
}

// readTree reads every file and folder below dir, by slash path.
func readTree(t *testing.T, dir string) map[string]file {
	t.Helper()
	tree := map[string]file{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		fi, err := d.Info()
		if err != nil {
			return err
		}
		f := file{mode: fi.Mode()}
		if !d.IsDir() {
			if f.data, err = os.ReadFile(p); err != nil {
				return err
			}
		}
		tree[strings.TrimSuffix(filepath.ToSlash(rel), "/")] = f
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return tree
}
