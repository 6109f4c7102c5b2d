package main

import (
	"context"
	"strings"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/analysis/analyzer/keyword"
	"github.com/blevesearch/bleve/v2/analysis/lang/de"
	"github.com/blevesearch/bleve/v2/mapping"
	"github.com/blevesearch/bleve/v2/search/query"

	"stichwort"
)

// bleveDE is the baseline an Elasticsearch user would set up: every text
// field analysed with the stock German analyzer (lower case, German stop
// words, umlaut/ß normalisation, light stemming; no decompounding, no
// synonyms), the words of a query matched with operator AND within a field
// and the fields combined as alternatives (multi_match best_fields), quoted
// phrases as phrase queries, and tags filtered as exact keywords.
type bleveDE struct {
	idx bleve.Index
}

// Field weights: the same as ours gives title, lead and body, so ranking
// differences come from analysis, not from boosts.
var bleveFields = []struct {
	name  string
	boost float64
}{{"title", 3}, {"lead", 2}, {"body", 1}, {"tags", 1}}

func openBleveDE(ctx context.Context, dir string, docs []evalDoc) (searcher, error) {
	im := mapping.NewIndexMapping()
	im.DefaultAnalyzer = de.AnalyzerName
	dm := mapping.NewDocumentStaticMapping()
	for _, f := range bleveFields {
		fm := mapping.NewTextFieldMapping()
		fm.Analyzer = de.AnalyzerName
		fm.IncludeInAll = false
		dm.AddFieldMappingsAt(f.name, fm)
	}
	kw := mapping.NewKeywordFieldMapping()
	kw.Analyzer = keyword.Name
	kw.IncludeInAll = false
	dm.AddFieldMappingsAt("tag_keys", kw)
	im.DefaultMapping = dm

	idx, err := bleve.New(dir, im)
	if err != nil {
		return nil, err
	}
	b := idx.NewBatch()
	for _, d := range docs {
		keys := make([]string, len(d.Doc.Tags))
		for i, t := range d.Doc.Tags {
			keys[i] = stichwort.TagKey(t)
		}
		rec := map[string]any{
			"title": d.Doc.Title, "lead": d.Doc.Lead, "body": d.Doc.Body,
			"tags": d.Doc.Tags, "tag_keys": keys,
		}
		if err := b.Index(d.ID, rec); err != nil {
			idx.Close()
			return nil, err
		}
	}
	if err := idx.Batch(b); err != nil {
		idx.Close()
		return nil, err
	}
	return &bleveDE{idx: idx}, nil
}

func (s *bleveDE) Search(ctx context.Context, q Query, n int) ([]string, error) {
	words, phrases := queryTerms(q.Q)
	var must []query.Query
	if len(words) > 0 {
		text := strings.Join(words, " ")
		alts := make([]query.Query, 0, len(bleveFields))
		for _, f := range bleveFields {
			mq := bleve.NewMatchQuery(text)
			mq.SetField(f.name)
			mq.SetOperator(query.MatchQueryOperatorAnd)
			mq.SetBoost(f.boost)
			alts = append(alts, mq)
		}
		must = append(must, bleve.NewDisjunctionQuery(alts...))
	}
	for _, p := range phrases {
		alts := make([]query.Query, 0, len(bleveFields))
		for _, f := range bleveFields {
			pq := bleve.NewMatchPhraseQuery(p)
			pq.SetField(f.name)
			pq.SetBoost(f.boost)
			alts = append(alts, pq)
		}
		must = append(must, bleve.NewDisjunctionQuery(alts...))
	}
	if len(must) == 0 {
		return nil, nil
	}
	for _, t := range q.Tags {
		tq := bleve.NewTermQuery(stichwort.TagKey(t))
		tq.SetField("tag_keys")
		must = append(must, tq)
	}
	req := bleve.NewSearchRequestOptions(bleve.NewConjunctionQuery(must...), n, 0, false)
	req.SortBy([]string{"-_score", "_id"}) // ties in id order, so runs agree
	res, err := s.idx.SearchInContext(ctx, req)
	if err != nil {
		return nil, err
	}
	ids := make([]string, len(res.Hits))
	for i, h := range res.Hits {
		ids[i] = h.ID
	}
	return ids, nil
}

func (s *bleveDE) Close() error { return s.idx.Close() }
