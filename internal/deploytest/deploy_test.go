package deploytest

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/BurntSushi/toml"
	"go.yaml.in/yaml/v3"
)

// root is the repository's root, from this package's folder.
const root = "../.."

func read(t *testing.T, name string) []byte {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(root, filepath.FromSlash(name)))
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// actionlint runs the actionlint that go.mod pins over files (relative to
// the root), or over stdin when files is empty, and fails on any finding.
// It checks the workflow syntax, the expressions, the inputs and outputs
// of the popular actions, and, where shellcheck is installed (as on
// GitHub's runners), the run scripts.
func actionlint(t *testing.T, stdin []byte, name string, files ...string) {
	t.Helper()
	goTool, err := exec.LookPath("go")
	if err != nil {
		t.Fatalf("go is not on PATH: %v", err)
	}
	args := []string{"tool", "actionlint", "-no-color", "-oneline", "-pyflakes="}
	if len(files) == 0 {
		args = append(args, "-stdin-filename", name, "-")
	}
	cmd := exec.Command(goTool, append(args, files...)...)
	cmd.Dir = root
	cmd.Stdin = bytes.NewReader(stdin)
	out, err := cmd.CombinedOutput()
	if err != nil || len(out) > 0 {
		t.Errorf("actionlint %s: %v\n%s", strings.Join(files, " ")+name, err, out)
	}
}

func TestWorkflows(t *testing.T) {
	files, err := filepath.Glob(filepath.Join(root, ".github/workflows/*.yml"))
	if err != nil {
		t.Fatal(err)
	}
	var rel []string
	for _, f := range files {
		rel = append(rel, filepath.ToSlash(strings.TrimPrefix(f, root+string(filepath.Separator))))
	}
	for _, want := range []string{".github/workflows/ci.yml", ".github/workflows/pages.yml"} {
		if !slices.Contains(rel, want) {
			t.Errorf("%s is missing", want)
		}
	}
	actionlint(t, nil, "", rel...)
}

// A workflow to read: only the parts the checks below need.
type workflow struct {
	On   map[string]any `yaml:"on"`
	Jobs map[string]struct {
		If    string
		Needs any
		Steps []struct {
			ID   string
			Uses string
			Run  string
			With map[string]any
		}
	}
}

// TestPagesWorkflow checks what actionlint cannot know: that the example
// deploy checks pull requests, builds with the Pages URL and publishes
// what it built, with the official actions pinned to major versions.
func TestPagesWorkflow(t *testing.T) {
	var w workflow
	if err := yaml.Unmarshal(read(t, ".github/workflows/pages.yml"), &w); err != nil {
		t.Fatal(err)
	}
	for _, ev := range []string{"pull_request", "push", "schedule", "workflow_dispatch"} {
		if _, ok := w.On[ev]; !ok {
			t.Errorf("pages.yml does not run on %s", ev)
		}
	}
	pinned := regexp.MustCompile(`^actions/[a-z-]+@v\d+$`)
	var uses, runs []string
	for name, j := range w.Jobs {
		for _, s := range j.Steps {
			if s.Uses != "" {
				uses = append(uses, s.Uses)
				if !pinned.MatchString(s.Uses) {
					t.Errorf("job %s uses %s: want an official action at a major version", name, s.Uses)
				}
				if strings.HasPrefix(s.Uses, "actions/setup-go@") && (s.With["go-version-file"] != "go.mod" || s.With["cache"] != true) {
					t.Errorf("job %s: setup-go with %v, want go-version-file: go.mod and cache: true", name, s.With)
				}
			}
			if s.Run != "" {
				runs = append(runs, name+": "+s.Run)
			}
		}
	}
	for _, want := range []string{"actions/checkout@v4", "actions/setup-go@v5", "actions/configure-pages@v5",
		"actions/upload-pages-artifact@v3", "actions/deploy-pages@v4"} {
		if !slices.Contains(uses, want) {
			t.Errorf("pages.yml does not use %s", want)
		}
	}
	for _, want := range []string{
		"check: go tool folio check -strict",
		`build: go tool folio build -strict -base-url "${BASE_URL%/}/" -out site`,
	} {
		if !slices.Contains(runs, want) {
			t.Errorf("pages.yml does not run %q; it runs %q", want, runs)
		}
	}
	if w.Jobs["check"].If != "github.event_name == 'pull_request'" || w.Jobs["build"].If != "github.event_name != 'pull_request'" {
		t.Errorf("check runs if %q, build if %q: want pull requests checked and the rest built",
			w.Jobs["check"].If, w.Jobs["build"].If)
	}
	if w.Jobs["deploy"].Needs != "build" {
		t.Errorf("deploy needs %v, want build", w.Jobs["deploy"].Needs)
	}
}

