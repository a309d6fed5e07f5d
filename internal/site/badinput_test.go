package site

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const briefHead = "---\ntitle: First brief\nsummary: What the first brief says.\ndate: 2025-02-03\nauthors: [jane-doe]\n"

// salesHead is data/sales.yaml up to its rows, with an optional date column.
const salesHead = "title: Chip sales\nsource: {name: CSET, url: \"https://cset.georgetown.edu/\"}\nkey: [year]\ncolumns:\n" +
	"  - {name: year, type: integer}\n  - {name: sales, type: number}\n  - {name: day, type: date, optional: true}\nrows:\n"

// chartBrief is the start of a brief whose body line 8 is free for a
// chart or a shortcode.
const chartBrief = "---\ntitle: First brief\nsummary: S.\ndate: 2025-02-03\n---\n## Context\n\n"

// brief returns content/briefs/first.md with extra front matter lines.
func brief(extra string) string {
	return briefHead + extra + "---\n## Context\n"
}

// TestBadInput breaks the base site one way at a time. Each case must
// give exactly its problems, and a build on disk must leave the previous
// site/ untouched.
func TestBadInput(t *testing.T) {
	cases := []struct {
		name    string
		changes map[string]string
		want    []string
	}{
		// folio.yaml
		{"config missing", map[string]string{"folio.yaml": ""}, []string{
			"folio.yaml: not found: is -src the folder of a folio site?"}},
		{"config empty", map[string]string{"folio.yaml": "\n"}, []string{
			"folio.yaml:1: empty settings: folio.yaml needs title, description and base_url"}},
		{"config unknown key", map[string]string{"folio.yaml": "title: T\ndescription: D\nbase_url: https://e.org/\ntitel: x\n"}, []string{
			`folio.yaml:4:1: unknown key "titel"; did you mean "title"?`}},
		{"config missing base_url", map[string]string{"folio.yaml": "title: T\ndescription: D\n"}, []string{
			`folio.yaml:1:1: missing required key "base_url" in folio.yaml`}},
		{"config relative base_url", map[string]string{"folio.yaml": "title: T\ndescription: D\nbase_url: /obs/\n"}, []string{
			`folio.yaml:3:11: base_url "/obs/" must be an absolute http or https URL such as https://example.org/`}},
		{"config bad language", map[string]string{"folio.yaml": "title: T\ndescription: D\nbase_url: https://e.org/\nlanguage: english!\n"}, []string{
			`folio.yaml:4:11: language "english!" is not a BCP 47 tag such as en or fr-CA`}},
		{"config allow_html not bool", map[string]string{"folio.yaml": "title: T\ndescription: D\nbase_url: https://e.org/\nallow_html: yes\n"}, []string{
			`folio.yaml:4:13: allow_html must be true or false, not the text "yes"`}},
		{"config duplicate key", map[string]string{"folio.yaml": "title: T\ndescription: D\nbase_url: https://e.org/\ntitle: U\n"}, []string{
			`folio.yaml:4:1: duplicate key "title" (first at line 1)`}},
		{"config menu javascript", map[string]string{"folio.yaml": "title: T\ndescription: D\nbase_url: https://e.org/\nmenu:\n  - {title: X, url: \"javascript:alert(1)\"}\n"}, []string{
			`folio.yaml:5:21: menu url "javascript:alert(1)" must be a path inside the site such as /briefs/, or an http(s) URL`}},
		{"config menu broken link", map[string]string{"folio.yaml": "title: T\ndescription: D\nbase_url: https://e.org/\nmenu:\n  - {title: X, url: /nowhere/}\n"}, []string{
			`folio.yaml:5:5: link to /nowhere/ does not resolve`}},
		{"config syntax error", map[string]string{"folio.yaml": "title: T\ndescription: [D\nbase_url: https://e.org/\n"}, []string{
			`folio.yaml:2: invalid YAML: did not find expected ',' or ']'`}},
		{"config tab indentation", map[string]string{"folio.yaml": "title: T\n\tdescription: D\n"}, []string{
			`folio.yaml:2: invalid YAML: found a tab character that violates indentation`}},

		// brief front matter
		{"brief unknown key", map[string]string{"content/briefs/first.md": brief("tittle: x\n")}, []string{
			`content/briefs/first.md:6:1: unknown key "tittle"; did you mean "title"?`}},
		{"brief missing summary", map[string]string{"content/briefs/first.md": "---\ntitle: T\ndate: 2025-02-03\n---\n"}, []string{
			`content/briefs/first.md:2:1: missing required key "summary" in front matter`}},
		{"brief bad date", map[string]string{"content/briefs/first.md": "---\ntitle: T\nsummary: S\ndate: 2025-2-3\n---\n"}, []string{
			`content/briefs/first.md:4:7: date: bad date "2025-2-3": write it as YYYY-MM-DD, e.g. 2025-02-03`}},
		{"brief impossible date", map[string]string{"content/briefs/first.md": "---\ntitle: T\nsummary: S\ndate: 2025-02-30\n---\n"}, []string{
			`content/briefs/first.md:4:7: date: bad date "2025-02-30": February 2025 has no day 30`}},
		{"brief month 13", map[string]string{"content/briefs/first.md": "---\ntitle: T\nsummary: S\ndate: 2025-13-01\n---\n"}, []string{
			`content/briefs/first.md:4:7: date: bad date "2025-13-01": there is no month 13`}},
		{"brief updated before date", map[string]string{"content/briefs/first.md": brief("updated: 2025-01-01\n")}, []string{
			`content/briefs/first.md:6:10: updated 2025-01-01 is before date 2025-02-03`}},
		{"brief unknown author", map[string]string{"content/briefs/first.md": "---\ntitle: T\nsummary: S\ndate: 2025-02-03\nauthors: [jane-doe, john-roe]\n---\n"}, []string{
			`content/briefs/first.md:5:21: unknown author "john-roe": there is no content/authors/john-roe.md`}},
		{"brief authors not a list", map[string]string{"content/briefs/first.md": "---\ntitle: T\nsummary: S\ndate: 2025-02-03\nauthors: jane-doe\n---\n"}, []string{
			`content/briefs/first.md:5:10: authors must be a list such as [a, b], not the text "jane-doe"`}},
		{"brief title is a list", map[string]string{"content/briefs/first.md": "---\ntitle: [a, b]\nsummary: S\ndate: 2025-02-03\n---\n"}, []string{
			`content/briefs/first.md:2:8: title must be text, not a list`}},
		{"brief draft not bool", map[string]string{"content/briefs/first.md": brief("draft: no\n")}, []string{
			`content/briefs/first.md:6:8: draft must be true or false, not the text "no"`}},
		{"brief empty title", map[string]string{"content/briefs/first.md": "---\ntitle:\nsummary: S\ndate: 2025-02-03\n---\n"}, []string{
			`content/briefs/first.md:2:7: "title" must not be empty`}},
		{"brief correction without text", map[string]string{"content/briefs/first.md": brief("corrections:\n  - {date: 2025-02-04}\n")}, []string{
			`content/briefs/first.md:7:5: missing required key "text" in correction`}},
		{"brief tag without ascii", map[string]string{"content/briefs/first.md": brief("tags: [出口管制]\n")}, []string{
			`content/briefs/first.md:6:8: tag "出口管制" has no ASCII letters or digits to make its page address from`}},
		{"brief unclosed front matter", map[string]string{"content/briefs/first.md": "---\ntitle: T\nsummary: S\n"}, []string{
			`content/briefs/first.md:1:1: front matter opened here is never closed: end it with a line of three dashes (---)`}},
		{"brief front matter syntax", map[string]string{"content/briefs/first.md": "---\ntitle: T\nsummary: \"S\ndate: 2025-02-03\n---\n"}, []string{
			`content/briefs/first.md:3: invalid YAML: found unexpected end of stream`}},
		{"brief no front matter", map[string]string{"content/briefs/first.md": "Just text.\n"}, []string{
			`content/briefs/first.md:1:1: a brief needs front matter between --- lines with at least title, summary and date`}},
		{"brief two documents", map[string]string{"content/briefs/first.md": "---\ntitle: T\n---\nsummary: S\n---\n"}, []string{
			`content/briefs/first.md:2:1: missing required key "date" in front matter`,
			`content/briefs/first.md:2:1: missing required key "summary" in front matter`}},
		{"brief broken link", map[string]string{"content/briefs/first.md": brief("") + "\nSee [x](/briefs/nope/).\n"}, []string{
			`content/briefs/first.md:9:5: link to /briefs/nope/ does not resolve`}},
		{"brief broken anchor", map[string]string{"content/briefs/first.md": brief("") + "\nSee [x](/about/#team).\n"}, []string{
			`content/briefs/first.md:9:5: link to /about/#team does not resolve: /about/ has no element with id "team"`}},
		{"brief link with base path", map[string]string{"content/briefs/first.md": brief("") + "\nSee [x](/obs/about/).\n"}, []string{
			`content/briefs/first.md:9:5: link to /obs/about/ does not resolve; write links from the site root without the base path, e.g. /about/`}},
		{"brief bad file name", map[string]string{"content/briefs/My Brief.md": brief("")}, []string{
			`content/briefs/My Brief.md: file name "My Brief.md" is not a valid slug: use lowercase ASCII letters, digits and hyphens, e.g. my-brief.md`}},

		// authors and pages
		{"author missing name", map[string]string{"content/authors/jane-doe.md": "---\nrole: Analyst\n---\nBio.\n"}, []string{
			`content/authors/jane-doe.md:2:1: missing required key "name" in front matter`}},
		{"page reserved slug", map[string]string{"content/briefs.md": "---\ntitle: Briefs\n---\n"}, []string{
			`content/briefs.md: a page cannot be called "briefs": /briefs/ is one of the site's own sections; rename the file`}},
		{"page unknown key", map[string]string{"content/about.md": "---\ntitle: About\ndate: 2025-01-01\n---\n"}, []string{
			`content/about.md:3:1: unknown key "date"`}},

		// templates
		{"template broken link", map[string]string{"templates/tag.html": "{{define \"main\"}}<a href=\"{{url \"/topics/\"}}\">All</a><a href=\"#nowhere\">x</a>{{end}}"}, []string{
			`templates/tag.html: rendering /tags/export-controls/ (and 1 more): link to #nowhere does not resolve: no element with id "nowhere"`,
			`templates/tag.html: rendering /tags/export-controls/ (and 1 more): link to /obs/topics/ does not resolve`}},
		{"template link outside base path", map[string]string{"templates/404.html": "{{define \"main\"}}<a href=\"/elsewhere/\">x</a>{{end}}"}, []string{
			`templates/404.html: rendering /404.html: link to /elsewhere/ leaves the site's base path /obs/`}},
		{"template syntax", map[string]string{"templates/page.html": "{{define \"main\"}}\n{{.Title}\n{{end}}"}, []string{
			`templates/page.html:2: bad character U+007D '}'`}},
		{"template missing", map[string]string{"templates/tag.html": ""}, []string{
			`templates/tag.html: template not found: every site needs it in templates/`}},
		{"template unknown field", map[string]string{"templates/page.html": "{{define \"main\"}}{{.Nope}}{{end}}"}, []string{
			`templates/page.html:1: rendering /about/: executing "main" at <.Nope>: can't evaluate field Nope in type *site.View`}},
		{"card meta unknown field", map[string]string{"templates/partials.html": "{{define \"list\"}}{{range .}}<li>{{.CardMeta}}</li>{{end}}{{end}}\n{{define \"brief-card-meta\"}}{{.Nope}}{{end}}"}, []string{
			`templates/partials.html:2: rendering the card of /briefs/first/: executing "brief-card-meta" at <.Nope>: can't evaluate field Nope in type *site.BriefView`}},
		{"table cell unknown field", map[string]string{"templates/partials.html": "{{define \"list\"}}{{range .}}<li>{{.URL}}</li>{{end}}{{end}}\n{{define \"table-cell\"}}<td>{{.Nope}}</td>{{end}}"}, []string{
			`templates/partials.html:2: rendering the table cell "2022" of /obs/data/sales/ (and 1 more): executing "table-cell" at <.Nope>: can't evaluate field Nope in type site.CellView`}},

		// datasets through the whole pipeline
		{"dataset bad file name", map[string]string{"data/Sales.yaml": "title: x\n"}, []string{
			`data/Sales.yaml: file name "Sales.yaml" is not a valid slug: use lowercase ASCII letters, digits and hyphens (or underscores), e.g. sales.yaml`}},
		{"dataset quoted number", map[string]string{"data/sales.yaml": salesHead + "  - {year: 2022, sales: \"42\", day: null}\n"}, []string{
			`data/sales.yaml:9:25: column "sales" holds numbers, not the quoted text "42"; write 42 without quotes`}},
		{"dataset leading zero", map[string]string{"data/sales.yaml": salesHead + "  - {year: 017, sales: 42, day: null}\n"}, []string{
			`data/sales.yaml:9:12: column "year": leading zeros are not allowed (017); write 17`}},
		{"dataset nan", map[string]string{"data/sales.yaml": salesHead + "  - {year: 2022, sales: .nan, day: null}\n"}, []string{
			`data/sales.yaml:9:25: column "sales": not a number (.nan) is not allowed; use null in an optional column`}},
		{"dataset short date", map[string]string{"data/sales.yaml": salesHead + "  - {year: 2022, sales: 42, day: 2024-1-2}\n"}, []string{
			`data/sales.yaml:9:34: column "day": bad date "2024-1-2": write it as YYYY-MM-DD, e.g. 2025-02-03`}},
		{"dataset missing cell", map[string]string{"data/sales.yaml": salesHead + "  - {year: 2022, sales: 42}\n"}, []string{
			`data/sales.yaml:9:5: row is missing "day"`}},
		{"dataset unknown column", map[string]string{"data/sales.yaml": salesHead + "  - {year: 2022, sales: 42, day: null, country: China}\n"}, []string{
			`data/sales.yaml:9:40: unknown column "country"; columns are year, sales, day`}},
		{"dataset duplicate key", map[string]string{"data/sales.yaml": salesHead + "  - {year: 2022, sales: 42, day: null}\n  - {year: 2022, sales: 43, day: null}\n"}, []string{
			`data/sales.yaml:10:12: duplicate key year=2022 (first at line 9)`}},
		{"dataset duplicate cell", map[string]string{"data/sales.yaml": salesHead + "  - {year: 2022, sales: 42, day: null, sales: 43}\n"}, []string{
			`data/sales.yaml:9:40: duplicate cell "sales" (first at line 9)`}},
		{"dataset huge integer", map[string]string{"data/sales.yaml": salesHead + "  - {year: 99999999999999999999, sales: 42, day: null}\n"}, []string{
			`data/sales.yaml:9:12: column "year": 99999999999999999999 is out of range; integers must lie between -9223372036854775808 and 9223372036854775807`}},
		{"dataset null not optional", map[string]string{"data/sales.yaml": salesHead + "  - {year: null, sales: 42, day: null}\n"}, []string{
			`data/sales.yaml:9:12: column "year" is not optional, so it cannot be null; write a value or add optional: true to the column`}},
		{"dataset quoted date", map[string]string{"data/sales.yaml": salesHead + "  - {year: 2022, sales: 42, day: \"2024-01-02\"}\n"}, []string{
			`data/sales.yaml:9:34: column "day" holds dates, not the quoted text "2024-01-02"; write the date without quotes`}},
		{"chart unknown dataset", map[string]string{"content/briefs/first.md": chartBrief + "```chart\ntype: bar\ndata: sale\nx: year\ny: sales\n```\n"}, []string{
			`content/briefs/first.md:10:7: unknown dataset "sale": there is no data/sale.yaml; did you mean "sales"?`}},
		{"chart unknown column", map[string]string{"content/briefs/first.md": chartBrief + "```chart\ntype: bar\ndata: sales\nx: yaer\ny: sales\n```\n"}, []string{
			`content/briefs/first.md:11:4: dataset "sales" has no column "yaer"; did you mean "year"?`}},
		{"chart unknown type", map[string]string{"content/briefs/first.md": chartBrief + "```chart\ntype: bars\ndata: sales\nx: year\ny: sales\n```\n"}, []string{
			`content/briefs/first.md:9:7: unknown chart type "bars"; types are bar, line, area, pie, scatter, timeline, table`}},
		{"chart unknown field", map[string]string{"content/briefs/first.md": chartBrief + "```chart\ntype: bar\ndata: sales\nx: year\ny: sales\ncolour: red\n```\n"}, []string{
			`content/briefs/first.md:13:1: unknown key "colour"`}},
		{"chart wrong column types", map[string]string{"content/briefs/first.md": chartBrief + "```chart\ntype: timeline\ndata: sales\nx: year\ny: sales\n```\n"}, []string{
			`content/briefs/first.md:11:4: x column "year" holds integer values; a timeline chart needs date for x`,
			`content/briefs/first.md:12:4: y column "sales" holds number values; a timeline chart needs string for y`}},
		{"chart pie x numeric", map[string]string{"content/briefs/first.md": chartBrief + "```chart\ntype: pie\ndata: sales\nx: sales\ny: year\n```\n"}, []string{
			`content/briefs/first.md:11:4: x column "sales" holds number values; a pie chart needs string, integer or date for x`}},
		{"chart missing y", map[string]string{"content/briefs/first.md": chartBrief + "```chart\ntype: bar\ndata: sales\nx: year\n```\n"}, []string{
			`content/briefs/first.md:8:1: a bar chart needs y`}},
		{"chart duplicate id", map[string]string{"content/briefs/first.md": chartBrief + "```chart\ntype: bar\ndata: sales\nx: year\ny: sales\nid: dup\n```\n\n```chart\ntype: line\ndata: sales\nx: year\ny: sales\nid: dup\n```\n"}, []string{
			`content/briefs/first.md:21:5: chart id "dup" is already used by content/briefs/first.md:13; give this chart its own id`}},
		{"chart where matches nothing", map[string]string{"content/briefs/first.md": chartBrief + "```chart\ntype: bar\ndata: sales\nx: year\ny: sales\nwhere: {year: 1999}\n```\n"}, []string{
			`content/briefs/first.md:13:9: no rows of dataset "sales" to plot: where matches none`}},
		{"chart height", map[string]string{"content/briefs/first.md": chartBrief + "```chart\ntype: bar\ndata: sales\nx: year\ny: sales\nheight: 5000\n```\n"}, []string{
			`content/briefs/first.md:13:9: height must be a whole number of pixels from 160 to 1200, not the number 5000`}},
		{"chart syntax error", map[string]string{"content/briefs/first.md": chartBrief + "```chart\ntype: bar\ndata: [sales\n```\n"}, []string{
			`content/briefs/first.md:10: invalid YAML: did not find expected ',' or ']'`}},
		{"chart empty", map[string]string{"content/briefs/first.md": chartBrief + "```chart\n```\n"}, []string{
			`content/briefs/first.md:8:1: empty chart: it needs at least type and data`}},
		{"chart bad id", map[string]string{"content/briefs/first.md": chartBrief + "```chart\ntype: bar\ndata: sales\nx: year\ny: sales\nid: Bad_ID\n```\n"}, []string{
			`content/briefs/first.md:13:5: id "Bad_ID" must be lowercase ASCII letters and digits joined by hyphens, as it names /charts/<id>/`}},
		{"value no row", map[string]string{"content/briefs/first.md": chartBrief + "Text {{< value data=\"sales\" col=\"sales\" where=\"year=2023\" >}}.\n"}, []string{
			`content/briefs/first.md:8:41: where "year=2023" matches no row of dataset "sales"`}},
		{"value unknown dataset", map[string]string{"content/briefs/first.md": chartBrief + "Text {{< value data=\"sale\" col=\"sales\" >}}.\n"}, []string{
			`content/briefs/first.md:8:16: unknown dataset "sale": there is no data/sale.yaml; did you mean "sales"?`}},
		{"value unknown column", map[string]string{"content/briefs/first.md": chartBrief + "Text {{< value data=\"sales\" col=\"sale\" where=\"year=2022\" >}}.\n"}, []string{
			`content/briefs/first.md:8:29: dataset "sales" has no column "sale"; did you mean "sales"?`}},
		{"ref unknown id", map[string]string{"content/briefs/first.md": chartBrief + "Text {{< ref \"nope\" >}}.\n"}, []string{
			`content/briefs/first.md:8:6: ref "nope": no chart has that id`}},
		{"unknown shortcode", map[string]string{"content/briefs/first.md": chartBrief + "Text {{< valeu data=\"sales\" >}}.\n"}, []string{
			`content/briefs/first.md:8:6: unknown shortcode "valeu"; folio has value and ref`}},
		{"shortcode unclosed", map[string]string{"content/briefs/first.md": chartBrief + "Text {{< value data=\"sales\" col=\"sales\"\n"}, []string{
			`content/briefs/first.md:8:6: shortcode is not closed with ">}}" on the same line`}},
		{"shortcode unquoted", map[string]string{"content/briefs/first.md": chartBrief + "Text {{< value data=sales >}}.\n"}, []string{
			`content/briefs/first.md:8:6: shortcode argument data needs a quoted value: data="..."`}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			files := baseSite(t, tc.changes)
			_, got := renderFiles(t, files, Options{})
			if strings.Join(got, "\n") != strings.Join(tc.want, "\n") {
				t.Fatalf("problems:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(tc.want, "\n"))
			}
			assertSiteUntouched(t, files)
		})
	}
}

