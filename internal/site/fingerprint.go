package site

import (
	"maps"
	"math"
	"reflect"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"
	"unsafe"
)

// fingerprint hashes the values of v that the reads r reach, following
// text/template's rules for field access (methods first, then fields,
// through pointers and interfaces, and map keys), so that two values with
// one fingerprint render the same under templates whose reads are r.
// The seed lives as long as the process: fingerprints are compared only
// within one preview server.
//
// memo, which may be nil, keeps the hashes of values several pages show
// (a brief in every list it is in) for the rest of one build.
func fingerprint(r *readNode, v any, memo *fpMemo) (sum uint64) {
	f := newFingerprinter(memo)
	defer func() {
		if recover() != nil {
			// A method panicked: the template would fail too. Give a sum
			// no other call gives, so the page is rendered again and the
			// error reported.
			sum = fpFresh.Add(1) | 1<<63
		}
	}()
	f.walk(r, reflect.ValueOf(v))
	return f.sum.sum() &^ (1 << 63)
}

// fpFresh numbers sums that must match no other.
var fpFresh atomic.Uint64

type fingerprinter struct {
	sum
	seen map[uintptr]int // pointers already hashed deep, by order of visit; nil until one is
	memo *fpMemo
}

// newFingerprinter starts a hash; memo may be nil.
func newFingerprinter(memo *fpMemo) *fingerprinter {
	return &fingerprinter{memo: memo}
}

// fpMemo holds, for one build, the hash of a walk of a read node over the
// value behind a pointer: views do not change while pages are rendered.
//
// known holds the hashes (as sum.str adds them) of long strings whose
// bytes the cache holds, by their address, so that a body kept from the
// build before is not hashed again; it is not changed during the build.
type fpMemo struct {
	mu    sync.Mutex
	m     map[fpKey]uint64
	known map[strKey]uint64
}

// strKey is a string's bytes, by address and length.
type strKey struct {
	p *byte
	n int
}

type fpKey struct {
	n *readNode
	p unsafe.Pointer
}

func newFPMemo(known map[strKey]uint64) *fpMemo {
	return &fpMemo{m: map[fpKey]uint64{}, known: known}
}

// sub hashes the walk of n over v on its own and adds that hash; from
// the memo when v is a pointer walked before. With a memo or without, the
// sum is the same.
func (f *fingerprinter) sub(n *readNode, v reflect.Value) {
	if n.deep || v.Kind() != reflect.Pointer || v.IsNil() {
		f.walk(n, v)
		return
	}
	var k fpKey
	if f.memo != nil {
		k = fpKey{n, v.UnsafePointer()}
		f.memo.mu.Lock()
		h, ok := f.memo.m[k]
		f.memo.mu.Unlock()
		if ok {
			f.u64(h)
			return
		}
	}
	g := newFingerprinter(f.memo)
	g.walk(n, v)
	h := g.sum.sum()
	if f.memo != nil {
		f.memo.mu.Lock()
		f.memo.m[k] = h
		f.memo.mu.Unlock()
	}
	f.u64(h)
}

var timeType = reflect.TypeFor[time.Time]()

// leaf reports whether values of t are hashed whole however they are
// read: scalars, strings and times.
func leaf(t reflect.Type) bool {
	switch t.Kind() {
	case reflect.Struct:
		return t == timeType
	case reflect.Pointer, reflect.Interface, reflect.Slice, reflect.Array, reflect.Map:
		return false
	}
	return true
}

func (f *fingerprinter) walk(n *readNode, v reflect.Value) {
	if !v.IsValid() {
		f.u64(0)
		return
	}
	if n.deep || leaf(v.Type()) {
		f.deep(v)
		return
	}
	if n.shallow {
		f.shallow(v)
	}
	if k := v.Kind(); (k == reflect.Pointer || k == reflect.Interface) && v.IsNil() {
		// Nothing below a nil: a template reaches it only through a
		// method with a nil receiver, whose result cannot change.
		f.u64(0)
		return
	}
	for i, name := range n.names {
		// No need to hash the name: both sides walk the same trie.
		kid := n.kids[i]
		fv, ok := field(v, name, kid)
		if !ok {
			f.u64(0)
			continue
		}
		f.u64(1)
		f.walk(kid, fv)
	}
	if n.elems != nil {
		f.elems(n.elems, v)
	}
}

// field is the value of .name on v as text/template finds it; ok is false
// when there is none (text/template fails, or prints nothing for a
// missing map key).
func field(v reflect.Value, name string, n *readNode) (reflect.Value, bool) {
	ptr := v
	if k := ptr.Kind(); k != reflect.Interface && k != reflect.Pointer && ptr.CanAddr() {
		ptr = ptr.Addr()
	}
	if ptr.IsValid() {
		var m reflect.Value
		if ptr.Kind() == reflect.Interface {
			m = ptr.MethodByName(name)
		} else if i := n.lookup(&n.methods, ptr.Type(), name).method; i >= 0 {
			m = ptr.Method(i)
		}
		if m.IsValid() {
			if m.Type().NumIn() != 0 || m.Type().NumOut() == 0 {
				return reflect.Value{}, false // a call text/template would refuse
			}
			return m.Call(nil)[0], true
		}
	}
	v = indirect(v)
	switch v.Kind() {
	case reflect.Struct:
		if f := n.lookup(&n.fieldsOf, v.Type(), name).field; f != nil {
			return v.FieldByIndex(f), true
		}
	case reflect.Map:
		if v.Type().Key().Kind() == reflect.String {
			if e := v.MapIndex(reflect.ValueOf(name).Convert(v.Type().Key())); e.IsValid() {
				return e, true
			}
		}
	}
	return reflect.Value{}, false
}