func TestCIWorkflow(t *testing.T) {
	var w workflow
	if err := yaml.Unmarshal(read(t, ".github/workflows/ci.yml"), &w); err != nil {
		t.Fatal(err)
	}
	var runs []string
	for _, j := range w.Jobs {
		for _, s := range j.Steps {
			runs = append(runs, s.Run)
		}
	}
	for _, want := range []string{"bash .ci/run", "go run golang.org/x/vuln/cmd/govulncheck@latest ./..."} {
		if !slices.Contains(runs, want) {
			t.Errorf("ci.yml does not run %q", want)
		}
	}
}

// gitlabJobKeys are the job keywords a GitLab job may use; any other
// key of a job is a typo (or a keyword this test should learn).
var gitlabJobKeys = []string{
	"after_script", "allow_failure", "artifacts", "before_script", "cache", "coverage", "dependencies",
	"environment", "except", "extends", "image", "interruptible", "needs", "only", "pages", "parallel",
	"publish", "release", "resource_group", "retry", "rules", "script", "services", "stage", "tags",
	"timeout", "trigger", "variables", "when",
}

func TestGitLabPipeline(t *testing.T) {
	var p map[string]any
	if err := yaml.Unmarshal(read(t, ".gitlab-ci.yml"), &p); err != nil {
		t.Fatal(err)
	}
	global := []string{"default", "variables", "cache", "stages", "include", "workflow"}
	for name, v := range p {
		if slices.Contains(global, name) {
			continue
		}
		job, ok := v.(map[string]any)
		if !ok {
			t.Errorf("%s: not a job", name)
			continue
		}
		for k := range job {
			if !slices.Contains(gitlabJobKeys, k) {
				t.Errorf("job %s: unknown keyword %q", name, k)
			}
		}
		if _, ok := job["script"].([]any); !ok {
			t.Errorf("job %s has no script list", name)
		}
	}
	script := func(job string) string {
		j, _ := p[job].(map[string]any)
		s, _ := j["script"].([]any)
		var lines []string
		for _, l := range s {
			lines = append(lines, l.(string))
		}
		return strings.Join(lines, "\n")
	}
	get := func(v any, keys ...string) any {
		for _, k := range keys {
			m, _ := v.(map[string]any)
			v = m[k]
		}
		return v
	}
	// The pages job builds into public/, which it publishes, on the
	// default branch only, with the Pages URL.
	if s := script("pages"); !strings.Contains(s, "go tool folio build -strict") ||
		!strings.Contains(s, `-base-url "${CI_PAGES_URL%/}/"`) || !strings.Contains(s, "-out public") {
		t.Errorf("pages job runs %q", s)
	}
	if paths, _ := get(p, "pages", "artifacts", "paths").([]any); !slices.Contains(paths, any("public")) {
		t.Errorf("pages job keeps %v, want public", paths)
	}
	rule := func(job string) any { r, _ := get(p, job, "rules").([]any); return get(r[0], "if") }
	if got := rule("pages"); got != "$CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH" {
		t.Errorf("pages job runs if %v", got)
	}
	// The check job writes the Code Quality report that it declares, even
	// when it fails.
	if got := rule("check"); got != `$CI_PIPELINE_SOURCE == "merge_request_event"` {
		t.Errorf("check job runs if %v", got)
	}
	report := get(p, "check", "artifacts", "reports", "codequality")
	if s := script("check"); report == nil || !strings.Contains(s, "go tool folio check -strict -code-quality "+report.(string)) {
		t.Errorf("check job runs %q, declares report %v", s, report)
	}
	if get(p, "check", "artifacts", "when") != "always" {
		t.Error("check job keeps its report only when it passes: want artifacts when: always")
	}
}

