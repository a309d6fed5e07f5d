package chart

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"strings"

	"github.com/folio-ssg/folio/internal/dataset"
	"github.com/go-echarts/go-echarts/v2/charts"
	"github.com/go-echarts/go-echarts/v2/opts"
	"github.com/go-echarts/go-echarts/v2/types"
)

// Options returns the chart's ECharts option object as JSON, or nil for a
// table. go-echarts builds the object; folio serialises it with
// encoding/json, which escapes <, >, & and U+2028/U+2029, so the result is
// safe inside <script type="application/json"> whatever the data holds.
// Nothing here uses go-echarts' renderers or its function strings: text
// from datasets stays data.
func (c *Chart) Options(summary string) ([]byte, error) {
	var obj map[string]any
	switch c.Type {
	case "table":
		return nil, nil
	case "bar":
		obj = c.bar()
	case "line", "area":
		obj = c.line()
	case "pie":
		obj = c.pie()
	case "scatter":
		obj = c.scatter()
	case "timeline":
		obj = c.timeline()
	default:
		// Parse refuses other types; never panic if one gets through.
		return nil, fmt.Errorf("unknown chart type %q", c.Type)
	}
	// Tooltips render as rich text, never HTML, so no text from a dataset
	// can become markup even in ECharts' own tooltip code.
	tooltip := map[string]any{"renderMode": "richText", "confine": true, "trigger": "item"}
	if c.Type == "bar" || c.Type == "line" || c.Type == "area" {
		tooltip["trigger"] = "axis"
	}
	switch c.Type {
	case "timeline":
		// The point's name is "date: event"; the series is its category.
		tooltip["formatter"] = "{a}\n{b}"
	case "pie":
		y := c.column(c.YCols[0])
		tooltip["formatter"] = "{b}: " + templateText(y.Prefix) + "{c}" + templateText(y.Suffix) + " ({d}%)"
	}
	obj["tooltip"] = tooltip
	if c.Type == "timeline" {
		// The category axis names the rows, so a legend would repeat it.
		delete(obj, "legend")
	}
	obj["aria"] = map[string]any{"enabled": true, "label": map[string]any{"enabled": true, "description": summary}}
	obj["animation"] = false
	// The figure around the chart shows the title; the theme picks colours
	// that suit the reader's light or dark scheme.
	for _, k := range []string{"title", "color", "toolbox"} {
		delete(obj, k)
	}
	if len(c.YCols) > 0 && c.Type != "timeline" {
		return withValueTemplate(obj, c.column(c.YCols[0]))
	}
	return json.Marshal(obj)
}

func global(c *Chart, series int) []charts.GlobalOpts {
	g := []charts.GlobalOpts{
		charts.WithLegendOpts(opts.Legend{Show: opts.Bool(series > 1), Bottom: "0"}),
		charts.WithGridOpts(opts.Grid{Left: "3%", Right: "4%", Top: c.topSpace(), Bottom: legendSpace(series), ContainLabel: opts.Bool(true)}),
	}
	return g
}

// topSpace leaves room above the plot for the value axis's unit.
func (c *Chart) topSpace() string {
	if len(c.YCols) > 0 && c.column(c.YCols[0]).Unit != "" && c.Type != "timeline" {
		return "40"
	}
	return "20"
}

func legendSpace(series int) string {
	if series > 1 {
		return "48"
	}
	return "16"
}

// valueAxis labels a numeric axis with the y column's prefix and suffix,
// through ECharts' string template (no function, no markup).
func (c *Chart) valueAxis(col int) opts.YAxis {
	y := opts.YAxis{Type: "value"}
	if col >= 0 {
		cc := c.column(col)
		if cc.Prefix != "" || cc.Suffix != "" {
			// A string template, not a function: ECharts fills in {value}.
			y.AxisLabel = &opts.AxisLabel{Formatter: types.FuncStr(templateText(cc.Prefix) + "{value}" + templateText(cc.Suffix))}
		}
		y.Name = cc.Unit
	}
	return y
}

// templateText keeps braces out of an ECharts label template.
func templateText(s string) string {
	return strings.NewReplacer("{", "(", "}", ")").Replace(s)
}

