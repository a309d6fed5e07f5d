package markdown

import (
	"os"
	"testing"
)

// BenchmarkRender renders a brief of about 1,200 words with headings,
// lists, a table, links and footnotes. A site of 1,000 such briefs
// should render in a fraction of a second on two cores.
func BenchmarkRender(b *testing.B) {
	src, err := os.ReadFile("testdata/brief.md")
	if err != nil {
		b.Fatal(err)
	}
	r := New(base)
	b.SetBytes(int64(len(src)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := r.Render(src, 12); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkRenderParallel is BenchmarkRender with one shared Renderer
// used from every core, as the site renders.
func BenchmarkRenderParallel(b *testing.B) {
	src, err := os.ReadFile("testdata/brief.md")
	if err != nil {
		b.Fatal(err)
	}
	r := New(base)
	b.SetBytes(int64(len(src)))
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if _, err := r.Render(src, 12); err != nil {
				b.Error(err)
				return
			}
		}
	})
}
