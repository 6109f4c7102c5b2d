package index

import (
	"context"
	"fmt"
	"reflect"
	"sync"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/index/scorch"
	"github.com/blevesearch/bleve/v2/mapping"

	"stichwort"
)

// Percolator matches new documents against many saved searches (alerts):
// the reverse of a search, which matches one query against many documents.
//
// Match builds a small in-memory Bleve index of the batch with the mapping
// of the main index and runs each saved search on it with the same query
// building as Search, so an alert matches exactly what a search would find.
// A cheap prefilter comes first: from each saved search it derives the
// analysed terms a document must contain (for every group of the query one
// of its alternatives, and the exact filters), and only searches that some
// document of the batch can satisfy are run on Bleve. Searches without
// query words are decided by the prefilter alone, which is exact for them.
//
// A Percolator caches the compiled form of each saved search by key, so a
// steady set of alerts is analysed once, not once per batch. It is safe for
// concurrent use; it must not outlive its Index.
type Percolator struct {
	x *Index

	mu    sync.Mutex
	cache map[string]*standing
	// mapping is the one the cache was compiled with; Reindex may swap
	// the index and with it the learned compound parts.
	mapping mapping.IndexMapping
	// verified counts the searches of the last Match that the prefilter
	// could not decide (for the benchmark).
	verified int
}

// NewPercolator returns a Percolator over the analysis and query building
// of x.
func (x *Index) NewPercolator() *Percolator {
	return &Percolator{x: x, cache: make(map[string]*standing)}
}

// Match returns, for every search in searches that one or more of docs
// match, the ids of those documents in the order of docs. Keys are the
// caller's (alert ids). Documents need a URL and a title; an id is derived
// from the URL when missing, as Put does. Only the exact query counts: the
// typo-tolerant fallback of Search is not used for alerts. Match returns
// ctx's error when cancelled and a wrapped error when Bleve fails.
func (p *Percolator) Match(ctx context.Context, docs []stichwort.Document, searches map[string]Request) (map[string][]string, error) {
	out := make(map[string][]string)
	if len(docs) == 0 || len(searches) == 0 {
		p.forget(searches)
		return out, nil
	}
	batch := make([]stichwort.Document, 0, len(docs))
	seen := make(map[string]bool, len(docs))
	for _, d := range docs {
		if err := prepare(&d); err != nil {
			return nil, fmt.Errorf("index: percolate: %w", err)
		}
		if seen[d.ID] {
			continue
		}
		seen[d.ID] = true
		batch = append(batch, d)
	}

	p.x.mu.RLock()
	defer p.x.mu.RUnlock()
	compiled := p.compile(searches)
	bi := p.x.newBatchIndex(batch)

	// Prefilter every search; collect those that need Bleve.
	type pending struct {
		key  string
		s    *standing
		cand bitset
	}
	var verify []pending
	for key, s := range compiled {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		cand := s.candidates(bi)
		if cand.empty() {
			continue
		}
		if !s.needsBleve {
			out[key] = cand.ids(batch)
			continue
		}
		verify = append(verify, pending{key, s, cand})
	}
	p.mu.Lock()
	p.verified = len(verify)
	p.mu.Unlock()
	if len(verify) == 0 {
		return out, nil
	}

	// The batch is analysed with the main index's own mapping, which holds
	// the compound parts learned from the corpus.
	// Scorch without a path keeps its segments in memory.
	mem, err := bleve.NewUsing("", p.x.bleve.Mapping(), scorch.Name, scorch.Name, nil)
	if err != nil {
		return nil, fmt.Errorf("index: percolate: %w", err)
	}
	defer mem.Close()
	if err := indexBatches(ctx, mem, nil, batch); err != nil {
		return nil, fmt.Errorf("index: percolate: %w", err)
	}

	// Searches on the small index are independent: run them on all cores.
	var (
		mu       sync.Mutex
		firstErr error
	)
	parallel(len(verify), func(i int) {
		if ctx.Err() != nil {
			return
		}
		v := verify[i]
		sr := bleve.NewSearchRequestOptions(v.s.q, len(batch), 0, false)
		sr.Score = "none"
		res, err := mem.SearchInContext(ctx, sr)
		mu.Lock()
		defer mu.Unlock()
		if err != nil {
			if firstErr == nil {
				firstErr = err
			}
			return
		}
		if len(res.Hits) == 0 {
			return
		}
		matched := make(map[string]bool, len(res.Hits))
		for _, h := range res.Hits {
			matched[h.ID] = true
		}
		var ids []string
		for _, d := range batch {
			if matched[d.ID] {
				ids = append(ids, d.ID)
			}
		}
		out[v.key] = ids
	})
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if firstErr != nil {
		return nil, fmt.Errorf("index: percolate: %w", firstErr)
	}
	return out, nil
}

// forget drops cached searches that are no longer saved.
func (p *Percolator) forget(searches map[string]Request) {
	p.mu.Lock()
	defer p.mu.Unlock()
	for key := range p.cache {
		if _, ok := searches[key]; !ok {
			delete(p.cache, key)
		}
	}
}

// compile returns the compiled form of every search, from the cache where
// the search is unchanged. p.x.mu must be held.
func (p *Percolator) compile(searches map[string]Request) map[string]*standing {
	p.mu.Lock()
	defer p.mu.Unlock()
	if m := p.x.bleve.Mapping(); m != p.mapping {
		clear(p.cache)
		p.mapping = m
	}
	out := make(map[string]*standing, len(searches))
	for key, r := range searches {
		s, ok := p.cache[key]
		if !ok || !reflect.DeepEqual(s.req, r) {
			s = p.x.compileStanding(r)
			p.cache[key] = s
		}
		out[key] = s
	}
	for key := range p.cache {
		if _, ok := searches[key]; !ok {
			delete(p.cache, key)
		}
	}
	return out
}
