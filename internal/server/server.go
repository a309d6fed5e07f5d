// Package server is folio's preview server, behind `folio serve`: it builds
// the site into memory, serves it, rebuilds when the sources change and
// tells open pages to reload.
//
// # Builds
//
// Rebuild runs the whole pipeline (site.Load, then Render) over the
// sources and, when it succeeds, swaps the new Output in atomically: a
// request reads one build from start to end, never a page of one build
// and a stylesheet of another. Every build has an id, a hash of its
// Output, so a rebuild that changes nothing changes no id and reloads no
// page. The base URL is http://<address>/ plus the path of folio.yaml's
// base_url, so a site published under /observatory/ is previewed under
// /observatory/ too, and "/" redirects there.
//
// When a rebuild fails the last good build stays served and every open
// page shows an overlay listing the problems as path:line:col: message;
// when the sources build again the overlay goes and the page reloads. If
// no build has succeeded yet, every path answers with a page listing the
// problems (status 500), which reloads as soon as they are fixed.
//
// # Live reload
//
// Each HTML response gets one tag just before </body>, and nothing else
// differs from what `folio build` writes:
//
//	<script src="/_folio/reload.js" data-build="ID" defer></script>
//
// The script, served from the server's own path so pages keep working
// under a Content-Security-Policy without 'unsafe-inline', opens an
// EventSource on /_folio/events. The stream sends the current state when
// it opens and again whenever it changes, as one of:
//
//	event: build     data: {"id": ID, "from": PREVIOUS_ID, "css": {OLD_HREF: NEW_HREF}}
//	event: problems  data: {"id": PROBLEMS_ID, "build": ID, "problems": ["path:line:col: message"]}
//
// A page reloads when the build id differs from the one it was served
// with, except that when the builds differ only in stylesheets ("css" is
// set and "from" is the page's build) it swaps the <link rel=stylesheet>
// hrefs instead. The overlay is built with DOM methods and textContent and
// styled through CSSOM, so problem text never becomes markup.
//
// # Safety
//
// The lessons of the CVEs in the dev servers of Vite, webpack and esbuild
// are built in, and each has a test:
//
//   - cmd/folio listens on loopback unless -addr says otherwise, and warns
//     when it does.
//   - Only requests whose Host is the served address, or localhost,
//     127.0.0.1 or [::1] on its port, are answered; any other gets 403, so
//     DNS rebinding cannot read the preview. (When listening on every
//     interface, IP-literal hosts on the port are accepted too: an address
//     cannot be rebound.)
//   - The event stream also refuses a foreign Origin. No response carries
//     CORS headers.
//   - Only what the build produced is served, from memory: a path is
//     decoded once, and one holding a backslash, a NUL or a "." or ".."
//     segment is refused (400); dot-file segments are never found (404).
//     No request reads the file system, so no path, symlink or encoding
//     reaches a source or any other file.
//   - Serve sets read-header and idle timeouts against slow clients.
//   - Responses are Cache-Control: no-store and X-Content-Type-Options:
//     nosniff, with a fixed Content-Type per extension; only GET and HEAD
//     are allowed.
//
// # Watching
//
// Watch follows folio.yaml and the content/, data/ and templates/ trees
// with fsnotify, adding folders created after it starts; call it before
// the first Rebuild, so that no change is missed in between. Dot-files and
// editor scratch files (*~, *.swp, 4913, #*#) are ignored. Events are
// coalesced until the sources have been quiet for Config.Debounce (10 ms
// by default, which an editor's save, even through a temporary file and
// a rename, stays well within; at most 250 ms from the first event), then the changed
// paths are hashed, and the site is rebuilt only if some file's contents
// really changed: saving a file unchanged, or touching it, rebuilds
// nothing.
//
// Every rebuild runs the whole pipeline in memory, with a site.Cache kept
// for the life of the server: files whose bytes did not change are not
// parsed again, Markdown bodies not converted again, and a page is
// rendered again only when the part of its data its templates read
// changed (see site.Cache). Output files the cache kept are not hashed
// again either. The result is the Output a full build gives, byte for
// byte.
package server

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"io/fs"
	"maps"
	"net"
	"os"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/folio-ssg/folio/internal/config"
	"github.com/folio-ssg/folio/internal/diag"
	"github.com/folio-ssg/folio/internal/site"
)

