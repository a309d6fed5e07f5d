package dataset

import (
	"strconv"
	"strings"
)

// Null is how Format shows a null cell: an en dash.
const Null = "–"

// Format renders a cell of column col for readers:
//
//	null             – (an en dash)
//	integer          1,234,567 with prefix and suffix; below 10,000 in
//	                 magnitude without a separator, so years read 2022
//	number           $115.2bn: prefix, the digits as written with
//	                 thousands separators from 1,000, suffix; a negative
//	                 number starts with a minus sign (−$5bn)
//	date             2 January 2025
//	bool             yes or no
//	string and url   as written
//
// Numbers written with an exponent are spelled out (1.5e3 reads 1,500)
// unless very large or small (1.5 × 10²⁴).
func (d *Dataset) Format(col int, c Cell) string {
	if c.Null {
		return Null
	}
	if col < 0 || col >= len(d.Columns) {
		return c.Raw
	}
	column := &d.Columns[col]
	switch column.Type {
	case Integer:
		digits := c.Raw
		if !intRE.MatchString(digits) {
			digits = strconv.FormatInt(c.Int, 10)
		}
		return column.number(digits, 5)
	case Number:
		digits := c.Raw
		if !numberRE.MatchString(digits) {
			digits = strconv.FormatFloat(c.Num, 'g', -1, 64)
		}
		return column.number(digits, 4)
	case Date:
		if c.Date.IsZero() {
			return c.Raw
		}
		return c.Date.Format("2 January 2006")
	case Bool:
		if c.Bool {
			return "yes"
		}
		return "no"
	}
	return c.Raw
}

// number formats the digits of a valid cell with the column's prefix and
// suffix, grouping thousands when the integer part has at least group
// digits.
func (c *Column) number(digits string, group int) string {
	neg := strings.HasPrefix(digits, "-")
	digits = strings.TrimPrefix(digits, "-")
	if strings.ContainsAny(digits, "eE") {
		f, _ := strconv.ParseFloat(digits, 64)
		if f != 0 && (f < 1e-6 || f >= 1e21) {
			return sign(neg) + c.Prefix + scientific(f) + c.Suffix
		}
		digits = strconv.FormatFloat(f, 'f', -1, 64)
	}
	whole, frac, _ := strings.Cut(digits, ".")
	if frac != "" {
		frac = "." + frac
	}
	if len(whole) >= group {
		whole = groupThousands(whole)
	}
	return sign(neg) + c.Prefix + whole + frac + c.Suffix
}

// sign is the typographic minus sign (U+2212) for negative numbers, as the
// site's prose uses typographic dashes; it goes before any prefix: −$5bn.
func sign(neg bool) string {
	if neg {
		return "−"
	}
	return ""
}

// groupThousands puts a comma between each group of three digits.
func groupThousands(digits string) string {
	var b strings.Builder
	for i, r := range digits {
		if i > 0 && (len(digits)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(r)
	}
	return b.String()
}

// scientific writes f, which is positive, as 1.5 × 10²⁴.
func scientific(f float64) string {
	mant, exp, _ := strings.Cut(strconv.FormatFloat(f, 'e', -1, 64), "e")
	var b strings.Builder
	b.WriteString(mant + " × 10")
	if strings.HasPrefix(exp, "-") {
		b.WriteString("⁻")
	}
	for _, r := range strings.TrimLeft(exp, "+-0") {
		b.WriteString(superscripts[r-'0'])
	}
	return b.String()
}

var superscripts = [...]string{"⁰", "¹", "²", "³", "⁴", "⁵", "⁶", "⁷", "⁸", "⁹"}
