package site

import (
	"bytes"
	"compress/gzip"
	"maps"
	"path"
	"slices"

	"github.com/andybalholm/brotli"
)

// compressible are the extensions of the text files worth compressing.
// Images other than SVG, and the licence files without an extension, are
// left alone: they are compressed already, or too rarely fetched to matter.
var compressible = map[string]bool{
	".html": true, ".css": true, ".js": true, ".json": true, ".xml": true,
	".csv": true, ".svg": true, ".txt": true,
}

// precompress returns o with a gzip (.gz) and a brotli (.br) copy beside
// each text file, for servers that send a stored copy to browsers that
// accept it (nginx gzip_static and brotli_static, Caddy's file_server
// precompressed, GitLab Pages) instead of compressing every response.
//
// Both use their best compression, which the server never has time for,
// and both are deterministic: the gzip header carries no name and no
// time, so an unchanged file compresses to unchanged bytes. A copy that
// would not be smaller than its original is not written; servers then send
// the original.
func precompress(o Output) Output {
	var names []string
	for _, p := range slices.Sorted(maps.Keys(o)) {
		if compressible[path.Ext(p)] {
			names = append(names, p)
		}
	}
	gz := make([][]byte, len(names))
	br := make([][]byte, len(names))
	parallel(2*len(names), func(i int) {
		data := o[names[i/2]]
		if i%2 == 0 {
			gz[i/2] = gzipBytes(data)
		} else {
			br[i/2] = brotliBytes(data)
		}
	})
	out := maps.Clone(o)
	for i, p := range names {
		for ext, c := range map[string][]byte{".gz": gz[i], ".br": br[i]} {
			if _, taken := o[p+ext]; !taken && len(c) < len(o[p]) {
				out[p+ext] = c
			}
		}
	}
	return out
}

func gzipBytes(data []byte) []byte {
	var b bytes.Buffer
	w, _ := gzip.NewWriterLevel(&b, gzip.BestCompression) // a valid level: no error
	w.Write(data)                                         // writes to a bytes.Buffer never fail
	w.Close()
	return b.Bytes()
}

func brotliBytes(data []byte) []byte {
	var b bytes.Buffer
	w := brotli.NewWriterLevel(&b, brotli.BestCompression)
	w.Write(data)
	w.Close()
	return b.Bytes()
}
