package search

import (
	"fmt"
	"maps"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
)

// TestCacheMatchesBuild builds indexes of changing docs with one Cache
// and without, and wants the same files. The vocabulary drifts, so the
// Cache's term numbers go stale and are renewed along the way.
func TestCacheMatchesBuild(t *testing.T) {
	defer func(s int) { dictSlack = s }(dictSlack)
	dictSlack = 0
	rng := rand.New(rand.NewPCG(1, 2))
	word := func(round int) string {
		return fmt.Sprintf("w%dx%d", round/3, rng.IntN(400)) // new words every third round
	}
	docs := make([]Doc, 40)
	var c Cache
	renewed := 0
	var lastDict *dictionary
	for round := range 30 {
		for i := range docs {
			if round > 0 && rng.IntN(3) > 0 {
				continue // most docs do not change between builds
			}
			var text []string
			for range 50 {
				text = append(text, word(round))
			}
			docs[i] = Doc{URL: fmt.Sprintf("/d/%d/", i), Kind: "Brief", Title: word(round), Date: fmt.Sprintf("2025-01-%02d", 1+i%28),
				Text: strings.Join(text, " "), Tags: []string{word(round)}}
		}
		got, want := c.Build(docs), Build(docs)
		if !maps.EqualFunc(got, want, func(a, b []byte) bool { return string(a) == string(b) }) {
			t.Fatalf("round %d: cached build differs; files %v vs %v", round, slices.Sorted(maps.Keys(got)), slices.Sorted(maps.Keys(want)))
		}
		if c.dict != lastDict {
			renewed++
			lastDict = c.dict
		}
	}
	if renewed < 2 {
		t.Errorf("the term numbers were renewed %d times; the test should make them go stale", renewed)
	}
}
