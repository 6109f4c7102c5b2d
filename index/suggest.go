package index

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/search/query"

	"stichwort"
	"stichwort/index/german"
)

// vocabulary is what autocomplete offers: the Stichwörter and the words of
// titles, each with a weight, in their display spelling. It is built from
// the document store on first use and kept current by Put.
type vocabulary struct {
	mu      sync.Mutex
	built   bool
	weights map[string]*vocabEntry // by folded key
	sorted  []*vocabEntry          // by key; nil when stale
}

type vocabEntry struct {
	key     string // german.Fold of the text
	text    string // display spelling
	weight  int
	display map[string]int // spelling -> count, to pick the most common
}

const (
	tagWeight   = 5
	titleWeight = 1
)

func (v *vocabulary) add(d stichwort.Document) {
	for _, t := range d.Tags {
		v.addText(t, tagWeight)
	}
	for _, w := range strings.FieldsFunc(d.Title, func(r rune) bool { return !unicode.IsLetter(r) && r != '-' }) {
		w = strings.Trim(w, "-")
		if utf8.RuneCountInString(w) >= 3 {
			v.addText(w, titleWeight)
		}
	}
}

func (v *vocabulary) addText(text string, weight int) {
	key := german.Fold(text)
	e := v.weights[key]
	if e == nil {
		e = &vocabEntry{key: key, display: map[string]int{}}
		v.weights[key] = e
		v.sorted = nil
	}
	e.weight += weight
	e.display[text] += weight
	if e.text == "" || e.display[text] > e.display[e.text] {
		e.text = text
	}
}

// WarmSuggest builds the autocomplete vocabulary now (it reads every
// stored document) unless ctx ends first; then the next Suggest builds it.
// A server calls it at start with its own lifetime, so that stopping the
// server does not wait for the build (a minute at 1,000,000 documents).
func (x *Index) WarmSuggest(ctx context.Context) error {
	v := &x.vocab
	v.mu.Lock()
	defer v.mu.Unlock()
	return x.buildVocabulary(ctx)
}

// buildVocabulary fills the vocabulary from the store unless it is built.
// x.vocab.mu must be held.
func (x *Index) buildVocabulary(ctx context.Context) error {
	v := &x.vocab
	if v.built {
		return nil
	}
	v.weights = map[string]*vocabEntry{}
	v.sorted = nil
	if err := x.docs.each(func(d stichwort.Document) error {
		if err := ctx.Err(); err != nil {
			return err
		}
		v.add(d)
		return nil
	}); err != nil {
		v.weights = nil
		return fmt.Errorf("index: suggest: %w", err)
	}
	v.built = true
	return nil
}

// Suggest completes prefix to at most n Stichwörter and title words, the
// most frequent first. The match ignores case and umlaut spelling.
func (x *Index) Suggest(ctx context.Context, prefix string, n int) ([]string, error) {
	prefix = strings.TrimSpace(prefix)
	if prefix == "" || n <= 0 {
		return []string{}, nil
	}
	v := &x.vocab
	v.mu.Lock()
	defer v.mu.Unlock()
	// The build is not cut short by the request that started it: on a
	// large index under load it takes longer than one client waits, and a
	// build abandoned with every cancelled request would be started again
	// by the next one, for ever.
	if err := x.buildVocabulary(context.Background()); err != nil {
		return nil, err
	}
	if v.sorted == nil {
		v.sorted = make([]*vocabEntry, 0, len(v.weights))
		for _, e := range v.weights {
			v.sorted = append(v.sorted, e)
		}
		sort.Slice(v.sorted, func(i, j int) bool { return v.sorted[i].key < v.sorted[j].key })
	}
	key := german.Fold(prefix)
	i := sort.Search(len(v.sorted), func(i int) bool { return v.sorted[i].key >= key })
	var cands []*vocabEntry
	for ; i < len(v.sorted) && strings.HasPrefix(v.sorted[i].key, key); i++ {
		cands = append(cands, v.sorted[i])
	}
	sort.SliceStable(cands, func(i, j int) bool { return cands[i].weight > cands[j].weight })
	out := make([]string, 0, min(n, len(cands)))
	for _, e := range cands[:min(n, len(cands))] {
		out = append(out, e.text)
	}
	return out, nil
}

// noteVocabulary keeps the autocomplete vocabulary current after Put.
func (x *Index) noteVocabulary(docs []stichwort.Document) {
	v := &x.vocab
	v.mu.Lock()
	defer v.mu.Unlock()
	if !v.built {
		return // built from the store on first use
	}
	for _, d := range docs {
		v.add(d)
	}
}

// Related returns up to n documents like the one with id: sharing its
// Stichwörter and the significant words of its title.
func (x *Index) Related(ctx context.Context, id string, n int) ([]Hit, error) {
	d, err := x.docs.get(id)
	if err != nil {
		return nil, err
	}
	x.mu.RLock()
	defer x.mu.RUnlock()
	var should []query.Query
	for _, t := range d.Tags {
		tq := termOn(fieldTagKeys, stichwort.TagKey(t))
		tq.SetBoost(2)
		should = append(should, tq)
	}
	if a := x.bleve.Mapping().AnalyzerNamed(textAnalyzer); a != nil {
		seen := map[string]bool{}
		for _, pos := range groupByPosition(a.Analyze([]byte(d.Title))) {
			for _, term := range pos {
				if seen[term] || utf8.RuneCountInString(term) < 4 {
					continue
				}
				seen[term] = true
				for _, f := range []string{fieldTitle, fieldBody} {
					should = append(should, termOn(f, term))
				}
			}
		}
	}
	if len(should) == 0 || n <= 0 {
		return []Hit{}, nil
	}
	bq := bleve.NewBooleanQuery()
	bq.AddShould(should...)
	bq.AddMustNot(bleve.NewDocIDQuery([]string{id}))
	sr := bleve.NewSearchRequestOptions(bq, n, 0, false)
	res, err := x.bleve.SearchInContext(ctx, sr)
	if err != nil {
		return nil, fmt.Errorf("index: related: %w", err)
	}
	ids := make([]string, len(res.Hits))
	for i, h := range res.Hits {
		ids[i] = h.ID
	}
	docs, err := x.docs.getMany(ids)
	if err != nil {
		return nil, fmt.Errorf("index: related: %w", err)
	}
	out := make([]Hit, 0, len(res.Hits))
	for _, h := range res.Hits {
		if rd, ok := docs[h.ID]; ok {
			out = append(out, hitOf(rd, h.Score, nil, nil))
		}
	}
	return out, nil
}
