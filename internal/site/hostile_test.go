package site

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/rogpeppe/go-internal/txtar"
)

var update = flag.Bool("update", false, "rewrite the problems of testdata/hostile/*.txtar with what the build reports")

// TestHostile runs the catalogue of hostile and broken inputs,
// testdata/hostile/*.txtar, one case per archive. An archive holds files
// to add to (or replace in) testdata/base.txtar, and these sections:
//
//	problems  the exact problems of the build, one per line, as printed
//	want      assertions on the output of a build that succeeds (see checkOutput)
//	delete    base files to remove
//	generate  "path: append [N] "text"": appends text (a Go string), N
//	          times, to a file, for inputs too big or too odd to commit;
//	          "continue" instead of "append" first drops the newline that
//	          ends every file of an archive
//	symlink   "path -> target": symbolic links, made on disk; a target
//	          starting with $OUTSIDE/ is in a folder beside the sources
//	fifo      paths of named pipes, made on disk
//	out       the output folder, relative to the sources (default site)
//	error     the exact error Build returns, with $SRC for the sources
//
// Each case is built in memory (unless it needs the disk) and on disk
// over a previously built site: both must give exactly the problems, and
// on disk a failed build must leave site/ untouched, while a good one
// must replace it with exactly the output. Run with -update to rewrite
// the problems sections; then read the diff.
func TestHostile(t *testing.T) {
	archives, err := filepath.Glob("testdata/hostile/*.txtar")
	if err != nil || len(archives) < 60 {
		t.Fatalf("want at least 60 cases, have %d (%v)", len(archives), err)
	}
	for _, file := range archives {
		t.Run(strings.TrimSuffix(filepath.Base(file), ".txtar"), func(t *testing.T) {
			t.Parallel()
			runHostile(t, file)
		})
	}
}

// hostileCase is one archive of the catalogue.
type hostileCase struct {
	files    map[string]string
	problems string
	want     []string
	symlinks [][2]string
	fifos    []string
	out      string
	err      string
}

func readHostile(t *testing.T, file string) hostileCase {
	t.Helper()
	changes := readArchive(t, file)
	special := func(name string) string {
		s := changes[name]
		delete(changes, name)
		return s
	}
	c := hostileCase{
		problems: strings.TrimSpace(special("problems")),
		want:     nonEmpty(special("want")),
		out:      strings.TrimSpace(special("out")),
		err:      strings.TrimSpace(special("error")),
		fifos:    strings.Fields(special("fifo")),
	}
	del, gen, links := special("delete"), special("generate"), special("symlink")
	if c.out == "" {
		c.out = "site"
	}
	// An empty section is an empty file, not a deletion as for baseSite.
	var empty []string
	for name, data := range changes {
		if data == "" {
			empty = append(empty, name)
			delete(changes, name)
		}
	}
	c.files = baseSite(t, changes)
	for _, name := range empty {
		c.files[name] = ""
	}
	for _, name := range strings.Fields(del) {
		if _, ok := c.files[name]; !ok {
			t.Fatalf("delete: the base site has no %s", name)
		}
		delete(c.files, name)
	}
	for _, l := range nonEmpty(gen) {
		name, cont, text, n := parseGenerate(t, l)
		if cont {
			c.files[name] = strings.TrimSuffix(c.files[name], "\n")
		}
		c.files[name] += strings.Repeat(text, n)
	}
	for _, l := range nonEmpty(links) {
		link, target, ok := strings.Cut(l, " -> ")
		if !ok {
			t.Fatalf("bad symlink line %q", l)
		}
		c.symlinks = append(c.symlinks, [2]string{strings.TrimSpace(link), strings.TrimSpace(target)})
	}
	return c
}

// parseGenerate reads `path: append [N] "text"` or `path: continue ...`.
func parseGenerate(t *testing.T, l string) (name string, cont bool, text string, n int) {
	t.Helper()
	name, rest, ok := strings.Cut(l, ": append ")
	if !ok {
		name, rest, cont = strings.Cut(l, ": continue ")
	}
	if !ok && !cont {
		t.Fatalf("bad generate line %q", l)
	}
	n = 1
	if count, quoted, ok := strings.Cut(rest, " "); ok && !strings.HasPrefix(rest, `"`) {
		var err error
		if n, err = strconv.Atoi(count); err != nil {
			t.Fatalf("bad count in %q", l)
		}
		rest = quoted
	}
	text, err := strconv.Unquote(rest)
	if err != nil {
		t.Fatalf("bad text in %q: %v", l, err)
	}
	return name, cont, text, n
}

