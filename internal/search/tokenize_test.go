package search

import (
	"encoding/json"
	"os"
	"os/exec"
	"slices"
	"strings"
	"testing"
)

// tokenCases are texts with the terms the index holds for them and the
// terms a query of the same text looks for.
var tokenCases = []struct {
	text         string
	index, query []string
}{
	{"", nil, nil},
	{"  ,.;  ", nil, nil},
	{"Export controls", []string{"export", "controls"}, []string{"export", "controls"}},
	{"The chip and the law", []string{"chip", "law"}, []string{"chip", "law"}},
	{"Coûts de l’énergie", []string{"couts", "de", "energie", "lenergie"}, []string{"couts", "de", "energie"}},
	{"NAÏVE Ångström façade", []string{"naive", "angstrom", "facade"}, []string{"naive", "angstrom", "facade"}},
	{"DeepSeek's", []string{"deepseek", "deepseeks"}, []string{"deepseek"}},
	{"DeepSeek-V3", []string{"deepseek", "v3", "deepseekv3"}, []string{"deepseek", "v3"}},
	{"U.S. controls", []string{"us", "controls"}, []string{"us", "controls"}},
	{"e.g. a I x", []string{"eg"}, []string{"eg"}},
	{"2,000 chips in 2022, 2023", []string{"2", "000", "2000", "chips", "2022", "2023"}, []string{"2", "000", "chips", "2022", "2023"}},
	{"47.5 bn", []string{"47", "5", "475", "bn"}, []string{"47", "5", "bn"}},
	{"7 to 10 months", []string{"7", "10", "months"}, []string{"7", "10", "months"}},
	{"Form 10-K", []string{"form", "10", "10k"}, []string{"form", "10"}},
	{"ﬁne ½ ①", []string{"fine", "1", "2", "12", "1"}, []string{"fine", "1", "2"}},
	{"ΣΟΦΟΣ σοφός", []string{"σοφοσ", "σοφοσ"}, []string{"σοφοσ"}},
	{"İstanbul", []string{"istanbul"}, []string{"istanbul"}},
	{"中国芯片 AI芯片", []string{"中", "国", "芯", "片", "ai", "芯", "片"}, []string{"中", "国", "芯", "片", "ai"}},
	{"export export", []string{"export", "export"}, []string{"export"}},
	{"end.Next -x- 'quoted'", []string{"end", "next", "endnext", "quoted"}, []string{"end", "next", "quoted"}},
	{"a--b", nil, nil},
	{strings.Repeat("x", 45), []string{strings.Repeat("x", 40)}, []string{strings.Repeat("x", 40)}},
	{"https://example.org/a-b", []string{"https", "example", "org", "exampleorg", "ab"}, []string{"https", "example", "org", "ab"}},
	{"bad\xffutf8", []string{"bad", "utf8"}, []string{"bad", "utf8"}},
}

func TestTerms(t *testing.T) {
	for _, tt := range tokenCases {
		var got []string
		indexTerms(tt.text, func(term string) { got = append(got, term) })
		if !slices.Equal(got, tt.index) {
			t.Errorf("index terms of %q = %q, want %q", tt.text, got, tt.index)
		}
		if got := queryTerms(tt.text); !slices.Equal(got, tt.query) {
			t.Errorf("query terms of %q = %q, want %q", tt.text, got, tt.query)
		}
	}
}

// TestQueryTermsMatchJS runs search.js's tokeniser in Node over the same
// cases, and more, and fails where it disagrees with the Go one: a query
// must find what the index holds.
func TestQueryTermsMatchJS(t *testing.T) {
	node, err := exec.LookPath("node")
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("node not found")
		}
		t.Skip("node not found: install Node.js to check search.js's tokeniser")
	}
	queries := []string{"ΣΟΦΟΣ ς", "Ǆemal ǅ", "ß ẞ", "한국어 hangul", "हिन्दी", "𝐀𝐁𝐂 bold", "𠀀𠀁 ext-b",
		"café-crème", "l'été", "x,y 1,x 1,2", "－１２３ full width", "tab\there", "A.I.", "Ⅻ roman"}
	for _, tt := range tokenCases {
		queries = append(queries, tt.text)
	}
	in, _ := json.Marshal(map[string]any{"stop": stopWords, "queries": queries})
	cmd := exec.Command(node, "-e", `
const s = require(process.argv[1]);
let data = '';
process.stdin.on('data', d => data += d);
process.stdin.on('end', () => {
  const {stop, queries} = JSON.parse(data);
  s.setStop(stop);
  process.stdout.write(JSON.stringify(queries.map(q => s.parseQuery(q).terms)));
});`, "../../templates/assets/search.js")
	cmd.Stdin = strings.NewReader(string(in))
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("node: %v", err)
	}
	var got [][]string
	if err := json.Unmarshal(out, &got); err != nil {
		t.Fatalf("node said %s: %v", out, err)
	}
	for i, q := range queries {
		want := queryTerms(strings.ToValidUTF8(q, "\uFFFD"))
		if want == nil {
			want = []string{}
		}
		if !slices.Equal(got[i], want) {
			t.Errorf("query %q: search.js finds terms %q, Go %q", q, got[i], want)
		}
	}
}
