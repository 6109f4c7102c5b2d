package index

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"sync"

	"github.com/blevesearch/bleve/v2"

	"stichwort"
	"stichwort/index/german"
)

// Errors callers branch on.
var (
	// ErrNotFound: no document with that id.
	ErrNotFound = errors.New("document not found")
	// ErrLocked: another process holds the data folder.
	ErrLocked = errors.New("data folder is in use by another stichwort process")
	// ErrInvalid: a document misses a required field.
	ErrInvalid = errors.New("invalid document")
)

const batchSize = 500

// Index is the search index of one data folder. It is safe for concurrent
// use; writes are serialised.
type Index struct {
	dir    string
	logger *slog.Logger
	docs   *store
	syn    *german.Synonyms

	mu    sync.RWMutex // guards bleve (swapped by Reindex)
	bleve bleve.Index
	wmu   sync.Mutex // serialises writers

	vocab vocabulary // autocomplete
}

// Open opens the index in the data folder dir, creating it when missing.
func Open(dir string, logger *slog.Logger) (*Index, error) {
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	if err := german.Register(); err != nil {
		return nil, fmt.Errorf("index: %w", err)
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("index: create %s: %w", dir, err)
	}
	syn, err := german.DefaultSynonyms()
	if err != nil {
		return nil, fmt.Errorf("index: %w", err)
	}
	docs, err := openStore(filepath.Join(dir, "docs.db"))
	if err != nil {
		return nil, err
	}
	b, err := openBleve(filepath.Join(dir, "index"))
	if err != nil {
		docs.close()
		return nil, err
	}
	x := &Index{dir: dir, logger: logger, docs: docs, syn: syn, bleve: b}
	// A crash between the document store and the Bleve batch leaves the
	// store ahead; heal that at start so no stored document is unsearchable.
	// An index built by an older version of the mapping is rebuilt too.
	version, _ := b.GetInternal(mappingVersionKey)
	if n, _ := b.DocCount(); int(n) != docs.count() || string(version) != mappingVersion {
		logger.Warn("index and document store differ, rebuilding",
			slog.Uint64("indexed", n), slog.Int("stored", docs.count()),
			slog.String("mapping", string(version)), slog.String("want", mappingVersion))
		if err := x.Reindex(context.Background()); err != nil {
			x.Close()
			return nil, err
		}
	}
	return x, nil
}

func openBleve(path string) (bleve.Index, error) {
	b, err := bleve.Open(path)
	if errors.Is(err, bleve.ErrorIndexPathDoesNotExist) {
		// A new index knows no corpus yet; reindex learns its parts.
		m, merr := newMapping(nil)
		if merr != nil {
			return nil, fmt.Errorf("index: mapping: %w", merr)
		}
		b, err = bleve.New(path, m)
		if err == nil {
			err = b.SetInternal(mappingVersionKey, []byte(mappingVersion))
		}
	}
	if err != nil {
		return nil, fmt.Errorf("index: open %s: %w", path, err)
	}
	return b, nil
}

// Close releases the index.
func (x *Index) Close() error {
	x.wmu.Lock()
	defer x.wmu.Unlock()
	x.mu.Lock()
	defer x.mu.Unlock()
	err := x.bleve.Close()
	if cerr := x.docs.close(); err == nil {
		err = cerr
	}
	return err
}

// Put adds or replaces documents (by ID). A document without ID gets one
// from its URL. It returns ErrInvalid (wrapped) when a document has no URL
// or title; then nothing of the batch is written.
func (x *Index) Put(ctx context.Context, docs []stichwort.Document) error {
	for i := range docs {
		if err := prepare(&docs[i]); err != nil {
			return fmt.Errorf("index: document %d: %w", i, err)
		}
	}
	x.wmu.Lock()
	defer x.wmu.Unlock()
	if err := ctx.Err(); err != nil {
		return err
	}
	// The store first: if we crash before Bleve's batch lands, Open notices
	// the difference and rebuilds; the other order could lose documents.
	if err := x.docs.put(docs); err != nil {
		return fmt.Errorf("index: store: %w", err)
	}
	x.mu.RLock()
	defer x.mu.RUnlock()
	if err := indexBatches(ctx, x.bleve, x.docs.facets, docs); err != nil {
		return err
	}
	x.noteVocabulary(docs)
	return nil
}

