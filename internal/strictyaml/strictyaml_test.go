package strictyaml

import (
	"strings"
	"testing"

	"github.com/folio-ssg/folio/internal/diag"
	"go.yaml.in/yaml/v3"
)

// TestParseErrors checks that syntax errors name the line a person would
// point at, whatever line yaml.v3 itself reports.
func TestParseErrors(t *testing.T) {
	cases := []struct {
		name, in string
		first    int
		want     string
	}{
		{"unclosed flow sequence", "a: 1\nb: [1, 2\nc: 3\n", 1, "t.yaml:2: invalid YAML: did not find expected ',' or ']'"},
		{"unclosed flow mapping", "a: 1\nb: {x: 1\n", 1, "t.yaml:2: invalid YAML: did not find expected ',' or '}'"},
		{"unclosed quote", "a: 1\nb: \"abc\nc: 3\n", 1, "t.yaml:2: invalid YAML: found unexpected end of stream"},
		{"bad indentation", "a: 1\n  b: 2\nc: 3\n", 1, "t.yaml:2: invalid YAML: mapping values are not allowed in this context"},
		{"key inside list", "a: 1\nb:\n  - x\n  y: 2\n", 1, "t.yaml:4: invalid YAML: did not find expected '-' indicator"},
		{"mapping after list", "- a\nb: 1\n", 1, "t.yaml:2: invalid YAML: did not find expected '-' indicator"},
		{"tab", "a: 1\n\tb: 2\n", 1, "t.yaml:2: invalid YAML: found a tab character that violates indentation"},
		{"bad token on line 1", "a: @x\n", 1, "t.yaml:1: invalid YAML: found character that cannot start any token"},
		{"unknown anchor", "a: 1\nb: *x\n", 1, "t.yaml:2: invalid YAML: unknown anchor 'x' referenced"},
		{"offset front matter", "title: T\nsummary: [S\n", 2, "t.yaml:3: invalid YAML: did not find expected ',' or ']'"},
		{"second document", "a: 1\n---\nb: 2\n", 1, "t.yaml:2: a second YAML document starts here; a file holds one document"},
		{"invalid UTF-8", "a: \xff\n", 1, "t.yaml:1: invalid YAML: invalid leading UTF-8 octet"},
		{"tab before a list item", "a:\n\t- 2\n", 1, "t.yaml:2: invalid YAML: found a tab character that violates indentation"},
		{"tab after a list", "a:\n  - 1\n\t- 2\n", 1, "t.yaml:3: invalid YAML: found a tab character that violates indentation"},
		{"tab after a mapping", "a:\n  b: 1\n\tc: 2\n", 1, "t.yaml:3: invalid YAML: found a tab character that violates indentation"},
		{"tab in a value", "a: \"x\ty\"\nb:\tz\n", 1, ""},
		{"control character by escape", "a: 1\nb: [\"x\\ey\"]\n", 1, "t.yaml:2:5: control character U+001B is not allowed; remove it"},
		{"C1 control by escape", "\"k\\x9b\": 1\n", 1, "t.yaml:1:1: control character U+009B is not allowed; remove it"},
		{"newline by escape", "a: \"x\\ny\"\n", 1, ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var probs diag.List
			Parse("t.yaml", []byte(tc.in), tc.first, &probs)
			var got []string
			for _, p := range probs {
				got = append(got, p.String())
			}
			if strings.Join(got, "\n") != tc.want {
				t.Errorf("got  %q\nwant %q", got, tc.want)
			}
		})
	}
}

func TestParseDate(t *testing.T) {
	cases := []struct{ in, want string }{
		{"2025-02-03", ""},
		{"2024-02-29", ""},
		{"2025-02-29", `bad date "2025-02-29": February 2025 has no day 29`},
		{"2025-04-31", `bad date "2025-04-31": April 2025 has no day 31`},
		{"2025-00-10", `bad date "2025-00-10": there is no month 0`},
		{"2025-2-3", `bad date "2025-2-3": write it as YYYY-MM-DD, e.g. 2025-02-03`},
		{"03/02/2025", `bad date "03/02/2025": write it as YYYY-MM-DD, e.g. 2025-02-03`},
		{"2025-02-03T10:00:00Z", `bad date "2025-02-03T10:00:00Z": write it as YYYY-MM-DD, e.g. 2025-02-03`},
		{"", `bad date "": write it as YYYY-MM-DD, e.g. 2025-02-03`},
	}
	for _, tc := range cases {
		_, err := ParseDate(tc.in)
		got := ""
		if err != nil {
			got = err.Error()
		}
		if got != tc.want {
			t.Errorf("ParseDate(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestDistance(t *testing.T) {
	cases := []struct {
		a, b string
		want int
	}{
		{"title", "title", 0}, {"tittle", "title", 1}, {"titel", "title", 2}, {"", "abc", 3}, {"coût", "cout", 1},
	}
	for _, tc := range cases {
		if got := distance(tc.a, tc.b); got != tc.want {
			t.Errorf("distance(%q, %q) = %d, want %d", tc.a, tc.b, got, tc.want)
		}
	}
}

// TestMappingRequired checks that a required key needs a value that is
// not null and not blank, however it is written.
func TestMappingRequired(t *testing.T) {
	for in, want := range map[string]string{
		"a: x\n":          "",
		"a:\n":            `t.yaml:1:3: "a" must not be empty`,
		"a: null\n":       `t.yaml:1:4: "a" must not be empty`,
		"a: \"\"\n":       `t.yaml:1:4: "a" must not be empty`,
		"a: '  '\n":       `t.yaml:1:4: "a" must not be empty`,
		"a: !x\n":         `t.yaml:1:4: "a" must not be empty`,
		"a: !!str\n":      `t.yaml:1:4: "a" must not be empty`,
		"a: [x]\n":        "",
		"b: 1\n":          `t.yaml:1:1: missing required key "a" in test`,
		"a: x\nb: \"\"\n": "",
	} {
		var probs diag.List
		d := Decoder{Path: "t.yaml", Probs: &probs}
		d.Mapping(Parse("t.yaml", []byte(in), 1, &probs), "test", []Field{
			{Name: "a", Required: true, Set: func(*yaml.Node) {}},
			{Name: "b", Set: func(*yaml.Node) {}},
		})
		var got []string
		for _, p := range probs {
			got = append(got, p.String())
		}
		if strings.Join(got, "\n") != want {
			t.Errorf("%q: got %q, want %q", in, got, want)
		}
	}
}
