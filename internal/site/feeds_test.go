package site

import (
	"bytes"
	"fmt"
	"testing"
)

// TestFeedsSplicedFromParts: a feed spliced from entries encoded one by
// one (what folio serve does, so that an edit re-encodes one entry) is
// byte for byte the feed encoded whole, for feeds with no entries, one,
// and several, with text that needs escaping.
func TestFeedsSplicedFromParts(t *testing.T) {
	odd := `Tariffs & "quotas" <under> review — 'é' ` + "\u2028"
	for n := range 4 {
		t.Run(fmt.Sprint(n, " entries"), func(t *testing.T) {
			atom := atomFeed{Lang: "en", Title: odd, Subtitle: "Sub " + odd, ID: "https://example.org/",
				Updated: "2025-01-01T00:00:00Z", Links: []atomLink{{Rel: "self", Type: "application/atom+xml", Href: "https://example.org/feed.xml"}},
				Rights: "CC BY 4.0"}
			if n%2 == 1 {
				atom.Author = &atomPerson{Name: "Publisher", URI: "https://example.org/"}
			}
			jf := jsonFeedDoc{Version: "https://jsonfeed.org/version/1.1", Title: odd, HomePageURL: "https://example.org/",
				FeedURL: "https://example.org/feed.json", Items: []jsonFeedItem{}}
			for i := range n {
				url := fmt.Sprintf("https://example.org/briefs/b-%d/", i)
				atom.Entries = append(atom.Entries, atomEntry{Title: fmt.Sprint(odd, i), ID: url,
					Links:     []atomLink{{Rel: "alternate", Type: "text/html", Href: url}},
					Published: "2025-01-01T00:00:00Z", Updated: "2025-01-02T00:00:00Z",
					Authors:    []atomPerson{{Name: "A & B", URI: "https://example.org/authors/a/"}},
					Categories: []atomCategory{{Term: "t", Label: "T <1>"}}[:i%2], Summary: odd})
				jf.Items = append(jf.Items, jsonFeedItem{ID: url, URL: url, Title: odd, Summary: odd, ContentText: odd,
					DatePublished: "2025-01-01T00:00:00Z", DateModified: "2025-01-02T00:00:00Z",
					Authors: []jsonAuthor{{Name: "A & B"}}[:i%2], Tags: []string{"x <y>"}})
			}
			var entries, items [][]byte
			for _, e := range atom.Entries {
				entries = append(entries, encodeAtomEntry(e))
			}
			for _, it := range jf.Items {
				items = append(items, mustIndent(it, "    "))
			}
			if got, want := spliceAtom(atom, entries), encodeXML(atom); !bytes.Equal(got, want) {
				t.Errorf("spliced Atom feed:\n%s\nwant:\n%s", got, want)
			}
			if got, want := spliceJSONFeed(jf, items), encodeJSONFeed(jf); !bytes.Equal(got, want) {
				t.Errorf("spliced JSON feed:\n%s\nwant:\n%s", got, want)
			}
		})
	}
}
