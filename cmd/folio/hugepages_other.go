//go:build !linux || !(amd64 || arm64)

package main

// heapAdvice is unused outside 64-bit Linux.
const heapAdvice = 0

// adviseHugePages does nothing outside 64-bit Linux (see
// hugepages_linux.go).
func adviseHugePages(n int) {}
