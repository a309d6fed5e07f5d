package tune

import (
	"runtime/debug"
	"testing"
)

func TestBuild(t *testing.T) {
	defer debug.SetGCPercent(debug.SetGCPercent(100))
	for _, tc := range []struct {
		gogc string
		want int // the GC percent after
	}{
		{"", GCPercent},
		{"150", 100},
		{"off", 100},
	} {
		debug.SetGCPercent(100)
		set := Build(func(k string) string {
			if k == "GOGC" {
				return tc.gogc
			}
			return ""
		})
		if got := debug.SetGCPercent(100); got != tc.want || set != (tc.want != 100) {
			t.Errorf("GOGC=%q: GC percent %d (set %v), want %d", tc.gogc, got, set, tc.want)
		}
	}
}
