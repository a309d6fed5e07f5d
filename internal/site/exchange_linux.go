package site

import (
	"errors"
	"fmt"
	"os"

	"golang.org/x/sys/unix"
)

// exchangeDirs swaps the folders a and b in one renameat2 RENAME_EXCHANGE:
// no instant sees either name missing. Linux has had it since 3.15, but
// some file systems (and some sandboxes' system-call filters) refuse it,
// which comes back as errors.ErrUnsupported.
func exchangeDirs(a, b string) error {
	err := unix.Renameat2(unix.AT_FDCWD, a, unix.AT_FDCWD, b, unix.RENAME_EXCHANGE)
	if errors.Is(err, unix.EINVAL) || errors.Is(err, unix.ENOSYS) || errors.Is(err, unix.ENOTSUP) {
		return fmt.Errorf("exchanging %s and %s: %w (%w)", a, b, errors.ErrUnsupported, err)
	}
	if err != nil {
		return &os.LinkError{Op: "exchange", Old: a, New: b, Err: err}
	}
	return nil
}
