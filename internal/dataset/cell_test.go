package dataset

import (
	"math"
	"testing"
	"time"
)

// oneCell returns a dataset with one column c declared as {name: c, type:
// <column>} and one block-style row whose only cell, at 5:8, is value.
func oneCell(column, value string) string {
	return "title: T\nsource: {name: S}\ncolumns: [{name: c, type: " + column + "}]\nrows:\n  - c: " + value + "\n"
}

const at = "data/t.yaml:5:8: "

// Cells of the wrong type, each with its exact message.
var badCellTests = []struct {
	column, value, want string
}{
	// integer
	{"integer", `"42"`, at + `column "c" holds integers, not the quoted text "42"; write 42 without quotes`},
	{"integer", `'017'`, at + `column "c" holds integers, not the quoted text "017"; write 17 without quotes`},
	{"integer", `abc`, at + `column "c" holds integers, not the text "abc"; write a whole number such as 42`},
	{"integer", `017`, at + `column "c": leading zeros are not allowed (017); write 17`},
	{"integer", `-007`, at + `column "c": leading zeros are not allowed (-007); write -7`},
	{"integer", `0o17`, at + `column "c": octal numbers are not allowed (0o17); write 15`},
	{"integer", `0x1F`, at + `column "c": hexadecimal numbers are not allowed (0x1F); write 31`},
	{"integer", `-0b101`, at + `column "c": binary numbers are not allowed (-0b101); write -5`},
	{"integer", `1_000`, at + `column "c": digit separators are not allowed (1_000); write 1000`},
	{"integer", `+5`, at + `column "c": a plus sign is not allowed (+5); write 5`},
	{"integer", `+1_000`, at + `column "c": a plus sign is not allowed (+1_000); write 1000`},
	{"integer", `1e3`, at + `column "c" holds integers, not the number 1e3; write 1000`},
	{"integer", `4.0`, at + `column "c" holds integers, not the number 4.0; write 4`},
	{"integer", `4.5`, at + `column "c" holds integers, not the number 4.5; set type: number on the column to allow decimals`},
	{"integer", `5.`, at + `column "c": a decimal point must be followed by a digit (5.); write 5`},
	{"integer", `9223372036854775808`, at + `column "c": 9223372036854775808 is out of range; integers must lie between -9223372036854775808 and 9223372036854775807`},
	{"integer", `-9223372036854775809`, at + `column "c": -9223372036854775809 is out of range; integers must lie between -9223372036854775808 and 9223372036854775807`},
	{"integer", `1e30`, at + `column "c": 1e30 is out of range; integers must lie between -9223372036854775808 and 9223372036854775807`},
	{"integer", `0x8000000000000000`, at + `column "c": 0x8000000000000000 is out of range; integers must lie between -9223372036854775808 and 9223372036854775807`},
	{"integer", `0x10000000000000000`, at + `column "c": hexadecimal numbers are not allowed (0x10000000000000000)`},
	{"integer", `1e17`, at + `column "c" holds integers, not the number 1e17; write 100000000000000000`},
	{"integer", `1.5e1`, at + `column "c" holds integers, not the number 1.5e1; write 15`},
	{"integer", `15e-1`, at + `column "c" holds integers, not the number 15e-1; set type: number on the column to allow decimals`},
	{"integer", `1e99999999999999999999`, at + `column "c": 1e99999999999999999999 is out of range; integers must lie between -9223372036854775808 and 9223372036854775807`},
	{"integer", `1e-99999999999999999999`, at + `column "c" holds integers, not the number 1e-99999999999999999999; set type: number on the column to allow decimals`},
	{"integer", `"4.0"`, at + `column "c" holds integers, not the quoted text "4.0"; write 4 without quotes`},
	{"integer", `.nan`, at + `column "c": not a number (.nan) is not allowed; use null in an optional column`},
	{"integer", `-.inf`, at + `column "c": infinity (-.inf) is not allowed; use null in an optional column`},
	{"integer", `true`, at + `column "c" holds integers, not true; write a whole number such as 42`},
	{"integer", `null`, at + `column "c" is not optional, so it cannot be null; write a value or add optional: true to the column`},
	{"integer", `~`, at + `column "c" is not optional, so it cannot be null; write a value or add optional: true to the column`},
	{"integer", `[1, 2]`, at + `column "c" holds integers, not a list; write a whole number such as 42`},
	{"integer", `{v: 1}`, at + `column "c" holds integers, not a mapping; write a whole number such as 42`},
	{"integer", `!!int 42`, at + `column "c": YAML tags (!!int) are not supported; write the value without the tag`},
	{"integer", `!!str 42`, at + `column "c": YAML tags (!!str) are not supported; write the value without the tag`},

	// number
	{"number", `"3.5"`, at + `column "c" holds numbers, not the quoted text "3.5"; write 3.5 without quotes`},
	{"number", `.5`, at + `column "c": a number must start with a digit, not a decimal point (.5); write 0.5`},
	{"number", `-.5`, at + `column "c": a number must start with a digit, not a decimal point (-.5); write -0.5`},
	{"number", `007.5`, at + `column "c": leading zeros are not allowed (007.5); write 7.5`},
	{"number", `1_234.5`, at + `column "c": digit separators are not allowed (1_234.5); write 1234.5`},
	{"number", `+2.5e3`, at + `column "c": a plus sign is not allowed (+2.5e3); write 2.5e3`},
	{"number", `0x10`, at + `column "c": hexadecimal numbers are not allowed (0x10); write 16`},
	{"number", `.nan`, at + `column "c": not a number (.nan) is not allowed; use null in an optional column`},
	{"number", `.NaN`, at + `column "c": not a number (.NaN) is not allowed; use null in an optional column`},
	{"number", `.inf`, at + `column "c": infinity (.inf) is not allowed; use null in an optional column`},
	{"number", `-.Inf`, at + `column "c": infinity (-.Inf) is not allowed; use null in an optional column`},
	{"number", `1e400`, at + `column "c": 1e400 is too large for a number`},
	{"number", `1,5`, at + `column "c" holds numbers, not the text "1,5"; write a number such as 42 or 3.5`},
	{"number", `12%`, at + `column "c" holds numbers, not the text "12%"; write a number such as 42 or 3.5`},
	{"number", "|\n      42", at + `column "c" holds numbers, not the text "42\n"; write a number such as 42 or 3.5`},

	// date
	{"date", `"2024-01-02"`, at + `column "c" holds dates, not the quoted text "2024-01-02"; write the date without quotes`},
	{"date", `'soon'`, at + `column "c" holds dates, not the quoted text "soon"; write it as YYYY-MM-DD without quotes, e.g. 2025-02-03`},
	{"date", `2024-1-2`, at + `column "c": bad date "2024-1-2": write it as YYYY-MM-DD, e.g. 2025-02-03`},
	{"date", `2024-02-30`, at + `column "c": bad date "2024-02-30": February 2024 has no day 30`},
	{"date", `2023-02-29`, at + `column "c": bad date "2023-02-29": February 2023 has no day 29`},
	{"date", `2024-13-01`, at + `column "c": bad date "2024-13-01": there is no month 13`},
	{"date", `2024-01-02T10:00:00Z`, at + `column "c": bad date "2024-01-02T10:00:00Z": write it as YYYY-MM-DD, e.g. 2025-02-03`},
	{"date", `2024`, at + `column "c": bad date "2024": write it as YYYY-MM-DD, e.g. 2025-02-03`},

	// bool
	{"bool", `yes`, at + `column "c" holds true or false, not the text "yes"; write true`},
	{"bool", `off`, at + `column "c" holds true or false, not the text "off"; write false`},
	{"bool", `True`, at + `column "c" holds true or false, not True; write true`},
	{"bool", `"false"`, at + `column "c" holds true or false, not the quoted text "false"; write false without quotes`},
	{"bool", `1`, at + `column "c" holds true or false, not the number 1; write true or false`},

	// string
	{"string", `2022`, at + `column "c" holds text; quote the number 2022 as "2022"`},
	{"string", `1.5`, at + `column "c" holds text; quote the number 1.5 as "1.5"`},
	{"string", `true`, at + `column "c" holds text; quote true as "true"`},
	{"string", `2024-01-02`, at + `column "c" holds text; quote the date 2024-01-02 as "2024-01-02"`},
	{"string", `null`, at + `column "c" is not optional, so it cannot be null; write a value or add optional: true to the column`},
	{"string", `{a: b}`, at + `column "c" holds text, not a mapping; put text in quotes`},
	{"string", `!!binary aGk=`, at + `column "c": YAML tags (!!binary) are not supported; write the value without the tag`},

	// url
	{"url", `javascript:alert(1)`, at + `column "c": "javascript:alert(1)" is not an absolute http or https URL such as https://example.org/`},
	{"url", `/about/`, at + `column "c": "/about/" is not an absolute http or https URL such as https://example.org/`},
	{"url", `example.org`, at + `column "c": "example.org" is not an absolute http or https URL such as https://example.org/`},
	{"url", `https://`, at + `column "c": "https://" is not an absolute http or https URL such as https://example.org/`},
	{"url", `ftp://example.org/f`, at + `column "c": "ftp://example.org/f" is not an absolute http or https URL such as https://example.org/`},
	{"url", `"https://example.org/a b"`, at + `column "c": "https://example.org/a b" is not an absolute http or https URL such as https://example.org/`},
	{"url", `42`, at + `column "c" holds URLs, not the number 42; write a full URL such as https://example.org/`},
}

