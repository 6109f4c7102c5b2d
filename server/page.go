package server

import (
	"bytes"
	"fmt"
	"html/template"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/gorilla/mux"

	"stichwort"
	"stichwort/index"
)

var templateFuncs = template.FuncMap{
	"germanDate": germanDate,
	"typeLabel":  typeLabel,
	"snippet":    func(s string) template.HTML { return template.HTML(safeSnippet(s)) }, // safeSnippet leaves only <mark>
	"tagURL": func(tag string) string {
		return "/?" + url.Values{"tag": {tag}}.Encode()
	},
	"paragraphs": func(s string) []string { return strings.Split(s, "\n\n") },
	"docURL":     func(id string) string { return "/dokument/" + url.PathEscape(id) },
}

// germanDate formats a date the German way, 22.10.2024; empty when unknown.
func germanDate(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.Format("02.01.2006")
}

func typeLabel(t string) string {
	switch t {
	case stichwort.TypeArticle:
		return "Artikel"
	case stichwort.TypePDF:
		return "Beschluss-PDF"
	}
	return t
}

type searchPage struct {
	Req      index.Request
	Res      index.Result
	Searched bool
	Error    string
	Took     string
	Facets   []facetView
	Chips    []link
	ClearURL string
	SortURLs map[string]string
	Prev     string
	Next     string
	Pages    []pageLink
	FeedAtom string
	FeedRSS  string
	From, To string
	Version  string
}

type facetView struct {
	Label  string
	Values []facetValueView
}

