package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
)

// searcher is one search system under evaluation, loaded with the corpus.
type searcher interface {
	// Search runs q (its text and tag filter) and returns the judged ids of
	// at most n documents, best first. No hits is an empty list, not an
	// error; errors mean the system failed (a bad query expression, a
	// broken index).
	Search(ctx context.Context, q Query, n int) ([]string, error)
	// Close releases the index; its error is the engine's.
	Close() error
}

// system names a searcher and builds it from the corpus in a fresh
// directory that the caller removes afterwards.
type system struct {
	Name  string
	About string // one line for the report
	Open  func(ctx context.Context, dir string, docs []evalDoc) (searcher, error)
}

// systems are the compared systems, ours first.
func systems() []system {
	return []system{
		{"ours", "index package: German analysis (decompounding, synonyms, typo fallback)", openOurs},
		{"bleve-de", "Bleve, stock \"de\" analyzer, match AND per field, phrases, tag term filter", openBleveDE},
		{"sqlite-fts5", "SQLite FTS5, unicode61 remove_diacritics 2, words ANDed, bm25", openFTS5},
	}
}

// queryResult is one query's outcome for one system.
type queryResult struct {
	ID       string   `json:"id"`
	Category string   `json:"category"`
	Q        string   `json:"q"`
	Tags     []string `json:"tags,omitempty"`
	NDCG     float64  `json:"ndcg_at_10"`
	RR       float64  `json:"rr_at_10"`
	Recall   float64  `json:"recall_at_10"`
	Top      []string `json:"top"`              // judged ids of the returned documents, best first
	Missed   []string `json:"missed,omitempty"` // relevant ids not in the top 10
}

// failed reports whether no relevant document came back in the top 10.
func (r queryResult) failed() bool { return r.RR == 0 }

// evaluate builds s in a temporary directory, runs every query and scores
// the rankings.
func evaluate(ctx context.Context, s system, docs []evalDoc, qs []Query) (systemReport, error) {
	dir, err := os.MkdirTemp("", "stichwort-eval-")
	if err != nil {
		return systemReport{}, fmt.Errorf("%s: %w", s.Name, err)
	}
	defer os.RemoveAll(dir)
	se, err := s.Open(ctx, filepath.Join(dir, s.Name), docs)
	if err != nil {
		return systemReport{}, fmt.Errorf("%s: %w", s.Name, err)
	}
	results := make([]queryResult, 0, len(qs))
	for _, q := range qs {
		top, err := se.Search(ctx, q, cutoff)
		if err != nil {
			se.Close()
			return systemReport{}, fmt.Errorf("%s: query %s (%q): %w", s.Name, q.ID, q.Q, err)
		}
		results = append(results, score(q, top))
	}
	if err := se.Close(); err != nil {
		return systemReport{}, fmt.Errorf("%s: close: %w", s.Name, err)
	}
	return newSystemReport(s, results), nil
}

func score(q Query, top []string) queryResult {
	top = topK(top, cutoff)
	r := queryResult{
		ID: q.ID, Category: q.Category, Q: q.Q, Tags: q.Tags, Top: top,
		NDCG:   ndcg(top, q.Relevant, cutoff),
		RR:     reciprocalRank(top, q.Relevant, cutoff),
		Recall: recall(top, q.Relevant, cutoff),
	}
	for _, id := range sortedKeys(q.Relevant) {
		if !slices.Contains(top, id) {
			r.Missed = append(r.Missed, id)
		}
	}
	return r
}
