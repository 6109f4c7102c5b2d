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
	Query  string   // user query syntax, see ParseQuery; empty lists everything
	Tags   []string // all must be present (compared by TagKey)
	Type   string   // "" or a stichwort.Type*
	Source string   // host
	// From and To bound the publication date, inclusive, by calendar day;
	// zero means open.
	From, To time.Time
	Sort     string // SortRelevance (default with a query) or SortDate
	Page     int    // 1-based
	Size     int
}

// Result is one page of hits with facet counts over all matches.
type Result struct {
	Total  uint64
	Took   time.Duration
	Hits   []Hit
	Facets Facets
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
	Snippet string // HTML: escaped text with <mark> around matched words
	Score   float64
	Parent  string
}

// Facets are the counts of each value among all matches.
type Facets struct {
	Tags, Type, Year, Source []FacetValue
}

// FacetValue is one value of a facet and how many matches have it.
type FacetValue struct {
	Value string
	Count int
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
	q := x.buildQuery(pq, r)
	sr := bleve.NewSearchRequestOptions(q, r.Size, from, false)
	sr.SortByCustom(sortOrder(r.Sort, pq.Empty()))
	if !pq.Empty() {
		sr.Highlight = bleve.NewHighlightWithStyle("html")
		sr.Highlight.AddField(fieldLead)
		sr.Highlight.AddField(fieldBody)
	}
	for name, field := range map[string]string{"tags": fieldTags, "type": fieldType, "year": fieldYear, "source": fieldSource} {
		sr.AddFacet(name, bleve.NewFacetRequest(field, facetSize))
	}
	res, err := x.bleve.SearchInContext(ctx, sr)
	if err != nil {
		return Result{}, fmt.Errorf("index: search: %w", err)
	}

	ids := make([]string, len(res.Hits))
	for i, h := range res.Hits {
		ids[i] = h.ID
	}
	docs, err := x.docs.getMany(ids)
	if err != nil {
		return Result{}, fmt.Errorf("index: search: %w", err)
	}
	out := Result{Total: res.Total, Took: res.Took, Hits: make([]Hit, 0, len(res.Hits))}
	for _, h := range res.Hits {
		d, ok := docs[h.ID]
		if !ok {
			continue // deleted between search and read
		}
		out.Hits = append(out.Hits, hitOf(d, h))
	}
	out.Facets = Facets{
		Tags:   facetValues(res.Facets["tags"], false),
		Type:   facetValues(res.Facets["type"], false),
		Year:   facetValues(res.Facets["year"], true),
		Source: facetValues(res.Facets["source"], false),
	}
	return out, nil
}

// ErrTooDeep: the requested page lies beyond MaxOffset.
var ErrTooDeep = fmt.Errorf("page beyond the first %d results", MaxOffset)

func sortOrder(s string, emptyQuery bool) search.SortOrder {
	byDate := &search.SortField{Field: fieldDate, Desc: true, Type: search.SortFieldAsDate, Missing: search.SortFieldMissingLast}
	byScore := &search.SortScore{Desc: true}
	byID := &search.SortDocID{}
	if s == SortDate || (s == "" && emptyQuery) {
		return search.SortOrder{byDate, byScore, byID}
	}
	return search.SortOrder{byScore, byDate, byID}
}

