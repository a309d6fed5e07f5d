package site

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// TestExchangeDirs swaps two folders in one step, here where the file
// system allows it.
func TestExchangeDirs(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{"a/x": "in a", "b/y": "in b"})
	err := exchangeDirs(filepath.Join(dir, "a"), filepath.Join(dir, "b"))
	if errors.Is(err, errors.ErrUnsupported) {
		t.Skipf("this file system refuses RENAME_EXCHANGE: %v", err)
	}
	if err != nil {
		t.Fatal(err)
	}
	for p, want := range map[string]string{"a/y": "in b", "b/x": "in a"} {
		if got, err := os.ReadFile(filepath.Join(dir, p)); err != nil || string(got) != want {
			t.Errorf("%s after the exchange: %q, %v; want %q", p, got, err, want)
		}
	}
	err = exchangeDirs(filepath.Join(dir, "a"), filepath.Join(dir, "missing"))
	if err == nil || errors.Is(err, errors.ErrUnsupported) {
		t.Errorf("exchanging with a missing folder: %v, want an error of its own", err)
	}
}

// TestWriteRealFullDisk publishes onto a 1 MiB tmpfs that a site of 2 MiB
// fills: the previous site stays, nothing is left, and the error says
// which file found the disk full. It needs root, to mount.
func TestWriteRealFullDisk(t *testing.T) {
	disk := t.TempDir()
	if err := syscall.Mount("tmpfs", disk, "tmpfs", 0, "size=1m"); err != nil {
		t.Skipf("cannot mount a tmpfs here (root only): %v", err)
	}
	t.Cleanup(func() {
		if err := syscall.Unmount(disk, 0); err != nil {
			t.Errorf("unmounting %s: %v", disk, err)
		}
	})
	src, out := t.TempDir(), filepath.Join(disk, "site")
	if err := Write(src, out, testOutput("old", 5)); err != nil {
		t.Fatal(err)
	}
	before := snapshot(t, out)
	big := testOutput("new", 5)
	for _, k := range []string{"a.bin", "b.bin"} {
		big["data/"+k] = []byte(strings.Repeat("x", 1<<20))
	}
	err := Write(src, out, big)
	if !errors.Is(err, syscall.ENOSPC) {
		t.Fatalf("Write of 2 MiB onto 1 MiB: %v, want no space left on device", err)
	}
	// Which file finds the disk full depends on the order of the
	// parallel writes: any of the site's.
	prefix := "cannot publish " + out + ": writing "
	suffix := ": no space left on device; the previous site was left in place"
	msg := err.Error()
	file := strings.TrimSuffix(strings.TrimPrefix(msg, prefix), suffix)
	if _, ok := big[file]; !ok || !strings.HasPrefix(msg, prefix) || !strings.HasSuffix(msg, suffix) {
		t.Errorf("error: %s\nwant: %sFILE%s, FILE one of the site's", msg, prefix, suffix)
	}
	if snapshot(t, out) != before {
		t.Errorf("the failed write changed %s", out)
	}
	if left := leftovers(t, out); len(left) > 0 {
		t.Errorf("the failed write left %v", left)
	}
}
