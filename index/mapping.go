package index

import (
	"github.com/blevesearch/bleve/v2/analysis/analyzer/keyword"
	"github.com/blevesearch/bleve/v2/mapping"

	"stichwort/index/german"
)

// Field names in the Bleve index.
const (
	fieldTitle   = "title"
	fieldLead    = "lead"
	fieldBody    = "body"
	fieldTagKeys = "tag_keys" // folded, for the filter
	fieldType    = "type"
	fieldSource  = "source"
	fieldYear    = "year"
	fieldDate    = "date"
	fieldState   = "state" // Bundesland
	// fieldFacet holds every facet value of a document (each behind the
	// prefix of its facet, facetTag …) as a short term of the facet
	// dictionary (facetdict.go). One field instead of one per facet lets a
	// search visit one doc-values column per hit instead of six, which was
	// half of a search's time.
	fieldFacet = "facet"
)

// Prefixes of the values in fieldFacet.
const (
	facetTag    = "g:" // display spelling of a Stichwort
	facetType   = "k:"
	facetYear   = "y:"
	facetSource = "s:"
	facetState  = "b:"
	facetMonth  = "m:" // "2024-10", for the histogram inside a year
)

// mappingVersion changes whenever newMapping indexes documents
// differently; Open rebuilds an index whose version differs from the
// document store.
const mappingVersion = "6"

// mappingVersionKey is where the index records its mappingVersion
// (Bleve's internal key-value space).
var mappingVersionKey = []byte("stichwort.mapping")

// textAnalyzer analyses the German text fields, at index and query time:
// German analysis with the lexicon extended by the corpus (defined in each
// index's mapping, see newMapping).
const textAnalyzer = "text_de"

// textFields are the searched fields with their weight: a word in the
// title says more about a document than the same word deep in its body.
var textFields = []struct {
	name  string
	boost float64
}{
	{fieldTitle, 3},
	{fieldLead, 2},
	{fieldBody, 1},
}

// newMapping describes how a Document is indexed. Nothing is indexed
// dynamically and there is no _all field: every field is declared with only
// the capabilities it needs. No field is stored: the text lives in the
// document store and snippets are highlighted by analysing it again
// (highlight.go). The text fields keep term vectors (positions) for
// phrase search: word pairs instead cost four times the indexing time.
// Doc values exist only for the facet and the date (sorting). Each of
// these choices was measured; see docs/BENCHMARKS.md.
func newMapping(extraParts []string) (mapping.IndexMapping, error) {
	text := func() *mapping.FieldMapping {
		f := mapping.NewTextFieldMapping()
		f.Analyzer = textAnalyzer
		f.Store = false
		f.IncludeTermVectors = true // positions, for phrases
		f.IncludeInAll = false
		f.DocValues = false
		return f
	}
	keywordField := func(docValues bool) *mapping.FieldMapping {
		f := mapping.NewKeywordFieldMapping()
		f.Analyzer = keyword.Name
		f.Store = false
		f.IncludeTermVectors = false
		f.IncludeInAll = false
		f.DocValues = docValues
		return f
	}
	date := mapping.NewDateTimeFieldMapping()
	date.Store = false
	date.IncludeInAll = false
	date.DocValues = true

	doc := mapping.NewDocumentStaticMapping()
	doc.AddFieldMappingsAt(fieldTitle, text())
	doc.AddFieldMappingsAt(fieldLead, text())
	doc.AddFieldMappingsAt(fieldBody, text())
	for _, f := range []string{fieldTagKeys, fieldType, fieldSource, fieldYear, fieldState} {
		doc.AddFieldMappingsAt(f, keywordField(false))
	}
	doc.AddFieldMappingsAt(fieldFacet, keywordField(true))
	doc.AddFieldMappingsAt(fieldDate, date)
	// Without this, Bleve adds an empty "_all" composite field to every
	// document even though no field is included in it, and building the
	// segment spends 5 % of indexing on it.
	doc.AddSubDocumentMapping("_all", mapping.NewDocumentDisabledMapping())

	im := mapping.NewIndexMapping()
	if err := german.DefineAnalyzer(im, textAnalyzer, extraParts); err != nil {
		return nil, err
	}
	im.DefaultMapping = doc
	im.DefaultAnalyzer = textAnalyzer
	im.IndexDynamic = false
	im.StoreDynamic = false
	im.DocValuesDynamic = false
	return im, nil
}
