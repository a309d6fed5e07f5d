//go:build unix

package site

import "syscall"

// mkfifo makes a named pipe, for the hostile cases that need one.
func mkfifo(path string) error { return syscall.Mkfifo(path, 0o644) }
