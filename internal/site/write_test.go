package site

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"
)

// testOutput is a site of n pages in folders, each page saying which
// site it belongs to, so that a mix of two is seen.
func testOutput(name string, n int) Output {
	o := Output{"index.html": []byte("home of " + name + "\n")}
	for i := range n {
		o[fmt.Sprintf("briefs/%s-%03d/index.html", name, i)] = fmt.Appendf(nil, "page %d of %s\n", i, name)
		o[fmt.Sprintf("shared/%03d.txt", i)] = fmt.Appendf(nil, "shared %d of %s\n", i, name)
	}
	return o
}

// leftovers lists what builds left beside the output folder out: every
// .<base>.* entry but the lock file, which stays by design.
func leftovers(t testing.TB, out string) []string {
	t.Helper()
	dir, base := filepath.Split(out)
	ents, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var left []string
	for _, e := range ents {
		if strings.HasPrefix(e.Name(), "."+base+".") && e.Name() != "."+base+".lock" {
			left = append(left, e.Name())
		}
	}
	return left
}

// replace sets *v to x for the rest of the test.
func replace[T any](t *testing.T, v *T, x T) {
	old := *v
	*v = x
	t.Cleanup(func() { *v = old })
}

// TestWriteReplacesWhole publishes a first site, then a second one with
// other pages, by the exchange and by the two renames it falls back to:
// the second replaces the first whole, and nothing is left beside it.
func TestWriteReplacesWhole(t *testing.T) {
	for _, fallback := range []bool{false, true} {
		t.Run(fmt.Sprint("fallback=", fallback), func(t *testing.T) {
			var calls atomic.Int32
			real := exchange
			replace(t, &exchange, func(a, b string) error {
				calls.Add(1)
				if fallback {
					return fmt.Errorf("test: %w", errors.ErrUnsupported)
				}
				return real(a, b)
			})
			src, out := t.TempDir(), filepath.Join(t.TempDir(), "site")
			first, second := testOutput("first", 20), testOutput("second", 10)
			if err := Write(src, out, first); err != nil {
				t.Fatal(err)
			}
			if calls.Load() != 0 {
				t.Errorf("the first publish exchanged folders; it has nothing to exchange with")
			}
			if !sameOutput(readOutput(t, out), first) {
				t.Fatalf("first publish: %s is not the site written", out)
			}
			if err := Write(src, out, second); err != nil {
				t.Fatal(err)
			}
			if calls.Load() != 1 {
				t.Errorf("the second publish called exchange %d times, want 1", calls.Load())
			}
			if !sameOutput(readOutput(t, out), second) {
				t.Errorf("second publish: %s is not exactly the second site", out)
			}
			if fi, err := os.Stat(out); err != nil || fi.Mode().Perm() != 0o755 {
				t.Errorf("%s: %v, %v; want a folder with mode 0755", out, fi.Mode(), err)
			}
			if left := leftovers(t, out); len(left) > 0 {
				t.Errorf("left beside the site: %v", left)
			}
		})
	}
}

// TestWriteRemovesLeftovers: the temporary folders of killed builds of
// the same output folder go, and nothing else does.
func TestWriteRemovesLeftovers(t *testing.T) {
	src, parent := t.TempDir(), t.TempDir()
	out := filepath.Join(parent, "site")
	if err := Write(src, out, testOutput("old", 3)); err != nil {
		t.Fatal(err)
	}
	gone := []string{".site.new-123/briefs/x/index.html", ".site.old-4294967295/index.html", ".site.new-7"}
	kept := []string{".site.new-/a", ".site.new-12a/a", ".site.old-x/a", ".other.new-1/a", ".site.newer-1/a", "site.new-1/a", ".site.lock"}
	for _, p := range append(gone, kept...) {
		writeFiles(t, parent, map[string]string{p: "x"})
	}
	if err := Write(src, out, testOutput("new", 3)); err != nil {
		t.Fatal(err)
	}
	for _, p := range gone {
		top := strings.Split(p, "/")[0]
		if _, err := os.Lstat(filepath.Join(parent, top)); !errors.Is(err, fs.ErrNotExist) {
			t.Errorf("%s, left by a killed build, is still there", top)
		}
	}
	for _, p := range kept {
		if _, err := os.Lstat(filepath.Join(parent, p)); err != nil {
			t.Errorf("%s, not a leftover of site, was removed", p)
		}
	}
}

