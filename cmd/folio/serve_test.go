package main

import (
	"bytes"
	"context"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// lines is an io.Writer that hands each complete line to a channel, so a
// test can wait for output written by other goroutines.
type lines struct {
	mu  sync.Mutex
	buf []byte
	ch  chan string
}

func newLines() *lines { return &lines{ch: make(chan string, 1000)} }

func (l *lines) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.buf = append(l.buf, p...)
	for {
		i := bytes.IndexByte(l.buf, '\n')
		if i < 0 {
			return len(p), nil
		}
		l.ch <- string(l.buf[:i])
		l.buf = l.buf[i+1:]
	}
}

// want waits up to 10 s for a line matching re, failing the test if
// another comes first, and returns its submatches.
func (l *lines) want(t *testing.T, re string) []string {
	t.Helper()
	rx := regexp.MustCompile(re)
	select {
	case line := <-l.ch:
		m := rx.FindStringSubmatch(line)
		if m == nil {
			t.Fatalf("got line %q, want one matching %q", line, re)
		}
		return m
	case <-time.After(10 * time.Second):
		t.Fatalf("no line matching %q within 10 s", re)
	}
	return nil
}

// none fails if any line is pending.
func (l *lines) none(t *testing.T) {
	t.Helper()
	select {
	case line := <-l.ch:
		t.Fatalf("unexpected line %q", line)
	default:
	}
}

// serveSite writes a small site with a draft on the real templates.
func serveSite(t *testing.T, brief string) string {
	t.Helper()
	dir := t.TempDir()
	if err := os.CopyFS(filepath.Join(dir, "templates"), os.DirFS("../../templates")); err != nil {
		t.Fatal(err)
	}
	files := map[string]string{
		"folio.yaml":                  "title: Serve Observatory\ndescription: A site served by a test.\nbase_url: https://example.org/obs/\nmenu:\n  - {title: Briefs, url: /briefs/}\n",
		"content/briefs/first.md":     brief,
		"content/briefs/draft.md":     "---\ntitle: Draft brief\nsummary: Not yet.\ndate: 2025-03-01\ndraft: true\n---\nDraft body.\n",
		"content/authors/jane-doe.md": "---\nname: Jane Doe\n---\nJane writes.\n",
	}
	for name, data := range files {
		writeTestFile(t, dir, name, data)
	}
	return dir
}

const goodBrief = "---\ntitle: First brief\nsummary: The first brief.\ndate: 2025-02-03\nauthors: [jane-doe]\n---\nSales were $42bn.\n"

func writeTestFile(t *testing.T, dir, name, data string) {
	t.Helper()
	p := filepath.Join(dir, filepath.FromSlash(name))
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
}

func fetch(t *testing.T, url string) (int, string) {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, string(body)
}

// startServe runs serve in the background; the returned function stops
// it and returns its error.
func startServe(t *testing.T, args ...string) (stdout, stderr *lines, stop func() error) {
	t.Helper()
	stdout, stderr = newLines(), newLines()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- serve(ctx, args, stdout, stderr) }()
	var once sync.Once
	var err error
	stop = func() error {
		once.Do(func() {
			cancel()
			select {
			case err = <-done:
			case <-time.After(10 * time.Second):
				t.Fatal("serve did not stop within 10 s")
			}
		})
		return err
	}
	t.Cleanup(func() { stop() })
	return stdout, stderr, stop
}

// TestServe previews a site: drafts with their banner, live rebuilds,
// problems reported while the last good build stays served, and a clean
// stop.
func TestServe(t *testing.T) {
	dir := serveSite(t, goodBrief)
	stdout, stderr, stop := startServe(t, "-src", dir, "-addr", "127.0.0.1:0")
	stdout.want(t, `^Built \d+ pages in [0-9.]+[mµ]?s$`)
	m := stdout.want(t, `^Serving .* at (http://127\.0\.0\.1:\d+/obs/) \(drafts shown\); press Ctrl-C to stop$`)
	url := m[1]

	status, page := fetch(t, url+"briefs/first/")
	if status != 200 || !strings.Contains(page, "Sales were $42bn.") || !strings.Contains(page, `<script src="/_folio/reload.js" data-build="`) {
		t.Fatalf("brief: %d\n%s", status, page)
	}
	if status, page := fetch(t, url+"briefs/draft/"); status != 200 || !strings.Contains(page, "draft-banner") {
		t.Fatalf("draft: %d, banner: %v", status, strings.Contains(page, "draft-banner"))
	}
	root := strings.TrimSuffix(url, "obs/")
	if status, page := fetch(t, root); status != 200 || !strings.Contains(page, "Serve Observatory") {
		t.Fatalf("/ did not lead to the site: %d", status)
	}

	// An edit is rebuilt and served.
	writeTestFile(t, dir, "content/briefs/first.md", strings.Replace(goodBrief, "$42bn", "$43bn", 1))
	stdout.want(t, `^Rebuilt \d+ pages in [0-9.]+[mµ]?s$`)
	if _, page := fetch(t, url+"briefs/first/"); !strings.Contains(page, "Sales were $43bn.") {
		t.Fatal("edit not served")
	}

	// A broken source: problems on stderr, the last good build served.
	writeTestFile(t, dir, "content/briefs/first.md", strings.Replace(goodBrief, "date: 2025-02-03", "date: 2025-2-3", 1))
	stderr.want(t, `^content/briefs/first\.md:4:7: `)
	stderr.want(t, `^1 error, 0 warnings$`)
	stderr.want(t, `^folio serve: still serving the last good build$`)
	if status, page := fetch(t, url+"briefs/first/"); status != 200 || !strings.Contains(page, "Sales were $43bn.") {
		t.Fatalf("while broken: %d", status)
	}
	writeTestFile(t, dir, "content/briefs/first.md", goodBrief)
	stdout.want(t, `^Rebuilt \d+ pages in [0-9.]+[mµ]?s$`)

	if err := stop(); err != nil {
		t.Fatal(err)
	}
	stdout.want(t, `^Stopped\.$`)
	stdout.none(t)
	stderr.none(t)
	if _, err := http.Get(url); err == nil {
		t.Fatal("still serving after stop")
	}
}

