package main

import (
	"context"
	"fmt"

	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/analysis/tokenizer/unicode"
	"github.com/blevesearch/bleve/v2/mapping"

	"stichwort"
	"stichwort/index/german"
)

// indexFloor is the floor of every engine: reading and parsing the
// corpus and cutting its text into Unicode words, on one core. It also
// counts the corpus's tokens.
func indexFloor(ctx context.Context, corpus, _ string) (indexResult, error) {
	tok := unicode.NewUnicodeTokenizer()
	var tokens int64
	st, err := eachDoc(ctx, corpus, func(d stichwort.Document) error {
		for _, s := range []string{d.Title, d.Lead, d.Body} {
			tokens += int64(len(tok.Tokenize([]byte(s))))
		}
		return nil
	})
	return indexResult{corpusStats: st, Tokens: tokens}, err
}

// indexAnalysis reads the corpus and runs stichwort's German analysis
// (the index's text analyzer: hyphen joins, decompounding, folding,
// stemming) over title, lead and body, on one core, without indexing:
// how much of indexing is analysis.
func indexAnalysis(ctx context.Context, corpus, _ string, beforeClose func()) (indexResult, error) {
	im := mapping.NewIndexMapping()
	if err := german.DefineAnalyzer(im, "text_de", nil); err != nil {
		return indexResult{}, err
	}
	var a analysis.Analyzer = im.AnalyzerNamed("text_de")
	if a == nil {
		return indexResult{}, fmt.Errorf("analyzer text_de not defined")
	}
	var tokens int64
	st, err := eachDoc(ctx, corpus, func(d stichwort.Document) error {
		for _, s := range []string{d.Title, d.Lead, d.Body} {
			tokens += int64(len(a.Analyze([]byte(s))))
		}
		return nil
	})
	if err == nil && beforeClose != nil {
		beforeClose()
	}
	return indexResult{corpusStats: st, Tokens: tokens}, err
}
