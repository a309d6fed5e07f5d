//go:build linux && (amd64 || arm64)

package tune

import (
	"bufio"
	"bytes"
	"fmt"
	"os"
	"strconv"
	"strings"
	"testing"
	"unsafe"
)

// TestAdviseHugePages checks that memory the heap hands out after the
// advice lies where Linux may back it with huge pages, which it does not
// for a heap left to the system's madvise default.
func TestAdviseHugePages(t *testing.T) {
	if _, ok := hugePageSize(); !ok {
		t.Skip("transparent huge pages are not in madvise mode here")
	}
	if godebug("disablethp") == "1" {
		t.Skip("GODEBUG=disablethp=1")
	}
	AdviseHugePages(256 << 20)
	// The heap's first megabytes, made before the advice, may hold the
	// start of buf; its end is past them.
	buf := make([]byte, 16<<20)
	addr := uintptr(unsafe.Pointer(&buf[len(buf)-1]))
	eligible, err := thpEligible(addr)
	if err != nil {
		t.Fatal(err)
	}
	if !eligible {
		t.Errorf("the heap at %#x is not eligible for huge pages after the advice", addr)
	}
}

// thpEligible reads /proc/self/smaps for the mapping holding addr.
func thpEligible(addr uintptr) (bool, error) {
	data, err := os.ReadFile("/proc/self/smaps")
	if err != nil {
		return false, err
	}
	in := false
	sc := bufio.NewScanner(bytes.NewReader(data))
	for sc.Scan() {
		line := sc.Text()
		if lo, hi, ok := mappingRange(line); ok {
			in = lo <= addr && addr < hi
			continue
		}
		if v, ok := strings.CutPrefix(line, "THPeligible:"); ok && in {
			return strings.TrimSpace(v) == "1", nil
		}
	}
	return false, fmt.Errorf("no mapping in /proc/self/smaps holds %#x", addr)
}

// mappingRange parses a mapping's first line, "lo-hi perms ...".
func mappingRange(line string) (lo, hi uintptr, ok bool) {
	r, _, _ := strings.Cut(line, " ")
	a, b, found := strings.Cut(r, "-")
	if !found {
		return 0, 0, false
	}
	l, err1 := strconv.ParseUint(a, 16, 64)
	h, err2 := strconv.ParseUint(b, 16, 64)
	if err1 != nil || err2 != nil {
		return 0, 0, false
	}
	return uintptr(l), uintptr(h), true
}

func TestGodebug(t *testing.T) {
	for _, tc := range []struct{ env, want string }{
		{"", ""},
		{"disablethp=1", "1"},
		{"gctrace=1,disablethp=1", "1"},
		{"disablethp=1, disablethp=0", "0"},
		{"xdisablethp=1", ""},
	} {
		t.Setenv("GODEBUG", tc.env)
		if got := godebug("disablethp"); got != tc.want {
			t.Errorf("GODEBUG=%q: disablethp = %q, want %q", tc.env, got, tc.want)
		}
	}
}

func TestMemTotal(t *testing.T) {
	for _, tc := range []struct {
		meminfo string
		want    int
	}{
		{"MemTotal:       24683620 kB\nMemFree:         1234 kB\n", 24683620 << 10},
		{"MemFree:         1234 kB\nMemTotal:  524288 kB\n", 512 << 20},
		{"MemFree:         1234 kB\n", 0},
		{"MemTotal:       lots kB\n", 0},
		{"", 0},
	} {
		if got := memTotal([]byte(tc.meminfo)); got != tc.want {
			t.Errorf("memTotal(%q) = %d, want %d", tc.meminfo, got, tc.want)
		}
	}
}
