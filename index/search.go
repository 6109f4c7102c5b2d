package index

import (
	"context"
	"fmt"
	"html"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/query"

	"stichwort"
	"stichwort/index/german"
)

// Sort orders.
const (
	SortRelevance = "relevance"
	SortDate      = "date"
)

// Limits on a request, so no request can make the index do unbounded work.
const (
	MaxSize   = 100
	MaxOffset = 10000 // deepest result reachable by paging
	facetSize = 50
)

// Request is a search: query text plus filters, sort and page.
type Request struct {
	Query string   // user query syntax, see ParseQuery; empty lists everything
	Tags  []string // all must be present (compared by TagKey)
	// Types, Sources, Years and States are alternatives within each list
	// (any one may match); the lists combine with AND.
	Types   []string // stichwort.Type*
	Sources []string // hosts
	Years   []int
	States  []string // Bundesländer, as german.States names them
	// From and To bound the publication date, inclusive, by calendar day;
	// zero means open.
	From, To time.Time
	Sort     string // SortRelevance (default with a query) or SortDate
	// Recent boosts newer documents in a relevance ranking (news age).
	Recent bool
	// Now is the reference time of Recent; zero means time.Now().
	Now  time.Time
	Page int // 1-based
	Size int
}

// Result is one page of hits with facet counts over all matches.
type Result struct {
	Total  uint64
	Took   time.Duration
	Hits   []Hit
	Facets Facets
	// Suggest is a corrected query ("Meinten Sie …?") when the query as
	// typed found nothing; Hits then hold the tolerant matches and Fuzzy
	// is set.
	Suggest string
	Fuzzy   bool
}

// Hit is one matching document as a result list shows it.
type Hit struct {
	ID      string
	URL     string
	Title   string
	Date    time.Time
	Type    string
	Source  string
	Tags    []string
	States  []string
	Snippet string // HTML: escaped text with <mark> around matched words
	Score   float64
	Parent  string
}

// Facets are the counts of each value among the matches. Tags count
// within the result (choosing one more narrows it); Type, Year, Source
// and State are disjunctive: each counts as if its own selection were
// removed, so the other values say how many results they would add.
type Facets struct {
	Tags, Type, Year, Source, State []FacetValue
	// Month ("2024-10") is filled when the date filter lies in one year.
	Month []FacetValue
}

// FacetValue is one value of a facet and how many matches have it.
type FacetValue struct {
	Value string
	Count int
}

// orGroup is one disjunctive filter: a facet whose values are alternatives.
type orGroup struct {
	name   string // facet name
	field  string
	prefix string // of its values in fieldFacet
	values []string
}

func (r Request) orGroups() []orGroup {
	years := make([]string, len(r.Years))
	for i, y := range r.Years {
		years[i] = strconv.Itoa(y)
	}
	sources := make([]string, len(r.Sources))
	for i, s := range r.Sources {
		sources[i] = strings.ToLower(s)
	}
	return []orGroup{
		{"type", fieldType, facetType, r.Types},
		{"year", fieldYear, facetYear, years},
		{"source", fieldSource, facetSource, sources},
		{"state", fieldState, facetState, r.States},
	}
}

// oneYear reports whether the request's dates lie within one year, and
// which.
func (r Request) oneYear() (int, bool) {
	switch {
	case len(r.Years) == 1 && (r.From.IsZero() || r.From.Year() <= r.Years[0]) && (r.To.IsZero() || r.To.Year() >= r.Years[0]):
		return r.Years[0], true
	case len(r.Years) == 0 && !r.From.IsZero() && !r.To.IsZero() && r.From.Year() == r.To.Year():
		return r.From.Year(), true
	}
	return 0, false
}

