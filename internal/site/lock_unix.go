//go:build darwin || dragonfly || freebsd || illumos || linux || netbsd || openbsd || solaris

package site

import (
	"errors"
	"os"

	"golang.org/x/sys/unix"
)

// tryLock takes an exclusive flock on f without waiting. The kernel
// releases it when f is closed or the process dies. A file system without
// locks (some network and FUSE ones) is let through unlocked rather than
// made unable to build.
func tryLock(f *os.File) error {
	err := unix.Flock(int(f.Fd()), unix.LOCK_EX|unix.LOCK_NB)
	switch {
	case errors.Is(err, unix.EWOULDBLOCK):
		return errLocked
	case errors.Is(err, unix.ENOLCK), errors.Is(err, unix.ENOTSUP), errors.Is(err, unix.EOPNOTSUPP):
		return nil
	}
	return err
}