// Config says what to serve and where.
type Config struct {
	// Dir is the site's source folder. Watch watches it, and the sources
	// are read from os.DirFS(Dir) unless FS is set.
	Dir string
	FS  fs.FS

	// Addr is the host:port the server listens on, e.g. "127.0.0.1:8080".
	// It sets the base URL and the Host header requests must carry.
	Addr string

	// Options are passed to site.Load; BaseURL is always replaced, by
	// http://Addr plus the path of folio.yaml's base_url.
	Options site.Options

	// OnBuild, when set, is told the result of every rebuild, from the
	// goroutine that ran it.
	OnBuild func(Result)

	// Debounce is how long the sources must be quiet before Watch
	// rebuilds; zero means 10 ms.
	Debounce time.Duration

	// ReadHeaderTimeout and IdleTimeout bound slow and idle clients of
	// Serve; zero means 5 s and 60 s.
	ReadHeaderTimeout, IdleTimeout time.Duration
}

// Result is what one rebuild did.
type Result struct {
	ID       string    // id of the build now served; "" while none has succeeded
	Failed   bool      // the sources have errors; the last good build stays served
	Changed  bool      // what browsers see changed: a new build, new problems or a fix
	Problems diag.List // every problem found, errors and warnings, sorted
	Stats    site.Stats
	Duration time.Duration
}

// Server is a preview server. Its methods are safe for concurrent use.
type Server struct {
	cfg     Config
	fsys    fs.FS
	host    string // of cfg.Addr, lowercased
	port    string
	anyIP   bool   // listening on every interface
	urlHost string // host:port for URLs

	mu    sync.Mutex  // serialises rebuilds
	cache *site.Cache // work kept from one rebuild for the next
	cur   atomic.Pointer[state]

	subMu   sync.Mutex
	subs    map[chan struct{}]struct{}
	closing chan struct{} // closed by Close: event streams end
	closed  sync.Once
}

// state is what the server shows: never modified once stored.
type state struct {
	good     *build    // the last good build; nil until one succeeds
	failed   diag.List // problems of the latest rebuild when it failed; nil when it succeeded
	failedID string    // hash of failed
	from     string    // id of the build good replaced
	css      map[string]string
}

// build is one successful build, immutable.
type build struct {
	id     string
	out    site.Output
	sums   map[string][sha256.Size]byte // output path -> hash of its bytes
	base   string                       // base path, "/" or "/observatory/"
	stats  site.Stats
	script []byte // the tag injected into its pages
}

// New returns a server with nothing built yet: call Rebuild before
// serving it, or every path answers that nothing is built yet.
func New(cfg Config) *Server {
	s := &Server{cfg: cfg, fsys: cfg.FS, cache: site.NewCache(), subs: map[chan struct{}]struct{}{}, closing: make(chan struct{})}
	if s.fsys == nil {
		s.fsys = os.DirFS(cfg.Dir)
	}
	host, port, err := net.SplitHostPort(cfg.Addr)
	if err != nil {
		host, port = cfg.Addr, "80"
	}
	s.host, s.port = strings.ToLower(host), port
	ip := net.ParseIP(host)
	s.anyIP = host == "" || (ip != nil && ip.IsUnspecified())
	s.urlHost = cfg.Addr
	if s.anyIP {
		s.urlHost = net.JoinHostPort("localhost", port)
	}
	s.cur.Store(&state{})
	return s
}

// URL is the address of the site's home page, e.g.
// http://127.0.0.1:8080/observatory/.
func (s *Server) URL() string {
	if b := s.cur.Load().good; b != nil {
		return "http://" + s.urlHost + b.base
	}
	return "http://" + s.urlHost + s.basePath()
}

// basePath reads the path of folio.yaml's base_url; "/" when folio.yaml
// is unusable (Load then reports why).
func (s *Server) basePath() string {
	data, err := fs.ReadFile(s.fsys, config.Path)
	if err != nil {
		return "/"
	}
	var probs diag.List
	c := config.Parse(data, &probs)
	if c == nil || c.BaseURL == nil {
		return "/"
	}
	return c.BasePath()
}