// series describes one plotted series: a name and, for each x category,
// the row that holds its value (-1 when it has none) and the y column.
type series struct {
	name string
	rows []int
	col  int
}

// categorySeries lays the rows out on a category axis: the x labels in
// order of first appearance, and one series per y column or per value of
// the series column.
func (c *Chart) categorySeries() ([]string, []series) {
	var xs []string
	at := map[string]int{}
	for _, r := range c.Rows {
		x := c.label(r, c.XCol)
		if _, ok := at[x]; !ok && c.SeriesCol >= 0 {
			at[x] = len(xs)
			xs = append(xs, x)
		} else if c.SeriesCol < 0 {
			xs = append(xs, x)
		}
	}
	var out []series
	if c.SeriesCol < 0 {
		for _, y := range c.YCols {
			s := series{name: c.name(y), col: y}
			s.rows = append(s.rows, c.Rows...)
			out = append(out, s)
		}
		return xs, out
	}
	index := map[string]int{}
	for _, r := range c.Rows {
		name := c.label(r, c.SeriesCol)
		i, ok := index[name]
		if !ok {
			i = len(out)
			index[name] = i
			s := series{name: name, col: c.YCols[0], rows: make([]int, len(xs))}
			for j := range s.rows {
				s.rows[j] = -1
			}
			out = append(out, s)
		}
		out[i].rows[at[c.label(r, c.XCol)]] = r
	}
	return xs, out
}

// num is a value for ECharts: the number, or "-" for a gap.
func (c *Chart) num(r, col int) any {
	if r < 0 {
		return "-"
	}
	v := c.value(r, col)
	if math.IsNaN(v) {
		return "-"
	}
	return v
}

func (c *Chart) bar() map[string]any {
	xs, ss := c.categorySeries()
	b := charts.NewBar()
	b.SetGlobalOptions(append(global(c, len(ss)), charts.WithYAxisOpts(c.valueAxis(ss[0].col)))...)
	b.SetXAxis(xs)
	for _, s := range ss {
		data := make([]opts.BarData, len(s.rows))
		for i, r := range s.rows {
			data[i] = opts.BarData{Value: c.num(r, s.col)}
		}
		var so []charts.SeriesOpts
		if c.Stack {
			so = append(so, charts.WithBarChartOpts(opts.BarChart{Stack: "total"}))
		}
		b.AddSeries(s.name, data, so...)
	}
	b.Validate()
	return b.JSON()
}

func (c *Chart) line() map[string]any {
	xs, ss := c.categorySeries()
	l := charts.NewLine()
	l.SetGlobalOptions(append(global(c, len(ss)), charts.WithYAxisOpts(c.valueAxis(ss[0].col)))...)
	l.SetXAxis(xs)
	for _, s := range ss {
		data := make([]opts.LineData, len(s.rows))
		for i, r := range s.rows {
			data[i] = opts.LineData{Value: c.num(r, s.col)}
		}
		var so []charts.SeriesOpts
		if c.Type == "area" {
			so = append(so, charts.WithAreaStyleOpts(opts.AreaStyle{Opacity: opts.Float(0.35)}))
			if c.Stack {
				so = append(so, charts.WithLineChartOpts(opts.LineChart{Stack: "total"}))
			}
		}
		l.AddSeries(s.name, data, so...)
	}
	l.Validate()
	return l.JSON()
}

func (c *Chart) pie() map[string]any {
	p := charts.NewPie()
	p.SetGlobalOptions(charts.WithLegendOpts(opts.Legend{Show: opts.Bool(true), Bottom: "0"}))
	y := c.YCols[0]
	var data []opts.PieData
	for _, r := range c.Rows {
		if v := c.value(r, y); !math.IsNaN(v) {
			data = append(data, opts.PieData{Name: c.label(r, c.XCol), Value: v})
		}
	}
	p.AddSeries(c.name(y), data, charts.WithPieChartOpts(opts.PieChart{Radius: []string{"35%", "65%"}}))
	p.Validate()
	return p.JSON()
}

// xValue is a scatter point's x: a number, or a date as YYYY-MM-DD on a
// time axis.
func (c *Chart) xValue(r int) any {
	cell := c.cell(r, c.XCol)
	if c.column(c.XCol).Type == dataset.Date {
		return cell.Raw
	}
	return cell.Num
}

