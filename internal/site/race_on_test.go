//go:build race

package site

// raceEnabled is true under the race detector, which makes builds about
// ten times slower: long randomised tests do fewer rounds under it.
const raceEnabled = true
