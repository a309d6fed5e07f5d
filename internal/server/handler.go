package server

import (
	"bytes"
	"html/template"
	"net"
	"net/http"
	"path"
	"strconv"
	"strings"

	"github.com/folio-ssg/folio/internal/site"
)

// The server's own paths, at the root whatever the base path: folio
// never writes a _folio folder, so no site file is hidden by them.
const (
	prefix     = "/_folio/"
	reloadPath = prefix + "reload.js"
	eventsPath = prefix + "events"
)

// Handler returns the handler that serves the site, the reload script and
// the event stream.
func (s *Server) Handler() http.Handler { return http.HandlerFunc(s.serveHTTP) }

func (s *Server) serveHTTP(w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	h.Set("Cache-Control", "no-store")
	h.Set("X-Content-Type-Options", "nosniff")
	if !s.allowedHost(r.Host) {
		plain(w, http.StatusForbidden, "folio serve answers only requests for "+s.urlHost+" or localhost")
		return
	}
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		h.Set("Allow", "GET, HEAD")
		plain(w, http.StatusMethodNotAllowed, "only GET and HEAD")
		return
	}
	p, status := checkPath(r.URL.Path)
	if status != 0 {
		plain(w, status, http.StatusText(status))
		return
	}
	switch {
	case p == reloadPath:
		send(w, r, "text/javascript; charset=utf-8", http.StatusOK, reloadJS)
		return
	case p == eventsPath:
		s.serveEvents(w, r)
		return
	case strings.HasPrefix(p, prefix):
		plain(w, http.StatusNotFound, "not found")
		return
	}
	st := s.cur.Load()
	b := st.good
	if b == nil {
		s.serveFailure(w, r, st)
		return
	}
	key, redirect := lookup(p, b.base, b.out)
	switch {
	case key != "":
		serveFile(w, r, b, key, http.StatusOK, b.out[key])
	case redirect != "":
		http.Redirect(w, r, redirect, http.StatusFound)
	default:
		s.serveNotFound(w, r, b)
	}
}

// lookup maps p, a request path that checkPath passed, to the file of out
// it names under the base path: its key, or else the path to redirect to
// (the base path from the root, a folder's path with its slash), or
// neither when there is no such file.
func lookup(p, base string, out site.Output) (key, redirect string) {
	if !strings.HasPrefix(p, base) {
		if p == "/" || p+"/" == base {
			return "", base
		}
		return "", ""
	}
	rel := p[len(base):]
	if rel == "" || strings.HasSuffix(rel, "/") {
		rel += "index.html"
	}
	if _, ok := out[rel]; ok {
		return rel, ""
	}
	if _, ok := out[rel+"/index.html"]; ok {
		return "", p + "/"
	}
	return "", ""
}

// allowedHost reports whether a request's Host names this server: its
// address, or localhost, 127.0.0.1 or [::1], on its port. Anything else
// may be a DNS name rebound to 127.0.0.1 by an attacker's page.
func (s *Server) allowedHost(hostport string) bool {
	host, port, err := net.SplitHostPort(hostport)
	if err != nil {
		host, port = hostport, "80"
	}
	if port != s.port {
		return false
	}
	host = strings.ToLower(host)
	switch host {
	case "localhost", "127.0.0.1", "::1", s.host:
		return host != ""
	}
	// Listening on every interface, the machine's addresses are served
	// too; an IP literal cannot be rebound.
	return s.anyIP && net.ParseIP(host) != nil
}

// checkPath vets a decoded request path. It refuses (400) backslashes,
// control characters and "." or ".." segments, which a careful client
// never sends and a traversal attempt always does, and hides dot-files
// and empty segments (404). It returns the path, or the status to answer
// with.
func checkPath(p string) (string, int) {
	if !strings.HasPrefix(p, "/") {
		return "", http.StatusBadRequest
	}
	for i := 0; i < len(p); i++ {
		if c := p[i]; c == '\\' || c < 0x20 || c == 0x7f {
			return "", http.StatusBadRequest
		}
	}
	status := 0
	segs := strings.Split(p[1:], "/")
	for i, seg := range segs {
		switch {
		case seg == "." || seg == "..":
			return "", http.StatusBadRequest
		case strings.HasPrefix(seg, "."), seg == "" && i < len(segs)-1:
			// Dot-files are never served; an empty segment ("//") is no
			// output path, and must not become a redirect to another host.
			status = http.StatusNotFound
		}
	}
	if status != 0 {
		return "", status
	}
	return p, 0
}

