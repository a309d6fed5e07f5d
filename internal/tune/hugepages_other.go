//go:build !linux || !(amd64 || arm64)

package tune

// AdviseHugePages does nothing outside 64-bit Linux (see hugepages_linux.go).
func AdviseHugePages(n int) {}
