package content

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/folio-ssg/folio/internal/diag"
)

func TestSplit(t *testing.T) {
	cases := []struct {
		name, in string
		body     string
		bodyLine int
		probs    string
	}{
		{"no front matter", "Hello.\n", "Hello.\n", 1, ""},
		{"front matter", "---\ntitle: T\n---\nBody.\n", "Body.\n", 4, ""},
		{"empty front matter", "---\n---\nBody.\n", "Body.\n", 3, ""},
		{"closing with spaces", "---\ntitle: T\n---  \nBody.\n", "Body.\n", 4, ""},
		{"no body", "---\ntitle: T\n---", "", 4, ""},
		{"CRLF", "---\r\ntitle: T\r\n---\r\nBody.\r\n", "Body.\n", 4, ""},
		{"byte-order mark", "\ufeff---\ntitle: T\n---\nBody.\n", "Body.\n", 4, ""},
		{"dashes later are body", "Intro\n---\nMore\n", "Intro\n---\nMore\n", 1, ""},
		{"unclosed", "---\ntitle: T\nBody.\n", "", 1, "a.md:1:1: front matter opened here is never closed: end it with a line of three dashes (---)"},
		{"broken YAML", "---\ntitle: [T\n---\nBody.\n", "Body.\n", 4, "a.md:2: invalid YAML: did not find expected ',' or ']'"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var probs diag.List
			src, _ := Split("a.md", []byte(tc.in), &probs)
			if got := joinProbs(probs); got != tc.probs {
				t.Fatalf("problems %q, want %q", got, tc.probs)
			}
			if tc.probs != "" {
				return
			}
			if string(src.Body) != tc.body || src.BodyLine != tc.bodyLine {
				t.Errorf("body %q at line %d, want %q at line %d", src.Body, src.BodyLine, tc.body, tc.bodyLine)
			}
		})
	}
}

func TestSplitTooLarge(t *testing.T) {
	var probs diag.List
	if _, ok := Split("big.md", make([]byte, MaxFileSize+1), &probs); ok {
		t.Fatal("a file over the limit was accepted")
	}
	if got, want := joinProbs(probs), "big.md: file is 1.1 MiB; the limit for a Markdown file is 1 MiB"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}

func joinProbs(probs diag.List) string {
	var s []string
	for _, p := range probs.Sort() {
		s = append(s, p.String())
	}
	return strings.Join(s, "\n")
}

func TestSlugify(t *testing.T) {
	cases := []struct{ in, want string }{
		{"Supply chains", "supply-chains"},
		{"supply  chains", "supply-chains"},
		{"Export controls", "export-controls"},
		{"Qualité et coûts", "qualite-et-couts"},
		{"Straße", "strasse"},
		{"Europe's chips", "europes-chips"},
		{"Europe’s chips", "europes-chips"},
		{"AI / ML", "ai-ml"},
		{"  --hello--  ", "hello"},
		{"2025 rules", "2025-rules"},
		{"Łódź", "lodz"},
		{"出口管制", ""},
		{"!!!", ""},
	}
	for _, tc := range cases {
		if got := Slugify(tc.in); got != tc.want {
			t.Errorf("Slugify(%q) = %q, want %q", tc.in, got, tc.want)
		}
		if got := Slugify(tc.in); got != "" && !ValidSlug(got) {
			t.Errorf("Slugify(%q) = %q, which is not a valid slug", tc.in, got)
		}
	}
}

func TestParseBrief(t *testing.T) {
	in := "---\ntitle: T\nsubtitle: S\nsummary: Sum\ndate: 2025-02-03\nupdated: \"2025-02-10\"\ntype: Issue brief\n" +
		"authors: [a, b]\ntags: [x, y z]\nkey_points: [one, two]\ncorrections:\n  - {date: 2025-02-10, text: Fixed.}\n" +
		"draft: true\npublish_date: 2025-03-01\n---\nBody.\n"
	var probs diag.List
	src, _ := Split("content/briefs/t.md", []byte(in), &probs)
	b := ParseBrief(src, "t", &probs)
	if len(probs) > 0 || b == nil {
		t.Fatalf("problems: %v", probs)
	}
	day := func(s string) time.Time { d, _ := time.Parse(time.DateOnly, s); return d }
	if b.Title != "T" || b.Subtitle != "S" || b.Summary != "Sum" || b.Type != "Issue brief" || !b.Draft ||
		!b.Date.Equal(day("2025-02-03")) || !b.Updated.Equal(day("2025-02-10")) || !b.PublishDate.Equal(day("2025-03-01")) ||
		len(b.Authors) != 2 || b.Authors[1] != (Ref{"b", Pos{8, 14}}) || len(b.Tags) != 2 || b.Tags[1].Name != "y z" ||
		len(b.KeyPoints) != 2 || len(b.Corrections) != 1 || b.Corrections[0].Text != "Fixed." || b.BodyLine != 16 {
		t.Errorf("brief decoded wrongly: %+v", b)
	}
}

// FuzzFrontMatter checks that any file gives a brief, an author and a
// page, or problems, never a panic, and that every problem has a position
// inside the file.
func FuzzFrontMatter(f *testing.F) {
	files, err := filepath.Glob("testdata/*.md")
	if err != nil || len(files) == 0 {
		f.Fatalf("no seeds in testdata: %v", err)
	}
	for _, file := range files {
		data, err := os.ReadFile(file)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(string(data))
	}
	f.Add("---\ntitle: T\nsummary: S\ndate: 2025-02-03\n---\nBody.\n")
	f.Add("---\ntitle: [T\n---\n")
	f.Add("---\ncorrections:\n  - {date: 2025-02-30}\n---\n")
	f.Add("---\na: &x [*x]\n---\n")
	f.Add("---\n---\n")
	f.Add("\ufeff---\r\ntitle: T\r\n")
	f.Fuzz(func(t *testing.T, in string) {
		var probs diag.List
		src, ok := Split("f.md", []byte(in), &probs)
		if ok {
			ParseBrief(src, "f", &probs)
			ParseAuthor(src, "f", &probs)
			ParsePage(src, "f", &probs)
		}
		// Split ends lines at CRLF, CR and LF alike.
		lines := strings.Count(strings.ReplaceAll(strings.ReplaceAll(in, "\r\n", "\n"), "\r", "\n"), "\n") + 1
		for _, p := range probs {
			if p.Path != "f.md" || p.Line < 0 || p.Line > lines+1 {
				t.Errorf("problem outside the file (%d lines): %v", lines, p)
			}
			if !utf8.ValidString(p.Msg) && utf8.ValidString(in) {
				t.Errorf("invalid UTF-8 in message: %q", p.Msg)
			}
		}
	})
}
