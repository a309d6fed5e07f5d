// Package dataset reads the YAML datasets under data/ into typed tables in
// which every cell knows its line and column, and writes them out again as
// CSV and JSON for readers to download.
//
// # The format
//
// A dataset is one file, data/<name>.yaml; its name is the file name
// without .yaml. It holds one YAML mapping:
//
//	title: Worldwide AI chip sales            # required
//	description: Sales of chips designed for AI workloads.
//	source:                                   # required
//	  name: Center for Security and Emerging Technology   # required
//	  url: https://cset.georgetown.edu/       # absolute http or https URL
//	  retrieved: 2025-01-20                   # YYYY-MM-DD
//	license: CC BY 4.0
//	notes: Nominal US dollars.
//	illustrative: false                       # true: not real data
//	key: [year]                               # columns unique per row
//	columns:                                  # required, in display order
//	  - {name: year, type: integer, label: Year}
//	  - {name: sales, type: number, label: Sales, unit: US$ bn, prefix: "$", suffix: bn}
//	rows:                                     # required
//	  - {year: 2022, sales: 42}
//
// Unknown keys are errors everywhere, as are YAML aliases (*name), merge
// keys (<<), and tags in cells other than !!str on text: each value is
// written out in full.
//
// # Columns
//
// A column has a name (lowercase ASCII letters, digits and underscores,
// starting with a letter; unique in the dataset) and a type. label is what
// readers see (default: the name); unit names the unit for axis titles and
// table headers; prefix and suffix wrap formatted numbers ("$" and "bn"
// make 115.2 read "$115.2bn"); optional: true allows null cells.
//
// # Cells
//
// Every row is a mapping from column names to cells and holds a cell for
// every column; null must be written out, and only an optional column
// accepts it. Charts skip null cells and tables show a dash. A cell must be
// of its column's type as written, because folio converts nothing silently:
//
//	string   any text; a bare 2022, true, null or 2024-01-02 is not text
//	         and must be quoted ("2022")
//	integer  -?(0|[1-9][0-9]*), unquoted, within the range of int64: no
//	         leading zeros (YAML would read 017 as octal 15), no 0x, 0o or
//	         0b, no 1_000, no +5, no 1e3 or 4.0
//	number   an integer optionally followed by .digits and an exponent
//	         (3.5, -0.25, 1.5e9), unquoted; not .nan or .inf. The digits
//	         are kept as written: 15.0 stays 15.0 in tables, CSV and JSON
//	date     YYYY-MM-DD, unquoted, a real calendar date
//	bool     true or false, unquoted and in lowercase
//	url      an absolute http:// or https:// URL with a host
//
// A cell of the wrong type, a key that is not a column, a missing cell and
// a null in a column that is not optional are errors at the line and column
// of the cell (or of the row, for a missing cell); the row is then left out
// of the dataset. A dataset with a key holds at most one row for each
// combination of its key columns' values; a second one is an error. Values
// are compared, so 15 and 15.0 are one number; null key cells are left out
// of the comparison.
//
// Files over 10 MiB are refused unread.
//
// # Display
//
// [Dataset.Format] shows a cell to readers: null as an en dash, integers
// with thousands separators from 10,000 (so years read 2022), numbers with
// the column's prefix and suffix and separators from 1,000 ($1,234.5bn),
// negative numbers with a minus sign before the prefix (−$5bn), dates as
// 2 January 2025, bools as yes and no.
//
// # Downloads
//
// [Dataset.CSV] writes RFC 4180 CSV with a header of column names and the
// cells as written. A text cell that begins with =, +, -, @, a tab or a
// carriage return gets a leading apostrophe, so that a spreadsheet opening
// the file shows the text rather than running it as a formula (CSV
// injection). [Dataset.JSON] writes the metadata and the rows, numbers with
// their digits as written.
package dataset
