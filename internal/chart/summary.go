package chart

import (
	"fmt"
	"math"
	"strings"
)

// Summary returns the chart's text alternative: the spec's own, or one
// generated from the plotted data, naming what is plotted, its range and
// its extremes.
func (c *Chart) Summary() string {
	if c.Spec.Summary != "" {
		return c.Spec.Summary
	}
	switch c.Type {
	case "table":
		return fmt.Sprintf("Table of %s from %s.", plural(len(c.Rows), "row"), c.Data.Title)
	case "timeline":
		return c.timelineSummary()
	case "pie":
		return c.pieSummary()
	}
	return c.xySummary()
}

func plural(n int, what string) string {
	switch {
	case n == 1 || strings.HasSuffix(what, "series"):
		return fmt.Sprintf("%d %s", n, what)
	case strings.HasSuffix(what, "y"):
		return fmt.Sprintf("%d %sies", n, what[:len(what)-1])
	}
	return fmt.Sprintf("%d %ss", n, what)
}

var kindName = map[string]string{"bar": "Bar chart", "line": "Line chart", "area": "Area chart", "scatter": "Scatter plot"}

// extreme is a plotted value with where it sits.
type extreme struct {
	row, col int
	v        float64
}

func (c *Chart) xySummary() string {
	var names []string
	for _, y := range c.YCols {
		names = append(names, c.name(y))
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%s of %s by %s", kindName[c.Type], strings.Join(names, " and "), c.name(c.XCol))
	if cats := c.Categories(); len(cats) > 0 {
		fmt.Fprintf(&b, ", in %s (%s)", plural(len(cats), "series"), strings.Join(cats, ", "))
	}
	// Categories run in data order, so the first and last row span them;
	// a scatter plot's rows have no order worth stating.
	first, last := c.label(c.Rows[0], c.XCol), c.label(c.Rows[len(c.Rows)-1], c.XCol)
	fmt.Fprintf(&b, ": %s", plural(len(c.Rows), "row"))
	if first != last && c.Type != "scatter" {
		fmt.Fprintf(&b, " from %s to %s", first, last)
	}
	b.WriteString(".")
	hi, lo := extreme{v: math.Inf(-1)}, extreme{v: math.Inf(1)}
	for _, r := range c.Rows {
		for _, y := range c.YCols {
			v := c.value(r, y)
			if math.IsNaN(v) {
				continue
			}
			if v > hi.v {
				hi = extreme{r, y, v}
			}
			if v < lo.v {
				lo = extreme{r, y, v}
			}
		}
	}
	if math.IsInf(hi.v, 0) {
		return b.String() + " No values."
	}
	fmt.Fprintf(&b, " Highest: %s; lowest: %s.", c.describe(hi), c.describe(lo))
	return b.String()
}

// describe says "$115.2bn (2025)" or, with several series, "$115.2bn
// (2025, China)".
func (c *Chart) describe(e extreme) string {
	where := c.label(e.row, c.XCol)
	if c.SeriesCol >= 0 {
		where += ", " + c.label(e.row, c.SeriesCol)
	} else if len(c.YCols) > 1 {
		where += ", " + c.name(e.col)
	}
	return fmt.Sprintf("%s (%s)", c.label(e.row, e.col), where)
}

func (c *Chart) pieSummary() string {
	y := c.YCols[0]
	total := 0.0
	hi, lo := extreme{v: math.Inf(-1)}, extreme{v: math.Inf(1)}
	n := 0
	for _, r := range c.Rows {
		v := c.value(r, y)
		if math.IsNaN(v) {
			continue
		}
		n++
		total += v
		if v > hi.v {
			hi = extreme{r, y, v}
		}
		if v < lo.v {
			lo = extreme{r, y, v}
		}
	}
	s := fmt.Sprintf("Pie chart of %s by %s: %s.", c.name(y), c.name(c.XCol), plural(n, "slice"))
	if n == 0 || total <= 0 {
		return s
	}
	share := func(e extreme) string {
		return fmt.Sprintf("%s, %s (%.0f%%)", c.label(e.row, c.XCol), c.label(e.row, y), 100*e.v/total)
	}
	return s + fmt.Sprintf(" Largest: %s; smallest: %s.", share(hi), share(lo))
}

func (c *Chart) timelineSummary() string {
	var first, last = -1, -1
	for _, r := range c.Rows {
		if c.cell(r, c.XCol).Null {
			continue
		}
		if first < 0 || c.cell(r, c.XCol).Raw < c.cell(first, c.XCol).Raw {
			first = r
		}
		if last < 0 || c.cell(r, c.XCol).Raw > c.cell(last, c.XCol).Raw {
			last = r
		}
	}
	if first < 0 {
		return "Timeline with no dated events."
	}
	s := fmt.Sprintf("Timeline of %s from %s to %s", plural(len(c.Rows), "event"), c.label(first, c.XCol), c.label(last, c.XCol))
	if cats := c.Categories(); len(cats) > 1 {
		s += fmt.Sprintf(", in %s: %s", plural(len(cats), "category"), strings.Join(cats, ", "))
	}
	return s + fmt.Sprintf(". First: %s. Last: %s.", c.label(first, c.YCols[0]), c.label(last, c.YCols[0]))
}
