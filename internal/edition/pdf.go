package edition

import (
	"fmt"
	"regexp"
	"time"
)

// pdfDate matches the dates Chromium (Skia) writes into a PDF's document
// information: /CreationDate (D:20250610142233+00'00').
var pdfDate = regexp.MustCompile(`/(?:CreationDate|ModDate) \(D:(\d{14})([-+Z][0-9']*)?\)`)

// nodeID matches the ids of a tagged PDF's structure elements, which
// Chromium makes from the numbers of DOM nodes, and table cells name in
// /Headers: /ID (node00000819).
var nodeID = regexp.MustCompile(`\(node(\d{8})\)`)

// reproducible makes a PDF Chromium printed depend only on the page: the
// dates become t (fixDates), and the structure elements' ids are numbered
// in order of first appearance instead of by DOM node, whose numbers vary
// with what the page did before (renumber).
func reproducible(pdf []byte, t time.Time) []byte {
	return renumber(fixDates(pdf, t))
}

// renumber gives the node ids of a tagged PDF new numbers of the same
// width, in order of first appearance, the same for every use of an id.
func renumber(pdf []byte) []byte {
	ids := map[string]string{}
	return nodeID.ReplaceAllFunc(pdf, func(m []byte) []byte {
		n, ok := ids[string(m)]
		if !ok {
			n = fmt.Sprintf("(node%08d)", len(ids)+1)
			ids[string(m)] = n
		}
		return []byte(n)
	})
}

// fixDates puts t, as midnight UTC, in place of the moment of printing in
// the PDF's creation and modification dates, so that an unchanged page
// gives an unchanged file. The replacement has the same length as what it
// replaces, so the cross-reference table's byte offsets stay right.
// Chromium writes no other timestamp and no /ID; a browser that writes no
// dates at all leaves nothing to fix.
func fixDates(pdf []byte, t time.Time) []byte {
	stamp := t.UTC().Format("20060102") + "000000"
	const zone = "+00'00'"
	for _, m := range pdfDate.FindAllSubmatchIndex(pdf, -1) {
		copy(pdf[m[2]:m[3]], stamp)
		if m[4] >= 0 && m[5]-m[4] == len(zone) {
			copy(pdf[m[4]:m[5]], zone)
		}
	}
	return pdf
}
