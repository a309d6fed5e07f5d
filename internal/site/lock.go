package site

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// lockWait is how long a build waits for another build of the same output
// folder to finish publishing. A build holds the lock while it renders its
// pages into the new folder and swaps it in (after Chromium has made any
// PDFs), which takes seconds even for thousands of pages, so waiting lets
// two builds started together (two CI jobs, a second save) both succeed,
// the later one publishing last; a lock held longer belongs to a build
// that is stuck, and the message says whose.
var lockWait = 30 * time.Second

// errLocked is what tryLock returns while another build holds the lock.
var errLocked = errors.New("locked")

// lockOut takes the exclusive lock of the output folder base in dir, on
// the file .<base>.lock beside it, waiting up to lockWait for another
// build to release it; stage, when set, is told about the wait and its
// end. The lock goes with the process, however it ends: a killed build
// leaves no stale lock, and the lock file stays, as removing it would race
// with the next build opening it. out is the folder as the user named it,
// for messages.
func lockOut(dir, base, out string, stage func(string)) (unlock func(), err error) {
	name := filepath.Join(dir, "."+base+".lock")
	f, err := os.OpenFile(name, os.O_RDWR|os.O_CREATE, 0o644)
	if err != nil {
		return nil, fmt.Errorf("cannot lock %s: %w", out, err)
	}
	deadline := time.Now().Add(lockWait)
	for waited := false; ; waited = true {
		err := tryLock(f)
		if err == nil {
			if waited && stage != nil {
				stage("writing " + out)
			}
			break
		}
		if !errors.Is(err, errLocked) {
			f.Close()
			return nil, fmt.Errorf("cannot lock %s: %w", out, err)
		}
		if time.Now().After(deadline) {
			f.Close()
			return nil, fmt.Errorf("another folio build%s is still publishing %s after %s; wait for it to finish, or stop it, then build again",
				holder(name), out, lockWait)
		}
		if !waited && stage != nil {
			stage(fmt.Sprintf("waiting for another folio build%s to finish publishing %s", holder(name), out))
		}
		time.Sleep(50 * time.Millisecond)
	}
	// Say who holds the lock, for the message above; the lock, not this
	// text, is what excludes.
	if err := f.Truncate(0); err == nil {
		f.WriteAt([]byte(strconv.Itoa(os.Getpid())+"\n"), 0)
	}
	return func() { f.Close() }, nil
}

// holder is " (pid N)" for the build that wrote its pid into the lock file
// name, or "" when it cannot be read.
func holder(name string) string {
	b, err := os.ReadFile(name)
	pid, perr := strconv.Atoi(strings.TrimSpace(string(b)))
	if err != nil || perr != nil || pid <= 0 {
		return ""
	}
	return fmt.Sprintf(" (pid %d)", pid)
}
