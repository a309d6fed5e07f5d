//go:build race

package search_test

// raceEnabled is true under the race detector, where the size
// measurements over a 1,000-brief site take minutes; .ci/run runs them
// again without it.
const raceEnabled = true
