package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"github.com/folio-ssg/folio/internal/diag"
	"github.com/folio-ssg/folio/internal/site"
)

// errProblems means the site has problems, already printed; exit status 1.
var errProblems = errors.New("the site has problems")

// report prints problems sorted, then a count. It returns errProblems when
// they fail the build: any error, or any warning under -strict.
func report(probs diag.List, strict bool, stderr io.Writer) error {
	return reportFrom(".", probs, strict, stderr)
}

// reportFrom is report for the sources in src. In GitHub Actions it also
// prints each problem as a workflow command, after the count, so the pull
// request shows it on its line (annotate.go).
func reportFrom(src string, probs diag.List, strict bool, stderr io.Writer) error {
	if len(probs) == 0 {
		return nil
	}
	probs = probs.Sort()
	for _, p := range probs {
		fmt.Fprintln(stderr, p)
	}
	errs, warns := probs.Errors(), len(probs)-probs.Errors()
	fmt.Fprintf(stderr, "%s, %s\n", plural(errs, "error"), plural(warns, "warning"))
	annotate(stderr, probs, ciPrefix(src))
	if errs > 0 || (strict && warns > 0) {
		return errProblems
	}
	return nil
}

func plural(n int, what string) string {
	if n == 1 {
		return "1 " + what
	}
	return fmt.Sprintf("%d %ss", n, what)
}

func cmdBuild(args []string, stdout, stderr io.Writer) error {
	fs := newFlags("build", "folio build [-src DIR] [-out DIR] [-base-url URL] [-drafts] [-strict] [-precompress] [-pdf] [-images] [-chromium PATH]", stderr)
	src := fs.String("src", ".", "site source `folder`")
	out := fs.String("out", "", "output `folder` (default <src>/site)")
	baseURL := fs.String("base-url", "", "override folio.yaml's base_url, e.g. https://example.org/observatory/")
	drafts := fs.Bool("drafts", false, "include drafts and embargoed briefs")
	strict := fs.Bool("strict", false, "fail on warnings too")
	precompress := fs.Bool("precompress", false, "also write .gz and .br beside text files, for servers that serve them as they are (nginx gzip_static, Caddy precompressed)")
	pdf := fs.Bool("pdf", false, "also print each brief to briefs/<slug>/<slug>.pdf (A4) in headless Chromium, linked from its page")
	images := fs.Bool("images", false, "also draw each chart to charts/<id>/<id>.svg and .png (2x) in headless Chromium, offered under its figure")
	chromium := fs.String("chromium", "", "the Chromium or Chrome `program` for -pdf and -images (default $FOLIO_CHROMIUM, else found on PATH)")
	if err := parseFlags(fs, args, 0); err != nil {
		return err
	}
	if *out == "" {
		*out = filepath.Join(*src, "site")
	}
	start := time.Now()
	prog := startProgress(stderr)
	st, probs, err := site.Build(*src, *out, site.Options{Drafts: *drafts, BaseURL: *baseURL, Strict: *strict,
		Precompress: *precompress, PDF: *pdf, Images: *images, Chromium: *chromium, Progress: prog.Stage})
	prog.Stop()
	if err := reportFrom(*src, probs, *strict, stderr); err != nil {
		return err
	}
	if err != nil {
		return err
	}
	made := ""
	if *pdf {
		made += ", " + plural(st.PDFs, "PDF")
	}
	if *images {
		made += ", " + plural(st.Images, "chart") + " as SVG and PNG"
	}
	fmt.Fprintf(stdout, "Built %s (%s, %s, %s%s, %s) into %s in %s\n",
		plural(st.Pages, "page"), plural(st.Briefs, "brief"), plural(st.Datasets, "dataset"),
		plural(st.Charts, "chart"), made, plural(st.Files, "file"), *out, elapsed(start))
	return nil
}

func cmdCheck(args []string, stdout, stderr io.Writer) error {
	fs := newFlags("check", "folio check [-src DIR] [-strict] [-code-quality FILE]", stderr)
	src := fs.String("src", ".", "site source `folder`")
	strict := fs.Bool("strict", false, "fail on warnings too")
	cq := fs.String("code-quality", "", "also write the problems to `FILE` as a GitLab Code Quality report")
	if err := parseFlags(fs, args, 0); err != nil {
		return err
	}
	start := time.Now()
	if fi, err := os.Stat(*src); err != nil || !fi.IsDir() {
		return fmt.Errorf("source folder %s: not found", *src)
	}
	// check covers drafts too: an editor wants to know before publishing.
	prog := startProgress(stderr)
	s, probs := site.Load(os.DirFS(*src), site.Options{Drafts: true, Progress: prog.Stage})
	var st site.Stats
	if s != nil && probs.Errors() == 0 {
		var more diag.List
		_, st, more = s.Render()
		probs = append(probs, more...)
	}
	prog.Stop()
	if *cq != "" {
		// Written before the verdict, so GitLab gets the report of a
		// failing check too: that is when it matters.
		if err := os.WriteFile(*cq, codeQuality(probs.Sort(), ciPrefix(*src)), 0o644); err != nil {
			return err
		}
	}
	if err := reportFrom(*src, probs, *strict, stderr); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "Checked %s (%s, %s) in %s\n", plural(st.Pages, "page"), plural(st.Briefs, "brief"),
		plural(st.Datasets, "dataset"), elapsed(start))
	return nil
}

func elapsed(start time.Time) string {
	d := time.Since(start)
	if d < time.Second {
		return d.Round(time.Millisecond).String()
	}
	return d.Round(10 * time.Millisecond).String()
}