// diskFullFrom makes writeFile fail as a full disk does for every page
// from the one named first on (in sorted order), after writing half of
// it, and returns the number of writes tried.
func diskFullFrom(t *testing.T, first string) *atomic.Int32 {
	var calls atomic.Int32
	replace(t, &writeFile, func(name string, data []byte, perm os.FileMode) error {
		calls.Add(1)
		// name is in the new folder: .../.site.new-N/briefs/...
		_, key, _ := strings.Cut(filepath.ToSlash(name)[strings.LastIndex(name, ".new-"):], "/")
		if key < first {
			return os.WriteFile(name, data, perm)
		}
		os.WriteFile(name, data[:len(data)/2], perm)
		return &fs.PathError{Op: "write", Path: name, Err: syscall.ENOSPC}
	})
	return &calls
}

// TestWriteFullDisk: a write that fails leaves the previous site as it
// was, or no site when there was none, removes what it wrote, stops
// writing, and says which file failed, why, and what was kept.
func TestWriteFullDisk(t *testing.T) {
	src, parent := t.TempDir(), t.TempDir()
	out := filepath.Join(parent, "site")
	if err := Write(src, out, testOutput("old", 5)); err != nil {
		t.Fatal(err)
	}
	before := snapshot(t, out)
	o := testOutput("new", 100)
	calls := diskFullFrom(t, "briefs/new-050/index.html")
	err := Write(src, out, o)
	want := "cannot publish " + out + ": writing briefs/new-050/index.html: no space left on device; the previous site was left in place"
	if err == nil || err.Error() != want {
		t.Fatalf("Write on a full disk: %v\nwant: %s", err, want)
	}
	if !errors.Is(err, syscall.ENOSPC) {
		t.Errorf("the error does not wrap ENOSPC: %#v", err)
	}
	if snapshot(t, out) != before {
		t.Errorf("the failed write changed %s", out)
	}
	if left := leftovers(t, out); len(left) > 0 {
		t.Errorf("the failed write left %v", left)
	}
	// 51 writes reach the full disk; a few more may be under way then,
	// but not the remaining 150.
	if n := calls.Load(); n > 60 {
		t.Errorf("%d writes tried on a full disk, want it to stop after the first failure", n)
	}

	fresh := filepath.Join(parent, "fresh")
	err = Write(src, fresh, o)
	want = "cannot publish " + fresh + ": writing briefs/new-050/index.html: no space left on device; nothing was published"
	if err == nil || err.Error() != want {
		t.Fatalf("first publish on a full disk: %v\nwant: %s", err, want)
	}
	if _, err := os.Lstat(fresh); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("a failed first publish made %s", fresh)
	}
	if left := leftovers(t, fresh); len(left) > 0 {
		t.Errorf("the failed first publish left %v", left)
	}
}

// TestWriteAfterNFiles fails the write after a number of files, whichever
// they are, as a real disk does under parallel writes.
func TestWriteAfterNFiles(t *testing.T) {
	src := t.TempDir()
	out := filepath.Join(t.TempDir(), "site")
	if err := Write(src, out, testOutput("old", 5)); err != nil {
		t.Fatal(err)
	}
	before := snapshot(t, out)
	for _, n := range []int32{0, 1, 17, 200} {
		var calls atomic.Int32
		replace(t, &writeFile, func(name string, data []byte, perm os.FileMode) error {
			if calls.Add(1) > n {
				return &fs.PathError{Op: "open", Path: name, Err: syscall.ENOSPC}
			}
			return os.WriteFile(name, data, perm)
		})
		err := Write(src, out, testOutput("new", 100))
		if !errors.Is(err, syscall.ENOSPC) || !strings.HasPrefix(err.Error(), "cannot publish "+out+": writing ") ||
			!strings.HasSuffix(err.Error(), ": no space left on device; the previous site was left in place") {
			t.Errorf("disk full after %d files: %v", n, err)
		}
		if strings.Contains(err.Error(), ".site.new-") {
			t.Errorf("the error names the temporary folder: %v", err)
		}
		if snapshot(t, out) != before {
			t.Errorf("disk full after %d files: %s changed", n, out)
		}
		if left := leftovers(t, out); len(left) > 0 {
			t.Errorf("disk full after %d files: left %v", n, left)
		}
	}
}

