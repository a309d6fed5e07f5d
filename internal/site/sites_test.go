package site

import (
	"path/filepath"
	"strings"
	"testing"
)

// TestSites builds each testdata/sites/*.txtar on top of the base site.
// Special files of an archive: "want" lists output assertions (see
// checkOutput), "problems" the exact problems, "options" may say
// "drafts", and "delete" lists base files to remove.
func TestSites(t *testing.T) {
	archives, err := filepath.Glob("testdata/sites/*.txtar")
	if err != nil || len(archives) == 0 {
		t.Fatalf("no archives: %v", err)
	}
	for _, file := range archives {
		t.Run(strings.TrimSuffix(filepath.Base(file), ".txtar"), func(t *testing.T) {
			changes := readArchive(t, file)
			want, wantProbs, opts, del := changes["want"], changes["problems"], changes["options"], changes["delete"]
			for _, k := range []string{"want", "problems", "options", "delete"} {
				delete(changes, k)
			}
			files := baseSite(t, changes)
			for _, name := range strings.Fields(del) {
				delete(files, name)
			}
			var o Options
			o.Drafts = strings.Contains(opts, "drafts")
			out, probs := renderFiles(t, files, o)
			if got, want := strings.Join(probs, "\n"), strings.TrimSpace(wantProbs); got != want {
				t.Fatalf("problems:\n%s\nwant:\n%s", got, want)
			}
			checkOutput(t, out, nonEmpty(want))
		})
	}
}

func nonEmpty(s string) []string {
	var out []string
	for _, l := range strings.Split(s, "\n") {
		if strings.TrimSpace(l) != "" {
			out = append(out, l)
		}
	}
	return out
}
