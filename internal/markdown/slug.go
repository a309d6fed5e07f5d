package markdown

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// Slug makes a heading id from the heading's plain text:
//
//   - letters are lowercased;
//   - Latin letters are folded to ASCII: accents dropped (é→e, ñ→n,
//     ǅ→dz, ﬁ→fi) and ß→ss, æ→ae, ø→o, œ→oe, ł→l, đ→d, ð→d, þ→th, ı→i;
//   - letters and digits of other scripts are kept as they are, with
//     their combining marks, so "数据与方法" and "Данные" keep readable ids;
//   - apostrophes (' ’ ʼ) are dropped, so "doesn't" is "doesnt";
//   - every run of anything else (spaces, punctuation, symbols, emoji)
//     becomes one hyphen, with none at either end.
//
// When nothing is left, the slug is "section".
func Slug(s string) string {
	// NFC first, so a decomposed "é" (e + U+0301) and a precomposed one
	// give the same id, and marks of other scripts join their letters.
	if !norm.NFC.IsNormalString(s) {
		s = norm.NFC.String(s)
	}
	var b strings.Builder
	b.Grow(len(s))
	const (
		gap   = iota // start, or after a separator
		latin        // after a Latin letter or ASCII digit
		other        // after a letter or digit of another script
	)
	prev := gap
	sep := false // a hyphen is due before the next letter
	word := func(kind int) {
		if sep && b.Len() > 0 {
			b.WriteByte('-')
		}
		sep = false
		prev = kind
	}
	var in, out [4 * utf8.UTFMax]byte
	for _, r := range s {
		switch {
		case r < utf8.RuneSelf:
			switch {
			case 'a' <= r && r <= 'z' || '0' <= r && r <= '9':
				word(latin)
				b.WriteRune(r)
			case 'A' <= r && r <= 'Z':
				word(latin)
				b.WriteRune(r + 'a' - 'A')
			case r == '\'':
				// dropped
			default:
				sep, prev = true, gap
			}
		case r == '’' || r == 'ʼ':
			// dropped
		case unicode.In(r, unicode.Mn, unicode.Mc, unicode.Me):
			// A mark belongs to the letter before it: dropped with a
			// Latin letter's accents, kept in other scripts (Devanagari
			// vowel signs, Thai tone marks), dropped after a separator.
			if prev == other {
				b.WriteRune(r)
			}
		case unicode.Is(unicode.Latin, r):
			word(latin)
			r = unicode.ToLower(r)
			if f, ok := latinFolds[r]; ok {
				b.WriteString(f)
				continue
			}
			// Compatibility decomposition splits off accents and
			// unpacks ligatures and full-width forms; keep the ASCII.
			n := 0
			for _, c := range norm.NFKD.Append(out[:0], utf8.AppendRune(in[:0], r)...) {
				if 'a' <= c && c <= 'z' || '0' <= c && c <= '9' {
					b.WriteByte(c)
					n++
				} else if 'A' <= c && c <= 'Z' {
					b.WriteByte(c + 'a' - 'A')
					n++
				}
			}
			if n == 0 {
				// A Latin letter with no ASCII base (ŋ, ɛ): keep it.
				b.WriteRune(r)
			}
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			word(other)
			b.WriteRune(unicode.ToLower(r))
		default:
			sep, prev = true, gap
		}
	}
	if b.Len() == 0 {
		return "section"
	}
	return b.String()
}

// latinFolds spells the Latin letters that have no decomposition in
// Unicode the way English text writes them.
var latinFolds = map[rune]string{
	'ß': "ss",
	'æ': "ae",
	'ø': "o",
	'œ': "oe",
	'ł': "l",
	'đ': "d",
	'ð': "d",
	'þ': "th",
	'ı': "i",
	'ħ': "h",
	'ŧ': "t",
}
