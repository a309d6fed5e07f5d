package server

import (
	"bufio"
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/folio-ssg/folio/internal/site"
)

// secrets are in files the server must never send.
var secrets = []string{"yaml-secret-7f3a", "source-secret-91c2", "outside-secret-5d0e", "root:x:0:0"}

// secretSite is the test site with secrets in a source comment, a file
// beside the sources, a file outside them, and symlinks to both.
func secretSite(t *testing.T) string {
	dir := writeSite(t, nil)
	writeFile(t, dir, "folio.yaml", read(t, dir, "folio.yaml")+"# yaml-secret-7f3a\n")
	writeFile(t, dir, "secret.txt", "source-secret-91c2\n")
	writeFile(t, dir, ".env", "source-secret-91c2\n")
	writeFile(t, filepath.Dir(dir), "outside.txt", "outside-secret-5d0e\n")
	for link, target := range map[string]string{
		"obs":           ".",
		"site":          "..",
		"outside.txt":   "../outside.txt",
		"templates/etc": "/etc",
	} {
		if err := os.Symlink(target, filepath.Join(dir, link)); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// hostilePaths are request paths as a client sends them, with the status
// the server must answer; FuzzLookup starts from them too.
var hostilePaths = []struct {
	path   string
	status int
}{
	{"/obs/briefs/first/", 200}, // the control case
	{"/obs/../folio.yaml", 400},
	{"/obs/../../../../../../etc/passwd", 400},
	{"/../secret.txt", 400},
	{"/obs/./briefs/first/", 400},
	{"/obs/briefs/..", 400},
	{"/obs/%2e%2e/folio.yaml", 400},
	{"/obs/%2E%2E/%2e%2E/outside.txt", 400},
	{"/obs/.%2e/secret.txt", 400},
	{"/obs/%2e/secret.txt", 400},
	{"/obs/..%2ffolio.yaml", 400},
	{"/obs/..%2Fsecret.txt", 400},
	{"/obs/briefs%2f..%2f..%2fsecret.txt", 400},
	{`/obs/..\folio.yaml`, 400},
	{`/obs\..\secret.txt`, 400},
	{"/obs/%5c..%5csecret.txt", 400},
	{"/obs/..%5Csecret.txt", 400},
	{"/obs/secret.txt%00.html", 400},
	{"/obs/%00", 400},
	{"/obs/%0a", 400},
	{"/obs/%252e%252e/folio.yaml", 404}, // decoded once: a name with "%2e"
	{"/folio.yaml", 404},
	{"/secret.txt", 404},
	{"/obs/folio.yaml", 404},
	{"/obs/secret.txt", 404},
	{"/obs/content/briefs/first.md", 404},
	{"/obs/data/sales.yaml", 404},
	{"/obs/templates/base.html", 404},
	{"/obs/templates/etc/passwd", 404},
	{"/obs/obs/secret.txt", 404},
	{"/obs/site/outside.txt", 404},
	{"/obs/outside.txt", 404},
	{"/obs/.env", 404},
	{"/obs/.git/config", 404},
	{"/obs/%2eenv", 404},
	{"/obs/briefs/.first/", 404},
	{"//etc/passwd", 404},
	{"//evil.example/", 404},
	{"/obs//briefs/first/", 404},
	{"/obs/data/sales.csv/", 404},
}

// TestPaths sends hostile request paths exactly as written and finds that
// none reaches a file outside the build.
func TestPaths(t *testing.T) {
	dir := secretSite(t)
	_, addr := start(t, dir, site.Options{Drafts: true})
	for _, tt := range hostilePaths {
		req := "GET " + tt.path + " HTTP/1.1\r\nHost: " + addr + "\r\nConnection: close\r\n\r\n"
		resp, body := raw(t, addr, req)
		if resp.StatusCode != tt.status {
			t.Errorf("GET %s: %s, want %d", tt.path, resp.Status, tt.status)
		}
		if tt.status == 400 && string(body) != "Bad Request\n" {
			t.Errorf("GET %s: refused, but not by the handler: %q", tt.path, body)
		}
		if loc := resp.Header.Get("Location"); loc != "" {
			t.Errorf("GET %s: redirected to %s", tt.path, loc)
		}
		for _, s := range secrets {
			if strings.Contains(string(body), s) {
				t.Errorf("GET %s: leaked %q", tt.path, s)
			}
		}
	}
}

// TestSymlinkedSource: a symlink among the sources is an error, not a way
// out: the last good build stays served and the target never is.
func TestSymlinkedSource(t *testing.T) {
	dir := writeSite(t, nil)
	s, addr := start(t, dir, site.Options{Drafts: true})
	writeFile(t, filepath.Dir(dir), "outside.txt", "outside-secret-5d0e\n")
	for _, link := range []string{"templates/assets/leak.txt", "content/briefs/leak.md", "data/leak.yaml"} {
		if err := os.Symlink(filepath.Join(filepath.Dir(dir), "outside.txt"), filepath.Join(dir, link)); err != nil {
			t.Fatal(err)
		}
	}
	res := s.Rebuild()
	var got []string
	for _, p := range res.Problems {
		got = append(got, p.String())
	}
	want := "content/briefs/leak.md: not a regular file (symlinks and devices are not followed)\n" +
		"data/leak.yaml: not a regular file (symlinks and devices are not followed)\n" +
		"templates/assets/leak.txt: not a regular file (symlinks and devices are not followed)"
	if !res.Failed || strings.Join(got, "\n") != want {
		t.Fatalf("rebuild with symlinks: %+v\n%s", res, strings.Join(got, "\n"))
	}
	for _, p := range []string{"/obs/assets/leak.txt", "/obs/briefs/leak/", "/obs/data/leak.csv", "/obs/data/leak/"} {
		resp, body := get(t, addr, p)
		if resp.StatusCode != 404 || strings.Contains(string(body), "outside-secret") {
			t.Errorf("%s: %s", p, resp.Status)
		}
	}
}

// TestHosts refuses requests for any host but the served address and
// localhost on its port: a DNS-rebinding page's requests carry its own.
func TestHosts(t *testing.T) {
	_, addr := start(t, writeSite(t, nil), site.Options{Drafts: true})
	_, port, _ := net.SplitHostPort(addr)
	tests := []struct {
		request string
		status  int
	}{
		{"GET /obs/ HTTP/1.1\r\nHost: " + addr + "\r\n", 200},
		{"GET /obs/ HTTP/1.1\r\nHost: localhost:" + port + "\r\n", 200},
		{"GET /obs/ HTTP/1.1\r\nHost: LocalHost:" + port + "\r\n", 200},
		{"GET /obs/ HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\n", 200},
		{"GET /obs/ HTTP/1.1\r\nHost: [::1]:" + port + "\r\n", 200},
		{"GET /obs/ HTTP/1.1\r\nHost: evil.example\r\n", 403},
		{"GET /obs/ HTTP/1.1\r\nHost: evil.example:" + port + "\r\n", 403},
		{"GET /obs/ HTTP/1.1\r\nHost: 127.0.0.1.nip.io:" + port + "\r\n", 403},
		{"GET /obs/ HTTP/1.1\r\nHost: localhost.evil.example:" + port + "\r\n", 403},
		{"GET /obs/ HTTP/1.1\r\nHost: localhost.:" + port + "\r\n", 403},
		{"GET /obs/ HTTP/1.1\r\nHost: localhost\r\n", 403},
		{"GET /obs/ HTTP/1.1\r\nHost: localhost:1\r\n", 403},
		{"GET /obs/ HTTP/1.1\r\nHost: 127.0.0.2:" + port + "\r\n", 403},
		{"GET /obs/ HTTP/1.1\r\nHost: 10.0.0.1:" + port + "\r\n", 403},
		{"GET /obs/ HTTP/1.1\r\nHost: :" + port + "\r\n", 403},
		{"GET /obs/ HTTP/1.0\r\n", 403},
		// The absolute form names the host in the request line, which
		// wins over the Host header.
		{"GET http://evil.example/obs/ HTTP/1.1\r\nHost: " + addr + "\r\n", 403},
		{"GET http://" + addr + "/obs/ HTTP/1.1\r\nHost: evil.example\r\n", 200},
		{"GET /_folio/reload.js HTTP/1.1\r\nHost: evil.example\r\n", 403},
		{"GET /_folio/events HTTP/1.1\r\nHost: evil.example\r\n", 403},
	}
	for _, tt := range tests {
		resp, body := raw(t, addr, tt.request+"Connection: close\r\n\r\n")
		if resp.StatusCode != tt.status {
			t.Errorf("%q: %s, want %d", tt.request, resp.Status, tt.status)
		}
		if tt.status == 403 && strings.Contains(string(body), "<html") {
			t.Errorf("%q: a page was sent", tt.request)
		}
	}
}

// TestAnyInterfaceHosts: listening on every interface, the machine's
// addresses are served, still not names.
func TestAnyInterfaceHosts(t *testing.T) {
	s := New(Config{Addr: "0.0.0.0:8080"})
	for host, want := range map[string]bool{
		"0.0.0.0:8080": true, "192.168.1.20:8080": true, "[fe80::1]:8080": true, "localhost:8080": true,
		"myhost.local:8080": false, "evil.example:8080": false, "192.168.1.20:8081": false,
	} {
		if got := s.allowedHost(host); got != want {
			t.Errorf("allowedHost(%q) = %v, want %v", host, got, want)
		}
	}
	if got := s.URL(); got != "http://localhost:8080/" {
		t.Errorf("URL() = %q", got)
	}
}

// TestEventOrigin lets only the server's own pages open the event stream.
func TestEventOrigin(t *testing.T) {
	_, addr := start(t, writeSite(t, nil), site.Options{Drafts: true})
	_, port, _ := net.SplitHostPort(addr)
	tests := []struct {
		host, origin string
		status       int
	}{
		{addr, "", 200},
		{addr, "http://" + addr, 200},
		{"localhost:" + port, "http://localhost:" + port, 200},
		{addr, "http://evil.example", 403},
		{addr, "http://localhost:" + port, 403},
		{addr, "https://" + addr, 403},
		{addr, "http://" + addr + ".evil.example", 403},
		{addr, "null", 403},
		{addr, "file://", 403},
	}
	for _, tt := range tests {
		req := "GET /_folio/events HTTP/1.1\r\nHost: " + tt.host + "\r\n"
		if tt.origin != "" {
			req += "Origin: " + tt.origin + "\r\n"
		}
		req += "Connection: close\r\n\r\n"
		c, err := net.Dial("tcp", addr)
		if err != nil {
			t.Fatal(err)
		}
		c.SetDeadline(time.Now().Add(10 * time.Second))
		io.WriteString(c, req)
		resp, err := http.ReadResponse(bufio.NewReader(c), nil)
		if err != nil {
			t.Fatal(err)
		}
		if resp.StatusCode != tt.status {
			t.Errorf("Host %s, Origin %q: %s, want %d", tt.host, tt.origin, resp.Status, tt.status)
		}
		for k := range resp.Header {
			if strings.HasPrefix(k, "Access-Control-") {
				t.Errorf("Origin %q: CORS header %s", tt.origin, k)
			}
		}
		c.Close()
	}
}

// TestCORS: no response, preflight included, grants another origin
// anything.
func TestCORS(t *testing.T) {
	_, addr := start(t, writeSite(t, nil), site.Options{Drafts: true})
	for _, req := range []string{
		"OPTIONS /obs/ HTTP/1.1\r\nHost: " + addr + "\r\nOrigin: http://evil.example\r\nAccess-Control-Request-Method: GET\r\n",
		"OPTIONS /_folio/events HTTP/1.1\r\nHost: " + addr + "\r\nOrigin: http://evil.example\r\nAccess-Control-Request-Method: GET\r\n",
		"GET /obs/data/sales.json HTTP/1.1\r\nHost: " + addr + "\r\nOrigin: http://evil.example\r\n",
		"GET /obs/ HTTP/1.1\r\nHost: " + addr + "\r\nOrigin: null\r\n",
	} {
		resp, _ := raw(t, addr, req+"Connection: close\r\n\r\n")
		for k := range resp.Header {
			if strings.HasPrefix(k, "Access-Control-") {
				t.Errorf("%q: CORS header %s: %s", req, k, resp.Header.Get(k))
			}
		}
	}
}

// TestTimeouts: Serve drops a client that sends its headers too slowly,
// and one that stays idle, but not an event stream.
func TestTimeouts(t *testing.T) {
	dir := writeSite(t, nil)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	timeout := 300 * time.Millisecond
	if raceEnabled {
		timeout = 2 * time.Second
	}
	s := New(Config{Dir: dir, Addr: addr, Options: site.Options{Today: today}, ReadHeaderTimeout: timeout, IdleTimeout: timeout})
	s.Rebuild()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- s.Serve(ctx, ln) }()
	defer func() {
		cancel()
		if err := <-done; err != nil {
			t.Error(err)
		}
	}()

	ev := events(t, addr)
	wantEvent(t, ev, "build", buildEvent{ID: s.cur.Load().good.id})

	// closedWithin sends what to a new connection and reports how long the
	// server took to close it.
	closedWithin := func(what string) time.Duration {
		c, err := net.Dial("tcp", addr)
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		start := time.Now()
		c.SetDeadline(start.Add(5 * time.Second))
		io.WriteString(c, what)
		r := bufio.NewReader(c)
		if strings.HasSuffix(what, "\r\n\r\n") {
			resp, err := http.ReadResponse(r, nil)
			if err != nil {
				t.Fatal(err)
			}
			io.Copy(io.Discard, resp.Body)
			start = time.Now()
		}
		_, err = r.ReadByte()
		if !errors.Is(err, io.EOF) {
			t.Fatalf("%q: want the server to close the connection, got %v", what, err)
		}
		return time.Since(start)
	}
	if d := closedWithin("GET /obs/ HTTP/1.1\r\nHost: " + addr + "\r\n"); d < timeout/2 {
		t.Errorf("slow headers dropped after %v", d)
	}
	if d := closedWithin("GET /obs/ HTTP/1.1\r\nHost: " + addr + "\r\n\r\n"); d < timeout/2 {
		t.Errorf("idle client dropped after %v", d)
	}
	closedWithin("GET /obs/ HTTP/1.1\r\n")
	// The event stream, open all along, past the read timeout (twice the
	// header timeout), is alive.
	writeFile(t, dir, "content/briefs/first.md", strings.Replace(read(t, dir, "content/briefs/first.md"), "$42bn", "$44bn", 1))
	from := s.cur.Load().good.id
	s.Rebuild()
	wantEvent(t, ev, "build", buildEvent{ID: s.cur.Load().good.id, From: from})
}
