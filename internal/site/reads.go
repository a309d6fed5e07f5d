package site

import (
	"fmt"
	"html/template"
	"reflect"
	"slices"
	"strings"
	"sync/atomic"
	"text/template/parse"
)

// What a page shows is a function of three things: its template set, the
// template functions (which depend only on the base path and the assets'
// hashed names) and the part of its View the templates read. readsOf
// finds that part statically, from the parse trees: a trie of the field
// paths the templates can reach from the View, each marked with how it is
// read. The preview server's cache then hashes just those values of each
// page's View (fingerprint.go), and renders again only the pages whose
// hash changed. So a brief page, which shows the titles of related briefs
// but not their bodies, is not rendered again when another brief's body
// changes; and a template that does show other briefs' bodies makes its
// pages depend on them, without anyone declaring it.
//
// The analysis is conservative: whatever it cannot follow (a value passed
// to a function, printed whole, compared, a method called with arguments,
// a template recursing too deep) is read "deep", everything reachable
// from it, so a fingerprint may change when the page does not, but never
// the other way round. The random-edit test (incremental_test.go) checks
// this against full builds.

// readNode is one field path in the trie of reads.
type readNode struct {
	deep    bool                 // everything reachable from the value
	shallow bool                 // its truth: nil or not, length, or the value of a scalar
	fields  map[string]*readNode // .Name: a field, a method without arguments, or a map key
	elems   *readNode            // its elements, by range or index

	names []string    // sorted keys of fields, set by freeze
	kids  []*readNode // fields[names[i]], set by freeze

	// methods and fieldsOf cache how .name (this node's name in its
	// parent) resolves on the last pointer and struct type seen: values
	// along one path have one type.
	methods, fieldsOf atomic.Pointer[resolved]
}

// resolved is a member lookup for one type.
type resolved struct {
	t reflect.Type
	m member
}

func (n *readNode) field(name string) *readNode {
	if n.fields == nil {
		n.fields = map[string]*readNode{}
	}
	c := n.fields[name]
	if c == nil {
		c = &readNode{}
		n.fields[name] = c
	}
	return c
}

func (n *readNode) elem() *readNode {
	if n.elems == nil {
		n.elems = &readNode{}
	}
	return n.elems
}

// freeze sorts each node's field names, for a deterministic walk.
func (n *readNode) freeze() {
	if n == nil {
		return
	}
	n.names = make([]string, 0, len(n.fields))
	for name, c := range n.fields {
		n.names = append(n.names, name)
		c.freeze()
	}
	slices.Sort(n.names)
	n.kids = make([]*readNode, len(n.names))
	for i, name := range n.names {
		n.kids[i] = n.fields[name]
	}
	n.elems.freeze()
}

// String shows the trie, one path a line, for tests and debugging:
// ".Brief.Title", ".Briefs[].URL deep", ".Tags?" (shallow).
func (n *readNode) String() string {
	var b strings.Builder
	var walk func(prefix string, n *readNode)
	walk = func(prefix string, n *readNode) {
		switch {
		case n.deep:
			fmt.Fprintf(&b, "%s deep\n", prefix)
			return
		case n.shallow:
			fmt.Fprintf(&b, "%s?\n", prefix)
		}
		names := n.names
		if names == nil {
			for k := range n.fields {
				names = append(names, k)
			}
			slices.Sort(names)
		}
		for _, name := range names {
			walk(prefix+"."+name, n.fields[name])
		}
		if n.elems != nil {
			walk(prefix+"[]", n.elems)
		}
	}
	walk("", n)
	return b.String()
}

// aval is what the analysis knows of a value: the trie nodes it may be.
// nil is a value that does not come from the data (a literal, a
// function's result whose arguments were read deep, a range index).
type aval []*readNode

func (v aval) field(name string) aval {
	out := make(aval, len(v))
	for i, n := range v {
		out[i] = n.field(name)
	}
	return out
}

func (v aval) elem() aval {
	out := make(aval, len(v))
	for i, n := range v {
		out[i] = n.elem()
	}
	return out
}

func (v aval) readDeep() {
	for _, n := range v {
		n.deep = true
	}
}

func (v aval) readShallow() {
	for _, n := range v {
		n.shallow = true
	}
}

