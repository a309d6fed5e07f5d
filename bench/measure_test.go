package main

import (
	"os"
	"path/filepath"
	"testing"
	"time"
)

func TestParseTime(t *testing.T) {
	report := "\tCommand being timed: \"floor -src x -out y\"\n" +
		"\tUser time (seconds): 0.73\n\tSystem time (seconds): 0.30\n" +
		"\tPercent of CPU this job got: 48%\n\tElapsed (wall clock) time (h:mm:ss or m:ss): 0:02.14\n" +
		"\tMaximum resident set size (kbytes): 10964\n\tExit status: 0\n"
	s, err := parseTime(report)
	if err != nil {
		t.Fatal(err)
	}
	if s.cpu != 1030*time.Millisecond || s.rss != 10964 {
		t.Errorf("parseTime: cpu %v, rss %d; want 1.03s, 10964", s.cpu, s.rss)
	}
	if _, err := parseTime("Command exited with non-zero status 1\n"); err == nil {
		t.Error("parseTime of a report without figures: no error")
	}
}

func TestMedian(t *testing.T) {
	for _, c := range []struct {
		xs   []float64
		want float64
	}{{nil, 0}, {[]float64{3}, 3}, {[]float64{5, 1, 3}, 3}, {[]float64{4, 1, 3, 2}, 2.5}} {
		if got := median(c.xs); got != c.want {
			t.Errorf("median(%v) = %v, want %v", c.xs, got, c.want)
		}
	}
}

func TestTrash(t *testing.T) {
	dir := t.TempDir()
	tr := &trash{dir: filepath.Join(dir, "trash")}
	out := filepath.Join(dir, "out")
	if err := tr.put(out); err != nil {
		t.Fatalf("putting a folder that does not exist: %v", err)
	}
	for i := range 2 {
		if err := os.MkdirAll(filepath.Join(out, "briefs"), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := tr.put(out); err != nil {
			t.Fatal(err)
		}
		if _, err := os.Stat(out); !os.IsNotExist(err) {
			t.Fatalf("put %d left the folder: %v", i, err)
		}
	}
	entries, err := os.ReadDir(tr.dir)
	if err != nil || len(entries) != 2 {
		t.Fatalf("the trash holds %v (%v), want the two folders", entries, err)
	}
	if err := tr.empty(); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(tr.dir); !os.IsNotExist(err) {
		t.Fatalf("empty left the trash: %v", err)
	}
}
