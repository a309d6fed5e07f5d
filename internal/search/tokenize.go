package search

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// The tokeniser. templates/assets/search.js repeats it for queries, rule
// for rule, so a word typed finds the word indexed; a change here is a
// change there (TestQueryTermsMatchJS runs both over the same cases).
//
// A word is a run of letters, digits and combining marks (Unicode L, N,
// M) in the text as written. Words joined by one apostrophe, hyphen or
// full stop ("DeepSeek's", "DeepSeek-V3", "U.S."), or digits by one comma
// ("2,000"), make a compound. Each word is then normalised: NFKD (so
// "ﬁ" is "fi" and "①" is "1"), nonspacing marks dropped (so "coûts" is
// "couts"), lowercased one code point at a time, final sigma folded to
// sigma; what normalisation makes of punctuation splits the word again,
// and Han, Hiragana and Katakana characters, which run together without
// spaces, are one token each. Tokens are cut to maxTermRunes.
//
// A token is a term unless it is a stop word or a single letter other
// than a Han or kana character (single digits are terms). The index holds
// the terms of each word of a compound and the compound's joined form
// ("deepseek", "v3" and "deepseekv3"; "us" for "U.S."), so that "U.S.",
// "US" and "DeepSeekV3" are found too. A query keeps the terms of each
// word, and a compound's joined form only when its words have none.

// maxTermRunes is the longest term: longer tokens are cut, in the index
// and in queries alike, so a long word is still found by its start.
const maxTermRunes = 40

// stopWords are the commonest English function words. Nearly every page
// has them, so they would cost a posting per page and rank nothing. The
// list is short on purpose: "it" (IT), "us" (U.S.), "not" and "no" stay.
var stopWords = []string{
	"a", "an", "and", "are", "as", "at", "be", "been", "but", "by", "for", "from",
	"has", "have", "in", "is", "its", "of", "on", "or", "that", "the", "this",
	"to", "was", "were", "which", "with",
}

var stopSet = func() map[string]bool {
	m := make(map[string]bool, len(stopWords))
	for _, w := range stopWords {
		m[w] = true
		maxStopLen = max(maxStopLen, len(w))
	}
	return m
}()

// maxStopLen is the length of the longest stop word: longer tokens need
// no lookup.
var maxStopLen int

func isWordRune(r rune) bool {
	if r < utf8.RuneSelf {
		return asciiWord[r]
	}
	return unicode.IsLetter(r) || unicode.IsNumber(r) || unicode.IsMark(r)
}

// asciiWord is isWordRune for ASCII: letters and digits.
var asciiWord = func() (t [utf8.RuneSelf]bool) {
	for c := range t {
		t[c] = 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9'
	}
	return t
}()

// nextRune is utf8.DecodeRuneInString, quicker for ASCII.
func nextRune(s string) (rune, int) {
	if c := s[0]; c < utf8.RuneSelf {
		return rune(c), 1
	}
	return utf8.DecodeRuneInString(s)
}

func isJoiner(r rune) bool {
	switch r {
	case '\'', '\u2019', '-', '\u2010', '\u2011', '.':
		return true
	}
	return false
}

func isSpaceless(r rune) bool {
	return unicode.In(r, unicode.Han, unicode.Hiragana, unicode.Katakana)
}

// compounds calls f with the words of each compound of s, in order.
func compounds(s string, f func(words []string)) {
	var words []string
	i := 0
	for i < len(s) {
		r, size := nextRune(s[i:])
		if !isWordRune(r) {
			i += size
			continue
		}
		words = words[:0]
		for {
			start := i
			var last rune
			for i < len(s) {
				if c := s[i]; c < utf8.RuneSelf {
					if !asciiWord[c] {
						break
					}
					last = rune(c)
					i++
					continue
				}
				r, size := utf8.DecodeRuneInString(s[i:])
				if !isWordRune(r) {
					break
				}
				last = r
				i += size
			}
			words = append(words, s[start:i])
			if i >= len(s) {
				break
			}
			j, jsize := utf8.DecodeRuneInString(s[i:])
			next, _ := utf8.DecodeRuneInString(s[i+jsize:])
			if i+jsize < len(s) && isWordRune(next) &&
				(isJoiner(j) || j == ',' && unicode.IsDigit(last) && unicode.IsDigit(next)) {
				i += jsize
				continue
			}
			break
		}
		f(words)
	}
}

// appendTokens appends the normalised tokens of one word.
func appendTokens(dst []string, word string) []string {
	ascii := true
	for i := 0; i < len(word); i++ {
		if word[i] >= utf8.RuneSelf {
			ascii = false
			break
		}
	}
	if ascii { // letters and digits only, as word has no other ASCII
		return append(dst, cut(strings.ToLower(word)))
	}
	var b strings.Builder
	flush := func() {
		if b.Len() > 0 {
			dst = append(dst, cut(b.String()))
			b.Reset()
		}
	}
	for _, r := range norm.NFKD.String(word) {
		switch {
		case unicode.Is(unicode.Mn, r):
		case !isWordRune(r):
			flush()
		case isSpaceless(r):
			flush()
			dst = append(dst, string(r))
		default:
			r = unicode.ToLower(r)
			if r == 'ς' {
				r = 'σ'
			}
			b.WriteRune(r)
		}
	}
	flush()
	return dst
}

// cut cuts a token to maxTermRunes.
func cut(t string) string {
	if len(t) <= maxTermRunes {
		return t
	}
	n := 0
	for i := range t {
		if n == maxTermRunes {
			return t[:i]
		}
		n++
	}
	return t
}

// isTerm reports whether a token is kept as a term.
func isTerm(t string) bool {
	if len(t) <= maxStopLen && stopSet[t] {
		return false
	}
	if len(t) == 1 {
		return '0' <= t[0] && t[0] <= '9' // a single ASCII letter is no term
	}
	r, size := utf8.DecodeRuneInString(t)
	if size == len(t) {
		return unicode.IsNumber(r) || isSpaceless(r)
	}
	return t != ""
}

// joined returns a compound's joined form from its tokens, or "" when it
// has none worth indexing.
func joined(tokens []string) string {
	if len(tokens) < 2 {
		return ""
	}
	j := strings.Join(tokens, "")
	for _, r := range j {
		if isSpaceless(r) {
			return ""
		}
	}
	return cut(j)
}

// indexTerms calls f with every term of s the index holds, in order,
// repeats included.
func indexTerms(s string, f func(term string)) {
	var toks []string
	compounds(s, func(words []string) {
		toks = toks[:0]
		for _, w := range words {
			toks = appendTokens(toks, w)
		}
		for _, t := range toks {
			if isTerm(t) {
				f(t)
			}
		}
		if j := joined(toks); j != "" && isTerm(j) {
			f(j)
		}
	})
}

// queryTerms returns the terms of a query, in order, each once.
func queryTerms(q string) []string {
	var out, toks []string
	add := func(t string) {
		for _, o := range out {
			if o == t {
				return
			}
		}
		out = append(out, t)
	}
	compounds(q, func(words []string) {
		toks = toks[:0]
		for _, w := range words {
			toks = appendTokens(toks, w)
		}
		found := false
		for _, t := range toks {
			if isTerm(t) {
				add(t)
				found = true
			}
		}
		if j := joined(toks); !found && j != "" && isTerm(j) {
			add(j)
		}
	})
	return out
}
