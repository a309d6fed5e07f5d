//go:build !unix

package site

import "errors"

func mkfifo(string) error { return errors.New("named pipes are a Unix feature") }
