package server

import (
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/folio-ssg/folio/internal/site"
)

// fetched is one response of the load test, kept small: the hash of its
// body, the reload tag taken out.
type fetched struct {
	path string
	id   string // the build the page says it is; "" for other files
	sum  [sha256.Size]byte
}

// TestLoad has 50 clients fetch every file of the test site over loopback
// while its sources change 20 times. Every response must be
// whole and exactly a file of one build, with no error; afterwards the
// server's memory and goroutines are back to where they were.
func TestLoad(t *testing.T) {
	if testing.Short() {
		t.Skip("a load test")
	}
	const clients, changes = 50, 20
	deadline := time.Now().Add(20 * time.Second)
	if raceEnabled {
		deadline = time.Now().Add(3 * time.Minute)
	}
	dir := writeSite(t, nil)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	s := New(Config{Dir: dir, Addr: addr, Options: site.Options{Drafts: true, Today: today}})

	// Every build's files, by hash.
	builds := map[string]map[string][sha256.Size]byte{}
	record := func() {
		b := s.cur.Load().good
		if _, ok := builds[b.id]; !ok {
			builds[b.id] = b.sums
		}
	}
	if res := s.Rebuild(); res.Failed {
		t.Fatal(res.Problems)
	}
	record()
	first := s.cur.Load().good
	// Clients ask for the files of the build current when they ask, as a
	// browser asks for what its page names; some (stylesheets, the search
	// index) are named by their contents, and may be gone by then.
	paths := func(b *build) []string {
		var ps []string
		for k := range b.out {
			ps = append(ps, b.base+strings.TrimSuffix(k, "index.html"))
		}
		slices.Sort(ps)
		return ps
	}
	var current atomic.Pointer[[]string]
	ps := paths(first)
	current.Store(&ps)
	size := 0
	for _, v := range first.out {
		size += len(v)
	}

	runtime.GC()
	runtime.GC()
	var before runtime.MemStats
	runtime.ReadMemStats(&before)
	goroutines := runtime.NumGoroutine()

	ctx, cancel := context.WithCancel(context.Background())
	served := make(chan error, 1)
	go func() { served <- s.Serve(ctx, ln) }()

	transport := &http.Transport{MaxIdleConnsPerHost: clients}
	client := &http.Client{Transport: transport, Timeout: 10 * time.Second}
	var (
		wg       sync.WaitGroup
		stop     = make(chan struct{})
		progress = make(chan struct{}, clients)
		requests atomic.Int64
		gone     atomic.Int64
		results  = make([][]fetched, clients)
		errs     = make([][]string, clients)
	)
	for c := range clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := c; ; i++ {
				select {
				case <-stop:
					return
				default:
				}
				ps := *current.Load()
				p := ps[i%len(ps)]
				f, err := fetch(client, addr, p)
				requests.Add(1)
				if errors.Is(err, errNotFound) && !has(s.cur.Load().good, p) {
					// Replaced by the time it was asked for.
					gone.Add(1)
				} else if err != nil {
					errs[c] = append(errs[c], err.Error())
				} else {
					results[c] = append(results[c], f)
				}
				select {
				case progress <- struct{}{}:
				default:
				}
			}
		}()
	}

	// The changes: a brief, the stylesheet, a dataset, in turn, each
	// rebuilt while the clients fetch, with a hundred responses at least
	// between two changes.
	brief := "content/briefs/first.md"
	for i := range changes {
		switch i % 3 {
		case 0:
			writeFile(t, dir, brief, read(t, dir, brief)+fmt.Sprintf("\nEdit %d.\n", i))
		case 1:
			writeFile(t, dir, "templates/assets/site.css", read(t, dir, "templates/assets/site.css")+fmt.Sprintf("\n/* edit %d */\n", i))
		case 2:
			writeFile(t, dir, "content/about.md", read(t, dir, "content/about.md")+fmt.Sprintf("\nAbout edit %d.\n", i))
		}
		if res := s.Rebuild(); res.Failed || !res.Changed {
			t.Fatalf("change %d: %+v", i, res)
		}
		record()
		ps := paths(s.cur.Load().good)
		current.Store(&ps)
		for range 100 {
			select {
			case <-progress:
			case <-time.After(time.Until(deadline)):
				t.Fatal("the clients stalled")
			}
		}
	}
	close(stop)
	wg.Wait()
	transport.CloseIdleConnections()
	cancel()
	if err := <-served; err != nil {
		t.Fatal(err)
	}
	if time.Now().After(deadline) {
		t.Fatal("the load test ran past its deadline")
	}

	total, pages := 0, 0
	seen := map[string]bool{}
	for c := range clients {
		for _, e := range errs[c] {
			t.Error(e)
		}
		for _, f := range results[c] {
			total++
			key := strings.TrimPrefix(f.path, first.base)
			if key == "" || strings.HasSuffix(key, "/") {
				key += "index.html"
			}
			if f.id != "" {
				pages++
				seen[f.id] = true
				if sums, ok := builds[f.id]; !ok || sums[key] != f.sum {
					t.Errorf("%s: not the page of build %s", f.path, f.id)
				}
				continue
			}
			found := false
			for _, sums := range builds {
				found = found || sums[key] == f.sum
			}
			if !found {
				t.Errorf("%s: not a file of any build", f.path)
			}
		}
	}
	t.Logf("%d responses, %d pages from %d of %d builds; %d files asked for after their build was replaced", total, pages, len(seen), len(builds), gone.Load())
	if total < changes*100 || len(seen) < changes/2 {
		t.Errorf("too little overlap of fetches and rebuilds: %d responses, pages of %d builds", total, len(seen))
	}

	// Back to where it was: one build in memory, no goroutine left over.
	results, builds = nil, nil
	for runtime.NumGoroutine() > goroutines && time.Now().Before(deadline) {
		runtime.Gosched()
	}
	if n := runtime.NumGoroutine(); n > goroutines {
		t.Errorf("%d goroutines after, %d before", n, goroutines)
	}
	runtime.GC()
	runtime.GC()
	var after runtime.MemStats
	runtime.ReadMemStats(&after)
	t.Logf("heap: %d KB before, %d KB after; one build is %d KB", before.HeapAlloc>>10, after.HeapAlloc>>10, size>>10)
	if after.HeapAlloc > before.HeapAlloc+uint64(2*size)+4<<20 {
		t.Errorf("heap grew from %d KB to %d KB (a build is %d KB)", before.HeapAlloc>>10, after.HeapAlloc>>10, size>>10)
	}
	runtime.KeepAlive(s) // measured with its build in memory, as before
}