// prepare checks a document and fills what the index derives from it.
func prepare(d *stichwort.Document) error {
	if d.URL == "" || d.Title == "" {
		return fmt.Errorf("%q: %w: url and title are required", d.URL, ErrInvalid)
	}
	if d.ID == "" {
		d.ID = stichwort.DocID(d.URL)
	}
	if d.Type == "" {
		d.Type = stichwort.TypeArticle
	}
	d.Tags = stichwort.CleanTags(d.Tags)
	d.States = german.States(d.Title + "\n" + d.Lead + "\n" + d.Body)
	return nil
}

// indexBatches indexes docs into b in batches of batchSize, two batches
// at a time: Bleve analyses a batch on all cores but builds its segment on
// one, so a second batch keeps the other core busy. A document that
// occurs twice in docs is indexed once, as its last occurrence.
func indexBatches(ctx context.Context, b bleve.Index, dict *facetDict, docs []stichwort.Document) error {
	docs = lastOccurrences(docs)
	var (
		wg    sync.WaitGroup
		slots = make(chan struct{}, 2)
		mu    sync.Mutex
		first error
	)
	fail := func(err error) {
		mu.Lock()
		if first == nil {
			first = err
		}
		mu.Unlock()
	}
	for start := 0; start < len(docs); start += batchSize {
		if err := ctx.Err(); err != nil {
			fail(err)
			break
		}
		slots <- struct{}{}
		end := min(start+batchSize, len(docs))
		wg.Go(func() {
			defer func() { <-slots }()
			batch := b.NewBatch()
			for _, d := range docs[start:end] {
				if err := batch.Index(d.ID, record(d, dict)); err != nil {
					fail(fmt.Errorf("index: %s: %w", d.URL, err))
					return
				}
			}
			if err := b.Batch(batch); err != nil {
				fail(fmt.Errorf("index: batch: %w", err))
			}
		})
	}
	wg.Wait()
	return first
}

// lastOccurrences returns docs without the earlier occurrences of an id
// that occurs more than once (a later version replaces an earlier one).
func lastOccurrences(docs []stichwort.Document) []stichwort.Document {
	last := make(map[string]int, len(docs))
	for i, d := range docs {
		last[d.ID] = i
	}
	if len(last) == len(docs) {
		return docs
	}
	out := make([]stichwort.Document, 0, len(last))
	for i, d := range docs {
		if last[d.ID] == i {
			out = append(out, d)
		}
	}
	return out
}

// record is what Bleve sees of a document. Without a facet dictionary
// (the percolator's batch index) it has no facet field.
func record(d stichwort.Document, dict *facetDict) map[string]any {
	keys := make([]string, len(d.Tags))
	for i, t := range d.Tags {
		keys[i] = stichwort.TagKey(t)
	}
	r := map[string]any{
		fieldTitle:   d.Title,
		fieldLead:    d.Lead,
		fieldBody:    d.Body,
		fieldTagKeys: keys,
		fieldType:    d.Type,
		fieldSource:  d.Source,
	}
	if !d.Date.IsZero() {
		r[fieldDate] = d.Date.UTC()
		r[fieldYear] = strconv.Itoa(d.Date.Year())
	}
	if len(d.States) > 0 {
		r[fieldState] = d.States
	}
	if dict != nil {
		values := docFacets(d)
		terms := make([]string, len(values))
		for i, v := range values {
			terms[i] = dict.term(v)
		}
		r[fieldFacet] = terms
	}
	return r
}

