package german

import (
	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/analysis/tokenizer/unicode"
)

// HyphenTokenizerName is the tokenizer of the German analysis.
const HyphenTokenizerName = "stichwort_hyphen"

// HyphenTokenizer splits text into Unicode words like Bleve's unicode
// tokenizer and, for words joined by hyphens ("KI-Verordnung",
// "Smart-City-Strategie"), adds the joined form ("kiverordnung" after
// lower-casing) at the position of the first part, so the compound is found
// written with or without its hyphen while each part stays searchable.
type HyphenTokenizer struct {
	words *unicode.UnicodeTokenizer
}

// NewHyphenTokenizer returns the tokenizer.
func NewHyphenTokenizer() *HyphenTokenizer {
	return &HyphenTokenizer{words: unicode.NewUnicodeTokenizer()}
}

// maxJoined bounds how many hyphenated parts are joined into one token.
const maxJoined = 4

// Tokenize implements analysis.Tokenizer.
func (t *HyphenTokenizer) Tokenize(input []byte) analysis.TokenStream {
	ts := t.words.Tokenize(input)
	out := make(analysis.TokenStream, 0, len(ts)+len(ts)/8)
	for i := 0; i < len(ts); i++ {
		out = append(out, ts[i])
		// Find a run of tokens separated by exactly one hyphen each.
		j := i
		for j+1 < len(ts) && j-i+1 < maxJoined && hyphenBetween(input, ts[j], ts[j+1]) {
			j++
		}
		if j == i {
			continue
		}
		var term []byte
		for k := i; k <= j; k++ {
			term = append(term, ts[k].Term...)
		}
		// The parts follow in order; the joined form shares the first
		// part's position, so phrases over the parts still match.
		for k := i + 1; k <= j; k++ {
			out = append(out, ts[k])
		}
		out = append(out, &analysis.Token{
			Term: term, Start: ts[i].Start, End: ts[j].End,
			// Typed as a shingle: the decompounder leaves it alone, since
			// its parts are already tokens of their own.
			Position: ts[i].Position, Type: analysis.Shingle,
		})
		i = j
	}
	// Keep the stream ordered by position, as filters and the indexer
	// expect: move each joined token right after its first part.
	return reorder(out)
}

func hyphenBetween(input []byte, a, b *analysis.Token) bool {
	return a.End+1 == b.Start && a.End < len(input) && input[a.End] == '-' &&
		a.Type == analysis.AlphaNumeric && b.Type == analysis.AlphaNumeric
}

// reorder sorts tokens by position, stably, so a joined token follows the
// first part it starts with.
func reorder(ts analysis.TokenStream) analysis.TokenStream {
	for i := 1; i < len(ts); i++ {
		for j := i; j > 0 && ts[j].Position < ts[j-1].Position; j-- {
			ts[j], ts[j-1] = ts[j-1], ts[j]
		}
	}
	return ts
}
