package edition

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"regexp"
	"strings"
)

var zrClass = regexp.MustCompile(`\bzr\d+-cls-`)

// cleanSVG makes a standalone SVG file of the markup ECharts' SVG renderer
// gives: an XML declaration, a title and a desc as the root's first
// children (what screen readers and image viewers show), and a check that
// it parses as XML and holds nothing active: no script, no event handler
// attribute, no foreignObject, no link to anything outside the file.
// zrender names its hover styles after its instance's number on the page
// (zr3-cls-0), which depends on how many charts the page had started: the
// number is made 0, so that the file depends only on the chart.
func cleanSVG(svg, title, desc string) ([]byte, error) {
	svg = zrClass.ReplaceAllString(svg, "zr0-cls-")
	d := xml.NewDecoder(strings.NewReader(svg))
	rootEnd := int64(-1)
	depth := 0
	for {
		tok, err := d.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, err
		}
		switch tok := tok.(type) {
		case xml.StartElement:
			if depth == 0 {
				if tok.Name.Local != "svg" || rootEnd >= 0 {
					return nil, fmt.Errorf("the root is <%s>, not one <svg>", tok.Name.Local)
				}
				rootEnd = d.InputOffset()
			}
			depth++
			switch strings.ToLower(tok.Name.Local) {
			case "script", "foreignobject", "iframe", "object", "embed", "image":
				return nil, fmt.Errorf("it holds a <%s> element", tok.Name.Local)
			}
			for _, a := range tok.Attr {
				name := strings.ToLower(a.Name.Local)
				if strings.HasPrefix(name, "on") {
					return nil, fmt.Errorf("it holds an event handler attribute %s", a.Name.Local)
				}
				if name == "href" && !strings.HasPrefix(a.Value, "#") {
					return nil, fmt.Errorf("it links to %q", a.Value)
				}
			}
		case xml.EndElement:
			depth--
		case xml.ProcInst, xml.Directive:
			return nil, errors.New("it holds a processing instruction or a DTD")
		}
	}
	if rootEnd < 0 {
		return nil, errors.New("it has no <svg> element")
	}
	var b bytes.Buffer
	b.WriteString(`<?xml version="1.0" encoding="UTF-8"?>` + "\n")
	b.WriteString(svg[:rootEnd])
	b.WriteString("<title>")
	xml.EscapeText(&b, []byte(title))
	b.WriteString("</title>")
	if desc != "" {
		b.WriteString("<desc>")
		xml.EscapeText(&b, []byte(desc))
		b.WriteString("</desc>")
	}
	b.WriteString(svg[rootEnd:])
	if !strings.HasSuffix(svg, "\n") {
		b.WriteByte('\n')
	}
	return b.Bytes(), nil
}
