package conformance

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/folio-ssg/folio/internal/site"
)

// TestHTMLValid runs the Nu Html Checker over every page of the example
// site and fails on each error it reports, as path:line:col: message.
func TestHTMLValid(t *testing.T) {
	v := validated(t)
	for _, e := range v.errs {
		if rest, ok := strings.CutPrefix(e, "site/"); ok {
			t.Error(rest)
		}
	}
	t.Logf("the Nu Html Checker checked %d HTML files", v.files["site"])
}

// A validation is what the Nu Html Checker said about the example site,
// below site/, and the self-test pages, below selftest/.
type validation struct {
	errs  []string       // path:line:col: message
	files map[string]int // how many HTML files were checked, by top folder
}

var (
	vnuOnce sync.Once
	vnuDone chan struct{} // closed when vnuRes and vnuErr are set
	vnuRes  validation
	vnuErr  error
)

// startValidation starts the Nu Html Checker, once for the whole package,
// over the example site and the self-test pages. It runs in the
// background: TestMain starts it before the browser tests, which it runs
// alongside, as its JVM takes seconds to start and check.
func startValidation(java, jar string, s *server) {
	vnuOnce.Do(func() {
		vnuDone = make(chan struct{})
		all := site.Output{}
		for key, data := range s.out {
			all["site/"+key] = data
		}
		for key, data := range selfTestPages {
			all["selftest/"+key] = data
		}
		go func() {
			defer close(vnuDone)
			vnuRes, vnuErr = validate(java, jar, all)
		}()
	})
}

// validated returns what the Nu Html Checker said, waiting for it.
func validated(t testing.TB) validation {
	t.Helper()
	java := requireTool(t, "java", "apt-get install default-jre-headless")
	jar := requireTool(t, "vnu-jar", "npm ci --ignore-scripts --prefix tools/conformance")
	startValidation(java, jar, served(t))
	<-vnuDone
	if vnuErr != nil {
		t.Fatal(vnuErr)
	}
	return vnuRes
}

// validate writes the HTML files of out to a temporary folder, runs
// vnu.jar over all of them in one JVM, and returns its errors with the
// files named by their Output keys.
func validate(java, jar string, out site.Output) (validation, error) {
	v := validation{files: map[string]int{}}
	dir, err := os.MkdirTemp("", "folio-vnu-")
	if err != nil {
		return v, err
	}
	defer os.RemoveAll(dir)
	var files []string
	for key, data := range out {
		if !strings.HasSuffix(key, ".html") {
			continue
		}
		name := filepath.Join(dir, filepath.FromSlash(key))
		if err := os.MkdirAll(filepath.Dir(name), 0o755); err != nil {
			return v, err
		}
		if err := os.WriteFile(name, data, 0o644); err != nil {
			return v, err
		}
		files = append(files, name)
		top, _, _ := strings.Cut(key, "/")
		v.files[top]++
	}
	slices.Sort(files)

	// Generous: CI runs this beside the race-enabled tests of every other
	// package on two cores. A checker that runs out of time fails the
	// test rather than passing on a partial report.
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
	args := append([]string{"-jar", jar, "--errors-only", "--format", "gnu", "--stdout"}, files...)
	cmd := exec.CommandContext(ctx, java, args...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	stdout, err := cmd.Output()
	if ctx.Err() != nil {
		return v, fmt.Errorf("the Nu Html Checker did not finish in time: %v", ctx.Err())
	}
	var exit *exec.ExitError
	if err != nil && !errors.As(err, &exit) {
		return v, fmt.Errorf("running the Nu Html Checker: %v\n%s", err, stderr.Bytes())
	}
	v.errs = vnuErrors(stdout, dir)
	if err != nil && len(v.errs) == 0 {
		// A failure that is not about a page: a bad Java, a bad jar.
		return v, fmt.Errorf("the Nu Html Checker failed: %v\n%s%s", err, stdout, stderr.Bytes())
	}
	return v, nil
}

// vnuLine is a line of vnu's GNU format:
//
//	"file:/tmp/x/briefs/a/index.html":12.5-12.9: error: Stray end tag "p".
var vnuLine = regexp.MustCompile(`^"([^"]*)":(?:(\d+)\.(\d+)(?:-\d+\.\d+)?:)? (.*)$`)

// vnuErrors turns vnu's output into path:line:col: message lines, with
// paths below dir made site paths again.
func vnuErrors(out []byte, dir string) []string {
	var errs []string
	sc := bufio.NewScanner(bytes.NewReader(out))
	for sc.Scan() {
		line := sc.Text()
		if strings.TrimSpace(line) == "" {
			continue
		}
		m := vnuLine.FindStringSubmatch(line)
		if m == nil {
			errs = append(errs, line)
			continue
		}
		name := m[1]
		if u, err := url.Parse(name); err == nil && u.Scheme == "file" {
			name = u.Path
		}
		if rel, err := filepath.Rel(dir, name); err == nil && !strings.HasPrefix(rel, "..") {
			name = filepath.ToSlash(rel)
		}
		pos := ""
		if m[2] != "" {
			pos = m[2] + ":" + m[3] + ":"
		}
		errs = append(errs, fmt.Sprintf("%s:%s %s", name, pos, m[4]))
	}
	return errs
}
