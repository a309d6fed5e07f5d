package server

import (
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/folio-ssg/folio/internal/site"
)

const (
	badSales = "title: Chip sales\nsource: {name: CSET, url: \"https://cset.georgetown.edu/\"}\ncolumns:\n" +
		"  - {name: year, type: integer}\n  - {name: sales, type: number}\nrows:\n  - {year: 2022, sales: \"42\"}\n"
	badSalesProblem = `data/sales.yaml:7:25: column "sales" holds numbers, not the quoted text "42"; write 42 without quotes`

	hostileBrief   = "---\ntitle: First brief\nsummary: x\ndate: 2025-02-03\n\"<img src=x onerror=alert(1)>\": 1\n---\nbody\n"
	hostileProblem = `content/briefs/first.md:5:1: unknown key "<img src=x onerror=alert(1)>"`
)

func decode[T any](t *testing.T, data string) T {
	t.Helper()
	var v T
	dec := json.NewDecoder(strings.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&v); err != nil {
		t.Fatalf("%s: %v", data, err)
	}
	return v
}

// wantEvent reads the next event and compares it with want.
func wantEvent[T any](t *testing.T, s *stream, name string, want T) {
	t.Helper()
	gotName, data := s.next()
	if gotName != name {
		t.Fatalf("event %q (%s), want %q", gotName, data, name)
	}
	if got := decode[T](t, data); !reflect.DeepEqual(got, want) {
		t.Fatalf("event %s:\n got %+v\nwant %+v", name, got, want)
	}
}

func read(t *testing.T, dir, name string) string {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(dir, name))
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}

// TestRebuilds follows a site through a failed rebuild, its fix, an edit,
// a stylesheet edit and a mixed edit, watching both the event stream and
// the pages served.
func TestRebuilds(t *testing.T) {
	dir := writeSite(t, nil)
	s, addr := start(t, dir, site.Options{Drafts: true})
	ev := events(t, addr)
	id0 := s.cur.Load().good.id
	wantEvent(t, ev, "build", buildEvent{ID: id0})
	_, page0 := get(t, addr, "/obs/briefs/first/")

	// A failed rebuild keeps the last good build served, and the stream
	// reports the problems.
	goodSales := read(t, dir, "data/sales.yaml")
	writeFile(t, dir, "data/sales.yaml", badSales)
	res := s.Rebuild()
	if !res.Failed || !res.Changed || res.ID != id0 || len(res.Problems) != 1 || res.Problems[0].String() != badSalesProblem {
		t.Fatalf("failed rebuild: %+v", res)
	}
	failed1 := s.cur.Load().failedID
	wantEvent(t, ev, "problems", problemsEvent{ID: failed1, Build: id0, Problems: []string{badSalesProblem}})
	if resp, page := get(t, addr, "/obs/briefs/first/"); resp.StatusCode != 200 || string(page) != string(page0) {
		t.Fatalf("while failing: %s, page changed: %v", resp.Status, string(page) != string(page0))
	}
	// The same problems again: nothing to tell.
	if res := s.Rebuild(); res.Changed || !res.Failed {
		t.Fatalf("failing again: %+v", res)
	}
	// More problems: a new list.
	goodFirst := read(t, dir, "content/briefs/first.md")
	writeFile(t, dir, "content/briefs/first.md", hostileBrief)
	s.Rebuild()
	failed2 := s.cur.Load().failedID
	if failed2 == failed1 {
		t.Fatal("two lists of problems, one id")
	}
	wantEvent(t, ev, "problems", problemsEvent{ID: failed2, Build: id0, Problems: []string{hostileProblem, badSalesProblem}})

	// Fixed, back to the very same site: the same build, and the stream
	// says so, which makes failing pages reload.
	writeFile(t, dir, "data/sales.yaml", goodSales)
	writeFile(t, dir, "content/briefs/first.md", goodFirst)
	if res := s.Rebuild(); res.Failed || !res.Changed || res.ID != id0 {
		t.Fatalf("fixed: %+v", res)
	}
	wantEvent(t, ev, "build", buildEvent{ID: id0})
	// Unchanged: nothing to tell.
	if res := s.Rebuild(); res.Changed {
		t.Fatalf("unchanged rebuild: %+v", res)
	}

	// An edit: a new build, which is no stylesheet swap.
	writeFile(t, dir, "content/briefs/first.md", strings.Replace(goodFirst, "$42bn", "$43bn", 1))
	s.Rebuild()
	id1 := s.cur.Load().good.id
	wantEvent(t, ev, "build", buildEvent{ID: id1, From: id0})
	if _, page := get(t, addr, "/obs/briefs/first/"); !strings.Contains(string(page), "$43bn") || !strings.Contains(string(page), `data-build="`+id1+`"`) {
		t.Fatalf("edited page not served:\n%s", page)
	}

	// A stylesheet edit: every page changes only in its href.
	oldCSS := cssHref(t, s)
	writeFile(t, dir, "templates/assets/site.css", read(t, dir, "templates/assets/site.css")+"\n/* edited */\n")
	s.Rebuild()
	id2 := s.cur.Load().good.id
	newCSS := cssHref(t, s)
	if oldCSS == newCSS {
		t.Fatal("edited stylesheet kept its name")
	}
	wantEvent(t, ev, "build", buildEvent{ID: id2, From: id1, CSS: map[string]string{oldCSS: newCSS}})

	// A stylesheet and a brief together: a reload.
	writeFile(t, dir, "templates/assets/site.css", read(t, dir, "templates/assets/site.css")+"\n/* again */\n")
	writeFile(t, dir, "content/briefs/first.md", goodFirst)
	s.Rebuild()
	id3 := s.cur.Load().good.id
	wantEvent(t, ev, "build", buildEvent{ID: id3, From: id2})

	// A script edit: a reload too.
	writeFile(t, dir, "templates/assets/charts.js", read(t, dir, "templates/assets/charts.js")+"\n// edited\n")
	s.Rebuild()
	wantEvent(t, ev, "build", buildEvent{ID: s.cur.Load().good.id, From: id3})

	// A new stream starts with the current state.
	ev2 := events(t, addr)
	wantEvent(t, ev2, "build", buildEvent{ID: s.cur.Load().good.id, From: id3})
}