func TestBadCells(t *testing.T) {
	for _, tt := range badCellTests {
		t.Run(tt.column+"/"+tt.value, func(t *testing.T) {
			src := oneCell(tt.column, tt.value)
			ds, got := parseProblems(t, src)
			checkProblems(t, src, got, []string{tt.want})
			if ds == nil || len(ds.Rows) != 0 {
				t.Errorf("want a dataset without rows, got %+v", ds)
			}
		})
	}
}

// Cells as written and as typed.
var goodCellTests = []struct {
	column, value string
	want          Cell
}{
	{"integer", `42`, Cell{Raw: "42", Int: 42, Num: 42}},
	{"integer", `0`, Cell{Raw: "0", Num: 0}},
	{"integer", `-17`, Cell{Raw: "-17", Int: -17, Num: -17}},
	{"integer", `9223372036854775807`, Cell{Raw: "9223372036854775807", Int: math.MaxInt64, Num: math.MaxInt64}},
	{"integer", `-9223372036854775808`, Cell{Raw: "-9223372036854775808", Int: math.MinInt64, Num: math.MinInt64}},
	{"integer, optional: true", `null`, Cell{Null: true}},
	{"integer, optional: true", ``, Cell{Null: true}},
	{"number", `15.0`, Cell{Raw: "15.0", Num: 15}},
	{"number", `-0.25`, Cell{Raw: "-0.25", Num: -0.25}},
	{"number", `1.5e9`, Cell{Raw: "1.5e9", Num: 1.5e9}},
	{"number", `2E-3`, Cell{Raw: "2E-3", Num: 0.002}},
	{"number", `12345678901234567890`, Cell{Raw: "12345678901234567890", Num: 12345678901234567890}},
	{"number, optional: true", `~`, Cell{Null: true}},
	{"date", `2024-02-29`, Cell{Raw: "2024-02-29", Date: time.Date(2024, 2, 29, 0, 0, 0, 0, time.UTC)}},
	{"bool", `true`, Cell{Raw: "true", Bool: true}},
	{"bool", `false`, Cell{Raw: "false"}},
	{"string", `plain text`, Cell{Raw: "plain text"}},
	{"string", `"2022"`, Cell{Raw: "2022"}},
	{"string", `'null'`, Cell{Raw: "null"}},
	{"string", `""`, Cell{Raw: ""}},
	{"string", `!!str 2022`, Cell{Raw: "2022"}},
	{"string", ">-\n      folded\n      text", Cell{Raw: "folded text"}},
	{"string, optional: true", `null`, Cell{Null: true}},
	{"url", `https://example.org/a?b=c#d`, Cell{Raw: "https://example.org/a?b=c#d"}},
	{"url", `HTTP://EXAMPLE.ORG`, Cell{Raw: "HTTP://EXAMPLE.ORG"}},
}

func TestGoodCells(t *testing.T) {
	for _, tt := range goodCellTests {
		t.Run(tt.column+"/"+tt.value, func(t *testing.T) {
			src := oneCell(tt.column, tt.value)
			ds, got := parseProblems(t, src)
			checkProblems(t, src, got, nil)
			if ds == nil || len(ds.Rows) != 1 {
				t.Fatalf("want one row, got %+v", ds)
			}
			c := ds.Rows[0].Cells[0]
			want := tt.want
			want.Line, want.Col = 5, 8
			if tt.value == "" {
				// An empty value is where the key's line ends.
				want.Col = 7
			}
			if !rowEqual(Row{Cells: []Cell{c}}, Row{Cells: []Cell{want}}) {
				t.Errorf("got  %+v\nwant %+v", c, want)
			}
		})
	}
}