// maxCallDepth bounds nested {{template}} calls followed; deeper ones (a
// recursive template) read their argument deep.
const maxCallDepth = 24

// readsOf analyses the template t (as Execute would run it, with the set
// it belongs to) and returns the reads of its data.
func readsOf(t *template.Template) *readNode {
	a := &analyzer{set: t, root: &readNode{}, done: map[string]bool{}}
	if t.Tree != nil {
		a.template(t.Tree, aval{a.root}, 0)
	}
	a.root.freeze()
	return a.root
}

type analyzer struct {
	set  *template.Template
	root *readNode
	done map[string]bool // template name and dot already analysed
}

// scope is the variables of one template execution, innermost last.
type scope struct {
	vars []map[string]aval
}

func (s *scope) push() { s.vars = append(s.vars, map[string]aval{}) }
func (s *scope) pop()  { s.vars = s.vars[:len(s.vars)-1] }

func (s *scope) lookup(name string) aval {
	for i := len(s.vars) - 1; i >= 0; i-- {
		if v, ok := s.vars[i][name]; ok {
			return v
		}
	}
	return nil
}

func (s *scope) declare(name string, v aval) { s.vars[len(s.vars)-1][name] = v }

// assign is $x = v: x may now be either value.
func (s *scope) assign(name string, v aval) {
	for i := len(s.vars) - 1; i >= 0; i-- {
		if old, ok := s.vars[i][name]; ok {
			s.vars[i][name] = append(slices.Clip(old), v...)
			return
		}
	}
}

func (a *analyzer) template(tree *parse.Tree, dot aval, depth int) {
	key := tree.Name
	for _, n := range dot {
		key += fmt.Sprintf(" %p", n)
	}
	if a.done[key] {
		return
	}
	a.done[key] = true
	sc := &scope{}
	sc.push()
	sc.declare("$", dot)
	a.list(tree.Root, dot, sc, depth)
}

func (a *analyzer) list(l *parse.ListNode, dot aval, sc *scope, depth int) {
	if l == nil {
		return
	}
	for _, n := range l.Nodes {
		a.node(n, dot, sc, depth)
	}
}

func (a *analyzer) node(n parse.Node, dot aval, sc *scope, depth int) {
	switch n := n.(type) {
	case *parse.ActionNode:
		v := a.pipe(n.Pipe, dot, sc)
		if len(n.Pipe.Decl) == 0 {
			v.readDeep() // printed
		}
	case *parse.IfNode:
		a.pipe(n.Pipe, dot, sc).readShallow()
		a.branch(n.List, dot, sc, depth)
		a.branch(n.ElseList, dot, sc, depth)
	case *parse.WithNode:
		v := a.pipe(n.Pipe, dot, sc)
		v.readShallow()
		a.branch(n.List, v, sc, depth)
		a.branch(n.ElseList, dot, sc, depth)
	case *parse.RangeNode:
		sc.push()
		v := a.pipeValue(n.Pipe, dot, sc)
		v.readShallow()
		el := v.elem()
		switch len(n.Pipe.Decl) {
		case 1:
			sc.declare(n.Pipe.Decl[0].Ident[0], el)
		case 2:
			sc.declare(n.Pipe.Decl[0].Ident[0], nil)
			sc.declare(n.Pipe.Decl[1].Ident[0], el)
		}
		a.branch(n.List, el, sc, depth)
		sc.pop()
		a.branch(n.ElseList, dot, sc, depth)
	case *parse.TemplateNode:
		var v aval
		if n.Pipe != nil {
			v = a.pipe(n.Pipe, dot, sc)
		}
		t := a.set.Lookup(n.Name)
		switch {
		case t == nil || t.Tree == nil:
			// Execute fails on it; nothing is read.
		case depth >= maxCallDepth:
			v.readDeep()
		default:
			a.template(t.Tree, v, depth+1)
		}
	case *parse.ListNode:
		a.branch(n, dot, sc, depth)
	}
	// Text, comments, break and continue read nothing.
}

func (a *analyzer) branch(l *parse.ListNode, dot aval, sc *scope, depth int) {
	if l == nil {
		return
	}
	sc.push()
	a.list(l, dot, sc, depth)
	sc.pop()
}

