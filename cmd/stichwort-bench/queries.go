package main

import (
	"math/rand/v2"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"stichwort"
)

// benchQuery is one query of the fixed query set: words that must all
// match and, for a quarter of the set, a Stichwort filter.
type benchQuery struct {
	Words []string `json:"words"`
	Tag   string   `json:"tag,omitempty"`
}

func (q benchQuery) text() string { return strings.Join(q.Words, " ") }

// alertSpec is a saved search for the percolation figure.
type alertSpec struct {
	Query string   `json:"q,omitempty"`
	Tags  []string `json:"tags,omitempty"`
	Type  string   `json:"type,omitempty"`
}

// Seeds of the query and alert sets, apart from the corpus's.
const (
	querySeed = 0x9e3779b97f4a7c15
	alertSeed = 0xbf58476d1ce4e5b9
)

// queryDocs is the range of documents queries are drawn from: the first
// 10,000 are in every corpus of the same seed (generator), so the query
// set is the same at 10,000 and at 1,000,000 documents.
const queryDocs = 10_000

// makeQueries returns the fixed query set of the corpus of g with n
// documents: count queries of one (40 %), two (40 %) and three (20 %)
// content words that occur together in one document of the corpus, so
// that every query has at least one hit in every engine that finds the
// words as written; every fourth query also filters by one of that
// document's Stichwörter.
func makeQueries(g *generator, n, count int) []benchQuery {
	qs := make([]benchQuery, 0, count)
	for i := 0; len(qs) < count; i++ {
		r := rand.New(rand.NewPCG(querySeed^g.seed, uint64(i)))
		d := g.make(r.IntN(min(n, queryDocs)), true)
		words := 1
		switch i % 5 {
		case 2, 3:
			words = 2
		case 4:
			words = 3
		}
		picked := g.lang.pickWords(d.words, words, r)
		if len(picked) < words {
			continue
		}
		q := benchQuery{Words: picked}
		if len(qs)%4 == 3 {
			q.Tag = d.rec.Tags[r.IntN(len(d.rec.Tags))]
		}
		qs = append(qs, q)
	}
	return qs
}

// makeAlerts returns count saved searches like users keep them: one or
// two of the rarer content words of a document (a tenth of them with a
// Stichwort, one in twenty only PDFs) or only a Stichwort.
func makeAlerts(g *generator, n, count int) []alertSpec {
	out := make([]alertSpec, 0, count)
	for i := 0; len(out) < count; i++ {
		r := rand.New(rand.NewPCG(alertSeed^g.seed, uint64(i)))
		d := g.make(r.IntN(min(n, queryDocs)), true)
		tag := d.rec.Tags[r.IntN(len(d.rec.Tags))]
		var a alertSpec
		switch x := r.Float64(); {
		case x < 0.05:
			a.Tags = []string{tag}
		default:
			// The rarer of two candidates for each word: alerts watch for
			// specific subjects (Glasfaserausbau), rarely for "Kommunen".
			cands := g.lang.pickWords(d.words, 4, r)
			k := 1 + r.IntN(2)
			words := cands[:min(len(cands), 2*k)]
			slices.SortFunc(words, func(a, b string) int { return g.lang.rank(b) - g.lang.rank(a) })
			words = words[:min(len(words), k)]
			if len(words) == 0 {
				continue
			}
			a.Query = strings.Join(words, " ")
			if x < 0.15 {
				a.Tags = []string{tag}
			}
			if x > 0.95 {
				a.Type = stichwort.TypePDF
			}
		}
		out = append(out, a)
	}
	return out
}

// pickWords picks up to k different words of four letters or more, not
// stop words and without digits, from words. A stop word alone is no
// search anybody makes, and engines disagree on it (stock Bleve finds
// nothing, stichwort lists everything).
func (l *language) pickWords(words []string, k int, r *rand.Rand) []string {
	var out []string
	for try := 0; len(out) < k && try < 50 && len(words) > 0; try++ {
		w := words[r.IntN(len(words))]
		if utf8.RuneCountInString(w) < 4 || strings.ContainsFunc(w, unicode.IsDigit) || l.isStop(w) ||
			slices.ContainsFunc(out, func(o string) bool { return strings.EqualFold(o, w) }) {
			continue
		}
		out = append(out, w)
	}
	return out
}
