package content

import (
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// special holds Latin letters that do not decompose into a base letter and
// combining marks.
var special = strings.NewReplacer("ß", "ss", "æ", "ae", "Æ", "AE", "ø", "o", "Ø", "O", "œ", "oe", "Œ", "OE", "ł", "l", "Ł", "L", "đ", "d", "Đ", "D", "þ", "th", "Þ", "TH")

// fold removes diacritics: "Qualité et coûts" -> "Qualite et couts".
func fold(s string) string {
	s = special.Replace(norm.NFD.String(s))
	return strings.Map(func(r rune) rune {
		if unicode.Is(unicode.Mn, r) {
			return -1
		}
		return r
	}, s)
}
