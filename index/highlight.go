package index

import (
	"html"
	"sort"
	"strings"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2/analysis"

	"stichwort/index/german"
)

// Snippets are cut from the document store's text, analysed again with
// the index's analyser: the index stores no text, which made it a third
// smaller and its searches faster (see docs/BENCHMARKS.md). Analysing the ten texts of a result page costs
// little because the analyser caches its work per word.

// snippetWidth is the length of a snippet in bytes of text, about two
// lines of the result list.
const snippetWidth = 220

// matcher tells which analysed terms of a text the query matched.
type matcher struct {
	terms map[string]bool
	fuzzy []fuzzyTerm
}

// fuzzyTerm is a word of a typo-tolerant search: a term matches when it
// starts with the same letter and is at most edits edits away (what
// fuzzyQuery asks of the index).
type fuzzyTerm struct {
	term  []rune
	edits int
}

func (m *matcher) empty() bool { return len(m.terms) == 0 && len(m.fuzzy) == 0 }

func (m *matcher) matches(term []byte) bool {
	if m.terms[string(term)] {
		return true
	}
	if len(m.fuzzy) == 0 {
		return false
	}
	r := []rune(string(term))
	for _, f := range m.fuzzy {
		if len(r) > 0 && r[0] == f.term[0] && abs(len(r)-len(f.term)) <= f.edits && editDistance(r, f.term, f.edits) <= f.edits {
			return true
		}
	}
	return false
}

// newMatcher collects the terms the query's words (and their synonyms)
// analyse to, compound parts included; fuzzy adds tolerant matching as
// fuzzyQuery does.
func (x *Index) newMatcher(analyzer analysis.Analyzer, pq Query, fuzzy bool) *matcher {
	m := &matcher{terms: make(map[string]bool)}
	addFuzzy := func(term string) {
		r := []rune(term)
		switch n := len(r); {
		case n < 4:
			m.terms[term] = true
		case n < 8:
			m.fuzzy = append(m.fuzzy, fuzzyTerm{r, 1})
		default:
			m.fuzzy = append(m.fuzzy, fuzzyTerm{r, 2})
		}
	}
	add := func(text string, tolerant bool) {
		positions := groupByPosition(analyzer.Analyze([]byte(text)))
		for _, terms := range positions {
			for i, t := range terms {
				if tolerant && i == 0 {
					addFuzzy(t)
				} else {
					m.terms[t] = true
				}
			}
		}
		if tolerant && len(positions) == 1 && !strings.ContainsAny(text, " -") {
			if raw := german.Fold(text); raw != positions[0][0] {
				addFuzzy(raw)
			}
		}
	}
	for _, group := range pq.Groups {
		for _, t := range group {
			if t.Field == FieldTag {
				continue
			}
			add(t.Text, fuzzy && !t.Phrase)
			for _, syn := range x.syn.Of(t.Text) {
				add(syn, false)
			}
		}
	}
	return m
}

// span is a byte range of the text.
type span struct{ start, end int }

// Long texts (a resolution PDF runs to 100 KB) are searched for matches
// a window at a time, and no further than snippetScan: the first window
// with a match gives the snippet.
const (
	snippetWindow = 6 << 10
	snippetScan   = 64 << 10
)

// snippet returns an HTML fragment of text (escaped, matches in <mark>)
// around the place where most of the query's words meet, and its score:
// the number of distinct terms matched there (0: nothing matched). A
// whole word counts more than its compound parts alone.
func snippet(analyzer analysis.Analyzer, text string, m *matcher) (string, int) {
	if m.empty() || text == "" {
		return "", 0
	}
	for from := 0; from < len(text) && from < snippetScan; {
		to := len(text)
		if to-from > snippetWindow {
			// Cut at a space, so no word is split between windows.
			to = from + snippetWindow
			if i := strings.LastIndexByte(text[from:to], ' '); i > 0 {
				to = from + i
			}
		}
		if s, score := snippetIn(analyzer, text, from, to, m); score > 0 {
			return s, score
		}
		from = to
	}
	return "", 0
}

