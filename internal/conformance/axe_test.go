package conformance

import (
	"encoding/json"
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// axeTags are the rule tags of WCAG 2.1 levels A and AA: what SPEC.md §8
// promises. Best-practice rules are left to taste.
var axeTags = []string{"wcag2a", "wcag2aa", "wcag21a", "wcag21aa"}

// axeRun runs axe-core over the document and keeps only what the tests
// use: the violations, with enough to find and fix each, and the ids of
// the rules that ran. With colourOnly it runs only the rules about colour
// (axe's category cat.color, such as color-contrast): all a change of
// colour scheme can change.
func axeRun(colourOnly bool) string {
	return `(() => {
	const tags = ` + mustJSON(axeTags) + `;
	const runOnly = ` + mustJSON(colourOnly) + `
		? {type: "rule", values: axe.getRules(tags).filter(r => r.tags.includes("cat.color")).map(r => r.ruleId)}
		: {type: "tag", values: tags};
	return axe.run(document, {runOnly, resultTypes: ["violations"]}).then(r => ({
		violations: r.violations.map(v => ({
			id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl,
			nodes: v.nodes.map(n => ({target: n.target, html: n.html, summary: n.failureSummary})),
		})),
		rules: [...new Set([...r.passes, ...r.violations, ...r.incomplete, ...r.inapplicable].map(x => x.id))],
	}));
})()`
}

func mustJSON(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	return string(b)
}

// axeResult is what axeRun returns.
type axeResult struct {
	Violations []axeViolation `json:"violations"`
	Rules      []string       `json:"rules"`
}

type axeViolation struct {
	ID      string `json:"id"`
	Impact  string `json:"impact"`
	Help    string `json:"help"`
	HelpURL string `json:"helpUrl"`
	Nodes   []struct {
		Target  json.RawMessage `json:"target"` // selectors; nested for frames and shadow roots
		HTML    string          `json:"html"`
		Summary string          `json:"summary"`
	} `json:"nodes"`
}

// String prints a violation as a person fixing it needs it: rule, impact,
// help, and each element with its selector, markup and what is wrong.
func (v axeViolation) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "axe %s (%s): %s\n    %s", v.ID, v.Impact, v.Help, v.HelpURL)
	for _, n := range v.Nodes {
		fmt.Fprintf(&b, "\n    element %s\n      %s", n.Target, n.HTML)
		if n.Summary != "" {
			fmt.Fprintf(&b, "\n      %s", strings.ReplaceAll(n.Summary, "\n", "\n      "))
		}
	}
	return b.String()
}

// axeSource returns the text of the pinned axe.min.js.
func axeSource(t testing.TB) string {
	t.Helper()
	p := requireTool(t, "axe-core", "npm ci --ignore-scripts --prefix tools/conformance")
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// axe runs axe-core on the page in the tab, all WCAG 2.1 A and AA rules
// or only those about colour, injecting src (axe.min.js) first when the
// page has no axe yet. The script is evaluated through the
// DevTools protocol, which the page's Content-Security-Policy does not
// govern, so the policy stays as strict for axe's run as for the page.
func (tb *tab) axe(src string, colourOnly bool) (axeResult, error) {
	has, err := chromedp.Run(tb.ctx, chromedp.Evaluate[bool](`typeof axe === "object"`))
	if err != nil {
		return axeResult{}, err
	}
	if !has {
		if err := chromedp.Do(tb.ctx, chromedp.Evaluate[chromedp.Void](src)); err != nil {
			return axeResult{}, fmt.Errorf("injecting axe-core: %w", err)
		}
	}
	res, err := chromedp.Run(tb.ctx, chromedp.Evaluate[axeResult](axeRun(colourOnly), chromedp.EvalAwaitPromise))
	if err != nil {
		return axeResult{}, fmt.Errorf("running axe-core: %w", err)
	}
	return res, nil
}