func (s *Server) serveNotFound(w http.ResponseWriter, r *http.Request, b *build) {
	if data, ok := b.out["404.html"]; ok {
		serveFile(w, r, b, "404.html", http.StatusNotFound, data)
		return
	}
	plain(w, http.StatusNotFound, "not found")
}

// serveFile sends one output file, with the reload tag when it is HTML.
func serveFile(w http.ResponseWriter, r *http.Request, b *build, name string, status int, data []byte) {
	ctype := contentType(name)
	if strings.HasPrefix(ctype, "text/html") {
		data = inject(data, b.script)
	}
	send(w, r, ctype, status, data)
}

func send(w http.ResponseWriter, r *http.Request, ctype string, status int, data []byte) {
	h := w.Header()
	h.Set("Content-Type", ctype)
	h.Set("Content-Length", strconv.Itoa(len(data)))
	w.WriteHeader(status)
	if r.Method != http.MethodHead {
		w.Write(data)
	}
}

func plain(w http.ResponseWriter, status int, msg string) {
	h := w.Header()
	h.Set("Content-Type", "text/plain; charset=utf-8")
	h.Set("Content-Length", strconv.Itoa(len(msg)+1))
	w.WriteHeader(status)
	w.Write([]byte(msg + "\n"))
}

// inject returns page with tag inserted before its last </body>, or at
// its end when it has none.
func inject(page, tag []byte) []byte {
	i := lastIndexFold(page, []byte("</body>"))
	if i < 0 {
		i = len(page)
	}
	out := make([]byte, 0, len(page)+len(tag))
	out = append(out, page[:i]...)
	out = append(out, tag...)
	return append(out, page[i:]...)
}

func lastIndexFold(s, sep []byte) int {
	for i := len(s) - len(sep); i >= 0; i-- {
		if s[i] == '<' && bytes.EqualFold(s[i:i+len(sep)], sep) {
			return i
		}
	}
	return -1
}

// types are the Content-Types by extension: fixed, not read from the
// system's tables, so every machine serves the same.
var types = map[string]string{
	".html":  "text/html; charset=utf-8",
	".css":   "text/css; charset=utf-8",
	".js":    "text/javascript; charset=utf-8",
	".mjs":   "text/javascript; charset=utf-8",
	".json":  "application/json",
	".csv":   "text/csv; charset=utf-8",
	".xml":   "application/xml",
	".txt":   "text/plain; charset=utf-8",
	".md":    "text/plain; charset=utf-8",
	".svg":   "image/svg+xml",
	".png":   "image/png",
	".jpg":   "image/jpeg",
	".jpeg":  "image/jpeg",
	".gif":   "image/gif",
	".webp":  "image/webp",
	".avif":  "image/avif",
	".ico":   "image/x-icon",
	".woff":  "font/woff",
	".woff2": "font/woff2",
	".pdf":   "application/pdf",
	".wasm":  "application/wasm",
}

func contentType(name string) string {
	if t, ok := types[strings.ToLower(path.Ext(name))]; ok {
		return t
	}
	if base := path.Base(name); strings.HasPrefix(base, "LICENSE") || strings.HasPrefix(base, "NOTICE") {
		return "text/plain; charset=utf-8"
	}
	return "application/octet-stream"
}

// failurePage is what every path shows while no build has succeeded.
var failurePage = template.Must(template.New("failure").Parse(`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light dark">
<title>The site does not build · folio serve</title>
</head>
<body>
<main>
<h1>The site does not build</h1>
{{- if .Problems}}
<p>{{len .Problems}} problem{{if ne (len .Problems) 1}}s{{end}}; this page reloads when they are fixed.</p>
<ul>
{{- range .Problems}}
<li><code>{{.}}</code></li>
{{- end}}
</ul>
{{- else}}
<p>Nothing has been built yet; this page reloads when the site builds.</p>
{{- end}}
</main>
<script src="` + reloadPath + `" data-build="{{.ID}}" defer></script>
</body>
</html>
`))

func (s *Server) serveFailure(w http.ResponseWriter, r *http.Request, st *state) {
	var b bytes.Buffer
	probs := make([]string, len(st.failed))
	for i, p := range st.failed {
		probs[i] = p.String()
	}
	id := st.failedID
	if id == "" {
		id = "none"
	}
	if err := failurePage.Execute(&b, struct {
		ID       string
		Problems []string
	}{id, probs}); err != nil {
		plain(w, http.StatusInternalServerError, err.Error())
		return
	}
	send(w, r, "text/html; charset=utf-8", http.StatusInternalServerError, b.Bytes())
}