// docFacets lists the facet values of d, each behind its facet's prefix.
func docFacets(d stichwort.Document) []string {
	out := make([]string, 0, len(d.Tags)+len(d.States)+4)
	for _, t := range d.Tags {
		out = append(out, facetTag+t)
	}
	out = append(out, facetType+d.Type, facetSource+d.Source)
	if !d.Date.IsZero() {
		out = append(out, facetYear+strconv.Itoa(d.Date.Year()), facetMonth+d.Date.Format("2006-01"))
	}
	for _, s := range d.States {
		out = append(out, facetState+s)
	}
	return out
}

// Get returns the stored document with the id, or ErrNotFound.
func (x *Index) Get(id string) (stichwort.Document, error) {
	return x.docs.get(id)
}

// Count returns the number of documents.
func (x *Index) Count() int { return x.docs.count() }

// Reindex rebuilds the Bleve index from the document store, for example
// after the analysis changed. Searches keep being answered from the old
// index until the new one is complete.
func (x *Index) Reindex(ctx context.Context) error {
	x.wmu.Lock()
	defer x.wmu.Unlock()
	path := filepath.Join(x.dir, "index")
	tmp := path + ".new"
	if err := os.RemoveAll(tmp); err != nil {
		return fmt.Errorf("index: reindex: %w", err)
	}
	parts, err := x.corpusParts(ctx)
	if err != nil {
		return fmt.Errorf("index: reindex: %w", err)
	}
	m, err := newMapping(parts)
	if err != nil {
		return fmt.Errorf("index: reindex: %w", err)
	}
	nb, err := bleve.New(tmp, m)
	if err != nil {
		return fmt.Errorf("index: reindex: %w", err)
	}
	var pending []stichwort.Document
	n := 0
	// Derived fields (Bundesländer) are computed anew, since reindexing
	// follows a change of the analysis.
	var updated []stichwort.Document
	// Only changed documents are kept for writing back: the store cannot be
	// written while it is being read.
	err = x.docs.each(func(d stichwort.Document) error {
		old := d.States
		if err := prepare(&d); err != nil {
			return err
		}
		if !slices.Equal(old, d.States) {
			updated = append(updated, d)
		}
		pending = append(pending, d)
		n++
		if len(pending) == 4*batchSize { // enough for indexBatches to overlap batches
			err := indexBatches(ctx, nb, x.docs.facets, pending)
			pending = pending[:0]
			return err
		}
		return nil
	})
	if err == nil {
		err = indexBatches(ctx, nb, x.docs.facets, pending)
	}
	if err == nil {
		err = x.docs.put(updated)
	}
	if err == nil {
		// The store's kept count follows what was really read, in case
		// the store was changed behind stichwort's back (check finds that).
		err = x.docs.setCount(n)
	}
	if err == nil {
		err = nb.SetInternal(mappingVersionKey, []byte(mappingVersion))
	}
	if cerr := nb.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.RemoveAll(tmp)
		return fmt.Errorf("index: reindex: %w", err)
	}

	x.mu.Lock()
	defer x.mu.Unlock()
	if x.bleve != nil {
		if err := x.bleve.Close(); err != nil {
			return fmt.Errorf("index: reindex: close old: %w", err)
		}
	}
	old := path + ".old"
	os.RemoveAll(old)
	if err := os.Rename(path, old); err != nil && !errors.Is(err, os.ErrNotExist) {
		return fmt.Errorf("index: reindex: %w", err)
	}
	if err := os.Rename(tmp, path); err != nil {
		return fmt.Errorf("index: reindex: %w", err)
	}
	os.RemoveAll(old)
	x.bleve, err = openBleve(path)
	if err != nil {
		return err
	}
	x.logger.Info("reindexed", slog.Int("docs", n), slog.Int("corpus_parts", len(parts)))
	return nil
}

// corpusParts learns compound parts from the stored documents' words.
func (x *Index) corpusParts(ctx context.Context) ([]string, error) {
	dict, err := german.DefaultDictionary()
	if err != nil {
		return nil, err
	}
	cp := german.NewCorpusParts(dict)
	err = x.docs.each(func(d stichwort.Document) error {
		cp.Add(d.Title + " " + d.Lead + " " + d.Body)
		return ctx.Err()
	})
	return cp.Parts(), err
}
