package server

import (
	"context"
	"log/slog"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"stichwort"
	"stichwort/index"
)

type searchPage struct {
	Head     headData
	Req      index.Request
	Res      index.Result
	Searched bool
	Error    string
	Took     string
	Total    string // the number of hits, formatted
	Hits     []hitView
	Facets   []facetView
	Years    *chart // hits per year, when they span several years
	Months   *chart // hits per month, inside one selected year
	Chips    []link
	ClearURL string
	SortURLs map[string]string
	Prev     string
	Next     string
	Pages    []pageLink
	FeedAtom string
	FeedRSS  string
	From, To string
	Suggest  *link // "Meinten Sie …?"
	Empty    *emptyState
	Home     bool // no query and no filter: the start page
	Version  string
}

// hitView is one hit as the result list shows it.
type hitView struct {
	index.Hit
	DocURL string // the document page, highlighting this search's words
	Tags   []facetValueView
	States []link
	// ParentTitle and ParentURL name the article that links a PDF.
	ParentTitle, ParentURL string
}

type facetView struct {
	Key    string // the URL parameter
	Label  string
	Hint   string // how several chosen values combine
	Values []facetValueView
	More   []facetValueView // shown on request
}

type facetValueView struct {
	Label    string
	Value    string
	Count    int
	URL      string
	Selected bool
}

type link struct {
	Label string
	URL   string
}

type pageLink struct {
	N       int
	URL     string
	Current bool
}

// emptyState helps out of a search that found nothing.
type emptyState struct {
	WithoutFilters      string // the same words without filters
	WithoutFiltersCount string // and how many hits that gives; empty: none
	Tags                []link // Stichwörter with many documents
}

// facetShown is how many values of a facet are listed before "mehr".
const facetShown = 8

func (s *Server) handlePage(w http.ResponseWriter, r *http.Request) {
	p := searchPage{Version: s.cfg.Version, Head: headData{Title: "Suche – stichwort"}}
	req, err := parseSearch(r.URL.Query())
	if err != nil {
		status, msg := s.statusOf(r, err)
		p.Error = msg
		p.Head.Title = "Fehler – stichwort"
		s.render(w, status, "search.html", p)
		return
	}
	p.Req = req
	start := time.Now()
	p.Res, err = s.idx.Search(r.Context(), req)
	if err != nil {
		status, msg := s.statusOf(r, err)
		p.Error = msg
		p.Head.Title = "Fehler – stichwort"
		s.render(w, status, "search.html", p)
		return
	}
	p.Searched = true
	p.Took = tookText(time.Since(start))
	p.Total = germanInt(p.Res.Total)
	p.Home = req.Query == "" && len(searchValues(index.Request{Tags: req.Tags, Types: req.Types, Sources: req.Sources,
		Years: req.Years, States: req.States, From: req.From, To: req.To})) == 0
	s.fillNavigation(&p)
	s.fillHits(r.Context(), &p)
	s.fillCharts(r.Context(), &p)
	if p.Res.Total == 0 {
		p.Empty = s.emptyState(r.Context(), req)
	}
	switch {
	case req.Query != "":
		p.Head.Title = req.Query + " – Suche – stichwort"
	case len(req.Tags) > 0:
		p.Head.Title = "Stichwort " + strings.Join(req.Tags, " + ") + " – stichwort"
	}
	p.Head.FeedAtom, p.Head.FeedRSS = p.FeedAtom, p.FeedRSS
	p.Head.FeedTitle = feedTitle(req)
	s.render(w, http.StatusOK, "search.html", p)
}

// with returns the page URL of req changed by change; req itself stays
// as it is.
func with(req index.Request, change func(*index.Request)) string {
	c := req
	c.Tags = slices.Clone(req.Tags)
	c.Types, c.Sources, c.Years, c.States = slices.Clone(req.Types), slices.Clone(req.Sources), slices.Clone(req.Years), slices.Clone(req.States)
	c.Page, c.Size = 0, 0
	change(&c)
	return "/?" + searchValues(c).Encode()
}

