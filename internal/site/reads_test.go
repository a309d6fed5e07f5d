package site

import (
	"html/template"
	"strings"
	"testing"
	"time"
)

// TestReadsOf pins what the analysis finds each construct reads: the
// trie printed one path a line, "?" for a truth or length, "deep" for
// everything reachable.
func TestReadsOf(t *testing.T) {
	tests := []struct {
		name, tmpl, want string
	}{
		{"field printed", `{{.Title}}`, `.Title deep`},
		{"nested field", `{{.Brief.Title}}`, `.Brief.Title deep`},
		{"if reads truth only", `{{if .Brief}}x{{end}}`, `.Brief?`},
		{"with moves dot", `{{with .Brief}}{{.Title}}{{else}}{{.Kind}}{{end}}`, ".Brief?\n.Brief.Title deep\n.Kind deep"},
		{"range elements", `{{range .Briefs}}{{.URL}}{{end}}`, ".Briefs?\n.Briefs[].URL deep"},
		{"range variables", `{{range $i, $b := .Briefs}}{{$i}}{{$b.Title}}{{end}}`, ".Briefs?\n.Briefs[].Title deep"},
		{"root variable", `{{with .Brief}}{{$.Site.Title}}{{end}}`, ".Brief?\n.Site.Title deep"},
		{"declared variable", `{{$b := .Brief}}{{$b.Slug}}`, `.Brief.Slug deep`},
		{"assigned variable is either", `{{$t := .Title}}{{if .Brief}}{{$t = .Kind}}{{end}}{{$t}}`, ".Brief?\n.Kind deep\n.Title deep"},
		{"template call", `{{define "x"}}{{.Name}}{{end}}{{range .Tags}}{{template "x" .}}{{end}}`, ".Tags?\n.Tags[].Name deep"},
		{"function reads its arguments deep", `{{printf "%v" .Brief}}`, `.Brief deep`},
		{"pipeline into a function", `{{.Brief | printf "%v"}}`, `.Brief deep`},
		{"method with arguments reads its receiver", `{{.Brief.Date.Format "2006"}}`, `.Brief.Date deep`},
		{"len reads length", `{{len .Briefs}}`, `.Briefs?`},
		{"index follows elements", `{{(index .Briefs 0).Title}}`, ".Briefs?\n.Briefs[].Title deep"},
		{"and passes its operands", `{{(or .Subtitle .Title)}}`, ".Subtitle deep\n.Title deep"},
		{"comparison reads values", `{{if eq .Kind "brief"}}b{{end}}`, `.Kind deep`},
		{"literal reads nothing", `{{"x"}}{{1}}`, ``},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tm := template.Must(template.New("t").Funcs(template.FuncMap{}).Parse(tt.tmpl))
			got := strings.TrimSpace(readsOf(tm).String())
			if got != tt.want {
				t.Errorf("%s\ngot:\n%s\nwant:\n%s", tt.tmpl, got, tt.want)
			}
		})
	}
}

// TestReadsOfRecursion checks that a recursive template ends the
// analysis, reading deep what it passes down past the depth limit.
func TestReadsOfRecursion(t *testing.T) {
	tm := template.Must(template.New("t").Parse(`{{define "r"}}{{.Name}}{{template "r" .Children}}{{end}}{{template "r" .}}`))
	got := readsOf(tm).String()
	cut := strings.Repeat(".Children", maxCallDepth) + " deep\n"
	if !strings.Contains(got, cut) || strings.Contains(got, strings.Repeat(".Children", maxCallDepth+1)) {
		t.Errorf("want the reads cut at %d levels, got:\n%s", maxCallDepth, got)
	}
}

type fpBrief struct {
	Fn      func() string
	Title   string
	Body    template.HTML
	Date    time.Time
	Related []*fpBrief
}

func (b *fpBrief) Year() int { return b.Date.Year() }

// TestFingerprint checks that a fingerprint changes with what the reads
// reach, and only with that.
func TestFingerprint(t *testing.T) {
	tm := template.Must(template.New("t").Parse(`{{.Title}} {{.Year}} {{range .Related}}{{.Title}}{{end}}`))
	reads := readsOf(tm)
	mk := func() *fpBrief {
		other := &fpBrief{Title: "Other", Body: "other body", Date: time.Date(2024, 1, 2, 0, 0, 0, 0, time.UTC)}
		return &fpBrief{Title: "One", Body: "body", Date: time.Date(2025, 3, 4, 0, 0, 0, 0, time.UTC), Related: []*fpBrief{other}}
	}
	base := fingerprint(reads, mk(), nil)
	if again := fingerprint(reads, mk(), nil); again != base {
		t.Fatal("equal values, different fingerprints")
	}
	for _, tt := range []struct {
		name   string
		change func(b *fpBrief)
		same   bool
	}{
		{"own body, not shown", func(b *fpBrief) { b.Body = "new" }, true},
		{"related body, not shown", func(b *fpBrief) { b.Related[0].Body = "new" }, true},
		{"date within the year", func(b *fpBrief) { b.Date = b.Date.AddDate(0, 1, 0) }, true},
		{"title", func(b *fpBrief) { b.Title = "Two" }, false},
		{"related title", func(b *fpBrief) { b.Related[0].Title = "Another" }, false},
		{"year, through a method", func(b *fpBrief) { b.Date = b.Date.AddDate(1, 0, 0) }, false},
		{"one more related", func(b *fpBrief) { b.Related = append(b.Related, &fpBrief{}) }, false},
		{"titles moved between fields", func(b *fpBrief) { b.Title, b.Related[0].Title = "", "One"+"Other" }, false},
	} {
		b := mk()
		tt.change(b)
		if got := fingerprint(reads, b, newFPMemo(nil)) == base; got != tt.same {
			t.Errorf("%s: same fingerprint %v, want %v", tt.name, got, tt.same)
		}
	}
	// A func a template calls may return anything: it never matches.
	withFn := template.Must(template.New("t").Parse(`{{call .Fn}}`))
	b := mk()
	b.Fn = func() string { return "x" }
	first := fingerprint(readsOf(withFn), b, nil)
	if fingerprint(readsOf(withFn), b, nil) == first {
		t.Error("a func value gave the same fingerprint twice")
	}
}
