package index

import (
	"fmt"
	"strconv"
	"sync"

	bolt "go.etcd.io/bbolt"
)

// facetBucket maps the short terms of fieldFacet to the facet values they
// stand for ("3f" → "g:Smart City").
var facetBucket = []byte("facets")

// facetDict gives every facet value ("g:Smart City", "y:2024") a short
// term of a few bytes for fieldFacet. Bleve keeps doc values in
// compressed chunks and decompresses a chunk whenever a search visits its
// documents, so a broad search decompresses the whole column: short terms
// made that column five times smaller and facet counting that much faster
// (docs/BENCHMARKS.md). The dictionary lives in the document store and
// only grows; a term is written there before the index holds it.
type facetDict struct {
	mu      sync.RWMutex
	terms   map[string]string // value → term
	values  map[string]string // term → value
	pending map[string]string // term → value, not yet in the store
}

func newFacetDict() *facetDict {
	return &facetDict{terms: make(map[string]string), values: make(map[string]string), pending: make(map[string]string)}
}

// load reads the dictionary from the store.
func (d *facetDict) load(db *bolt.DB) error {
	d.mu.Lock()
	defer d.mu.Unlock()
	return db.View(func(tx *bolt.Tx) error {
		b := tx.Bucket(facetBucket)
		if b == nil {
			return nil
		}
		return b.ForEach(func(k, v []byte) error {
			d.terms[string(v)] = string(k)
			d.values[string(k)] = string(v)
			return nil
		})
	})
}

// term returns the term of value, assigning the next one if it has none.
func (d *facetDict) term(value string) string {
	d.mu.RLock()
	t, ok := d.terms[value]
	d.mu.RUnlock()
	if ok {
		return t
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	if t, ok := d.terms[value]; ok {
		return t
	}
	t = strconv.FormatUint(uint64(len(d.terms)), 36)
	d.terms[value] = t
	d.values[t] = value
	d.pending[t] = value
	return t
}

// value returns the facet value a term stands for.
func (d *facetDict) value(term string) (string, bool) {
	d.mu.RLock()
	defer d.mu.RUnlock()
	v, ok := d.values[term]
	return v, ok
}

// flush writes the terms assigned since the last flush in tx.
func (d *facetDict) flush(tx *bolt.Tx) error {
	d.mu.Lock()
	defer d.mu.Unlock()
	if len(d.pending) == 0 {
		return nil
	}
	b, err := tx.CreateBucketIfNotExists(facetBucket)
	if err != nil {
		return fmt.Errorf("facet dictionary: %w", err)
	}
	for t, v := range d.pending {
		if err := b.Put([]byte(t), []byte(v)); err != nil {
			return fmt.Errorf("facet dictionary: %w", err)
		}
	}
	clear(d.pending)
	return nil
}
