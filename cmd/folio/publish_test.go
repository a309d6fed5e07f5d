//go:build unix

package main

import (
	"bytes"
	"crypto/sha256"
	"errors"
	"flag"
	"fmt"
	"io/fs"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

var killSeed = flag.Uint64("kill.seed", 0, "seed of TestPublishing's kill delays (0: from the clock)")

// TestPublishing runs the real folio binary against the guarantee that
// the output folder is only ever the previous site or the new one, whole:
// killed with SIGKILL at any moment of a build, and with two builds of one
// output folder at once.
func TestPublishing(t *testing.T) {
	if testing.Short() {
		t.Skip("builds folio and a site of 200 briefs some 35 times")
	}
	bin := buildFolio(t)
	old, a, b := t.TempDir(), t.TempDir(), t.TempDir()
	writeSite(t, old, "Old Observatory", 40)
	writeSite(t, a, "Observatory A", 200)
	writeSite(t, b, "Observatory B", 200)
	refs := t.TempDir()
	oldSite := filepath.Join(refs, "old")
	folio(t, bin, old, oldSite)
	start := time.Now()
	folio(t, bin, a, filepath.Join(refs, "a"))
	took := time.Since(start)
	start = time.Now()
	folio(t, bin, b, filepath.Join(refs, "b"))
	took = max(took, time.Since(start))
	hashes := map[string]string{
		treeHash(t, oldSite):                  "old",
		treeHash(t, filepath.Join(refs, "a")): "A",
		treeHash(t, filepath.Join(refs, "b")): "B",
	}
	if len(hashes) != 3 {
		t.Fatal("the three reference sites are not all different")
	}
	t.Logf("a build of 200 briefs takes %v", took.Round(time.Millisecond))

	t.Run("sigkill", func(t *testing.T) {
		seed := *killSeed
		if seed == 0 {
			seed = uint64(time.Now().UnixNano())
		}
		t.Logf("seed %d (rerun with -kill.seed %d)", seed, seed)
		rng := rand.New(rand.NewPCG(seed, 0))
		out := filepath.Join(t.TempDir(), "site")
		const trials = 24
		seen := map[string]int{}
		for i := range trials {
			reset(t, oldSite, out)
			// One delay in each of trials equal slices of 1.1 times a
			// build, so the kills cover the whole build and past it.
			delay := time.Duration((float64(i) + rng.Float64()) / trials * 1.1 * float64(took))
			cmd := exec.Command(bin, "build", "-src", a, "-out", out)
			var stderr bytes.Buffer
			cmd.Stderr = &stderr
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			time.Sleep(delay)
			cmd.Process.Kill()
			err := cmd.Wait()
			killed := err != nil
			if killed && !strings.Contains(err.Error(), "killed") {
				t.Fatalf("trial %d: folio build failed before the kill: %v\n%s", i, err, stderr.Bytes())
			}
			h := treeHash(t, out)
			got := hashes[h]
			if h == "" {
				got = "missing"
			}
			left := leftovers(t, out)
			t.Logf("trial %2d: kill after %v: killed=%v, output %s, left %v", i, delay.Round(time.Millisecond), killed, or(got, "a mix"), left)
			switch {
			case got != "old" && got != "A":
				t.Errorf("trial %d: killed after %v, %s is neither the old site nor the new one", i, delay, out)
			case got == "old" && !killed:
				t.Errorf("trial %d: the build finished, but %s is the old site", i, out)
			}
			seen[got]++
			for _, name := range left {
				if !strings.HasPrefix(name, ".site.new-") && !strings.HasPrefix(name, ".site.old-") {
					t.Errorf("trial %d: the killed build left %s", i, name)
				}
			}
		}
		// Not an error when one state is never seen: a loaded machine
		// slows the builds past the delays, and the guarantee held anyway.
		t.Logf("%d trials: old site %d times, new site %d times", trials, seen["old"], seen["A"])
		folio(t, bin, a, out)
		if hashes[treeHash(t, out)] != "A" {
			t.Errorf("the build after the kills did not publish the new site")
		}
		if left := leftovers(t, out); len(left) > 0 {
			t.Errorf("the build after the kills left %v", left)
		}
	})

	t.Run("two builds at once", func(t *testing.T) {
		out := filepath.Join(t.TempDir(), "site")
		for round := range 3 {
			reset(t, oldSite, out)
			var wg sync.WaitGroup
			for _, src := range []string{a, b} {
				wg.Go(func() {
					cmd := exec.Command(bin, "build", "-src", src, "-out", out)
					if msg, err := cmd.CombinedOutput(); err != nil {
						t.Errorf("round %d: folio build -src %s: %v\n%s", round, filepath.Base(src), err, msg)
					}
				})
			}
			wg.Wait()
			if got := hashes[treeHash(t, out)]; got != "A" && got != "B" {
				t.Errorf("round %d: after two builds at once, %s is %s", round, out, or(got, "a mix"))
			}
			if left := leftovers(t, out); len(left) > 0 {
				t.Errorf("round %d: left %v", round, left)
			}
		}
	})
}

// buildFolio builds this command into a temporary folder.
func buildFolio(t *testing.T) string {
	t.Helper()
	gocmd, err := exec.LookPath("go")
	if err != nil {
		t.Skip("no go command to build folio with")
	}
	bin := filepath.Join(t.TempDir(), "folio")
	if msg, err := exec.Command(gocmd, "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, msg)
	}
	return bin
}

// folio builds the site in src into out, and fails the test if it fails.
func folio(t *testing.T, bin, src, out string) {
	t.Helper()
	if msg, err := exec.Command(bin, "build", "-src", src, "-out", out).CombinedOutput(); err != nil {
		t.Fatalf("folio build -src %s: %v\n%s", src, err, msg)
	}
}

// reset makes out a copy of the site in from, leaving what lies beside
// out as it is.
func reset(t *testing.T, from, out string) {
	t.Helper()
	if err := os.RemoveAll(out); err != nil {
		t.Fatal(err)
	}
	if err := os.CopyFS(out, os.DirFS(from)); err != nil {
		t.Fatal(err)
	}
}

// treeHash is a hash of every name, kind and file's bytes in dir, or "" when
// dir does not exist.
func treeHash(t *testing.T, dir string) string {
	t.Helper()
	h := sha256.New()
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		fmt.Fprintf(h, "%q %v\n", rel, d.Type())
		if d.Type().IsRegular() {
			data, err := os.ReadFile(p)
			fmt.Fprintf(h, "%d %x\n", len(data), sha256.Sum256(data))
			return err
		}
		return nil
	})
	if errors.Is(err, fs.ErrNotExist) {
		return ""
	}
	if err != nil {
		t.Fatal(err)
	}
	return fmt.Sprintf("%x", h.Sum(nil))
}