// TestWriteWaitsForLock: while another build holds the lock, a build
// neither publishes nor removes leftovers (they may be the other build's
// folder); it waits, then publishes, or refuses after lockWait naming the
// holder.
func TestWriteWaitsForLock(t *testing.T) {
	src, parent := t.TempDir(), t.TempDir()
	out := filepath.Join(parent, "site")
	if err := Write(src, out, testOutput("old", 5)); err != nil {
		t.Fatal(err)
	}
	before := snapshot(t, out)
	unlock, err := lockOut(parent, "site", out, nil)
	if err != nil {
		t.Fatal(err)
	}
	writeFiles(t, parent, map[string]string{".site.new-42/index.html": "another build's, half written"})

	replace(t, &lockWait, 200*time.Millisecond)
	err = Write(src, out, testOutput("new", 5))
	want := fmt.Sprintf("another folio build (pid %d) is still publishing %s after 200ms; wait for it to finish, or stop it, then build again", os.Getpid(), out)
	if err == nil || err.Error() != want {
		t.Fatalf("Write while locked: %v\nwant: %s", err, want)
	}
	if snapshot(t, out) != before {
		t.Errorf("a build refused the lock changed %s", out)
	}
	if _, err := os.Stat(filepath.Join(parent, ".site.new-42")); err != nil {
		t.Errorf("a build without the lock removed another build's folder: %v", err)
	}

	replace(t, &lockWait, time.Minute)
	var stages []string
	done := make(chan error, 1)
	go func() {
		done <- write(src, out, testOutput("new", 5), func(s string) { stages = append(stages, s) })
	}()
	select {
	case err := <-done:
		t.Fatalf("Write published while another build held the lock: %v", err)
	case <-time.After(300 * time.Millisecond):
	}
	if snapshot(t, out) != before {
		t.Errorf("a build waiting for the lock changed %s", out)
	}
	unlock()
	select {
	case err := <-done:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("Write did not publish within 10s of the lock's release")
	}
	wantStage := fmt.Sprintf("waiting for another folio build (pid %d) to finish publishing %s", os.Getpid(), out)
	if len(stages) != 2 || stages[0] != wantStage || stages[1] != "writing "+out {
		t.Errorf("stages while waiting: %q, want [%q %q]", stages, wantStage, "writing "+out)
	}
	if !sameOutput(readOutput(t, out), testOutput("new", 5)) {
		t.Errorf("after the wait, %s is not the new site", out)
	}
	if left := leftovers(t, out); len(left) > 0 {
		t.Errorf("left %v", left)
	}
}

// TestConcurrentWrites publishes four sites into one folder at once, over
// and over: each publish succeeds, and the folder is always one whole
// site. Without the lock, one build removes another's new folder as a
// leftover while it is being written.
func TestConcurrentWrites(t *testing.T) {
	src := t.TempDir()
	out := filepath.Join(t.TempDir(), "site")
	sites := []Output{testOutput("a", 60), testOutput("b", 90), testOutput("c", 30), testOutput("d", 70)}
	var wg sync.WaitGroup
	for round := range 4 {
		for i, o := range sites {
			wg.Go(func() {
				if err := Write(src, out, o); err != nil {
					t.Errorf("round %d, site %d: %v", round, i, err)
				}
			})
		}
		wg.Wait()
		got := readOutput(t, out)
		whole := false
		for _, o := range sites {
			whole = whole || sameOutput(got, o)
		}
		if !whole {
			t.Fatalf("round %d: %s is a mix of sites (%d files)", round, out, len(got))
		}
	}
	if left := leftovers(t, out); len(left) > 0 {
		t.Errorf("left %v", left)
	}
}