// TestServeNoDrafts previews the site as build publishes it.
func TestServeNoDrafts(t *testing.T) {
	stdout, _, _ := startServe(t, "-src", serveSite(t, goodBrief), "-addr", "127.0.0.1:0", "-no-drafts")
	stdout.want(t, `^Built \d+ pages`)
	url := stdout.want(t, `^Serving .* at (\S+) \(drafts hidden\)`)[1]
	if status, _ := fetch(t, url+"briefs/draft/"); status != 404 {
		t.Fatalf("draft with -no-drafts: %d", status)
	}
}

// TestServeFirstBuildFails serves the problems until they are fixed.
func TestServeFirstBuildFails(t *testing.T) {
	dir := serveSite(t, strings.Replace(goodBrief, "authors: [jane-doe]", "authors: [john-doe]", 1))
	stdout, stderr, _ := startServe(t, "-src", dir, "-addr", "127.0.0.1:0")
	stderr.want(t, `^content/briefs/first\.md:5:11: unknown author "john-doe": there is no content/authors/john-doe\.md$`)
	stderr.want(t, `^1 error, 0 warnings$`)
	url := stdout.want(t, `^Serving .* at (\S+) `)[1]
	status, page := fetch(t, url+"briefs/first/")
	if status != 500 || !strings.Contains(page, "<code>content/briefs/first.md:5:11: unknown author &#34;john-doe&#34;") {
		t.Fatalf("failing site: %d\n%s", status, page)
	}
	writeTestFile(t, dir, "content/briefs/first.md", goodBrief)
	stdout.want(t, `^Rebuilt \d+ pages`)
	if status, _ := fetch(t, url+"briefs/first/"); status != 200 {
		t.Fatalf("after the fix: %d", status)
	}
}

// TestServeInterrupt stops the command with a real SIGINT, as Ctrl-C does,
// through run: exit status 0.
func TestServeInterrupt(t *testing.T) {
	stdout, stderr := newLines(), newLines()
	code := make(chan int, 1)
	go func() {
		code <- run([]string{"serve", "-src", serveSite(t, goodBrief), "-addr", "127.0.0.1:0"}, stdout, stderr)
	}()
	stdout.want(t, `^Built`)
	url := stdout.want(t, `^Serving .* at (\S+) `)[1]
	if status, _ := fetch(t, url); status != 200 {
		t.Fatal(status)
	}
	if err := syscall.Kill(os.Getpid(), syscall.SIGINT); err != nil {
		t.Fatal(err)
	}
	select {
	case c := <-code:
		if c != 0 {
			t.Fatalf("exit status %d", c)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("SIGINT did not stop serve within 10 s")
	}
	stdout.want(t, `^Stopped\.$`)
	stderr.none(t)
}

// TestServePortInUse names the address and suggests another.
func TestServePortInUse(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	addr := ln.Addr().String()
	_, port, _ := net.SplitHostPort(addr)
	p, _ := strconv.Atoi(port)
	var stdout, stderr bytes.Buffer
	if code := run([]string{"serve", "-src", serveSite(t, goodBrief), "-addr", addr}, &stdout, &stderr); code != 1 {
		t.Fatalf("exit status %d", code)
	}
	want := "folio serve: " + addr + " is in use; choose another with -addr 127.0.0.1:" + strconv.Itoa(p+1) + "\n"
	if stderr.String() != want || stdout.Len() != 0 {
		t.Fatalf("stderr %q, want %q; stdout %q", stderr.String(), want, stdout.String())
	}
}

// TestServeNotLoopback warns that others can read the preview.
func TestServeNotLoopback(t *testing.T) {
	stdout, stderr, _ := startServe(t, "-src", serveSite(t, goodBrief), "-addr", "0.0.0.0:0")
	stderr.want(t, `^folio serve: warning: 0\.0\.0\.0:0 is not a loopback address: anyone who can reach this machine can read the preview, drafts included$`)
	stdout.want(t, `^Built`)
	stdout.want(t, `^Serving .* at http://localhost:\d+/obs/ `)
}

func TestLoopback(t *testing.T) {
	for host, want := range map[string]bool{
		"127.0.0.1": true, "127.0.0.2": true, "::1": true, "localhost": true,
		"0.0.0.0": false, "": false, "::": false, "192.168.1.2": false, "example.org": false, "localhost.example.org": false,
	} {
		if got := loopback(host); got != want {
			t.Errorf("loopback(%q) = %v, want %v", host, got, want)
		}
	}
}