// leftovers lists the entries beside out named for it, but its lock file.
func leftovers(t *testing.T, out string) []string {
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

func or(s, alt string) string {
	if s == "" {
		return alt
	}
	return s
}

// writeSite writes a site called title of n briefs of some 600 words,
// each with a chart, into dir, on the repository's templates.
func writeSite(t *testing.T, dir, title string, n int) {
	t.Helper()
	if err := os.CopyFS(filepath.Join(dir, "templates"), os.DirFS("../../templates")); err != nil {
		t.Fatal(err)
	}
	files := map[string]string{
		"folio.yaml": "title: " + title + "\ndescription: A site for the publishing tests.\nbase_url: https://example.org/\n" +
			"menu:\n  - {title: Briefs, url: /briefs/}\n",
		"content/authors/jane-doe.md": "---\nname: Jane Doe\n---\nJane writes.\n",
		"data/sales.yaml": "title: Chip sales\nsource: {name: CSET, url: \"https://cset.georgetown.edu/\"}\n" +
			"columns:\n  - {name: year, type: integer}\n  - {name: sales, type: number}\n" +
			"rows:\n  - {year: 2022, sales: 42}\n  - {year: 2023, sales: 55}\n  - {year: 2024, sales: 71}\n",
	}
	para := strings.Repeat("Export controls on *advanced* chips shape where models are trained and who can sell them. ", 12)
	for i := range n {
		var b strings.Builder
		fmt.Fprintf(&b, "---\ntitle: Brief %d\nsummary: Brief number %d.\ndate: 2025-%02d-%02d\nauthors: [jane-doe]\ntags: [topic %d]\n---\n",
			i, i, i%12+1, i%28+1, i%10)
		for s := range 5 {
			fmt.Fprintf(&b, "## Part %d\n\n%s\n\n", s, para)
		}
		fmt.Fprintf(&b, "```chart\ntype: bar\ndata: sales\nx: year\ny: sales\n```\n")
		files[fmt.Sprintf("content/briefs/brief-%d.md", i)] = b.String()
	}
	for name, data := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}
