// Command bench times folio against Hugo and against a floor on large
// generated sites, and writes the report docs/performance.md. Run it from
// the repository with
//
//	./bench/run.sh          # the full run: 1,000 and 5,000 briefs (5 minutes idle, 20 on a busy machine)
//	./bench/run.sh -quick   # 1,000 briefs, 3 rounds, no report file (for development)
//
// run.sh installs GNU time and Hugo with apt-get when they are missing,
// then runs `go run ./bench` with its flags.
//
// It builds folio (./cmd/folio) and the floor (./bench/floor) once, writes
// the sites (bench/gen) into a work folder, and times, in rounds that
// alternate the programs:
//
//   - folio build, the floor and Hugo (with bench/hugo-theme) on 1,000
//     briefs;
//   - folio build with one chart per brief, and the floor, on 1,000
//     briefs (the floor reads the briefs without their charts);
//   - folio build, the floor and Hugo on 5,000 briefs, with folio on
//     1,000 briefs in the same rounds for the scaling ratio;
//
// each run under /usr/bin/time -v for CPU time and peak memory. Then it
// starts folio serve on the 1,000-brief site (and, in a full run, on the
// 5,000-brief one) and times edits until the edited page is served. It prints the report and, in a full run, writes
// it to docs/performance.md.
//
// No test runs this: it takes minutes, needs Hugo, and its numbers are
// the machine's, not pass or fail.
package main

import (
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"

	"github.com/folio-ssg/folio/bench/gen"
)

type options struct {
	quick    bool
	rounds   int    // rounds at 1,000 briefs
	rounds5k int    // rounds at 5,000 briefs
	edits    int    // folio serve edits of each kind
	work     string // work folder; empty: a new temporary one, removed after
	out      string // report file; empty: print only
	hugo     string // the hugo command
	sites    string // only write the generated sites into this folder
}

func main() {
	var o options
	flag.BoolVar(&o.quick, "quick", false, "1,000 briefs only, 3 rounds, report printed but not written")
	flag.IntVar(&o.rounds, "rounds", 5, "timed `rounds` at 1,000 briefs (each runs every program once)")
	flag.IntVar(&o.rounds5k, "rounds5k", 3, "timed `rounds` at 5,000 briefs")
	flag.IntVar(&o.edits, "edits", 20, "folio serve edits of each kind (body, title)")
	flag.StringVar(&o.work, "work", "", "work `folder` for the sites and builds, kept afterwards (default: a temporary folder, removed)")
	flag.StringVar(&o.out, "out", "docs/performance.md", "write the report to `file` (\"\" to only print it; -quick never writes)")
	flag.StringVar(&o.hugo, "hugo", "hugo", "the Hugo `command`")
	flag.StringVar(&o.sites, "sites", "", "only write folio's generated sites into `folder` (n1000/folio, n1000/folio-charts, n5000/folio), timing nothing")
	flag.Parse()
	if flag.NArg() > 0 {
		flag.Usage()
		os.Exit(2)
	}
	if o.quick {
		o.rounds, o.out = 3, ""
	}
	run := run
	if o.sites != "" {
		run = writeSites
	}
	if err := run(o); err != nil {
		fmt.Fprintln(os.Stderr, "bench:", err)
		os.Exit(1)
	}
}

// writeSites writes the folio sites the harness times into o.sites.
func writeSites(o options) error {
	root, err := repoRoot()
	if err != nil {
		return err
	}
	for _, n := range []int{1000, 5000} {
		dir := filepath.Join(o.sites, fmt.Sprintf("n%d", n))
		logf("writing the %d-brief sites into %s", n, dir)
		if err := writeFolio(root, filepath.Join(dir, "folio"), n, false); err != nil {
			return err
		}
		if n == 1000 {
			if err := writeFolio(root, filepath.Join(dir, "folio-charts"), n, true); err != nil {
				return err
			}
		}
	}
	return nil
}

func logf(format string, args ...any) { fmt.Fprintf(os.Stderr, format+"\n", args...) }

