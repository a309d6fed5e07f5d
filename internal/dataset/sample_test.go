package dataset

import (
	"os"
	"slices"
	"testing"
	"time"

	"github.com/folio-ssg/folio/internal/diag"
)

// TestParseSample checks the typed values and positions Parse gives for
// testdata/sample.yaml, which holds a column of every type.
func TestParseSample(t *testing.T) {
	data, err := os.ReadFile("testdata/sample.yaml")
	if err != nil {
		t.Fatal(err)
	}
	var probs diag.List
	ds := Parse("data/sample.yaml", data, &probs)
	if len(probs) > 0 || ds == nil {
		t.Fatalf("Parse: %v", probs)
	}
	if ds.Name != "sample" || ds.Path != "data/sample.yaml" {
		t.Errorf("Name, Path = %q, %q", ds.Name, ds.Path)
	}
	if ds.Title != "Sample of every column type" || ds.License != "CC0 1.0" ||
		ds.Notes != "Notes with a colon: fine when quoted." || !ds.Illustrative {
		t.Errorf("metadata = %q, %q, %q, %v", ds.Title, ds.License, ds.Notes, ds.Illustrative)
	}
	wantSource := Source{Name: "Folio test suite", URL: "https://example.org/data", Retrieved: time.Date(2025, 1, 20, 0, 0, 0, 0, time.UTC)}
	if ds.Source != wantSource {
		t.Errorf("Source = %+v, want %+v", ds.Source, wantSource)
	}
	if !slices.Equal(ds.Key, []string{"year", "country"}) {
		t.Errorf("Key = %q", ds.Key)
	}
	wantCols := []Column{
		{Name: "year", Label: "Year", Type: Integer, Line: 13, Col: 5},
		{Name: "country", Label: "Country", Type: String, Line: 14, Col: 5},
		{Name: "revenue", Label: "Revenue", Unit: "US$ bn", Prefix: "$", Suffix: "bn", Type: Number, Line: 15, Col: 5},
		{Name: "units", Label: "units", Type: Integer, Optional: true, Line: 16, Col: 5},
		{Name: "launched", Label: "launched", Type: Date, Optional: true, Line: 17, Col: 5},
		{Name: "export_ok", Label: "Exports allowed", Type: Bool, Line: 18, Col: 5},
		{Name: "link", Label: "link", Type: URL, Optional: true, Line: 19, Col: 5},
	}
	if !slices.Equal(ds.Columns, wantCols) {
		t.Errorf("Columns:\ngot  %+v\nwant %+v", ds.Columns, wantCols)
	}
	if got := ds.ColumnIndex("export_ok"); got != 5 {
		t.Errorf("ColumnIndex(export_ok) = %d, want 5", got)
	}
	if got := ds.ColumnIndex("nope"); got != -1 {
		t.Errorf("ColumnIndex(nope) = %d, want -1", got)
	}
	if len(ds.Rows) != 4 {
		t.Fatalf("got %d rows, want 4", len(ds.Rows))
	}
	day := func(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }
	first := Row{Line: 21, Col: 5, Cells: []Cell{
		{Raw: "2022", Int: 2022, Num: 2022, Line: 21, Col: 12},
		{Raw: "United States", Line: 21, Col: 27},
		{Raw: "15.0", Num: 15, Line: 21, Col: 51},
		{Raw: "1234567", Int: 1234567, Num: 1234567, Line: 21, Col: 64},
		{Raw: "2022-10-07", Date: day(2022, 10, 7), Line: 21, Col: 83},
		{Raw: "true", Bool: true, Line: 21, Col: 106},
		{Raw: "https://example.org/a", Line: 21, Col: 118},
	}}
	if !slices.EqualFunc([]Row{ds.Rows[0]}, []Row{first}, rowEqual) {
		t.Errorf("first row:\ngot  %+v\nwant %+v", ds.Rows[0], first)
	}
	second := Row{Line: 22, Col: 5, Cells: []Cell{
		{Raw: "2023", Int: 2023, Num: 2023, Line: 22, Col: 11},
		{Raw: `=HYPERLINK("http://evil.example")`, Line: 23, Col: 14},
		{Raw: "-47.25", Num: -47.25, Line: 24, Col: 14},
		{Null: true, Line: 25, Col: 12},
		{Null: true, Line: 26, Col: 15},
		{Raw: "false", Line: 27, Col: 16},
		{Null: true, Line: 28, Col: 11},
	}}
	if !rowEqual(ds.Rows[1], second) {
		t.Errorf("second row:\ngot  %+v\nwant %+v", ds.Rows[1], second)
	}
	if c := ds.Rows[2].Cells[2]; c.Raw != "1.5e3" || c.Num != 1500 {
		t.Errorf("1.5e3 read as %+v", c)
	}
	if c := ds.Rows[2].Cells[4]; !c.Date.Equal(day(2024, 2, 29)) || c.Date.Location() != time.UTC {
		t.Errorf("2024-02-29 read as %+v", c)
	}
	if c := ds.Rows[3].Cells[1]; c.Raw != "Multi-line\n\"quoted\" <name> & more" {
		t.Errorf("block text read as %q", c.Raw)
	}
}

func rowEqual(a, b Row) bool {
	return a.Line == b.Line && a.Col == b.Col && slices.EqualFunc(a.Cells, b.Cells, func(x, y Cell) bool {
		return x.Null == y.Null && x.Raw == y.Raw && x.Int == y.Int && x.Num == y.Num &&
			x.Date.Equal(y.Date) && x.Bool == y.Bool && x.Line == y.Line && x.Col == y.Col
	})
}

// A row with a bad cell is left out; the others are kept.
func TestParseKeepsValidRows(t *testing.T) {
	src := "title: T\nsource: {name: S}\ncolumns: [{name: a, type: integer}]\nrows: [{a: 1}, {a: x}, {a: 3}]\n"
	ds, got := parseProblems(t, src)
	checkProblems(t, src, got, []string{`data/t.yaml:4:20: column "a" holds integers, not the text "x"; write a whole number such as 42`})
	if ds == nil || len(ds.Rows) != 2 || ds.Rows[0].Cells[0].Int != 1 || ds.Rows[1].Cells[0].Int != 3 {
		t.Errorf("rows = %+v, want a=1 and a=3", ds)
	}
}