// snippetIn is snippet for the matches in text[from:to].
func snippetIn(analyzer analysis.Analyzer, text string, from, to int, m *matcher) (string, int) {
	var hits []span
	var terms []string // the term of each hit, for counting distinct ones
	for _, tok := range analyzer.Analyze([]byte(text[from:to])) {
		if tok.Start < 0 || tok.End > to-from || tok.Start >= tok.End {
			continue
		}
		if m.matches(tok.Term) {
			hits = append(hits, span{from + tok.Start, from + tok.End})
			terms = append(terms, string(tok.Term))
		}
	}
	if len(hits) == 0 {
		return "", 0
	}
	// The window starting at the hit after which the most distinct terms
	// follow within the snippet's width.
	best, bestCount := 0, 0
	for i := range hits {
		seen := make(map[string]bool)
		for j := i; j < len(hits) && hits[j].end <= hits[i].start+snippetWidth; j++ {
			seen[terms[j]] = true
		}
		if len(seen) > bestCount {
			best, bestCount = i, len(seen)
		}
	}
	// Some context before the first match, cut at a space.
	start := hits[best].start
	if start > 0 {
		from := max(0, start-snippetWidth/4)
		if i := strings.IndexByte(text[from:start], ' '); i >= 0 && from > 0 {
			from += i + 1
		}
		start = from
	}
	end := min(len(text), start+snippetWidth)
	if end < len(text) {
		if i := strings.LastIndexByte(text[start:end], ' '); i > snippetWidth/2 {
			end = start + i
		}
	}
	start, end = runeBoundary(text, start), runeBoundary(text, end)
	marks := mergeSpans(hits, start, end)
	var b strings.Builder
	if start > 0 {
		b.WriteString("… ")
	}
	at := start
	for _, s := range marks {
		b.WriteString(html.EscapeString(collapse(text[at:s.start])))
		b.WriteString("<mark>")
		b.WriteString(html.EscapeString(text[s.start:s.end]))
		b.WriteString("</mark>")
		at = s.end
	}
	b.WriteString(html.EscapeString(collapse(text[at:end])))
	if end < len(text) {
		b.WriteString(" …")
	}
	return b.String(), bestCount
}

// mergeSpans clips the hits to [start, end) and joins overlapping and
// touching ones: a compound whose parts all matched is marked as one word.
func mergeSpans(hits []span, start, end int) []span {
	var in []span
	for _, h := range hits {
		if h.start >= start && h.end <= end {
			in = append(in, h)
		}
	}
	sort.Slice(in, func(i, j int) bool {
		if in[i].start != in[j].start {
			return in[i].start < in[j].start
		}
		return in[i].end > in[j].end
	})
	var out []span
	for _, h := range in {
		if n := len(out); n > 0 && h.start <= out[n-1].end {
			out[n-1].end = max(out[n-1].end, h.end)
			continue
		}
		out = append(out, h)
	}
	return out
}

// runeBoundary moves i back to the start of the rune it falls into.
func runeBoundary(s string, i int) int {
	for i > 0 && i < len(s) && !utf8.RuneStart(s[i]) {
		i--
	}
	return i
}

// collapse turns runs of white space (line breaks of the body) into one
// space, as the result list shows text in one flow.
func collapse(s string) string {
	if !strings.ContainsAny(s, "\n\r\t") {
		return s
	}
	var b strings.Builder
	space := false
	for _, r := range s {
		if r == '\n' || r == '\r' || r == '\t' || r == ' ' {
			if !space {
				b.WriteByte(' ')
			}
			space = true
			continue
		}
		space = false
		b.WriteRune(r)
	}
	return b.String()
}

// editDistance is the Levenshtein distance of a and b, or limit+1 when it
// exceeds limit.
func editDistance(a, b []rune, limit int) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		rowMin := cur[0]
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			rowMin = min(rowMin, cur[j])
		}
		if rowMin > limit {
			return limit + 1
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}

func abs(n int) int {
	if n < 0 {
		return -n
	}
	return n
}
