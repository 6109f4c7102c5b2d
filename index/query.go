package index

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Term is one word or quoted phrase of a user's query.
type Term struct {
	Text   string
	Phrase bool
	// Field restricts the term: "" (all text), FieldTitle or FieldTag.
	Field string
}

// Field prefixes of the query syntax: title:Zwilling, tag:"Smart City".
const (
	FieldTitle = "title"
	FieldTag   = "tag"
)

// Query is the parsed form of the query syntax in CONTRACT.md: every group
// must match (AND), the terms inside a group are alternatives (OR), and no
// excluded term may match.
type Query struct {
	Groups   [][]Term
	Excluded []Term
}

// Empty reports whether the query has no positive terms.
func (q Query) Empty() bool { return len(q.Groups) == 0 }

// ParseQuery reads user query text: words, "quoted phrases", -word or
// -"phrase" to exclude, and OR between two terms. It never fails: stray
// quotes, dashes and operators are read as the user most likely meant them.
func ParseQuery(s string) Query {
	var q Query
	orPending := false
	for _, tok := range lex(s) {
		if tok.op {
			// OR only joins when there is a positive term to its left.
			orPending = len(q.Groups) > 0
			continue
		}
		if tok.neg {
			q.Excluded = append(q.Excluded, tok.term)
			orPending = false
			continue
		}
		if orPending {
			last := len(q.Groups) - 1
			q.Groups[last] = append(q.Groups[last], tok.term)
		} else {
			q.Groups = append(q.Groups, []Term{tok.term})
		}
		orPending = false
	}
	return q
}

type token struct {
	term Term
	neg  bool
	op   bool // the OR operator
}

func lex(s string) []token {
	s = strings.ToValidUTF8(s, " ")
	var out []token
	i := 0
	for i < len(s) {
		r, w := utf8.DecodeRuneInString(s[i:])
		if unicode.IsSpace(r) {
			i += w
			continue
		}
		neg := false
		if r == '-' && i+1 < len(s) {
			next, _ := utf8.DecodeRuneInString(s[i+1:])
			if !unicode.IsSpace(next) {
				neg = true
				i++
				r, w = utf8.DecodeRuneInString(s[i:])
			}
		}
		field := ""
		for _, f := range []string{FieldTitle, FieldTag} {
			p := len(f) + 1
			if len(s)-i > p && strings.EqualFold(s[i:i+p], f+":") {
				next, _ := utf8.DecodeRuneInString(s[i+p:])
				if !unicode.IsSpace(next) {
					field = f
					i += p
					r, w = utf8.DecodeRuneInString(s[i:])
				}
				break
			}
		}
		if r == '"' || r == '„' || r == '“' || r == '”' {
			i += w
			end := strings.IndexFunc(s[i:], isQuote)
			var text string
			if end < 0 {
				text, i = s[i:], len(s)
			} else {
				text = s[i : i+end]
				_, qw := utf8.DecodeRuneInString(s[i+end:])
				i += end + qw
			}
			text = strings.Join(strings.Fields(text), " ")
			if text != "" {
				out = append(out, token{term: Term{Text: text, Phrase: strings.Contains(text, " ") && field != FieldTag, Field: field}, neg: neg})
			}
			continue
		}
		end := strings.IndexFunc(s[i:], unicode.IsSpace)
		if end < 0 {
			end = len(s) - i
		}
		word := s[i : i+end]
		i += end
		if word == "OR" && !neg && field == "" {
			out = append(out, token{op: true})
			continue
		}
		word = strings.TrimFunc(word, isQuote)
		if word != "" && word != "-" {
			out = append(out, token{term: Term{Text: word, Field: field}, neg: neg})
		}
	}
	return out
}

func isQuote(r rune) bool { return r == '"' || r == '„' || r == '“' || r == '”' }
