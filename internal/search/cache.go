package search

import (
	"encoding/binary"
	"hash/maphash"
	"strings"
	"sync"
	"sync/atomic"
	"unsafe"
)

// A Cache keeps what Build read from each doc, for the next Build with
// the same Cache: folio serve rebuilds the index after every edit, and
// most docs have not changed. Docs are keyed by a hash of all their
// fields (the text by the address of its bytes, so a Doc's Text must not
// be made over bytes that change later), so a cached Build gives the
// bytes of an uncached one. Work not used by a Build is dropped after it.
type Cache struct {
	mu         sync.Mutex
	prev, next map[uint64]*docWork
	dict       *dictionary
}

// dictionary numbers terms.
type dictionary struct {
	gen   int // a new dictionary's gen differs from every older one's
	ids   map[string]int32
	words []string
	used  int // terms the last Build used
}

var dictionaries atomic.Int64

// dictSlack is how many unused terms a dictionary may hold beyond four
// times the used ones before it is renewed.
var dictSlack = 1024

// dictionary returns the Cache's dictionary, or a new one when the cache
// is nil or its dictionary holds four times more terms than are used
// (edits leave unused terms behind).
func (c *Cache) dictionary() *dictionary {
	if c != nil && c.dict != nil && len(c.dict.words) <= 4*c.dict.used+dictSlack {
		return c.dict
	}
	d := &dictionary{gen: int(dictionaries.Add(1)), ids: map[string]int32{}}
	if c != nil {
		c.dict = d
	}
	return d
}

// number sets w's term numbers and their values, unless this dictionary
// already did. A new term is copied, so that the dictionary does not
// hold the text it was cut from.
func (d *dictionary) number(w *docWork) {
	if w.gen == d.gen && w.ids != nil {
		return
	}
	w.ids = make([]int32, len(w.values))
	w.vals = make([]uint8, len(w.values))
	for i, v := range w.values {
		id, ok := d.ids[v.term]
		if !ok {
			term := strings.Clone(v.term)
			id = int32(len(d.words))
			d.ids[term] = id
			d.words = append(d.words, term)
		}
		w.ids[i] = id
		w.vals[i] = uint8(v.value)
	}
	w.gen = d.gen
}

var cacheSeed = maphash.MakeSeed()

// key hashes every field of d, each length-prefixed.
func key(d Doc) uint64 {
	var h maphash.Hash
	h.SetSeed(cacheSeed)
	var n [8]byte
	str := func(s string) {
		binary.LittleEndian.PutUint64(n[:], uint64(len(s)))
		h.Write(n[:])
		h.WriteString(s)
	}
	for _, s := range []string{d.URL, d.Kind, d.Title, d.Summary, d.Date} {
		str(s)
	}
	// The text, often long, by the address of its bytes: the doc's work
	// holds the string, so while it is cached no other can have them.
	binary.LittleEndian.PutUint64(n[:], uint64(len(d.Text)))
	h.Write(n[:])
	binary.LittleEndian.PutUint64(n[:], uint64(uintptr(unsafe.Pointer(unsafe.StringData(d.Text)))))
	h.Write(n[:])
	for _, list := range [][]string{d.Headings, d.Tags} {
		binary.LittleEndian.PutUint64(n[:], uint64(len(list)))
		h.Write(n[:])
		for _, s := range list {
			str(s)
		}
	}
	return h.Sum64()
}

// work returns d's work from the cache or from compute.
func (c *Cache) work(d Doc, compute func() *docWork) *docWork {
	if c == nil {
		return compute()
	}
	k := key(d)
	c.mu.Lock()
	w, ok := c.prev[k]
	if !ok {
		w, ok = c.next[k]
	}
	c.mu.Unlock()
	if !ok {
		w = compute()
		w.text = d.Text
	}
	c.mu.Lock()
	if c.next == nil {
		c.next = map[uint64]*docWork{}
	}
	c.next[k] = w
	c.mu.Unlock()
	return w
}

// rotate ends a Build: what it used is what the next one may reuse.
func (c *Cache) rotate() {
	if c == nil {
		return
	}
	c.prev, c.next = c.next, nil
}