// Search runs r. The caller validates r's fields (see the server); Search
// clamps what it must to stay bounded.
func (x *Index) Search(ctx context.Context, r Request) (Result, error) {
	if r.Size <= 0 {
		r.Size = 10
	}
	r.Size = min(r.Size, MaxSize)
	r.Page = max(r.Page, 1)
	from := (r.Page - 1) * r.Size
	if from+r.Size > MaxOffset {
		return Result{}, fmt.Errorf("index: page %d: %w", r.Page, ErrTooDeep)
	}

	x.mu.RLock()
	defer x.mu.RUnlock()

	pq := ParseQuery(r.Query)
	out, err := x.search(ctx, r, pq, from, false)
	if err != nil {
		return Result{}, err
	}
	if out.Total == 0 && !pq.Empty() {
		// Nothing as typed: try again tolerating typos, and say so.
		fz, err := x.search(ctx, r, pq, from, true)
		if err != nil {
			return Result{}, err
		}
		if fz.Total > 0 {
			fz.Fuzzy = true
			fz.Suggest = suggestion(pq, fz.Hits)
			return fz, nil
		}
	}
	return out, nil
}

func (x *Index) search(ctx context.Context, r Request, pq Query, from int, fuzzy bool) (Result, error) {
	groups := r.orGroups()
	q := x.buildQuery(pq, r, "", fuzzy)
	sr := bleve.NewSearchRequestOptions(q, r.Size, from, false)
	sr.SortByCustom(sortOrder(r.Sort, pq.Empty()))
	sr.AddFacet(fieldFacet, bleve.NewFacetRequest(fieldFacet, allFacetValues))
	res, err := x.bleve.SearchInContext(ctx, sr)
	if err != nil {
		return Result{}, fmt.Errorf("index: search: %w", err)
	}
	facets := x.splitFacets(res.Facets[fieldFacet])
	// A selected disjunctive facet is counted without its own selection.
	for _, g := range groups {
		if len(g.values) == 0 {
			continue
		}
		fr := bleve.NewSearchRequestOptions(x.buildQuery(pq, r, g.name, fuzzy), 0, 0, false)
		fr.AddFacet(fieldFacet, bleve.NewFacetRequest(fieldFacet, allFacetValues))
		fres, err := x.bleve.SearchInContext(ctx, fr)
		if err != nil {
			return Result{}, fmt.Errorf("index: facet %s: %w", g.name, err)
		}
		facets[g.prefix] = x.splitFacets(fres.Facets[fieldFacet])[g.prefix]
	}

	ids := make([]string, len(res.Hits))
	for i, h := range res.Hits {
		ids[i] = h.ID
	}
	docs, err := x.docs.getMany(ids)
	if err != nil {
		return Result{}, fmt.Errorf("index: search: %w", err)
	}
	var m *matcher
	analyzer := x.bleve.Mapping().AnalyzerNamed(textAnalyzer)
	if !pq.Empty() && analyzer != nil {
		m = x.newMatcher(analyzer, pq, fuzzy)
	}
	out := Result{Total: res.Total, Took: res.Took, Hits: make([]Hit, 0, len(res.Hits))}
	for _, h := range res.Hits {
		d, ok := docs[h.ID]
		if !ok {
			continue // deleted between search and read
		}
		out.Hits = append(out.Hits, hitOf(d, h.Score, analyzer, m))
	}
	out.Facets = Facets{
		Tags:   facetValues(facets[facetTag], false, facetSize),
		Type:   facetValues(facets[facetType], false, facetSize),
		Year:   facetValues(facets[facetYear], true, facetSize),
		Source: facetValues(facets[facetSource], false, facetSize),
		State:  facetValues(facets[facetState], false, facetSize),
	}
	if _, ok := r.oneYear(); ok {
		out.Facets.Month = facetValues(facets[facetMonth], false, 12)
		slices.SortFunc(out.Facets.Month, func(a, b FacetValue) int { return strings.Compare(a.Value, b.Value) })
	}
	return out, nil
}

// allFacetValues asks Bleve for every value of fieldFacet; each facet is
// cut to its own size after splitting (facetValues).
const allFacetValues = 1 << 20

// splitFacets looks up the values of fieldFacet's terms and sorts them by
// their prefix into the facets they belong to: prefix → value → count.
func (x *Index) splitFacets(fr *search.FacetResult) map[string]map[string]int {
	out := make(map[string]map[string]int)
	if fr == nil || fr.Terms == nil {
		return out
	}
	for _, t := range fr.Terms.Terms() {
		v, ok := x.docs.facets.value(t.Term)
		if !ok || len(v) < 2 || v[1] != ':' {
			continue
		}
		p := v[:2]
		if out[p] == nil {
			out[p] = make(map[string]int)
		}
		out[p][v[2:]] = t.Count
	}
	return out
}

