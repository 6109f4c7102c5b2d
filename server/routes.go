package server

import (
	"net/http"

	"github.com/gorilla/mux"
)

// routes lists every route of the server in one place.
func (s *Server) routes() http.Handler {
	r := mux.NewRouter()
	r.StrictSlash(false)

	api := r.PathPrefix("/api").Subrouter()
	api.HandleFunc("/search", s.handleSearch).Methods(http.MethodGet, http.MethodHead)
	api.HandleFunc("/docs/{id}", s.handleDoc).Methods(http.MethodGet, http.MethodHead)
	api.HandleFunc("/status", s.handleStatus).Methods(http.MethodGet, http.MethodHead)
	api.HandleFunc("/suggest", s.handleSuggest).Methods(http.MethodGet, http.MethodHead)
	api.NotFoundHandler = http.HandlerFunc(s.apiNotFound)
	api.MethodNotAllowedHandler = http.HandlerFunc(s.apiMethodNotAllowed)

	r.HandleFunc("/feed.atom", s.handleFeed(feedAtom)).Methods(http.MethodGet, http.MethodHead)
	r.HandleFunc("/feed.rss", s.handleFeed(feedRSS)).Methods(http.MethodGet, http.MethodHead)

	r.HandleFunc("/", s.handlePage).Methods(http.MethodGet, http.MethodHead)
	r.HandleFunc("/dokument/{id}", s.handleDocPage).Methods(http.MethodGet, http.MethodHead)
	r.PathPrefix("/static/").Handler(http.StripPrefix("/static/", s.static))
	r.NotFoundHandler = http.HandlerFunc(s.pageNotFound)

	return s.recoverPanics(securityHeaders(r))
}