// Rebuild builds the site from its sources and serves the result if it
// succeeds; if it fails, the last good build stays served and open pages
// show the problems. Browsers are told only when what they show changes.
func (s *Server) Rebuild() Result { return s.rebuild(s.fsys) }

// rebuild is Rebuild reading the sources from fsys.
func (s *Server) rebuild(fsys fs.FS) Result {
	s.mu.Lock()
	defer s.mu.Unlock()
	start := time.Now()
	opts := s.cfg.Options
	base := s.basePath()
	opts.BaseURL = "http://" + s.urlHost + base
	opts.Cache = s.cache
	var out site.Output
	var stats site.Stats
	st, probs := site.Load(fsys, opts)
	if st != nil && probs.Errors() == 0 {
		var more diag.List
		out, stats, more = st.Render()
		probs = append(probs, more...)
	}
	probs = probs.Sort()
	res := Result{Problems: probs, Stats: stats}
	prev := s.cur.Load()
	next := &state{good: prev.good}
	if out == nil || probs.Errors() > 0 {
		res.Failed = true
		next.failed = probs
		next.failedID = problemsID(probs)
		res.Changed = prev.failed == nil || prev.failedID != next.failedID
	} else {
		b := newBuild(out, base, stats, prev.good)
		res.Changed = prev.good == nil || prev.good.id != b.id || prev.failed != nil
		if prev.good != nil && prev.good.id == b.id {
			b = prev.good // keep the old one: same bytes, and clients hold its id
		} else if prev.good != nil {
			next.from = prev.good.id
			next.css = cssOnly(prev.good, b)
		}
		next.good = b
	}
	if next.good != nil {
		res.ID = next.good.id
	}
	if res.Changed {
		s.cur.Store(next)
		s.notify()
	}
	res.Duration = time.Since(start)
	if s.cfg.OnBuild != nil {
		s.cfg.OnBuild(res)
	}
	return res
}

// newBuild hashes every output file, on all cores, and the whole. A file
// whose bytes are the very ones of the last build (the cache kept its
// page) keeps its hash.
func newBuild(out site.Output, base string, stats site.Stats, last *build) *build {
	keys := slices.Sorted(maps.Keys(out))
	// The last build's hashes by the address of the bytes (the search
	// index moves its files to a new folder when any changes).
	type bytesAt struct {
		p *byte
		n int
	}
	known := map[bytesAt][sha256.Size]byte{}
	if last != nil {
		for k, data := range last.out {
			if len(data) > 0 {
				known[bytesAt{&data[0], len(data)}] = last.sums[k]
			}
		}
	}
	sums := make([][sha256.Size]byte, len(keys))
	parallel(len(keys), func(i int) {
		data := out[keys[i]]
		if len(data) > 0 {
			if sum, ok := known[bytesAt{&data[0], len(data)}]; ok {
				sums[i] = sum
				return
			}
		}
		sums[i] = sha256.Sum256(data)
	})
	b := &build{out: out, base: base, stats: stats, sums: make(map[string][sha256.Size]byte, len(keys))}
	h := sha256.New()
	var n [8]byte
	for i, k := range keys {
		b.sums[k] = sums[i]
		binary.BigEndian.PutUint64(n[:], uint64(len(k)))
		h.Write(n[:])
		h.Write([]byte(k))
		h.Write(sums[i][:])
	}
	b.id = hex.EncodeToString(h.Sum(nil))[:16]
	b.script = []byte(`<script src="` + reloadPath + `" data-build="` + b.id + `" defer></script>`)
	return b
}

// problemsID identifies a list of problems, so browsers redraw the
// overlay only when the list changes.
func problemsID(probs diag.List) string {
	h := sha256.New()
	for _, p := range probs {
		s := p.String()
		h.Write([]byte(strconv.Itoa(len(s)) + ":" + s))
	}
	return "failed-" + hex.EncodeToString(h.Sum(nil))[:16]
}

// parallel calls f(0..n-1) on all cores.
func parallel(n int, f func(int)) {
	var wg sync.WaitGroup
	var next atomic.Int64
	for range min(n, runtime.GOMAXPROCS(0)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := int(next.Add(1) - 1); i < n; i = int(next.Add(1) - 1) {
				f(i)
			}
		}()
	}
	wg.Wait()
}
