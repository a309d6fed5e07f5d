package dataset

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"math"
	"strconv"
	"strings"
	"time"
)

// CSV returns the dataset as RFC 4180 CSV (CRLF line ends, fields quoted
// where needed): a header of column names, then one record per row holding
// the cells as written. Dates are YYYY-MM-DD, bools true or false, and null
// cells empty. Line breaks inside text become CRLF too, and a lone carriage
// return (which YAML gives only for a "\r" escape) is dropped, as
// encoding/csv does in CRLF mode.
//
// A text cell that begins with =, +, -, @, a tab or a carriage return gets
// a leading apostrophe ('=SUM(A1)), because spreadsheets run such cells as
// formulas when they open a CSV file (CSV injection), and data may come
// from anyone. Numbers are never changed: -5 stays -5.
func (d *Dataset) CSV() []byte {
	var b bytes.Buffer
	w := csv.NewWriter(&b)
	w.UseCRLF = true
	record := make([]string, len(d.Columns))
	for j, c := range d.Columns {
		record[j] = c.Name
	}
	// Writing to a bytes.Buffer cannot fail, and the fields need no
	// checking: encoding/csv quotes whatever needs quoting.
	_ = w.Write(record)
	for _, r := range d.Rows {
		for j := range record {
			record[j] = ""
			if j < len(r.Cells) {
				record[j] = d.text(j, r.Cells[j])
			}
		}
		_ = w.Write(record)
	}
	w.Flush()
	return b.Bytes()
}

// text returns cell c of column j as plain text for export: the digits of
// numbers as written, dates as YYYY-MM-DD, bools as true or false, and ""
// for null. Text that spreadsheets would run as a formula is defused.
func (d *Dataset) text(j int, c Cell) string {
	if c.Null {
		return ""
	}
	switch d.Columns[j].Type {
	case Integer:
		if intRE.MatchString(c.Raw) {
			return c.Raw
		}
		return strconv.FormatInt(c.Int, 10)
	case Number:
		if numberRE.MatchString(c.Raw) {
			return c.Raw
		}
		if math.IsNaN(c.Num) || math.IsInf(c.Num, 0) {
			return "" // only a Cell built by hand can hold these
		}
		return strconv.FormatFloat(c.Num, 'g', -1, 64)
	case Date:
		if c.Date.IsZero() {
			return c.Raw
		}
		return c.Date.Format(time.DateOnly)
	case Bool:
		return strconv.FormatBool(c.Bool)
	case String:
		if c.Raw != "" && strings.ContainsRune("=+-@\t\r", rune(c.Raw[0])) {
			return "'" + c.Raw
		}
	}
	return c.Raw
}

// JSON returns the dataset as indented JSON ending in a newline:
//
//	{
//	  "name": "ai_chip_sales",
//	  "title": "...",
//	  "description": "...",
//	  "source": {"name": "...", "url": "...", "retrieved": "2025-01-20"},
//	  "license": "...",
//	  "notes": "...",
//	  "illustrative": false,
//	  "columns": [{"name": "year", "type": "integer", "label": "Year", "unit": "..."}],
//	  "rows": [{"year": 2022, "sales": 42}]
//	}
//
// Empty optional strings are left out; illustrative is always present.
// Each row's keys are in column order; numbers keep the digits as written
// (15.0 stays 15.0), dates are "YYYY-MM-DD" strings and null cells null.
// Text is escaped as encoding/json does, so the output is safe to embed
// in HTML.
func (d *Dataset) JSON() []byte {
	out := jsonDataset{
		Name:        d.Name,
		Title:       d.Title,
		Description: d.Description,
		Source: jsonSource{
			Name: d.Source.Name,
			URL:  d.Source.URL,
		},
		License:      d.License,
		Notes:        d.Notes,
		Illustrative: d.Illustrative,
		Columns:      make([]jsonColumn, len(d.Columns)),
		Rows:         make([]jsonRow, len(d.Rows)),
	}
	if !d.Source.Retrieved.IsZero() {
		out.Source.Retrieved = d.Source.Retrieved.Format(time.DateOnly)
	}
	for j, c := range d.Columns {
		out.Columns[j] = jsonColumn{Name: c.Name, Type: c.Type, Label: c.Label, Unit: c.Unit}
	}
	for i, r := range d.Rows {
		out.Rows[i] = jsonRow{d, r}
	}
	b, err := json.MarshalIndent(out, "", "  ")
	if err != nil {
		// Every value above is a string, a bool or a jsonRow, whose
		// MarshalJSON only writes valid JSON.
		panic("dataset: cannot encode JSON: " + err.Error())
	}
	return append(b, '\n')
}

type jsonDataset struct {
	Name         string       `json:"name"`
	Title        string       `json:"title"`
	Description  string       `json:"description,omitempty"`
	Source       jsonSource   `json:"source"`
	License      string       `json:"license,omitempty"`
	Notes        string       `json:"notes,omitempty"`
	Illustrative bool         `json:"illustrative"`
	Columns      []jsonColumn `json:"columns"`
	Rows         []jsonRow    `json:"rows"`
}

type jsonSource struct {
	Name      string `json:"name"`
	URL       string `json:"url,omitempty"`
	Retrieved string `json:"retrieved,omitempty"`
}

type jsonColumn struct {
	Name  string `json:"name"`
	Type  Type   `json:"type"`
	Label string `json:"label,omitempty"`
	Unit  string `json:"unit,omitempty"`
}

// jsonRow writes a row as an object whose keys are in column order, which
// a Go map would not keep.
type jsonRow struct {
	d *Dataset
	r Row
}

func (jr jsonRow) MarshalJSON() ([]byte, error) {
	var b bytes.Buffer
	b.WriteByte('{')
	for j, col := range jr.d.Columns {
		if j > 0 {
			b.WriteByte(',')
		}
		name, _ := json.Marshal(col.Name)
		b.Write(name)
		b.WriteByte(':')
		var c Cell
		if j < len(jr.r.Cells) {
			c = jr.r.Cells[j]
		} else {
			c.Null = true
		}
		switch {
		case c.Null:
			b.WriteString("null")
		case col.Type == Integer, col.Type == Number:
			// The export text of a number is valid JSON as is: numberRE
			// is JSON's number syntax.
			// A Cell built by hand may hold NaN, which JSON cannot.
			t := jr.d.text(j, c)
			if !numberRE.MatchString(t) {
				t = "null"
			}
			b.WriteString(t)
		case col.Type == Bool:
			b.WriteString(strconv.FormatBool(c.Bool))
		default:
			s, _ := json.Marshal(c.Raw)
			if col.Type == Date {
				s, _ = json.Marshal(jr.d.text(j, c))
			}
			b.Write(s)
		}
	}
	b.WriteByte('}')
	return b.Bytes(), nil
}