var errNotFound = errors.New("404 Not Found")

// has reports whether b has the file at the site path p.
func has(b *build, p string) bool {
	key := strings.TrimPrefix(p, b.base)
	if key == "" || strings.HasSuffix(key, "/") {
		key += "index.html"
	}
	_, ok := b.out[key]
	return ok
}

// fetch gets one path and checks it is whole.
func fetch(client *http.Client, addr, p string) (fetched, error) {
	resp, err := client.Get("http://" + addr + p)
	if err != nil {
		return fetched{}, err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		return fetched{}, fmt.Errorf("%s: %v", p, err)
	}
	if resp.StatusCode == 404 {
		return fetched{}, fmt.Errorf("%s: %w", p, errNotFound)
	}
	if resp.StatusCode != 200 {
		return fetched{}, fmt.Errorf("%s: %s", p, resp.Status)
	}
	if n, _ := strconv.Atoi(resp.Header.Get("Content-Length")); n != len(body) {
		return fetched{}, fmt.Errorf("%s: %d bytes of %d", p, len(body), n)
	}
	f := fetched{path: p}
	if strings.HasPrefix(resp.Header.Get("Content-Type"), "text/html") {
		m := buildAttr.FindAllSubmatchIndex(body, -1)
		if len(m) != 1 {
			return fetched{}, fmt.Errorf("%s: %d reload tags", p, len(m))
		}
		f.id = string(body[m[0][2]:m[0][3]])
		body = append(body[:m[0][0]:m[0][0]], body[m[0][1]:]...)
	}
	f.sum = sha256.Sum256(body)
	return f, nil
}