// fillNavigation computes every link of the result page from the request:
// facets that toggle a filter, chips that remove one, sorting, paging and
// the feeds of exactly this search.
func (s *Server) fillNavigation(p *searchPage) {
	req := p.Req
	if !req.From.IsZero() {
		p.From = req.From.Format(time.DateOnly)
	}
	if !req.To.IsZero() {
		p.To = req.To.Format(time.DateOnly)
	}

	// Stichwörter narrow (AND): a count says how many hits remain when
	// that Stichwort is added. The chosen ones come first, even when the
	// facet list is cut.
	tags := facetView{Key: "tag", Label: "Stichwort", Hint: "Treffer mit allen gewählten"}
	for _, t := range req.Tags {
		tags.Values = append(tags.Values, facetValueView{Label: t, Value: t, Count: int(p.Res.Total), Selected: true,
			URL: with(req, func(c *index.Request) { c.Tags = removeTag(c.Tags, t) })})
	}
	for _, v := range p.Res.Facets.Tags {
		if hasTag(req.Tags, v.Value) {
			continue
		}
		tags.Values = append(tags.Values, facetValueView{Label: v.Value, Value: v.Value, Count: v.Count,
			URL: with(req, func(c *index.Request) { c.Tags = append(c.Tags, v.Value) })})
	}
	// Typ, Jahr, Quelle and Bundesland are alternatives within a facet
	// (OR) with disjunctive counts: each value toggles itself.
	orHint := "Treffer mit einem der gewählten"
	types := facetView{Key: "type", Label: "Typ", Hint: orHint}
	for _, v := range p.Res.Facets.Type {
		types.Values = append(types.Values, facetValueView{Label: typeLabel(v.Value), Value: v.Value, Count: v.Count,
			Selected: slices.Contains(req.Types, v.Value),
			URL:      with(req, func(c *index.Request) { c.Types = toggleValue(c.Types, v.Value) })})
	}
	years := facetView{Key: "year", Label: "Jahr", Hint: orHint}
	for _, v := range p.Res.Facets.Year {
		y, err := strconv.Atoi(v.Value)
		if err != nil {
			continue
		}
		years.Values = append(years.Values, facetValueView{Label: v.Value, Value: v.Value, Count: v.Count,
			Selected: slices.Contains(req.Years, y),
			URL:      with(req, func(c *index.Request) { c.Years = toggleValue(c.Years, y) })})
	}
	sources := facetView{Key: "source", Label: "Quelle", Hint: orHint}
	for _, v := range p.Res.Facets.Source {
		sources.Values = append(sources.Values, facetValueView{Label: v.Value, Value: v.Value, Count: v.Count,
			Selected: slices.Contains(req.Sources, v.Value),
			URL:      with(req, func(c *index.Request) { c.Sources = toggleValue(c.Sources, v.Value) })})
	}
	states := facetView{Key: "state", Label: "Bundesland", Hint: orHint}
	for _, v := range p.Res.Facets.State {
		states.Values = append(states.Values, facetValueView{Label: v.Value, Value: v.Value, Count: v.Count,
			Selected: slices.Contains(req.States, v.Value),
			URL:      with(req, func(c *index.Request) { c.States = toggleValue(c.States, v.Value) })})
	}
	p.Facets = []facetView{tags, types, years, sources, states}
	for i := range p.Facets {
		p.Facets[i].split()
	}

	for _, t := range req.Tags {
		p.Chips = append(p.Chips, link{"Stichwort: " + t, with(req, func(c *index.Request) { c.Tags = removeTag(c.Tags, t) })})
	}
	for _, t := range req.Types {
		p.Chips = append(p.Chips, link{"Typ: " + typeLabel(t), with(req, func(c *index.Request) { c.Types = toggleValue(c.Types, t) })})
	}
	for _, y := range req.Years {
		p.Chips = append(p.Chips, link{"Jahr: " + strconv.Itoa(y), with(req, func(c *index.Request) { c.Years = toggleValue(c.Years, y) })})
	}
	for _, src := range req.Sources {
		p.Chips = append(p.Chips, link{"Quelle: " + src, with(req, func(c *index.Request) { c.Sources = toggleValue(c.Sources, src) })})
	}
	for _, st := range req.States {
		p.Chips = append(p.Chips, link{"Bundesland: " + st, with(req, func(c *index.Request) { c.States = toggleValue(c.States, st) })})
	}
	if m, ok := wholeMonth(req.From, req.To); ok {
		p.Chips = append(p.Chips, link{"Zeitraum: " + monthNames[m.Month()-1] + " " + strconv.Itoa(m.Year()),
			with(req, func(c *index.Request) { c.From, c.To = time.Time{}, time.Time{} })})
	} else {
		if !req.From.IsZero() {
			p.Chips = append(p.Chips, link{"ab " + germanDate(req.From), with(req, func(c *index.Request) { c.From = time.Time{} })})
		}
		if !req.To.IsZero() {
			p.Chips = append(p.Chips, link{"bis " + germanDate(req.To), with(req, func(c *index.Request) { c.To = time.Time{} })})
		}
	}
	if len(p.Chips) > 0 {
		p.ClearURL = "/?" + searchValues(index.Request{Query: req.Query, Sort: req.Sort}).Encode()
	}

	p.SortURLs = map[string]string{
		index.SortRelevance: with(req, func(c *index.Request) { c.Sort = index.SortRelevance }),
		index.SortDate:      with(req, func(c *index.Request) { c.Sort = index.SortDate }),
	}

	feed := req
	feed.Sort, feed.Page, feed.Size = "", 0, 0
	feedQuery := searchValues(feed).Encode()
	p.FeedAtom, p.FeedRSS = "/feed.atom", "/feed.rss"
	if feedQuery != "" {
		p.FeedAtom += "?" + feedQuery
		p.FeedRSS += "?" + feedQuery
	}

	if p.Res.Suggest != "" {
		p.Suggest = &link{Label: p.Res.Suggest, URL: with(req, func(c *index.Request) { c.Query = p.Res.Suggest })}
	}

	size := max(req.Size, 1)
	last := int((p.Res.Total + uint64(size) - 1) / uint64(size))
	last = min(last, index.MaxOffset/size)
	pageURL := func(n int) string {
		v := searchValues(req)
		if n > 1 {
			v.Set("page", strconv.Itoa(n))
		}
		if req.Size != 10 {
			v.Set("size", strconv.Itoa(req.Size))
		}
		return "/?" + v.Encode()
	}
	if req.Page > 1 {
		p.Prev = pageURL(req.Page - 1)
	}
	if req.Page < last {
		p.Next = pageURL(req.Page + 1)
	}
	if last > 1 {
		for n := max(1, req.Page-4); n <= min(last, req.Page+4); n++ {
			p.Pages = append(p.Pages, pageLink{N: n, URL: pageURL(n), Current: n == req.Page})
		}
	}
}