// pipe evaluates a pipeline and declares or assigns its variables.
func (a *analyzer) pipe(p *parse.PipeNode, dot aval, sc *scope) aval {
	v := a.pipeValue(p, dot, sc)
	for _, d := range p.Decl {
		if p.IsAssign {
			sc.assign(d.Ident[0], v)
		} else {
			sc.declare(d.Ident[0], v)
		}
	}
	return v
}

// pipeValue evaluates a pipeline without declaring its variables (range
// declares its own).
func (a *analyzer) pipeValue(p *parse.PipeNode, dot aval, sc *scope) aval {
	if p == nil {
		return nil
	}
	var v aval
	for i, c := range p.Cmds {
		var final aval
		hasFinal := i > 0
		if hasFinal {
			final = v
		}
		v = a.command(c, dot, sc, final, hasFinal)
	}
	return v
}

// command evaluates one command of a pipeline; final is the value piped
// into it, when hasFinal.
func (a *analyzer) command(c *parse.CommandNode, dot aval, sc *scope, final aval, hasFinal bool) aval {
	args := c.Args[1:]
	called := len(args) > 0 || hasFinal // the first word is called with arguments
	readArgs := func() {
		for _, arg := range args {
			a.arg(arg, dot, sc).readDeep()
		}
		final.readDeep()
	}
	switch first := c.Args[0].(type) {
	case *parse.IdentifierNode:
		return a.function(first.Ident, args, dot, sc, final, hasFinal)
	case *parse.FieldNode:
		if called {
			// A method with arguments may read anything of its receiver.
			dot.fieldPath(first.Ident[:len(first.Ident)-1]).readDeep()
			readArgs()
			return nil
		}
		return dot.fieldPath(first.Ident)
	case *parse.VariableNode:
		v := sc.lookup(first.Ident[0])
		if called && len(first.Ident) > 1 {
			v.fieldPath(first.Ident[1 : len(first.Ident)-1]).readDeep()
			readArgs()
			return nil
		}
		return v.fieldPath(first.Ident[1:])
	case *parse.ChainNode:
		base := a.arg(first.Node, dot, sc)
		if called {
			base.fieldPath(first.Field[:len(first.Field)-1]).readDeep()
			readArgs()
			return nil
		}
		return base.fieldPath(first.Field)
	case *parse.DotNode:
		return dot
	case *parse.PipeNode:
		return a.pipeValue(first, dot, sc)
	}
	// Literals.
	return nil
}

// arg evaluates one argument of a command.
func (a *analyzer) arg(n parse.Node, dot aval, sc *scope) aval {
	switch n := n.(type) {
	case *parse.FieldNode:
		return dot.fieldPath(n.Ident)
	case *parse.VariableNode:
		return sc.lookup(n.Ident[0]).fieldPath(n.Ident[1:])
	case *parse.ChainNode:
		return a.arg(n.Node, dot, sc).fieldPath(n.Field)
	case *parse.DotNode:
		return dot
	case *parse.PipeNode:
		return a.pipeValue(n, dot, sc)
	case *parse.IdentifierNode:
		return a.function(n.Ident, nil, dot, sc, nil, false)
	}
	return nil
}

func (v aval) fieldPath(names []string) aval {
	for _, name := range names {
		v = v.field(name)
	}
	return v
}

// function applies the built-in or template function name. The built-ins
// that pass values through (and, or, index, slice) are followed; any
// other function may read all of its arguments.
func (a *analyzer) function(name string, argNodes []parse.Node, dot aval, sc *scope, final aval, hasFinal bool) aval {
	args := make([]aval, 0, len(argNodes)+1)
	for _, n := range argNodes {
		args = append(args, a.arg(n, dot, sc))
	}
	if hasFinal {
		args = append(args, final)
	}
	switch name {
	case "and", "or":
		var out aval
		for _, v := range args {
			v.readShallow()
			out = append(out, v...)
		}
		return out
	case "not", "len":
		for _, v := range args {
			v.readShallow()
		}
		return nil
	case "index", "slice":
		if len(args) == 0 {
			return nil
		}
		args[0].readShallow()
		for _, v := range args[1:] {
			v.readDeep()
		}
		if name == "slice" {
			return args[0]
		}
		out := args[0]
		for range args[1:] {
			out = out.elem()
		}
		return out
	}
	for _, v := range args {
		v.readDeep()
	}
	return nil
}
