package site

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/folio-ssg/folio/internal/edition"
)

// Editions: with Options.PDF, Build prints every brief of the build to
// briefs/<slug>/<slug>.pdf, and with Options.Images it draws every chart
// to charts/<id>/<id>.svg and .png, in headless Chromium (internal/edition)
// over the rendered site held in memory. A PDF's size is on its brief's
// page ("PDF, 412 KB"), so the site is rendered twice: once to print and
// draw from, then again with the files, which the pages now link and the
// link check sees. Everything goes into the Output before Write, so a
// failure anywhere leaves the published site as it was.

// imageWidth is the width of chart images in CSS px; the PNG has twice as
// many pixels, for slides and high-density screens. Their height is the
// chart's own.
const imageWidth = 800

// FileView is a file made by the build that a page offers.
type FileView struct {
	URL           string // path inside the site
	Abs           string // absolute URL
	Size          int    // in bytes
	Width, Height int    // in pixels, for a PNG; 0 otherwise
}

// SizeText is the size as a reader reads it: "412 KB", "1.3 MB".
func (f *FileView) SizeText() string {
	switch {
	case f.Size < 1000:
		return fmt.Sprintf("%d bytes", f.Size)
	case f.Size < 999_500: // not "1000 KB"
		return fmt.Sprintf("%d KB", (f.Size+500)/1000)
	}
	return fmt.Sprintf("%.1f MB", float64(f.Size)/1e6)
}

// ImageFigure is the figure whose PNG is the page's og:image: the chart
// page's own, or a brief's first; nil when there is none.
func (v *View) ImageFigure() *FigureView {
	if v.Figure != nil {
		if v.Figure.PNG != nil {
			return v.Figure
		}
		return nil
	}
	if v.Brief == nil {
		return nil
	}
	for _, f := range v.Figures {
		if f.PNG != nil {
			return f
		}
	}
	return nil
}

// feedImage is the figure whose PNG a feed shows for brief b: its first
// with one; nil when there is none.
func (r *renderer) feedImage(b *BriefView) *FigureView {
	for _, f := range r.figures["content/briefs/"+b.Slug+".md"] {
		if f != nil && f.PNG != nil {
			return f
		}
	}
	return nil
}

func pdfKey(slug string) string      { return "briefs/" + slug + "/" + slug + ".pdf" }
func imageKey(id, ext string) string { return "charts/" + id + "/" + id + "." + ext }

// fileView describes the made file at key; nil when there is none.
func (r *renderer) fileView(key string) *FileView {
	data, ok := r.editions[key]
	if !ok {
		return nil
	}
	return &FileView{URL: r.link("/" + key), Abs: r.abs("/" + key), Size: len(data)}
}

// linkImages gives each figure its images, before the figures are
// rendered into their pages.
func (r *renderer) linkImages() {
	if r.editions == nil {
		return
	}
	for _, figs := range r.figures {
		for _, fv := range figs {
			if fv == nil {
				continue
			}
			fv.SVG = r.fileView(imageKey(fv.ID, "svg"))
			if fv.PNG = r.fileView(imageKey(fv.ID, "png")); fv.PNG != nil {
				fv.PNG.Width, fv.PNG.Height = 2*imageWidth, 2*fv.Height
			}
		}
	}
}

// linkPDFs gives each brief its PDF.
func (r *renderer) linkPDFs() {
	if r.editions == nil {
		return
	}
	for slug, v := range r.briefView {
		v.PDF = r.fileView(pdfKey(slug))
	}
}

// addEditions adds the made files to the Output.
func (r *renderer) addEditions() {
	maps.Copy(r.out, r.editions)
}

// editionFiles makes the PDFs (opts.PDF) and chart images (opts.Images)
// of the site that r rendered, in the browser exe, and counts them; the
// site is then rendered again with them.
func (s *Site) editionFiles(r *renderer, exe string) (files Output, pdfs, images int, err error) {
	cfg := s.Config
	var pages []edition.Page
	slugs := map[int]string{} // page index -> brief slug, for PDFs
	at := map[string]int{}    // page path -> index
	page := func(p string) int {
		i, ok := at[p]
		if !ok {
			i = len(pages)
			at[p] = i
			pages = append(pages, edition.Page{Path: p})
		}
		return i
	}
	if s.opts.PDF {
		for _, b := range r.briefs {
			v := r.briefView[b.Slug]
			i := page("briefs/" + b.Slug + "/")
			pages[i].PDF = &edition.PDF{Header: v.Title, Footer: cfg.Title, Date: v.Modified()}
			slugs[i] = b.Slug
		}
	}
	charts := 0
	if s.opts.Images {
		for _, id := range slices.Sorted(maps.Keys(r.figureByID)) {
			fv := r.figureByID[id]
			if fv.Options == "" {
				continue // a table: no drawing
			}
			i := page(strings.TrimPrefix(fv.PageURL, cfg.BasePath()))
			pages[i].Charts = append(pages[i].Charts, edition.Chart{
				ID: id, Width: imageWidth, Height: fv.Height,
				Title: fmt.Sprintf("Figure %d. %s", fv.Number, fv.Title), Desc: fv.Summary,
			})
			charts++
		}
	}
	// cite.js writes the reader's access date into citations: a PDF keeps
	// the [date] placeholder instead, and stays the same from day to day.
	omit := map[string]bool{}
	for _, a := range s.Assets {
		if a.Name == "cite.js" {
			omit["assets/"+a.Hashed] = true
		}
	}
	s.stage(fmt.Sprintf("printing %d PDFs and drawing %d charts in Chromium", len(slugs), charts))
	results, err := edition.Make(context.Background(), edition.Site{BaseURL: cfg.BaseURL.String(), Files: r.out, Omit: omit}, pages,
		edition.Options{Chromium: exe, Progress: func(done, total int) {
			s.stage(fmt.Sprintf("printing and drawing in Chromium: %d of %d pages", done, total))
		}})
	if err != nil {
		return nil, 0, 0, r.editionError(err)
	}
	files = Output{}
	for i, res := range results {
		if slug, ok := slugs[i]; ok {
			files[pdfKey(slug)] = res.PDF
		}
		for id, im := range res.Images {
			files[imageKey(id, "svg")] = im.SVG
			files[imageKey(id, "png")] = im.PNG
		}
	}
	return files, len(slugs), charts, nil
}

// editionError names the source file of each page whose PDF or images
// failed: "content/briefs/x.md: PDF and images: printing: ...".
func (r *renderer) editionError(err error) error {
	joined, ok := err.(interface{ Unwrap() []error })
	if !ok {
		return fmt.Errorf("PDFs and chart images: %w", err)
	}
	src := map[string]string{}
	for p, sitePath := range r.pageURLs {
		src[strings.TrimPrefix(sitePath, "/")] = p
	}
	var errs []error
	for _, e := range joined.Unwrap() {
		var pe *edition.PageError
		if errors.As(e, &pe) && src[pe.Path] != "" {
			e = fmt.Errorf("%s: PDF and chart images: %w", src[pe.Path], pe.Err)
		}
		errs = append(errs, e)
	}
	return errors.Join(errs...)
}