type facetValueView struct {
	Label    string
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

func (s *Server) handlePage(w http.ResponseWriter, r *http.Request) {
	p := searchPage{Version: s.cfg.Version}
	req, err := parseSearch(r.URL.Query())
	if err != nil {
		status, msg := s.statusOf(r, err)
		p.Error = msg
		s.render(w, status, "search.html", p)
		return
	}
	p.Req = req
	start := time.Now()
	p.Res, err = s.idx.Search(r.Context(), req)
	if err != nil {
		status, msg := s.statusOf(r, err)
		p.Error = msg
		s.render(w, status, "search.html", p)
		return
	}
	p.Searched = true
	p.Took = strconv.FormatFloat(time.Since(start).Seconds()*1000, 'f', 0, 64)
	s.fillNavigation(&p)
	s.render(w, http.StatusOK, "search.html", p)
}

// fillNavigation computes every link of the result page from the request:
// facets that toggle a filter, chips that remove one, sorting, paging and
// the feeds of exactly this search.
func (s *Server) fillNavigation(p *searchPage) {
	req := p.Req
	with := func(change func(*index.Request)) string {
		c := req
		c.Tags = slices.Clone(req.Tags)
		c.Types, c.Sources, c.Years, c.States = slices.Clone(req.Types), slices.Clone(req.Sources), slices.Clone(req.Years), slices.Clone(req.States)
		change(&c)
		return "/?" + searchValues(c).Encode()
	}
	if !req.From.IsZero() {
		p.From = req.From.Format(time.DateOnly)
	}
	if !req.To.IsZero() {
		p.To = req.To.Format(time.DateOnly)
	}

	tags := facetView{Label: "Stichwort"}
	for _, t := range req.Tags { // chosen tags first, even when the facet list is cut
		tags.Values = append(tags.Values, facetValueView{Label: t, Count: int(p.Res.Total), Selected: true,
			URL: with(func(c *index.Request) { c.Tags = removeTag(c.Tags, t) })})
	}
	for _, v := range p.Res.Facets.Tags {
		if hasTag(req.Tags, v.Value) {
			continue
		}
		tags.Values = append(tags.Values, facetValueView{Label: v.Value, Count: v.Count,
			URL: with(func(c *index.Request) { c.Tags = append(c.Tags, v.Value) })})
	}
	// Typ, Jahr, Quelle and Bundesland are alternatives within a facet:
	// each value toggles itself in or out of the selection.
	types := facetView{Label: "Typ"}
	for _, v := range p.Res.Facets.Type {
		sel := slices.Contains(req.Types, v.Value)
		types.Values = append(types.Values, facetValueView{Label: typeLabel(v.Value), Count: v.Count, Selected: sel,
			URL: with(func(c *index.Request) { c.Types = toggleValue(c.Types, v.Value) })})
	}
	years := facetView{Label: "Jahr"}
	for _, v := range p.Res.Facets.Year {
		y, _ := strconv.Atoi(v.Value)
		sel := slices.Contains(req.Years, y)
		years.Values = append(years.Values, facetValueView{Label: v.Value, Count: v.Count, Selected: sel,
			URL: with(func(c *index.Request) { c.Years = toggleValue(c.Years, y) })})
	}
	sources := facetView{Label: "Quelle"}
	for _, v := range p.Res.Facets.Source {
		sel := slices.Contains(req.Sources, v.Value)
		sources.Values = append(sources.Values, facetValueView{Label: v.Value, Count: v.Count, Selected: sel,
			URL: with(func(c *index.Request) { c.Sources = toggleValue(c.Sources, v.Value) })})
	}
	states := facetView{Label: "Bundesland"}
	for _, v := range p.Res.Facets.State {
		sel := slices.Contains(req.States, v.Value)
		states.Values = append(states.Values, facetValueView{Label: v.Value, Count: v.Count, Selected: sel,
			URL: with(func(c *index.Request) { c.States = toggleValue(c.States, v.Value) })})
	}
	p.Facets = []facetView{tags, types, years, sources, states}

	for _, t := range req.Tags {
		p.Chips = append(p.Chips, link{"Stichwort: " + t, with(func(c *index.Request) { c.Tags = removeTag(c.Tags, t) })})
	}
	for _, t := range req.Types {
		p.Chips = append(p.Chips, link{"Typ: " + typeLabel(t), with(func(c *index.Request) { c.Types = toggleValue(c.Types, t) })})
	}
	for _, y := range req.Years {
		p.Chips = append(p.Chips, link{"Jahr: " + strconv.Itoa(y), with(func(c *index.Request) { c.Years = toggleValue(c.Years, y) })})
	}
	for _, s := range req.Sources {
		p.Chips = append(p.Chips, link{"Quelle: " + s, with(func(c *index.Request) { c.Sources = toggleValue(c.Sources, s) })})
	}
	for _, s := range req.States {
		p.Chips = append(p.Chips, link{"Bundesland: " + s, with(func(c *index.Request) { c.States = toggleValue(c.States, s) })})
	}
	if !req.From.IsZero() {
		p.Chips = append(p.Chips, link{"ab " + germanDate(req.From), with(func(c *index.Request) { c.From = time.Time{} })})
	}
	if !req.To.IsZero() {
		p.Chips = append(p.Chips, link{"bis " + germanDate(req.To), with(func(c *index.Request) { c.To = time.Time{} })})
	}
	if len(p.Chips) > 0 {
		p.ClearURL = "/?" + searchValues(index.Request{Query: req.Query, Sort: req.Sort}).Encode()
	}

	p.SortURLs = map[string]string{
		index.SortRelevance: with(func(c *index.Request) { c.Sort = index.SortRelevance }),
		index.SortDate:      with(func(c *index.Request) { c.Sort = index.SortDate }),
	}

	feed := req
	feed.Sort, feed.Page, feed.Size = "", 0, 0
	feedQuery := searchValues(feed).Encode()
	p.FeedAtom, p.FeedRSS = "/feed.atom?"+feedQuery, "/feed.rss?"+feedQuery

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

// toggleValue adds v to the list or removes it if present.
func toggleValue[T comparable](list []T, v T) []T {
	if i := slices.Index(list, v); i >= 0 {
		return slices.Delete(slices.Clone(list), i, i+1)
	}
	return append(slices.Clone(list), v)
}

func removeTag(tags []string, t string) []string {
	out := tags[:0]
	for _, x := range tags {
		if stichwort.TagKey(x) != stichwort.TagKey(t) {
			out = append(out, x)
		}
	}
	return out
}

type docPage struct {
	Doc     stichwort.Document
	Version string
}

func (s *Server) handleDocPage(w http.ResponseWriter, r *http.Request) {
	d, err := s.idx.Get(mux.Vars(r)["id"])
	if err != nil {
		status, msg := s.statusOf(r, err)
		s.render(w, status, "error.html", map[string]any{"Message": msg, "Version": s.cfg.Version})
		return
	}
	s.render(w, http.StatusOK, "doc.html", docPage{Doc: d, Version: s.cfg.Version})
}

func (s *Server) pageNotFound(w http.ResponseWriter, r *http.Request) {
	s.render(w, http.StatusNotFound, "error.html", map[string]any{"Message": "Diese Seite gibt es nicht.", "Version": s.cfg.Version})
}

// render executes a template into a buffer first, so a failing template
// gives a clean error page instead of half a page.
func (s *Server) render(w http.ResponseWriter, status int, name string, data any) {
	var buf bytes.Buffer
	if err := s.tmpl.ExecuteTemplate(&buf, name, data); err != nil {
		s.logger.Error("render page", "template", name, "error", err)
		http.Error(w, "Interner Fehler", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Content-Length", fmt.Sprint(buf.Len()))
	w.WriteHeader(status)
	_, _ = w.Write(buf.Bytes())
}
