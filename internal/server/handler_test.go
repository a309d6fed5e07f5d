package server

import (
	"bytes"
	"io/fs"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/folio-ssg/folio/internal/site"
)

// TestServedIsBuilt fetches every file `folio build` writes and finds it
// served byte for byte, HTML pages differing only by the reload tag.
func TestServedIsBuilt(t *testing.T) {
	dir := writeSite(t, nil)
	s, addr := start(t, dir, site.Options{Drafts: true})
	out := filepath.Join(t.TempDir(), "site")
	_, probs, err := site.Build(dir, out, site.Options{Drafts: true, Today: today, BaseURL: "http://" + addr + "/obs/"})
	if err != nil || probs.Errors() > 0 {
		t.Fatal(err, probs)
	}
	id := s.cur.Load().good.id
	files := 0
	err = filepath.WalkDir(out, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		files++
		want, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(out, p)
		urls := []string{"/obs/" + filepath.ToSlash(rel)}
		if strings.HasSuffix(urls[0], "/index.html") {
			urls = append(urls, strings.TrimSuffix(urls[0], "index.html"))
		}
		for _, u := range urls {
			resp, got := get(t, addr, u)
			if resp.StatusCode != http.StatusOK {
				t.Errorf("%s: %s", u, resp.Status)
				continue
			}
			if strings.HasSuffix(rel, ".html") {
				var gotID string
				got, gotID = untag(t, got)
				if gotID != id {
					t.Errorf("%s: data-build %q, want %q", u, gotID, id)
				}
			}
			if !bytes.Equal(got, want) {
				t.Errorf("%s: served bytes differ from the built file %s", u, rel)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if n := len(s.cur.Load().good.out); files != n || n < 20 {
		t.Errorf("built %d files, serving %d", files, n)
	}
}

// TestResponses checks status, type, headers and body of each kind of
// response.
func TestResponses(t *testing.T) {
	dir := writeSite(t, nil)
	s, addr := start(t, dir, site.Options{Drafts: true})
	b := s.cur.Load().good
	var css, notice string
	for k := range b.out {
		switch {
		case strings.HasPrefix(k, "assets/site.") && strings.HasSuffix(k, ".css"):
			css = "/obs/" + k
		case strings.HasPrefix(k, "assets/vendor/echarts/NOTICE."):
			notice = "/obs/" + k
		}
	}
	tag := string(b.script)
	const (
		html = "text/html; charset=utf-8"
		text = "text/plain; charset=utf-8"
	)
	tests := []struct {
		method, path string
		status       int
		ctype        string
		location     string
		has, hasNot  []string
	}{
		{"GET", "/", 302, html, "/obs/", nil, nil},
		{"GET", "/obs", 302, html, "/obs/", nil, nil},
		{"GET", "/obs/", 200, html, "", []string{tag + "</body>", "<h1"}, nil},
		{"GET", "/obs/index.html", 200, html, "", []string{tag}, nil},
		{"GET", "/obs/?q=1", 200, html, "", []string{tag}, nil},
		{"GET", "/obs/briefs", 302, html, "/obs/briefs/", nil, nil},
		{"GET", "/obs/briefs/first/", 200, html, "", []string{">First brief</h1>", tag}, []string{"draft-banner"}},
		{"GET", "/obs/briefs/draft/", 200, html, "", []string{`class="draft-banner"`, "Draft — not published", tag}, nil},
		{"GET", "/obs/data/sales.csv", 200, "text/csv; charset=utf-8", "", []string{"2022,42"}, []string{"_folio"}},
		{"GET", "/obs/data/sales.json", 200, "application/json", "", nil, []string{"_folio"}},
		{"GET", css, 200, "text/css; charset=utf-8", "", nil, []string{"_folio"}},
		{"GET", notice, 200, text, "", nil, []string{"_folio"}},
		{"GET", "/obs/no-such-page/", 404, html, "", []string{tag}, nil},
		{"GET", "/obs/briefs/first/index", 404, html, "", []string{tag}, nil},
		{"GET", "/elsewhere/", 404, html, "", []string{tag}, nil},
		{"GET", "/_folio/reload.js", 200, "text/javascript; charset=utf-8", "", []string{"new EventSource(\"/_folio/events\")"}, nil},
		{"GET", "/_folio/", 404, text, "", nil, nil},
		{"GET", "/_folio/reload.js.map", 404, text, "", nil, nil},
		{"HEAD", "/obs/", 200, html, "", nil, []string{"<"}},
		{"POST", "/obs/", 405, text, "", nil, nil},
		{"PUT", "/obs/", 405, text, "", nil, nil},
		{"DELETE", "/obs/", 405, text, "", nil, nil},
		{"OPTIONS", "/obs/", 405, text, "", nil, nil},
	}
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	for _, tt := range tests {
		req, _ := http.NewRequest(tt.method, "http://"+addr+tt.path, nil)
		req.Header.Set("Origin", "http://evil.example")
		resp, err := client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		var body bytes.Buffer
		body.ReadFrom(resp.Body)
		resp.Body.Close()
		name := tt.method + " " + tt.path
		if resp.StatusCode != tt.status {
			t.Errorf("%s: status %d, want %d", name, resp.StatusCode, tt.status)
		}
		h := resp.Header
		if got := h.Get("Content-Type"); got != tt.ctype {
			t.Errorf("%s: Content-Type %q, want %q", name, got, tt.ctype)
		}
		if got := h.Get("Location"); got != tt.location {
			t.Errorf("%s: Location %q, want %q", name, got, tt.location)
		}
		if h.Get("Cache-Control") != "no-store" || h.Get("X-Content-Type-Options") != "nosniff" {
			t.Errorf("%s: Cache-Control %q, X-Content-Type-Options %q", name, h.Get("Cache-Control"), h.Get("X-Content-Type-Options"))
		}
		for k := range h {
			if strings.HasPrefix(k, "Access-Control-") {
				t.Errorf("%s: CORS header %s: %s", name, k, h.Get(k))
			}
		}
		if tt.method == "POST" || tt.method == "OPTIONS" {
			if got := h.Get("Allow"); got != "GET, HEAD" {
				t.Errorf("%s: Allow %q", name, got)
			}
		}
		for _, want := range tt.has {
			if !strings.Contains(body.String(), want) {
				t.Errorf("%s: body lacks %q", name, want)
			}
		}
		for _, bad := range tt.hasNot {
			if strings.Contains(body.String(), bad) {
				t.Errorf("%s: body has %q", name, bad)
			}
		}
		if tt.method == "HEAD" {
			_, full := get(t, addr, tt.path)
			if h.Get("Content-Length") != strconv.Itoa(len(full)) {
				t.Errorf("%s: Content-Length %s, GET sends %d bytes", name, h.Get("Content-Length"), len(full))
			}
		}
	}
}

// TestNoDrafts serves the site as build publishes it.
func TestNoDrafts(t *testing.T) {
	_, addr := start(t, writeSite(t, nil), site.Options{})
	if resp, _ := get(t, addr, "/obs/briefs/draft/"); resp.StatusCode != 404 {
		t.Errorf("draft with Drafts off: %s", resp.Status)
	}
	if _, body := get(t, addr, "/obs/briefs/"); bytes.Contains(body, []byte("Draft brief")) {
		t.Errorf("draft listed with Drafts off")
	}
}

func TestInject(t *testing.T) {
	tag := []byte("<T>")
	tests := []struct{ page, want string }{
		{"<p>x</p></body></html>", "<p>x</p><T></body></html>"},
		{"<p>x</p></BODY></html>", "<p>x</p><T></BODY></html>"},
		{"<pre>&lt;/body></pre></body>\n</html>", "<pre>&lt;/body></pre><T></body>\n</html>"},
		{"a</body>b</body>c", "a</body>b<T></body>c"},
		{"no body end", "no body end<T>"},
		{"", "<T>"},
	}
	for _, tt := range tests {
		if got := string(inject([]byte(tt.page), tag)); got != tt.want {
			t.Errorf("inject(%q) = %q, want %q", tt.page, got, tt.want)
		}
	}
}
