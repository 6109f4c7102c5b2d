package main

import (
	"context"
	"fmt"
	"path/filepath"

	"stichwort"
	"stichwort/index"
)

// importBatch is the batch size of `stichwort import`.
const importBatch = 4000

// indexOurs indexes the corpus with stichwort's index package as
// `stichwort import` does (index.Open, Put in batches of 4000, parsing
// overlapped with indexing) into dir/index, the layout of a data folder.
// The driver prefers the real binary; this path exists for profiling
// (-cpuprofile, -memprofile) and when no binary is given.
func indexOurs(ctx context.Context, corpus, dir string, beforeClose func()) (indexResult, error) {
	x, err := index.Open(filepath.Join(dir, "index"), nil)
	if err != nil {
		return indexResult{}, err
	}
	in, wait := batches(ctx, corpus, importBatch)
	for docs := range in {
		if err := x.Put(ctx, docs); err != nil {
			x.Close()
			for range in { // let the reader end
			}
			return indexResult{}, err
		}
	}
	st, err := wait()
	if err != nil {
		x.Close()
		return indexResult{}, err
	}
	if beforeClose != nil {
		beforeClose()
	}
	if err := x.Close(); err != nil {
		return indexResult{}, err
	}
	return indexResult{corpusStats: st}, nil
}

// oursSearcher answers with index.Search: the query as a user types it,
// a Stichwort filter, ten hits with snippets, and the facets Search always
// computes (Stichwörter, type, year, source, Bundesland).
type oursSearcher struct {
	x *index.Index
}

func openOurs(dir string) (*oursSearcher, error) {
	x, err := index.Open(filepath.Join(dir, "index"), nil)
	if err != nil {
		return nil, err
	}
	return &oursSearcher{x: x}, nil
}

func (s *oursSearcher) search(ctx context.Context, q benchQuery) (int, error) {
	req := index.Request{Query: q.text(), Size: 10}
	if q.Tag != "" {
		req.Tags = []string{q.Tag}
	}
	res, err := s.x.Search(ctx, req)
	if err != nil {
		return 0, err
	}
	if len(res.Facets.Type) == 0 && res.Total > 0 {
		return 0, fmt.Errorf("%q: no type facet", q.text())
	}
	return int(res.Total), nil
}

func (s *oursSearcher) Close() error { return s.x.Close() }

// percolate matches the batch against the alerts twice: cold (the
// alerts are compiled first, as after a start) and warm (a running
// server). It returns both times in milliseconds and the matched alerts.
func (s *oursSearcher) percolate(ctx context.Context, alerts []alertSpec, docs []stichwort.Document) (percolation, error) {
	searches := make(map[string]index.Request, len(alerts))
	for i, a := range alerts {
		r := index.Request{Query: a.Query, Tags: a.Tags}
		if a.Type != "" {
			r.Types = []string{a.Type}
		}
		searches[fmt.Sprintf("a%05d", i)] = r
	}
	p := s.x.NewPercolator()
	var out percolation
	out.Alerts, out.Docs = len(alerts), len(docs)
	for round := range 3 {
		batch := append([]stichwort.Document(nil), docs...) // Match may fill fields
		ms, matched, err := timed(func() (map[string][]string, error) { return p.Match(ctx, batch, searches) })
		if err != nil {
			return out, err
		}
		switch round {
		case 0:
			out.ColdMS = ms
		case 1:
			out.WarmMS = ms
		default:
			out.WarmMS = min(out.WarmMS, ms)
		}
		out.Matched = len(matched)
	}
	return out, nil
}
