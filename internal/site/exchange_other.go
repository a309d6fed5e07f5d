//go:build !linux

package site

import "errors"

// exchangeDirs is unsupported here: Write falls back to two renames.
func exchangeDirs(a, b string) error { return errors.ErrUnsupported }