// member is what .name is on a type: a method's index, or an exported
// field's index path.
type member struct {
	method int // -1: none
	field  []int
}

// lookup finds .name on t, from the node's cache when it looked at t
// last: reflect's by-name lookups are slow, and every page of a kind asks
// the same questions.
func (n *readNode) lookup(cache *atomic.Pointer[resolved], t reflect.Type, name string) member {
	if r := cache.Load(); r != nil && r.t == t {
		return r.m
	}
	m := member{method: -1}
	if meth, ok := t.MethodByName(name); ok && t.Kind() != reflect.Interface {
		m.method = meth.Index
	}
	if t.Kind() == reflect.Struct {
		if sf, ok := t.FieldByName(name); ok && sf.IsExported() {
			m.field = sf.Index
		}
	}
	cache.Store(&resolved{t, m})
	return m
}

// indirect follows pointers and interfaces; the result is invalid for nil.
func indirect(v reflect.Value) reflect.Value {
	for v.IsValid() && (v.Kind() == reflect.Pointer || v.Kind() == reflect.Interface) {
		if v.IsNil() {
			return reflect.Value{}
		}
		v = v.Elem()
	}
	return v
}

// shallow hashes what a value's truth depends on.
func (f *fingerprinter) shallow(v reflect.Value) {
	switch v.Kind() {
	case reflect.Pointer, reflect.Interface, reflect.Func, reflect.Chan:
		if v.IsNil() {
			f.u64(0)
		} else {
			f.u64(1)
		}
	case reflect.Slice, reflect.Map, reflect.Array, reflect.String:
		f.u64(uint64(v.Len()))
	default:
		f.deep(v)
	}
}

func (f *fingerprinter) elems(n *readNode, v reflect.Value) {
	v = indirect(v)
	switch v.Kind() {
	case reflect.Slice, reflect.Array:
		f.u64(uint64(v.Len()))
		for i := range v.Len() {
			f.sub(n, v.Index(i))
		}
	case reflect.Map:
		// Ranging over a map visits it in key order; hash the pairs in
		// any order, as a sum of their own hashes.
		f.u64(uint64(v.Len()))
		var sum uint64
		for it := v.MapRange(); it.Next(); {
			g := newFingerprinter(nil)
			g.deep(it.Key())
			g.walk(n, it.Value())
			sum += g.sum.sum()
		}
		f.u64(sum)
	default:
		f.deep(v) // range over an integer, a channel or a function
	}
}

// deep hashes everything reachable from v, each pointer once.
func (f *fingerprinter) deep(v reflect.Value) {
	if !v.IsValid() {
		f.u64(0)
		return
	}
	if v.Type() == timeType && v.CanInterface() {
		t := v.Interface().(time.Time)
		name, off := t.Zone()
		f.u64(uint64(t.UnixNano()))
		f.u64(uint64(off))
		f.str(name)
		return
	}
	switch v.Kind() {
	case reflect.Bool:
		if v.Bool() {
			f.u64(1)
		} else {
			f.u64(0)
		}
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		f.u64(uint64(v.Int()))
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		f.u64(v.Uint())
	case reflect.Float32, reflect.Float64:
		f.u64(math.Float64bits(v.Float()))
	case reflect.Complex64, reflect.Complex128:
		c := v.Complex()
		f.u64(math.Float64bits(real(c)))
		f.u64(math.Float64bits(imag(c)))
	case reflect.String:
		s := v.String()
		if len(s) > sumBlock/10 && f.memo != nil {
			if h, ok := f.memo.known[strKey{unsafe.StringData(s), len(s)}]; ok {
				f.u64(uint64(len(s)))
				f.u64(h)
				return
			}
		}
		f.str(s)
	case reflect.Pointer:
		if v.IsNil() {
			f.u64(0)
			return
		}
		if i, ok := f.seen[v.Pointer()]; ok {
			f.u64(2)
			f.u64(uint64(i))
			return
		}
		if f.seen == nil {
			f.seen = map[uintptr]int{}
		}
		f.seen[v.Pointer()] = len(f.seen)
		f.u64(1)
		f.deep(v.Elem())
	case reflect.Interface:
		if v.IsNil() {
			f.u64(0)
			return
		}
		f.str(v.Elem().Type().String())
		f.deep(v.Elem())
	case reflect.Struct:
		for i := range v.NumField() {
			f.deep(v.Field(i))
		}
	case reflect.Slice, reflect.Array:
		if v.Kind() == reflect.Slice && v.IsNil() {
			f.u64(0)
		}
		f.u64(uint64(v.Len()))
		if v.Type().Elem().Kind() == reflect.Uint8 && v.Kind() == reflect.Slice {
			f.bytes(v.Bytes())
			return
		}
		for i := range v.Len() {
			f.deep(v.Index(i))
		}
	case reflect.Map:
		f.u64(uint64(v.Len()))
		if v.Type().Key().Kind() == reflect.String {
			keys := v.MapKeys()
			slices.SortFunc(keys, func(a, b reflect.Value) int { return strings.Compare(a.String(), b.String()) })
			for _, k := range keys {
				f.str(k.String())
				f.deep(v.MapIndex(k))
			}
			return
		}
		var sum uint64
		for it := v.MapRange(); it.Next(); {
			g := newFingerprinter(nil)
			g.seen = maps.Clone(f.seen)
			g.deep(it.Key())
			g.deep(it.Value())
			sum += g.sum.sum()
		}
		f.u64(sum)
	default:
		// A func, channel or unsafe pointer: what calling or reading it
		// gives cannot be known from the value (a closure's code pointer
		// is the same whatever it captured), so it never matches.
		f.u64(fpFresh.Add(1))
	}
}
