package site

import (
	"reflect"
	"sync/atomic"
)

// A build that streams its pages lets go of each brief's body HTML, the
// largest part of its views, as soon as the last page that shows it is
// written and the search index has its text, instead of holding every
// body until the build ends. Which pages show a body is found from the
// templates' reads (reads.go): the common case is that only a brief's
// own page shows it, as .Brief.Body. When the templates may show a body
// anywhere else (in a list, among related briefs, or in ways the
// analysis does not follow), nothing is let go.

// bodies counts, for each brief whose body can be let go, the readers
// still to come.
type bodies struct {
	left map[*BriefView]*bodyUse
	own  map[string]bool // page kinds whose templates show .Brief.Body
}

type bodyUse struct {
	n   atomic.Int32
	doc *doc
}

// trackBodies returns the count of readers of each brief's body among
// pages, or nil when the templates may read a body other than their
// page's own brief's. Other readers add themselves with use.
func (r *renderer) trackBodies(pages []page) *bodies {
	own := map[string]bool{}
	for _, k := range kinds {
		t, err := r.site.kindTemplate(k)
		if err != nil {
			return nil // renderPages reports it
		}
		reads, ok := bodyReads(readsOf(t))
		if !ok {
			return nil
		}
		own[k] = reads
	}
	bs := &bodies{left: map[*BriefView]*bodyUse{}, own: own}
	for _, b := range r.briefs {
		bs.left[r.briefView[b.Slug]] = &bodyUse{doc: r.docs[b.Path]}
	}
	for _, p := range pages {
		if u := bs.left[p.view.Brief]; u != nil && own[p.kind] {
			u.n.Add(1)
		}
	}
	return bs
}

// use counts one more reader of v's body; done must follow.
func (bs *bodies) use(v *BriefView) {
	if bs == nil {
		return
	}
	if u := bs.left[v]; u != nil {
		u.n.Add(1)
	}
}

// done says that a reader of v's body is done with it: the last one lets
// go of it.
func (bs *bodies) done(v *BriefView) {
	if bs == nil {
		return
	}
	if u := bs.left[v]; u != nil && u.n.Add(-1) == 0 {
		u.release(v)
	}
}

// release lets go of v's body, in its view and its doc.
func (u *bodyUse) release(v *BriefView) {
	v.Body = ""
	u.doc.result.HTML = nil
}

// rendered says that page p is rendered.
func (bs *bodies) rendered(p page) {
	if bs != nil && bs.own[p.kind] {
		bs.done(p.view.Brief)
	}
}

// start lets go of the bodies no one reads: call it once every reader
// has said use, before any says done.
func (bs *bodies) start() {
	if bs == nil {
		return
	}
	for v, u := range bs.left {
		if u.n.Load() == 0 {
			u.release(v)
		}
	}
}

var (
	viewType      = reflect.TypeFor[*View]()
	briefViewType = reflect.TypeFor[BriefView]()
)

// viewMethods are the methods of the view types that may be reached from
// a View, none of which reads a brief's Body: bodyReads counts on it, and
// TestViewMethodsReadNoBody lists them, so a new one is looked at.
var viewMethods = map[string]bool{"ImageFigure": true, "Modified": true, "SizeText": true}

// bodyReads reports how templates whose reads of a *View are n reach a
// BriefView's Body: own when only as .Brief.Body, the page's own brief;
// ok is false when they may reach any other, or may in ways the analysis
// does not follow: a deep read of a value that holds briefs, or a method
// bodyReads does not know.
func bodyReads(n *readNode) (own, ok bool) {
	ok = true
	var walk func(n *readNode, t reflect.Type, path string)
	walk = func(n *readNode, t reflect.Type, path string) {
		if !ok {
			return
		}
		if n.deep {
			if holds(t, briefViewType, map[reflect.Type]bool{}) {
				ok = false
			}
			return
		}
		for name, c := range n.fields {
			ft, method, found := memberType(t, name)
			switch {
			case !found:
				// Text/template fails, or prints nothing.
			case method && !viewMethods[name]:
				ok = false
			case name == "Body" && deref(t) == briefViewType:
				if path == ".Brief" {
					own = true
				} else {
					ok = false
				}
			default:
				walk(c, ft, path+"."+name)
			}
		}
		if n.elems != nil {
			switch e := deref(t); e.Kind() {
			case reflect.Slice, reflect.Array, reflect.Map:
				walk(n.elems, e.Elem(), path+"[]")
			}
		}
	}
	walk(n, viewType, "")
	return own, ok
}

// memberType is the type of .name on a value of type t as text/template
// finds it: a method's result (method is true), a field's type, or a
// map's element; found is false when there is none.
func memberType(t reflect.Type, name string) (ft reflect.Type, method, found bool) {
	ptr := t
	if t.Kind() != reflect.Pointer && t.Kind() != reflect.Interface {
		ptr = reflect.PointerTo(t)
	}
	if m, ok := ptr.MethodByName(name); ok && ptr.Kind() != reflect.Interface {
		if m.Type.NumOut() == 0 {
			return nil, true, false
		}
		return m.Type.Out(0), true, true
	}
	switch s := deref(t); s.Kind() {
	case reflect.Struct:
		if f, ok := s.FieldByName(name); ok && f.IsExported() {
			return f.Type, false, true
		}
	case reflect.Map:
		return s.Elem(), false, true
	case reflect.Interface:
		return s, true, true // anything
	}
	return nil, false, false
}

func deref(t reflect.Type) reflect.Type {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	return t
}

// holds reports whether a value of type t may hold a value of type
// target; seen stops at types already looked at.
func holds(t, target reflect.Type, seen map[reflect.Type]bool) bool {
	if t == target {
		return true
	}
	if seen[t] {
		return false
	}
	seen[t] = true
	switch t.Kind() {
	case reflect.Interface:
		return true
	case reflect.Pointer, reflect.Slice, reflect.Array:
		return holds(t.Elem(), target, seen)
	case reflect.Map:
		return holds(t.Key(), target, seen) || holds(t.Elem(), target, seen)
	case reflect.Struct:
		for i := range t.NumField() {
			if holds(t.Field(i).Type, target, seen) {
				return true
			}
		}
	}
	return false
}
