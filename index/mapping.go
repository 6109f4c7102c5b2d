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
	fieldTags    = "tags"     // display spelling, for the facet
	fieldTagKeys = "tag_keys" // folded, for the filter
	fieldType    = "type"
	fieldSource  = "source"
	fieldYear    = "year"
	fieldDate    = "date"
	fieldMonth   = "month" // "2024-10", for the histogram inside a year
	fieldState   = "state" // Bundesland
)

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
// the capabilities it needs (term vectors for highlighting, doc values for
// sorting and facets).
func newMapping(extraParts []string) (mapping.IndexMapping, error) {
	text := func() *mapping.FieldMapping {
		f := mapping.NewTextFieldMapping()
		f.Analyzer = textAnalyzer
		f.Store = true // highlighting re-reads the stored text
		f.IncludeTermVectors = true
		f.IncludeInAll = false
		f.DocValues = false
		return f
	}
	keywordField := func() *mapping.FieldMapping {
		f := mapping.NewKeywordFieldMapping()
		f.Analyzer = keyword.Name
		f.Store = false
		f.IncludeTermVectors = false
		f.IncludeInAll = false
		f.DocValues = true
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
	for _, f := range []string{fieldTags, fieldTagKeys, fieldType, fieldSource, fieldYear, fieldMonth, fieldState} {
		doc.AddFieldMappingsAt(f, keywordField())
	}
	doc.AddFieldMappingsAt(fieldDate, date)

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
