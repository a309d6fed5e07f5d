package server

import (
	"bufio"
	"bytes"
	"context"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/folio-ssg/folio/internal/site"
	"github.com/rogpeppe/go-internal/txtar"
)

// today is the day tests judge embargoes against.
var today = time.Date(2025, 6, 1, 0, 0, 0, 0, time.UTC)

// testSite is a small site served from /obs/, with a draft; writeSite
// adds the repository's real templates, so pages are real pages.
const testSite = `
-- folio.yaml --
title: Test Observatory
description: A site for tests.
base_url: https://example.org/obs/
publisher: Test Institute
license: CC BY 4.0
menu:
  - {title: Briefs, url: /briefs/}
  - {title: Data, url: /data/}
-- content/about.md --
---
title: About
summary: Who we are.
---
See [the brief](/briefs/first/).
-- content/authors/jane-doe.md --
---
name: Jane Doe
role: Analyst
---
Jane writes briefs.
-- content/briefs/first.md --
---
title: First brief
summary: What the first brief says.
date: 2025-02-03
authors: [jane-doe]
tags: [export controls]
---
## Context

Sales reached $42bn, per [the data](/data/sales/).
-- content/briefs/draft.md --
---
title: Draft brief
summary: Not yet.
date: 2025-03-01
authors: [jane-doe]
draft: true
---
Draft body.
-- data/sales.yaml --
title: Chip sales
description: Sales of AI chips.
source:
  name: CSET
  url: https://cset.georgetown.edu/
key: [year]
columns:
  - {name: year, type: integer, label: Year}
  - {name: sales, type: number, label: Sales, prefix: "$", suffix: bn}
rows:
  - {year: 2022, sales: 42}
`

// writeSite writes the test site, with changes ("" deletes a file), into
// a new folder with the repository's templates, and returns the folder.
func writeSite(t testing.TB, changes map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	if err := os.CopyFS(filepath.Join(dir, "templates"), os.DirFS("../../templates")); err != nil {
		t.Fatal(err)
	}
	for _, f := range txtar.Parse([]byte(testSite)).Files {
		writeFile(t, dir, f.Name, string(f.Data))
	}
	for name, data := range changes {
		if data == "" {
			if err := os.Remove(filepath.Join(dir, name)); err != nil {
				t.Fatal(err)
			}
			continue
		}
		writeFile(t, dir, name, data)
	}
	return dir
}

func writeFile(t testing.TB, dir, name, data string) {
	t.Helper()
	p := filepath.Join(dir, filepath.FromSlash(name))
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
}

// start serves the site in dir on a loopback port, builds it, and returns
// the server and its address. The first build must succeed.
func start(t testing.TB, dir string, opts site.Options) (*Server, string) {
	t.Helper()
	s, addr := startUnbuilt(t, dir, opts)
	if res := s.Rebuild(); res.Failed {
		t.Fatalf("first build failed:\n%v", res.Problems)
	}
	return s, addr
}

// startUnbuilt is start without the first build.
func startUnbuilt(t testing.TB, dir string, opts site.Options) (*Server, string) {
	t.Helper()
	ts := httptest.NewUnstartedServer(nil)
	addr := ts.Listener.Addr().String()
	opts.Today = today
	s := New(Config{Dir: dir, Addr: addr, Options: opts})
	ts.Config.Handler = s.Handler()
	ts.Start()
	t.Cleanup(ts.Close)
	t.Cleanup(s.Close) // runs first: event streams end, so Close does not wait
	return s, addr
}

// get fetches path from addr, failing the test on a transport error.
func get(t testing.TB, addr, path string) (*http.Response, []byte) {
	t.Helper()
	resp, err := http.Get("http://" + addr + path)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp, body
}

// raw sends request, a raw request line and headers with "\r\n" after
// each, exactly as written, and returns the response. The path reaches
// the server as it is, with no client cleaning or encoding it.
func raw(t testing.TB, addr, request string) (*http.Response, []byte) {
	t.Helper()
	c, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	c.SetDeadline(time.Now().Add(10 * time.Second))
	if _, err := io.WriteString(c, request); err != nil {
		t.Fatal(err)
	}
	resp, err := http.ReadResponse(bufio.NewReader(c), nil)
	if err != nil {
		t.Fatalf("%q: %v", request, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp, body
}

var buildAttr = regexp.MustCompile(`<script src="/_folio/reload\.js" data-build="([^"]*)" defer></script>`)

// untag returns page without the reload tag and the build id the tag
// named; it fails unless there is exactly one tag.
func untag(t testing.TB, page []byte) ([]byte, string) {
	t.Helper()
	m := buildAttr.FindAllSubmatchIndex(page, -1)
	if len(m) != 1 {
		t.Fatalf("want one reload tag, found %d in:\n%s", len(m), page)
	}
	id := string(page[m[0][2]:m[0][3]])
	return append(bytes.Clone(page[:m[0][0]]), page[m[0][1]:]...), id
}

// stream reads server-sent events.
type stream struct {
	t       testing.TB
	r       *bufio.Reader
	cancel  func()
	timeout time.Duration // for each event
}

// events opens the event stream of the server at addr. Waiting over 10 s
// (the stream's timeout) for an event fails the test.
func events(t testing.TB, addr string) *stream {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	req, _ := http.NewRequestWithContext(ctx, "GET", "http://"+addr+eventsPath, nil)
	// A transport of its own: no connection left idle by another test.
	client := &http.Client{Transport: &http.Transport{}}
	resp, err := client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cancel(); resp.Body.Close() })
	if resp.StatusCode != http.StatusOK || resp.Header.Get("Content-Type") != "text/event-stream; charset=utf-8" {
		t.Fatalf("events: %s, Content-Type %q", resp.Status, resp.Header.Get("Content-Type"))
	}
	return &stream{t: t, r: bufio.NewReader(resp.Body), cancel: cancel, timeout: 10 * time.Second}
}

// next returns the next event's name and data, skipping comments and the
// retry field.
func (s *stream) next() (name, data string) {
	s.t.Helper()
	timer := time.AfterFunc(s.timeout, s.cancel)
	defer timer.Stop()
	for {
		line, err := s.r.ReadString('\n')
		if err != nil {
			s.t.Fatalf("reading events: %v", err)
		}
		line = strings.TrimSuffix(line, "\n")
		switch {
		case line == "" && name != "":
			return name, data
		case strings.HasPrefix(line, "event: "):
			name = line[len("event: "):]
		case strings.HasPrefix(line, "data: "):
			data = line[len("data: "):]
		}
	}
}
