package index

import (
	"math/bits"
	"strconv"
	"strings"
	"time"

	"github.com/blevesearch/bleve/v2/search/query"

	"stichwort"
)

// The prefilter of percolation: what a saved search needs of a document,
// in analysed terms and exact filter values, checked against a term →
// documents index of the batch with bitsets. It never rejects a document
// the search would find; for searches of single terms and filters it is
// exact.

// standing is a saved search compiled for percolation.
type standing struct {
	req Request
	// groups must all be satisfied; each is a list of alternatives, and an
	// alternative is a list of positions, each of which needs one of its
	// terms somewhere in the document's text.
	groups [][][][]string
	// needsBleve: the prefilter is only a necessary condition (compounds,
	// phrases, title:, excluded words); the Bleve query q decides.
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
		rec := record(d, nil)
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
