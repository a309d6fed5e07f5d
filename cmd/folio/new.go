package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/folio-ssg/folio/internal/content"
)

func cmdNew(args []string, stdout, stderr io.Writer) error {
	const synopsis = "folio new brief \"Title\" | folio new dataset NAME  [-src DIR]"
	if len(args) == 0 {
		fmt.Fprintf(stderr, "Usage: %s\n", synopsis)
		return errUsage
	}
	kind := args[0]
	fs := newFlags("new "+kind, synopsis, stderr)
	src := fs.String("src", ".", "site source `folder`")
	if err := fs.Parse(args[1:]); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return err
		}
		return errUsage
	}
	if fs.NArg() != 1 {
		fmt.Fprintf(stderr, "Usage: %s\n", synopsis)
		return errUsage
	}
	name := fs.Arg(0)
	switch kind {
	case "brief":
		slug := content.Slugify(name)
		if slug == "" {
			fmt.Fprintf(stderr, "folio new brief: the title %q has no letters or digits to make a file name from\n", name)
			return errUsage
		}
		p := filepath.Join(*src, "content", "briefs", slug+".md")
		return create(p, briefSkeleton(name, time.Now()), stdout)
	case "dataset":
		if !datasetName.MatchString(name) {
			fmt.Fprintf(stderr, "folio new dataset: %q is not a dataset name: use lowercase ASCII letters, digits, hyphens and underscores, e.g. %s\n",
				name, strings.ReplaceAll(content.Slugify(name), "-", "_"))
			return errUsage
		}
		p := filepath.Join(*src, "data", name+".yaml")
		return create(p, datasetSkeleton(name), stdout)
	}
	fmt.Fprintf(stderr, "folio new: unknown kind %q; want brief or dataset\n", kind)
	return errUsage
}

var datasetName = regexp.MustCompile(`^[a-z0-9]+([-_][a-z0-9]+)*$`)

// create writes a new file, refusing to overwrite one.
func create(p string, data string, stdout io.Writer) error {
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		return err
	}
	f, err := os.OpenFile(p, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		if errors.Is(err, fs.ErrExist) {
			return fmt.Errorf("%s already exists; folio new never overwrites a file", p)
		}
		return err
	}
	if _, err := f.WriteString(data); err != nil {
		f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "Created %s\n", p)
	return nil
}

func briefSkeleton(title string, now time.Time) string {
	return `---
title: ` + strconv.Quote(title) + `
summary: "One or two plain sentences: what this brief finds."
date: ` + now.Format(time.DateOnly) + `
type: Brief
authors: []
tags: []
key_points:
  - "The first takeaway."
draft: true
---
Write the brief here. Headings with ## make the table of contents.
`
}

func datasetSkeleton(name string) string {
	return `# Describe the data, then replace the example columns and rows.
# Column types: string, integer, number, date (YYYY-MM-DD), bool, url.
title: ` + strconv.Quote(strings.ReplaceAll(strings.ReplaceAll(name, "_", " "), "-", " ")) + `
description: "What the data measures, and what it leaves out."
source:
  name: "Who published the data"
  url: https://example.org/
# Until real data replaces the example rows, readers are told it is illustrative.
illustrative: true
key: [year]
columns:
  - {name: year, type: integer, label: Year}
  - {name: value, type: number, label: Value}
rows:
  - {year: 2024, value: 1.5}
  - {year: 2025, value: 2.5}
`
}
