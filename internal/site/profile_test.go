package site

import (
	"bytes"
	"os"
	"path/filepath"
	"runtime"
	"runtime/metrics"
	"runtime/pprof"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/folio-ssg/folio/internal/tune"
)

// TestProfileBuild builds the site in $FOLIO_PROFILE once, as folio
// build does from a fresh process (the runtime tuned the same way), and
// logs each stage's wall time, CPU time, cores used, and peak resident
// memory and live heap. With $FOLIO_PROFILE_OUT, a folder, it writes
// there the build's CPU profile, cpu.pprof, and a heap profile taken at
// the collection that found the most live heap, heap.pprof:
//
//	FOLIO_PROFILE=/tmp/gen FOLIO_PROFILE_OUT=/tmp/prof go test ./internal/site -run ProfileBuild -v
//	go tool pprof -top -cum internal/site.test /tmp/prof/cpu.pprof
//
// Run it in a test process of its own: a process's first build is the
// one folio build times. docs/performance-profiles.md was made with it.
func TestProfileBuild(t *testing.T) {
	src := os.Getenv("FOLIO_PROFILE")
	if src == "" {
		t.Skip("set FOLIO_PROFILE to a site's folder to profile its build")
	}
	tune.Build(os.Getenv)
	outDir := os.Getenv("FOLIO_PROFILE_OUT")
	if outDir != "" {
		runtime.MemProfileRate = 16 << 10
		f, err := os.Create(filepath.Join(outDir, "cpu.pprof"))
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err != nil {
			t.Fatal(err)
		}
		defer pprof.StopCPUProfile()
	}

	// A sampler notes the peaks of each stage, and the heap profile at
	// the largest live heap.
	var mu sync.Mutex
	stage := "starting"
	peakRSS, peakLive := map[string]int64{}, map[string]uint64{}
	var heap []byte
	var mostLive uint64
	stop, stopped := make(chan struct{}), make(chan struct{})
	go func() {
		defer close(stopped)
		s := []metrics.Sample{{Name: "/gc/cycles/total:gc-cycles"}, {Name: "/gc/heap/live:bytes"}}
		var cycles uint64
		for {
			select {
			case <-stop:
				return
			case <-time.After(2 * time.Millisecond):
			}
			rss := residentKiB()
			metrics.Read(s)
			mu.Lock()
			peakRSS[stage] = max(peakRSS[stage], rss)
			if c := s[0].Value.Uint64(); c != cycles {
				cycles = c
				live := s[1].Value.Uint64()
				peakLive[stage] = max(peakLive[stage], live)
				if live > mostLive && outDir != "" {
					mostLive = live
					var b bytes.Buffer
					pprof.Lookup("heap").WriteTo(&b, 0)
					heap = b.Bytes()
				}
			}
			mu.Unlock()
		}
	}()

	cpu := func() time.Duration {
		var ru syscall.Rusage
		syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
		return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
	}
	start, startCPU := time.Now(), cpu()
	at, atCPU := start, startCPU
	next := func(name string) {
		now, c := time.Now(), cpu()
		time.Sleep(3 * time.Millisecond) // a last sample of the stage
		mu.Lock()
		wall, used := now.Sub(at), c-atCPU
		t.Logf("%-32s wall %6.0f ms  cpu %6.0f ms  %.2f cores  peak rss %4d MiB  live heap %4d MiB",
			stage, ms(wall), ms(used), used.Seconds()/max(wall.Seconds(), 1e-9), peakRSS[stage]>>10, peakLive[stage]>>20)
		stage = name
		mu.Unlock()
		at, atCPU = now, c
	}
	_, probs, err := Build(src, t.TempDir(), Options{Today: today, Progress: next})
	if err != nil || probs.Errors() > 0 {
		t.Fatal(err, probs.Sort())
	}
	next("done")
	close(stop)
	<-stopped
	t.Logf("%-32s wall %6.0f ms  cpu %6.0f ms", "total", ms(time.Since(start)), ms(cpu()-startCPU))
	if outDir != "" {
		if err := os.WriteFile(filepath.Join(outDir, "heap.pprof"), heap, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

func ms(d time.Duration) float64 { return d.Seconds() * 1000 }

// residentKiB is the process's resident memory, from /proc/self/status.
func residentKiB() int64 {
	data, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for line := range strings.SplitSeq(string(data), "\n") {
		if v, ok := strings.CutPrefix(line, "VmRSS:"); ok {
			n, _ := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")), 10, 64)
			return n
		}
	}
	return 0
}
