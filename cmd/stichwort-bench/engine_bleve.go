package main

import (
	"context"
	"strconv"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/analysis/lang/de"
	"github.com/blevesearch/bleve/v2/mapping"
	"github.com/blevesearch/bleve/v2/search/query"

	"stichwort"
)

// The stock Bleve baseline of issue 6: Bleve's default mapping with the
// German "de" analyzer as default analyzer (so every string field is
// analysed, stored, with term vectors and doc values, and copied into the
// _all field), documents as the import format gives them, batches of
// 1000. Nothing tuned.

func bleveRecord(d stichwort.Document) map[string]any {
	r := map[string]any{
		"url": d.URL, "title": d.Title, "lead": d.Lead, "body": d.Body,
		"tags": d.Tags, "type": d.Type, "source": d.Source,
	}
	if !d.Date.IsZero() {
		r["date"] = d.Date
		r["year"] = strconv.Itoa(d.Date.Year())
	}
	return r
}

func indexBleve(ctx context.Context, corpus, dir string, beforeClose func()) (indexResult, error) {
	m := mapping.NewIndexMapping()
	m.DefaultAnalyzer = de.AnalyzerName
	idx, err := bleve.New(dir, m)
	if err != nil {
		return indexResult{}, err
	}
	in, wait := batches(ctx, corpus, importBatch)
	for docs := range in {
		b := idx.NewBatch()
		for _, d := range docs {
			if err = b.Index(stichwort.DocID(d.URL), bleveRecord(d)); err != nil {
				break
			}
		}
		if err == nil {
			err = idx.Batch(b)
		}
		if err != nil {
			idx.Close()
			for range in {
			}
			return indexResult{}, err
		}
	}
	st, err := wait()
	if err != nil {
		idx.Close()
		return indexResult{}, err
	}
	if beforeClose != nil {
		beforeClose()
	}
	return indexResult{corpusStats: st}, idx.Close()
}

// bleveSearcher asks what a stock user would: all query words in the _all
// field (match query, operator AND), the Stichwort as a phrase in the
// tags field, ten hits with title and URL and a highlighted body, and
// term facets on tags, type and year.
type bleveSearcher struct {
	idx bleve.Index
}

func openBleve(dir string) (*bleveSearcher, error) {
	idx, err := bleve.Open(dir)
	if err != nil {
		return nil, err
	}
	return &bleveSearcher{idx: idx}, nil
}

func (s *bleveSearcher) search(ctx context.Context, q benchQuery) (int, error) {
	mq := bleve.NewMatchQuery(q.text())
	mq.SetOperator(query.MatchQueryOperatorAnd)
	var qq query.Query = mq
	if q.Tag != "" {
		tq := bleve.NewMatchPhraseQuery(q.Tag)
		tq.SetField("tags")
		qq = bleve.NewConjunctionQuery(mq, tq)
	}
	req := bleve.NewSearchRequestOptions(qq, 10, 0, false)
	req.Fields = []string{"title", "url", "date"}
	req.Highlight = bleve.NewHighlightWithStyle("html")
	req.Highlight.AddField("body")
	req.AddFacet("tags", bleve.NewFacetRequest("tags", 50))
	req.AddFacet("type", bleve.NewFacetRequest("type", 50))
	req.AddFacet("year", bleve.NewFacetRequest("year", 50))
	res, err := s.idx.SearchInContext(ctx, req)
	if err != nil {
		return 0, err
	}
	return int(res.Total), nil
}

func (s *bleveSearcher) Close() error { return s.idx.Close() }
