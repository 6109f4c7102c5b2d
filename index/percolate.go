package index

import (
	"context"
	"fmt"
	"math/bits"
	"reflect"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/index/scorch"
	"github.com/blevesearch/bleve/v2/mapping"
	"github.com/blevesearch/bleve/v2/search/query"

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
}

// NewPercolator returns a Percolator over the analysis and query building
// of x.
func (x *Index) NewPercolator() *Percolator {
	return &Percolator{x: x, cache: make(map[string]*standing)}
}

// standing is a saved search compiled for percolation.
type standing struct {
	req Request
	// groups must all be satisfied; each is a list of alternatives, and an
	// alternative is a list of positions, each of which needs one of its
	// terms somewhere in the document's text.
	groups [][][][]string
	// needsBleve: the prefilter is only a necessary condition (query words
	// or excluded words); the Bleve query q decides.
	needsBleve bool
	q          query.Query
	// filters, exact.
	tagKeys []string
	types   []string
	sources []string
	years   []string
	states  []string
	from    time.Time // inclusive, start of day; zero: open
	until   time.Time // exclusive; zero: open
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
	if err := indexBatches(ctx, mem, batch); err != nil {
		return nil, fmt.Errorf("index: percolate: %w", err)
	}

	// Searches on the small index are independent: run them on all cores.
	var (
		mu       sync.Mutex
		firstErr error
		wg       sync.WaitGroup
		next     = make(chan pending)
	)
	workers := min(runtime.GOMAXPROCS(0), len(verify))
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for v := range next {
				sr := bleve.NewSearchRequestOptions(v.s.q, len(batch), 0, false)
				sr.Score = "none"
				res, err := mem.SearchInContext(ctx, sr)
				mu.Lock()
				if err != nil {
					if firstErr == nil {
						firstErr = err
					}
				} else if len(res.Hits) > 0 {
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
				}
				mu.Unlock()
			}
		}()
	}
	for _, v := range verify {
		if ctx.Err() != nil {
			break
		}
		next <- v
	}
	close(next)
	wg.Wait()
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

// compileStanding derives the prefilter and the Bleve query of r, exactly
// as Search would build it (without typo tolerance). x.mu must be held.
func (x *Index) compileStanding(r Request) *standing {
	pq := ParseQuery(r.Query)
	s := &standing{req: r}
	for _, tag := range r.Tags {
		s.tagKeys = append(s.tagKeys, stichwort.TagKey(tag))
	}
	for _, g := range r.orGroups() {
		switch g.name {
		case "type":
			s.types = g.values
		case "year":
			s.years = g.values
		case "source":
			s.sources = g.values
		case "state":
			s.states = g.values
		}
	}
	if !r.From.IsZero() {
		s.from = day(r.From)
	}
	if !r.To.IsZero() {
		s.until = day(r.To).AddDate(0, 0, 1)
	}
	exact := true
	for _, group := range pq.Groups {
		var alts [][][]string
		open := false // a term the prefilter cannot judge
		for _, t := range group {
			switch t.Field {
			case "":
				if a := x.positionsOf(t.Text); a != nil {
					alts = append(alts, a)
					exact = exact && !t.Phrase && oneTerm(a)
				}
			case FieldTitle: // the union of the text fields holds the title's terms
				if a := x.positionsOf(t.Text); a != nil {
					alts = append(alts, a)
					exact = false
				}
			case FieldTag:
				alts = append(alts, [][]string{{tagTerm(stichwort.TagKey(t.Text))}})
			default:
				open = true
			}
			for _, syn := range x.syn.Of(t.Text) {
				if a := x.positionsOf(syn); a != nil {
					alts = append(alts, a)
					exact = exact && oneTerm(a)
				}
			}
		}
		// Only stop words: no constraint, as in buildQuery.
		if len(alts) > 0 && !open {
			s.groups = append(s.groups, alts)
		}
		exact = exact && !open
	}
	// The prefilter is exact when every alternative is one analysed term:
	// termQuery then matches a document exactly when the term is in one
	// of the text fields, which is what the prefilter checks. Compounds
	// (whole word or all parts in one field), phrases, title: and excluded
	// words need Bleve.
	s.needsBleve = !exact || len(pq.Excluded) > 0
	if s.needsBleve {
		s.q = x.buildQuery(pq, r, "", false)
	}
	return s
}

// oneTerm reports whether an analysed word is a single term at a single
// position (no compound parts).
func oneTerm(positions [][]string) bool {
	return len(positions) == 1 && len(positions[0]) == 1
}

// positionsOf analyses a word or phrase and returns it as one alternative:
// its positions, each with the terms found there (the whole word first,
// then compound parts). It returns nil when nothing is left (stop words).
func (x *Index) positionsOf(text string) [][]string {
	analyzer := x.bleve.Mapping().AnalyzerNamed(textAnalyzer)
	if analyzer == nil {
		return nil
	}
	positions := groupByPosition(analyzer.Analyze([]byte(text)))
	if len(positions) == 0 {
		return nil
	}
	return positions
}

// batchIndex is what the prefilter knows of a batch: the documents, what
// the keyword fields of the index hold for each, and which documents
// contain each analysed term.
type batchIndex struct {
	docs  []stichwort.Document
	all   bitset
	keys  []map[string][]string // per document: field → keyword values
	terms map[string]bitset
}

