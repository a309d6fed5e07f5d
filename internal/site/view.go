package site

import (
	"html/template"
	"time"

	"github.com/folio-ssg/folio/internal/markdown"
)

// The types below are what templates see. Each page template receives a
// *View; the fields that matter depend on View.Kind. Every URL in a view is
// already a path inside the site's base path ("/observatory/briefs/x/"),
// so templates never build URLs by hand.

// View is the data of one page.
type View struct {
	Site *SiteView
	Kind string // home, briefs, brief, author, tags, tag, page, datasets, dataset, chart, 404

	Title       string // the page's own title ("" on the home page)
	Description string // for <meta name="description">
	URL         string // this page's path, e.g. /observatory/briefs/x/
	Canonical   string // absolute URL of this page
	Section     string // the menu URL this page belongs under, for aria-current

	Content template.HTML // rendered Markdown: home intro, page body, author bio

	Brief    *BriefView   // brief
	Briefs   []*BriefView // home (latest), briefs (all), author, tag
	Author   *AuthorView  // author
	Tag      *TagView     // tag
	Tags     []*TagView   // tags
	Dataset  *DatasetView // dataset
	Datasets []*DatasetView

	// JSONLD is the page's schema.org description (a Report on briefs, a
	// Dataset on dataset pages), ready for <script type="application/ld+json">.
	JSONLD template.JS

	Figure  *FigureView   // chart: the embed page's one figure
	Figures []*FigureView // the figures on this page, in order; the base
	// template loads the chart scripts only when there are any
}

// SiteView is what every page knows about the site.
type SiteView struct {
	Title, Description string
	BaseURL            string // absolute, ends in "/"
	BasePath           string // "/" or "/observatory/"
	Language           string
	Publisher, License string
	Menu               []MenuView
	Year               int // year of the newest brief, for the footer; no wall clock
	Drafts             bool
}

// MenuView is one navigation entry.
type MenuView struct{ Title, URL string }

// BriefView is a briefing.
type BriefView struct {
	Slug, URL                string
	Title, Subtitle, Summary string
	Type                     string
	Date, Updated            time.Time // Updated is zero when absent
	Authors                  []*AuthorView
	Tags                     []*TagView
	KeyPoints                []string
	Corrections              []CorrectionView
	TOC                      []markdown.Heading // nil unless the brief has three or more h2
	Body                     template.HTML
	Related                  []*BriefView // briefs sharing tags, most shared first
	Datasets                 []*DatasetView
	Draft                    bool // a draft or embargoed brief, built with -drafts
	WordCount                int
	Citation                 *Citation
	ExternalLinks            []string // the body's links to other sites, in order, for print

	PDF *FileView // the brief as a PDF, made by build -pdf; nil without

	// CardMeta is the brief's date, authors and summary as the template
	// "brief-card-meta" renders them, made once per build: every list of
	// briefs shows it with {{.CardMeta}} instead of rendering it again.
	CardMeta template.HTML

	index int // position in the renderer's briefs, newest first
}

// CorrectionView is one correction.
type CorrectionView struct {
	Date time.Time
	Text string
}

// AuthorView is an author.
type AuthorView struct {
	Slug, URL, Name, Role, Affiliation string
	Briefs                             []*BriefView // newest first
}

// TagView is a topic.
type TagView struct {
	Name, Slug, URL string
	Briefs          []*BriefView // newest first
}

// DatasetView is a dataset with its table ready to show.
type DatasetView struct {
	Name, URL, CSV, JSON string
	Title, Description   string
	SourceName           string
	SourceURL            string
	Retrieved            time.Time // zero when absent
	License, Notes       string
	Illustrative         bool
	Columns              []ColumnView
	Rows                 [][]CellView
	Briefs               []*BriefView  // briefs that use the dataset
	Figures              []*FigureView // charts drawn from the dataset
	Citation             *Citation
}

// ColumnView is a column header.
type ColumnView struct {
	Name, Label, Unit, Type string
	Numeric                 bool // integer or number: right-aligned
}

// CellView is one formatted cell.
type CellView struct {
	Type    string // its column's type, as ColumnView.Type
	Text    string
	Value   string // machine-readable value for <data value>, "" when null
	URL     string // url columns: the link target
	Numeric bool
	Null    bool

	// HTML is the cell as the template "table-cell" renders it, its
	// <td>, made once per build for each distinct cell: a figure's cells
	// are its dataset's, drawn again by every chart of it. "" when the
	// templates do not define "table-cell".
	HTML template.HTML
}

// FigureView is one chart, as its figure shows it: in a brief's body, on
// its dataset's page and alone on its embed page /charts/<id>/. Templates
// render it with templates/figure.html, which defines "figure".
type FigureView struct {
	ID      string // the element id and the embed page's slug; #ID links to it
	Number  int    // "Figure N", numbered in order within its page
	Type    string // bar, line, area, pie, scatter, timeline, table
	Title   string
	Caption string
	Summary string // the text alternative: given, or generated from the data
	Height  int    // in px, for the chart's drawing area

	// Options is the ECharts option object as JSON, already safe to place
	// inside <script type="application/json"> (<, >, & and U+2028/9 are
	// escaped); nil for type table, which draws no chart.
	Options template.JS

	Dataset *DatasetView // source, licence, illustrative flag, downloads
	Columns []ColumnView // exactly the plotted data
	Rows    [][]CellView

	EmbedURL  string // path of /charts/<id>/
	EmbedCode string // <iframe ...> code for readers to copy, absolute URL

	PageTitle, PageURL string // the page the figure appears on
	Citation           *Citation

	// The chart as pictures, made by build -images; nil without.
	SVG, PNG *FileView

	// HTML is the figure as the template "figure" renders it, made once
	// for the page it is on: its embed page and its dataset's page show
	// it again with {{.HTML}} instead of rendering it twice more.
	HTML template.HTML
}

// Modified is when the brief last changed: its updated date or its
// latest correction, whichever is later, or its date.
func (b *BriefView) Modified() time.Time {
	m := b.Date
	if b.Updated.After(m) {
		m = b.Updated
	}
	for _, c := range b.Corrections {
		if c.Date.After(m) {
			m = c.Date
		}
	}
	return m
}
