package conformance

import (
	"flag"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"

	"github.com/folio-ssg/folio/internal/site"
)

// repoRoot is the repository root, which holds the example site and
// tools/conformance, seen from this package's folder (go test's working
// directory).
const repoRoot = "../.."

// nodeModules is where tools/conformance/install.sh puts the npm tools.
var nodeModules = filepath.Join(repoRoot, "tools", "conformance", "node_modules")

func TestMain(m *testing.M) {
	flag.Parse()
	if runs("TestHTMLValid") || runs("TestHTMLCheckerCatches") {
		// Start the Nu Html Checker now, so that it runs alongside the
		// browser tests; its tests skip or fail with the reason if it
		// cannot start.
		java, jar := toolPath("java"), toolPath("vnu-jar")
		if s, err := startServerOnce(); err == nil && java != "" && jar != "" {
			startValidation(java, jar, s)
		}
	}
	code := m.Run()
	closeBrowser()
	closeServer()
	os.Exit(code)
}

// runs reports whether -test.run selects the top-level test name.
func runs(name string) bool {
	f := flag.Lookup("test.run")
	if f == nil || f.Value.String() == "" {
		return true
	}
	top, _, _ := strings.Cut(f.Value.String(), "/")
	ok, err := regexp.MatchString(top, name)
	return ok || err != nil
}

// toolPath returns where a tool the tests need is, or "" when it is missing.
func toolPath(name string) string {
	var p string
	switch name {
	case "chromium":
		p = os.Getenv("FOLIO_CHROMIUM")
		if p == "" {
			p = "/usr/bin/chromium"
		}
		p, _ = exec.LookPath(p)
		return p
	case "java", "pdftotext", "pdfinfo":
		p, _ = exec.LookPath(name)
		return p
	case "axe-core":
		p = filepath.Join(nodeModules, "axe-core", "axe.min.js")
	case "vnu-jar":
		p = filepath.Join(nodeModules, "vnu-jar", "build", "dist", "vnu.jar")
	default:
		panic("unknown tool " + name)
	}
	if fi, err := os.Stat(p); err != nil || !fi.Mode().IsRegular() {
		return ""
	}
	return p
}

// requireTool returns the path of the named tool, or ends the test with one
// line saying how to install it: a skip on a developer's machine, a
// failure in CI (CI=true), where a skipped check would pass unnoticed.
func requireTool(t testing.TB, name, hint string) string {
	t.Helper()
	if p := toolPath(name); p != "" {
		return p
	}
	msg := fmt.Sprintf("%s not found: run tools/conformance/install.sh (or %s)", name, hint)
	if os.Getenv("CI") == "true" {
		t.Fatal(msg)
	}
	t.Skip(msg)
	return ""
}

// A server serves the example site, built for its own loopback address,
// and the self-test pages, as a static host would.
type server struct {
	host string      // "127.0.0.1:<port>": the one host pages may request
	base string      // "http://127.0.0.1:<port>/observatory/"
	out  site.Output // the example site
	http *http.Server
}

// siteBase and selfTestBase are the paths the example site and the
// self-test pages are served under.
const (
	siteBase     = "/observatory/"
	selfTestBase = "/selftest/"
)

var (
	serverOnce sync.Once
	theServer  *server
	serverErr  error
)

// served builds the example site and starts serving it, once per test
// binary.
func served(t testing.TB) *server {
	t.Helper()
	s, err := startServerOnce()
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func startServerOnce() (*server, error) {
	serverOnce.Do(func() { theServer, serverErr = startServer() })
	return theServer, serverErr
}

func startServer() (*server, error) {
	// Listen first: the site is built for the address it is served from.
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	s := &server{host: ln.Addr().String()}
	s.base = "http://" + s.host + siteBase
	st, probs := site.Load(os.DirFS(repoRoot), site.Options{BaseURL: s.base})
	if st == nil || probs.Errors() > 0 {
		ln.Close()
		return nil, fmt.Errorf("loading the example site:\n%v", probs.Sort())
	}
	out, _, probs := st.Render()
	if out == nil {
		ln.Close()
		return nil, fmt.Errorf("rendering the example site:\n%v", probs.Sort())
	}
	s.out = out
	s.http = &http.Server{Handler: rootHandler{
		{siteBase, out},
		{selfTestBase, selfTestPages},
	}}
	go s.http.Serve(ln)
	return s, nil
}

func closeServer() {
	if theServer != nil {
		theServer.http.Close()
	}
}
