package main

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// A program is one command the harness times, on one site.
type program struct {
	name string   // as the report shows it, e.g. "folio build"
	site string   // the site it builds, e.g. "1,000 briefs"
	argv []string // the command
	out  string   // its output folder, moved to the trash before every run
}

// A sample is one timed run.
type sample struct {
	wall time.Duration // the harness's monotonic clock around the process
	cpu  time.Duration // user + system, from /usr/bin/time -v
	rss  int64         // peak resident set size in KiB, from /usr/bin/time -v
}

// A set is programs timed in rounds: each round runs every program once,
// the order rotating from round to round (A B C, B C A, C A B, ...), so
// slow and busy spells of a shared machine fall on all of them alike and
// ratios within a round are fair.
type set struct {
	title string
	progs []*program
	runs  map[*program][]sample // by round
	loads []float64             // the 1-minute load average before each timed run
}

// run times the set's programs for rounds rounds, after one untimed
// warm-up run of each (which also checks that each succeeds).
func (s *set) run(rounds int, timeFile string, tr *trash, logf func(string, ...any)) error {
	s.runs = map[*program][]sample{}
	for _, p := range s.progs {
		logf("  warm-up: %s (%s)", p.name, p.site)
		if _, err := timeRun(p, timeFile, tr); err != nil {
			return err
		}
	}
	for r := range rounds {
		for i := range s.progs {
			p := s.progs[(r+i)%len(s.progs)]
			s.loads = append(s.loads, load1())
			smp, err := timeRun(p, timeFile, tr)
			if err != nil {
				return err
			}
			s.runs[p] = append(s.runs[p], smp)
			logf("  round %d: %-12s %-22s wall %6.2fs  cpu %6.2fs  rss %4.0f MiB", r+1, p.name, p.site,
				smp.wall.Seconds(), smp.cpu.Seconds(), mib(smp.rss))
		}
	}
	return nil
}

// timeRun runs p once under /usr/bin/time -v, its output folder of the
// run before moved to the trash and the disk's writes flushed first (not
// timed).
func timeRun(p *program, timeFile string, tr *trash) (sample, error) {
	if err := tr.put(p.out); err != nil {
		return sample{}, err
	}
	if err := os.MkdirAll(filepath.Dir(p.out), 0o755); err != nil {
		return sample{}, err
	}
	// Each program starts with nothing of the last one's still to be
	// written to disk: the kernel flushes a build's files after it ends,
	// and a program that ran while 80 MB of a folio build were flushed
	// took 0.85 s instead of 0.6 s for the same work.
	syscall.Sync()
	cmd := exec.Command("/usr/bin/time", append([]string{"-v", "-o", timeFile}, p.argv...)...)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	start := time.Now()
	err := cmd.Run()
	wall := time.Since(start)
	if err != nil {
		return sample{}, fmt.Errorf("%s: %v\n%s", strings.Join(p.argv, " "), err, out.String())
	}
	report, err := os.ReadFile(timeFile)
	if err != nil {
		return sample{}, err
	}
	smp, err := parseTime(string(report))
	smp.wall = wall
	return smp, err
}

// A trash holds the output folders of earlier runs until the timing is
// over, rather than each being deleted before the next run. Deleting a
// site just before the next build writes one slows that build in a way
// that has nothing to do with the program: on ext4 without a journal,
// as on the machine this harness was written on, each new file's inode
// is allocated past every inode deleted in the minutes before (the
// kernel's recently_deleted check), so a run's file creation grew slower
// round after round, and more so for a program that writes more files.
type trash struct {
	dir string // on the output folders' file system, so a move is a rename
	n   int
}

// put moves the folder out, if it exists, into the trash.
func (t *trash) put(out string) error {
	if _, err := os.Lstat(out); os.IsNotExist(err) {
		return nil
	}
	if err := os.MkdirAll(t.dir, 0o755); err != nil {
		return err
	}
	t.n++
	return os.Rename(out, filepath.Join(t.dir, strconv.Itoa(t.n)))
}

// empty deletes what the trash holds.
func (t *trash) empty() error { return os.RemoveAll(t.dir) }

// parseTime reads the CPU time and peak RSS from GNU time's -v report.
func parseTime(report string) (sample, error) {
	var s sample
	var found int
	for line := range strings.Lines(report) {
		key, val, ok := strings.Cut(strings.TrimSpace(line), ": ")
		if !ok {
			continue
		}
		switch key {
		case "User time (seconds)", "System time (seconds)":
			f, err := strconv.ParseFloat(val, 64)
			if err != nil {
				return s, fmt.Errorf("time -v: %q: %v", line, err)
			}
			s.cpu += time.Duration(f * float64(time.Second))
			found++
		case "Maximum resident set size (kbytes)":
			n, err := strconv.ParseInt(val, 10, 64)
			if err != nil {
				return s, fmt.Errorf("time -v: %q: %v", line, err)
			}
			s.rss = n
			found++
		}
	}
	if found != 3 {
		return s, fmt.Errorf("time -v: no CPU times or peak RSS in %q", report)
	}
	return s, nil
}

// load1 is the 1-minute load average, or 0 if unknown.
func load1() float64 {
	data, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return 0
	}
	f, _, _ := strings.Cut(string(data), " ")
	x, _ := strconv.ParseFloat(f, 64)
	return x
}

func mib(kib int64) float64 { return float64(kib) / 1024 }

// median of xs (the mean of the middle two for an even count).
func median(xs []float64) float64 {
	if len(xs) == 0 {
		return 0
	}
	s := slices.Sorted(slices.Values(xs))
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}

// field returns one figure of every run of p in s.
func (s *set) field(p *program, f func(sample) float64) []float64 {
	var xs []float64
	for _, smp := range s.runs[p] {
		xs = append(xs, f(smp))
	}
	return xs
}

func wallSec(s sample) float64 { return s.wall.Seconds() }
func cpuSec(s sample) float64  { return s.cpu.Seconds() }
func rssMiB(s sample) float64  { return mib(s.rss) }

// ratios returns a/b of f for each round of s.
func (s *set) ratios(a, b *program, f func(sample) float64) []float64 {
	var rs []float64
	for i, x := range s.runs[a] {
		rs = append(rs, f(x)/f(s.runs[b][i]))
	}
	return rs
}