func run(o options) error {
	start := time.Now()
	root, err := repoRoot()
	if err != nil {
		return err
	}
	if _, err := os.Stat("/usr/bin/time"); err != nil {
		return fmt.Errorf("no /usr/bin/time: run ./bench/run.sh, which installs it (apt-get install time)")
	}
	if _, err := exec.LookPath(o.hugo); err != nil {
		return fmt.Errorf("no %s: run ./bench/run.sh, which installs it (apt-get install hugo)", o.hugo)
	}
	m := describeMachine(root, o.hugo)

	work := o.work
	if work == "" {
		if work, err = os.MkdirTemp("", "folio-bench-"); err != nil {
			return err
		}
		defer os.RemoveAll(work)
	}
	if work, err = filepath.Abs(work); err != nil {
		return err
	}
	bin := filepath.Join(work, "bin")
	logf("building folio and the floor into %s", bin)
	for _, b := range [][2]string{{"folio", "./cmd/folio"}, {"floor", "./bench/floor"}} {
		cmd := exec.Command("go", "build", "-o", filepath.Join(bin, b[0]), b[1])
		cmd.Dir, cmd.Stdout, cmd.Stderr = root, os.Stderr, os.Stderr
		if err := cmd.Run(); err != nil {
			return fmt.Errorf("go build %s: %v", b[1], err)
		}
	}
	folio, floor := filepath.Join(bin, "folio"), filepath.Join(bin, "floor")

	sizes := []int{1000, 5000}
	if o.quick {
		sizes = sizes[:1]
	}
	type site struct{ folio, folioCharts, hugo string }
	sites := map[int]site{}
	for _, n := range sizes {
		logf("writing the %d-brief sites", n)
		s := site{
			folio: filepath.Join(work, fmt.Sprintf("n%d", n), "folio"),
			hugo:  filepath.Join(work, fmt.Sprintf("n%d", n), "hugo"),
		}
		if err := writeFolio(root, s.folio, n, false); err != nil {
			return err
		}
		if err := writeHugo(root, s.hugo, n); err != nil {
			return err
		}
		if n == 1000 {
			s.folioCharts = filepath.Join(work, "n1000", "folio-charts")
			if err := writeFolio(root, s.folioCharts, n, true); err != nil {
				return err
			}
		}
		sites[n] = s
	}

	out := func(name string) string { return filepath.Join(work, "out", name) }
	folioProg := func(src, site, name string) *program {
		return &program{name: "folio build", site: site, out: out(name),
			argv: []string{folio, "build", "-src", src, "-out", out(name)}}
	}
	floorProg := func(n int, site string) *program {
		name := fmt.Sprintf("floor-%d", n)
		return &program{name: "floor", site: site, out: out(name),
			argv: []string{floor, "-src", filepath.Join(sites[n].hugo, "content", "briefs"), "-out", out(name)}}
	}
	hugoProg := func(n int, site string) *program {
		name := fmt.Sprintf("hugo-%d", n)
		return &program{name: "Hugo", site: site, out: out(name),
			argv: []string{o.hugo, "--quiet", "--source", sites[n].hugo, "--destination", out(name)}}
	}

	r := &report{options: o, machine: m}
	r.loadBefore = loadAvg()
	timeFile := filepath.Join(work, "time.txt")
	tr := &trash{dir: filepath.Join(work, "trash")}
	defer tr.empty()

	f1, fl1, h1 := folioProg(sites[1000].folio, "1,000 briefs", "folio-1000"), floorProg(1000, "1,000 briefs"), hugoProg(1000, "1,000 briefs")
	r.base = &set{title: "1,000 briefs", progs: []*program{f1, fl1, h1}}
	fc := folioProg(sites[1000].folioCharts, "1,000 briefs + charts", "folio-1000-charts")
	flc := floorProg(1000, "1,000 briefs (no charts)")
	flc.out = out("floor-1000-charts")
	r.charts = &set{title: "1,000 briefs, one chart each", progs: []*program{fc, flc}}
	r.f1, r.fl1, r.h1, r.fc, r.flc = f1, fl1, h1, fc, flc
	sets := []*set{r.base, r.charts}
	if !o.quick {
		f5 := folioProg(sites[5000].folio, "5,000 briefs", "folio-5000")
		f1b := folioProg(sites[1000].folio, "1,000 briefs (in the 5,000 rounds)", "folio-1000-b")
		fl5, h5 := floorProg(5000, "5,000 briefs"), hugoProg(5000, "5,000 briefs")
		r.large = &set{title: "5,000 briefs (with folio on 1,000 in the same rounds)", progs: []*program{f5, fl5, h5, f1b}}
		r.f5, r.fl5, r.h5, r.f1b = f5, fl5, h5, f1b
		sets = append(sets, r.large)
	}
	for _, s := range sets {
		rounds := o.rounds
		if s == r.large {
			rounds = o.rounds5k
		}
		logf("timing %s: %d rounds", s.title, rounds)
		if err := s.run(rounds, timeFile, tr, logf); err != nil {
			return err
		}
	}

	logf("timing folio serve on 1,000 briefs: %d edits of each kind", o.edits)
	r.serve, err = measureServe(folio, sites[1000].folio, 1000, o.edits, logf)
	if err != nil {
		return err
	}
	if !o.quick {
		logf("timing folio serve on 5,000 briefs: %d edits of each kind", o.edits)
		s5, err := measureServe(folio, sites[5000].folio, 5000, o.edits, logf)
		if err != nil {
			return err
		}
		r.serve5k = &s5
	}
	r.loadAfter = loadAvg()
	r.duration = time.Since(start)

	text := r.markdown()
	fmt.Print(text)
	if o.out != "" {
		path := o.out
		if !filepath.IsAbs(path) {
			path = filepath.Join(root, path)
		}
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			return err
		}
		if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
			return err
		}
		logf("wrote %s", path)
	}
	return nil
}

// writeFolio writes the n-brief folio site into dir, on the repository's
// templates.
func writeFolio(root, dir string, n int, charts bool) error {
	if err := os.RemoveAll(dir); err != nil {
		return err
	}
	if err := gen.CopyTree(filepath.Join(dir, "templates"), filepath.Join(root, "templates")); err != nil {
		return err
	}
	return gen.Write(dir, gen.Folio(n, charts))
}

// writeHugo writes the n-brief Hugo site into dir, with the harness's
// minimal theme.
func writeHugo(root, dir string, n int) error {
	if err := os.RemoveAll(dir); err != nil {
		return err
	}
	if err := gen.CopyTree(filepath.Join(dir, "themes", "bench"), filepath.Join(root, "bench", "hugo-theme")); err != nil {
		return err
	}
	return gen.Write(dir, gen.Hugo(n))
}

// repoRoot is the folder of the go.mod above the current folder.
func repoRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			if _, err := os.Stat(filepath.Join(dir, "bench", "hugo-theme")); err == nil {
				return dir, nil
			}
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", fmt.Errorf("run bench from inside the folio repository")
		}
		dir = parent
	}
}

// loadAvg is the machine's load averages over 1, 5 and 15 minutes.
func loadAvg() string {
	data, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "unknown"
	}
	f := strings.Fields(string(data))
	if len(f) < 3 {
		return "unknown"
	}
	return strings.Join(f[:3], ", ")
}