func (c *Chart) xAxisType() string {
	if c.column(c.XCol).Type == dataset.Date {
		return "time"
	}
	return "value"
}

func (c *Chart) scatter() map[string]any {
	s := charts.NewScatter()
	groups := c.groups()
	s.SetGlobalOptions(append(global(c, len(groups)),
		charts.WithXAxisOpts(opts.XAxis{Type: c.xAxisType(), Name: c.name(c.XCol), NameLocation: "middle", NameGap: 28, Scale: opts.Bool(true)}),
		charts.WithYAxisOpts(c.valueAxis(c.YCols[0])))...)
	for _, g := range groups {
		var data []opts.ScatterData
		for _, r := range g.rows {
			if c.cell(r, c.XCol).Null || c.cell(r, g.col).Null {
				continue
			}
			data = append(data, opts.ScatterData{Value: []any{c.xValue(r), c.value(r, g.col)}})
		}
		s.AddSeries(g.name, data)
	}
	s.Validate()
	return s.JSON()
}

// groups splits rows into series: by the series column's values, or one
// per y column.
func (c *Chart) groups() []series {
	if c.SeriesCol < 0 {
		var out []series
		for _, y := range c.YCols {
			out = append(out, series{name: c.name(y), col: y, rows: c.Rows})
		}
		return out
	}
	var out []series
	index := map[string]int{}
	for _, r := range c.Rows {
		name := c.label(r, c.SeriesCol)
		i, ok := index[name]
		if !ok {
			i = len(out)
			index[name] = i
			out = append(out, series{name: name, col: c.YCols[0]})
		}
		out[i].rows = append(out[i].rows, r)
	}
	return out
}

// timeline draws each event as a point on a time axis, one row per
// category, the event's text shown on hover.
func (c *Chart) timeline() map[string]any {
	s := charts.NewScatter()
	groups := c.groups()
	if c.SeriesCol < 0 {
		groups[0].name = c.name(c.YCols[0])
	}
	cats := make([]string, len(groups))
	for i, g := range groups {
		cats[i] = g.name
	}
	s.SetGlobalOptions(append(global(c, len(groups)),
		charts.WithXAxisOpts(opts.XAxis{Type: "time"}),
		charts.WithYAxisOpts(opts.YAxis{Type: "category", Data: cats, Inverse: opts.Bool(true)}))...)
	for _, g := range groups {
		var data []opts.ScatterData
		for _, r := range g.rows {
			if c.cell(r, c.XCol).Null || c.cell(r, g.col).Null {
				continue
			}
			data = append(data, opts.ScatterData{
				Name:       c.label(r, g.col),
				Value:      []any{c.cell(r, c.XCol).Raw, g.name},
				SymbolSize: 14,
			})
		}
		s.AddSeries(g.name, data)
	}
	s.Validate()
	obj := s.JSON()
	// go-echarts has no fields for these: points at either end of the time
	// axis stay clear of its edges, and the category axis is just labels.
	obj["xAxis"] = []map[string]any{{"type": "time", "boundaryGap": []string{"4%", "4%"}, "splitLine": map[string]any{"show": true}}}
	obj["yAxis"] = []map[string]any{{"type": "category", "data": cats, "inverse": true,
		"axisLine": map[string]any{"show": false}, "axisTick": map[string]any{"show": false}}}
	return obj
}

// withValueTemplate adds to every series "valueTemplate", the y column's
// prefix and suffix around {value}, for tooltips drawn by the site's
// chart script (ECharts ignores the key). go-echarts has no field for
// it, so the series go through JSON once more.
func withValueTemplate(obj map[string]any, y *dataset.Column) ([]byte, error) {
	raw, err := json.Marshal(obj["series"])
	if err != nil {
		return nil, err
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	var series []map[string]any
	if err := dec.Decode(&series); err != nil {
		return nil, err
	}
	tmpl := templateText(y.Prefix) + "{value}" + templateText(y.Suffix)
	for _, s := range series {
		s["valueTemplate"] = tmpl
	}
	obj["series"] = series
	return json.Marshal(obj)
}
