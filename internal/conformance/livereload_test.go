package conformance

import (
	"context"
	"io/fs"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	preview "github.com/folio-ssg/folio/internal/server"
)

// TestBrowserLiveReload is an editor's session with folio serve in
// Chromium, through the real watcher: a saved brief shows without any
// action; a stylesheet change is swapped in without reloading the page; a
// broken dataset shows the overlay naming its path:line:col, and fixing it
// takes the overlay away and shows the page again.
func TestBrowserLiveReload(t *testing.T) {
	browser(t)
	dir := t.TempDir()
	copyExample(t, dir)

	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	s := preview.New(preview.Config{Dir: dir, Addr: addr})
	w, err := s.Watch()
	if err != nil {
		t.Fatal(err)
	}
	if res := s.Rebuild(); res.Failed {
		t.Fatalf("first build: %v", res.Problems)
	}
	srvCtx, stop := context.WithCancel(context.Background())
	defer stop()
	go s.Serve(srvCtx, ln)
	go w.Run(srvCtx)

	tb, err := openTab(t, addr)
	if err != nil {
		t.Fatal(err)
	}
	defer tb.close()
	ctx, cancel := context.WithTimeout(tb.ctx, 3*time.Minute)
	defer cancel()
	do := func(step string, actions ...chromedp.Action[chromedp.Void]) {
		t.Helper()
		if err := chromedp.Do(ctx, actions...); err != nil {
			t.Fatalf("%s: %v", step, err)
		}
	}
	eval := func(step, expr string) bool {
		t.Helper()
		v, err := chromedp.Run(ctx, chromedp.Evaluate[bool](expr))
		if err != nil {
			t.Fatalf("%s: %v", step, err)
		}
		return v
	}
	// waitFor polls a JavaScript condition; a save is rebuilt and shown
	// in well under a second, the rest is margin for a loaded machine.
	// A reload ends a poll with the page it ran in; poll again in the
	// new one.
	waitFor := func(step, cond string) {
		t.Helper()
		deadline := time.Now().Add(60 * time.Second)
		for {
			_, err := chromedp.Run(ctx, chromedp.Poll[bool](cond, chromedp.WithPollingTimeout(time.Until(deadline)), chromedp.WithPollingInterval(50*time.Millisecond)))
			if err == nil {
				return
			}
			if time.Now().After(deadline) || !(strings.Contains(err.Error(), "navigated or closed") || strings.Contains(err.Error(), "context was destroyed")) {
				t.Fatalf("%s: %v", step, err)
			}
			time.Sleep(50 * time.Millisecond)
		}
	}
	const mark = `window.folioNotReloaded = true`
	const stillMarked = `window.folioNotReloaded === true`

	brief := filepath.Join(dir, "content/briefs/ai-chip-market-and-leverage.md")
	do("open the brief", chromedp.Navigate(s.URL()+"briefs/ai-chip-market-and-leverage/"), chromedp.WaitVisible("h1"))
	eval("mark the page", mark)

	// 1. Save a change to the brief: the page shows it by itself.
	original, err := os.ReadFile(brief)
	if err != nil {
		t.Fatal(err)
	}
	edited := append(append([]byte{}, original...), "\nA sentence from the editor, saved live.\n"...)
	writeAtomically(t, brief, edited)
	waitFor("the saved sentence shows", `document.body.innerText.includes("A sentence from the editor, saved live.")`)
	if eval("after the edit", stillMarked) {
		t.Error("the page changed without reloading: want a reload for a new build")
	}

	// 2. A stylesheet change swaps the stylesheet, without a reload.
	eval("mark the page", mark)
	css := filepath.Join(dir, "templates/assets/site.css")
	sheet, err := os.ReadFile(css)
	if err != nil {
		t.Fatal(err)
	}
	writeAtomically(t, css, append(append([]byte{}, sheet...), "\nbody { outline: 3px solid rgb(1, 2, 3); }\n"...))
	waitFor("the new stylesheet applies", `getComputedStyle(document.body).outlineColor === "rgb(1, 2, 3)"`)
	if !eval("after the stylesheet", stillMarked) {
		t.Error("the page reloaded for a stylesheet change: want the stylesheet swapped in place")
	}

	// 3. Break a dataset: the overlay names where, the page stays.
	data := filepath.Join(dir, "data/ai_chip_sales.yaml")
	good, err := os.ReadFile(data)
	if err != nil {
		t.Fatal(err)
	}
	bad := strings.Replace(string(good), "sales: 42}", "sales: forty-two}", 1)
	if bad == string(good) {
		t.Fatal("the dataset no longer holds the row this test breaks")
	}
	writeAtomically(t, data, []byte(bad))
	waitFor("the overlay shows", `(document.getElementById("folio-problems") || {}).textContent?.includes("data/ai_chip_sales.yaml:15:")`)
	overlay, err := chromedp.Run(ctx, chromedp.Text("#folio-problems"))
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("overlay: %s", overlay)
	if !strings.Contains(overlay, "data/ai_chip_sales.yaml:15:") || !strings.Contains(overlay, "forty-two") {
		t.Errorf("overlay does not name the broken cell: %q", overlay)
	}
	if !eval("overlay role", `document.getElementById("folio-problems").getAttribute("role") === "alert"`) {
		t.Error("the overlay is not role=alert")
	}

	// 4. Fix it: the overlay goes and the page is the good one again.
	writeAtomically(t, data, good)
	waitFor("the overlay goes", `!document.getElementById("folio-problems") && document.body.innerText.includes("A sentence from the editor, saved live.")`)

	for _, p := range tb.Problems() {
		// A reload cuts the page's open event stream; that is the
		// browser closing it, not a failure of the site.
		if strings.Contains(p, "/_folio/events") && strings.Contains(p, "ERR_ABORTED") {
			continue
		}
		t.Errorf("in the browser: %s", p)
	}
}

// copyExample copies the example site's sources into dir.
func copyExample(t *testing.T, dir string) {
	t.Helper()
	repo := os.DirFS(repoRoot)
	for _, root := range []string{"folio.yaml", "content", "data", "templates"} {
		err := fs.WalkDir(repo, root, func(p string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			dst := filepath.Join(dir, filepath.FromSlash(p))
			if d.IsDir() {
				return os.MkdirAll(dst, 0o755)
			}
			data, err := fs.ReadFile(repo, p)
			if err != nil {
				return err
			}
			return os.WriteFile(dst, data, 0o644)
		})
		if err != nil {
			t.Fatal(err)
		}
	}
}

// writeAtomically saves a file as many editors do: a new file renamed
// over the old one.
func writeAtomically(t *testing.T, path string, data []byte) {
	t.Helper()
	tmp := filepath.Join(filepath.Dir(path), "."+filepath.Base(path)+".tmp")
	if err := os.WriteFile(tmp, data, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Rename(tmp, path); err != nil {
		t.Fatal(err)
	}
}