// split keeps the first values in sight and the rest behind "mehr";
// chosen values always stay in sight.
func (f *facetView) split() {
	if len(f.Values) <= facetShown+2 { // hiding one or two is not worth a click
		return
	}
	var shown, more []facetValueView
	for _, v := range f.Values {
		if v.Selected || len(shown) < facetShown {
			shown = append(shown, v)
		} else {
			more = append(more, v)
		}
	}
	f.Values, f.More = shown, more
}

// fillHits prepares each hit: its Stichwörter as filters, its document
// page, and for a PDF the title of the article that links it.
func (s *Server) fillHits(ctx context.Context, p *searchPage) {
	req := p.Req
	q := req.Query
	if p.Res.Fuzzy && p.Res.Suggest != "" {
		q = p.Res.Suggest
	}
	titles := map[string]string{}
	for _, h := range p.Res.Hits {
		v := hitView{Hit: h, DocURL: docPageURL(h.ID, q)}
		for _, t := range h.Tags {
			tv := facetValueView{Label: t, Value: t, Selected: hasTag(req.Tags, t)}
			if !tv.Selected {
				tv.URL = with(req, func(c *index.Request) { c.Tags = append(c.Tags, t) })
			}
			v.Tags = append(v.Tags, tv)
		}
		for _, st := range h.States {
			v.States = append(v.States, link{st, with(req, func(c *index.Request) {
				if !slices.Contains(c.States, st) {
					c.States = append(c.States, st)
				}
			})})
		}
		if h.Parent != "" {
			title, seen := titles[h.Parent]
			if !seen {
				title = s.titleOf(h.Parent)
				titles[h.Parent] = title
			}
			v.ParentTitle, v.ParentURL = title, h.Parent
		}
		p.Hits = append(p.Hits, v)
	}
}

// titleOf returns the title of the indexed document at u, or u itself.
func (s *Server) titleOf(u string) string {
	d, err := s.idx.Get(stichwort.DocID(u))
	if err != nil || d.Title == "" {
		return u
	}
	return d.Title
}

// emptyState looks for a way out of an empty result: the same words
// without filters, and Stichwörter to browse.
func (s *Server) emptyState(ctx context.Context, req index.Request) *emptyState {
	e := &emptyState{}
	filtered := len(searchValues(index.Request{Tags: req.Tags, Types: req.Types, Sources: req.Sources,
		Years: req.Years, States: req.States, From: req.From, To: req.To})) > 0
	if filtered && req.Query != "" {
		e.WithoutFilters = "/?" + searchValues(index.Request{Query: req.Query}).Encode()
		if res, err := s.idx.Search(ctx, index.Request{Query: req.Query, Page: 1, Size: 1}); err == nil && res.Total > 0 {
			e.WithoutFiltersCount = germanInt(res.Total)
		}
	}
	res, err := s.idx.Search(ctx, index.Request{Page: 1, Size: 1})
	if err != nil {
		s.logger.Warn("empty state: popular Stichwörter", slog.String("error", err.Error()))
		return e
	}
	for _, v := range res.Facets.Tags[:min(len(res.Facets.Tags), 10)] {
		e.Tags = append(e.Tags, link{v.Value, "/?" + url.Values{"tag": {v.Value}}.Encode()})
	}
	return e
}

// wholeMonth reports whether from and to span exactly one calendar month,
// and which.
func wholeMonth(from, to time.Time) (time.Time, bool) {
	if from.IsZero() || to.IsZero() || from.Day() != 1 {
		return time.Time{}, false
	}
	return from, to.Equal(from.AddDate(0, 1, -1))
}

// toggleValue adds v to the list or removes it if present.
func toggleValue[T comparable](list []T, v T) []T {
	if i := slices.Index(list, v); i >= 0 {
		return slices.Delete(slices.Clone(list), i, i+1)
	}
	return append(slices.Clone(list), v)
}

func removeTag(tags []string, t string) []string {
	var out []string
	for _, x := range tags {
		if stichwort.TagKey(x) != stichwort.TagKey(t) {
			out = append(out, x)
		}
	}
	return out
}
