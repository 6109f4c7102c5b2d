package server

import (
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/gorilla/feeds"

	"stichwort/index"
)

type feedFormat int

const (
	feedAtom feedFormat = iota
	feedRSS
)

// feedSize is how many entries a feed carries: the newest matches.
const feedSize = 50

// handleFeed serves the search given by the query parameters as a feed,
// newest publication first.
func (s *Server) handleFeed(format feedFormat) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		req, err := parseSearch(r.URL.Query())
		if err != nil {
			s.apiError(w, r, err)
			return
		}
		req.Sort, req.Page, req.Size = index.SortDate, 1, feedSize
		res, err := s.idx.Search(r.Context(), req)
		if err != nil {
			s.apiError(w, r, err)
			return
		}
		base := baseURL(r)
		pageURL := base + "/?" + searchValues(req).Encode()
		f := &feeds.Feed{
			Title:       feedTitle(req),
			Link:        &feeds.Link{Href: pageURL},
			Description: "Neue Treffer dieser Suche in stichwort",
			Id:          base + r.URL.RequestURI(),
		}
		for _, h := range res.Hits {
			when := h.Date
			if when.IsZero() {
				when = time.Unix(0, 0).UTC()
			}
			if when.After(f.Updated) {
				f.Updated = when
			}
			f.Items = append(f.Items, &feeds.Item{
				Title:       h.Title,
				Link:        &feeds.Link{Href: h.URL},
				Source:      &feeds.Link{Href: "https://" + h.Source},
				Id:          h.URL,
				Created:     when,
				Updated:     when,
				Description: safeSnippet(h.Snippet),
			})
		}
		if f.Updated.IsZero() {
			f.Updated = time.Unix(0, 0).UTC()
		}
		var body string
		switch format {
		case feedAtom:
			w.Header().Set("Content-Type", "application/atom+xml; charset=utf-8")
			body, err = f.ToAtom()
		default:
			w.Header().Set("Content-Type", "application/rss+xml; charset=utf-8")
			body, err = f.ToRss()
		}
		if err != nil {
			s.apiError(w, r, fmt.Errorf("server: render feed: %w", err))
			return
		}
		_, _ = w.Write([]byte(body))
	}
}

func feedTitle(r index.Request) string {
	parts := []string{}
	if r.Query != "" {
		parts = append(parts, "„"+r.Query+"“")
	}
	if len(r.Tags) > 0 {
		parts = append(parts, "Stichwort "+strings.Join(r.Tags, " + "))
	}
	for _, t := range r.Types {
		parts = append(parts, typeLabel(t))
	}
	parts = append(parts, r.Sources...)
	parts = append(parts, r.States...)
	if len(parts) == 0 {
		return "stichwort: alle neuen Dokumente"
	}
	return "stichwort: " + strings.Join(parts, ", ")
}

// baseURL is the scheme and host the client used to reach us.
func baseURL(r *http.Request) string {
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	return scheme + "://" + r.Host
}
