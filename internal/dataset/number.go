package dataset

import (
	"errors"
	"fmt"
	"math"
	"regexp"
	"strconv"
	"strings"
)

// The only spellings of integers and numbers folio accepts. They are JSON's
// number syntax, so CSV and JSON can carry the digits exactly as written.
var (
	intRE    = regexp.MustCompile(`^-?(0|[1-9][0-9]*)$`)
	numberRE = regexp.MustCompile(`^-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][-+]?[0-9]+)?$`)
)

// outOfRange is the message for an integer cell s too large for int64.
func outOfRange(s string) string {
	return fmt.Sprintf(": %s is out of range; integers must lie between %d and %d", s, math.MinInt64, math.MaxInt64)
}

// parseInteger parses the text of a plain integer cell. On failure it
// returns the rest of a message that follows `column "name"`; found is what
// the cell holds, as strictyaml.Describe says it.
func parseInteger(s, found string) (int64, string) {
	if intRE.MatchString(s) {
		v, err := strconv.ParseInt(s, 10, 64)
		if err != nil {
			return 0, outOfRange(s)
		}
		return v, ""
	}
	problem, n := respell(s)
	if n == "" {
		if problem != "" {
			return 0, ": " + problem
		}
		return 0, fmt.Sprintf(" holds integers, not %s; %s", found, kinds[Integer].hint)
	}
	fix, ok := integerSpelling(n)
	switch {
	case fix == "":
		return 0, fmt.Sprintf(" holds integers, not %s; set type: number on the column to allow decimals", found)
	case !ok:
		return 0, outOfRange(s)
	case problem != "":
		return 0, fmt.Sprintf(": %s; write %s", problem, fix)
	}
	return 0, fmt.Sprintf(" holds integers, not %s; write %s", found, fix)
}

// parseNumber parses the text of a plain number cell, as parseInteger.
func parseNumber(s, found string) (float64, string) {
	if numberRE.MatchString(s) {
		// ParseFloat fails only for overflow here; underflow gives 0.
		v, err := strconv.ParseFloat(s, 64)
		if err != nil {
			return 0, fmt.Sprintf(": %s is too large for a number", s)
		}
		return v, ""
	}
	problem, n := respell(s)
	switch {
	case problem != "" && n != "":
		if _, err := strconv.ParseFloat(n, 64); err != nil {
			return 0, fmt.Sprintf(": %s is too large for a number", s)
		}
		return 0, fmt.Sprintf(": %s; write %s", problem, n)
	case problem != "":
		return 0, ": " + problem
	}
	return 0, fmt.Sprintf(" holds numbers, not %s; %s", found, kinds[Number].hint)
}

// numberFix returns s, which may not be valid, respelled as a valid cell of
// type t (integer or number), or "" if there is no such spelling.
func numberFix(t Type, s string) string {
	_, n := respell(s)
	if n == "" {
		return ""
	}
	if t == Integer {
		if fix, ok := integerSpelling(n); ok {
			return fix
		}
		return ""
	}
	if _, err := strconv.ParseFloat(n, 64); err != nil {
		return ""
	}
	return n
}

var radixes = []struct {
	prefix, name string
	base         int
}{
	{"0x", "hexadecimal", 16},
	{"0o", "octal", 8},
	{"0b", "binary", 2},
}

// respell explains what keeps s from being a number as folio reads them,
// and spells it as the decimal number its author most likely meant.
//
// problem names the first spelling folio refuses (a plus sign, digit
// separators, another radix, leading zeros, a bare decimal point) or NaN
// or infinity. n is s respelled to match numberRE, or "" if s is not a
// number at all, or too large to respell.
func respell(s string) (problem, n string) {
	switch strings.ToLower(strings.TrimLeft(s, "+-")) {
	case ".nan":
		return fmt.Sprintf("not a number (%s) is not allowed; use null in an optional column", s), ""
	case ".inf":
		return fmt.Sprintf("infinity (%s) is not allowed; use null in an optional column", s), ""
	}
	var problems []string
	note := func(format string) { problems = append(problems, fmt.Sprintf(format, s)) }
	sign, body := "", s
	if strings.HasPrefix(s, "-") {
		sign, body = "-", s[1:]
	} else if strings.HasPrefix(s, "+") {
		note("a plus sign is not allowed (%s)")
		body = s[1:]
	}
	if strings.Contains(body, "_") {
		note("digit separators are not allowed (%s)")
		body = strings.ReplaceAll(body, "_", "")
	}
	for _, r := range radixes {
		if len(body) > 2 && strings.EqualFold(body[:2], r.prefix) {
			u, err := strconv.ParseUint(body[2:], r.base, 64)
			if err != nil && !errors.Is(err, strconv.ErrRange) {
				return "", ""
			}
			note(r.name + " numbers are not allowed (%s)")
			if err != nil {
				return problems[0], ""
			}
			body = strconv.FormatUint(u, 10)
		}
	}
	if len(body) > 1 && body[0] == '0' && isDigit(body[1]) {
		note("leading zeros are not allowed (%s)")
		body = strings.TrimLeft(body, "0")
		if body == "" || !isDigit(body[0]) {
			body = "0" + body
		}
	}
	if strings.HasPrefix(body, ".") {
		note("a number must start with a digit, not a decimal point (%s)")
		body = "0" + body
	}
	if i := strings.IndexByte(body, '.'); i >= 0 && (i == len(body)-1 || !isDigit(body[i+1])) {
		note("a decimal point must be followed by a digit (%s)")
		body = body[:i] + body[i+1:]
	}
	if !numberRE.MatchString(sign + body) {
		return "", ""
	}
	if len(problems) == 0 {
		return "", sign + body
	}
	return problems[0], sign + body
}

// integerSpelling writes the number n, which matches numberRE, as an
// integer cell: 4.0 and 4e0 as 4, 1.5e3 as 1500, exactly. It returns ""
// if n has a fraction, and ok false if n is a fraction or out of range.
func integerSpelling(n string) (fix string, ok bool) {
	sign := ""
	if strings.HasPrefix(n, "-") {
		sign, n = "-", n[1:]
	}
	mant, expText, _ := strings.Cut(strings.ToLower(n), "e")
	exp := 0
	if expText != "" {
		// Atoi fails only on overflow, as numberRE holds. Clamping huge
		// exponents keeps the digits below short and changes no answer:
		// such numbers are out of range or fractions all the same.
		e, err := strconv.Atoi(expText)
		switch {
		case err != nil && strings.HasPrefix(expText, "-"), e < -1000:
			exp = -1000
		case err != nil, e > 1000:
			exp = 1000
		default:
			exp = e
		}
	}
	whole, frac, _ := strings.Cut(mant, ".")
	digits := whole + frac
	point := len(whole) + exp // where the decimal point falls in digits
	var intPart, fracPart string
	switch {
	case point <= 0:
		intPart, fracPart = "0", digits
	case point >= len(digits):
		intPart = digits + strings.Repeat("0", point-len(digits))
	default:
		intPart, fracPart = digits[:point], digits[point:]
	}
	if strings.Trim(fracPart, "0") != "" {
		return "", false
	}
	intPart = strings.TrimLeft(intPart, "0")
	if intPart == "" {
		return "0", true
	}
	fix = sign + intPart
	_, err := strconv.ParseInt(fix, 10, 64)
	return fix, err == nil
}

func isDigit(b byte) bool { return '0' <= b && b <= '9' }
