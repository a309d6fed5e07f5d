package site

import (
	"html/template"
	"reflect"
	"slices"
	"testing"
)

// TestBodyReads: a brief's body is let go after its own page only when
// no template can show it anywhere else.
func TestBodyReads(t *testing.T) {
	for _, c := range []struct {
		name, text string
		own, ok    bool
	}{
		{"own", `{{.Brief.Body}}`, true, true},
		{"own through with", `{{with .Brief}}<h1>{{.Title}}</h1>{{.Body}}{{end}}`, true, true},
		{"own through a template", `{{define "b"}}{{.Body}}{{end}}{{template "b" .Brief}}`, true, true},
		{"own through a variable", `{{$b := .Brief}}{{$b.Body}}`, true, true},
		{"none", `{{.Title}}{{range .Briefs}}{{.Title}} {{.Modified}}{{end}}`, false, true},
		{"a page's content", `{{.Content}}`, false, true},
		{"deep leaf", `{{printf "%v" .Brief.Title}}`, false, true},
		{"method that reads no body", `{{with .ImageFigure}}{{.Title}}{{end}}`, false, true},
		{"site deep", `{{printf "%v" .Site}}`, false, true},
		{"in a list", `{{range .Briefs}}{{.Body}}{{end}}`, false, false},
		{"related", `{{.Brief.Body}}{{range .Brief.Related}}{{.Body}}{{end}}`, true, false},
		{"by index", `{{(index .Briefs 0).Body}}`, false, false},
		{"a tag's briefs", `{{range .Tag.Briefs}}{{.Body}}{{end}}`, false, false},
		{"a dataset's briefs", `{{with .Dataset}}{{range .Briefs}}{{.Body}}{{end}}{{end}}`, false, false},
		{"a brief deep", `{{printf "%v" .Brief}}`, false, false},
		{"briefs deep", `{{len .Author.Briefs}}{{printf "%v" .Author.Briefs}}`, false, false},
		{"the view deep", `{{template "x" .}}{{define "x"}}{{printf "%v" .}}{{end}}`, false, false},
	} {
		t.Run(c.name, func(t *testing.T) {
			tm := template.Must(template.New("page").Parse(c.text))
			own, ok := bodyReads(readsOf(tm))
			if own != c.own || ok != c.ok {
				t.Errorf("bodyReads of %s = own %v, ok %v; want %v, %v", c.text, own, ok, c.own, c.ok)
			}
		})
	}
}

// TestViewMethodsReadNoBody lists the methods of the types a template can
// reach from a View. bodyReads trusts those in viewMethods not to read a
// brief's Body: a new method must be checked, then listed there.
func TestViewMethodsReadNoBody(t *testing.T) {
	var found []string
	seen := map[reflect.Type]bool{}
	var visit func(reflect.Type)
	visit = func(t reflect.Type) {
		if seen[t] {
			return
		}
		seen[t] = true
		// Only this package's types can hold briefs.
		if t.PkgPath() == viewType.Elem().PkgPath() {
			m := reflect.PointerTo(t) // its method set holds t's
			for i := range m.NumMethod() {
				if name := m.Method(i).Name; !slices.Contains(found, name) {
					found = append(found, name)
				}
			}
		}
		switch t.Kind() {
		case reflect.Pointer, reflect.Slice, reflect.Array:
			visit(t.Elem())
		case reflect.Struct:
			for i := range t.NumField() {
				visit(t.Field(i).Type)
			}
		}
	}
	visit(viewType.Elem())
	slices.Sort(found)
	for _, name := range found {
		if !viewMethods[name] {
			t.Errorf("the view types have a method %s: check that it does not read a BriefView's Body, then add it to viewMethods", name)
		}
	}
	if len(found) != len(viewMethods) {
		t.Errorf("viewMethods lists %d methods, the view types have %v", len(viewMethods), found)
	}
}
