package german

import (
	"bytes"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2/analysis"
)

// GenitiveFilterName is the filter that removes the genitive -s the light
// stemmer keeps.
const GenitiveFilterName = "stichwort_genitive_s"

// GenitiveFilter drops a final genitive or plural -s after -er and -p
// ("Hochwassers" → "hochwasser", "Prinzips" → "prinzip"), which Bleve's
// light German stemmer leaves on, so that those forms meet their base form.
// It runs after umlaut folding and before the stemmer.
type GenitiveFilter struct{}

// minGenitiveLen keeps short words ("ers", "ups") as they are.
const minGenitiveLen = 6

// Filter implements analysis.TokenFilter.
func (GenitiveFilter) Filter(in analysis.TokenStream) analysis.TokenStream {
	for _, tok := range in {
		t := tok.Term
		if tok.KeyWord || utf8.RuneCount(t) < minGenitiveLen {
			continue
		}
		if bytes.HasSuffix(t, []byte("ers")) || bytes.HasSuffix(t, []byte("ps")) {
			tok.Term = t[:len(t)-1]
		}
	}
	return in
}
