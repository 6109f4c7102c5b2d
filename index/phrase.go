package index

import (
	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/search/query"
)

// Phrases are matched through word pairs instead of positions: fieldPairs
// holds, for each text field, every pair of neighbouring words as one
// term ("t:digital zwilling" for the title). A phrase matches a field that
// holds all of its pairs. Positions (Bleve's term vectors) would make the
// index two and a half times larger for the few searches that quote a
// phrase; pairs cost a fraction of that (docs/BENCHMARKS.md). A phrase of
// three or more words whose pairs occur apart in one field also matches;
// in news text that is rare and harmless.
const fieldPairs = "pairs"

// pairPrefix is the prefix of a text field's pairs in fieldPairs.
var pairPrefix = map[string]string{fieldTitle: "t:", fieldLead: "l:", fieldBody: "b:"}

// pairTerms appends to out the pair terms of text for the field with the
// given prefix. Only the first term at each position counts (the whole
// word, not its compound parts); words removed as stop words are skipped,
// so "Stadt der Zukunft" pairs stadt with zukunft, in the text as in the
// query.
func pairTerms(out []string, prefix string, ts analysis.TokenStream) []string {
	prev, lastPos := "", -1
	for _, tok := range ts {
		if tok.Position == lastPos {
			continue
		}
		lastPos = tok.Position
		term := string(tok.Term)
		if prev != "" {
			out = append(out, prefix+prev+" "+term)
		}
		prev = term
	}
	return out
}

// phraseQuery matches the analysed phrase in one field: all its pairs in
// fieldPairs, and its words in the field itself (which gives the score).
// A phrase of one word is that word, without its compound parts.
func phraseQuery(field string, ts analysis.TokenStream) query.Query {
	words := make([]query.Query, 0, len(ts))
	lastPos := -1
	for _, tok := range ts {
		if tok.Position == lastPos {
			continue
		}
		lastPos = tok.Position
		words = append(words, termOn(field, string(tok.Term)))
	}
	for _, p := range pairTerms(nil, pairPrefix[field], ts) {
		words = append(words, termOn(fieldPairs, p))
	}
	if len(words) == 1 {
		return words[0]
	}
	return bleve.NewConjunctionQuery(words...)
}