func cssHref(t *testing.T, s *Server) string {
	t.Helper()
	b := s.cur.Load().good
	for k := range b.out {
		if strings.HasPrefix(k, "assets/site.") && strings.HasSuffix(k, ".css") {
			return b.base + k
		}
	}
	t.Fatal("no stylesheet")
	return ""
}

// TestFirstBuildFails serves a page of problems, escaped, until the
// sources build.
func TestFirstBuildFails(t *testing.T) {
	dir := writeSite(t, map[string]string{"content/briefs/first.md": hostileBrief})
	goodFirst := "---\ntitle: First brief\nsummary: x\ndate: 2025-02-03\n---\nbody\n"
	s, addr := startUnbuilt(t, dir, site.Options{Drafts: true})

	resp, body := get(t, addr, "/obs/")
	if resp.StatusCode != 500 || !strings.Contains(string(body), "Nothing has been built yet") || !strings.Contains(string(body), `data-build="none"`) {
		t.Fatalf("before the first build: %s\n%s", resp.Status, body)
	}

	res := s.Rebuild()
	if !res.Failed || res.ID != "" {
		t.Fatalf("first build: %+v", res)
	}
	id := s.cur.Load().failedID
	for _, p := range []string{"/", "/obs/", "/obs/briefs/first/", "/anything"} {
		resp, body := get(t, addr, p)
		if resp.StatusCode != 500 || resp.Header.Get("Content-Type") != "text/html; charset=utf-8" {
			t.Errorf("%s: %s %s", p, resp.Status, resp.Header.Get("Content-Type"))
		}
		for _, want := range []string{
			"<h1>The site does not build</h1>",
			"<p>1 problem; this page reloads when they are fixed.</p>",
			`<li><code>content/briefs/first.md:5:1: unknown key &#34;&lt;img src=x onerror=alert(1)&gt;&#34;</code></li>`,
			`<script src="/_folio/reload.js" data-build="` + id + `" defer></script>`,
		} {
			if !strings.Contains(string(body), want) {
				t.Errorf("%s: lacks %q:\n%s", p, want, body)
			}
		}
		if strings.Contains(string(body), "<img") {
			t.Errorf("%s: problem text became markup", p)
		}
	}
	if resp, _ := get(t, addr, "/_folio/reload.js"); resp.StatusCode != 200 {
		t.Errorf("reload.js while failing: %s", resp.Status)
	}
	ev := events(t, addr)
	wantEvent(t, ev, "problems", problemsEvent{ID: id, Problems: []string{hostileProblem}})

	writeFile(t, dir, "content/briefs/first.md", goodFirst)
	res = s.Rebuild()
	if res.Failed || res.ID == "" {
		t.Fatalf("fixed: %+v", res)
	}
	wantEvent(t, ev, "build", buildEvent{ID: res.ID})
	if resp, body := get(t, addr, "/obs/briefs/first/"); resp.StatusCode != 200 || !strings.Contains(string(body), `data-build="`+res.ID+`"`) {
		t.Fatalf("after the fix: %s\n%s", resp.Status, body)
	}
}