// assertSiteUntouched builds the good base site on disk, then files, and
// checks that the failed build left site/ exactly as it was.
func assertSiteUntouched(t *testing.T, files map[string]string) {
	t.Helper()
	src := t.TempDir()
	writeFiles(t, src, baseSite(t, nil))
	out := filepath.Join(src, "site")
	if _, probs, err := Build(src, out, Options{Today: today}); err != nil || len(probs) > 0 {
		t.Fatalf("base site: %v %v", err, probs)
	}
	before := snapshot(t, out)
	entries, err := os.ReadDir(src)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if e.Name() != "site" {
			if err := os.RemoveAll(filepath.Join(src, e.Name())); err != nil {
				t.Fatal(err)
			}
		}
	}
	writeFiles(t, src, files)
	if _, probs, err := Build(src, out, Options{Today: today}); err == nil && probs.Errors() == 0 {
		t.Fatalf("bad site built without errors")
	}
	if after := snapshot(t, out); after != before {
		t.Fatalf("site/ changed by a failed build")
	}
	if left := leftovers(t, out); len(left) > 0 {
		t.Fatalf("failed build left %v", left)
	}
}

// snapshot lists every file of dir with its contents.
func snapshot(t *testing.T, dir string) string {
	t.Helper()
	var b strings.Builder
	err := filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := os.ReadFile(p)
		b.WriteString(p + "\n" + string(data) + "\n")
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return b.String()
}