func runHostile(t *testing.T, file string) {
	c := readHostile(t, file)
	var mem Output
	if len(c.symlinks) == 0 && len(c.fifos) == 0 {
		start := time.Now()
		out, probs := renderFiles(t, c.files, Options{})
		if d := time.Since(start); d > 2*time.Minute {
			t.Errorf("building in memory took %v", d)
		}
		if got := strings.Join(probs, "\n"); got != c.problems {
			if *update {
				rewriteProblems(t, file, got)
			} else {
				t.Errorf("problems in memory:\n%s\nwant:\n%s", got, c.problems)
			}
		}
		checkOutput(t, out, c.want)
		mem = out
	}

	// On disk, over a good site built before.
	src := t.TempDir()
	outside := t.TempDir()
	writeFiles(t, outside, map[string]string{
		"secret.md":   "---\ntitle: Secret\nsummary: S.\ndate: 2025-02-03\n---\nTOP SECRET\n",
		"secret.yaml": "title: Secret\n",
		"secret.css":  "/* TOP SECRET */\n",
		"folio.yaml":  "title: Secret\ndescription: D\nbase_url: https://example.org/\n",
	})
	writeFiles(t, src, baseSite(t, nil))
	site := filepath.Join(src, "site")
	if _, probs, err := Build(src, site, Options{Today: today}); err != nil || len(probs) > 0 {
		t.Fatalf("base site: %v %v", err, probs)
	}
	before := snapshot(t, site)
	for _, name := range []string{"folio.yaml", "content", "data", "templates"} {
		if err := os.RemoveAll(filepath.Join(src, name)); err != nil {
			t.Fatal(err)
		}
	}
	writeFiles(t, src, c.files)
	for _, l := range c.symlinks {
		target := strings.Replace(l[1], "$OUTSIDE", outside, 1)
		p := filepath.Join(src, filepath.FromSlash(l[0]))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.RemoveAll(p); err != nil {
			t.Fatal(err)
		}
		if err := os.Symlink(filepath.FromSlash(target), p); err != nil {
			t.Skipf("cannot make symlinks here: %v", err)
		}
	}
	for _, name := range c.fifos {
		p := filepath.Join(src, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		os.Remove(p)
		if err := mkfifo(p); err != nil {
			t.Skipf("no named pipes here: %v", err)
		}
	}
	out := filepath.Join(src, filepath.FromSlash(c.out))
	_, statErr := os.Lstat(out)
	existed := statErr == nil
	start := time.Now()
	_, probs, err := Build(src, out, Options{Today: today})
	if d := time.Since(start); d > 2*time.Minute {
		t.Errorf("building on disk took %v", d)
	}
	var lines []string
	for _, p := range probs.Sort() {
		lines = append(lines, p.String())
	}
	if got := strings.Join(lines, "\n"); got != c.problems {
		if *update && mem == nil {
			rewriteProblems(t, file, got)
		} else {
			t.Errorf("problems on disk:\n%s\nwant:\n%s", got, c.problems)
		}
	}
	if got := strings.ReplaceAll(fmt.Sprint(err), src, "$SRC"); err != nil && got != c.err || err == nil && c.err != "" {
		t.Errorf("Build error %q, want %q", got, c.err)
	}
	if left := leftovers(t, out); len(left) > 0 {
		t.Errorf("the build left %v", left)
	}
	if err != nil || probs.Errors() > 0 {
		if after := snapshot(t, site); after != before {
			t.Errorf("site/ changed by a failed build")
		}
		if !existed {
			if _, err := os.Lstat(out); !errors.Is(err, fs.ErrNotExist) {
				t.Errorf("a failed build made %s", c.out)
			}
		}
		return
	}
	disk := readOutput(t, out)
	checkOutput(t, disk, c.want)
	if mem != nil && !sameOutput(mem, disk) {
		t.Errorf("site/ differs from the output built in memory")
	}
	if bytes.Contains([]byte(snapshot(t, out)), []byte("TOP SECRET")) {
		t.Errorf("a file from outside the sources was published")
	}
}

// readOutput reads a built site back as an Output.
func readOutput(t *testing.T, dir string) Output {
	t.Helper()
	o := Output{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		if !d.Type().IsRegular() {
			return fmt.Errorf("%s is not a regular file", p)
		}
		rel, err := filepath.Rel(dir, p)
		if err != nil {
			return err
		}
		o[filepath.ToSlash(rel)], err = os.ReadFile(p)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return o
}

func sameOutput(a, b Output) bool {
	if len(a) != len(b) {
		return false
	}
	for p, data := range a {
		if other, ok := b[p]; !ok || !bytes.Equal(data, other) {
			return false
		}
	}
	return true
}

// rewriteProblems replaces the problems section of an archive.
func rewriteProblems(t *testing.T, file, problems string) {
	t.Helper()
	a, err := txtar.ParseFile(file)
	if err != nil {
		t.Fatal(err)
	}
	a.Files = slices.DeleteFunc(a.Files, func(f txtar.File) bool { return f.Name == "problems" })
	if problems != "" {
		a.Files = append(a.Files, txtar.File{Name: "problems", Data: []byte(problems + "\n")})
	}
	if err := os.WriteFile(file, txtar.Format(a), 0o644); err != nil {
		t.Fatal(err)
	}
}