// buildQuery turns the parsed query and the filters into one Bleve query.
func (x *Index) buildQuery(pq Query, r Request) query.Query {
	var must []query.Query
	for _, group := range pq.Groups {
		var alts []query.Query
		for _, t := range group {
			if tq := x.termQuery(t); tq != nil {
				alts = append(alts, tq)
			}
			// Abbreviations and their long forms are alternatives:
			// "KI" also finds "Künstliche Intelligenz".
			for _, syn := range x.syn.Of(t.Text) {
				if sq := x.termQuery(Term{Text: syn, Phrase: strings.Contains(syn, " ")}); sq != nil {
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
		tq := bleve.NewTermQuery(stichwort.TagKey(tag))
		tq.SetField(fieldTagKeys)
		must = append(must, tq)
	}
	for field, v := range map[string]string{fieldType: r.Type, fieldSource: strings.ToLower(r.Source)} {
		if v != "" {
			tq := bleve.NewTermQuery(v)
			tq.SetField(field)
			must = append(must, tq)
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
		if tq := x.termQuery(t); tq != nil {
			nots = append(nots, tq)
		}
	}
	if len(nots) == 0 {
		return pos
	}
	bq := bleve.NewBooleanQuery()
	bq.AddMust(pos)
	bq.AddMustNot(nots...)
	return bq
}

func day(t time.Time) time.Time {
	return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC)
}

// termQuery matches one word or phrase in any text field, or returns nil
// when the analyser leaves nothing of it (a stop word, punctuation).
func (x *Index) termQuery(t Term) query.Query {
	analyzer := x.bleve.Mapping().AnalyzerNamed(textAnalyzer)
	if analyzer == nil {
		return nil
	}
	positions := groupByPosition(analyzer.Analyze([]byte(t.Text)))
	if len(positions) == 0 {
		return nil
	}
	alts := make([]query.Query, 0, len(textFields))
	for _, f := range textFields {
		var q query.Query
		if t.Phrase {
			mq := bleve.NewMatchPhraseQuery(t.Text)
			mq.SetField(f.name)
			mq.Analyzer = textAnalyzer
			q = mq
		} else {
			q = wordQuery(f.name, positions)
		}
		q.(query.BoostableQuery).SetBoost(f.boost)
		alts = append(alts, q)
	}
	return bleve.NewDisjunctionQuery(alts...)
}

// exactBoost weighs a match of the whole word above a match of all its
// compound parts: "Datenschutzkonferenz" ranks documents with that word
// above documents that only mention "Datenschutz" and "Konferenz".
const exactBoost = 2

// wordQuery requires every position of an analysed query word in field. At
// a position holding a compound and its parts, the document must contain
// the compound itself or all of its parts, never just any one part.
func wordQuery(field string, positions [][]string) query.Query {
	term := func(s string) *query.TermQuery {
		tq := bleve.NewTermQuery(s)
		tq.SetField(field)
		return tq
	}
	conj := make([]query.Query, 0, len(positions))
	for _, terms := range positions {
		if len(terms) == 1 {
			conj = append(conj, term(terms[0]))
			continue
		}
		whole := term(terms[0])
		whole.SetBoost(exactBoost)
		var parts []query.Query
		for _, p := range terms[1:] {
			parts = append(parts, term(p))
		}
		conj = append(conj, bleve.NewDisjunctionQuery(whole, bleve.NewConjunctionQuery(parts...)))
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

func hitOf(d stichwort.Document, h *search.DocumentMatch) Hit {
	hit := Hit{
		ID: d.ID, URL: d.URL, Title: d.Title, Date: d.Date, Type: d.Type,
		Source: d.Source, Tags: d.Tags, Score: h.Score,
	}
	if len(d.Parents) > 0 {
		hit.Parent = d.Parents[0]
	}
	for _, f := range []string{fieldBody, fieldLead} {
		if frags := h.Fragments[f]; len(frags) > 0 {
			// Parts of one compound are marked one by one; join
			// touching marks so the word reads as one match.
			hit.Snippet = strings.ReplaceAll(strings.Join(frags, " … "), "</mark><mark>", "")
			break
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

func facetValues(fr *search.FacetResult, byValue bool) []FacetValue {
	if fr == nil || fr.Terms == nil {
		return []FacetValue{}
	}
	terms := fr.Terms.Terms()
	out := make([]FacetValue, 0, len(terms))
	for _, t := range terms {
		out = append(out, FacetValue{Value: t.Term, Count: t.Count})
	}
	if byValue { // years: newest first, like a timeline
		sort.Slice(out, func(i, j int) bool {
			a, _ := strconv.Atoi(out[i].Value)
			b, _ := strconv.Atoi(out[j].Value)
			return a > b
		})
	} else {
		sort.SliceStable(out, func(i, j int) bool {
			if out[i].Count != out[j].Count {
				return out[i].Count > out[j].Count
			}
			return out[i].Value < out[j].Value
		})
	}
	return out
}
