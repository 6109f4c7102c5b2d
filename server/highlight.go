package server

import (
	"html"
	"html/template"
	"strings"
	"unicode"
	"unicode/utf8"

	"stichwort/index"
	"stichwort/index/german"
)

// highlighter marks the words of a search in a document's plain text for
// the document page. It escapes the text itself and adds nothing but
// <mark>, so no crawled markup can reach the page.
//
// It compares words the way a reader would: folded (case, umlauts, ß),
// with the common German endings removed, and inside compounds
// ("Zwilling" marks "Zwillingsstadt"). It is deliberately simpler than the
// index's analyser: a mark too many on the page costs little, and the
// server stays independent of the search engine.
type highlighter struct {
	stems []string // folded, stemmed words of the query
}

// stopWords are query words not worth marking: they are everywhere.
var stopWords = wordSet(`aber als am an auch auf aus bei bis das dass dem den der des die
	durch ein eine einem einen einer eines es fur hat im in ins ist mit nach nicht noch oder
	sich sie sind so um und uber vom von vor war wie wird zu zum zur`)

func wordSet(s string) map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(s) {
		m[w] = true
	}
	return m
}

func newHighlighter(query string) highlighter {
	var h highlighter
	pq := index.ParseQuery(query)
	for _, group := range pq.Groups {
		for _, t := range group {
			for _, w := range words(t.Text) {
				f := german.Fold(w)
				if stopWords[f] || utf8.RuneCountInString(f) < 2 {
					continue
				}
				h.stems = append(h.stems, stem(f))
			}
		}
	}
	return h
}

// Empty reports whether there is nothing to mark.
func (h highlighter) Empty() bool { return len(h.stems) == 0 }

// words splits text into runs of letters and digits.
func words(text string) []string {
	return strings.FieldsFunc(text, func(r rune) bool { return !isWordRune(r) })
}

func isWordRune(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }

// matches reports whether a word of the text is one of the query's.
func (h highlighter) matches(word string) bool {
	f := german.Fold(word)
	s := stem(f)
	for _, q := range h.stems {
		if s == q || (utf8.RuneCountInString(q) >= 4 && strings.Contains(f, q)) {
			return true
		}
	}
	return false
}

// Mark returns text as escaped HTML with the query's words in <mark>, and
// how many it marked.
func (h highlighter) Mark(text string) (template.HTML, int) {
	if h.Empty() {
		return template.HTML(html.EscapeString(text)), 0
	}
	var b strings.Builder
	n := 0
	for text != "" {
		// A run of non-word runes, then a run of word runes.
		i := strings.IndexFunc(text, isWordRune)
		if i < 0 {
			i = len(text)
		}
		b.WriteString(html.EscapeString(text[:i]))
		text = text[i:]
		j := strings.IndexFunc(text, func(r rune) bool { return !isWordRune(r) })
		if j < 0 {
			j = len(text)
		}
		w := text[:j]
		text = text[j:]
		if w == "" {
			continue
		}
		if h.matches(w) {
			n++
			b.WriteString("<mark>")
			b.WriteString(html.EscapeString(w))
			b.WriteString("</mark>")
		} else {
			b.WriteString(html.EscapeString(w))
		}
	}
	return template.HTML(b.String()), n
}

// stem removes the common inflection endings of a folded German word, so
// "Zwillinge", "Zwillingen" and "Zwilling" meet; a light version of the
// first step of the Snowball German stemmer.
func stem(w string) string {
	for _, suf := range []string{"ern", "em", "en", "er", "es", "e", "s"} {
		rest, ok := strings.CutSuffix(w, suf)
		if !ok || utf8.RuneCountInString(rest) < 3 {
			continue
		}
		if suf == "s" && !strings.ContainsAny(rest[len(rest)-1:], "bdfghklmnrt") {
			continue // "Beschluss" keeps its s
		}
		return rest
	}
	return w
}