// newBatchIndex analyses the batch as record and the mapping present it
// to Bleve. x.mu must be held.
func (x *Index) newBatchIndex(batch []stichwort.Document) *batchIndex {
	bi := &batchIndex{docs: batch, all: newBitset(len(batch)), terms: make(map[string]bitset)}
	analyzer := x.bleve.Mapping().AnalyzerNamed(textAnalyzer)
	add := func(term string, i int) {
		b, ok := bi.terms[term]
		if !ok {
			b = newBitset(len(batch))
			bi.terms[term] = b
		}
		b.set(i)
	}
	for i, d := range batch {
		bi.all.set(i)
		rec := record(d)
		if analyzer != nil {
			for _, f := range textFields {
				text, _ := rec[f.name].(string)
				for _, tok := range analyzer.Analyze([]byte(text)) {
					add(string(tok.Term), i)
				}
			}
		}
		keys := make(map[string][]string)
		for _, f := range []string{fieldTagKeys, fieldType, fieldSource, fieldYear, fieldState} {
			switch v := rec[f].(type) {
			case string:
				keys[f] = []string{v}
			case []string:
				keys[f] = v
			}
		}
		for _, k := range keys[fieldTagKeys] {
			add(tagTerm(k), i)
		}
		bi.keys = append(bi.keys, keys)
	}
	return bi
}

// tagTerm is the prefilter's term for a Stichwort (tag:"Smart City"); the
// NUL keeps it apart from every analysed word.
func tagTerm(key string) string { return "\x00tag\x00" + key }

// candidates are the documents of the batch that pass the exact filters
// and contain, for every group, the terms of one of its alternatives.
// Without query words this is the exact answer.
func (s *standing) candidates(bi *batchIndex) bitset {
	batch := bi.docs
	var cand bitset
	if s.filtered() {
		cand = newBitset(len(batch))
		for i := range batch {
			if s.passesFilters(&batch[i], bi.keys[i]) {
				cand.set(i)
			}
		}
	} else {
		cand = bi.all.clone()
	}
	for _, alts := range s.groups {
		if cand.empty() {
			return cand
		}
		some := newBitset(len(batch))
		for _, positions := range alts {
			all := cand.clone()
			for _, ts := range positions {
				one := newBitset(len(batch))
				for _, t := range ts {
					if b, ok := bi.terms[t]; ok {
						one.or(b)
					}
				}
				all.and(one)
				if all.empty() {
					break
				}
			}
			some.or(all)
		}
		cand.and(some)
	}
	return cand
}

func (s *standing) filtered() bool {
	return len(s.tagKeys)+len(s.types)+len(s.sources)+len(s.years)+len(s.states) > 0 ||
		!s.from.IsZero() || !s.until.IsZero()
}

// passesFilters evaluates the exact filters of the search on d, whose
// keyword fields (as record gives them to the index) are keys.
func (s *standing) passesFilters(d *stichwort.Document, keys map[string][]string) bool {
	for _, k := range s.tagKeys {
		if !contains(keys[fieldTagKeys], k) {
			return false
		}
	}
	if len(s.types) > 0 && !containsAny(s.types, keys[fieldType]) {
		return false
	}
	if len(s.sources) > 0 && !containsAny(s.sources, keys[fieldSource]) {
		return false
	}
	if len(s.years) > 0 && !containsAny(s.years, keys[fieldYear]) {
		return false
	}
	if len(s.states) > 0 && !containsAny(s.states, keys[fieldState]) {
		return false
	}
	if !s.from.IsZero() || !s.until.IsZero() {
		if d.Date.IsZero() {
			return false
		}
		t := d.Date.UTC()
		if (!s.from.IsZero() && t.Before(s.from)) || (!s.until.IsZero() && !t.Before(s.until)) {
			return false
		}
	}
	return true
}

func contains(list []string, v string) bool {
	for _, x := range list {
		if x == v {
			return true
		}
	}
	return false
}

func containsAny(list, values []string) bool {
	for _, v := range values {
		if contains(list, v) {
			return true
		}
	}
	return false
}

// bitset is a set of document positions in a batch.
type bitset []uint64

func newBitset(n int) bitset { return make(bitset, (n+63)/64) }

func (b bitset) set(i int) { b[i/64] |= 1 << (i % 64) }

func (b bitset) has(i int) bool { return b[i/64]&(1<<(i%64)) != 0 }

func (b bitset) or(o bitset) {
	for i := range b {
		b[i] |= o[i]
	}
}

func (b bitset) and(o bitset) {
	for i := range b {
		b[i] &= o[i]
	}
}

func (b bitset) clone() bitset { return append(bitset(nil), b...) }

func (b bitset) empty() bool {
	for _, w := range b {
		if w != 0 {
			return false
		}
	}
	return true
}

func (b bitset) count() int {
	n := 0
	for _, w := range b {
		n += bits.OnesCount64(w)
	}
	return n
}

// ids lists the ids of the documents in b, in batch order.
func (b bitset) ids(batch []stichwort.Document) []string {
	out := make([]string, 0, b.count())
	for i := range batch {
		if b.has(i) {
			out = append(out, batch[i].ID)
		}
	}
	return out
}

// String is for test failure messages.
func (b bitset) String() string {
	var parts []string
	for i := range len(b) * 64 {
		if b.has(i) {
			parts = append(parts, strconv.Itoa(i))
		}
	}
	return "{" + strings.Join(parts, ",") + "}"
}
