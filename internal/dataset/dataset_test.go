package dataset

import (
	"bytes"
	"slices"
	"strings"
	"testing"

	"github.com/folio-ssg/folio/internal/diag"
)

const testPath = "data/t.yaml"

// parseProblems parses src and returns the dataset and its problems,
// sorted, as they would print.
func parseProblems(t *testing.T, src string) (*Dataset, []string) {
	t.Helper()
	var probs diag.List
	ds := Parse(testPath, []byte(src), &probs)
	var out []string
	for _, p := range probs.Sort() {
		out = append(out, p.String())
	}
	return ds, out
}

// checkProblems compares problems with want, one per line on failure.
func checkProblems(t *testing.T, src string, got, want []string) {
	t.Helper()
	if !slices.Equal(got, want) {
		t.Errorf("problems for\n%s\ngot:\n\t%s\nwant:\n\t%s", src,
			strings.Join(got, "\n\t"), strings.Join(want, "\n\t"))
	}
}

// Tests of the file as a whole: metadata, columns, key, rows. cell_test.go
// tests the cells of each type.
var structureTests = []struct {
	name   string
	src    string
	want   []string
	usable bool // Parse returns a dataset
}{
	{
		name: "good, block and flow rows",
		src: `title: T
source: {name: S, url: https://example.org/, retrieved: 2025-01-20}
key: [year]
columns:
  - {name: year, type: integer}
  - name: sales
    type: number
rows:
  - {year: 2022, sales: 42}
  - year: 2023
    sales: 43.5
`,
		usable: true,
	},
	{
		name: "empty file",
		src:  "",
		want: []string{"data/t.yaml:1: empty dataset: it needs title, source, columns and rows"},
	},
	{
		name: "only comments",
		src:  "# to do\n\n",
		want: []string{"data/t.yaml:1: empty dataset: it needs title, source, columns and rows"},
	},
	{
		name: "top level is a list",
		src:  "- title: T\n",
		want: []string{"data/t.yaml:1:1: dataset must be a mapping of keys to values, not a list"},
	},
	{
		name: "syntax error",
		src:  "title: T\nsource: {name: S}\ncolumns: [{name: a, type: integer}]\nrows:\n  - {a: 1\n  - {a: 2}\n",
		want: []string{"data/t.yaml:5: invalid YAML: did not find expected ',' or '}'"},
	},
	{
		name: "second document",
		src:  "title: T\nsource: {name: S}\ncolumns: [{name: a, type: integer}]\nrows: [{a: 1}]\n---\ntitle: U\n",
		want: []string{"data/t.yaml:5: a second YAML document starts here; a file holds one document"},
		// The first document is whole, so it is still read.
		usable: true,
	},
	{
		name: "missing title and rows",
		src:  "source: {name: S}\ncolumns: [{name: a, type: integer}]\n",
		want: []string{
			`data/t.yaml:1:1: missing required key "rows" in dataset`,
			`data/t.yaml:1:1: missing required key "title" in dataset`,
		},
		usable: true,
	},
	{
		name:   "empty title",
		src:    "title: \"\"\nsource: {name: S}\ncolumns: [{name: a, type: integer}]\nrows: [{a: 1}]\n",
		want:   []string{`data/t.yaml:1:8: "title" must not be empty`},
		usable: true,
	},
	{
		name: "unknown top-level key with suggestion",
		src:  "title: T\nsource: {name: S}\ncolums: [{name: a, type: integer}]\nrows: [{a: 1}]\n",
		want: []string{
			`data/t.yaml:1:1: missing required key "columns" in dataset`,
			`data/t.yaml:3:1: unknown key "colums"; did you mean "columns"?`,
		},
	},
	{
		name: "source problems",
		src:  "title: T\nsource: {url: example.org, retrieved: 2025-13-01, author: X}\ncolumns: [{name: a, type: integer}]\nrows: [{a: 1}]\n",
		want: []string{
			`data/t.yaml:2:9: missing required key "name" in source`,
			`data/t.yaml:2:15: source url "example.org" is not an absolute http or https URL such as https://example.org/`,
			`data/t.yaml:2:39: retrieved: bad date "2025-13-01": there is no month 13`,
			`data/t.yaml:2:51: unknown key "author"`,
		},
		usable: true,
	},
	{
		name:   "source is text",
		src:    "title: T\nsource: CSET\ncolumns: [{name: a, type: integer}]\nrows: [{a: 1}]\n",
		want:   []string{`data/t.yaml:2:9: source must be a mapping of keys to values, not the text "CSET"`},
		usable: true,
	},
	{
		name:   "illustrative yes",
		src:    "title: T\nsource: {name: S}\nillustrative: yes\ncolumns: [{name: a, type: integer}]\nrows: [{a: 1}]\n",
		want:   []string{`data/t.yaml:3:15: illustrative must be true or false, not the text "yes"`},
		usable: true,
	},
	{
		name: "columns missing",
		src:  "title: T\nsource: {name: S}\nrows: [{a: 1}]\n",
		want: []string{`data/t.yaml:1:1: missing required key "columns" in dataset`},
	},
	{
		name: "columns empty",
		src:  "title: T\nsource: {name: S}\ncolumns: []\nrows: [{a: 1}]\n",
		want: []string{`data/t.yaml:3:10: columns is an empty list; add at least one, such as {name: year, type: integer}`},
	},
	{
		name: "columns is a mapping",
		src:  "title: T\nsource: {name: S}\ncolumns: {year: integer}\nrows: [{year: 1}]\n",
		want: []string{`data/t.yaml:3:10: columns must be a list of columns such as [{name: year, type: integer}], not a mapping`},
	},
	{
		name: "column without type",
		src:  "title: T\nsource: {name: S}\ncolumns:\n  - {name: a}\nrows: [{a: 1}]\n",
		want: []string{`data/t.yaml:4:5: missing required key "type" in column`},
	},
	{
		name: "bad type names",
		src:  "title: T\nsource: {name: S}\ncolumns:\n  - {name: a, type: numbr}\n  - {name: b, type: float}\n  - {name: c, type: money}\nrows: [{a: 1, b: 2, c: 3}]\n",
		want: []string{
			`data/t.yaml:4:21: column "a" has unknown type "numbr"; did you mean "number"?`,
			`data/t.yaml:5:21: column "b" has unknown type "float"; did you mean "number"?`,
			`data/t.yaml:6:21: column "c" has unknown type "money"; types are string, integer, number, date, bool, url`,
		},
	},
	{
		name: "bad column names",
		src:  "title: T\nsource: {name: S}\ncolumns:\n  - {name: Fiscal Year, type: integer}\n  - {name: 2nd, type: integer}\nrows: [{Fiscal Year: 1, 2nd: 2}]\n",
		want: []string{
			`data/t.yaml:4:12: column name "Fiscal Year" must be lowercase ASCII letters, digits and underscores, starting with a letter; try "fiscal_year"`,
			`data/t.yaml:5:12: column name "2nd" must be lowercase ASCII letters, digits and underscores, starting with a letter`,
		},
	},
	{
		name: "duplicate column",
		src:  "title: T\nsource: {name: S}\ncolumns:\n  - {name: a, type: integer}\n  - {name: a, type: number}\nrows: [{a: 1}]\n",
		want: []string{`data/t.yaml:5:12: duplicate column "a" (first at line 4)`},
	},
	{
		name: "column with unknown key and bad optional",
		src:  "title: T\nsource: {name: S}\ncolumns:\n  - {name: a, type: integer, lable: A, optional: maybe}\nrows: [{a: 1}]\n",
		want: []string{
			`data/t.yaml:4:30: unknown key "lable"; did you mean "label"?`,
			`data/t.yaml:4:50: optional must be true or false, not the text "maybe"`,
		},
		usable: true,
	},
	{
		name: "key names unknown columns",
		src:  "title: T\nsource: {name: S}\nkey: [yr, country, year, year]\ncolumns: [{name: year, type: integer}, {name: sales, type: number}]\nrows: [{year: 1, sales: 2}]\n",
		want: []string{
			`data/t.yaml:3:7: key names unknown column "yr"; did you mean "year"?`,
			`data/t.yaml:3:11: key names unknown column "country"; columns are year, sales`,
			`data/t.yaml:3:26: key names "year" twice (first at line 3)`,
		},
		usable: true,
	},
	{
		name:   "key is text",
		src:    "title: T\nsource: {name: S}\nkey: year\ncolumns: [{name: year, type: integer}]\nrows: [{year: 1}]\n",
		want:   []string{`data/t.yaml:3:6: key must be a list of column names such as [year], not the text "year"`},
		usable: true,
	},
	{
		name: "duplicate key",
		src: `title: T
source: {name: S}
key: [year]
columns: [{name: year, type: integer}, {name: sales, type: number}]
rows:
  - {year: 2022, sales: 1}
  - {year: 2023, sales: 2}
  - sales: 3
    year: 2022
`,
		want:   []string{`data/t.yaml:9:11: duplicate key year=2022 (first at line 6)`},
		usable: true,
	},
	{
		name: "duplicate composite key",
		src: `title: T
source: {name: S}
key: [date, event, n]
columns:
  - {name: date, type: date}
  - {name: event, type: string}
  - {name: n, type: number, optional: true}
rows:
  - {date: 2024-01-02, event: Launch, n: 1}
  - {date: 2024-01-02, event: Launch, n: 1.0}
  - {date: 2024-01-02, event: "Launch, again", n: null}
  - {date: 2024-01-02, event: "Launch, again", n: null}
`,
		want: []string{
			`data/t.yaml:10:12: duplicate key date=2024-01-02, event="Launch", n=1.0 (first at line 9)`,
			`data/t.yaml:12:12: duplicate key date=2024-01-02, event="Launch, again" (first at line 11)`,
		},
		usable: true,
	},
	{
		name: "rows problems",
		src: `title: T
source: {name: S}
columns: [{name: year, type: integer}, {name: sales, type: number}]
rows:
  - {year: 2022, sales: 1, salse: 2}
  - {year: 2023, sales: 1, country: X}
  - {year: 2024}
  - {}
  - {year: 2025, year: 2026, sales: 1}
  - 2026
  - [2027, 1]
`,
		want: []string{
			`data/t.yaml:5:28: unknown column "salse"; did you mean "sales"?`,
			`data/t.yaml:6:28: unknown column "country"; columns are year, sales`,
			`data/t.yaml:7:5: row is missing "sales"`,
			`data/t.yaml:8:5: row is missing "year" and "sales"`,
			`data/t.yaml:9:18: duplicate cell "year" (first at line 9)`,
			`data/t.yaml:10:5: row must be a mapping of column names to values such as {year: 2022}, not the number 2026`,
			`data/t.yaml:11:5: row must be a mapping of column names to values such as {year: 2022}, not a list`,
		},
		usable: true,
	},
	{
		name: "rows missing cell in block style",
		src:  "title: T\nsource: {name: S}\ncolumns: [{name: a, type: integer}, {name: b, type: integer}, {name: c, type: integer}]\nrows:\n  - a: 1\n  - b: 2\n",
		want: []string{
			`data/t.yaml:5:5: row is missing "b" and "c"`,
			`data/t.yaml:6:5: row is missing "a" and "c"`,
		},
		usable: true,
	},
	{
		name:   "rows empty",
		src:    "title: T\nsource: {name: S}\ncolumns: [{name: a, type: integer}]\nrows: []\n",
		want:   []string{`data/t.yaml:4:7: rows is an empty list; add at least one row`},
		usable: true,
	},
	{
		name:   "rows is a mapping",
		src:    "title: T\nsource: {name: S}\ncolumns: [{name: a, type: integer}]\nrows: {a: 1}\n",
		want:   []string{`data/t.yaml:4:7: rows must be a list of rows such as [{year: 2022, sales: 42}], not a mapping`},
		usable: true,
	},
	{
		name: "aliases and merge keys",
		src: `title: &t T
description: *t
source: {name: S}
columns: [{name: a, type: integer}, {name: b, type: integer}]
rows:
  - &r {a: 1, b: &two 2}
  - *r
  - {<<: *r, a: 3}
  - {a: *two, b: 4}
  - {*two : 4}
`,
		want: []string{
			`data/t.yaml:2:14: YAML aliases (*name) are not supported; write the value out`,
			`data/t.yaml:7:5: YAML aliases (*name) are not supported; write the value out`,
			`data/t.yaml:8:5: row is missing "b"`,
			`data/t.yaml:8:6: YAML merge keys (<<) are not supported; write the cells out`,
			`data/t.yaml:9:9: column "a": YAML aliases (*name) are not supported; write the value out`,
			`data/t.yaml:10:5: row is missing "a" and "b"`,
			`data/t.yaml:10:6: YAML aliases (*name) are not supported; write the value out`,
		},
		usable: true,
	},
	{
		name: "problems in columns still let rows be checked",
		src:  "title: T\nsource: {name: S}\ncolumns: [{name: a, type: integr}, {name: b, type: date}]\nrows: [{a: x, b: 2024-1-2, country: 1}]\n",
		want: []string{
			`data/t.yaml:3:27: column "a" has unknown type "integr"; did you mean "integer"?`,
			`data/t.yaml:4:18: column "b": bad date "2024-1-2": write it as YYYY-MM-DD, e.g. 2025-02-03`,
			`data/t.yaml:4:28: unknown column "country"; columns are a, b`,
		},
	},
}

