package dataset

import (
	"testing"
	"time"
)

func TestFormat(t *testing.T) {
	ds := &Dataset{Columns: []Column{
		{Name: "year", Type: Integer},
		{Name: "count", Type: Integer},
		{Name: "money", Type: Integer, Prefix: "$", Suffix: "bn"},
		{Name: "sales", Type: Number, Prefix: "$", Suffix: "bn"},
		{Name: "share", Type: Number, Suffix: "%"},
		{Name: "day", Type: Date},
		{Name: "ok", Type: Bool},
		{Name: "name", Type: String, Prefix: "$"},
		{Name: "link", Type: URL},
	}}
	day := func(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }
	tests := []struct {
		col  int
		cell Cell
		want string
	}{
		{0, Cell{Raw: "2022", Int: 2022}, "2022"},
		{0, Cell{Raw: "9999", Int: 9999}, "9999"},
		{0, Cell{Raw: "-9999", Int: -9999}, "−9999"},
		{1, Cell{Raw: "10000", Int: 10000}, "10,000"},
		{1, Cell{Raw: "1234567", Int: 1234567}, "1,234,567"},
		{1, Cell{Raw: "-12345", Int: -12345}, "−12,345"},
		{1, Cell{Raw: "0", Int: 0}, "0"},
		{1, Cell{Int: 12345}, "12,345"}, // built by hand, without Raw
		{1, Cell{Raw: "-9223372036854775808", Int: -9223372036854775808}, "−9,223,372,036,854,775,808"},
		{2, Cell{Raw: "1234", Int: 1234}, "$1234bn"},
		{2, Cell{Raw: "-5", Int: -5}, "−$5bn"},
		{3, Cell{Raw: "115.2", Num: 115.2}, "$115.2bn"},
		{3, Cell{Raw: "15.0", Num: 15}, "$15.0bn"},
		{3, Cell{Raw: "42", Num: 42}, "$42bn"},
		{3, Cell{Raw: "-47.25", Num: -47.25}, "−$47.25bn"},
		{3, Cell{Raw: "1234.5", Num: 1234.5}, "$1,234.5bn"},
		{3, Cell{Raw: "999.99", Num: 999.99}, "$999.99bn"},
		{4, Cell{Raw: "1234567.125", Num: 1234567.125}, "1,234,567.125%"},
		{4, Cell{Raw: "1.5e3", Num: 1500}, "1,500%"},
		{4, Cell{Raw: "2.5E-3", Num: 0.0025}, "0.0025%"},
		{4, Cell{Raw: "1.5e24", Num: 1.5e24}, "1.5 × 10²⁴%"},
		{4, Cell{Raw: "-2e-7", Num: -2e-7}, "−2 × 10⁻⁷%"},
		{4, Cell{Num: 0.5}, "0.5%"}, // built by hand
		{5, Cell{Raw: "2025-01-02", Date: day(2025, 1, 2)}, "2 January 2025"},
		{5, Cell{Raw: "2024-02-29", Date: day(2024, 2, 29)}, "29 February 2024"},
		{6, Cell{Raw: "true", Bool: true}, "yes"},
		{6, Cell{Raw: "false"}, "no"},
		{7, Cell{Raw: "1234567"}, "1234567"},
		{8, Cell{Raw: "https://example.org/?a=1&b=2"}, "https://example.org/?a=1&b=2"},
		{0, Cell{Null: true}, "–"},
		{3, Cell{Null: true}, "–"},
		{7, Cell{Null: true}, "–"},
		{-1, Cell{Raw: "x"}, "x"},
		{99, Cell{Raw: "x"}, "x"},
	}
	for _, tt := range tests {
		if got := ds.Format(tt.col, tt.cell); got != tt.want {
			t.Errorf("Format(%s, %+v) = %q, want %q", ds.Columns[max(0, min(tt.col, len(ds.Columns)-1))].Name, tt.cell, got, tt.want)
		}
	}
}
