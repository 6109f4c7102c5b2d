package server

import (
	"net/http"
	"time"
	"unicode/utf8"

	"github.com/gorilla/mux"

	"stichwort"
	"stichwort/index"
)

type searchResponse struct {
	Total  uint64                 `json:"total"`
	TookMS int64                  `json:"took_ms"`
	Hits   []hitJSON              `json:"hits"`
	Facets map[string][]facetJSON `json:"facets"`
	// Suggest is "Meinten Sie …?": set when the query as typed found
	// nothing and the hits come from a typo-tolerant search (Fuzzy).
	Suggest string `json:"suggest,omitempty"`
	Fuzzy   bool   `json:"fuzzy,omitempty"`
}

type hitJSON struct {
	ID      string   `json:"id"`
	URL     string   `json:"url"`
	Title   string   `json:"title"`
	Date    *string  `json:"date"` // null when the document has no date
	Type    string   `json:"type"`
	Source  string   `json:"source"`
	Tags    []string `json:"tags"`
	States  []string `json:"states,omitempty"`
	Snippet string   `json:"snippet"`
	Score   float64  `json:"score"`
	Parent  string   `json:"parent,omitempty"`
}

type facetJSON struct {
	Value string `json:"value"`
	Count int    `json:"count"`
}

func dateJSON(t time.Time) *string {
	if t.IsZero() {
		return nil
	}
	s := t.Format(time.DateOnly)
	return &s
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

func (s *Server) handleSearch(w http.ResponseWriter, r *http.Request) {
	start := time.Now()
	req, err := parseSearch(r.URL.Query())
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	res, err := s.idx.Search(r.Context(), req)
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	out := searchResponse{
		Total:  res.Total,
		TookMS: time.Since(start).Milliseconds(),
		Hits:   make([]hitJSON, len(res.Hits)),
		Facets: map[string][]facetJSON{
			"tags": facetsJSON(res.Facets.Tags), "type": facetsJSON(res.Facets.Type),
			"year": facetsJSON(res.Facets.Year), "source": facetsJSON(res.Facets.Source),
			"state": facetsJSON(res.Facets.State),
		},
		Suggest: res.Suggest,
		Fuzzy:   res.Fuzzy,
	}
	if res.Facets.Month != nil {
		out.Facets["month"] = facetsJSON(res.Facets.Month)
	}
	for i, h := range res.Hits {
		out.Hits[i] = hitJSON{
			ID: h.ID, URL: h.URL, Title: h.Title, Date: dateJSON(h.Date), Type: h.Type,
			Source: h.Source, Tags: nonNil(h.Tags), States: h.States, Snippet: safeSnippet(h.Snippet), Score: h.Score, Parent: h.Parent,
		}
	}
	writeJSON(w, http.StatusOK, out)
}

func facetsJSON(vs []index.FacetValue) []facetJSON {
	out := make([]facetJSON, len(vs))
	for i, v := range vs {
		out[i] = facetJSON{Value: v.Value, Count: v.Count}
	}
	return out
}

type docJSON struct {
	ID        string   `json:"id"`
	URL       string   `json:"url"`
	Title     string   `json:"title"`
	Date      *string  `json:"date"`
	Type      string   `json:"type"`
	Source    string   `json:"source"`
	Tags      []string `json:"tags"`
	Author    string   `json:"author,omitempty"`
	Lead      string   `json:"lead,omitempty"`
	Text      string   `json:"text"`
	Parent    string   `json:"parent,omitempty"`
	Parents   []string `json:"parents,omitempty"`
	Links     []string `json:"links,omitempty"`
	Pages     int      `json:"pages,omitempty"`
	FetchedAt *string  `json:"fetched_at,omitempty"`
}

func docOf(d stichwort.Document) docJSON {
	out := docJSON{
		ID: d.ID, URL: d.URL, Title: d.Title, Date: dateJSON(d.Date), Type: d.Type, Source: d.Source,
		Tags: nonNil(d.Tags), Author: d.Author, Lead: d.Lead, Text: d.Text(), Parents: d.Parents,
		Links: d.Links, Pages: d.Pages,
	}
	if len(d.Parents) > 0 {
		out.Parent = d.Parents[0]
	}
	if !d.FetchedAt.IsZero() {
		f := d.FetchedAt.UTC().Format(time.RFC3339)
		out.FetchedAt = &f
	}
	return out
}

func (s *Server) handleDoc(w http.ResponseWriter, r *http.Request) {
	id := mux.Vars(r)["id"]
	if len(id) > 100 {
		s.apiError(w, r, index.ErrNotFound)
		return
	}
	d, err := s.idx.Get(id)
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, docOf(d))
}

func (s *Server) handleStatus(w http.ResponseWriter, r *http.Request) {
	var st CrawlStatus
	if s.cfg.Status != nil {
		st = s.cfg.Status()
	}
	var last *string
	if !st.LastCrawl.IsZero() {
		l := st.LastCrawl.UTC().Format(time.RFC3339)
		last = &l
	}
	out := map[string]any{"docs": s.idx.Count(), "crawling": st.Crawling, "last_crawl": last}
	if st.Counts != nil {
		out["crawl"] = st.Counts
	}
	writeJSON(w, http.StatusOK, out)
}

// maxSuggestions is how many completions /api/suggest returns at most.
const maxSuggestions = 10

func (s *Server) handleSuggest(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query().Get("q")
	if !utf8.ValidString(q) || utf8.RuneCountInString(q) > 100 {
		s.apiError(w, r, badParam("Parameter q: höchstens 100 Zeichen gültiges UTF-8"))
		return
	}
	n := maxSuggestions
	if sz := r.URL.Query().Get("size"); sz != "" {
		var err error
		if n, err = parseInt(r.URL.Query(), "size", maxSuggestions, 1, maxSuggestions); err != nil {
			s.apiError(w, r, err)
			return
		}
	}
	out, err := s.idx.Suggest(r.Context(), q, n)
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	w.Header().Set("Cache-Control", "max-age=60")
	writeJSON(w, http.StatusOK, map[string]any{"q": q, "suggestions": out})
}