func TestParseProblems(t *testing.T) {
	for _, tt := range structureTests {
		t.Run(tt.name, func(t *testing.T) {
			ds, got := parseProblems(t, tt.src)
			checkProblems(t, tt.src, got, tt.want)
			if (ds != nil) != tt.usable {
				t.Errorf("Parse returned a dataset: %v, want %v", ds != nil, tt.usable)
			}
		})
	}
}

func TestTooLarge(t *testing.T) {
	data := []byte(strings.Repeat("#", MaxSize+MaxSize/20)) // 10.5 MiB
	var probs diag.List
	if ds := Parse(testPath, data, &probs); ds != nil {
		t.Error("Parse returned a dataset for a file over the limit")
	}
	want := []string{"data/t.yaml:1: dataset is 10.5 MiB; the limit is 10 MiB"}
	var got []string
	for _, p := range probs {
		got = append(got, p.String())
	}
	checkProblems(t, "10.5 MiB of #", got, want)

	// Exactly at the limit is read. "@" cannot start a YAML token, which
	// yaml.v3 reports at once; a readable 10 MiB would slow the race
	// detector for many seconds.
	probs = nil
	Parse(testPath, append([]byte("@"), bytes.Repeat([]byte("x"), MaxSize-1)...), &probs)
	if len(probs) != 1 || !strings.Contains(probs[0].Msg, "invalid YAML") {
		t.Errorf("at the limit: got %v, want it read", probs)
	}
}