// suggestion builds "Meinten Sie …?" from the words the tolerant search
// marked in its best hits, in the order of the query's words.
func suggestion(pq Query, hits []Hit) string {
	var marked []string
	for _, h := range hits {
		for _, m := range markedWords(h.Snippet) {
			if !slices.ContainsFunc(marked, func(s string) bool { return strings.EqualFold(s, m) }) {
				marked = append(marked, m)
			}
		}
	}
	words := 0
	for _, g := range pq.Groups {
		words += len(g)
	}
	if len(marked) > words {
		marked = marked[:words]
	}
	return strings.Join(marked, " ")
}

func markedWords(snippet string) []string {
	var out []string
	for {
		i := strings.Index(snippet, "<mark>")
		if i < 0 {
			return out
		}
		snippet = snippet[i+len("<mark>"):]
		j := strings.Index(snippet, "</mark>")
		if j < 0 {
			return out
		}
		out = append(out, html.UnescapeString(snippet[:j]))
		snippet = snippet[j:]
	}
}

// ErrTooDeep: the requested page lies beyond MaxOffset.
var ErrTooDeep = fmt.Errorf("page beyond the first %d results", MaxOffset)

func sortOrder(s string, emptyQuery bool) search.SortOrder {
	// No tie-breaker on the id or the date: each one makes Bleve read that
	// value for every match, not only for the page (the id even decodes
	// the stored document), which cost more than the rest of the search.
	// Ties keep the index's order, which is stable between pages.
	byDate := &search.SortField{Field: fieldDate, Desc: true, Type: search.SortFieldAsDate, Missing: search.SortFieldMissingLast}
	byScore := &search.SortScore{Desc: true}
	if s == SortDate || (s == "" && emptyQuery) {
		return search.SortOrder{byDate, byScore}
	}
	return search.SortOrder{byScore}
}

// buildQuery turns the parsed query and the filters into one Bleve query;
// the disjunctive group named skip is left out (for its facet counts).
func (x *Index) buildQuery(pq Query, r Request, skip string, fuzzy bool) query.Query {
	var must []query.Query
	for _, group := range pq.Groups {
		var alts []query.Query
		for _, t := range group {
			if tq := x.termQuery(t, fuzzy); tq != nil {
				alts = append(alts, tq)
			}
			// Abbreviations and their long forms are alternatives:
			// "KI" also finds "Künstliche Intelligenz".
			for _, syn := range x.syn.Of(t.Text) {
				if sq := x.termQuery(Term{Text: syn, Phrase: strings.Contains(syn, " ")}, false); sq != nil {
					alts = append(alts, sq)
				}
			}
		}
		switch len(alts) {
		case 0: // only stop words: they neither narrow nor widen
		case 1:
			must = append(must, alts[0])
		default:
			must = append(must, bleve.NewDisjunctionQuery(alts...))
		}
	}
	filtered := len(must) > 0
	for _, tag := range r.Tags {
		must = append(must, termOn(fieldTagKeys, stichwort.TagKey(tag)))
	}
	for _, g := range r.orGroups() {
		if g.name == skip || len(g.values) == 0 {
			continue
		}
		alts := make([]query.Query, len(g.values))
		for i, v := range g.values {
			alts[i] = termOn(g.field, v)
		}
		if len(alts) == 1 {
			must = append(must, alts[0])
		} else {
			must = append(must, bleve.NewDisjunctionQuery(alts...))
		}
	}
	if !r.From.IsZero() || !r.To.IsZero() {
		var start, end time.Time
		if !r.From.IsZero() {
			start = day(r.From)
		}
		if !r.To.IsZero() {
			end = day(r.To).AddDate(0, 0, 1)
		}
		incl, excl := true, false
		dq := bleve.NewDateRangeInclusiveQuery(start, end, &incl, &excl)
		dq.SetField(fieldDate)
		must = append(must, dq)
	}
	if !filtered && len(must) == 0 {
		// No words (or only stop words) and no filters: everything matches.
		must = append(must, bleve.NewMatchAllQuery())
	}
	var pos query.Query = bleve.NewConjunctionQuery(must...)
	if len(must) == 1 {
		pos = must[0]
	}
	var nots []query.Query
	for _, t := range pq.Excluded {
		if tq := x.termQuery(t, false); tq != nil {
			nots = append(nots, tq)
		}
	}
	recent := recencyBoost(r, pq)
	if len(nots) == 0 && recent == nil {
		return pos
	}
	bq := bleve.NewBooleanQuery()
	bq.AddMust(pos)
	if len(nots) > 0 {
		bq.AddMustNot(nots...)
	}
	if recent != nil {
		bq.AddShould(recent...)
	}
	return bq
}

