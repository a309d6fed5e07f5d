package site

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/folio-ssg/folio/internal/diag"
	"github.com/folio-ssg/folio/internal/markdown"
)

// TestRelatedMatchesBruteForce compares related briefs, which skips
// walking each brief's largest tag, with the definition: every other
// brief scored by the tags it shares, most first, then newest, then by
// slug. The sites have random tags, some held by every brief, and many
// equal dates, so ties decide.
func TestRelatedMatchesBruteForce(t *testing.T) {
	for seed := range uint64(20) {
		rng := rand.New(rand.NewPCG(seed, 7))
		files := baseSite(t, nil)
		fsys := fstest.MapFS{}
		for p, data := range files {
			if !strings.HasPrefix(p, "content/briefs/") {
				fsys[p] = &fstest.MapFile{Data: []byte(data)}
			}
		}
		n := 20 + rng.IntN(60)
		for i := range n {
			var tags []string
			if seed%2 == 0 {
				tags = append(tags, "everyone")
			}
			for range rng.IntN(4) {
				tags = append(tags, fmt.Sprintf("t%d", rng.IntN(8)))
			}
			fsys[fmt.Sprintf("content/briefs/b%02d.md", i)] = &fstest.MapFile{Data: fmt.Appendf(nil,
				"---\ntitle: Brief %d\nsummary: S.\ndate: 2025-01-%02d\ntags: [%s]\n---\nBody.\n", i, 1+rng.IntN(5), strings.Join(tags, ", "))}
		}
		s, probs := Load(fsys, Options{Today: today})
		if s == nil || probs.Errors() > 0 {
			t.Fatal(probs.Sort())
		}
		var found diag.List
		r := &renderer{site: s, out: Output{}, md: markdown.New(markdown.Options{BasePath: s.Config.BasePath()})}
		r.selectPublished()
		r.renderMarkdown(&found)
		r.buildDatasetViews()
		r.resolveEmbeds(&found)
		r.buildViews()
		for i, b := range r.briefs {
			v := r.briefView[b.Slug]
			type cand struct{ score, index int }
			var cands []cand
			for j, o := range r.briefs {
				if j == i {
					continue
				}
				score := 0
				for _, t := range r.briefView[o.Slug].Tags {
					if slices.Contains(v.Tags, t) {
						score++
					}
				}
				if score > 0 {
					cands = append(cands, cand{score, j})
				}
			}
			slices.SortFunc(cands, func(a, b cand) int {
				if a.score != b.score {
					return b.score - a.score
				}
				return a.index - b.index
			})
			var want, got []string
			for _, c := range cands[:min(len(cands), maxRelated)] {
				want = append(want, r.briefs[c.index].Slug)
			}
			for _, o := range v.Related {
				got = append(got, o.Slug)
			}
			if !slices.Equal(got, want) {
				t.Fatalf("seed %d, %s (tags %v): related %v, want %v", seed, b.Slug, tagNames(v), got, want)
			}
		}
	}
}

func tagNames(v *BriefView) []string {
	var out []string
	for _, t := range v.Tags {
		out = append(out, t.Name)
	}
	return out
}
