package site

import (
	"encoding/json"
	"encoding/xml"
	"regexp"
	"strings"
	"testing"
)

// TestFeedsAndMetadata parses what the example site publishes for
// machines, against the structure each format requires.
func TestFeedsAndMetadata(t *testing.T) {
	out, probs := renderFiles(t, readRepo(t), Options{})
	if out == nil {
		t.Fatal(probs)
	}
	var atom struct {
		XMLName xml.Name `xml:"http://www.w3.org/2005/Atom feed"`
		ID      string   `xml:"id"`
		Updated string   `xml:"updated"`
		Entries []struct {
			Title     string `xml:"title"`
			ID        string `xml:"id"`
			Published string `xml:"published"`
			Updated   string `xml:"updated"`
			Summary   string `xml:"summary"`
			Link      struct {
				Href string `xml:"href,attr"`
			} `xml:"link"`
			Authors []struct {
				Name string `xml:"name"`
			} `xml:"author"`
		} `xml:"entry"`
	}
	if err := xml.Unmarshal(out["feed.xml"], &atom); err != nil {
		t.Fatalf("feed.xml: %v", err)
	}
	if len(atom.Entries) < 3 || atom.ID == "" || atom.Updated == "" {
		t.Errorf("feed.xml: %d entries, id %q, updated %q", len(atom.Entries), atom.ID, atom.Updated)
	}
	for i, e := range atom.Entries {
		if e.Title == "" || e.ID == "" || e.Summary == "" || len(e.Authors) == 0 || !strings.HasPrefix(e.Link.Href, "https://") {
			t.Errorf("feed.xml entry %d incomplete: %+v", i, e)
		}
		if i > 0 && e.Published > atom.Entries[i-1].Published {
			t.Errorf("feed.xml entries not newest first at %d", i)
		}
	}
	var feed struct {
		Version, Title, HomePageURL, FeedURL string `json:"-"`
		Items                                []map[string]any
	}
	var raw map[string]any
	if err := json.Unmarshal(out["feed.json"], &raw); err != nil {
		t.Fatalf("feed.json: %v", err)
	}
	for _, k := range []string{"version", "title", "items"} {
		if raw[k] == nil {
			t.Errorf("feed.json lacks %q", k)
		}
	}
	_ = json.Unmarshal(out["feed.json"], &feed)
	for i, it := range feed.Items {
		if it["id"] == nil || (it["content_text"] == nil && it["content_html"] == nil) || it["url"] == nil {
			t.Errorf("feed.json item %d lacks id, content or url: %v", i, it)
		}
	}
	var sm struct {
		URLs []struct {
			Loc string `xml:"loc"`
		} `xml:"url"`
	}
	if err := xml.Unmarshal(out["sitemap.xml"], &sm); err != nil {
		t.Fatalf("sitemap.xml: %v", err)
	}
	pages := 0
	for p := range out {
		if strings.HasSuffix(p, "index.html") {
			pages++
		}
	}
	if len(sm.URLs) != pages {
		t.Errorf("sitemap lists %d URLs; the site has %d pages", len(sm.URLs), pages)
	}
	ld := regexp.MustCompile(`<script type="application/ld\+json">(.*?)</script>`)
	for p, want := range map[string]string{
		"briefs/ai-chip-market-and-leverage/index.html": "Report",
		"data/nvidia_datacenter_revenue/index.html":     "Dataset",
	} {
		m := ld.FindSubmatch(out[p])
		if m == nil {
			t.Errorf("%s: no JSON-LD", p)
			continue
		}
		var v map[string]any
		if err := json.Unmarshal(m[1], &v); err != nil {
			t.Errorf("%s: JSON-LD: %v", p, err)
			continue
		}
		if v["@type"] != want || v["@context"] != "https://schema.org" || v["name"] == nil || v["publisher"] == nil {
			t.Errorf("%s: JSON-LD %v", p, v)
		}
		if want == "Dataset" && len(v["distribution"].([]any)) != 2 {
			t.Errorf("%s: JSON-LD distributions %v", p, v["distribution"])
		}
		if want == "Report" && (v["author"] == nil || v["datePublished"] == nil || v["keywords"] == nil) {
			t.Errorf("%s: JSON-LD lacks authors, date or keywords: %v", p, v)
		}
	}
	brief := string(out["briefs/ai-chip-market-and-leverage/index.html"])
	for _, want := range []string{`<meta name="citation_title"`, `<meta name="citation_author" content="Jonah Sample">`,
		`<meta name="citation_publication_date" content="2025/06/10">`, `<meta name="twitter:card"`, `<meta property="og:title"`} {
		if !strings.Contains(brief, want) {
			t.Errorf("brief lacks %s", want)
		}
	}
}

func TestCitation(t *testing.T) {
	s, probs := Load(mapFS(baseSite(t, nil)), Options{})
	if s == nil {
		t.Fatal(probs)
	}
	r := &renderer{site: s}
	c := r.cite("x_1", "Report", []string{"Ana Ruiz", "Bo Li"}, "Costs & 50% {rise}", today, "https://example.org/obs/briefs/x/")
	wantPlain := "Ana Ruiz and Bo Li. 2025. “Costs & 50% {rise}.” Test Institute, 1 June 2025. https://example.org/obs/briefs/x/. Accessed [date]."
	if c.Plain != wantPlain {
		t.Errorf("plain:\n got %q\nwant %q", c.Plain, wantPlain)
	}
	wantBib := "@techreport{x_1,\n  author      = {Ana Ruiz and Bo Li},\n  title       = {{Costs \\& 50\\% \\{rise\\}}},\n" +
		"  institution = {Test Institute},\n  year        = {2025},\n  url         = {https://example.org/obs/briefs/x/},\n  urldate     = {[date]},\n}"
	if c.BibTeX != wantBib {
		t.Errorf("bibtex:\n got %q\nwant %q", c.BibTeX, wantBib)
	}
}
