package main

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path"
	"path/filepath"
	"strings"

	"github.com/folio-ssg/folio/internal/diag"
)

// CI annotations. The plain "path:line:col: message" lines are what every
// log and editor reads; these put the same problems where a CI host shows
// them on the changed lines of a pull or merge request.
//
// GitHub Actions reads workflow commands from a step's output (stdout and
// stderr alike), so when GITHUB_ACTIONS=true each problem is printed once
// more as "::error file=...,line=...,col=...::message". GitLab reads a Code
// Quality report, a JSON file the job names under artifacts:reports, so
// "folio check -code-quality FILE" writes one.
//
// Both want paths from the repository root, while problems name paths
// from -src: ciPrefix bridges the two when the site lives in a subfolder.

// ciPrefix returns the slash-separated path of the source folder src from
// the repository root (GITHUB_WORKSPACE, CI_PROJECT_DIR, or else the
// current folder, where CI steps start), with a trailing slash; "" when src
// is the root or lies outside it.
func ciPrefix(src string) string {
	root := os.Getenv("GITHUB_WORKSPACE")
	if root == "" {
		root = os.Getenv("CI_PROJECT_DIR")
	}
	if root == "" {
		root = "."
	}
	absRoot, err1 := filepath.Abs(root)
	absSrc, err2 := filepath.Abs(src)
	if err1 != nil || err2 != nil {
		return ""
	}
	rel, err := filepath.Rel(absRoot, absSrc)
	if err != nil || rel == "." || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
		return ""
	}
	return filepath.ToSlash(rel) + "/"
}

// isFile reports whether a problem's path names a source file, rather than
// a flag such as -base-url.
func isFile(p diag.Problem) bool { return p.Path != "" && !strings.HasPrefix(p.Path, "-") }

// workflowCommand formats p as a GitHub Actions workflow command, its path
// prefixed by prefix (see ciPrefix).
func workflowCommand(p diag.Problem, prefix string) string {
	var b strings.Builder
	if p.Warning {
		b.WriteString("::warning")
	} else {
		b.WriteString("::error")
	}
	msg := p.Msg
	if isFile(p) {
		b.WriteString(" file=" + escapeProperty(path.Clean(prefix+p.Path)))
		if p.Line > 0 {
			fmt.Fprintf(&b, ",line=%d", p.Line)
			if p.Col > 0 {
				fmt.Fprintf(&b, ",col=%d", p.Col)
			}
		}
	} else {
		msg = p.String() // keep the flag's name in the message
	}
	b.WriteString("::")
	b.WriteString(escapeData(msg))
	return b.String()
}

// escapeData escapes a workflow command's message, as the Actions toolkit
// does (@actions/core, command.ts): a message holding a newline would
// otherwise end the command early, and one holding "%0A" would be decoded
// into a newline.
func escapeData(s string) string {
	return strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A").Replace(s)
}

// escapeProperty escapes a property value such as a file name, where ":"
// and "," also delimit.
func escapeProperty(s string) string {
	return strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A", ":", "%3A", ",", "%2C").Replace(s)
}

// annotate prints every problem as a workflow command when running in
// GitHub Actions; elsewhere it prints nothing.
func annotate(w io.Writer, probs diag.List, prefix string) {
	if os.Getenv("GITHUB_ACTIONS") != "true" {
		return
	}
	for _, p := range probs {
		fmt.Fprintln(w, workflowCommand(p, prefix))
	}
}

// codeQualityIssue is one entry of a GitLab Code Quality report, the
// subset of the Code Climate format that GitLab reads.
type codeQualityIssue struct {
	Description string `json:"description"`
	CheckName   string `json:"check_name"`
	Fingerprint string `json:"fingerprint"`
	Severity    string `json:"severity"`
	Location    struct {
		Path  string `json:"path"`
		Lines struct {
			Begin int `json:"begin"`
		} `json:"lines"`
	} `json:"location"`
}

// codeQuality returns probs as a GitLab Code Quality report. Errors are
// "major" and warnings "minor", as linters usually map them. A problem
// about a flag rather than a file is reported against folio.yaml, the
// nearest file, since GitLab requires a path. The fingerprint, which
// GitLab uses to tell new problems from old ones, covers the position and
// the message, so two problems never share one.
func codeQuality(probs diag.List, prefix string) []byte {
	issues := make([]codeQualityIssue, 0, len(probs))
	for _, p := range probs {
		var is codeQualityIssue
		is.Description = p.Msg
		is.CheckName = "folio"
		is.Severity = "major"
		if p.Warning {
			is.Severity = "minor"
		}
		file := "folio.yaml"
		if isFile(p) {
			file = p.Path
		} else {
			is.Description = p.String()
		}
		is.Location.Path = path.Clean(prefix + file)
		is.Location.Lines.Begin = max(p.Line, 1)
		sum := sha256.Sum256(fmt.Appendf(nil, "%s\x00%d\x00%d\x00%s\x00%s", is.Location.Path, p.Line, p.Col, is.Severity, is.Description))
		is.Fingerprint = hex.EncodeToString(sum[:16])
		issues = append(issues, is)
	}
	data, err := json.MarshalIndent(issues, "", "  ")
	if err != nil {
		panic(err) // plain strings and ints always marshal
	}
	return append(data, '\n')
}
