// Command folio builds research publications: Markdown briefs and YAML
// datasets in, a checked, accessible, self-contained HTML site out.
//
//	folio build [-src DIR] [-out DIR] [-base-url URL] [-drafts] [-strict]
//	            [-precompress] [-pdf] [-images] [-chromium PATH]
//	folio serve [-src DIR] [-addr 127.0.0.1:8080] [-no-drafts] [-open]
//	folio check [-src DIR] [-strict]
//	folio new brief "Title"
//	folio new dataset NAME
//	folio version
//
// Exit status: 0 success, 1 the site has problems, 2 bad usage.
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"

	"github.com/folio-ssg/folio/internal/tune"
)

func main() {
	tuneRuntime(os.Args[1:], os.Getenv)
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

// tuneRuntime sets up the Go runtime for the command args, before it
// runs: build and check, which render a whole site once, get
// tune.Build. It reports whether it did.
func tuneRuntime(args []string, getenv func(string) string) bool {
	if len(args) == 0 || (args[0] != "build" && args[0] != "check") {
		return false
	}
	tune.Build(getenv)
	return true
}

// errUsage marks a usage error, which exits with status 2.
var errUsage = errors.New("usage")

const usage = `folio builds research publications from Markdown briefs and YAML datasets.

Usage:
  folio build [-src DIR] [-out DIR] [-base-url URL] [-drafts] [-strict]
              [-precompress] [-pdf] [-images] [-chromium PATH]
  folio serve [-src DIR] [-addr 127.0.0.1:8080] [-no-drafts] [-open]
  folio check [-src DIR] [-strict]
  folio new brief "Title"
  folio new dataset NAME
  folio version

build -pdf prints every brief to a PDF and build -images draws every
chart to SVG and PNG, in headless Chromium (found on PATH, or -chromium,
or FOLIO_CHROMIUM).

Run "folio COMMAND -h" for a command's flags.
`

// run is main without the process: it returns the exit status.
func run(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return 2
	}
	var err error
	switch args[0] {
	case "build":
		err = cmdBuild(args[1:], stdout, stderr)
	case "serve":
		err = cmdServe(args[1:], stdout, stderr)
	case "check":
		err = cmdCheck(args[1:], stdout, stderr)
	case "new":
		err = cmdNew(args[1:], stdout, stderr)
	case "version", "-version", "--version":
		err = cmdVersion(args[1:], stdout)
	case "help", "-h", "-help", "--help":
		fmt.Fprint(stdout, usage)
		return 0
	default:
		fmt.Fprintf(stderr, "folio: unknown command %q\n\n%s", args[0], usage)
		return 2
	}
	switch {
	case err == nil:
		return 0
	case errors.Is(err, flag.ErrHelp):
		return 0
	case errors.Is(err, errUsage):
		return 2
	case errors.Is(err, errProblems):
		return 1
	default:
		fmt.Fprintf(stderr, "folio: %v\n", err)
		return 1
	}
}

// newFlags makes a flag set that reports errors to stderr and returns them
// rather than exiting.
func newFlags(name, synopsis string, stderr io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprintf(stderr, "Usage: %s\n\nFlags:\n", synopsis)
		fs.PrintDefaults()
	}
	return fs
}

// parseFlags parses args, allowing no positional arguments beyond want.
func parseFlags(fs *flag.FlagSet, args []string, want int) error {
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return err
		}
		return errUsage
	}
	if fs.NArg() != want {
		fmt.Fprintf(fs.Output(), "folio %s: unexpected argument %q\n", fs.Name(), fs.Arg(want))
		fs.Usage()
		return errUsage
	}
	return nil
}
