package main

import (
	"bytes"
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

	"github.com/folio-ssg/folio/internal/diag"
)

func TestWorkflowCommand(t *testing.T) {
	tests := []struct {
		p      diag.Problem
		prefix string
		want   string
	}{
		{diag.Problem{Path: "content/x.md", Line: 7, Col: 12, Msg: "unknown key \"titel\""},
			"", `::error file=content/x.md,line=7,col=12::unknown key "titel"`},
		{diag.Problem{Path: "content/x.md", Line: 7, Msg: "no column"},
			"", "::error file=content/x.md,line=7::no column"},
		{diag.Problem{Path: "data/x.yaml", Msg: "whole file"},
			"", "::error file=data/x.yaml::whole file"},
		// Warnings keep their column, which the plain line leaves out.
		{diag.Problem{Path: "content/x.md", Line: 3, Col: 2, Msg: "ignored", Warning: true},
			"", "::warning file=content/x.md,line=3,col=2::ignored"},
		// The site in a subfolder of the repository.
		{diag.Problem{Path: "content/x.md", Line: 1, Msg: "m"},
			"site-src/", "::error file=site-src/content/x.md,line=1::m"},
		// Messages: %, CR and LF escaped, ":" and "," kept.
		{diag.Problem{Path: "a.md", Line: 1, Msg: "100% sure: a, b\r\nnext %0A line"},
			"", "::error file=a.md,line=1::100%25 sure: a, b%0D%0Anext %250A line"},
		// Properties: ":" and "," escaped too, which would end the value.
		{diag.Problem{Path: "content/a,b:c%.md", Line: 2, Msg: "m"},
			"", "::error file=content/a%2Cb%3Ac%25.md,line=2::m"},
		// A flag is no file: its name stays in the message.
		{diag.Problem{Path: "-base-url", Msg: "not an absolute URL"},
			"", "::error::-base-url: not an absolute URL"},
	}
	for _, tt := range tests {
		if got := workflowCommand(tt.p, tt.prefix); got != tt.want {
			t.Errorf("workflowCommand(%+v, %q)\n got %s\nwant %s", tt.p, tt.prefix, got, tt.want)
		}
	}
}

func TestAnnotateOnlyInActions(t *testing.T) {
	probs := diag.List{{Path: "a.md", Line: 1, Msg: "m"}}
	for env, want := range map[string]string{"": "", "false": "", "true": "::error file=a.md,line=1::m\n"} {
		t.Setenv("GITHUB_ACTIONS", env)
		var b bytes.Buffer
		annotate(&b, probs, "")
		if b.String() != want {
			t.Errorf("GITHUB_ACTIONS=%q: printed %q, want %q", env, b.String(), want)
		}
	}
}

func TestCIPrefix(t *testing.T) {
	root := t.TempDir()
	t.Setenv("CI_PROJECT_DIR", "")
	for _, tt := range []struct{ workspace, src, want string }{
		{root, root, ""},
		{root, filepath.Join(root, "site-src"), "site-src/"},
		{root, filepath.Join(root, "a", "b"), "a/b/"},
		{filepath.Join(root, "repo"), filepath.Join(root, "elsewhere"), ""}, // outside: paths as they are
	} {
		t.Setenv("GITHUB_WORKSPACE", tt.workspace)
		if got := ciPrefix(tt.src); got != tt.want {
			t.Errorf("ciPrefix(%s) in %s = %q, want %q", tt.src, tt.workspace, got, tt.want)
		}
	}
	// GitLab names the checkout CI_PROJECT_DIR.
	t.Setenv("GITHUB_WORKSPACE", "")
	t.Setenv("CI_PROJECT_DIR", root)
	if got := ciPrefix(filepath.Join(root, "s")); got != "s/" {
		t.Errorf("ciPrefix under CI_PROJECT_DIR = %q, want s/", got)
	}
}

func TestCodeQuality(t *testing.T) {
	probs := diag.List{
		{Path: "content/x.md", Line: 7, Col: 12, Msg: "unknown key"},
		{Path: "content/x.md", Line: 9, Col: 12, Msg: "unknown key"},
		{Path: "data/y.yaml", Msg: "file ignored", Warning: true},
		{Path: "-base-url", Msg: "bad URL"},
	}
	var issues []map[string]any
	if err := json.Unmarshal(codeQuality(probs, "site/"), &issues); err != nil {
		t.Fatal(err)
	}
	want := []struct{ desc, sev, path string }{
		{"unknown key", "major", "site/content/x.md"},
		{"unknown key", "major", "site/content/x.md"},
		{"file ignored", "minor", "site/data/y.yaml"},
		{"-base-url: bad URL", "major", "site/folio.yaml"},
	}
	lines := []float64{7, 9, 1, 1} // GitLab needs a line: 1 when the problem has none
	seen := map[any]bool{}
	for i, is := range issues {
		loc := is["location"].(map[string]any)
		begin := loc["lines"].(map[string]any)["begin"]
		if is["description"] != want[i].desc || is["severity"] != want[i].sev || loc["path"] != want[i].path ||
			begin != lines[i] || is["check_name"] != "folio" {
			t.Errorf("issue %d = %v", i, is)
		}
		fp := is["fingerprint"]
		if s, _ := fp.(string); len(s) != 32 || seen[fp] {
			t.Errorf("issue %d: fingerprint %v is not a fresh 32-digit hash", i, fp)
		}
		seen[fp] = true
	}
	if len(issues) != len(want) {
		t.Errorf("%d issues, want %d", len(issues), len(want))
	}
	// No problems: an empty list, which tells GitLab that old ones are fixed.
	if got := strings.TrimSpace(string(codeQuality(nil, ""))); got != "[]" {
		t.Errorf("report of no problems = %s, want []", got)
	}
}

// TestReportUnchangedOutsideActions guards the plain output that editors
// and every other CI read: without GITHUB_ACTIONS it is as it was.
func TestReportUnchangedOutsideActions(t *testing.T) {
	t.Setenv("GITHUB_ACTIONS", "")
	var b bytes.Buffer
	err := report(diag.List{{Path: "a.md", Line: 1, Col: 2, Msg: "m"}}, false, &b)
	if err == nil || b.String() != "a.md:1:2: m\n1 error, 0 warnings\n" {
		t.Errorf("report printed %q, returned %v", b.String(), err)
	}
}