// recencyBoost returns optional clauses that add to the score of recent
// documents (cumulative: a week-old article gets all three), or nil when
// the request does not ask for it or is not ranked by relevance.
func recencyBoost(r Request, pq Query) []query.Query {
	if !r.Recent || pq.Empty() || r.Sort == SortDate {
		return nil
	}
	now := r.Now
	if now.IsZero() {
		now = time.Now()
	}
	var out []query.Query
	for _, w := range []struct {
		age   time.Duration
		boost float64
	}{{90 * 24 * time.Hour, 0.5}, {365 * 24 * time.Hour, 0.3}, {3 * 365 * 24 * time.Hour, 0.2}} {
		incl := true
		dq := bleve.NewDateRangeInclusiveQuery(now.Add(-w.age), time.Time{}, &incl, nil)
		dq.SetField(fieldDate)
		dq.SetBoost(w.boost)
		out = append(out, dq)
	}
	return out
}

func termOn(field, v string) *query.TermQuery {
	tq := bleve.NewTermQuery(v)
	tq.SetField(field)
	return tq
}

func day(t time.Time) time.Time {
	return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC)
}

// termQuery matches one word or phrase in any text field, or returns nil
// when the analyser leaves nothing of it (a stop word, punctuation).
func (x *Index) termQuery(t Term, fuzzy bool) query.Query {
	if t.Field == FieldTag {
		return termOn(fieldTagKeys, stichwort.TagKey(t.Text))
	}
	analyzer := x.bleve.Mapping().AnalyzerNamed(textAnalyzer)
	if analyzer == nil {
		return nil
	}
	positions := groupByPosition(analyzer.Analyze([]byte(t.Text)))
	if len(positions) == 0 {
		return nil
	}
	if !fuzzy && !t.Phrase {
		return x.wordQuery(t.Field, positions)
	}
	alts := make([]query.Query, 0, len(textFields))
	for _, f := range textFields {
		if t.Field == FieldTitle && f.name != fieldTitle {
			continue
		}
		var q query.Query
		if fuzzy && !t.Phrase {
			q = fuzzyQuery(f.name, positions, german.Fold(t.Text))
		} else {
			mq := bleve.NewMatchPhraseQuery(t.Text)
			mq.SetField(f.name)
			mq.Analyzer = textAnalyzer
			q = mq
		}
		q.(query.BoostableQuery).SetBoost(f.boost)
		alts = append(alts, q)
	}
	return bleve.NewDisjunctionQuery(alts...)
}

// fuzzyQuery tolerates typos in each word: one edit in words of 4 to 7
// letters, two in longer ones, none in shorter ones.
//
// A misspelt word may also stem differently from the right one
// ("Datenschutzkonferens" stems to datenschutzkonfer), so for a single
// word the folded, unstemmed form is tried as well.
func fuzzyQuery(field string, positions [][]string, raw string) query.Query {
	fuzzyTerm := func(term string) query.Query {
		n := utf8.RuneCountInString(term)
		if n < 4 {
			return termOn(field, term)
		}
		fq := bleve.NewFuzzyQuery(term)
		fq.SetField(field)
		fq.SetFuzziness(1)
		if n >= 8 {
			fq.SetFuzziness(2)
		}
		fq.SetPrefix(1) // the first letter is rarely wrong, and it bounds the work
		return fq
	}
	conj := make([]query.Query, 0, len(positions))
	for _, terms := range positions {
		q := fuzzyTerm(terms[0])
		if len(positions) == 1 && raw != terms[0] && !strings.ContainsAny(raw, " -") {
			q = bleve.NewDisjunctionQuery(q, fuzzyTerm(raw))
		}
		conj = append(conj, q)
	}
	if len(conj) == 1 {
		return conj[0]
	}
	return bleve.NewConjunctionQuery(conj...)
}

