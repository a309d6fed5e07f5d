package dataset

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/folio-ssg/folio/internal/diag"
)

// FuzzParse checks that no input makes Parse panic, that every problem has
// a position in the file it was given, and that a dataset Parse returns is
// whole: every row has a cell per column, and the exports are valid.
func FuzzParse(f *testing.F) {
	files, err := filepath.Glob("testdata/*.yaml")
	if err != nil || len(files) == 0 {
		f.Fatalf("no seeds in testdata: %v", err)
	}
	for _, file := range files {
		data, err := os.ReadFile(file)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	for _, tt := range structureTests {
		f.Add([]byte(tt.src))
	}
	for _, tt := range badCellTests {
		f.Add([]byte(oneCell(tt.column, tt.value)))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		var probs diag.List
		ds := Parse(testPath, data, &probs)
		for _, p := range probs {
			if p.Path != testPath || p.Line < 1 || p.Msg == "" {
				t.Errorf("problem without a position or message: %#v", p)
			}
		}
		if ds == nil {
			if len(probs) == 0 {
				t.Error("Parse returned nil without a problem")
			}
			return
		}
		for _, r := range ds.Rows {
			if len(r.Cells) != len(ds.Columns) || r.Line < 1 {
				t.Fatalf("row at %d:%d has %d cells for %d columns", r.Line, r.Col, len(r.Cells), len(ds.Columns))
			}
			for j, c := range r.Cells {
				if c.Line < 1 {
					t.Errorf("cell %s at line %d", ds.Columns[j].Name, c.Line)
				}
				_ = ds.Format(j, c)
			}
		}
		if out := ds.JSON(); !json.Valid(out) {
			t.Errorf("invalid JSON:\n%s", out)
		}
		_ = ds.CSV()
	})
}
