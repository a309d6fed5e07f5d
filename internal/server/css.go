package server

import (
	"bytes"
	"regexp"
	"sync/atomic"
)

// hashedCSS matches a content-hashed stylesheet, "assets/site.3f2a9c1b07.css".
var hashedCSS = regexp.MustCompile(`^(assets/.+)\.[0-9a-f]{10}\.css$`)

// cssOnly reports whether b differs from a only in its stylesheets, and if
// so returns the hrefs that changed, old to new ("/assets/site.1.css" ->
// "/assets/site.2.css"): a page of a then becomes its page of b by
// swapping its stylesheets, without a reload. Since stylesheet names carry
// their contents' hash, an edited stylesheet is one name gone, one added,
// and the href changed in every page; any other difference means nil.
func cssOnly(a, b *build) map[string]string {
	if a.base != b.base {
		return nil
	}
	var gone, added []string
	for k := range a.out {
		if _, ok := b.out[k]; !ok {
			gone = append(gone, k)
		}
	}
	for k := range b.out {
		if _, ok := a.out[k]; !ok {
			added = append(added, k)
		}
	}
	if len(gone) == 0 || len(gone) != len(added) {
		return nil
	}
	byStem := map[string]string{}
	for _, k := range added {
		m := hashedCSS.FindStringSubmatch(k)
		if m == nil || byStem[m[1]] != "" {
			return nil
		}
		byStem[m[1]] = k
	}
	swap := map[string]string{}
	var olds, news [][]byte
	for _, k := range gone {
		m := hashedCSS.FindStringSubmatch(k)
		if m == nil || byStem[m[1]] == "" {
			return nil
		}
		o, n := a.base+k, b.base+byStem[m[1]]
		swap[o] = n
		olds, news = append(olds, []byte(o)), append(news, []byte(n))
		delete(byStem, m[1])
	}
	var changed []string
	for k, sum := range b.sums {
		if old, ok := a.sums[k]; ok && old != sum {
			changed = append(changed, k)
		}
	}
	var differ atomic.Bool
	parallel(len(changed), func(i int) {
		if differ.Load() {
			return
		}
		page := a.out[changed[i]]
		for j := range olds {
			page = bytes.ReplaceAll(page, olds[j], news[j])
		}
		if !bytes.Equal(page, b.out[changed[i]]) {
			differ.Store(true)
		}
	})
	if differ.Load() {
		return nil
	}
	return swap
}
