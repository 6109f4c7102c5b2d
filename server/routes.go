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
	api.HandleFunc("/alerts", s.handleCreateAlert).Methods(http.MethodPost)
	api.HandleFunc("/alerts", s.handleListAlerts).Methods(http.MethodGet, http.MethodHead)
	api.HandleFunc("/alerts.opml", s.handleOPML).Methods(http.MethodGet, http.MethodHead)
	api.HandleFunc("/alerts/{id}", s.handleGetAlert).Methods(http.MethodGet, http.MethodHead)
	api.HandleFunc("/alerts/{id}", s.handleDeleteAlert).Methods(http.MethodDelete)
	api.HandleFunc("/crawl", s.handleCrawl).Methods(http.MethodPost)
	api.HandleFunc("/backup", s.handleBackup).Methods(http.MethodPost)
	api.NotFoundHandler = http.HandlerFunc(s.apiNotFound)
	api.MethodNotAllowedHandler = http.HandlerFunc(s.apiMethodNotAllowed)

	r.HandleFunc("/healthz", s.handleHealth).Methods(http.MethodGet, http.MethodHead)
	r.HandleFunc("/readyz", s.handleReady).Methods(http.MethodGet, http.MethodHead)
	r.HandleFunc("/feed.atom", s.handleFeed(feedAtom)).Methods(http.MethodGet, http.MethodHead)
	r.HandleFunc("/feed.rss", s.handleFeed(feedRSS)).Methods(http.MethodGet, http.MethodHead)
	r.HandleFunc("/alerts/{id}/feed.atom", s.handleAlertFeed(feedAtom)).Methods(http.MethodGet, http.MethodHead)
	r.HandleFunc("/alerts/{id}/feed.rss", s.handleAlertFeed(feedRSS)).Methods(http.MethodGet, http.MethodHead)
	r.HandleFunc("/alarm", s.handleAlertForm).Methods(http.MethodPost)
	r.HandleFunc("/alarm/{id}", s.handleAlertPage).Methods(http.MethodGet, http.MethodHead)
	r.HandleFunc("/alarm/{id}/loeschen", s.handleAlertPageDelete).Methods(http.MethodPost)
	r.HandleFunc("/alarme", s.handleAlertsPage).Methods(http.MethodGet, http.MethodHead)

	r.HandleFunc("/", s.handlePage).Methods(http.MethodGet, http.MethodHead)
	r.HandleFunc("/dokument/{id}", s.handleDocPage).Methods(http.MethodGet, http.MethodHead)
	r.HandleFunc("/opensearch.xml", s.handleOpenSearch).Methods(http.MethodGet, http.MethodHead)
	r.HandleFunc("/opensearch/suggest", s.handleOpenSearchSuggest).Methods(http.MethodGet, http.MethodHead)
	r.Handle("/favicon.ico", http.RedirectHandler("/static/favicon.svg", http.StatusMovedPermanently)).Methods(http.MethodGet, http.MethodHead)
	if s.cfg.Metrics != nil {
		r.Handle("/metrics", s.metricsHandler()).Methods(http.MethodGet, http.MethodHead)
	}
	r.PathPrefix("/static/").Handler(http.StripPrefix("/static/", http.HandlerFunc(s.serveStatic)))
	r.NotFoundHandler = http.HandlerFunc(s.pageNotFound)
	r.MethodNotAllowedHandler = http.HandlerFunc(s.pageMethodNotAllowed)

	return s.instrument(r, s.recoverPanics(securityHeaders(s.capRequests(s.rateLimit(r)))))
}