// exactBoost weighs a match of the whole word above a match of all its
// compound parts: "Datenschutzkonferenz" ranks documents with that word
// above documents that only mention "Datenschutz" and "Konferenz".
const exactBoost = 2

// wordQuery requires every position of an analysed query word in one of
// the text fields (restricted to the title by a title: prefix), weighted by
// field. At a position holding a compound and its parts, the document must
// contain the compound itself or all of its parts, never just any one part;
// the parts may stand in different fields ("Förderung" in the title,
// "Breitbandausbau" in the body find "Breitbandförderung").
func (x *Index) wordQuery(only string, positions [][]string) query.Query {
	anyField := func(term string, boost float64) query.Query {
		var alts []query.Query
		for _, f := range textFields {
			if only == FieldTitle && f.name != fieldTitle {
				continue
			}
			tq := termOn(f.name, term)
			tq.SetBoost(f.boost * boost)
			alts = append(alts, tq)
		}
		if len(alts) == 1 {
			return alts[0]
		}
		return bleve.NewDisjunctionQuery(alts...)
	}
	conj := make([]query.Query, 0, len(positions))
	for _, terms := range positions {
		if len(terms) == 1 {
			conj = append(conj, anyField(terms[0], 1))
			continue
		}
		var parts []query.Query
		for _, p := range terms[1:] {
			parts = append(parts, anyField(p, 1))
		}
		conj = append(conj, bleve.NewDisjunctionQuery(anyField(terms[0], exactBoost), bleve.NewConjunctionQuery(parts...)))
	}
	if len(conj) == 1 {
		return conj[0]
	}
	return bleve.NewConjunctionQuery(conj...)
}

// groupByPosition lists the distinct terms at each position of a token
// stream, in order; the first term of a position is the whole word, the
// others are its compound parts.
func groupByPosition(ts analysis.TokenStream) [][]string {
	var out [][]string
	lastPos := -1
	for _, tok := range ts {
		term := string(tok.Term)
		if tok.Position != lastPos || len(out) == 0 {
			out = append(out, []string{term})
			lastPos = tok.Position
			continue
		}
		cur := out[len(out)-1]
		if !slices.Contains(cur, term) {
			out[len(out)-1] = append(cur, term)
		}
	}
	return out
}

func hitOf(d stichwort.Document, score float64, analyzer analysis.Analyzer, m *matcher) Hit {
	hit := Hit{
		ID: d.ID, URL: d.URL, Title: d.Title, Date: d.Date, Type: d.Type,
		Source: d.Source, Tags: d.Tags, States: d.States, Score: score,
	}
	if len(d.Parents) > 0 {
		hit.Parent = d.Parents[0]
	}
	// The place in the lead or body where most of the query's words meet;
	// else the start of the lead. On a tie the lead wins: it says what
	// the article is about.
	if m != nil {
		best := 0
		for _, text := range []string{d.Lead, d.Body} {
			if s, score := snippet(analyzer, text, m); score > best {
				hit.Snippet, best = s, score
			}
		}
	}
	if hit.Snippet == "" {
		text := d.Lead
		if text == "" {
			text = d.Body
		}
		hit.Snippet = html.EscapeString(truncate(text, 200))
	}
	return hit
}

// truncate shortens s to at most n runes at a word boundary.
func truncate(s string, n int) string {
	s = strings.Join(strings.Fields(s), " ")
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)[:n]
	cut := string(r)
	if i := strings.LastIndexByte(cut, ' '); i > n/2 {
		cut = cut[:i]
	}
	return cut + " …"
}

// facetValues lists the counts of one facet, by count (or, for years,
// newest first), cut to size.
func facetValues(counts map[string]int, byValue bool, size int) []FacetValue {
	out := make([]FacetValue, 0, len(counts))
	for v, n := range counts {
		out = append(out, FacetValue{Value: v, Count: n})
	}
	sort.Slice(out, func(i, j int) bool {
		if byValue { // years: newest first, like a timeline
			return out[i].Value > out[j].Value
		}
		if out[i].Count != out[j].Count {
			return out[i].Count > out[j].Count
		}
		return out[i].Value < out[j].Value
	})
	if len(out) > size {
		out = out[:size]
	}
	return out
}
