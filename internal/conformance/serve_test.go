package conformance

import (
	"net/http"
	"path"
	"strings"

	"github.com/folio-ssg/folio/internal/site"
)

// csp is the Content-Security-Policy of every response: only files of the
// site itself, no inline script or style, no plugins. Whatever a page does
// that it forbids shows in the browser's log as an error, which fails the
// browser tests.
const csp = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; " +
	"object-src 'none'; base-uri 'none'; form-action 'self'"

// contentTypes are the types a static host sends for folio's files. A
// fixed table, not the machine's mime.types, so every machine tests the
// same thing; with nosniff a wrong type is an error in the browser.
var contentTypes = map[string]string{
	".html": "text/html; charset=utf-8",
	".css":  "text/css; charset=utf-8",
	".js":   "text/javascript; charset=utf-8",
	".json": "application/json",
	".csv":  "text/csv; charset=utf-8",
	".svg":  "image/svg+xml",
	".xml":  "application/xml",
	".txt":  "text/plain; charset=utf-8",
	".png":  "image/png",
	".jpg":  "image/jpeg",
	".webp": "image/webp",
	".ico":  "image/x-icon",
}

// outputHandler serves a site.Output under base as a static host serves a
// built site: "dir/" is "dir/index.html", "dir" redirects to "dir/", and
// anything else answers 404.html with the status 404.
type outputHandler struct {
	base string
	out  site.Output
}

func (h outputHandler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Security-Policy", csp)
	w.Header().Set("X-Content-Type-Options", "nosniff")
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	p, ok := strings.CutPrefix(r.URL.Path, h.base)
	if !ok {
		h.notFound(w)
		return
	}
	if p == "" || strings.HasSuffix(p, "/") {
		p += "index.html"
	} else if _, ok := h.out[p+"/index.html"]; ok {
		http.Redirect(w, r, r.URL.Path+"/", http.StatusMovedPermanently)
		return
	}
	data, ok := h.out[p]
	if !ok {
		h.notFound(w)
		return
	}
	h.write(w, p, http.StatusOK, data)
}

func (h outputHandler) notFound(w http.ResponseWriter) {
	data, ok := h.out["404.html"]
	if !ok {
		http.Error(w, "404 page not found", http.StatusNotFound)
		return
	}
	h.write(w, "404.html", http.StatusNotFound, data)
}

func (h outputHandler) write(w http.ResponseWriter, p string, status int, data []byte) {
	typ, ok := contentTypes[path.Ext(p)]
	if !ok {
		typ = "application/octet-stream"
	}
	w.Header().Set("Content-Type", typ)
	w.WriteHeader(status)
	w.Write(data)
}

// rootHandler sends each request to the handler of its base path, and
// answers everything else, such as /favicon.ico, with a plain 404 under
// the same policy.
type rootHandler []outputHandler

func (hs rootHandler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	for _, h := range hs {
		if strings.HasPrefix(r.URL.Path, h.base) {
			h.ServeHTTP(w, r)
			return
		}
	}
	w.Header().Set("Content-Security-Policy", csp)
	w.Header().Set("X-Content-Type-Options", "nosniff")
	http.Error(w, "404 page not found", http.StatusNotFound)
}