// decodeTOML decodes a TOML file strictly: a key v does not hold is an
// error, so a misspelt setting fails here.
func decodeTOML(t *testing.T, name string, v any) {
	t.Helper()
	md, err := toml.Decode(string(read(t, name)), v)
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	if und := md.Undecoded(); len(und) > 0 {
		t.Errorf("%s: unknown keys %v", name, und)
	}
}

func TestNetlify(t *testing.T) {
	var cfg struct {
		Build struct {
			Publish     string
			Command     string
			Environment map[string]string
		}
		Context map[string]struct{ Command string }
	}
	decodeTOML(t, "netlify.toml", &cfg)
	if cfg.Build.Publish != "site" {
		t.Errorf("netlify.toml publishes %q, want site", cfg.Build.Publish)
	}
	if want := `go tool folio build -strict -base-url "${DEPLOY_PRIME_URL%/}/"`; cfg.Build.Command != want {
		t.Errorf("netlify.toml builds with %q, want %q", cfg.Build.Command, want)
	}
	if want := `go tool folio build -strict -base-url "${URL%/}/"`; cfg.Context["production"].Command != want {
		t.Errorf("netlify.toml builds production with %q, want %q", cfg.Context["production"].Command, want)
	}
	for name := range cfg.Context {
		if !slices.Contains([]string{"production", "deploy-preview", "branch-deploy", "dev"}, name) {
			t.Errorf("netlify.toml: unknown context %q", name)
		}
	}
	goMod := string(read(t, "go.mod"))
	if v := cfg.Build.Environment["GO_VERSION"]; !strings.Contains(goMod, "\ngo "+v+"\n") {
		t.Errorf("netlify.toml: GO_VERSION %q is not go.mod's go version", v)
	}
}

func TestCloudflare(t *testing.T) {
	var cfg struct {
		Name                string `toml:"name"`
		PagesBuildOutputDir string `toml:"pages_build_output_dir"`
		CompatibilityDate   string `toml:"compatibility_date"`
	}
	decodeTOML(t, "wrangler.toml", &cfg)
	if cfg.Name == "" || cfg.PagesBuildOutputDir != "site" {
		t.Errorf("wrangler.toml: name %q, output %q; want a name and site", cfg.Name, cfg.PagesBuildOutputDir)
	}
	if _, err := time.Parse(time.DateOnly, cfg.CompatibilityDate); err != nil {
		t.Errorf("wrangler.toml: compatibility_date: %v", err)
	}
}

// TestDocsShowTheFiles checks that docs/deploy.md, which publishers copy
// from, shows each file as it is in the repository (a block after
// "<!-- file: PATH -->"), and that its other workflows (after
// "<!-- actionlint -->") pass actionlint.
func TestDocsShowTheFiles(t *testing.T) {
	doc := string(read(t, "docs/deploy.md"))
	block := regexp.MustCompile("(?s)<!-- (file: (\\S+)|actionlint) -->\n```[a-z]*\n(.*?)```\n")
	shown := map[string]bool{}
	linted := 0
	for _, m := range block.FindAllStringSubmatch(doc, -1) {
		if m[1] == "actionlint" {
			linted++
			actionlint(t, []byte(m[3]), "docs/deploy.md#"+m[3][:strings.Index(m[3], "\n")])
			continue
		}
		shown[m[2]] = true
		if want := string(read(t, m[2])); m[3] != want {
			t.Errorf("docs/deploy.md shows %s otherwise than the file is", m[2])
		}
	}
	for _, f := range []string{".github/workflows/pages.yml", ".gitlab-ci.yml", "netlify.toml", "wrangler.toml"} {
		if !shown[f] {
			t.Errorf("docs/deploy.md does not show %s", f)
		}
	}
	if linted == 0 {
		t.Error("docs/deploy.md has no workflow for actionlint")
	}
}
