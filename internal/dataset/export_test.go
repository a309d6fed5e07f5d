package dataset

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"flag"
	"math"
	"os"
	"slices"
	"testing"
	"time"

	"github.com/folio-ssg/folio/internal/diag"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// golden compares got with testdata/name, or rewrites it with -update.
func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	file := "testdata/" + name
	if *update {
		if err := os.WriteFile(file, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from the golden file (run go test -update and read the diff):\ngot:\n%s\nwant:\n%s", file, got, want)
	}
}

func sample(t *testing.T) *Dataset {
	t.Helper()
	data, err := os.ReadFile("testdata/sample.yaml")
	if err != nil {
		t.Fatal(err)
	}
	var probs diag.List
	ds := Parse("data/sample.yaml", data, &probs)
	if ds == nil || len(probs) > 0 {
		t.Fatalf("Parse: %v", probs)
	}
	return ds
}

func TestCSV(t *testing.T) {
	ds := &Dataset{
		Columns: []Column{
			{Name: "text", Type: String, Optional: true},
			{Name: "n", Type: Number, Optional: true},
			{Name: "day", Type: Date},
			{Name: "ok", Type: Bool},
		},
	}
	day := time.Date(2025, 1, 2, 0, 0, 0, 0, time.UTC)
	for _, s := range []string{"=1+2", "+44 20 7946 0000", "-x", "@SUM(A1)", "\tTab", "\rCR", "a,b", `say "hi"`, "two\nlines", "plain", "", "'quoted'"} {
		ds.Rows = append(ds.Rows, Row{Cells: []Cell{
			{Raw: s},
			{Raw: "-5", Num: -5},
			{Raw: "2025-01-02", Date: day},
			{Raw: "true", Bool: true},
		}})
	}
	ds.Rows = append(ds.Rows, Row{Cells: []Cell{{Null: true}, {Null: true}, {Raw: "2025-01-02", Date: day}, {Raw: "false"}}})
	want := "text,n,day,ok\r\n" +
		"'=1+2,-5,2025-01-02,true\r\n" +
		"'+44 20 7946 0000,-5,2025-01-02,true\r\n" +
		"'-x,-5,2025-01-02,true\r\n" +
		"'@SUM(A1),-5,2025-01-02,true\r\n" +
		"'\tTab,-5,2025-01-02,true\r\n" +
		"\"'CR\",-5,2025-01-02,true\r\n" + // encoding/csv drops a lone CR in CRLF mode

		"\"a,b\",-5,2025-01-02,true\r\n" +
		"\"say \"\"hi\"\"\",-5,2025-01-02,true\r\n" +
		"\"two\r\nlines\",-5,2025-01-02,true\r\n" +
		"plain,-5,2025-01-02,true\r\n" +
		",-5,2025-01-02,true\r\n" +
		"'quoted',-5,2025-01-02,true\r\n" +
		",,2025-01-02,false\r\n"
	got := ds.CSV()
	if string(got) != want {
		t.Errorf("CSV:\ngot  %q\nwant %q", got, want)
	}
	records, err := csv.NewReader(bytes.NewReader(got)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(records) != len(ds.Rows)+1 || records[9][0] != "two\nlines" || records[8][0] != `say "hi"` {
		t.Errorf("CSV does not read back: %q", records)
	}
}

func TestSampleCSV(t *testing.T) {
	golden(t, "sample.csv", sample(t).CSV())
}

func TestSampleJSON(t *testing.T) {
	ds := sample(t)
	got := ds.JSON()
	golden(t, "sample.json", got)
	if !bytes.Equal(got, ds.JSON()) {
		t.Error("JSON is not deterministic")
	}

	// The JSON reads back with the digits and values as written.
	var back struct {
		Name    string
		Source  struct{ Retrieved string }
		Columns []struct{ Name, Type, Label, Unit string }
		Rows    []map[string]any
	}
	dec := json.NewDecoder(bytes.NewReader(got))
	dec.UseNumber()
	if err := dec.Decode(&back); err != nil {
		t.Fatal(err)
	}
	if back.Name != "sample" || back.Source.Retrieved != "2025-01-20" || len(back.Columns) != 7 || back.Columns[2].Unit != "US$ bn" {
		t.Errorf("metadata read back as %+v", back)
	}
	if len(back.Rows) != len(ds.Rows) {
		t.Fatalf("%d rows read back, want %d", len(back.Rows), len(ds.Rows))
	}
	for i, r := range ds.Rows {
		for j, c := range r.Cells {
			col := ds.Columns[j]
			var want any = c.Raw
			switch {
			case c.Null:
				want = nil
			case col.Type == Integer || col.Type == Number:
				want = json.Number(c.Raw) // "15.0" stays "15.0"
			case col.Type == Bool:
				want = c.Bool
			}
			if got := back.Rows[i][col.Name]; got != want {
				t.Errorf("row %d %s read back as %#v, want %#v", i, col.Name, got, want)
			}
		}
	}
}

// Keys of each row come in column order, not sorted as a map's would.
func TestJSONRowOrder(t *testing.T) {
	ds := &Dataset{
		Name:    "t",
		Columns: []Column{{Name: "z", Type: Integer}, {Name: "a", Type: String}},
		Rows:    []Row{{Cells: []Cell{{Raw: "1", Int: 1}, {Raw: "<b>"}}}},
	}
	got := string(ds.JSON())
	want := `{
  "name": "t",
  "title": "",
  "source": {
    "name": ""
  },
  "illustrative": false,
  "columns": [
    {
      "name": "z",
      "type": "integer"
    },
    {
      "name": "a",
      "type": "string"
    }
  ],
  "rows": [
    {
      "z": 1,
      "a": "\u003cb\u003e"
    }
  ]
}
`
	if got != want {
		t.Errorf("JSON:\n%s\nwant:\n%s", got, want)
	}
}

// Cells built by hand (not by Parse) cannot make the exports invalid.
func TestExportHandBuiltCells(t *testing.T) {
	ds := &Dataset{
		Columns: []Column{{Name: "x", Type: Number}, {Name: "y", Type: Integer}, {Name: "d", Type: Date}},
		Rows: []Row{
			{Cells: []Cell{{Num: math.NaN()}, {Int: 7}, {Raw: "2025-01-02"}}},
			{Cells: []Cell{{Num: 1e21}}}, // too few cells
		},
	}
	out := ds.JSON()
	if !json.Valid(out) {
		t.Fatalf("invalid JSON:\n%s", out)
	}
	var back struct{ Rows []map[string]any }
	if err := json.Unmarshal(out, &back); err != nil {
		t.Fatal(err)
	}
	want := []map[string]any{{"x": nil, "y": 7.0, "d": "2025-01-02"}, {"x": 1e21, "y": nil, "d": nil}}
	if !slices.EqualFunc(back.Rows, want, func(a, b map[string]any) bool {
		return len(a) == len(b) && a["x"] == b["x"] && a["y"] == b["y"] && a["d"] == b["d"]
	}) {
		t.Errorf("rows = %v, want %v", back.Rows, want)
	}
	if got, want := string(ds.CSV()), "x,y,d\r\n,7,2025-01-02\r\n1e+21,,\r\n"; got != want {
		t.Errorf("CSV = %q, want %q", got, want)
	}
}
