// Package diag holds the problems a build finds in its sources.
//
// A Problem names a file relative to the source folder, a 1-based line and
// column where known (0 when not), and a message. Problems print in compiler
// format, "path:line:col: message", so editors and CI logs can jump to them;
// warnings print as "path:line: warning: message".
package diag

import (
	"fmt"
	"slices"
	"strings"
)

// Problem is one error or warning in the site's sources.
type Problem struct {
	Path    string // slash-separated, relative to the source folder
	Line    int    // 1-based; 0 when the problem concerns the whole file
	Col     int    // 1-based; 0 when unknown
	Msg     string
	Warning bool
}

// String formats p as "path:line:col: message".
func (p Problem) String() string {
	var b strings.Builder
	b.WriteString(p.Path)
	if p.Line > 0 {
		fmt.Fprintf(&b, ":%d", p.Line)
		if p.Col > 0 && !p.Warning {
			fmt.Fprintf(&b, ":%d", p.Col)
		}
	}
	b.WriteString(": ")
	if p.Warning {
		b.WriteString("warning: ")
	}
	b.WriteString(p.Msg)
	return b.String()
}

// Error makes a Problem usable as an error.
func (p Problem) Error() string { return p.String() }

// List collects problems. Its zero value is ready to use.
type List []Problem

// Add records an error at path:line:col.
func (l *List) Add(path string, line, col int, format string, args ...any) {
	*l = append(*l, Problem{Path: path, Line: line, Col: col, Msg: fmt.Sprintf(format, args...)})
}

// Warn records a warning at path:line.
func (l *List) Warn(path string, line int, format string, args ...any) {
	*l = append(*l, Problem{Path: path, Line: line, Msg: fmt.Sprintf(format, args...), Warning: true})
}

// Errors reports how many problems are errors rather than warnings.
func (l List) Errors() int {
	n := 0
	for _, p := range l {
		if !p.Warning {
			n++
		}
	}
	return n
}

// Sort orders problems by path, line, column and message, and drops exact
// duplicates, so output is stable however the problems were found.
func (l List) Sort() List {
	slices.SortFunc(l, Compare)
	return slices.Compact(l)
}

// Compare orders two problems by path, line, column, then message.
func Compare(a, b Problem) int {
	if c := strings.Compare(a.Path, b.Path); c != 0 {
		return c
	}
	if a.Line != b.Line {
		return a.Line - b.Line
	}
	if a.Col != b.Col {
		return a.Col - b.Col
	}
	if a.Warning != b.Warning {
		if a.Warning {
			return 1
		}
		return -1
	}
	return strings.Compare(a.Msg, b.Msg)
}
