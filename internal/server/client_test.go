package server

import (
	"bytes"
	"encoding/json"
	"os/exec"
	"strings"
	"testing"
)

// TestReloadScriptText: the live-reload script never turns text into
// markup or code, and needs no inline style, so pages keep a strict CSP.
func TestReloadScriptText(t *testing.T) {
	for _, bad := range []string{"innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval(", "Function(",
		`setAttribute("style"`, ".cssText", "javascript:", "<script", "<style"} {
		if bytes.Contains(reloadJS, []byte(bad)) {
			t.Errorf("reload.js uses %s", bad)
		}
	}
}

// TestReloadScript runs the live-reload script under Node against a
// stub DOM (testdata/reload_harness.js): reloads, stylesheet swaps, the
// overlay of problems and its dismissal, and the server's failure page.
// Browser tests of serve are for internal/conformance.
func TestReloadScript(t *testing.T) {
	node, err := exec.LookPath("node")
	if err != nil {
		t.Skip("node not found")
	}
	out, err := exec.Command(node, "testdata/reload_harness.js", "client/reload.js").CombinedOutput()
	if err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	const want = `{
	"reload": {"events": ["/_folio/events"], "same": 0, "other": 1},
	"css": {
		"during": ["/obs/assets/site.1111111111.css", "/obs/assets/site.3333333333.css", "/obs/assets/print.2222222222.css"],
		"after": ["/obs/assets/site.3333333333.css", "/obs/assets/print.2222222222.css"],
		"reloadsAfterC": 0,
		"final": ["/obs/assets/site.4444444444.css", "/obs/assets/print.2222222222.css"],
		"reloads": 1
	},
	"problems": {
		"shown": {
			"role": "alert", "labelledby": "folio-problems-title",
			"heading": ["folio-problems-title: The site does not build: 2 problems"],
			"items": ["content/briefs/x.md:3:1: unknown key \"<img src=x onerror=alert(1)>\"", "data/y.yaml:7:25: bad"],
			"button": ["button: Dismiss"], "fixed": "fixed"
		},
		"redrawn": {
			"role": "alert", "labelledby": "folio-problems-title",
			"heading": ["folio-problems-title: The site does not build: 1 problem"],
			"items": ["data/y.yaml:7:25: bad"],
			"button": ["button: Dismiss"], "fixed": "fixed"
		},
		"boxes": 1, "before": 0, "after": 1
	},
	"dismiss": {"clicked": null, "escaped": null, "reloads": 0},
	"failurePage": {"same": 0, "shown": null, "changed": 1, "built": 1}
}`
	if got, want := canonical(t, out), canonical(t, []byte(want)); got != want {
		t.Errorf("the script did:\n%s\nwant:\n%s", got, want)
	}
}

func canonical(t *testing.T, data []byte) string {
	t.Helper()
	var v any
	if err := json.Unmarshal(data, &v); err != nil {
		t.Fatalf("%v: %s", err, data)
	}
	out, _ := json.MarshalIndent(v, "", "  ")
	return strings.TrimSpace(string(out))
}
